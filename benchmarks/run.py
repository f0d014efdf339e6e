#!/usr/bin/env python3
"""partnerflow performance benchmark: every figure of issue 7 in one run, as ratios.

usage: .venv/bin/python benchmarks/run.py [--docs 500] [--small 50] [--workers 2] [--seed 0] [--keep]

Generates a corpus of --docs documents and one of --small documents
(benchmarks/generate_corpus.py), then measures, within this one run so that
the ratios compare like with like on a shared, noisy machine:

  * bare pdfplumber ``page.extract_text()`` over the corpus's PDFs, in one
    process and in --workers processes (the baseline);
  * the fixed start-up of ``partnerflow run`` (a run on one trivial document:
    interpreter and imports, Prefect's temporary server, worker pool and spaCy);
  * a cold ``partnerflow run`` on the corpus into a fresh output folder, a warm
    re-run with nothing changed, and a re-run after one file changed;
  * the same cold run with one worker (speed-up from 1 to --workers);
  * peak memory (RSS summed over the process tree, sampled with psutil, and the
    largest single process from wait4) at --docs and at --small;
  * where the time goes: the run's timeline from its log and Prefect's task
    runs, and a cProfile of ``process_bytes`` over the small corpus
    aggregated by module (parse, pdfplumber/pdfminer, spaCy, dates, publish).

The pipeline runs as the CLI does (``python -m pipeline.cli run``) in a
subprocess with its own PREFECT_HOME under the work folder. Prints a markdown
report with the issue's targets and PASS/MISS, and writes it to
benchmarks/results/latest.md (plus results/<N>docs.md and latest.json).
Not part of the test suite: timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import multiprocessing
import os
import platform
import pstats
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CODE = ROOT  # the code measured: a snapshot of ROOT's packages (see snapshot_code), or ROOT with --live
sys.path.insert(0, str(BENCH))

import generate_corpus  # noqa: E402

try:
    import psutil  # type: ignore
except ImportError:  # the tree sampler is skipped; wait4's per-process peak remains
    psutil = None

TRIVIAL_HTML = """<!doctype html>
<html lang='en'><head><meta charset='utf-8'><title>Workshop on Urban Greening (3 May 2004, Cebu)</title></head>
<body><h1>Workshop on Urban Greening (3 May 2004, Cebu)</h1>
<p><strong>Date:</strong> 3 May 2004</p><p><strong>Venue:</strong> Cebu City Hall (Cebu, Philippines)</p>
<p><strong>Participants:</strong> Cebu, Surabaya, Kitakyushu</p>
<p>The workshop was held to share experiences of urban greening between partner cities.</p>
</body></html>
"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- baseline


def _pdf_pages_text(path: str) -> tuple[int, int, float]:
    import pdfplumber

    cpu = time.process_time()
    with pdfplumber.open(path) as pdf:
        chars = 0
        for page in pdf.pages:
            chars += len(page.extract_text() or "")
        return len(pdf.pages), chars, time.process_time() - cpu


def _warm_import() -> None:
    import pdfplumber  # noqa: F401


def bare_pdfplumber(pdfs: list[Path], processes: int) -> dict:
    """extract_text() over every page; pool start and imports are outside the timing."""
    paths = [str(p) for p in pdfs]
    if processes <= 1:
        _warm_import()
        started = time.perf_counter()
        results = [_pdf_pages_text(p) for p in paths]
        elapsed = time.perf_counter() - started
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(processes, initializer=_warm_import) as pool:
            pool.map(abs, range(processes * 4))  # workers up and imported
            started = time.perf_counter()
            results = list(pool.imap_unordered(_pdf_pages_text, paths, chunksize=1))
            elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "pages": sum(r[0] for r in results),
        "chars": sum(r[1] for r in results),
        "cpu_seconds": sum(r[2] for r in results),
    }


# --------------------------------------------------------------------------- pipeline runs

_LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| (\w+)\s*\| (.*)$")
_SUMMARY = re.compile(r"(\d+) new or changed documents processed, (\d+) unchanged reused")


@dataclass
class PipelineRun:
    label: str
    docs: int
    workers: int
    wall: float
    returncode: int
    tree_peak_mb: float | None
    process_peak_mb: float  # largest single process of the run (wait4 ru_maxrss)
    cpu_seconds: float = 0.0  # user + system CPU of the run and its reaped children (wait4)
    cpu_by_role: dict[str, float] = field(default_factory=dict)  # sampled: flow, prefect_server, workers
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at start and end
    processed: int | None = None
    reused: int | None = None
    phases: dict[str, float] = field(default_factory=dict)
    tasks: dict[str, float] = field(default_factory=dict)
    task_seconds: dict[str, float] = field(default_factory=dict)  # source -> duration
    task_order: list[str] = field(default_factory=list)  # sources by task start
    log_path: str = ""


def _role(cmdline: list[str]) -> str:
    text = " ".join(cmdline)
    if "uvicorn" in text and "prefect.server" in text:
        return "prefect_server"
    if "resource_tracker" in text:
        return "other"
    if "multiprocessing" in text or "spawn_main" in text:
        return "workers"
    return "flow"


