"""One ingest run as a steward starts it, around the flow.

Without a configured Prefect API, a temporary server is started first thing,
since it takes longest to come up; the workers that will be needed start next,
so spaCy loads while the server does; then the flow runs against that server,
whatever it logged is sent before the server stops, and workers no run took
are stopped.
"""

from __future__ import annotations

import logging
import os
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.release.locking import check_unlocked
from pipeline.run.prefect_server import TemporaryServer, api_named_outside_prefect
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.run.summary import RunSummary


def run_ingest(
    raw: Path,
    out: Path,
    *,
    workers: int,
    wait: bool = False,
    use_cache: bool = True,
    dask: str | None = None,
    settings: Settings | None = None,
) -> RunSummary:
    """Ingest ``raw`` into ``out`` with ``workers`` worker processes (or on the Dask cluster at
    ``dask``, 'local' for a local one); the run's summary. Raises RunLockedError when another
    run holds ``out`` (unless ``wait``), ServerStartError when the temporary server fails."""
    from pipeline.run.workers import discard_prestarted_pool

    # Read when Prefect is imported, so set before that (the caller's own values win).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # Prefect's "Finished in state Completed()" for every document goes to the console and the
    # API's log table; the progress display and the run summary already say it. Failures still log.
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL", "WARNING")
    settings = (settings or Settings()).model_copy(update={"workers": workers})
    # Before anything slow: a second run on the same output is refused (or queued) now, not after
    # the Prefect server and the workers have started.
    check_unlocked(out, wait=wait)
    server = None
    try:
        server = _temporary_server()
        if not dask:
            _prestart_workers(raw, out, settings, use_cache=use_cache)
        return _run_flow(raw, out, settings, wait=wait, use_cache=use_cache, dask=dask, server=server)
    finally:
        discard_prestarted_pool()
        if server is not None:
            server.stop()


def _temporary_server() -> TemporaryServer | None:
    """A temporary Prefect server, started now, unless an API is configured; None then.

    Unless the environment or the profile names an API, the server starts even before
    Prefect is imported; if Prefect's settings then name one after all, it is stopped.
    """
    server = None if api_named_outside_prefect() else TemporaryServer()
    if server is not None:
        server.start()
    from prefect.settings import get_current_settings

    prefect_settings = get_current_settings()
    if prefect_settings.api.url or not prefect_settings.server.ephemeral.enabled:
        if server is not None:
            server.stop()
        return None  # a configured server, or Prefect's own error when none is allowed
    if server is None:
        server = TemporaryServer()
        server.start()
    return server


def _prestart_workers(raw: Path, out: Path, settings: Settings, *, use_cache: bool) -> None:
    """As many workers as documents will probably be processed, up to ``settings.workers``."""
    from pipeline.run.cache import ResultCache, settings_key
    from pipeline.run.discovery import likely_to_process
    from pipeline.run.workers import Budget, prestart_pool

    cache = ResultCache(out / "cache", settings_key(settings))
    try:
        expected = likely_to_process(raw, cache.directory, cache.has if use_cache else lambda sha: False)
    except OSError:
        return  # only a guess: the flow reads the folder itself and reports what it cannot read
    if expected:
        prestart_pool(min(settings.workers, expected), Budget.of(settings))


def _run_flow(
    raw: Path,
    out: Path,
    settings: Settings,
    *,
    wait: bool,
    use_cache: bool,
    dask: str | None,
    server: TemporaryServer | None,
) -> RunSummary:
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )
    from prefect.task_runners import ThreadPoolTaskRunner

    from pipeline.run.flow import ingest

    if dask:
        # Each Dask worker processes its documents itself: no local worker pool.
        runner, process_pool = dask_runner(dask, settings.workers), False
    else:
        # Task threads only wait on worker processes; one more document waits per worker so
        # that no worker idles while Prefect records the document before.
        runner, process_pool = ThreadPoolTaskRunner(max_workers=2 * settings.workers), True
    api: AbstractContextManager[Any] = nullcontext()
    if server is not None:
        # Their "Still processing items" warning means only that logs and events are still
        # being sent when the flow ends, which is what happens before the server stops.
        for name in ("APILogWorker", "EventsWorker"):
            logging.getLogger(name).setLevel(logging.ERROR)
        server.wait_ready(get_current_settings().server.ephemeral.startup_timeout_seconds)
        # Heartbeats let a lasting server mark a run that died as crashed; this server stops
        # with the run, so nothing reads them, and the flow would wait up to 1 s for the
        # heartbeat thread at its end.
        api = temporary_settings(
            updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
        )
    with api:
        try:
            return ingest.with_options(task_runner=runner)(
                raw_dir=str(raw.resolve()),
                out_dir=str(out.resolve()),
                workers=settings.workers,
                wait=wait,
                use_cache=use_cache,
                process_pool=process_pool,
            )
        finally:
            if server is not None:
                _send_pending_to_api()


def _send_pending_to_api() -> None:
    """Send the logs and events still queued to the temporary server while it is up.

    Prefect would send them at interpreter exit, after the server is gone, and retry
    for a minute or more. Its own test harness drains them the same way.
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=30, at_exit=False)


def dask_runner(address: str, workers: int) -> Any:
    """Prefect's Dask task runner on the cluster at ``address``, or a local cluster of ``workers``."""
    from prefect_dask import DaskTaskRunner

    if address == "local":
        # Processes, one thread each: parsing and NLP are CPU-bound.
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
        )
    return DaskTaskRunner(address=address)
