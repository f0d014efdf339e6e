"""A progress display for the steward watching a run in a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def progress_display(total: int) -> Iterator[Callable[[str], None]]:
    """Yields advance(message); draws a bar on a terminal, stays silent otherwise."""
    console = Console(stderr=True)
    if not sys.stderr.isatty():
        yield lambda message: None
        return
    columns = (
        TextColumn("[bold]documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task_id = progress.add_task("", total=total)

        def advance(message: str) -> None:
            progress.update(task_id, advance=1, description=message)

        yield advance
