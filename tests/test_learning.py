"""Learned section roles and the loop from reviewers' corrections back to extraction.

A wording no vocabulary covers ("Institutions involved") loses the bodies under it. Once
reviewers have added those bodies on a few documents, training learns the label's role from
the corrected documents, and the next extraction of another document worded the same way
finds them; a word seen in one document only teaches nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from extractors.extract import extract_document
from extractors.parsing import parse_document
from extractors.section_model import NO_ROLE, RoleExample, SectionRoleModel, fit
from pipeline.corrections.apply import apply_corrections
from pipeline.corrections.model import Correction
from pipeline.corrections.propose import propose_add
from pipeline.evaluation.gold import predictions_from_tables
from pipeline.evaluation.reviewed import reviewed_documents, split_held_back
from pipeline.evaluation.scoring import score
from pipeline.evaluation.simulated_review import simulate_review
from pipeline.evaluation.training import _Annotated, section_examples
from pipeline.run.processing import process_bytes
from pipeline.tables import records_to_frame
from schemas.records import TABLE_MODELS

UNCOVERED = "Institutions involved"
BODIES = [
    ("Mekong River Commission", "Asian Institute of Technology"),
    ("Bangladesh Water Partnership", "Global Water Partnership"),
    ("Nepal Water Conservation Foundation", "International Water Management Institute"),
    ("Pacific Water Association", "South Pacific Applied Geoscience Commission"),
    ("Lake Chad Basin Commission", "Niger Basin Authority"),
]
EMPTY = fit([])


def _report(title: str, bodies: tuple[str, ...]) -> bytes:
    items = "".join(f"<li>{b}</li>" for b in bodies)
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<p>The regional seminar was held on 3 March 2008 in Bangkok, Thailand, to review progress "
        "on integrated water resources management.</p>"
        f"<h2>{UNCOVERED}</h2><ul>{items}</ul>"
        "<h2>Background</h2><p>The seminar followed the first meeting of the network in 2006.</p>"
        "</body></html>"
    ).encode()


def _examples(label: str, role: str, documents: int) -> list[RoleExample]:
    return [RoleExample(label, role, document=f"doc{i}") for i in range(documents)]


def test_a_label_no_vocabulary_covers_gets_the_role_its_training_labels_showed() -> None:
    model = fit(
        _examples("Institutions involved", "participant", 3)
        + _examples("Institutions involved in the network", "participant", 2)
        + _examples("Background and history", NO_ROLE, 6)
        + _examples("Expected outcomes", NO_ROLE, 6)
    )
    assert model.role("INSTITUTIONS INVOLVED:") == "participant"  # case and punctuation do not matter
    assert model.role("3. Institutions involved") == "participant"
    assert model.role("Background") is None  # a label without bodies has no role
    assert model.role("Acknowledgements") is None  # no word seen in training: no guess


def test_a_word_from_one_document_only_teaches_nothing() -> None:
    model = fit(_examples("Kitakyushu Initiative network", "participant", 1) + _examples("Notes", NO_ROLE, 4))
    assert model.role("Kitakyushu Initiative network") is None


def test_the_model_is_data_that_reads_back_to_the_same_roles() -> None:
    model = fit(_examples(UNCOVERED, "participant", 3) + _examples("Background", NO_ROLE, 3))
    again = SectionRoleModel.model_validate_json(model.model_dump_json())
    assert again == model and again.role(UNCOVERED) == model.role(UNCOVERED) == "participant"


def test_a_learned_role_opens_a_partner_zone_and_the_vocabulary_still_wins() -> None:
    doc = parse_document(_report("Water Seminar", BODIES[0]), "r.html")
    before = extract_document(doc, "d", section_model=EMPTY)
    assert not {p.name for p in before.partners} & set(BODIES[0])
    # A model that (wrongly) learned 'Background' as a partner section cannot override the
    # vocabulary, which names it a section without bodies.
    model = fit(_examples(UNCOVERED, "participant", 3) + _examples("Background", "participant", 3))
    after = extract_document(doc, "d", section_model=model)
    assert {p.name: p.category for p in after.partners if p.name in BODIES[0]} == dict.fromkeys(
        BODIES[0], "participant"
    )
    assert not any("network" in p.name for p in after.partners)


def _tables(raw: Path) -> dict[str, pd.DataFrame]:
    """A run's tables for the files of ``raw``, extracted with the vocabularies only."""
    rows: dict[str, list] = {name: [] for name in TABLE_MODELS}
    for path in sorted(raw.iterdir()):
        result = process_bytes(path.read_bytes(), source=path.name, section_model=EMPTY)
        rows["documents"].append(result.document)
        for table, records in result.facts.items():
            rows[table] += records
    return {name: records_to_frame(name, records) for name, records in rows.items()}


