"""Durable writes: a file or a folder entry is on disk (fsynced) before the code goes on, so a crash or
a power cut right after leaves the previous state or the new one, never a half-written file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any


def sync_file(fh: IO[Any]) -> None:
    """Flush ``fh`` and fsync it."""
    fh.flush()
    os.fsync(fh.fileno())


def sync_dir(path: Path) -> None:
    """Fsync a folder, so the renames and new entries in it are durable."""
    # A rename is durable only once its directory is synced; some platforms cannot open a directory.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
