"""The command line: a thin layer that refuses bad input clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import build_parser, exit_code, main
from pipeline.errors import (
    CorrectionsError,
    ImportRejectedError,
    PublishAfterImportError,
    ReleaseError,
    ReviewError,
    RunLockedError,
    ServerStartError,
)
from pipeline.release.locking import run_lock
from pipeline.run.flow import build_deployment


def test_help_lists_the_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "eval", "serve"):
        assert command in out


def test_run_refuses_a_missing_raw_folder(tmp_path: Path, capsys) -> None:
    assert main(["run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RunLockedError("another run"), 3),
        (ServerStartError("no server"), 1),
        (ImportRejectedError(Path("c.csv"), []), 1),
        (ReleaseError("no release"), 2),
        (ReviewError("no token"), 2),
        (CorrectionsError("ledger"), 2),
        (PublishAfterImportError("saved, but publishing failed: x"), 2),
    ],
)
def test_each_error_has_its_exit_code(error: Exception, code: int) -> None:
    assert exit_code(error) == code


def test_a_command_error_is_one_line_and_its_exit_code(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    with run_lock(out):
        assert main(["publish", "--out", str(out)]) == 3
    assert capsys.readouterr().err.startswith(f"partnerflow: another partnerflow run is writing to {out}")
    assert main(["diff", "missing-a", "missing-b", "--out", str(out)]) == 2
    assert "partnerflow: no release 'missing-a'" in capsys.readouterr().err
    assert main(["review", "--host", "0.0.0.0"]) == 2
    assert "give an access token" in capsys.readouterr().err


def test_eval_refuses_a_missing_dataset(tmp_path: Path, capsys) -> None:
    assert main(["eval", "--gold", "tests/gold", "--dataset", str(tmp_path / "none")]) == 2
    assert "partnerflow run" in capsys.readouterr().err


def test_serve_needs_a_schedule() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve"])


def test_scheduled_deployment_runs_incrementally_into_the_given_folders(tmp_path: Path) -> None:
    deployment = build_deployment(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "out"), interval=3600)
    assert deployment.parameters["raw_dir"] == str(tmp_path / "raw")
    assert deployment.parameters["wait"] is True
    assert deployment.schedules and deployment.schedules[0].schedule.interval.total_seconds() == 3600
    with pytest.raises(ValueError):
        build_deployment(raw_dir="r", out_dir="o")


class _RecordingFlow:
    """Stands in for the ingest flow: records the runner and arguments the CLI chose."""

    def __init__(self) -> None:
        self.runner = None
        self.kwargs: dict = {}

    def with_options(self, *, task_runner):
        self.runner = task_runner
        return self

    def __call__(self, **kwargs):
        from pipeline.run.summary import RunSummary

        self.kwargs = kwargs
        return RunSummary(release="r", documents=0, by_status={}, by_type={}, rows={})


@pytest.mark.parametrize(
    ("extra", "runner", "use_cache", "process_pool"),
    [
        ([], "ThreadPoolTaskRunner", True, True),
        (["--no-cache"], "ThreadPoolTaskRunner", False, True),
        (["--dask", "tcp://scheduler:8786"], "DaskTaskRunner", True, False),
    ],
)
def test_run_options_reach_the_flow(
    tmp_path: Path, monkeypatch, capsys, extra: list[str], runner: str, use_cache: bool, process_pool: bool
) -> None:
    import pipeline.run.flow

    recording = _RecordingFlow()
    monkeypatch.setattr(pipeline.run.flow, "ingest", recording)
    (tmp_path / "raw").mkdir()
    assert main(["run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), *extra]) == 0
    assert type(recording.runner).__name__ == runner
    assert recording.kwargs["use_cache"] is use_cache
    assert recording.kwargs["process_pool"] is process_pool


@pytest.mark.flow
def test_run_records_every_document_in_its_temporary_server_and_a_rerun_keeps_the_release(
    tmp_path: Path,
) -> None:
    import json
    import os
    import shutil
    import sqlite3
    import subprocess
    import sys

    from .conftest import RAW

    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "prefect-home"
    raw.mkdir()
    for name in ("japan_national_seminar_2003.html", "thematic_seminar_6_2004.html"):
        shutil.copy(RAW / name, raw / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "240"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    command = [sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--out", str(out)]

    def run() -> str:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        # Logs and events reach the server before it stops: nothing is retried against a dead server.
        assert "Error logging to API" not in output and "connection attempts failed" not in output
        return output

    run()
    with sqlite3.connect(home / "prefect.db") as db:
        flow_runs = db.execute("SELECT id, state_type FROM flow_run").fetchall()
        assert [state for _, state in flow_runs] == ["COMPLETED"]
        tasks = db.execute(
            "SELECT name, state_type FROM task_run WHERE flow_run_id = ?", (flow_runs[0][0],)
        ).fetchall()
    assert sorted(tasks) == [
        ("process japan_national_seminar_2003.html", "COMPLETED"),
        ("process thematic_seminar_6_2004.html", "COMPLETED"),
    ]
    release = (out / "current").resolve()
    assert json.loads((release / "manifest.json").read_text())["row_counts"]["documents"] == 2
    assert "no new release was made" in run()
    assert (out / "current").resolve() == release
