"""What extraction returns for one document, before the pipeline publishes it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.records import (
    ContactRecord,
    DateRecord,
    EventRecord,
    FactRecord,
    PartnerRecord,
    TargetRecord,
    WebsiteRecord,
)
from schemas.types import DocType


class Extraction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: DocType
    title: str | None = None
    acronym: str | None = None
    language: str | None = None
    dates: list[DateRecord] = Field(default_factory=list)
    partners: list[PartnerRecord] = Field(default_factory=list)
    contacts: list[ContactRecord] = Field(default_factory=list)
    targets: list[TargetRecord] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    websites: list[WebsiteRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    review_reasons: list[str] = Field(
        default_factory=list,
        description="Signs that facts were missed (coverage): the document goes to review.",
    )

    def facts(self) -> dict[str, list[FactRecord]]:
        return {
            "dates": list(self.dates),
            "partners": list(self.partners),
            "contacts": list(self.contacts),
            "targets": list(self.targets),
            "events": list(self.events),
            "websites": list(self.websites),
        }
