"""How a run finds its Prefect API: a configured one, or a temporary server started early."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline.run.runner as runner
from pipeline.run.prefect_server import api_named_outside_prefect


@pytest.fixture
def prefect_env(tmp_path: Path, monkeypatch) -> Path:
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    return tmp_path


def test_an_api_is_read_from_the_environment_and_the_active_profile(prefect_env: Path, monkeypatch) -> None:
    assert not api_named_outside_prefect()  # no profiles file
    profiles = prefect_env / "profiles.toml"
    profiles.write_text(
        'active = "local"\n[profiles.local]\nPREFECT_LOGGING_LEVEL = "INFO"\n'
        '[profiles.shared]\nPREFECT_API_URL = "http://prefect.example:4200/api"\n'
    )
    assert not api_named_outside_prefect()
    monkeypatch.setenv("PREFECT_PROFILE", "shared")
    assert api_named_outside_prefect()
    monkeypatch.delenv("PREFECT_PROFILE")
    profiles.write_text('active = "shared"\n[profiles.shared]\nPREFECT_API_URL = "http://x:4200/api"\n')
    assert api_named_outside_prefect()
    profiles.write_text("active = [not toml")
    assert not api_named_outside_prefect()  # Prefect's own settings decide then
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    assert api_named_outside_prefect()


class _FakeServer:
    started: list[_FakeServer] = []

    def __init__(self) -> None:
        self.running = False

    def start(self) -> None:
        self.running = True
        _FakeServer.started.append(self)

    def stop(self) -> None:
        self.running = False


def test_a_server_started_early_is_stopped_when_prefect_names_an_api(prefect_env: Path, monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setattr(runner, "TemporaryServer", _FakeServer)
    _FakeServer.started.clear()
    with temporary_settings(updates={PREFECT_API_URL: "http://prefect.example:4200/api"}):
        assert runner._temporary_server() is None  # named where the quick check does not look
    assert [s.running for s in _FakeServer.started] == [False]

    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    _FakeServer.started.clear()
    with temporary_settings(updates={PREFECT_API_URL: "http://prefect.example:4200/api"}):
        assert runner._temporary_server() is None
    assert _FakeServer.started == []  # never started


def test_without_an_api_the_run_gets_a_temporary_server(prefect_env: Path, monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setattr(runner, "TemporaryServer", _FakeServer)
    _FakeServer.started.clear()
    with temporary_settings(updates={PREFECT_API_URL: None}):
        server = runner._temporary_server()
    assert server is not None and server.running and _FakeServer.started == [server]
