"""One run at a time per output folder.

Two runs publishing into the same output would interleave releases; the
second one waits for the first or refuses with a message naming the holder.
The lock is an OS file lock (``flock``): it vanishes with its process, so a
killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipeline.errors import RunLockedError

LOCK_NAME = ".partnerflow.lock"


@contextmanager
def run_lock(out_dir: Path, *, wait: bool = False, poll_seconds: float = 0.5) -> Iterator[float]:
    """Hold the output's lock (raise RunLockedError, or wait, while another run does); gives the time
    (``time.time()``) it was taken: whatever a publisher left before then, it left by dying."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    handle = path.open("a+")
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    raise RunLockedError(
                        f"another partnerflow run is writing to {out_dir} ({_holder(path)})",
                        file=out_dir,
                        hint="wait for it to finish, or pass --wait to queue behind it",
                    ) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "since": datetime.now(UTC).isoformat()}))
        handle.flush()
        yield time.time()
    finally:
        handle.close()


def check_unlocked(out_dir: Path, *, wait: bool = False, poll_seconds: float = 0.5) -> None:
    """Refuse at once (RunLockedError), or wait, while another run holds ``out_dir``; then let go.

    For the start of a run, before its slow start-up (the Prefect server, the workers): a second
    run is refused in a moment instead of after it. The flow still takes the lock itself.
    """
    if (Path(out_dir) / LOCK_NAME).exists():
        with run_lock(Path(out_dir), wait=wait, poll_seconds=poll_seconds):
            pass


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, json.JSONDecodeError):
        return "holder unknown"
    return f"pid {info.get('pid', '?')}, since {info.get('since', '?')}"
