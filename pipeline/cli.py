"""partnerflow command line: a thin layer over the flows and the library."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from extractors import EXTRACTOR_VERSION


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from prefect.task_runners import ThreadPoolTaskRunner

    from pipeline.flows import ingest
    from pipeline.locking import RunLockedError
    from pipeline.settings import Settings

    settings = Settings()
    raw = Path(args.raw) if args.raw else settings.raw_path
    out = Path(args.out) if args.out else settings.out_path
    if not raw.is_dir():
        print(f"partnerflow: raw folder {raw} does not exist", file=sys.stderr)
        return 2
    workers = args.workers or settings.workers
    # Task threads only wait on worker processes: one thread per worker is enough.
    flow = ingest.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    started = time.perf_counter()
    try:
        summary = flow(
            raw_dir=str(raw.resolve()), out_dir=str(out.resolve()), workers=workers, wait=args.wait
        )
    except RunLockedError as exc:
        print(f"partnerflow: {exc}", file=sys.stderr)
        return 3
    elapsed = time.perf_counter() - started
    print()
    print(summary.to_markdown())
    print(f"\nwall time {elapsed:.1f} s; tables in {out / 'current'}")
    return 0


def _dask_runner(address: str, workers: int):
    from prefect_dask import DaskTaskRunner

    if address == "local":
        # Processes, one thread each: parsing and NLP are CPU-bound.
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
        )
    return DaskTaskRunner(address=address)


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluation import format_report, load_gold, load_predictions, score

    gold_dir = Path(args.gold)
    dataset = Path(args.dataset)
    if not gold_dir.is_dir():
        print(f"partnerflow: gold folder {gold_dir} does not exist", file=sys.stderr)
        return 2
    if not dataset.exists():
        print(f"partnerflow: dataset {dataset} does not exist (run `partnerflow run` first)", file=sys.stderr)
        return 2
    report = score(load_gold(gold_dir), load_predictions(dataset))
    print(format_report(report, details=not args.summary))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from prefect import serve

    from pipeline.flows import build_deployment
    from pipeline.settings import Settings

    settings = Settings()
    raw = Path(args.raw) if args.raw else settings.raw_path
    out = Path(args.out) if args.out else settings.out_path
    deployment = build_deployment(
        raw_dir=str(raw.resolve()),
        out_dir=str(out.resolve()),
        cron=args.cron,
        interval=args.interval,
        workers=args.workers or settings.workers,
    )
    print(f"serving partnerflow-ingest on {args.cron or f'every {args.interval:g} s'}; Ctrl-C stops")
    serve(deployment)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerflow",
        description="Turn raw partnership documents into a clean, trusted dataset.",
    )
    parser.add_argument("--version", action="version", version=f"partnerflow {EXTRACTOR_VERSION}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest the raw folder and publish a new release")
    run.add_argument("--raw", help="folder of raw documents (default: settings raw_dir, 'raw')")
    run.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    run.add_argument("--workers", type=int, help="documents processed at once (default: settings, 2)")
    run.add_argument("--wait", action="store_true", help="if another run holds the output, wait for it")
    run.add_argument(
        "--no-cache", action="store_true", help="process every document again, ignoring the cache"
    )
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run documents on a Dask cluster (tcp://scheduler:8786), or 'local' for a local cluster of --workers",
    )
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="serve the ingest flow on a schedule (a Prefect deployment)")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help="cron expression, e.g. '0 * * * *'")
    when.add_argument("--interval", type=float, help="seconds between runs")
    serve.add_argument("--raw", help="folder of raw documents")
    serve.add_argument("--out", help="output folder")
    serve.add_argument("--workers", type=int, help="documents processed at once")
    serve.set_defaults(handler=_serve)

    evaluate = commands.add_parser("eval", help="score a published dataset against gold annotations")
    evaluate.add_argument(
        "--gold", default="tests/gold", help="folder of gold JSON files (default: tests/gold)"
    )
    evaluate.add_argument(
        "--dataset", default="output/current", help="published release folder (default: output/current)"
    )
    evaluate.add_argument("--summary", action="store_true", help="only the scores, no per-document details")
    evaluate.set_defaults(handler=_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
