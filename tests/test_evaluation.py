"""Scoring against gold (pipeline/evaluation/), per the rules of docs/GOLD.md."""

from __future__ import annotations

import copy
import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.evaluation.calibration import calibration, format_calibration
from pipeline.evaluation.facts import FAMILIES, gold_facts, predicted_facts
from pipeline.evaluation.gold import load_gold, load_predictions
from pipeline.evaluation.scoring import EvalReport, format_report, score
from schemas.records import (
    ContactRecord,
    DateRecord,
    DocumentRecord,
    EventRecord,
    PartnerRecord,
    Record,
    TargetRecord,
    WebsiteRecord,
)

GOLD_DIR = Path(__file__).parent / "gold"
GOLD = load_gold(GOLD_DIR)


def gold(doc: str) -> dict[str, Any]:
    return copy.deepcopy(GOLD[doc])


def score_one(gold_doc: dict[str, Any], predicted: dict[str, Any] | None) -> EvalReport:
    key = gold_doc["doc"]
    return score({key: gold_doc}, {key: predicted} if predicted is not None else {})


def partner(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["partners"] if p["name"] == name)


def test_gold_files_are_loaded_by_stem() -> None:
    assert set(GOLD) == {path.stem for path in GOLD_DIR.glob("*.json")}
    assert len(GOLD) >= 5


@pytest.mark.parametrize("doc", sorted(GOLD))
def test_gold_scored_against_itself_is_perfect(doc: str) -> None:
    report = score_one(gold(doc), gold(doc))

    n_facts = len(gold_facts(GOLD[doc]))
    assert report.overall.tp == n_facts > 0
    assert (report.overall.fp, report.overall.fn) == (0, 0)
    for family in FAMILIES:
        counts = report.families[family]
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), family
    assert report.document(doc).missed == report.document(doc).extra == []


def test_facts_follow_gold_md() -> None:
    facts = {str(fact) for fact in gold_facts(GOLD["aspro_sheet"])}

    assert "document.doc_type=information_sheet" in facts
    assert "dates.date[initiation]=2002-10" in facts
    assert "partners.country[Japan International Cooperation Agency]=JP" in facts
    assert "partners.lead[City of Kitakyushu (lead)]=True" in facts
    # Nulls state nothing, and the partner acronym, date text and language are not scored.
    assert "partners.category[City of Kitakyushu (lead)]=None" not in facts
    assert not any(".acronym" in fact or ".language" in fact or ".text" in fact for fact in facts)
    assert gold_facts(GOLD["aspro_sheet"]) == predicted_facts(GOLD["aspro_sheet"])


def test_removing_one_partner_lowers_recall_by_its_facts() -> None:
    doc = gold("kanagawa_declaration_sheet")
    total = score_one(doc, doc).families["partners"].tp
    predicted = gold("kanagawa_declaration_sheet")
    predicted["partners"] = [p for p in predicted["partners"] if p["name"] != "Phnom Penh Municipality"]

    counts = score_one(doc, predicted).families["partners"]

    # name, category and country of the removed partner
    assert (counts.tp, counts.fp, counts.fn) == (total - 3, 0, 3)
    assert counts.recall == pytest.approx((total - 3) / total)
    assert counts.precision == 1.0


def test_wrong_value_is_a_miss_and_an_extra() -> None:
    doc = gold("kanagawa_declaration_sheet")
    predicted = gold("kanagawa_declaration_sheet")
    partner(predicted, "Phnom Penh Municipality")["country"] = "TH"

    report = score_one(doc, predicted)

    counts = report.families["partners"]
    assert (counts.fp, counts.fn) == (1, 1)
    assert report.document(doc["doc"]).missed == [
        "partners.country[Phnom Penh Municipality]: expected KH, got TH"
    ]


def test_missing_attribute_is_reported_readably() -> None:
    doc = gold("kanagawa_declaration_sheet")
    predicted = gold("kanagawa_declaration_sheet")
    partner(predicted, "Phnom Penh Municipality")["country"] = None

    report = score_one(doc, predicted)

    assert report.document(doc["doc"]).missed == [
        "partners.country[Phnom Penh Municipality]: expected KH, got None"
    ]
    assert report.families["partners"].fp == 0


