"""``sciatica-care serve --workers 2`` as real processes: each app process listens on a socket
of its own (``web/listeners.py``), new connections reach both, a process started again after a
crash gets its own socket, an address in use is refused at once, and a rate limit holds for
both processes together. Read from ``/proc`` (Linux,
where the processes get their own sockets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.integration.proc_sockets import (
    children_of,
    connections_held,
    sockets_of,
    sockets_on,
)
from tests.integration.server_process import free_port

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT, read from /proc")

CLI = Path(sys.executable).with_name("sciatica-care")
WAIT_SECONDS = 90
T = TypeVar("T")


def _until(what: str, probe: Callable[[], T | None]) -> T:
    """``probe()``'s first answer that is not None, looked for every 50 ms (a wait, not a
    sleep: it returns as soon as the condition holds)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.05)
    pytest.fail(f"not within {WAIT_SECONDS} s: {what}")


def _listeners(parent: int, port: int) -> dict[int, set[int]] | None:
    """Each app process's listening sockets on ``port``, once every listening socket there is
    an app process's (None until then)."""
    listening = sockets_on(port, "0A")
    mine = {pid: sockets_of(pid) & listening for pid in children_of(parent)}
    mine = {pid: inodes for pid, inodes in mine.items() if inodes}
    if not listening or set().union(*mine.values()) != listening:
        return None
    return mine


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """A serve process's environment: a fresh data folder (SQLite), no background worker, and
    ``settings`` (names without the prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCIATICA_CARE_")}
    env.update(
        SCIATICA_CARE_DATA_DIR=str(tmp_path / "data"),
        SCIATICA_CARE_EMBEDDED_WORKER="false",
        SCIATICA_CARE_LOG_LEVEL="WARNING",
    )
    env.update({f"SCIATICA_CARE_{name.upper()}": value for name, value in settings.items()})
    return env


#: The slots limit the served app runs with (``rate_limit_slots``).
SLOTS_LIMIT = 5


@pytest.fixture
def serve(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``serve --workers 2`` on SQLite (a fresh data folder), answering; stopped afterwards.
    Its rate limits count as the test's parameter says (``rate_limit_counts``; default
    shared)."""
    port = free_port()
    command = [str(CLI), "serve", "--port", str(port), "--workers", "2"]
    counts = getattr(request, "param", "shared")
    env = _env(tmp_path, rate_limit_slots=f"{SLOTS_LIMIT}/hour", rate_limit_counts=counts)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        _until("both app processes listen", lambda: _two(process.pid, port))
        yield process, port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _two(parent: int, port: int) -> dict[int, set[int]] | None:
    found = _listeners(parent, port)
    return found if found is not None and len(found) == 2 else None


def test_each_process_listens_on_its_own_socket_and_both_get_connections(
    serve: tuple[subprocess.Popen[str], int],
) -> None:
    process, port = serve
    listeners = _two(process.pid, port)
    assert listeners is not None
    # Two sockets, one each (with one shared socket both would hold the same one).
    assert [len(inodes) for inodes in listeners.values()] == [1, 1]
    assert len(set().union(*listeners.values())) == 2
    # The supervisor's reservation listens to nothing.
    assert not sockets_of(process.pid) & sockets_on(port, "0A")
    # 64 connections from as many ports: the kernel hashes each to a socket, so that both
    # processes get some (all 64 on one: a chance of 2 in 2^64).
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
    try:
        holders = _until(
            "64 connections accepted",
            lambda: _held(listeners, port, 64),
        )
        assert all(count > 0 for count in holders.values()), holders
    finally:
        for client in clients:
            client.close()


def _held(listeners: dict[int, set[int]], port: int, expected: int) -> dict[int, int] | None:
    """How many of the ``expected`` connections each app process has accepted (None before all
    are)."""
    held = connections_held(list(listeners), port)
    return held if sum(held.values()) == expected else None


def test_a_process_started_again_after_a_crash_listens_on_a_socket_of_its_own(
    serve: tuple[subprocess.Popen[str], int],
) -> None:
    process, port = serve
    before = _two(process.pid, port)
    assert before is not None
    crashed = min(before)
    os.kill(crashed, signal.SIGKILL)
    after = _until("a new app process listens", lambda: _without(crashed, process.pid, port))
    assert len(set().union(*after.values())) == 2
    assert httpx.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=10).status_code == 200


@pytest.mark.parametrize("serve", ["shared", "process"], indirect=True)
def test_a_rate_limit_counts_the_requests_both_processes_answer(
    serve: tuple[subprocess.Popen[str], int], request: pytest.FixtureRequest
) -> None:
    process, port = serve
    listeners = _two(process.pid, port)
    assert listeners is not None
    # 16 connections, held until both processes have accepted some (as above), then one
    # free-slot search on each: a limit of 5 an hour lets 5 through in all, not 5 a process
    # (unless the counts are kept in each process).
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
    try:
        holders = _until("16 connections accepted", lambda: _held(listeners, port, 16))
        assert all(count > 0 for count in holders.values()), holders
        statuses = [_slots_search(client) for client in clients]
    finally:
        for client in clients:
            client.close()
    allowed = len(statuses) - statuses.count(429)
    if request.node.callspec.params["serve"] == "shared":
        assert allowed == SLOTS_LIMIT, statuses
    else:  # each process lets its first 5 through: more than 5 in all
        assert allowed == sum(min(SLOTS_LIMIT, held) for held in holders.values()), statuses
        assert allowed > SLOTS_LIMIT


def _slots_search(client: socket.socket) -> int:
    """The status of one free-slot search sent on ``client`` (the connection then closes)."""
    client.sendall(
        b"GET /api/v1/therapists/nobody/slots HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Connection: close\r\n\r\n"
    )
    client.settimeout(WAIT_SECONDS)
    answer = b""
    while b"\r\n" not in answer:
        chunk = client.recv(4096)
        if not chunk:
            break
        answer += chunk
    return int(answer.split(b" ", 2)[1])


def _without(crashed: int, parent: int, port: int) -> dict[int, set[int]] | None:
    """Two app processes' listening sockets, once ``crashed`` is not one of them."""
    found = _two(parent, port)
    return found if found is not None and crashed not in found else None


def test_an_address_in_use_is_refused_at_once(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(CLI), "serve", "--port", str(port), "--workers", "2"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
        )
    assert done.returncode == 3  # uvicorn's start-up failure
    assert "Address already in use" in done.stdout + done.stderr
