"""Read the emails the app sent: in development mode (no SMTP) the files in
``<data dir>/mail/*.eml``; with :class:`SmtpInbox`, what a real local SMTP server received."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from fastapi import FastAPI
from pydantic import SecretStr

from sciatica_care.config import Settings


def sent_to(app: FastAPI, address: str) -> list[EmailMessage]:
    """The emails to ``address``, oldest first."""
    folder = Path(app.state.settings.data_dir) / "mail"
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if message["To"] == address:
            found.append(message)
    return found


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text: str = part.get_content()
    return text


def subject(message: EmailMessage) -> str:
    """The subject as a reader sees it (a long one is folded onto a second header line, which
    Python's parser gives back with the fold's leading space)."""
    return str(message["Subject"]).strip()


def token_in(message: EmailMessage, path: str) -> str:
    """The ``token`` of the link to ``path`` in the email."""
    match = re.search(re.escape(path) + r"\?token=([\w%-]+)", body(message))
    assert match, body(message)
    return match.group(1)


# --- A real SMTP server for tests (aiosmtpd) -------------------------------------------------


class SmtpInbox:
    """A real local SMTP server (aiosmtpd) on a free port that keeps every email it receives.

    Point the app at it with ``settings.model_copy(update={"smtp_url": inbox.secret_url})``
    (plain SMTP, ``smtp+insecure://``, which the settings refuse in production). Use it as a
    context manager, or through the ``smtp_inbox`` fixture (``from tests.web.mailbox import
    smtp_inbox`` in a test module or conftest; a session-scoped one is ``with SmtpInbox()``).
    """

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode()
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(message)
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp+insecure://127.0.0.1:{self.port}"

    @property
    def secret_url(self) -> SecretStr:
        return SecretStr(self.url)

    def settings(self, settings: Settings) -> Settings:
        """``settings`` sending mail to this server."""
        return settings.model_copy(update={"smtp_url": self.secret_url})

    def to(self, address: str) -> list[EmailMessage]:
        """The emails that arrived for ``address``, in the order they arrived."""
        with self._lock:
            return [m for m in self.received if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list[EmailMessage]:
        """Wait until ``count`` emails arrived for ``address`` (for a worker in another
        thread or process); fails after ``timeout`` seconds with what did arrive."""
        deadline = time.monotonic() + timeout
        while len(found := self.to(address)) < count:
            assert time.monotonic() < deadline, [m["Subject"] for m in self.received]
            time.sleep(0.05)
        return found

    def start(self) -> SmtpInbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpInbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def smtp_inbox() -> Iterator[SmtpInbox]:
    """A fresh local SMTP server for one test."""
    with SmtpInbox() as inbox:
        yield inbox
