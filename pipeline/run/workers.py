"""Worker processes with a time and memory budget per document.

Parsing untrusted files can hang or balloon (damaged PDFs, decompression
bombs), and parsing plus NLP is CPU-bound. Each document therefore runs in a
pool of worker processes (pebble): a document that exceeds its time budget has
its worker killed and fails alone with the limit named; a worker that dies
(out of memory, a crash in a C extension) is replaced. spaCy and the rules are
loaded once per worker, not per document.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pebble import ProcessExpired, ProcessPool

from pipeline.run.processing import DocumentResult, failed_result, process_bytes
from pipeline.settings import Settings

_MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    seconds: float
    memory_mb: int
    max_bytes: int
    max_pages: int
    review_threshold: float

    @classmethod
    def of(cls, settings: Settings) -> Budget:
        return cls(
            seconds=settings.doc_timeout_seconds,
            memory_mb=settings.doc_memory_mb,
            max_bytes=settings.max_file_bytes,
            max_pages=settings.max_pages,
            review_threshold=settings.review_threshold,
        )


def _init_worker(memory_mb: int) -> None:
    if memory_mb > 0:
        # Address space, not RSS: the only limit the kernel enforces for sure; a
        # document that needs more raises MemoryError inside the worker.
        limit = memory_mb * _MB
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))
    from extractors.nlp import load_nlp
    from extractors.rules import load_all_rules

    load_all_rules()
    load_nlp()


def _ready() -> None:
    """A no-op: scheduling it starts the workers."""


def _process_file(path: str, source: str, budget: Budget) -> DocumentResult:
    data = Path(path).read_bytes()
    try:
        return process_bytes(
            data,
            source=source,
            review_threshold=budget.review_threshold,
            max_bytes=budget.max_bytes,
            max_pages=budget.max_pages,
        )
    except MemoryError:
        import hashlib

        return failed_result(
            source,
            hashlib.sha256(data).hexdigest(),
            f"processing needed more than the memory limit of {budget.memory_mb} MB; "
            "raise PARTNERFLOW_DOC_MEMORY_MB to accept it",
        )


class DocumentPool:
    """A pool of worker processes that turns files into DocumentResults within a budget."""

    def __init__(self, workers: int, budget: Budget) -> None:
        self.workers = workers
        self.budget = budget
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(budget.memory_mb,),
            # Forking a process that runs Prefect's threads and event loop is unsafe.
            context=multiprocessing.get_context("spawn"),
        )

    def __enter__(self) -> DocumentPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers now (spawn, imports, rules, spaCy) instead of at the first document,
        so that they load while the caller does other work."""
        self._pool.schedule(_ready)

    def close(self) -> None:
        self._pool.close()
        self._pool.join(timeout=30)
        self._pool.stop()

    def process(self, path: Path, source: str, sha256: str) -> DocumentResult:
        future = self._pool.schedule(
            _process_file, args=(str(path), source, self.budget), timeout=self.budget.seconds
        )
        try:
            return future.result()
        except FutureTimeout:
            return failed_result(
                source,
                sha256,
                f"processing took longer than the limit of {self.budget.seconds:g} s and was stopped "
                "(a damaged or very large file?); raise PARTNERFLOW_DOC_TIMEOUT_SECONDS to allow more",
                cacheable=False,
            )
        except ProcessExpired as exc:
            return failed_result(
                source,
                sha256,
                f"the worker processing the file died (exit code {exc.exitcode}); it may have exceeded "
                f"the memory limit of {self.budget.memory_mb} MB",
                cacheable=False,
            )
        except Exception as exc:  # an error outside process_bytes' own handling
            return failed_result(
                source, sha256, f"processing crashed ({type(exc).__name__}: {exc})", cacheable=False
            )


_prestarted: DocumentPool | None = None


def prestart_pool(workers: int, budget: Budget) -> None:
    """Start a pool's workers now, for this process's next ``take_pool``.

    The run (``pipeline.run.runner``) calls this before Prefect's server is up, so spaCy loads in the
    workers while the server starts instead of after it.
    """
    global _prestarted
    discard_prestarted_pool()
    _prestarted = DocumentPool(workers, budget)
    _prestarted.start()


def take_pool(workers: int, budget: Budget) -> DocumentPool:
    """The pre-started pool if it has this budget and enough workers; otherwise a new pool."""
    global _prestarted
    pool, _prestarted = _prestarted, None
    if pool is not None:
        if pool.budget == budget and pool.workers >= workers:
            return pool
        pool.close()
    pool = DocumentPool(workers, budget)
    pool.start()
    return pool


def discard_prestarted_pool() -> None:
    """Stop a pre-started pool no run took (every document was cached, or the run failed)."""
    global _prestarted
    pool, _prestarted = _prestarted, None
    if pool is not None:
        pool.close()
