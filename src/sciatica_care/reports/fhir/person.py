"""The person and their sciatica: the ``Patient`` and the ``Condition``.

The Patient holds the name and email of the account and the sex the person gave in their latest
assessment; the Condition is sciatica as the latest assessment describes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.vocabulary import label
from sciatica_care.reports.fhir import codes
from sciatica_care.reports.fhir.common import has_text, instant, ref, text, wording
from sciatica_care.reports.fhir.facts import AssessmentFacts, PatientFacts


def _onset(at: datetime, weeks: float) -> str | None:
    """The day the episode began: ``weeks`` before ``at``; None if that is not a real date."""
    try:
        return (at.astimezone(UTC) - timedelta(weeks=weeks)).date().isoformat()
    except (OverflowError, ValueError):
        return None


def patient(facts: PatientFacts, latest: Assessment | None) -> dict[str, Any]:
    """The person: their name as they gave it, their email, and the sex they gave in their
    latest assessment (FHIR administrative gender). No identifiers or birth date are
    invented: the account has none (an assessment has an age, not a birth date)."""
    resource: dict[str, Any] = {"resourceType": "Patient", "active": True}
    if has_text(facts.display_name):
        resource["name"] = [{"text": text(facts.display_name)}]
    if has_text(facts.email):
        resource["telecom"] = [{"system": "email", "value": text(facts.email)}]
    if latest is not None and latest.sex is not None:
        resource["gender"] = latest.sex
    return resource


def condition(latest: AssessmentFacts, patient_url: str) -> dict[str, Any]:
    """Sciatica, as the latest assessment describes it: the leg(s) as the body site with their
    laterality, onset from how long the episode has lasted; self-reported, so provisional."""
    a = latest.answers
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": codes.concept(codes.CONDITION_ACTIVE),
        "verificationStatus": codes.concept(codes.CONDITION_PROVISIONAL),
        "category": [codes.concept(codes.PROBLEM_LIST_ITEM)],
        "code": codes.concept(codes.SCIATICA, text=codes.SCIATICA["display"]),
        "bodySite": [codes.concept(*codes.leg_with_laterality(a.side), text=label("side", a.side))],
        "subject": ref(patient_url),
        "recordedDate": instant(latest.created_at),
        "asserter": ref(patient_url),
    }
    onset = _onset(latest.created_at, a.duration_weeks)
    if onset is not None:
        resource["onsetDateTime"] = onset
    if a.diagnosis != "unknown":
        told = wording()["condition"]["told"].format(diagnosis=label("diagnosis", a.diagnosis))
        resource["note"] = [{"text": told}]
    return resource
