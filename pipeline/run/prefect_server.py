"""Prefect's temporary API server for one run, started early and kept lean.

Without a configured API, Prefect starts a temporary server itself, but only
once the flow is called, after every import, and it imports the whole server
application into the calling process just to launch it. Starting the same
server here, first thing, lets it load while the run imports its modules and
its workers load spaCy. The server runs the same application Prefect's own
temporary server runs, minus the event services a one-run server has no use
for (automations, the event feed, live streams). What a task costs the server
is mostly recording its task run, which stays.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

from pipeline.errors import ServerStartError

# Settings of the temporary server only; a configured server is never touched.
LEAN_SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    # The server would log an ERROR on every offline run when telemetry cannot be sent.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Task runs, flow runs, logs and artifacts are still recorded; these only serve
    # automations, the UI's event feed and live streams, none of which a one-run server has.
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false",
}


def api_named_outside_prefect() -> bool:
    """Whether the environment or the active Prefect profile names an API (PREFECT_API_URL).

    Read without importing Prefect, which takes a second, so a temporary server can start
    before that; Prefect's own settings, read afterwards, have the last word.
    """
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    profile = profiles.get("profiles", {}).get(active, {})
    return isinstance(profile, dict) and bool(profile.get("PREFECT_API_URL"))


def _log(message: str) -> None:
    """A line in Prefect's console format, like the one Prefect writes for its own temporary server."""
    from prefect.logging import get_logger
    from prefect.logging.configuration import ensure_logging_setup

    ensure_logging_setup()
    get_logger("partnerflow").info(message)


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _prefect_package_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ServerStartError("prefect is not installed")
    return Path(spec.origin).parent


class TemporaryServer:
    """A Prefect API server in a subprocess on a free loopback port, for one run."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.address}/api"

    def start(self) -> None:
        """Launch the server without waiting for it: `wait_ready` does."""
        env = {**os.environ, **LEAN_SERVER_ENV}
        env.pop("PREFECT_API_URL", None)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(_prefect_package_dir().parent),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        _log(f"Starting temporary server on {self.address}")  # imports Prefect: after Popen

    def wait_ready(self, timeout: float) -> None:
        """Block until the server answers its health check; ServerStartError if it exits or times out.

        A server that exits because another process took its port in the meantime is
        started again on a new port.
        """
        if self._process is None:
            raise ServerStartError("the temporary Prefect server was never started")
        deadline = time.monotonic() + timeout
        restarts = 0
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                if restarts < 3 and not _port_free(self.port):
                    restarts += 1
                    self.port = _free_port()
                    self.start()
                    continue
                raise ServerStartError(f"the temporary Prefect server exited with code {code} while starting")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.05)
        raise ServerStartError(
            f"the temporary Prefect server did not answer within {timeout:g} s "
            "(raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)"
        )

    def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop the server, letting it finish recording what it received (SIGTERM, then SIGKILL)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            _log(f"Stopping temporary server on {self.address}")
            process.terminate()
            try:
                process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
