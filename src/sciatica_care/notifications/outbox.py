"""The outbox: emails are rows written with the change that caused them, sent after commit."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.tables import OutboxMessage, utcnow
from sciatica_care.i18n import DEFAULT_LANGUAGE
from sciatica_care.notifications.render import render_email
from sciatica_care.notifications.transport import Transport, transport_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
#: How long a sender holds an email it is sending (SMTP gives up after 20 s).
LEASE = timedelta(minutes=5)
#: Stands for the public base URL in a stored email; replaced when it is sent, so code that
#: queues mail without the settings at hand (booking events) still links to the right address.
PUBLIC_BASE_URL = "__PUBLIC_BASE_URL__"


def enqueue(
    db: Session,
    *,
    clinic_id: str,
    to: str,
    kind: str,
    language: str = DEFAULT_LANGUAGE,
    **context: Any,
) -> OutboxMessage:
    """Render email ``kind`` for ``to`` in ``language`` (the recipient's: render.language_of)
    and add it to the unit of work (the caller commits)."""
    email = render_email(kind, language=language, **context)
    row = OutboxMessage(
        clinic_id=clinic_id,
        kind=kind,
        to_address=to,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        attempts=0,
    )
    db.add(row)
    db.flush()
    log.info("mail %s (%s) queued", row.id, kind)
    return row


def as_email(row: OutboxMessage, *, sender: str, base_url: str = "") -> EmailMessage:
    """The stored row as a MIME message (plain text, with an HTML alternative if there is one);
    ``base_url`` replaces :data:`PUBLIC_BASE_URL` in the bodies."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(addr_spec=row.to_address)
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=row.id)
    message.set_content(row.body_text.replace(PUBLIC_BASE_URL, base_url))
    if row.body_html:
        message.add_alternative(row.body_html.replace(PUBLIC_BASE_URL, base_url), subtype="html")
    return message


def deliver_pending(
    db: Session, *, settings: Settings, transport: Transport | None = None, limit: int = 100
) -> int:
    """Send up to ``limit`` waiting emails, oldest first; returns how many went.

    Each email is first claimed (``claimed_until``, a lease of LEASE, committed before it is
    sent), so two senders at once (two workers, a worker and a request's delivery) never send
    one twice; a sender that dies mid-send leaves the lease to run out and the email is tried
    again. A failure is counted on the row and retried on the next call, up to MAX_ATTEMPTS. A
    sent row keeps its subject and address but loses its body (it may hold a single-use link).
    """
    transport = transport or transport_for(settings)
    base_url = settings.resolved_public_base_url()
    now = utcnow()
    waiting = db.execute(
        select(OutboxMessage.clinic_id, OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .where(_free(now))
        .order_by(OutboxMessage.created_at)
        .limit(limit)
    ).all()
    db.commit()
    sent = 0
    for clinic_id, message_id in waiting:
        row = _claim(db, clinic_id=clinic_id, message_id=message_id)
        if row is None:
            continue
        try:
            transport.send(
                as_email(row, sender=settings.mail_from, base_url=base_url), message_id=row.id
            )
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            row.last_error = type(exc).__name__[:200]
            log.warning("mail %s not sent (attempt %d): %s", row.id, row.attempts, row.last_error)
        else:
            row.sent_at = utcnow()
            row.body_text, row.body_html, row.last_error = "", None, None
            sent += 1
        row.claimed_until = None
        db.commit()
    return sent


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)


def _claim(db: Session, *, clinic_id: str, message_id: str) -> OutboxMessage | None:
    """Take the lease on one waiting email (and count the attempt); None when another sender
    has it or it went meanwhile."""
    now = utcnow()
    claimed = db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.clinic_id == clinic_id, OutboxMessage.id == message_id)
        .where(OutboxMessage.sent_at.is_(None), _free(now))
        .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.get(OutboxMessage, (clinic_id, message_id), populate_existing=True)
