"""Run the real app in a separate uvicorn process (for the durability test and the benchmark)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = 120


def free_port() -> int:
    """A TCP port that is free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    database_url: str, data_dir: Path, port: int, *, workers: int = 1, serve: bool = False
) -> subprocess.Popen[bytes]:
    """Start ``uvicorn sciatica_care.web.app:create_app --factory`` (``serve``: the way
    ``sciatica-care serve`` starts its processes, each listening on its own socket) and wait
    until it answers (up to STARTUP_SECONDS: on a busy machine importing and migrating takes a
    while)."""
    env = {
        **os.environ,
        "SCIATICA_CARE_DATABASE_URL": database_url,
        "SCIATICA_CARE_DATA_DIR": str(data_dir),
        "SCIATICA_CARE_LOG_LEVEL": "WARNING",
    }
    if serve:
        command = [str(Path(sys.executable).with_name("sciatica-care")), "serve"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "uvicorn", "sciatica_care.web.app:create_app"]
        command += ["--factory", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "warning", "--no-access-log", "--workers", str(workers)]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server politely, then firmly."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
