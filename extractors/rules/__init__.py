"""Extraction rules are data: JSON files in ``extractors/rules/``, validated on load.

Each document type has one rules file; adding a label variant or a trigger
phrase means editing that file, not code. A malformed file fails loudly at
load time (``RulesError``), not halfway through a run.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extractors.errors import RulesError
from schemas.types import ContactRole, DocType, PartnerCategory


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_regexes(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
    return patterns


class ClassifySignal(_Rules):
    pattern: str
    weight: float = Field(gt=0)
    in_title: float | None = Field(default=None, gt=0)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _check_regexes([value])[0]


class ClassifyRules(_Rules):
    version: int
    min_score: float
    signals: dict[DocType, list[ClassifySignal]]


class SheetRules(_Rules):
    version: int
    doc_type: DocType
    comment: str = ""
    labels: dict[str, list[str]]
    partner_sections: dict[PartnerCategory, list[str]]
    contact_fields: dict[str, list[str]]
    target_labels: dict[str, list[str]]
    partner_group_patterns: list[str]
    partner_noise: list[str]

    @field_validator("partner_group_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return _check_regexes(value)

    @field_validator("labels")
    @classmethod
    def _required_labels(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        required = {"title", "initiation", "completion", "partners", "lead", "focal_point", "form_filler"}
        missing = required - value.keys()
        if missing:
            raise ValueError(f"labels lack {sorted(missing)}")
        return value


class TriggerRule(_Rules):
    """A phrase that introduces organisations in prose ("organised by", "funding from")."""

    pattern: str
    category: PartnerCategory
    confidence: float = Field(ge=0, le=1)
    # before: the organisation precedes the phrase ("X organised this conference").
    direction: str = Field(default="after", pattern="^(after|before)$")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _check_regexes([value])[0]


class ReportRules(_Rules):
    version: int
    doc_type: DocType
    comment: str = ""
    labels: dict[str, list[str]]
    contact_roles: dict[ContactRole, list[str]]
    partner_triggers: list[TriggerRule]
    participation_patterns: list[str]
    title_noise_patterns: list[str]

    @field_validator("participation_patterns", "title_noise_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return _check_regexes(value)


class ProgrammeRules(_Rules):
    version: int
    doc_type: DocType
    comment: str = ""
    labels: dict[str, list[str]]
    phase_patterns: list[str]
    adoption_verbs: list[str]
    partner_triggers: list[TriggerRule]
    target_labels: list[str]
    # Header cells that make each row of their table a phase ('Phase | Period | Focus', 'Period | Project').
    phase_columns: frozenset[str]

    @field_validator("phase_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return _check_regexes(value)


class CommonRules(_Rules):
    version: int
    comment: str = ""
    org_head_words: list[str]
    org_unit_words: list[str]
    street_words: list[str]
    honorifics: list[str]
    position_words: list[str]
    # Last words that make a title a position: 'City Environment and Natural Resources Officer'.
    position_heads: frozenset[str]
    # Last words of a body a post is 'of' ('Programme Officer of the India Water Partnership'):
    # bodies a person works for, unlike 'Head of the Conference Secretariat', a post in itself.
    post_of_body_heads: frozenset[str]
    # Last words of venues, never of people: 'Green Lake Hotel'.
    place_head_words: frozenset[str]
    # Words that make a place a venue rather than a town: 'Hotel Barceló San José Palacio'.
    venue_words: frozenset[str]
    name_connectors: list[str]
    # Lower-case particles inside personal names: 'Cristina Cortinas de Nava', 'Bas de Leeuw'.
    name_particles: frozenset[str]
    # Words that never stand in a personal name, though capitalised beside one: 'Symposium III',
    # 'The Bariloche Declaration', 'Opening Session'.
    not_name_words: frozenset[str]
    # Heads of names that need their 'of <country>', a state's bodies ('Government of Kenya',
    # 'National Parks Board of Singapore'): elsewhere in a sentence 'the Green Belt Movement of
    # Kenya' is the body, then its country.
    heads_keeping_of: frozenset[str]


class ProseTrigger(_Rules):
    """A phrase after which a sentence enumerates bodies in one role ("jointly organised by"), or,
    with direction 'before', after the enumeration ("... were among the organisations represented")."""

    pattern: str
    role: str
    direction: str = Field(default="after", pattern="^(after|before)$")
    # 'supported by' says less than the section it stands in: under 'Funding' it names funders.
    section_decides: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _check_regexes([value])[0]


class RoleRules(_Rules):
    """Section-role vocabularies (``roles.json``): what a heading, label or column header announces."""

    version: int
    comment: str = ""
    max_label_words: int = Field(gt=0)
    roles: dict[str, list[str]]
    stop: list[str]
    list_nouns: list[str]
    instrument_heads: list[str]
    columns: dict[str, list[str]]
    categories: dict[PartnerCategory, list[str]]
    prose_triggers: list[ProseTrigger]
    # What a contact section's heading says the block is, and the field labels inside one.
    contact_kinds: dict[Literal["focal_point", "form_filler", "secretariat"], list[str]]
    contact_fields: dict[
        Literal[
            "name_position",
            "name",
            "position",
            "organization",
            "address",
            "phone",
            "fax",
            "phone_fax",
            "email",
        ],
        list[str],
    ]

    @field_validator("prose_triggers")
    @classmethod
    def _trigger_roles_known(cls, value: list[ProseTrigger], info: Any) -> list[ProseTrigger]:
        known = set(info.data.get("roles", {}))
        unknown = {t.role for t in value} - known
        if unknown:
            raise ValueError(f"prose triggers name unknown roles {sorted(unknown)}")
        return value


def _load(name: str, model: type[BaseModel]) -> Any:
    try:
        raw = resources.files("extractors.rules").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise RulesError(f"rules file {name} is missing: {exc}") from exc
    try:
        return model.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise RulesError(f"rules file {name} is not valid JSON: {exc}") from exc
    except ValidationError as exc:
        raise RulesError(f"rules file {name} is invalid: {exc}") from exc


@lru_cache(maxsize=1)
def classify_rules() -> ClassifyRules:
    return _load("classify.json", ClassifyRules)


@lru_cache(maxsize=1)
def sheet_rules() -> SheetRules:
    return _load("information_sheet.json", SheetRules)


@lru_cache(maxsize=1)
def report_rules() -> ReportRules:
    return _load("seminar_report.json", ReportRules)


@lru_cache(maxsize=1)
def programme_rules() -> ProgrammeRules:
    return _load("programme.json", ProgrammeRules)


@lru_cache(maxsize=1)
def common_rules() -> CommonRules:
    return _load("common.json", CommonRules)


@lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    return _load("roles.json", RoleRules)


def load_all_rules() -> None:
    """Load and validate every rules file (fails fast at start-up)."""
    classify_rules()
    sheet_rules()
    report_rules()
    programme_rules()
    common_rules()
    role_rules()
