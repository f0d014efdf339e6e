"""The raw folder's files, their content hashes, and a guess of what a run will process.

The content hash is the truth a run works from. The guess reads only the file
system's size and modification time against the index the last run left, so
the command line can start the workers (and their spaCy) before a run's flow
begins, without reading every file twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

INDEX_NAME = "raw-index.json"


# Why a path of the raw folder is not read; each still gets a row in documents with this reason.
SYMLINK = "not followed: symbolic link"
NOT_REGULAR = "not a regular file (a device, pipe or socket)"
PERMISSION_DENIED = "permission denied"


@dataclass(frozen=True)
class RawFile:
    source: str  # relative to the raw folder, '/'-separated
    path: Path
    size: int
    sha256: str
    mtime_ns: int = 0
    # Set when the file is not read (a link, no permission): it is listed as failed with this reason.
    error: str | None = None


def unread_sha256(source: str) -> str:
    """The stand-in hash of a path that was not read: stable for the path, never a content's hash
    (so two unread paths are not taken for duplicates, nor one for an empty file)."""
    return hashlib.sha256(f"partnerflow:unread:{source}".encode()).hexdigest()


def _walk(raw_dir: Path, folder: Path) -> Iterator[tuple[str, Path, os.stat_result | None, str | None]]:
    """Every non-hidden entry below ``folder`` that is not a directory (and each directory that
    cannot be listed), in a stable order, with its ``lstat`` and why it will not be read, if so."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as exc:
        if folder != raw_dir:
            source = folder.relative_to(raw_dir).as_posix()
            yield source, folder, None, _os_reason(exc, "cannot list the folder")
            return
        raise
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        source = path.relative_to(raw_dir).as_posix()
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield source, path, None, _os_reason(exc, "cannot read the file")
            continue
        if S_ISLNK(stat.st_mode):
            yield source, path, stat, SYMLINK
        elif S_ISDIR(stat.st_mode):
            yield from _walk(raw_dir, path)
        elif S_ISREG(stat.st_mode):
            yield source, path, stat, None
        else:
            yield source, path, stat, NOT_REGULAR


def _os_reason(exc: OSError, what: str) -> str:
    if isinstance(exc, PermissionError):
        return PERMISSION_DENIED
    return f"{what} ({exc.strerror or exc})"


def _raw_paths(raw_dir: Path) -> Iterator[tuple[str, Path, os.stat_result | None, str | None]]:
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    # Path order (by parts: 'a/c.txt' before 'a.txt'), the order runs have always used.
    yield from sorted(_walk(raw_dir, raw_dir), key=lambda item: item[0].split("/"))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _read(source: str, path: Path, stat: os.stat_result | None, reason: str | None) -> RawFile:
    if reason is None and stat is not None:
        try:
            return RawFile(source, path, stat.st_size, _sha256(path), stat.st_mtime_ns)
        except OSError as exc:  # no permission, or gone or changed since it was listed
            reason = _os_reason(exc, "cannot read the file")
    size, mtime = (stat.st_size, stat.st_mtime_ns) if stat is not None else (0, 0)
    return RawFile(source, path, size, unread_sha256(source), mtime, error=reason)


def discover(raw_dir: Path) -> list[RawFile]:
    """Every non-hidden path under raw_dir that is not a folder, in a stable order, with its content
    hash; paths that are not read (links, no permission, not regular files) carry their reason."""
    return [_read(*item) for item in _raw_paths(raw_dir)]


def deduplicate(files: list[RawFile]) -> tuple[dict[str, RawFile], list[tuple[str, str]]]:
    """Same content under two names is processed once; the copy is reported as (copy, original).
    Unread paths have stand-in hashes of their own, so none is a copy."""
    unique: dict[str, RawFile] = {}
    duplicates: list[tuple[str, str]] = []
    for raw in files:
        if raw.sha256 in unique:
            duplicates.append((raw.source, unique[raw.sha256].source))
        else:
            unique[raw.sha256] = raw
    return unique, duplicates


def save_index(files: list[RawFile], directory: Path) -> None:
    """Remember each file's size, modification time and hash for the next run's guess."""
    directory.mkdir(parents=True, exist_ok=True)
    index = {f.source: [f.size, f.mtime_ns, f.sha256] for f in files if f.error is None}
    tmp = directory / f".{INDEX_NAME}.tmp"
    tmp.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    tmp.replace(directory / INDEX_NAME)


def likely_to_process(raw_dir: Path, index_dir: Path, is_cached: Callable[[str], bool]) -> int:
    """How many documents the next run will probably process, from file stats alone.

    A file is counted unless the index has it at the same size and modification time
    and its hash is cached. Only a guess (a file rewritten in place within the clock's
    resolution is missed), so it only decides how many workers to start early.
    """
    try:
        index = json.loads((index_dir / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    pending: set[str] = set()
    for source, _, stat, reason in _raw_paths(raw_dir):
        if reason is not None or stat is None:
            continue  # not read: no worker needed for its verdict
        entry = index.get(source)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            if is_cached(str(entry[2])):
                continue
            pending.add(str(entry[2]))
        else:
            pending.add(source)
    return len(pending)
