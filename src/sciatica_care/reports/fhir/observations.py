"""Pain ratings as ``Observation`` resources: 0-10 (LOINC 72514-3), one for the leg and one for
the lower back, from assessments, diary check-ins and massage sessions (before and after).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sciatica_care.domain.vocabulary import label
from sciatica_care.reports.fhir import codes
from sciatica_care.reports.fhir.common import Entries, full_url, instant, ref, wording


def pain(
    where: str,
    value: int,
    at: datetime,
    patient_url: str,
    *,
    side: str | None = None,
    part_of: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One 0-10 pain rating (LOINC 72514-3) of the leg or the lower back."""
    words = wording()["observation"]
    if where == "leg":
        site = codes.concept(
            *codes.leg_with_laterality(side),
            text=label("side", side) if side is not None else words["leg"],
        )
    else:
        site = codes.concept(codes.LOWER_BACK, text=words["back"])
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [codes.concept(codes.SURVEY)],
        "code": codes.concept(codes.PAIN_SEVERITY),
        "subject": ref(patient_url),
        "effectiveDateTime": instant(at),
        "valueInteger": value,
        "bodySite": site,
    }
    if part_of is not None:
        resource["partOf"] = [ref(part_of)]
    if note:
        resource["note"] = [{"text": note}]
    return resource


def add_ratings(
    entries: Entries,
    key: str,
    at: datetime,
    patient_url: str,
    leg: int | None,
    back: int | None,
    **extra: Any,
) -> None:
    """Add an Observation (id ``key``/leg or ``key``/back) for each of ``leg`` and ``back``
    that was given; ``extra`` goes to :func:`pain`."""
    for where, value in (("leg", leg), ("back", back)):
        if value is None:
            continue  # a rating not given is missing, never 0
        entries.add(
            full_url("Observation", f"{key}/{where}"),
            pain(where, value, at, patient_url, **extra),
        )
