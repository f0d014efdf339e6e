"""First reads: new authors' rows judged before rules were fitted to them feed the confidence model."""

from __future__ import annotations

from pathlib import Path

from extractors.calibration import ConfidenceModel, MethodCounts
from pipeline.evaluation.first_reads import (
    FIRST_READS_PATH,
    FirstRead,
    load_first_reads,
    save_first_read,
    summed_counts,
    tally_methods,
)
from pipeline.evaluation.training import (
    FIRST_READ_WEIGHT,
    IN_SAMPLE_WEIGHT,
    training_corpora,
    with_first_reads,
)

_GOLD = {
    "doc": "d",
    "doc_type": "seminar_report",
    "partners": [
        {
            "name": "Lake Basin Foundation",
            "acronym": None,
            "category": "organizer",
            "country": None,
            "lead": False,
        }
    ],
    "websites": ["http://www.example.org"],
}


def _predicted(partner_name: str) -> dict:
    return {
        "doc": "d",
        "doc_type": "seminar_report",
        "partners": [
            {
                "name": partner_name,
                "acronym": None,
                "category": "organizer",
                "country": None,
                "lead": False,
                "method": "report.prose.organizer",
                "confidence": 0.8,
            }
        ],
        "websites": [{"url": "http://www.example.org", "method": "regex.url", "confidence": 0.95}],
    }


def test_a_read_counts_each_methods_rows_and_right_rows() -> None:
    right = tally_methods({"d": _GOLD}, {"d": _predicted("Lake Basin Foundation")})
    wrong = tally_methods({"d": _GOLD}, {"d": _predicted("Panama City")})
    assert right["report.prose.organizer"] == MethodCounts(rows=1, right=1)
    assert wrong["report.prose.organizer"] == MethodCounts(rows=1, right=0)
    assert wrong["regex.url"] == MethodCounts(rows=1, right=1)
    # A document without gold is not counted.
    assert tally_methods({}, {"d": _predicted("Panama City")}) == {}


def test_a_new_read_of_the_same_documents_replaces_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "first_reads.json"
    one = FirstRead(label="a1-a2", commit="abc", documents=6, methods={"m": MethodCounts(rows=4, right=2)})
    two = FirstRead(label="a3-a4", commit="def", documents=6, methods={"m": MethodCounts(rows=2, right=2)})
    save_first_read(one, path)
    save_first_read(two, path)
    save_first_read(one.model_copy(update={"commit": "abd"}), path)
    reads = load_first_reads(path)
    assert [(r.label, r.commit) for r in reads] == [("a1-a2", "abd"), ("a3-a4", "def")]
    assert summed_counts(reads)["m"] == MethodCounts(rows=6, right=4)


def test_adding_a_read_leaves_the_lines_of_the_earlier_reads_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "first_reads.json"
    one = FirstRead(label="a1-a2", commit="abc", documents=6, methods={"m": MethodCounts(rows=4, right=2)})
    save_first_read(one, path)
    before = path.read_text(encoding="utf-8")
    save_first_read(FirstRead(label="a3-a4", commit="def", documents=3, methods={}), path)
    # Whole row counts are written as integers, as a reviewer of the file's diff expects.
    assert '"rows": 4\n' in before
    assert before.rstrip("]\n") in path.read_text(encoding="utf-8")


def test_a_method_that_failed_on_new_authors_promises_less() -> None:
    in_sample = {"report.prose.organizer": {"rows": 100 * IN_SAMPLE_WEIGHT, "right": 98 * IN_SAMPLE_WEIGHT}}
    read = FirstRead(
        label="a9",
        commit="abc",
        documents=3,
        methods={"report.prose.organizer": MethodCounts(rows=20, right=12)},
    )
    merged = with_first_reads(in_sample, [read])
    assert merged["report.prose.organizer"] == {
        "rows": 25.0 + 20 * FIRST_READ_WEIGHT,
        "right": 24.5 + 12 * FIRST_READ_WEIGHT,
    }

    def model(methods: dict) -> ConfidenceModel:
        return ConfidenceModel(
            version=2,
            prior_strength=4.0,
            caution_sd=1.0,
            trained_on={},
            methods={m: MethodCounts(**c) for m, c in methods.items()},
        )

    before = model(in_sample).calibrated("report.prose.organizer", 0.8)
    after = model(merged).calibrated("report.prose.organizer", 0.8)
    assert before > 0.9 > after


def test_the_first_reads_on_record_are_valid_and_the_corpora_count_as_read() -> None:
    reads = load_first_reads(FIRST_READS_PATH)
    assert reads and all(r.documents > 0 and r.methods for r in reads)
    # Every annotated corpus has had rules written against it: none counts as a new author's.
    assert {c.weight for c in training_corpora()} == {IN_SAMPLE_WEIGHT}


def test_the_first_read_command_records_a_folder_once_read(tmp_path: Path) -> None:
    import json
    import shutil

    from pipeline.cli import main

    raw, gold = tmp_path / "raw", tmp_path / "gold"
    raw.mkdir()
    gold.mkdir()
    root = Path(__file__).resolve().parents[1]
    stem = sorted(p.stem for p in (root / "tests" / "gold").glob("*.json"))[0]
    shutil.copy(next((root / "raw").glob(stem + ".*")), raw)
    shutil.copy(root / "tests" / "gold" / f"{stem}.json", gold)
    into = tmp_path / "reads.json"
    code = main(
        [
            "first-read",
            "--raw",
            str(raw),
            "--gold",
            str(gold),
            "--label",
            "x1",
            "--commit",
            "abc",
            "--into",
            str(into),
        ]
    )
    assert code == 0
    (read,) = json.loads(into.read_text())
    assert (read["label"], read["commit"], read["documents"]) == ("x1", "abc", 1)
    assert sum(t["rows"] for t in read["methods"].values()) > 0
