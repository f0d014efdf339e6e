"""Validation before publish (pipeline/release/validation.py): each rule is caught, repaired or refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.errors import PublishError
from pipeline.release.organizations import resolve_tables
from pipeline.release.publish import list_releases, publish_release, read_current
from pipeline.release.validation import apply_validation, ensure_publishable, validate_tables
from pipeline.tables import records_to_frame
from schemas.records import (
    TABLE_MODELS,
    ContactRecord,
    DateRecord,
    DocumentRecord,
    EventRecord,
    PageRecord,
    PartnerRecord,
    TargetRecord,
    WebsiteRecord,
    with_stable_id,
)

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
DOC = "d0c0000000000001"
OTHER_DOC = "d0c0000000000002"


def _provenance(doc_id: str = DOC, start: int = 0) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "page": 1,
        "char_start": start,
        "char_end": start + 10,
        "method": "test",
        "confidence": 0.9,
    }


def valid_tables() -> dict[str, pd.DataFrame]:
    """A small release that meets the contract: two documents, a few facts of every table."""
    documents = [
        DocumentRecord(
            doc_id=doc_id,
            source=f"{doc_id}.pdf",
            sha256=doc_id[-1] * 64,
            media_type="application/pdf",
            doc_type="information_sheet",
            title=f"Initiative {doc_id}",
            language="en",
            n_pages=1,
            status="ok",
            extracted_at=NOW,
            extractor_version="0.1.0",
        )
        for doc_id in (DOC, OTHER_DOC)
    ]
    pages = [
        PageRecord(page_id=f"{d}-p1", doc_id=d, page=1, char_start=0, char_end=500, text="text")
        for d in (DOC, OTHER_DOC)
    ]
    partners = [
        PartnerRecord(
            name="Japan Bank for International Cooperation",
            acronym="JBIC",
            category="igo",
            country="JP",
            **_provenance(),
        ),
        PartnerRecord(name="City of Kitakyushu", country="JP", lead=True, **_provenance(start=20)),
        PartnerRecord(
            name="Japan Bank for International Cooperation", category="other", **_provenance(OTHER_DOC)
        ),
    ]
    contacts = [
        ContactRecord(
            role="focal_point",
            name="Koichi Sueyoshi",
            organization="City of Kitakyushu",
            phone="+81935823804",
            fax="+81935822196",
            email="k.sueyoshi@city.kitakyushu.jp",
            **_provenance(start=40),
        ),
        ContactRecord(role="speaker", name="Yoshihiko Kono", organization="JBIC", **_provenance(OTHER_DOC)),
    ]
    dates = [
        DateRecord(role="initiation", start="2002-10", text="October 2002", **_provenance()),
        DateRecord(role="completion", start="2005", end="2010", text="2005-2010", **_provenance(start=30)),
    ]
    events = [
        EventRecord(
            name="6th Thematic Seminar",
            start="2004-07-02",
            end="2004-07-03",
            city="Kitakyushu",
            country="JP",
            **_provenance(OTHER_DOC),
        )
    ]
    targets = [TargetRecord(year=2005, text="Model projects in Cebu", **_provenance())]
    websites = [WebsiteRecord(url="http://www.iges.or.jp/kitakyushu", **_provenance())]
    facts = {
        "partners": partners,
        "contacts": contacts,
        "dates": dates,
        "events": events,
        "targets": targets,
        "websites": websites,
    }
    tables = {
        "documents": records_to_frame("documents", documents),
        "pages": records_to_frame("pages", pages),
        **{name: records_to_frame(name, [with_stable_id(r) for r in rows]) for name, rows in facts.items()},
    }
    return resolve_tables(tables)


def _set(table: str, column: str, value: Any, row: int = 0) -> Callable[[dict[str, pd.DataFrame]], None]:
    def corrupt(tables: dict[str, pd.DataFrame]) -> None:
        frame = tables[table]
        try:
            frame.iat[row, frame.columns.get_loc(column)] = value
        except (TypeError, ValueError):  # a value the dtype cannot hold: the column becomes object
            frame[column] = frame[column].astype(object)
            frame.iat[row, frame.columns.get_loc(column)] = value

    return corrupt


def _duplicate_row(table: str) -> Callable[[dict[str, pd.DataFrame]], None]:
    def corrupt(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = pd.concat([tables[table], tables[table].iloc[[0]]], ignore_index=True)

    return corrupt


# (corruption, table, rule, column, severity, action): one case per rule, plus the variants a
# rule distinguishes (nullable column -> value nulled; required column -> row dropped).
ROW_RULES = [
    (_set("partners", "category", "sponsor"), "partners", "vocabulary", "category", "error", "null_value"),
    (_set("contacts", "role", "boss"), "contacts", "vocabulary", "role", "error", "drop_row"),
    (_set("dates", "start", "2002-13"), "dates", "iso_date", "start", "error", "drop_row"),
    (_set("events", "end", "2004-02-30"), "events", "iso_date", "end", "error", "null_value"),
    (_set("dates", "end", "2003", row=1), "dates", "date_order", None, "error", "drop_row"),
    (_set("events", "end", "2004-06", row=0), "events", "date_order", None, "error", "drop_row"),
    (_set("partners", "country", "XX"), "partners", "country", "country", "error", "null_value"),
    (_set("events", "country", "jp"), "events", "country", "country", "error", "null_value"),
    (_set("contacts", "email", "k.sueyoshi@@city"), "contacts", "email", "email", "error", "null_value"),
    (_set("contacts", "email", "K.Sueyoshi@City.jp"), "contacts", "email", "email", "error", "replace_value"),
    (_set("contacts", "phone", "+8193"), "contacts", "phone", "phone", "error", "null_value"),
    (_set("contacts", "fax", "+81-93-582-2196"), "contacts", "phone", "fax", "error", "null_value"),
    (_set("contacts", "phone", "093-582-3804"), "contacts", "phone_not_e164", "phone", "warning", "none"),
    (_duplicate_row("partners"), "partners", "unique_id", "partner_id", "error", "drop_row"),
    (_set("websites", "doc_id", "ffffffffffffffff"), "websites", "orphan_doc", "doc_id", "error", "drop_row"),
    (_set("targets", "char_start", 99), "targets", "span", None, "error", "drop_row"),
    (_set("pages", "char_end", -1, row=1), "pages", "span", None, "error", "drop_row"),
    (_set("partners", "confidence", 1.5), "partners", "confidence", "confidence", "error", "drop_row"),
    (_set("dates", "text", None), "dates", "not_null", "text", "error", "drop_row"),
    (
        _set("partners", "org_id", "0000000000000000"),
        "partners",
        "orphan_org",
        "org_id",
        "error",
        "null_value",
    ),
    (_set("targets", "year", 1800), "targets", "model", "year", "error", "null_value"),
    (_set("documents", "doc_type", "brochure"), "documents", "vocabulary", "doc_type", "error", "none"),
    (_set("organizations", "aliases", "JBIC"), "organizations", "json_list", "aliases", "error", "none"),
]


def _one(report: Any, table: str, rule: str) -> Any:
    found = [v for v in report.violations if v.table == table and v.rule == rule]
    assert len(found) == 1, report.violations
    return found[0]


def test_valid_tables_have_no_violation_and_publish(tmp_path: Path) -> None:
    tables = valid_tables()
    assert set(tables) == set(TABLE_MODELS)
    report = validate_tables(tables)
    assert report.violations == []
    assert ensure_publishable(tables).violations == []
    release = publish_release(tables, tmp_path, raw_dir=tmp_path, raw_files=[], code_version="test")
    assert read_current(tmp_path) == release.resolve()


@pytest.mark.parametrize(
    ("corrupt", "table", "rule", "column", "severity", "action"),
    ROW_RULES,
    ids=[f"{case[1]}-{case[2]}-{case[5]}" for case in ROW_RULES],
)
def test_each_row_rule_is_caught_and_repaired(
    corrupt: Callable[[dict[str, pd.DataFrame]], None],
    table: str,
    rule: str,
    column: str | None,
    severity: str,
    action: str,
) -> None:
    tables = valid_tables()
    corrupt(tables)
    report = validate_tables(tables)
    assert len(report.violations) == 1, report.violations  # the rule, and no other rule, fires
    violation = _one(report, table, rule)
    assert (violation.column, violation.severity, violation.action) == (column, severity, action)

    repaired = apply_validation(tables, report)
    if action == "none" and severity == "error":
        # Entity rows built by our code are not silently repaired: the release is refused.
        with pytest.raises(PublishError, match=re.escape(violation.message)):
            ensure_publishable(repaired)
        return
    assert ensure_publishable(repaired).errors == []
    before, after = len(tables[table]), len(repaired[table])
    assert after == (before - 1 if action == "drop_row" else before)
    if action in ("null_value", "replace_value"):
        value = repaired[table].iat[violation.row, repaired[table].columns.get_loc(column)]
        expected = violation.replacement if action == "replace_value" else None
        assert (None if pd.isna(value) else value) == expected

    documents = repaired["documents"].set_index("doc_id")
    if severity == "error" and violation.doc_id in documents.index:
        assert documents.loc[violation.doc_id, "status"] == "needs_review"
        assert violation.message in documents.loc[violation.doc_id, "error"]
    else:
        assert set(documents["status"]) == {"ok"}


def _drop_column(table: str, column: str) -> Callable[[dict[str, pd.DataFrame]], None]:
    def corrupt(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = tables[table].drop(columns=[column])

    return corrupt


def _add_column(tables: dict[str, pd.DataFrame]) -> None:
    tables["partners"] = tables["partners"].assign(note="x")


def _retype(tables: dict[str, pd.DataFrame]) -> None:
    tables["partners"]["lead"] = ["yes", "no", "no"]


def _drop_table(tables: dict[str, pd.DataFrame]) -> None:
    del tables["websites"]


def _extra_table(tables: dict[str, pd.DataFrame]) -> None:
    tables["notes"] = pd.DataFrame({"x": [1]})


def _naive_time(tables: dict[str, pd.DataFrame]) -> None:
    tables["documents"]["extracted_at"] = tables["documents"]["extracted_at"].dt.tz_localize(None)


STRUCTURE_RULES = [
    (_drop_column("partners", "country"), "partners", "column_missing"),
    (_add_column, "partners", "column_unknown"),
    (_retype, "partners", "dtype"),
    (_naive_time, "documents", "dtype"),
    (_drop_table, "websites", "table_missing"),
    (_extra_table, "notes", "table_unknown"),
]


@pytest.mark.parametrize(
    ("corrupt", "table", "rule"), STRUCTURE_RULES, ids=[f"{c[1]}-{c[2]}" for c in STRUCTURE_RULES]
)
def test_structure_violations_block_the_release(
    corrupt: Callable[[dict[str, pd.DataFrame]], None], table: str, rule: str, tmp_path: Path
) -> None:
    good = publish_release(valid_tables(), tmp_path, raw_dir=tmp_path, raw_files=[], code_version="test")
    tables = valid_tables()
    corrupt(tables)
    report = validate_tables(tables)
    violation = _one(report, table, rule)
    assert violation.severity == "error" and violation.action == "none"
    assert violation in report.blocking

    # What the flow does: repair, then the gate, then publish. The gate refuses, so the
    # release is never written and current still points at the last good one.
    repaired = apply_validation(tables, report)
    with pytest.raises(PublishError, match="release refused"):
        ensure_publishable(repaired)
        publish_release(repaired, tmp_path, raw_dir=tmp_path, raw_files=[], code_version="test")
    assert read_current(tmp_path) == good.resolve()
    assert [r["id"] for r in list_releases(tmp_path)] == [good.name]


def test_warnings_do_not_block_and_do_not_flag_documents() -> None:
    tables = valid_tables()
    _set("contacts", "phone", "093-582-3804")(tables)
    report = validate_tables(tables)
    assert [v.rule for v in report.warnings] == ["phone_not_e164"] and report.errors == []
    repaired = apply_validation(tables, report)
    assert repaired["contacts"].loc[0, "phone"] == "093-582-3804"  # kept as printed
    assert ensure_publishable(repaired).warnings
    assert set(repaired["documents"]["status"]) == {"ok"}


def test_duplicate_keeps_the_first_row_and_lists_the_dropped_one() -> None:
    tables = valid_tables()
    _duplicate_row("partners")(tables)
    tables["partners"].loc[3, "country"] = "KR"  # the copy differs: the first one must win
    report = validate_tables(tables)
    assert [(v.table, v.row) for v in report.dropped] == [("partners", 3)]
    repaired = apply_validation(tables, report)
    assert len(repaired["partners"]) == 3
    assert repaired["partners"].loc[0, "country"] == "JP"


def test_failed_document_stays_failed_and_keeps_its_error() -> None:
    tables = valid_tables()
    documents = tables["documents"]
    documents.loc[0, "status"], documents.loc[0, "error"] = "failed", "could not parse page 3"
    _set("partners", "country", "XX")(tables)
    repaired = apply_validation(tables, validate_tables(tables))
    row = repaired["documents"].iloc[0]
    assert row["status"] == "failed"
    assert row["error"].startswith("could not parse page 3; validation: 1 error(s): partners.country")


def test_documents_get_one_summary_of_their_errors() -> None:
    tables = valid_tables()
    for corrupt in (
        _set("partners", "country", "XX"),
        _set("contacts", "email", "nope"),
        _set("dates", "start", "13/2002"),
        _set("targets", "confidence", -0.1),
    ):
        corrupt(tables)
    repaired = apply_validation(tables, validate_tables(tables))
    error = repaired["documents"].set_index("doc_id").loc[DOC, "error"]
    assert error.startswith("validation: 4 error(s): ")
    assert error.endswith("; and 1 more")
    assert repaired["documents"].set_index("doc_id").loc[OTHER_DOC, "status"] == "ok"


def test_apply_refuses_a_report_of_other_tables() -> None:
    tables = valid_tables()
    report = validate_tables(tables)
    _duplicate_row("partners")(tables)
    with pytest.raises(ValueError, match="partners"):
        apply_validation(tables, report)


def test_untouched_inputs() -> None:
    tables = valid_tables()
    _set("partners", "country", "XX")(tables)
    before = {name: frame.copy() for name, frame in tables.items()}
    apply_validation(tables, validate_tables(tables))
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, before[name])
