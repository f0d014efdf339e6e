"""The raw folder's files and the guess of how many documents a run will process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.discovery import deduplicate, discover, likely_to_process, save_index


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_discover_hashes_visible_files_in_a_stable_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "beta")
    _write(tmp_path / "a" / "c.txt", "gamma")
    _write(tmp_path / ".hidden" / "d.txt", "delta")
    _write(tmp_path / "e.txt", "beta")
    (tmp_path / "link.txt").symlink_to(tmp_path / "b.txt")
    files = discover(tmp_path)
    assert [f.source for f in files] == ["a/c.txt", "b.txt", "e.txt"]
    assert files[1].sha256 == files[2].sha256 and files[1].size == 4
    unique, duplicates = deduplicate(files)
    assert len(unique) == 2 and duplicates == [("e.txt", "b.txt")]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover(tmp_path / "missing")


def test_the_guess_counts_new_changed_and_uncached_files_only(tmp_path: Path) -> None:
    raw, index = tmp_path / "raw", tmp_path / "cache"
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(raw / name, name)
    cached: set[str] = set()
    assert likely_to_process(raw, index, cached.__contains__) == 3  # no index yet: every file

    files = discover(raw)
    save_index(files, index)
    cached |= {f.sha256 for f in files}
    assert likely_to_process(raw, index, cached.__contains__) == 0

    _write(raw / "d.txt", "new")
    changed = _write(raw / "a.txt", "a, rewritten")
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 1_000_000))
    assert likely_to_process(raw, index, cached.__contains__) == 2
    cached.discard(files[1].sha256)  # b.txt's result is gone from the cache
    assert likely_to_process(raw, index, cached.__contains__) == 3
    (index / "raw-index.json").write_text("{not json")
    assert likely_to_process(raw, index, cached.__contains__) == 4  # a damaged index: every file
