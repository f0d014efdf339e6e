"""partnerflow command line: a thin layer over the flows and the library."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from pipeline.errors import (
    ImportRejectedError,
    NoExtractionError,
    PartnerflowError,
    PublishAfterImportError,
    RunLockedError,
    ServerStartError,
)

# Exit codes of the errors a command can end with, most specific first (the first match wins); any
# other PartnerflowError exits with 2: an input or a state of the output the user can fix.
EXIT_CODES: tuple[tuple[type[PartnerflowError], int], ...] = (
    (RunLockedError, 3),
    (ServerStartError, 1),
    (ImportRejectedError, 1),
)
DEFAULT_EXIT_CODE = 2


def exit_code(error: PartnerflowError) -> int:
    """The exit code of ``error``: the one place commands' errors become exit codes."""
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), DEFAULT_EXIT_CODE)


def _run(args: argparse.Namespace) -> int:
    from pipeline.run.runner import run_ingest
    from pipeline.settings import Settings

    settings = Settings()
    raw = Path(args.raw) if args.raw else settings.raw_path
    out = Path(args.out) if args.out else settings.out_path
    if not raw.is_dir():
        print(f"partnerflow: raw folder {raw} does not exist", file=sys.stderr)
        return 2
    started = time.perf_counter()
    summary = run_ingest(
        raw,
        out,
        workers=args.workers or settings.workers,
        wait=args.wait,
        use_cache=not args.no_cache,
        dask=args.dask,
        settings=settings,
    )
    elapsed = time.perf_counter() - started
    print()
    print(summary.to_markdown())
    print(f"\nwall time {elapsed:.1f} s; tables in {out / 'current'}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluation.gold import load_gold, load_predictions
    from pipeline.evaluation.scoring import format_report, score

    if args.corrections:
        return _eval_corrections(args)
    gold_dir = Path(args.gold)
    dataset = Path(args.dataset)
    if not gold_dir.is_dir():
        print(f"partnerflow: gold folder {gold_dir} does not exist", file=sys.stderr)
        return 2
    if args.raw:
        return _eval_raw(Path(args.raw), gold_dir, details=not args.summary, stages=args.stages)
    if not dataset.exists():
        print(f"partnerflow: dataset {dataset} does not exist (run `partnerflow run` first)", file=sys.stderr)
        return 2
    gold, predicted = load_gold(gold_dir), load_predictions(dataset, confidence=args.calibration)
    report = score(gold, predicted)
    print(format_report(report, details=not args.summary))
    if args.calibration:
        from pipeline.evaluation.calibration import calibration, format_calibration
        from pipeline.settings import Settings

        print()
        print(format_calibration(calibration(gold, predicted, threshold=Settings().review_threshold)))
    return 0


def _eval_raw(raw: Path, gold_dir: Path, *, details: bool, stages: bool) -> int:
    from pipeline.evaluation.corpus import format_corpus_score, predict_folder, score_corpus
    from pipeline.evaluation.gold import load_gold
    from pipeline.settings import Settings

    if not raw.is_dir():
        print(f"partnerflow: raw folder {raw} does not exist", file=sys.stderr)
        return 2
    gold = load_gold(gold_dir)
    result = score_corpus(gold, predict_folder(raw), threshold=Settings().review_threshold)
    print(format_corpus_score(result, details=details))
    if stages:
        from pipeline.evaluation.corpus import stage_figures

        print()
        print(stage_figures(raw, gold).format())
    return 0


def _reviewed_documents(args: argparse.Namespace):
    from pipeline.evaluation.reviewed import load_reviewed

    settings, out = _corrections_context(args)
    return load_reviewed(settings, out)


def _first_read(args: argparse.Namespace) -> int:
    import subprocess

    from pipeline.evaluation.corpus import predict_folder
    from pipeline.evaluation.first_reads import FIRST_READS_PATH, FirstRead, save_first_read, tally_methods
    from pipeline.evaluation.gold import load_gold
    from pipeline.settings import PROJECT_ROOT

    raw, gold_dir = Path(args.raw), Path(args.gold)
    if not raw.is_dir() or not gold_dir.is_dir():
        print(f"partnerflow: first-read needs folders: {raw} and {gold_dir}", file=sys.stderr)
        return 2
    gold = load_gold(gold_dir)
    predicted = predict_folder(raw)
    methods = tally_methods(gold, predicted)
    scored = sum(1 for stem in gold if stem in predicted)
    if not scored:
        print(f"partnerflow: no document of {raw} has gold in {gold_dir}", file=sys.stderr)
        return 2
    commit = (
        args.commit
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    read = FirstRead(label=args.label, commit=commit or "unknown", documents=scored, methods=methods)
    reads = save_first_read(read, Path(args.into) if args.into else FIRST_READS_PATH)
    rows = sum(t.rows for t in methods.values())
    right = sum(t.right for t in methods.values())
    print(f"{args.label}: {scored} documents, {rows} rows, {right} right, on {commit or 'unknown'}")
    print(f"first reads on record: {', '.join(r.label for r in reads)}; `partnerflow train` adds them")
    return 0


def _train(args: argparse.Namespace) -> int:
    from pipeline.evaluation.training import MODELS_DIR, train, training_corpora

    corpora = training_corpora()
    for corpus in corpora:
        print(f"{corpus.name:<14} {'found' if corpus.available else 'absent, skipped'}: {corpus.raw}")
    reviewed = [] if args.no_corrections else _reviewed_documents(args)
    print(f"{'reviewed':<14} {len(reviewed)} documents corrected by reviewers (the ledger applied)")
    try:
        models = train(corpora, reviewed=reviewed)
    except FileNotFoundError as exc:
        print(f"partnerflow: {exc}", file=sys.stderr)
        return 2
    methods = models.confidence["methods"]
    rows = sum(m["rows"] for m in methods.values())
    right = sum(m["right"] for m in methods.values())
    labels = sum(models.section_roles.trained_on.values())
    print(f"section roles: {labels:g} labels ({models.section_roles.trained_on}) -> {MODELS_DIR}")
    print(f"confidence model: {len(methods)} methods, {rows:g} rows ({right:g} right) -> {MODELS_DIR}")
    print("the models take effect at the next run, which re-extracts every document with them")
    return 0


def _eval_corrections(args: argparse.Namespace) -> int:
    from pipeline.evaluation.training import corrections_gain

    reviewed = _reviewed_documents(args)
    if len(reviewed) < 2:
        print(
            f"partnerflow: {len(reviewed)} reviewed documents found; measuring the gain needs at least two",
            file=sys.stderr,
        )
        return 2
    print(corrections_gain(reviewed).format())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from prefect import serve

    from pipeline.run.flow import build_deployment
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


def _out_dir(args: argparse.Namespace) -> Path:
    from pipeline.settings import Settings

    return Path(args.out) if args.out else Settings().out_path


def _releases(args: argparse.Namespace) -> int:
    from pipeline.release.publish import list_releases, read_current

    out = _out_dir(args)
    releases = list_releases(out)
    if not releases:
        print(f"partnerflow: no releases in {out} (run `partnerflow run` first)", file=sys.stderr)
        return 2
    current = read_current(out)
    width = max(len(r["id"]) for r in releases)
    print(f"  {'release':<{width}}  {'created':<32}  {'rows':>8}")
    for release in releases:
        mark = "*" if current is not None and Path(release["path"]).resolve() == current else " "
        rows = sum(int(n) for n in release["row_counts"].values())
        print(f"{mark} {release['id']:<{width}}  {str(release['created_at']):<32}  {rows:>8}")
    print("\n* current")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.release.history import (
        diff_releases,
        format_diff,
        previous_and_current,
        resolve_release,
    )

    out = _out_dir(args)
    if len(args.releases) not in (0, 2):
        print("partnerflow: diff takes two releases (A B), or none for previous vs current", file=sys.stderr)
        return 2
    if args.releases:
        a, b = (resolve_release(out, ref) for ref in args.releases)
    else:
        a, b = previous_and_current(out)
    print(format_diff(diff_releases(a, b), limit=args.limit), end="")
    return 0


def _corrections_context(args: argparse.Namespace):
    from pipeline.settings import Settings

    settings = Settings()
    out = Path(args.out).resolve() if getattr(args, "out", None) else settings.out_path
    return settings, out


def _print_conflicts(conflicts) -> None:
    if not conflicts:
        return
    print(f"{len(conflicts)} correction(s) in conflict, kept in the ledger but not applied:")
    for c in conflicts[:20]:
        print(
            f"  #{c.correction_id} {c.action} {c.table} {c.row_id or ''} ({c.source or c.doc_id}): {c.message}"
        )
    if len(conflicts) > 20:
        print(f"  ... and {len(conflicts) - 20} more")
    print("resolve them in `partnerflow review` (Conflicts)")


def _publish(args: argparse.Namespace) -> int:
    from pipeline.release.build import publish_with_corrections

    settings, out = _corrections_context(args)
    release, conflicts = publish_with_corrections(out, settings, wait=args.wait)
    print(
        f"published release {release.name} in {out} with the corrections of {settings.resolve(settings.corrections_db)}"
    )
    _print_conflicts(conflicts)
    return 0


def _review(args: argparse.Namespace) -> int:
    from pipeline.review.app import serve
    from pipeline.review.security import check_bind

    settings, out = _corrections_context(args)
    token = args.token or os.environ.get("PARTNERFLOW_REVIEW_TOKEN") or None
    check_bind(args.host, token)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"review app for {out} on http://{host}:{args.port}/" + ("?token=<your token>" if token else ""))
    print("Ctrl-C stops it")
    serve(
        settings, host=args.host, port=args.port, token=token, out_dir=out, low_confidence=args.low_confidence
    )
    return 0


def _corrections(args: argparse.Namespace) -> int:
    from pipeline.corrections.csv_io import export_csv, import_csv
    from pipeline.corrections.store import open_store
    from pipeline.release.build import publish_with_corrections, working_tables

    settings, out = _corrections_context(args)
    store = open_store(settings)
    if args.corrections_command == "export":
        count = export_csv(store.entries(), Path(args.file))
        print(f"{count} ledger entries written to {args.file}")
        return 0
    working = working_tables(out, store.entries())
    result = import_csv(
        store, Path(args.file), reviewer=args.reviewer, tables=working[0] if working else None
    )
    print(
        f"{len(result.added)} correction(s) added to the ledger; {result.already_in_ledger} row(s) already there"
    )
    if result.added and not args.no_publish:
        try:
            release, conflicts = publish_with_corrections(out, settings, wait=True)
        except NoExtractionError as exc:  # not an error: the ledger is saved, and a run publishes it
            print(f"not published: {exc}")
            return 0
        except PartnerflowError as exc:
            raise PublishAfterImportError(f"saved, but publishing failed: {exc}") from exc
        print(f"published release {release.name}")
        _print_conflicts(conflicts)
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
    evaluate.add_argument(
        "--raw",
        help="score a folder of raw documents instead: extract them in-process (no run, no release)"
        " and report scores, calibration and review coverage",
    )
    evaluate.add_argument("--summary", action="store_true", help="only the scores, no per-document details")
    evaluate.add_argument(
        "--stages",
        action="store_true",
        help="with --raw: also how far each extraction stage carries the gold facts",
    )
    evaluate.add_argument(
        "--calibration",
        action="store_true",
        help="also how often rows are right by confidence, and the share sent to review",
    )
    evaluate.add_argument(
        "--corrections",
        action="store_true",
        help="what retraining on reviewers' corrections is worth: F1 on a held-back half of the reviewed"
        " documents, before and after learning from the other half",
    )
    evaluate.add_argument("--out", help="with --corrections: output folder (default: settings out_dir)")
    evaluate.set_defaults(handler=_eval)

    training = commands.add_parser(
        "train",
        help="build the learned components (section roles, confidence) from the annotated corpora and"
        " the documents reviewers corrected",
    )
    training.add_argument("--out", help="output folder whose saved extraction the ledger corrects")
    training.add_argument(
        "--no-corrections", action="store_true", help="learn from the annotated corpora only, not the ledger"
    )
    training.set_defaults(handler=_train)

    first_read = commands.add_parser(
        "first-read",
        help="score new authors' documents once, before anyone reads them, and keep each method's rows"
        " and right rows for the confidence model (tests/corpus/fresh/first_reads.json)",
    )
    first_read.add_argument("--raw", required=True, help="folder of the new documents")
    first_read.add_argument("--gold", required=True, help="folder of their gold JSON files")
    first_read.add_argument("--label", required=True, help="which documents, e.g. 'a39-a41'")
    first_read.add_argument("--commit", help="the code scored on (default: the checkout's HEAD)")
    first_read.add_argument(
        "--into", help="the file of first reads (default: tests/corpus/fresh/first_reads.json)"
    )
    first_read.set_defaults(handler=_first_read)

    releases = commands.add_parser("releases", help="list the published releases, newest first")
    releases.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    releases.set_defaults(handler=_releases)

    diff = commands.add_parser("diff", help="rows added, removed and changed between two releases")
    diff.add_argument(
        "releases",
        nargs="*",
        metavar="RELEASE",
        help="two release ids, paths or 'current' (A B); none: the previous release vs the current one",
    )
    diff.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    diff.add_argument("--limit", type=int, default=20, help="rows shown per kind of change (default: 20)")
    diff.set_defaults(handler=_diff)
    publish = commands.add_parser(
        "publish", help="re-publish the saved extraction with reviewers' corrections (no re-extraction)"
    )
    publish.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    publish.add_argument("--wait", action="store_true", help="if a run holds the output, wait for it")
    publish.set_defaults(handler=_publish)

    review = commands.add_parser("review", help="the review web app: correct extracted rows against the text")
    review.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    review.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    review.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    review.add_argument(
        "--token",
        help="access token, required unless bound to loopback (default: $PARTNERFLOW_REVIEW_TOKEN)",
    )
    review.add_argument(
        "--low-confidence",
        type=float,
        default=0.8,
        help="rows under this confidence are marked (default: 0.8)",
    )
    review.set_defaults(handler=_review)

    corrections = commands.add_parser("corrections", help="export or import reviewers' corrections as CSV")
    corrections_commands = corrections.add_subparsers(dest="corrections_command", required=True)
    export = corrections_commands.add_parser("export", help="write the corrections ledger to a CSV file")
    export.add_argument("--file", required=True, help="CSV file to write")
    export.set_defaults(handler=_corrections)
    imported = corrections_commands.add_parser(
        "import", help="append a CSV's new corrections to the ledger (all rows valid, or none written)"
    )
    imported.add_argument("--file", required=True, help="CSV file to read (columns as `corrections export`)")
    imported.add_argument("--reviewer", help="reviewer for rows whose reviewer cell is empty")
    imported.add_argument("--out", help="output folder (default: settings out_dir, 'output')")
    imported.add_argument(
        "--no-publish", action="store_true", help="only write the ledger, do not re-publish"
    )
    imported.set_defaults(handler=_corrections)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except PartnerflowError as exc:
        print(f"partnerflow: {exc}", file=sys.stderr)
        return exit_code(exc)


if __name__ == "__main__":
    raise SystemExit(main())
