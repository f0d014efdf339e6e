"""The raw folder's files and the guess of how many documents a run will process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.run.discovery import (
    PERMISSION_DENIED,
    SYMLINK,
    deduplicate,
    discover,
    likely_to_process,
    save_index,
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_discover_hashes_visible_files_in_a_stable_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "beta")
    _write(tmp_path / "a" / "c.txt", "gamma")
    _write(tmp_path / ".hidden" / "d.txt", "delta")
    _write(tmp_path / "e.txt", "beta")
    files = discover(tmp_path)
    assert [f.source for f in files] == ["a/c.txt", "b.txt", "e.txt"]
    assert files[1].sha256 == files[2].sha256 and files[1].size == 4
    assert all(f.error is None for f in files)
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


def unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """``path`` without read permission; as root (who reads anything) its reads are made to fail."""
    path.chmod(0)
    if os.geteuid() == 0:
        import pipeline.run.discovery as discovery

        real = discovery._sha256

        def refuse(p: Path) -> str:
            if p == path:
                raise PermissionError(13, "Permission denied", str(p))
            return real(p)

        monkeypatch.setattr(discovery, "_sha256", refuse)


def test_every_path_gets_a_verdict_links_and_unreadable_files_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    _write(raw / "b.txt", "beta")
    _write(raw / "secret.txt", "no entry")
    (raw / "link.txt").symlink_to(raw / "b.txt")
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "folder-link").symlink_to(raw, target_is_directory=True)  # a loop, were it followed
    os.mkfifo(raw / "pipe")
    unreadable(monkeypatch, raw / "secret.txt")
    files = {f.source: f for f in discover(raw)}
    assert sorted(files) == ["b.txt", "dangling.txt", "folder-link", "link.txt", "pipe", "secret.txt"]
    assert files["b.txt"].error is None
    assert files["secret.txt"].error == PERMISSION_DENIED
    for link in ("link.txt", "dangling.txt", "folder-link"):
        assert files[link].error == SYMLINK
    assert "not a regular file" in str(files["pipe"].error)
    # Unread paths are never duplicates of each other (nor of anything), and the guess of the workers
    # needed leaves out what is not a regular file (the unreadable one is found so only when read).
    unique, duplicates = deduplicate(list(files.values()))
    assert len(unique) == 6 and duplicates == []
    assert likely_to_process(raw, tmp_path / "cache", lambda sha: False) == 2