def test_phone_matches_by_digits_only() -> None:
    doc = gold("aspro_sheet")
    predicted = gold("aspro_sheet")
    predicted["contacts"][0]["phone"] = "+81 (93) 582-3804"
    predicted["contacts"][0]["fax"] = "+81-93-582-2196"
    assert score_one(doc, predicted).families["contacts"].fn == 0

    predicted["contacts"][0]["phone"] = "+81 (93) 582-3805"
    counts = score_one(doc, predicted).families["contacts"]
    assert (counts.fp, counts.fn) == (1, 1)


def test_country_where_gold_is_null_is_no_error() -> None:
    doc = gold("aspro_sheet")
    assert partner(doc, "Ube City")["country"] is None
    predicted = gold("aspro_sheet")
    partner(predicted, "Ube City")["country"] = "JP"

    counts = score_one(doc, predicted).families["partners"]

    assert (counts.fp, counts.fn) == (0, 0)


def test_other_attribute_where_gold_is_null_is_a_false_positive() -> None:
    doc = gold("japan_national_seminar_2003")
    secretariat = next(c for c in doc["contacts"] if c["role"] == "secretariat")
    assert secretariat["position"] is None
    predicted = gold("japan_national_seminar_2003")
    next(c for c in predicted["contacts"] if c["role"] == "secretariat")["position"] = "Director"

    report = score_one(doc, predicted)

    counts = report.families["contacts"]
    assert (counts.fp, counts.fn) == (1, 0)
    assert report.document(doc["doc"]).extra == [
        f"contacts.position[secretariat: {secretariat['organization']}]: got Director, expected None"
    ]


def test_lead_predicted_for_a_non_lead_partner_is_a_false_positive() -> None:
    doc = gold("aspro_sheet")
    predicted = gold("aspro_sheet")
    partner(predicted, "Ube City")["lead"] = True

    counts = score_one(doc, predicted).families["partners"]

    assert (counts.fp, counts.fn) == (1, 0)


def test_fuzzy_names_match_at_90_and_different_names_do_not() -> None:
    doc = gold("thematic_seminar_6_2004")
    predicted = gold("thematic_seminar_6_2004")
    partner(predicted, "Japan Bank for International Cooperation")["name"] = (
        "“Japan  Bank for International Cooperatoin”"
    )
    assert score_one(doc, predicted).families["partners"].fn == 0

    partner(predicted, "World Bank")["name"] = "Asian Development Bank"
    counts = score_one(doc, predicted).families["partners"]
    # The unmatched gold partner loses name, category; the invented one adds name and category.
    assert (counts.fp, counts.fn) == (2, 2)


def test_a_name_contained_in_another_is_not_the_same_partner() -> None:
    # Why names use plain ratio, not token-set (which scores a subset 100): gold lists
    # "Kitakyushu" and "Kitakyushu City" as two partners of one report.
    body = {"acronym": None, "category": "organizer", "country": "JP", "lead": False}
    doc = {"doc": "report", "doc_type": "seminar_report", "title": "X"}
    gold_doc = {**doc, "partners": [{**body, "name": "Kitakyushu City"}]}
    predicted = {**doc, "partners": [{**body, "name": "Kitakyushu"}]}

    counts = score_one(gold_doc, predicted).families["partners"]

    assert (counts.tp, counts.fp, counts.fn) == (0, 3, 3)


def test_lead_entry_and_section_entry_of_one_body_align_separately() -> None:
    body = {"name": "City of Kitakyushu", "acronym": None, "country": "JP"}
    doc = {
        "doc": "sheet",
        "doc_type": "information_sheet",
        "title": "X",
        "partners": [
            {**body, "category": "government", "lead": False},
            {**body, "category": None, "lead": True},
        ],
    }
    predicted = copy.deepcopy(doc)
    predicted["partners"].reverse()

    assert score_one(doc, predicted).overall.f1 == 1.0

    # Only the section entry predicted: the lead entry's facts are missed, nothing is invented.
    predicted["partners"] = [predicted["partners"][1]]
    counts = score_one(doc, predicted).families["partners"]
    assert (counts.fp, counts.fn) == (0, 3)


def test_contacts_align_by_role() -> None:
    doc = gold("japan_national_seminar_2003")
    predicted = gold("japan_national_seminar_2003")
    chair = next(c for c in predicted["contacts"] if c["role"] == "chair")
    chair["role"] = "speaker"

    counts = score_one(doc, predicted).families["contacts"]

    # name, position, organization of the chair: missed, and invented as a speaker
    assert (counts.fp, counts.fn) == (3, 3)


