"""Classification from content, label matching variants, and the rules files' validation."""

from __future__ import annotations

import json

import pytest

from extractors.classify import classify
from extractors.errors import RulesError
from extractors.labels import LabelMatcher
from extractors.parsing import parse_document
from extractors.rules import SheetRules, _load, load_all_rules, sheet_rules

from .conftest import GOLD, RAW


@pytest.mark.parametrize("path", sorted(RAW.iterdir()), ids=lambda p: p.stem)
def test_dev_documents_are_classified_from_content(path, tmp_path) -> None:
    # The file name says nothing: the same bytes under a neutral name classify the same.
    parsed = parse_document(path.read_bytes(), "document")
    expected = json.loads((GOLD / f"{path.stem}.json").read_text())["doc_type"]
    assert classify(parsed).doc_type == expected


def test_text_without_signals_is_unknown() -> None:
    parsed = parse_document(
        b"Shopping list\n\nMilk, eggs and bread.\nCall the plumber on Monday.", "notes.txt"
    )
    assert classify(parsed).doc_type == "unknown"


def test_minimal_sheet_in_plain_text_is_a_sheet() -> None:
    text = b"Name of the initiative: Clean Rivers\nLead partner: City of Cebu\nContact person: Ana Cruz\n"
    assert classify(parse_document(text, "x.txt")).doc_type == "information_sheet"


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("Expected date of initiation: October 2002", "initiation", "October 2002"),
        ("EXPECTED DATE OF INITIATION:October 2002", "initiation", "October 2002"),
        ("Start date - 15 January 2005", "initiation", "15 January 2005"),
        ("Leading Partner/ Kanagawa Prefectural Government", "lead", "Kanagawa Prefectural Government"),
        ("Lead organisation: City of Kitakyushu", "lead", "City of Kitakyushu"),
        ("Name of the contact person / focal point: Hiroshi Okazaki", "focal_point", "Hiroshi Okazaki"),
        ("Focal point: Ana Cruz", "focal_point", "Ana Cruz"),
        ("Web-site (if available): http://x.org", "websites", "http://x.org"),
        ("**Partners Involved:**", "partners", ""),
        ("Time-frame: 21 September 2016 – 2030", "duration", "21 September 2016 – 2030"),
    ],
)
def test_label_variants_match_and_leave_the_value(line: str, key: str, value: str) -> None:
    match = LabelMatcher(sheet_rules().labels).match(line)
    assert match is not None and match.key == key
    assert line[match.label_end :].strip(" *") == value


@pytest.mark.parametrize(
    "line", ["Partners will meet yearly.", "The start date was moved.", "Leadership matters"]
)
def test_prose_is_not_a_label(line: str) -> None:
    assert LabelMatcher(sheet_rules().labels).match(line) is None


def test_every_rules_file_loads() -> None:
    load_all_rules()


def test_malformed_rules_fail_on_load(monkeypatch) -> None:
    from importlib import resources

    class Fake:
        def joinpath(self, name):
            return self

        def read_text(self, encoding="utf-8"):
            return json.dumps({"version": 1, "doc_type": "information_sheet", "labels": {"title": ["x"]}})

    monkeypatch.setattr(resources, "files", lambda package: Fake())
    with pytest.raises(RulesError, match="information_sheet.json is invalid"):
        _load("information_sheet.json", SheetRules)
