"""Release history (pipeline/release/history.py) and the `releases` / `diff` commands."""

from __future__ import annotations

import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.errors import ReleaseError
from pipeline.release.history import (
    RowChange,
    diff_releases,
    format_diff,
    previous_and_current,
    prune_releases,
    resolve_release,
)
from pipeline.release.organizations import resolve_tables
from pipeline.release.publish import list_releases, publish_release, read_current
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import WebsiteRecord, with_stable_id
from tests.test_validation import DOC, NOW, valid_tables

RAW_A = [
    {"source": "a.pdf", "sha256": "1" * 64, "bytes": 1},
    {"source": "b.pdf", "sha256": "2" * 64, "bytes": 1},
]
RAW_B = [
    {"source": "b.pdf", "sha256": "3" * 64, "bytes": 1},
    {"source": "c.pdf", "sha256": "4" * 64, "bytes": 1},
]


def _publish(tables: dict[str, pd.DataFrame], out: Path, minutes: int, raw: list[dict] | None = None) -> Path:
    return publish_release(
        tables,
        out,
        raw_dir=out,
        raw_files=raw or [],
        code_version="test",
        now=NOW + timedelta(minutes=minutes),
    )


def _two_releases(out: Path) -> tuple[Path, Path, dict[str, object]]:
    """Release a, then release b with one known change of each kind; return both and the change's ids."""
    a_tables = valid_tables()
    a = _publish(a_tables, out, 0, RAW_A)

    b_tables = {name: frame.copy() for name, frame in a_tables.items()}
    website = with_stable_id(
        WebsiteRecord(
            url="https://example.org/new", doc_id=DOC, char_start=0, char_end=5, method="t", confidence=0.8
        )
    )
    b_tables["websites"] = pd.concat(
        [b_tables["websites"], records_to_frame("websites", [website])], ignore_index=True
    )
    removed_target = b_tables["targets"].loc[0, "target_id"]
    b_tables["targets"] = b_tables["targets"].iloc[1:].reset_index(drop=True)
    contact_id = b_tables["contacts"].loc[0, "contact_id"]
    old_email = b_tables["contacts"].loc[0, "email"]
    b_tables["contacts"].loc[0, "email"] = "new@city.kitakyushu.jp"
    date_id = b_tables["dates"].loc[0, "date_id"]
    b_tables["dates"].loc[0, "char_start"] = 3  # evidence moved: provenance only
    b_tables["documents"]["extracted_at"] = b_tables["documents"]["extracted_at"] + timedelta(
        days=1
    )  # run metadata
    b = _publish(resolve_tables(b_tables), out, 1, RAW_B)
    known = {
        "website": website.website_id,
        "target": removed_target,
        "contact": contact_id,
        "old_email": old_email,
        "date": date_id,
    }
    return a, b, known


def test_diff_reports_a_known_change_exactly(tmp_path: Path) -> None:
    a, b, known = _two_releases(tmp_path)
    diff = diff_releases(a, b)
    assert (diff.a, diff.b) == (a.name, b.name)
    assert (diff.raw_added, diff.raw_removed, diff.raw_changed) == (["c.pdf"], ["a.pdf"], ["b.pdf"])

    websites = diff.tables["websites"]
    assert (websites.added, websites.removed, websites.changed) == ([known["website"]], [], [])
    assert websites.labels[known["website"]] == "https://example.org/new"
    targets = diff.tables["targets"]
    assert (targets.added, targets.removed, targets.changed) == ([], [known["target"]], [])
    contacts = diff.tables["contacts"]
    assert contacts.changed == [
        RowChange(
            id=known["contact"],
            label="Koichi Sueyoshi",
            changes={"email": (known["old_email"], "new@city.kitakyushu.jp")},
        )
    ]
    assert (contacts.added, contacts.removed, contacts.provenance_changed) == ([], [], [])
    dates = diff.tables["dates"]
    assert dates.changed == []
    assert [(c.id, c.changes) for c in dates.provenance_changed] == [(known["date"], {"char_start": (0, 3)})]
    # extracted_at changed for every document, and that is not a change of the data.
    changed = {name for name, t in diff.tables.items() if not t.is_empty}
    assert changed == {"websites", "targets", "contacts", "dates"}
    assert not diff.is_empty

    text = format_diff(diff)
    assert text.splitlines()[0] == f"release {a.name} -> {b.name}"
    assert f"  + {known['website']}  'https://example.org/new'" in text
    assert f"  - {known['target']}  'Model projects in Cebu'" in text
    assert f"  ~ {known['contact']}  email: '{known['old_email']}' -> 'new@city.kitakyushu.jp'" in text
    assert "dates: 2 -> 2 rows; +0 -0 ~0 (provenance only: 1)" in text
    assert "documents" not in text


