"""Where mail goes: an SMTP server (stdlib smtplib) or, in development, files in the data dir."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from sciatica_care.config import Settings

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 20


class Transport(Protocol):
    """Sends one email; raises OSError or smtplib.SMTPException when it could not."""

    def send(self, message: EmailMessage, *, message_id: str) -> None: ...


class SmtpTransport:
    """``smtp://user:password@host:587`` uses STARTTLS; ``smtps://…:465`` implicit TLS;
    ``smtp+insecure://host:port`` plain SMTP for a local test server (the settings refuse it in
    production)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps", "smtp+insecure"} or not parts.hostname:
            raise ValueError("SCIATICA_CARE_SMTP_URL must look like smtp://user:pass@host:587")
        self.implicit_tls = parts.scheme == "smtps"
        self.starttls = parts.scheme == "smtp"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def send(self, message: EmailMessage, *, message_id: str) -> None:
        smtp: smtplib.SMTP
        if self.implicit_tls:
            smtp = smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if self.starttls:
                # Made only where TLS is used: loading the system's certificates costs about
                # 15 ms of CPU, which plain SMTP to a local relay never needed.
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        log.info("mail %s sent by SMTP", message_id)


class FileTransport:
    """Development: each email becomes ``<data dir>/mail/<id>.eml`` (0600); the log says where,
    never what (a body may hold a single-use link)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, *, message_id: str) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.folder / f"{message_id}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(message))
        log.info("mail %s written to %s (no SMTP configured)", message_id, path)


def transport_for(settings: Settings) -> Transport:
    """SMTP when ``smtp_url`` is set, else files in the data dir."""
    if settings.smtp_url is not None:
        return SmtpTransport(settings.smtp_url.get_secret_value())
    return FileTransport(settings.data_dir / "mail")
