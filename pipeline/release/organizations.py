"""Organisations and people as tables: resolve the extracted rows and persist reviewers' overrides.

The clustering itself is pure (``extractors/organizations.py``); this module
reads the partner and contact frames, adds ``org_id`` to both and builds the
``organizations`` and ``people`` tables. Reviewers' merges and splits live in
a JSON file outside the output folder (``settings.org_overrides_file``,
default ``corrections/organizations.json``), so regenerating the dataset
re-applies them instead of losing them::

    {"overrides": [
      {"action": "merge", "orgs": ["Kanagawa Prefecture", "Kanagawa Prefectural Government"],
       "name": "Kanagawa Prefectural Government", "note": "the prefecture's government is the partner"},
      {"action": "split", "alias": "JICA Kyushu", "note": "..."}
    ]}
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from extractors.organizations import (
    OrgMention,
    OrgOverride,
    OrgResolution,
    PersonMention,
    resolve_organizations,
    resolve_people,
)
from pipeline.errors import OverridesError
from pipeline.tables import records_to_frame
from schemas.records import OrganizationRecord, PersonRecord

log = logging.getLogger(__name__)


class _OverridesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overrides: list[OrgOverride]


def load_overrides(path: Path) -> list[OrgOverride]:
    """The overrides in ``path``; none when the file does not exist yet."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        return _OverridesFile.model_validate_json(path.read_bytes()).overrides
    except (OSError, ValidationError) as exc:
        raise OverridesError(f"organisation overrides {path} cannot be used: {exc}", file=path) from exc


def save_overrides(path: Path, overrides: Sequence[OrgOverride]) -> None:
    """Write the overrides atomically (a crash leaves the old file, never half a new one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"overrides": [o.model_dump(mode="json", exclude_defaults=True) for o in overrides]}
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OverridesError(f"cannot write organisation overrides {path}: {exc}", file=path) from exc


def append_override(path: Path, override: OrgOverride) -> None:
    """Record one more reviewer decision after the existing ones (they apply in file order)."""
    save_overrides(path, [*load_overrides(path), override])


def resolve_tables(
    tables: Mapping[str, pd.DataFrame], overrides: Sequence[OrgOverride] | None = None
) -> dict[str, pd.DataFrame]:
    """The tables with ``org_id`` set on partners and contacts, and ``organizations`` and ``people`` built.

    ``organizations`` and ``people`` may be absent or stale in ``tables``: both are
    rebuilt from the partner and contact rows, so calling this twice gives the same result.
    The input frames are not modified.
    """
    out = dict(tables)
    partners, contacts = _with_org_column(tables["partners"]), _with_org_column(tables["contacts"])
    resolution = resolve_organizations(_mentions(partners, contacts), overrides or ())
    if resolution.unmatched:
        log.warning(
            "organisation overrides name nothing in this corpus (stale?): %s", ", ".join(resolution.unmatched)
        )
    partners["org_id"] = _org_ids(resolution, "partners", len(partners))
    contacts["org_id"] = _org_ids(resolution, "contacts", len(contacts))
    out["partners"], out["contacts"] = partners, contacts
    out["organizations"] = records_to_frame("organizations", _organization_records(resolution))
    out["people"] = records_to_frame("people", _person_records(contacts))
    return out


def _with_org_column(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "org_id" not in frame.columns:
        frame["org_id"] = pd.Series([None] * len(frame), index=frame.index, dtype="string")
    return frame


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _mentions(partners: pd.DataFrame, contacts: pd.DataFrame) -> list[OrgMention]:
    # Mentions are keyed by table and position, not by row id: ids may repeat before validation.
    mentions = [
        OrgMention(
            key=f"partners#{pos}",
            doc_id=str(row["doc_id"]),
            name=_text(row["name"]),
            acronym=_text(row["acronym"]),
            country=_text(row["country"]),
        )
        for pos, row in enumerate(partners[["doc_id", "name", "acronym", "country"]].to_dict("records"))
    ]
    mentions += [
        OrgMention(key=f"contacts#{pos}", doc_id=str(row["doc_id"]), name=_text(row["organization"]))
        for pos, row in enumerate(contacts[["doc_id", "organization"]].to_dict("records"))
    ]
    return mentions


def _org_ids(resolution: OrgResolution, table: str, n_rows: int) -> Any:
    # An array, not a Series: assigned by position, whatever the frame's index is.
    return pd.array([resolution.org_of.get(f"{table}#{pos}") for pos in range(n_rows)], dtype="string")


def _organization_records(resolution: OrgResolution) -> list[OrganizationRecord]:
    return [
        OrganizationRecord(
            org_id=org.org_id,
            name=org.name,
            acronym=org.acronym,
            country=org.country,
            aliases=json.dumps(list(org.aliases), ensure_ascii=False),
            parent_org_id=org.parent_org_id,
            n_documents=org.n_documents,
        )
        for org in resolution.organizations
    ]


def _person_records(contacts: pd.DataFrame) -> list[PersonRecord]:
    rows = contacts[["doc_id", "name", "role", "org_id"]].to_dict("records")
    mentions = [
        PersonMention(
            key=f"contacts#{pos}",
            doc_id=str(row["doc_id"]),
            name=_text(row["name"]),
            role=_text(row["role"]),
            org_id=_text(row["org_id"]),
        )
        for pos, row in enumerate(rows)
    ]
    return [
        PersonRecord(
            person_id=person.person_id,
            name=person.name,
            organizations=json.dumps(list(person.org_ids)),
            roles=json.dumps(list(person.roles)),
            n_documents=person.n_documents,
        )
        for person in resolve_people(mentions)
    ]
