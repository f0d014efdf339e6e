"""What reviewers' corrections teach: F1 on held-back corrected documents before and after retraining.

usage: .venv/bin/python benchmarks/corrections_gain.py --raw DIR --gold DIR --work DIR

End to end, through the product's own paths:

1. ``partnerflow run`` ingests the raw folder into ``WORK/output`` (a fresh ledger at
   ``WORK/corrections.sqlite``);
2. a reviewer simulated from gold (``pipeline.evaluation.simulated_review``) corrects every
   document, through the same checks as the review app, into that ledger;
3. ``partnerflow eval --corrections`` learns from half of the reviewed documents and scores
   the other half, their corrected rows as gold, before and after.

Use a folder training has never read (the blind half): on a training corpus the model has
already learned what the corrections would teach. Only aggregate figures are printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from pipeline.corrections.store import CorrectionStore
from pipeline.evaluation.gold import load_gold
from pipeline.evaluation.reviewed import load_reviewed
from pipeline.evaluation.simulated_review import simulate_review
from pipeline.evaluation.training import corrections_gain, training_corpora
from pipeline.release.build import working_tables
from pipeline.settings import Settings

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True)
    parser.add_argument("--gold", required=True)
    parser.add_argument("--work", required=True, help="a folder for the run's output and ledger")
    parser.add_argument(
        "--base",
        nargs="*",
        help="the annotated corpora the model starts from (default: all of `make train`'s); leave out the"
        " one --raw belongs to, to measure a folder training has not read",
    )
    args = parser.parse_args()
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    out, ledger = work / "output", work / "corrections.sqlite"
    env = {**os.environ, "PARTNERFLOW_CORRECTIONS_DB": str(ledger)}
    subprocess.run(
        [BIN / "partnerflow", "run", "--raw", str(Path(args.raw).resolve()), "--out", str(out)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    store = CorrectionStore(ledger)
    if store.entries():
        print(f"{ledger} already holds corrections; use a fresh --work folder", file=sys.stderr)
        return 2
    working = working_tables(out, [])
    assert working is not None, "the run published nothing"
    corrections, refused = simulate_review(working[0], load_gold(Path(args.gold)))
    store.append(corrections)
    actions = {
        a: sum(c.action == a for c in corrections) for a in ("add", "delete", "set", "accept_document")
    }
    print(f"simulated review: {len(corrections)} corrections {actions}; {refused} gold facts not addable")
    if args.base is None:
        subprocess.run([BIN / "partnerflow", "eval", "--corrections", "--out", str(out)], env=env, check=True)
        return 0
    corpora = [c for c in training_corpora() if c.name in args.base]
    reviewed = load_reviewed(Settings(corrections_db=ledger), out)
    print(f"base corpora: {[c.name for c in corpora]}")
    print(corrections_gain(reviewed, corpora).format())
    return 0


if __name__ == "__main__":
    sys.exit(main())
