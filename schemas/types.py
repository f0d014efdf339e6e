"""Reusable annotated types and vocabularies shared by every record model.

The vocabularies are those of ``docs/GOLD.md``; the published tables must use
exactly these values so the dataset can be scored against gold.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

DocType = Literal["information_sheet", "seminar_report", "programme", "unknown"]
DocStatus = Literal["ok", "needs_review", "failed"]
DateRole = Literal["initiation", "completion", "event", "phase", "milestone", "adoption"]
PartnerCategory = Literal[
    "government",
    "igo",
    "major_group",
    "other",
    "participant",
    "organizer",
    "funder",
]
ContactRole = Literal["focal_point", "form_filler", "secretariat", "speaker", "chair"]

DOC_TYPES: tuple[str, ...] = get_args(DocType)
DATE_ROLES: tuple[str, ...] = get_args(DateRole)
PARTNER_CATEGORIES: tuple[str, ...] = get_args(PartnerCategory)
CONTACT_ROLES: tuple[str, ...] = get_args(ContactRole)

# ISO 8601 at the precision the text gives: 2004, 2004-07 or 2004-07-02.
IsoPartialDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# E.164 when a country code is known; otherwise the number stays as printed.
PhoneNumber = Annotated[str, StringConstraints(min_length=3, max_length=64)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", to_lower=True)]
Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
