"""What the FHIR modules share: the local wording, entry ids, times, free text, references and
the ordered list of entries.

Every entry has a ``urn:uuid:`` full URL derived (UUID v5) from the record it comes from, so the
same record gets the same id in every export and references between entries resolve inside
the bundle. Free text is passed through as the person or therapist wrote it, except that
whitespace FHIR strings do not allow (anything but space, tab, CR and LF) becomes a space.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sciatica_care.reports.fhir import codes

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.ID_NAMESPACE)
# FHIR strings allow no whitespace but space, tab, CR and LF (R4 string and markdown regex).
_ODD_SPACE = re.compile(r"[^\S \t\r\n]")


@cache
def wording() -> Mapping[str, Any]:
    """The wording of the local definitions (``reports/data/fhir.yaml``)."""
    data_dir = resources.files("sciatica_care.reports").joinpath("data")
    text = data_dir.joinpath("fhir.yaml").read_text(encoding="utf-8")
    data: Mapping[str, Any] = yaml.safe_load(text)
    return data


def full_url(kind: str, key: str) -> str:
    """The entry's ``urn:uuid:`` full URL: the same record gives the same URL every time."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def instant(at: datetime) -> str:
    """A FHIR ``dateTime``/``instant`` in UTC to the second (a naive time is taken as UTC)."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.isoformat(timespec="seconds").replace("+00:00", "Z")


def text(value: str) -> str:
    """Free text as a FHIR string: odd whitespace (form feed, no-break space...) as a space."""
    return _ODD_SPACE.sub(" ", value)


def has_text(value: str | None) -> bool:
    """Whether ``value`` holds anything but whitespace."""
    return bool(value and value.strip())


def ref(url: str) -> dict[str, str]:
    """A FHIR ``Reference`` to the entry with full URL ``url``."""
    return {"reference": url}


class Entries:
    """The bundle's entries in order, each once (by full URL)."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, url: str, resource: dict[str, Any]) -> str:
        self.items.setdefault(url, resource)
        return url

    def as_list(self) -> list[dict[str, Any]]:
        return [{"fullUrl": url, "resource": r} for url, r in self.items.items()]