def _ledger(entries) -> list[Correction]:
    return [
        Correction(**e.model_dump(), id=i, created_at="2026-12-06T00:00:00Z")
        for i, e in enumerate(entries, 1)
    ]


def test_partners_reviewers_added_teach_the_label_to_the_next_documents(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, bodies in enumerate(BODIES):
        (raw / f"seminar{i}.html").write_bytes(_report(f"Water Seminar {i}", bodies))
    tables = _tables(raw)
    documents = tables["documents"].set_index("source")
    # A reviewer adds the missed bodies on the first three documents.
    added = [
        propose_add(
            tables,
            "partners",
            str(documents.loc[f"seminar{i}.html", "doc_id"]),
            {"name": name, "category": "participant"},
            reviewer="ana",
        )
        for i in range(3)
        for name in BODIES[i]
    ]
    ledger = _ledger(added)
    corrected, conflicts = apply_corrections(tables, ledger)
    assert not conflicts
    reviewed = reviewed_documents(corrected, ledger, raw)
    assert sorted(d.stem for d in reviewed) == ["seminar0", "seminar1", "seminar2"]
    first = next(d for d in reviewed if d.stem == "seminar0")
    assert {p["name"] for p in first.reference["partners"]} >= set(BODIES[0])
    model = fit(
        section_examples([_Annotated(d.path, d.reference, 1.0, "corrections", "reviewed") for d in reviewed])
    )
    assert set(model.trained_on) == {"corrections"}
    # The next document worded the same way, which nobody corrected, now has its bodies.
    unseen = parse_document((raw / "seminar4.html").read_bytes(), "seminar4.html")
    found = {p.name for p in extract_document(unseen, "d", section_model=model).partners}
    assert set(BODIES[4]) <= found
    assert not set(BODIES[4]) & {p.name for p in extract_document(unseen, "d", section_model=EMPTY).partners}


def test_the_simulated_reviewer_corrects_an_extraction_into_its_gold(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seminar.html").write_bytes(_report("Water Seminar", BODIES[0]))
    tables = _tables(raw)
    gold = {
        "seminar": {
            "doc": "seminar",
            "doc_type": "seminar_report",
            "title": "Water Seminar",
            "partners": [
                {"name": BODIES[0][0], "category": "participant", "country": None, "lead": False},
                {"name": BODIES[0][1], "category": "organizer", "country": "TH", "lead": False},
            ],
            "events": [],
            "dates": [],
            "contacts": [],
            "targets": [],
            "websites": [],
        }
    }
    corrections, refused = simulate_review(tables, gold)
    assert refused == 0 and {c.action for c in corrections} >= {"add"}
    corrected, conflicts = apply_corrections(tables, _ledger(corrections))
    assert not conflicts
    report = score(gold, predictions_from_tables(corrected))
    assert report.families["partners"].f1 == 1.0
    assert report.overall.fn == 0  # every gold fact is there once corrected


def test_the_held_back_half_is_stable_and_apart_from_what_is_learned(tmp_path: Path) -> None:
    from pipeline.evaluation.reviewed import ReviewedDocument

    docs = [
        ReviewedDocument(hashlib.sha256(str(i).encode()).hexdigest()[:16], tmp_path, {"doc": str(i)})
        for i in range(7)
    ]
    learned, held = split_held_back(docs)
    assert len(learned) == 4 and len(held) == 3
    assert not {d.doc_id for d in learned} & {d.doc_id for d in held}
    assert split_held_back(list(reversed(docs))) == (learned, held)  # not the order they came in
