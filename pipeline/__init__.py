"""Orchestration at the edge (files, Prefect, network): runs, releases, ledger, review, evaluation, CLI."""
