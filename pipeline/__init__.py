"""Orchestration at the edge: settings, Prefect flows and tasks, publishing and the CLI."""
