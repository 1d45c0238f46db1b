"""Read the emails the app wrote in development mode (no SMTP): ``<data dir>/mail/*.eml``."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

from fastapi import FastAPI


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


def token_in(message: EmailMessage, path: str) -> str:
    """The ``token`` of the link to ``path`` in the email."""
    match = re.search(re.escape(path) + r"\?token=([\w%-]+)", body(message))
    assert match, body(message)
    return match.group(1)