class TreeSampler(threading.Thread):
    """Peak of RSS summed over a process and all its descendants, and CPU seconds by role
    (the flow process, Prefect's server, the workers), each process's last reading."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._cpu: dict[int, tuple[str, float]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
                    times = proc.cpu_times()
                    role = self._cpu[proc.pid][0] if proc.pid in self._cpu else _role(proc.cmdline())
                    self._cpu[proc.pid] = (role, times.user + times.system)
            self.peak = max(self.peak, total)
            self._halt.wait(self.interval)

    def cpu_by_role(self) -> dict[str, float]:
        roles: dict[str, float] = {}
        for role, seconds in self._cpu.values():
            roles[role] = roles.get(role, 0.0) + seconds
        return roles

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_pipeline(
    label: str, raw: Path, out: Path, workers: int, env: dict, logs: Path, docs: int
) -> PipelineRun:
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{label}.log"
    cmd = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--workers",
        str(workers),
    ]
    log(f"{label}: partnerflow run --raw {raw.name} --out {out.name} --workers {workers}")
    load_start = os.getloadavg()[0]
    with log_path.open("w") as handle:
        started_epoch = time.time()
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=CODE, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        sampler = TreeSampler(proc.pid) if psutil is not None else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        ended_epoch = time.time()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop()
    text = log_path.read_text(errors="replace")
    result = PipelineRun(
        label=label,
        docs=docs,
        workers=workers,
        wall=wall,
        returncode=proc.returncode,
        tree_peak_mb=sampler.peak / 2**20 if sampler else None,
        process_peak_mb=usage.ru_maxrss / 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        cpu_by_role=sampler.cpu_by_role() if sampler else {},
        load=(load_start, os.getloadavg()[0]),
        log_path=str(log_path),
    )
    if m := _SUMMARY.search(text):
        result.processed, result.reused = int(m.group(1)), int(m.group(2))
    result.phases = _timeline(text, started_epoch, ended_epoch)
    result.tasks, result.task_seconds, result.task_order = _task_runs(env["PREFECT_HOME"])
    if proc.returncode != 0:
        log(f"{label}: exit code {proc.returncode}; see {log_path}")
    else:
        log(f"{label}: {wall:.1f} s (processed {result.processed}, reused {result.reused})")
    return result


def _timeline(text: str, started: float, ended: float) -> dict[str, float]:
    """Seconds from the launch to each landmark of the run's log (Prefect's HH:MM:SS.mmm local times)."""
    base = datetime.fromtimestamp(started)
    marks: dict[str, float] = {"exit": ended - started}

    def at(m: re.Match) -> float:
        h, mi, s, ms = (int(g) for g in m.groups()[:4])
        moment = base.replace(hour=h, minute=mi, second=s, microsecond=ms * 1000)
        if moment < base - timedelta(hours=1):  # past midnight
            moment += timedelta(days=1)
        return moment.timestamp() - started

    task_ends = []
    for line in text.splitlines():
        m = _LOG_LINE.match(line)
        if not m:
            continue
        message = m.group(6)
        if "Starting temporary server" in message:
            marks.setdefault("server_start", at(m))
        elif "Beginning flow run" in message:
            marks["flow_begin"] = at(m)
        elif re.search(r"\d+ files in ", message):
            marks["discovered"] = at(m)
        elif message.startswith("Task run") and "Finished in state" in message:
            task_ends.append(at(m))
        elif "published release" in message:
            marks["published"] = at(m)
        elif message.startswith("Flow run") and "Finished in state" in message:
            marks["flow_end"] = at(m)
        elif "Stopping temporary server" in message:
            marks["server_stop"] = at(m)
    if task_ends:
        marks["last_task_end_log"] = max(task_ends)
    return marks


def _task_runs(prefect_home: str) -> tuple[dict[str, float], dict[str, float], list[str]]:
    """Task runs of the latest flow run, from the temporary server's database."""
    db = Path(prefect_home) / "prefect.db"
    if not db.exists():
        return {}, {}, []
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        row = con.execute(
            "SELECT id, start_time, end_time FROM flow_run ORDER BY created DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return {}, {}, []
        flow_id, flow_start, flow_end = row
        rows = con.execute(
            "SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ? AND start_time IS NOT NULL "
            "AND end_time IS NOT NULL",
            (flow_id,),
        ).fetchall()
        con.close()
    except sqlite3.Error as exc:
        log(f"cannot read task runs from {db}: {exc}")
        return {}, {}, []

    def ts(value: str) -> float:
        return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()

    if not rows:
        return {"count": 0}, {}, []
    starts = [ts(r[1]) for r in rows]
    ends = [ts(r[2]) for r in rows]
    durations = {r[0].removeprefix("process "): e - s for r, s, e in zip(rows, starts, ends, strict=True)}
    info = {
        "count": len(rows),
        "sum_seconds": sum(durations.values()),
        "window_seconds": max(ends) - min(starts),
        "flow_seconds": ts(flow_end) - ts(flow_start) if flow_start and flow_end else float("nan"),
        "flow_start_to_first_task": min(starts) - ts(flow_start) if flow_start else float("nan"),
        "last_task_to_flow_end": ts(flow_end) - max(ends) if flow_end else float("nan"),
    }
    order = [r[0].removeprefix("process ") for _, r in sorted(zip(starts, rows, strict=True))]
    return info, durations, order


# --------------------------------------------------------------------------- in-process measurements


def pool_start_seconds(workers: int) -> float:
    """DocumentPool start-up: spawn the workers, import, load spaCy, turn one trivial document."""
    from pipeline.run.workers import Budget, DocumentPool
    from pipeline.settings import Settings

    budget = Budget.of(Settings())
    trivial = Path(os.environ["BENCH_TRIVIAL"])
    started = time.perf_counter()
    pool = DocumentPool(workers, budget)
    try:
        # One trivial document per worker: the pool is ready when every worker has answered.
        threads = [
            threading.Thread(target=pool.process, args=(trivial, trivial.name, "0" * 64))
            for _ in range(workers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started
    finally:
        pool.close()


BUCKETS = {
    # id: (label, module prefixes whose entry (a call from outside them) is counted with its callees,
    #      or "module:function" for one function's cumulative time)
    "parse": ("parse (parse_document, all formats)", ("extractors.parsing:parse_document",)),
    "pdf": ("  of which pdfplumber/pdfminer", ("pdfplumber", "pdfminer")),
    "extract": ("extraction (extract_document)", ("extractors.extract:extract_document",)),
    "nlp": ("  of which NLP (spacy/thinc)", ("spacy", "thinc")),
    "dates": (
        "  of which dates (extractors.normalize.dates, dateparser)",
        ("extractors.normalize.dates", "dateparser"),
    ),
    "publish": (
        "publish (assemble_tables + publish_release, once for all documents)",
        ("pipeline.run.spool:assemble_tables", "pipeline.release.publish:publish_release"),
    ),
}


def _module_of(filename: str) -> str:
    path = Path(filename)
    for base in [*[Path(p) for p in sys.path if p.endswith("site-packages")], CODE]:
        with contextlib.suppress(ValueError):
            rel = path.relative_to(base)
            return ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
    return filename


def _entered_seconds(stats: pstats.Stats, prefixes: tuple[str, ...]) -> float:
    """Cumulative time spent inside modules with these prefixes, counted where it is entered from outside."""
    if all(":" in p for p in prefixes):
        total = 0.0
        for func, (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            module = _module_of(func[0])
            if any(module.startswith(p.split(":")[0]) and func[2] == p.split(":")[1] for p in prefixes):
                total += ct
        return total

    def inside(func) -> bool:
        module = _module_of(func[0])
        return any(module == p or module.startswith(p + ".") for p in prefixes)

    total = 0.0
    for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if not inside(func):
            continue
        for caller, edge in callers.items():
            if not inside(caller):
                total += edge[3]
    return total


def profile_documents(paths: list[Path], out_dir: Path) -> dict:
    """process_bytes over the documents (untimed warm-up of spaCy first), then assemble + publish."""
    from extractors.nlp import load_nlp
    from extractors.rules import load_all_rules
    from pipeline.release.publish import publish_release
    from pipeline.run.processing import process_bytes
    from pipeline.run.spool import assemble_tables

    load_all_rules()
    load_nlp()
    blobs = [(p.name, p.read_bytes()) for p in paths]

    # Plain timing first (no profiler overhead): per-document seconds, by format.
    plain: dict[str, float] = {}
    started = time.perf_counter()
    for name, data in blobs:
        t = time.perf_counter()
        process_bytes(data, source=name)
        plain[name] = time.perf_counter() - t
    plain_total = time.perf_counter() - started

    # Fresh NLP cache, so the profiled pass sees the same cache misses as the plain one.
    import extractors.nlp as nlp_module

    nlp_module._cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    results = [process_bytes(data, source=name) for name, data in blobs]
    tables = assemble_tables(results)
    publish_release(
        tables,
        out_dir,
        raw_dir=paths[0].parent,
        raw_files=[{"source": n, "sha256": "0" * 64, "bytes": len(d)} for n, d in blobs],
        code_version="bench",
    )
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(
        v[3]
        for f, v in stats.stats.items()
        if f[2] in ("process_bytes", "assemble_tables", "publish_release")
        and _module_of(f[0]).startswith("pipeline.")
    )  # type: ignore[attr-defined]
    process_total = sum(v[3] for f, v in stats.stats.items() if f[2] == "process_bytes")  # type: ignore[attr-defined]
    buckets = {key: _entered_seconds(stats, prefixes) for key, (_label, prefixes) in BUCKETS.items()}
    by_format: dict[str, list[float]] = {}
    for name, seconds in plain.items():
        by_format.setdefault(Path(name).suffix.lstrip("."), []).append(seconds)
    return {
        "docs": len(blobs),
        "plain_seconds": plain_total,
        "plain_by_doc": plain,
        "plain_by_format": {k: {"docs": len(v), "seconds": sum(v)} for k, v in sorted(by_format.items())},
        "profiled_total": total,
        "profiled_process_bytes": process_total,
        "buckets": buckets,
    }


# --------------------------------------------------------------------------- report


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def _verdict(value: float | None, target: float, upper: bool = True) -> str:
    if value is None:
        return "n/a"
    return "PASS" if (value <= target if upper else value >= target) else "MISS"


def _flow_seconds(run: dict | None) -> float | None:
    phases = (run or {}).get("phases", {})
    if "flow_begin" in phases and "flow_end" in phases:
        return phases["flow_end"] - phases["flow_begin"]
    return None


def build_report(r: dict) -> str:
    args, corpus = r["args"], r["corpus"]
    W = args["workers"]
    cold, warm, changed, small, one = (
        r["runs"].get(k) for k in ("cold", "warm", "changed", "small", "cold_1worker")
    )
    su_w, su_1 = r["runs"].get("startup"), r["runs"].get("startup_1worker")
    su_warm = r["runs"].get("startup_warm")
    bare1, bareW = r["bare"]["1"], r["bare"][str(W)]
    startup = su_w["wall"] if su_w else None
    startup1 = su_1["wall"] if su_1 else startup
    startup_warm = su_warm["wall"] if su_warm else startup
    # Beyond start-up: each run's own flow, from its log (flow begins -> flow ends). That leaves out
    # the interpreter, imports and the temporary Prefect server, and is measured inside the run, so
    # it does not depend on how loaded the machine was during a separate start-up run.
    republish = r["runs"].get("republish")
    net, net1, warm_net, changed_net = (_flow_seconds(x) for x in (cold, one, warm, changed))
    republish_net = _flow_seconds(republish)
    # The same by subtracting a trivial run's wall (a warm run starts no worker: its trivial run is cached).
    sub = cold["wall"] - startup if cold and startup is not None else None
    sub1 = one["wall"] - startup1 if one and startup1 is not None else None
    warm_sub = warm["wall"] - startup_warm if warm and startup_warm is not None else None
    changed_sub = changed["wall"] - startup if changed and startup is not None else None
    pages = bare1["pages"]
    lines = [
        f"# partnerflow benchmark: {corpus['docs']} documents",
        "",
        f"{r['when']} on {r['machine']}; commit {r['commit']}. "
        f"Corpus (seed {args['seed']}): {corpus['docs']} documents ({corpus['by_format']}), "
        f"{pages} PDF pages, {corpus['mb']:.1f} MB; small corpus {corpus['small_docs']} documents. "
        f"Workers: {W}. Load average before/after: {r['load_before']} / {r['load_after']} "
        "(2 cores shared: compare ratios, not seconds).",
        "",
        '"Beyond start-up" is each run\'s flow, from its own log: flow begins -> flow ends. It leaves out '
        "the interpreter, imports, the temporary Prefect server and the workers' start with spaCy "
        "(the start-up row: the command line starts the server, then the workers the run will "
        "need, before the flow begins).",
        "",
        "| measure | value | target | result |",
        "| --- | ---: | --- | --- |",
    ]
    ratio_cold_bare = _ratio(net, bareW["seconds"])
    warm_ratio = _ratio(warm_net, net)
    ch_ratio = _ratio(changed_net, net)
    speedup = _ratio(net1, net)
    rss_ratio = _ratio(cold and cold["tree_peak_mb"], small and small["tree_peak_mb"])
    headline = [
        (
            f"cold run beyond start-up / bare pdfplumber ({W} processes)",
            _fmt(ratio_cold_bare, "x"),
            "<= 1.5x",
            _verdict(ratio_cold_bare, 1.5),
        ),
        (
            "cold run: documents/s, PDF pages/s (beyond start-up)",
            f"{_fmt(net and corpus['docs'] / net)}, {_fmt(net and pages / net, '', 1)}",
            "",
            "",
        ),
        (
            f"start-up: run on one trivial document, {W} workers (unchanged: no worker, no publish)",
            f"{_fmt(startup, ' s', 1)} ({_fmt(startup_warm, ' s', 1)})",
            "<= 10 s",
            _verdict(startup, 10),
        ),
        (
            "warm re-run, nothing changed / cold run (both beyond start-up)",
            _fmt(warm_ratio and 100 * warm_ratio, " %", 1),
            "<= 5 %",
            _verdict(warm_ratio, 0.05),
        ),
        (
            "re-run that rebuilds the release from the cache (a copy of a file added: nothing to parse) "
            "/ cold run (both beyond start-up)",
            _fmt(republish_net and net and 100 * republish_net / net, " %", 1),
            "",
            "",
        ),
        (
            "re-run after one file changed / cold run (both beyond start-up)",
            _fmt(ch_ratio and 100 * ch_ratio, " %", 1),
            "<= 10 %",
            _verdict(ch_ratio, 0.10),
        ),
        (
            f"speed-up 1 -> {W} workers (beyond start-up)",
            _fmt(speedup, "x"),
            ">= 1.7x",
            _verdict(speedup, 1.7, upper=False),
        ),
        (
            f"peak RSS of the process tree, {corpus['docs']} docs / {corpus['small_docs']} docs",
            _fmt(rss_ratio, "x"),
            "<= 1.2x",
            _verdict(rss_ratio, 1.2),
        ),
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in headline]
    lines += ["", "## Figures", "", "| figure | value |", "| --- | ---: |"]

    def tries(b: dict) -> str:
        return " / ".join(f"{t:.1f}" for t in b.get("tries", []))

    rows = [
        (
            "bare pdfplumber, 1 process (fastest of: start / end of the run, s)",
            f"{_fmt(bare1['seconds'], ' s', 1)} ({tries(bare1)}; {_fmt(pages / bare1['seconds'], ' pages/s', 1)})",
        ),
        (
            f"bare pdfplumber, {W} processes (fastest of: start / end of the run, s)",
            f"{_fmt(bareW['seconds'], ' s', 1)} ({tries(bareW)}; {_fmt(pages / bareW['seconds'], ' pages/s', 1)}; "
            f"{_fmt(_ratio(bare1['seconds'], bareW['seconds']), 'x')} over 1)",
        ),
    ]
    if cold:
        rows += [
            (f"cold run, {W} workers: wall", _fmt(cold["wall"], " s", 1)),
            ("cold run: flow (beyond start-up)", _fmt(net, " s", 1)),
            ("cold run: wall - wall of the trivial run", _fmt(sub, " s", 1)),
            (
                "cold run: documents/s (wall; flow)",
                f"{_fmt(corpus['docs'] / cold['wall'])}; {_fmt(net and corpus['docs'] / net)}",
            ),
            (
                "cold run: PDF pages/s (wall; flow)",
                f"{_fmt(pages / cold['wall'], '', 1)}; {_fmt(net and pages / net, '', 1)}",
            ),
            (
                "cold run (flow) / bare pdfplumber, 1 process",
                _fmt(_ratio(net, bare1["seconds"]), "x"),
            ),
            (
                "cold run, whole wall / bare pdfplumber, " + f"{W} processes",
                _fmt(_ratio(cold["wall"], bareW["seconds"]), "x"),
            ),
        ]
    if r.get("profile", {}).get("plain_by_format"):
        fmt = r["profile"]["plain_by_format"]
        total = sum(v["seconds"] for v in fmt.values())
        pdf_share = fmt.get("pdf", {"seconds": 0})["seconds"] / total if total else None
        rows.append(
            (
                "share of per-document compute spent on PDFs (small corpus, in-process)",
                _fmt(pdf_share and 100 * pdf_share, " %", 0),
            )
        )
        rows.append(
            (
                "cold run (flow) x PDF share / bare pdfplumber: PDF-only estimate",
                _fmt(ratio_cold_bare and pdf_share and ratio_cold_bare * pdf_share, "x"),
            )
        )
        if r.get("bare_small") and "pdf" in fmt:
            rows.append(
                (
                    "in-process `process_bytes` on the small corpus's PDFs / bare pdfplumber on the same PDFs "
                    "(1 process each; no start-up, Prefect or pool)",
                    _fmt(_ratio(fmt["pdf"]["seconds"], r["bare_small"]["seconds"]), "x"),
                )
            )
    if su_w:
        rows.append((f"start-up, {W} workers (trivial run wall)", _fmt(su_w["wall"], " s", 1)))
    if su_1:
        rows.append(("start-up, 1 worker (trivial run wall)", _fmt(su_1["wall"], " s", 1)))
    if su_w and _flow_seconds(su_w) is not None:
        rows.append(
            (
                "start-up split: outside the flow (interpreter, imports, Prefect server and workers "
                "starting, server stop) / the trivial run's flow (one document, publish)",
                f"{su_w['wall'] - _flow_seconds(su_w):.1f} s / {_flow_seconds(su_w):.1f} s",
            )
        )
    if su_warm:
        rows.append(
            (
                "start-up, trivial document unchanged: no worker starts, nothing published (trivial run wall)",
                _fmt(su_warm["wall"], " s", 1),
            )
        )
    if r.get("first_startup") is not None:
        rows.append(
            (
                "first start-up with a new PREFECT_HOME (database created; not used above)",
                _fmt(r["first_startup"], " s", 1),
            )
        )
    if r.get("pool_start") is not None:
        rows.append(
            (
                f"worker pool start + spaCy load, {W} workers (in-process, first answer from each)",
                _fmt(r["pool_start"], " s", 1),
            )
        )
    for key, title in (
        ("warm", "warm re-run"),
        ("changed", "one file changed"),
        ("small", f"small corpus ({corpus['small_docs']} docs) cold"),
        ("cold_1worker", "cold run, 1 worker"),
    ):
        run = r["runs"].get(key)
        if run:
            extra = (
                f" (processed {run['processed']}, reused {run['reused']})"
                if run.get("processed") is not None
                else ""
            )
            rows.append((f"{title}: wall", _fmt(run["wall"], " s", 1) + extra))
    for title, num, den, percent in (
        (f"cold run (wall - trivial run) / bare pdfplumber, {W} processes", sub, bareW["seconds"], False),
        ("warm re-run / cold run, walls less their trivial runs", warm_sub, sub, True),
        ("one file changed / cold run, walls less the trivial run", changed_sub, sub, True),
        (f"speed-up 1 -> {W} workers, walls less their trivial runs", sub1, sub, False),
    ):
        ratio = _ratio(num, den)
        rows.append((title, _fmt(ratio and 100 * ratio, " %", 1) if percent else _fmt(ratio, "x")))
    for key, title in (("warm", "warm re-run"), ("changed", "one file changed")):
        ratio = _ratio(r["runs"][key]["wall"], cold["wall"]) if key in r["runs"] and cold else None
        rows.append(
            (f"{title} / cold run, whole walls (start-up included)", _fmt(ratio and 100 * ratio, " %", 1))
        )
    if one and cold:
        rows.append((f"speed-up 1 -> {W} workers, whole wall", _fmt(_ratio(one["wall"], cold["wall"]), "x")))
        if one.get("tasks", {}).get("window_seconds") and cold.get("tasks", {}).get("window_seconds"):
            rows.append(
                (
                    f"speed-up 1 -> {W} workers, document window only (first task start to last task end)",
                    _fmt(_ratio(one["tasks"]["window_seconds"], cold["tasks"]["window_seconds"]), "x"),
                )
            )
    for key in ("cold", "small", "warm", "startup"):
        run = r["runs"].get(key)
        if run:
            rows.append(
                (
                    f"peak RSS, {key}: process tree (psutil sum) / largest process (wait4)",
                    f"{_fmt(run['tree_peak_mb'], ' MB', 0)} / {_fmt(run['process_peak_mb'], ' MB', 0)}",
                )
            )
    if cold and small:
        rows.append(
            (
                "peak RSS ratio, largest single process",
                _fmt(_ratio(cold["process_peak_mb"], small["process_peak_mb"]), "x"),
            )
        )
    if cold and su_w and bare1.get("cpu_seconds"):
        cpu_net = cold["cpu_seconds"] - su_w["cpu_seconds"]
        rows.append(
            (
                "CPU time (flow, Prefect server, workers) of the cold run beyond start-up / bare pdfplumber's "
                "CPU time (less sensitive to the machine's other load than walls)",
                f"{_fmt(_ratio(cpu_net, bare1['cpu_seconds']), 'x')} ({cpu_net:.0f} s / {bare1['cpu_seconds']:.0f} s)",
            )
        )
    lines += [f"| {a} | {b} |" for a, b in rows]
    lines += [
        "",
        "## Runs",
        "",
        "| run | documents processed / reused | wall s | CPU s | 1-min load at start / end |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for key, run in r["runs"].items():
        load = run.get("load") or (float("nan"), float("nan"))
        lines.append(
            f"| {key} ({run['workers']} workers) | {run.get('processed')} / {run.get('reused')} | {run['wall']:.1f} "
            f"| {run.get('cpu_seconds', float('nan')):.1f} | {load[0]:.1f} / {load[1]:.1f} |"
        )

    if cold and cold.get("phases"):
        lines += [
            "",
            f"## Where the cold run's time goes ({corpus['docs']} documents, from the run's log and Prefect's task runs)",
            "",
        ]
        lines += _phase_table(cold, W)
    if r.get("profile"):
        lines += ["", "## Where a document's time goes (cProfile over the small corpus, in-process)", ""]
        lines += _profile_table(r["profile"])
    lines += _cpu_table(r, corpus["docs"])
    lines += ["", "Logs of every run: `" + r["logs"] + "` (kept with --keep)."]
    return "\n".join(lines) + "\n"


def _phase_table(run: dict, workers: int) -> list[str]:
    p, t = run["phases"], run.get("tasks", {})
    wall = run["wall"]
    order = [
        ("launch -> 'Starting temporary server' (interpreter, imports)", 0.0, p.get("server_start")),
        ("temporary server start -> flow begins", p.get("server_start"), p.get("flow_begin")),
        ("discover + hash raw files", p.get("flow_begin"), p.get("discovered")),
    ]
    # Task start times come from the server's database; anchored at the flow's start in the log.
    first_task = last_task = None
    if "flow_begin" in p and t.get("count"):
        first_task = p["flow_begin"] + t["flow_start_to_first_task"]
        last_task = first_task + t["window_seconds"]
    order += [
        ("cache look-ups, pool created, first task starts", p.get("discovered"), first_task),
        ("documents: first task start -> last task end", first_task, last_task),
        ("assemble tables + publish release", last_task, p.get("published")),
        ("summary artifact, flow ends", p.get("published"), p.get("flow_end")),
        ("server stop, interpreter exit", p.get("flow_end"), p.get("exit")),
    ]
    lines = ["| phase | seconds | share of wall |", "| --- | ---: | ---: |"]
    for name, a, b in order:
        if a is None or b is None:
            lines.append(f"| {name} | n/a | |")
            continue
        lines.append(f"| {name} | {b - a:.1f} | {100 * (b - a) / wall:.0f} % |")
    lines.append(f"| **wall** | {wall:.1f} | 100 % |")
    return lines


def _cpu_table(r: dict, docs: int) -> list[str]:
    """CPU seconds by process role in the cold and trivial runs, and what each document adds."""
    cold, trivial = r["runs"].get("cold"), r["runs"].get("startup")
    if not cold or not cold.get("cpu_by_role") or not trivial or not trivial.get("cpu_by_role"):
        return []
    roles = [
        ("flow", "flow process (Prefect client, task engine, results, publish)"),
        ("prefect_server", "Prefect's temporary server (API, task-run recording)"),
        ("workers", "worker processes (parsing, extraction; spaCy load)"),
    ]
    lines = [
        "",
        "## Where the CPU goes, by process (sampled with psutil)",
        "",
        f"| process | cold run, {docs} documents | trivial run, 1 document | per extra document |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, name in roles:
        a, b = cold["cpu_by_role"].get(key, 0.0), trivial["cpu_by_role"].get(key, 0.0)
        lines.append(f"| {name} | {a:.1f} s | {b:.1f} s | {1000 * (a - b) / max(1, docs - 1):.0f} ms |")
    total_cold = sum(cold["cpu_by_role"].get(k, 0.0) for k, _ in roles)
    total_trivial = sum(trivial["cpu_by_role"].get(k, 0.0) for k, _ in roles)
    lines.append(
        f"| all | {total_cold:.1f} s | {total_trivial:.1f} s | {1000 * (total_cold - total_trivial) / max(1, docs - 1):.0f} ms |"
    )
    return lines


def _profile_table(prof: dict) -> list[str]:
    total = prof["profiled_total"]
    lines = [
        f"{prof['docs']} documents, in-process without profiler: {prof['plain_seconds']:.1f} s "
        + "("
        + ", ".join(f"{k} {v['docs']} docs {v['seconds']:.1f} s" for k, v in prof["plain_by_format"].items())
        + "). "
        f"Under cProfile: process_bytes {prof['profiled_process_bytes']:.1f} s + assemble/publish, {total:.1f} s in all. "
        "Time is counted where a bucket's modules are entered from outside them, callees included.",
        "",
        "| bucket | profiled seconds | share |",
        "| --- | ---: | ---: |",
    ]
    b = prof["buckets"]
    rest = total - b["parse"] - b["extract"] - b["publish"]
    rows = [
        *[(BUCKETS[k][0], b[k]) for k in ("parse", "pdf", "extract", "nlp", "dates")],
        ("  of which rules and the rest of extraction", b["extract"] - b["nlp"] - b["dates"]),
        (BUCKETS["publish"][0], b["publish"]),
        ("rest of process_bytes (hashing, records, judging)", rest),
    ]
    lines += [f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f} % |" for label, seconds in rows]
    return lines


# --------------------------------------------------------------------------- main

PACKAGES = ("pipeline", "extractors", "schemas")


def snapshot_code(work: Path) -> Path:
    """Copy the project's packages as they are now (uncommitted edits included).

    Other engineers edit this tree while the benchmark runs; an edit to extractors/
    or schemas/ changes the result cache's code fingerprint and would turn the warm
    re-run into a cold one. The snapshot keeps the measured code fixed for the run.
    """
    src = work / "code"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy2(ROOT / "pyproject.toml", src / "pyproject.toml")
    return src


def _check_code_path(env: dict) -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pipeline, extractors, schemas; print(pipeline.__file__, extractors.__file__)",
        ],
        cwd=CODE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if probe.returncode != 0 or any(not Path(f).is_relative_to(CODE) for f in probe.stdout.split()):
        raise SystemExit(
            f"benchmarks: the pipeline does not import from {CODE}: {probe.stdout}{probe.stderr}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500, help="documents in the main corpus (default 500)")
    parser.add_argument("--small", type=int, default=50, help="documents in the small corpus (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the measured runs (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the corpora, outputs and logs")
    parser.add_argument(
        "--work", type=Path, default=BENCH / ".work", help="work folder (default benchmarks/.work)"
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--live",
        action="store_true",
        help="run the working tree in place instead of a snapshot of its packages",
    )
    parser.add_argument("--report", type=Path, help="only re-render the report from a saved latest.json")
    args = parser.parse_args(argv)
    if args.report:
        write_results(json.loads(args.report.read_text()), args.results)
        return 0
    try:
        import fpdf  # noqa: F401
    except ImportError:
        print(
            "benchmarks: needs fpdf2 to write PDFs (pinned in requirements.lock): make setup", file=sys.stderr
        )
        return 2
    W = args.workers
    began = time.perf_counter()
    work = args.work.resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    logs = work / "logs"
    global CODE
    CODE = ROOT if args.live else snapshot_code(work)
    sys.path.insert(0, str(CODE))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(CODE), *filter(None, [env.get("PYTHONPATH")])])
    env["PREFECT_HOME"] = str(work / "prefect-home")
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    env["PYTHONUNBUFFERED"] = "1"
    _check_code_path(env)
    trivial_dir = work / "raw-trivial"
    trivial_dir.mkdir()
    (trivial_dir / "trivial_workshop.html").write_text(TRIVIAL_HTML)
    os.environ["BENCH_TRIVIAL"] = str(trivial_dir / "trivial_workshop.html")

    report: dict = {
        "when": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()})",
        "commit": _commit()
        + (
            "" if args.live else "; measured on a snapshot of pipeline/, extractors/, schemas/ taken at start"
        ),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "runs": {},
        "logs": str(logs),
    }

    log(f"generating {args.docs} + {args.small} documents (seed {args.seed})")
    raw_n, raw_small = work / f"raw-{args.docs}", work / f"raw-{args.small}"
    paths = generate_corpus.generate(args.docs, raw_n, args.seed)
    small_paths = generate_corpus.generate(args.small, raw_small, args.seed + 1)
    by_format: dict[str, int] = {}
    for p in paths:
        by_format[p.suffix[1:]] = by_format.get(p.suffix[1:], 0) + 1
    report["corpus"] = {
        "docs": len(paths),
        "small_docs": len(small_paths),
        "by_format": ", ".join(f"{k} {v}" for k, v in sorted(by_format.items())),
        "mb": sum(p.stat().st_size for p in paths) / 2**20,
    }
    pdfs = [p for p in paths if p.suffix == ".pdf"]

    report["bare"] = {}
    measure_bare(report["bare"], pdfs, W)

    def pipeline(label: str, raw: Path, out: Path, workers: int, docs: int) -> dict:
        run = run_pipeline(label, raw, out, workers, env, logs, docs)
        report["runs"][label] = asdict(run)
        return report["runs"][label]

    first = pipeline("first_startup", trivial_dir, work / "out-first", W, 1)
    report["first_startup"] = first["wall"]
    pipeline("startup", trivial_dir, work / "out-startup", W, 1)
    # The same again: the document is cached, so no worker starts (the fixed part of a warm re-run).
    pipeline("startup_warm", trivial_dir, work / "out-startup", W, 1)
    if W != 1:
        pipeline("startup_1worker", trivial_dir, work / "out-startup-1", 1, 1)
    out_n = work / f"out-{args.docs}"
    pipeline("cold", raw_n, out_n, W, len(paths))
    if W != 1:
        pipeline("cold_1worker", raw_n, work / f"out-{args.docs}-1worker", 1, len(paths))
    pipeline("warm", raw_n, out_n, W, len(paths))
    # Everything cached, yet the release must be rebuilt: the same content under one more name.
    extra = raw_n / f"zz_copy_of_{paths[0].name}"
    shutil.copy(paths[0], extra)
    pipeline("republish", raw_n, out_n, W, len(paths))
    extra.unlink()
    victim = pdfs[0] if pdfs else paths[0]
    index = int(victim.name.split("_", 1)[0])
    name, data = generate_corpus.make_document(index, args.seed, revision=1, fmt=victim.suffix[1:])
    assert name == victim.name, (name, victim.name)
    victim.write_bytes(data)
    report["changed_file"] = victim.name
    pipeline("changed", raw_n, out_n, W, len(paths))
    pipeline("small", raw_small, work / f"out-{args.small}", W, len(small_paths))

    log(f"worker pool start-up, {W} workers (in-process)")
    report["pool_start"] = pool_start_seconds(W)
    log(f"cProfile of process_bytes over the {len(small_paths)} small-corpus documents")
    report["profile"] = profile_documents(small_paths, work / "out-profile")
    report["bare_small"] = bare_pdfplumber([p for p in small_paths if p.suffix == ".pdf"], 1)
    # The baseline again, at the end: the faster of the two is the baseline (less disturbed).
    measure_bare(report["bare"], pdfs, W)
    report["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    report["harness_seconds"] = time.perf_counter() - began

    write_results(report, args.results)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def write_results(report: dict, results: Path) -> None:
    """The report on stdout and in results/latest.md and results/<N>docs.md; raw figures in latest.json."""
    text = build_report(report)
    text += f"\nHarness wall time {report['harness_seconds'] / 60:.1f} min.\n"
    print(text)
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.md").write_text(text)
    (results / f"{report['corpus']['docs']}docs.md").write_text(text)
    (results / "latest.json").write_text(json.dumps(report, indent=1, default=str))
    log(f"wrote {results / 'latest.md'}")


def measure_bare(bare: dict, pdfs: list[Path], workers: int) -> None:
    """Bare pdfplumber with 1 and with `workers` processes; keeps every try and the fastest."""
    for n in sorted({1, workers}):
        log(f"bare pdfplumber over {len(pdfs)} PDFs: {n} process(es)")
        result = bare_pdfplumber(pdfs, n)
        key = str(n)
        tries = [*bare.get(key, {}).get("tries", []), result["seconds"]]
        best = min(result, bare.get(key, result), key=lambda r: r["seconds"])
        bare[key] = {**best, "tries": tries}
        log(f"bare, {n} process(es): {result['seconds']:.1f} s, {result['pages']} pages")


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