def test_targets_websites_and_dates() -> None:
    doc = gold("aspro_sheet")
    predicted = gold("aspro_sheet")
    predicted["targets"][1]["text"] = "Launch of the model projects in Cebu and Surabaya."
    predicted["websites"] = [url.upper() + "/" for url in predicted["websites"]]
    report = score_one(doc, predicted)
    assert report.overall.fp == report.overall.fn == 0

    predicted["targets"][1]["year"] = 2003
    predicted["dates"][0]["start"] = "2002"
    report = score_one(doc, predicted)
    assert (report.families["targets"].fp, report.families["targets"].fn) == (1, 1)
    assert (report.families["dates"].fp, report.families["dates"].fn) == (1, 1)


def test_document_missing_from_predictions_is_all_misses() -> None:
    report = score(GOLD, {doc: GOLD[doc] for doc in GOLD if doc != "aspro_sheet"})

    missing = report.document("aspro_sheet")
    n_facts = len(gold_facts(GOLD["aspro_sheet"]))
    assert missing.missing
    assert report.missing_documents == ["aspro_sheet"]
    assert (missing.overall.tp, missing.overall.fp, missing.overall.fn) == (0, 0, n_facts)
    assert len(missing.missed) == n_facts
    assert (missing.overall.precision, missing.overall.recall) == (0.0, 0.0)
    assert report.overall.fn == n_facts


def test_documents_without_gold_are_listed_not_scored() -> None:
    report = score({"aspro_sheet": GOLD["aspro_sheet"]}, {"aspro_sheet": GOLD["aspro_sheet"], "other": {}})

    assert report.unscored_documents == ["other"]
    assert report.overall.fp == 0


def test_format_report_shows_scores_and_details() -> None:
    predicted = gold("kanagawa_declaration_sheet")
    partner(predicted, "Phnom Penh Municipality")["country"] = "TH"
    report = score(GOLD, {"kanagawa_declaration_sheet": predicted})

    text = format_report(report)

    assert "partners" in text and "overall" in text
    assert "partners.country[Phnom Penh Municipality]: expected KH, got TH" in text
    assert "aspro_sheet: P 0.000" in text
    assert "expected KH, got TH" not in format_report(report, details=False)


# --------------------------------------------------------------------------- load_predictions

PROVENANCE = {"char_start": 0, "char_end": 1, "method": "test", "confidence": 1.0}


def dataset_tables(
    docs: dict[str, dict[str, Any]], *, suffix: str = ".pdf", status: str = "ok"
) -> dict[str, pd.DataFrame]:
    """Published tables, built through the record models so their columns are the schema's."""
    rows: dict[str, list[Record]] = {name: [] for name in ("documents", *FACT_TABLE_MODELS)}
    for stem, doc in docs.items():
        digest = hashlib.sha256(stem.encode()).hexdigest()
        doc_id = digest[:16]
        rows["documents"].append(
            DocumentRecord(
                doc_id=doc_id,
                source=f"sub/{stem}{suffix}",
                sha256=digest,
                media_type="application/pdf",
                doc_type=doc["doc_type"],
                title=doc["title"],
                acronym=doc.get("acronym"),
                language=doc.get("language"),
                status=status,
                extracted_at=datetime(2024, 1, 1, tzinfo=UTC),
                extractor_version="test",
            )
        )
        for table, model in FACT_TABLE_MODELS.items():
            for item in doc.get(table, []):
                fields = {"url": item} if table == "websites" else item
                rows[table].append(model(doc_id=doc_id, **PROVENANCE, **fields))
    models: dict[str, type[Record]] = {"documents": DocumentRecord, **FACT_TABLE_MODELS}
    return {
        name: pd.DataFrame([r.model_dump() for r in records], columns=list(models[name].model_fields))
        for name, records in rows.items()
    }


FACT_TABLE_MODELS: dict[str, type[Record]] = {
    "dates": DateRecord,
    "partners": PartnerRecord,
    "contacts": ContactRecord,
    "targets": TargetRecord,
    "events": EventRecord,
    "websites": WebsiteRecord,
}


def test_load_predictions_round_trip_through_parquet(tmp_path: Path) -> None:
    for name, frame in dataset_tables(GOLD).items():
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)

    predicted = load_predictions(tmp_path)

    assert set(predicted) == set(GOLD)
    report = score(GOLD, predicted)
    assert (report.overall.fp, report.overall.fn) == (0, 0)
    assert report.overall.tp == sum(len(gold_facts(doc)) for doc in GOLD.values())


