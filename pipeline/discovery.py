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

INDEX_NAME = "raw-index.json"


@dataclass(frozen=True)
class RawFile:
    source: str  # relative to the raw folder, '/'-separated
    path: Path
    size: int
    sha256: str
    mtime_ns: int = 0


def _raw_paths(raw_dir: Path) -> Iterator[tuple[str, Path, os.stat_result]]:
    """Every regular, non-hidden, non-link file under raw_dir, in a stable order, with its stat."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        yield rel.as_posix(), path, path.stat()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def discover(raw_dir: Path) -> list[RawFile]:
    """Every regular, non-hidden file under raw_dir, in a stable order, with its content hash."""
    return [
        RawFile(source, path, stat.st_size, _sha256(path), stat.st_mtime_ns)
        for source, path, stat in _raw_paths(raw_dir)
    ]


def deduplicate(files: list[RawFile]) -> tuple[dict[str, RawFile], list[tuple[str, str]]]:
    """Same content under two names is processed once; the copy is reported as (copy, original)."""
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
    index = {f.source: [f.size, f.mtime_ns, f.sha256] for f in files}
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
    for source, _, stat in _raw_paths(raw_dir):
        entry = index.get(source)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            if is_cached(str(entry[2])):
                continue
            pending.add(str(entry[2]))
        else:
            pending.add(source)
    return len(pending)