def test_diff_of_a_release_with_itself_is_empty(tmp_path: Path) -> None:
    a = _publish(valid_tables(), tmp_path, 0)
    diff = diff_releases(a, tmp_path / "current")
    assert diff.is_empty
    assert format_diff(diff).endswith("no changes\n")


def test_diff_reports_columns_and_tables_of_one_release_only(tmp_path: Path) -> None:
    a = _publish(valid_tables(), tmp_path, 0)
    b = tmp_path / "b"
    shutil.copytree(a, b)
    partners = pd.read_parquet(b / "partners.parquet")
    partners.assign(note="new column").to_parquet(b / "partners.parquet")
    (b / "people.parquet").unlink()
    (b / "people.csv").unlink()
    manifest = json.loads((b / "manifest.json").read_text())
    del manifest["row_counts"]["people"]
    (b / "manifest.json").write_text(json.dumps(manifest))

    diff = diff_releases(a, b)
    assert diff.tables["partners"].columns_added == ["note"]
    assert diff.tables["partners"].changed == []  # values of a new column are not changes
    people = diff.tables["people"]
    assert people.only_in == "a" and len(people.removed) == people.rows_a == 2


def test_prune_keeps_the_newest_and_never_the_current(tmp_path: Path) -> None:
    releases = [_publish(valid_tables(), tmp_path, minutes) for minutes in range(5)]
    # A reviewer rolled current back to the second release.
    link = tmp_path / ".current.tmp-test"
    link.symlink_to(Path("releases") / releases[1].name, target_is_directory=True)
    os.replace(link, tmp_path / "current")
    in_progress = tmp_path / "releases" / ".tmp-20990101T000000000000Z-other"
    in_progress.mkdir()

    deleted = prune_releases(tmp_path, keep=2)
    assert sorted(p.name for p in deleted) == sorted([releases[0].name, releases[2].name])
    assert [r["id"] for r in list_releases(tmp_path)] == [
        releases[4].name,
        releases[3].name,
        releases[1].name,
    ]
    assert read_current(tmp_path) == releases[1].resolve()
    assert in_progress.is_dir()  # another publisher's work is not ours to delete
    assert not any(p.name.startswith(".deleting-") for p in (tmp_path / "releases").iterdir())

    prune_releases(tmp_path, keep=0)  # still keeps the newest and the current one
    assert [r["id"] for r in list_releases(tmp_path)] == [releases[4].name, releases[1].name]
    with pytest.raises(ValueError):
        prune_releases(tmp_path, keep=-1)


def test_settings_keep_ten_releases() -> None:
    assert Settings().keep_releases == 10


def test_resolving_releases(tmp_path: Path) -> None:
    a, b, _ = _two_releases(tmp_path)
    assert resolve_release(tmp_path, a.name) == a.resolve()
    assert resolve_release(tmp_path, str(b)) == b.resolve()
    assert resolve_release(tmp_path, "current") == b.resolve()
    assert previous_and_current(tmp_path) == (a.resolve(), b.resolve())
    with pytest.raises(ReleaseError, match="no release"):
        resolve_release(tmp_path, "20000101T000000000000Z-none")
    with pytest.raises(ReleaseError, match="no current release"):
        previous_and_current(tmp_path / "empty")


# --- the command line ---------------------------------------------------------------------------


def test_cli_releases_lists_and_marks_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, _ = _two_releases(tmp_path)
    assert main(["releases", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[-3]: line for line in lines if a.name in line or b.name in line}
    total_b = sum(json.loads((b / "manifest.json").read_text())["row_counts"].values())
    assert rows[b.name].startswith("* ") and rows[b.name].split()[-1] == str(total_b)
    assert rows[a.name].startswith("  ")
    assert lines.index(rows[b.name]) < lines.index(rows[a.name])  # newest first


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, _ = _two_releases(tmp_path)
    expected = format_diff(diff_releases(a, b))
    assert main(["diff", "--out", str(tmp_path)]) == 0  # previous vs current
    assert capsys.readouterr().out == expected
    assert main(["diff", a.name, str(b), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == expected
    assert main(["diff", b.name, a.name, "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"release {b.name} -> {a.name}"

    assert main(["diff", a.name, "--out", str(tmp_path)]) == 2
    assert "two releases" in capsys.readouterr().err
    assert main(["diff", a.name, "nope", "--out", str(tmp_path)]) == 2
    assert "no release 'nope'" in capsys.readouterr().err


def test_cli_without_releases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["releases", "--out", str(tmp_path)]) == 2
    assert main(["diff", "--out", str(tmp_path)]) == 2
    _publish(valid_tables(), tmp_path, 0)
    assert main(["diff", "--out", str(tmp_path)]) == 2
    assert "nothing to compare" in capsys.readouterr().err