def test_load_predictions_falls_back_to_csv_and_tolerates_missing_tables(tmp_path: Path) -> None:
    doc = gold("kanagawa_declaration_sheet")
    partner(doc, "Phnom Penh Municipality")["country"] = "NA"  # a country code pandas would read as null
    for name, frame in dataset_tables({doc["doc"]: doc}).items():
        if name != "targets":
            frame.to_csv(tmp_path / f"{name}.csv", index=False)

    (tmp_path / "events.csv").write_text("", encoding="utf-8")  # a table without rows, written without header

    predicted = load_predictions(tmp_path)["kanagawa_declaration_sheet"]

    assert partner(predicted, "Phnom Penh Municipality")["country"] == "NA"
    assert partner(predicted, "Kanagawa Prefectural Government")["lead"] is True
    assert predicted["contacts"][0]["phone"] == "+81452104065"
    assert predicted["targets"] == []
    report = score({doc["doc"]: doc}, {doc["doc"]: predicted})
    assert report.families["targets"].fn == len(doc["targets"])
    assert report.overall.fn == len(doc["targets"]) and report.overall.fp == 0


def test_load_predictions_keeps_failed_documents(tmp_path: Path) -> None:
    doc = gold("aspro_sheet")
    tables = dataset_tables({"aspro_sheet": {**doc, "partners": [], "contacts": []}}, status="failed")
    for name, frame in tables.items():
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)

    report = score({"aspro_sheet": doc}, load_predictions(tmp_path))

    assert not report.document("aspro_sheet").missing
    assert report.families["partners"].fn == sum(fact.family == "partners" for fact in gold_facts(doc)) > 0
    assert report.families["dates"].fn == 0


def test_load_predictions_keys_by_stem_and_warns_on_clashes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pdf = dataset_tables({"aspro_sheet": gold("aspro_sheet")}, suffix=".pdf")
    docx = dataset_tables({"aspro_sheet": {**gold("aspro_sheet"), "title": "Other"}}, suffix=".docx")
    docx["documents"]["doc_id"] = "ffffffffffffffff"
    docx["documents"]["sha256"] = "f" * 64
    pd.concat([pdf["documents"], docx["documents"]]).to_parquet(tmp_path / "documents.parquet")

    with caplog.at_level(logging.WARNING, logger="pipeline.evaluation.gold"):
        predicted = load_predictions(tmp_path)
    assert list(predicted) == ["aspro_sheet"]
    assert predicted["aspro_sheet"]["title"] == "Other"  # sub/aspro_sheet.docx sorts first
    assert "aspro_sheet" in caplog.text

    by_source = load_predictions(tmp_path, key=lambda row: row["source"])
    assert set(by_source) == {"sub/aspro_sheet.pdf", "sub/aspro_sheet.docx"}


def test_load_gold_rejects_a_file_named_after_another_document(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"doc": "b", "doc_type": "unknown"}', encoding="utf-8")
    with pytest.raises(ValueError, match="named after"):
        load_gold(tmp_path)


def test_calibration_counts_a_row_right_only_when_every_fact_matches() -> None:
    truth = gold("kanagawa_declaration_sheet")
    predicted = copy.deepcopy(truth)
    for table in ("dates", "partners", "contacts", "targets", "events"):
        for row in predicted.get(table) or []:
            row["confidence"] = 0.95
    predicted["websites"] = [{"url": url, "confidence": 0.95} for url in truth.get("websites") or []]
    predicted["partners"][0]["country"] = "ZZ" if predicted["partners"][0].get("country") != "ZZ" else "JP"
    predicted["partners"][1]["confidence"] = 0.4
    predicted["partners"].append({"name": "Invented Body", "category": "other", "confidence": 0.6})
    predicted["status"] = "needs_review"

    report = calibration({"k": truth}, {"k": predicted}, threshold=0.5)

    assert report.rows == report.correct + 2  # the wrong country and the invented body
    assert report.high_rows == report.rows - 2
    assert report.high_correct == report.high_rows - 1
    assert report.below_threshold == 1
    assert (report.documents, report.needs_review) == (1, 1)
    assert sum(b.rows for b in report.bins) == report.rows
    assert "precision" in format_calibration(report)
