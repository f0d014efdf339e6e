"""Score extraction on a folder of raw documents with gold, without a release.

``partnerflow eval --raw DIR --gold DIR`` processes every file in-process (the
same ``process_bytes`` node a run calls, so statuses and confidences are the
ones a run publishes), rebuilds gold-shaped documents and scores them. No
Prefect server, no output folder: a measurement of extraction alone, quick
enough to run on every change over each corpus.

``--summary`` prints aggregate figures only: the form to use on the blind
corpus, whose per-document misses the person changing rules must not read.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.section_model import SectionRoleModel
from pipeline.evaluation.calibration import CalibrationReport, calibration, format_calibration
from pipeline.evaluation.gold import FACT_TABLES
from pipeline.evaluation.scoring import EvalReport, format_report, score

# Below this F1 a document's facts were likely missed: it should be in review.
POOR_F1 = 0.7


@dataclass(frozen=True)
class CorpusScore:
    report: EvalReport
    calibration: CalibrationReport
    # (document, F1, status) for every scored document
    documents: list[tuple[str, float, str | None]]

    @property
    def poor(self) -> list[tuple[str, float, str | None]]:
        return [d for d in self.documents if d[1] < POOR_F1]

    @property
    def poor_in_review(self) -> int:
        return sum(status == "needs_review" for _, _, status in self.poor)


def _predict(job: tuple[str, str, SectionRoleModel | None]) -> tuple[str, dict[str, Any]]:
    from pipeline.run.processing import process_bytes
    from pipeline.settings import Settings

    path, source, section_model = job
    result = process_bytes(
        Path(path).read_bytes(),
        source=source,
        review_threshold=Settings().review_threshold,
        section_model=section_model,
    )
    document = result.document
    doc: dict[str, Any] = {
        "doc": Path(source).name.split(".")[0],
        "doc_type": document.doc_type,
        "title": document.title,
        "acronym": document.acronym,
        "language": document.language,
        "status": document.status,
        "error": document.error,
    }
    for table in FACT_TABLES:
        doc[table] = [
            record.model_dump(mode="json", exclude={"doc_id", "char_start", "char_end", "page"})
            for record in result.facts.get(table, [])
        ]
    return doc["doc"], doc


def predict_folder(
    raw_dir: Path, *, workers: int | None = None, section_model: SectionRoleModel | None = None
) -> dict[str, dict[str, Any]]:
    """Gold-shaped predictions for every file of ``raw_dir``, keyed by file stem (before any dot).

    A stem rendered to several formats keeps the first file by name. ``section_model``: the
    learned section roles to extract with (default: the packaged model).
    """
    return predict_files(list(corpus_files(raw_dir).values()), workers=workers, section_model=section_model)


def corpus_files(raw_dir: Path) -> dict[str, Path]:
    """The file scored for each stem of a raw folder: the first by name."""
    files: dict[str, Path] = {}
    for path in sorted(p for p in Path(raw_dir).iterdir() if p.is_file() and not p.name.startswith(".")):
        files.setdefault(path.name.split(".")[0], path)
    return files


def predict_files(
    files: list[Path], *, workers: int | None = None, section_model: SectionRoleModel | None = None
) -> dict[str, dict[str, Any]]:
    """``predict_folder`` over a list of files."""
    jobs = [(str(p), p.name, section_model) for p in files]
    workers = workers or min(2, os.cpu_count() or 1)
    predicted: dict[str, dict[str, Any]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for stem, doc in pool.map(_predict, jobs):
            predicted.setdefault(stem, doc)
    return predicted


def score_corpus(
    gold: Mapping[str, Mapping[str, Any]], predicted: Mapping[str, Mapping[str, Any]], *, threshold: float
) -> CorpusScore:
    report = score(gold, predicted)
    statuses = {doc: predicted.get(doc, {}).get("status") for doc in gold}
    documents = [(d.doc, d.overall.f1, statuses.get(d.doc)) for d in report.documents]
    return CorpusScore(
        report=report,
        calibration=calibration(gold, predicted, threshold=threshold),
        documents=documents,
    )


def format_corpus_score(result: CorpusScore, *, details: bool) -> str:
    lines = [format_report(result.report, details=details), "", format_calibration(result.calibration)]
    poor = result.poor
    lines.append(f"documents under F1 {POOR_F1}: {len(poor)}, of which needs_review: {result.poor_in_review}")
    if details:
        lines += [f"  {doc}: F1 {f1:.3f} status {status}" for doc, f1, status in poor]
    return "\n".join(lines)


__all__ = [
    "POOR_F1",
    "CorpusScore",
    "StageFigures",
    "corpus_files",
    "format_corpus_score",
    "predict_files",
    "predict_folder",
    "score_corpus",
    "stage_figures",
]


# --------------------------------------------------------------------------- per-stage figures


@dataclass(frozen=True)
class StageFigures:
    """How far each stage of the cascade carries the gold facts (partners and contacts)."""

    gold_partners: int
    partner_candidates: int  # gold partners some candidate (zone, sentence or type rule) names
    partners_found: int  # gold partners a published row names
    category_right: int  # of those, with the gold category
    zoned_partners: int  # gold partners found inside a zone that has a role
    zone_role_right: int  # of those, whose zone role maps to the gold category
    gold_contacts: int
    contact_candidates: int  # gold contacts whose name or organisation some candidate names
    # Where the gold partners no candidate names stand ('item in a zone without a role', ...), and
    # the roles of the gold contacts no candidate names: what the next stage to build should read.
    missed_partners_at: Mapping[str, int] = field(default_factory=dict)
    missed_contacts_by_role: Mapping[str, int] = field(default_factory=dict)
    # Gold dates no published row gives (same role, start and end), by role and document type.
    missed_dates_by_role: Mapping[str, int] = field(default_factory=dict)

    def format(self) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / whole:.1%})" if whole else "-"

        return "\n".join(
            [
                "per-stage figures",
                f"  partners reaching the candidate stage: {share(self.partner_candidates, self.gold_partners)}",
                f"  partners published:                    {share(self.partners_found, self.gold_partners)}",
                f"  section-role accuracy (zones holding gold partners): {share(self.zone_role_right, self.zoned_partners)}",
                f"  role (category) accuracy of published partners:      {share(self.category_right, self.partners_found)}",
                f"  contacts reaching the candidate stage: {share(self.contact_candidates, self.gold_contacts)}",
                "  partners no candidate names, by where they stand:",
                *[
                    f"    {n:4d}  {where}"
                    for where, n in sorted(self.missed_partners_at.items(), key=lambda kv: -kv[1])
                ],
                "  contacts no candidate names, by role and where they stand:",
                *[
                    f"    {n:4d}  {role}"
                    for role, n in sorted(self.missed_contacts_by_role.items(), key=lambda kv: -kv[1])
                ],
                "  dates no published row gives, by role (document type):",
                *[
                    f"    {n:4d}  {role}"
                    for role, n in sorted(self.missed_dates_by_role.items(), key=lambda kv: -kv[1])
                ],
            ]
        )


def _where(name: str, zones: list) -> str:
    """The kind of place a name stands in: the piece holding it and the role of its zone."""
    from rapidfuzz import fuzz

    from extractors.bodies import PARTNER_ROLES
    from pipeline.evaluation.facts import fold

    key = fold(name)
    for zone in zones:
        role = zone.effective_role
        kind = (
            "a partner zone"
            if role in PARTNER_ROLES
            else f"a {role} zone"
            if role
            else "a zone without a role"
        )
        for piece in zone.pieces:
            if fuzz.partial_ratio(key, fold(piece.text.text)) >= 90:
                return f"{piece.kind} in {kind} ({zone.source})"
        if zone.label is not None and fuzz.partial_ratio(key, fold(zone.label.text)) >= 90:
            return f"a {zone.source} label"
    return "not in the parsed text"


def _matches(name: str, names: list[str]) -> bool:
    from rapidfuzz import fuzz

    from pipeline.evaluation.facts import fold

    key = fold(name)
    return any(fuzz.ratio(key, fold(n)) >= 90 for n in names)


def stage_figures(raw_dir: Path, gold: Mapping[str, Mapping[str, Any]]) -> StageFigures:
    """Run the stages one by one on each document with gold and count what reaches each."""
    from extractors.bodies import partner_category, prose_candidates, zone_candidates
    from extractors.classify import classify
    from extractors.common import ExtractionContext
    from extractors.extract import extract_document
    from extractors.parsing import parse_document
    from extractors.people import people_in_zones
    from extractors.structure import document_zones

    counts = dict.fromkeys(["gp", "pc", "pf", "cr", "zp", "zr", "gc", "cc"], 0)
    missed_at: Counter[str] = Counter()
    missed_roles: Counter[str] = Counter()
    missed_dates: Counter[str] = Counter()
    files = corpus_files(raw_dir)
    for stem, expected in gold.items():
        path = files.get(stem)
        if path is None:
            continue
        try:
            parsed = parse_document(path.read_bytes(), path.name)
        except Exception:  # a failed parse reaches no stage; its facts count as missed
            parsed = None
        partners = expected.get("partners") or []
        contacts = expected.get("contacts") or []
        counts["gp"] += len(partners)
        counts["gc"] += len(contacts)
        if parsed is None:
            continue
        doc_type = classify(parsed).doc_type
        extraction = extract_document(parsed, "stage")
        ctx = ExtractionContext.create(parsed, "stage")
        zones = document_zones(parsed, explicit_breaks=ctx.explicit_breaks, learned=ctx.section_model)
        candidates = [*zone_candidates(zones), *prose_candidates(zones)]
        candidate_names = [c.item.name.text for c in candidates] + [p.name for p in extraction.partners]
        published = {p.name: p for p in extraction.partners}
        for partner in partners:
            name = partner["name"]
            reached = _matches(name, candidate_names)
            counts["pc"] += reached
            if not reached:
                missed_at[_where(name, zones)] += 1
            found = next((p for n, p in published.items() if _matches(name, [n])), None)
            if found is not None:
                counts["pf"] += 1
                counts["cr"] += found.category == partner.get("category")
            zoned = [c for c in candidates if _matches(name, [c.item.name.text])]
            if zoned:
                counts["zp"] += 1
                category, _ = partner_category(zoned[0].role, doc_type, name)
                counts["zr"] += category == partner.get("category")
        people = people_in_zones(ctx, zones)
        contact_names = [c.name for c in extraction.contacts if c.name] + [c.name for c in people if c.name]
        contact_orgs = [c.organization for c in extraction.contacts if c.organization]
        for contact in contacts:
            reached = False
            if contact.get("name"):
                reached = _matches(contact["name"], contact_names)
            elif contact.get("organization"):
                reached = _matches(contact["organization"], contact_orgs)
            counts["cc"] += reached
            if not reached:
                where = _where(contact.get("name") or contact.get("organization") or "", zones)
                missed_roles[f"{contact.get('role')}: {where}"] += 1
        given = {(d.role, d.start, d.end) for d in extraction.dates}
        for date in expected.get("dates") or []:
            if (date.get("role"), date.get("start"), date.get("end")) not in given:
                missed_dates[f"{date.get('role')} ({doc_type})"] += 1
    return StageFigures(
        gold_partners=counts["gp"],
        partner_candidates=counts["pc"],
        partners_found=counts["pf"],
        category_right=counts["cr"],
        zoned_partners=counts["zp"],
        zone_role_right=counts["zr"],
        gold_contacts=counts["gc"],
        contact_candidates=counts["cc"],
        missed_partners_at=dict(missed_at),
        missed_contacts_by_role=dict(missed_roles),
        missed_dates_by_role=dict(missed_dates),
    )
