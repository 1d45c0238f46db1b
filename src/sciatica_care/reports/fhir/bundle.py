"""The client's record as a FHIR R4 ``Bundle`` of type ``collection`` (pure: no database).

The services map database rows to the plain dataclasses of :mod:`.facts` (:class:`FhirRecord`,
re-exported here); this module assembles the bundle from the resources the other modules build
(:mod:`.person`, :mod:`.observations`, :mod:`.questionnaires`, :mod:`.treatments`) and hands it
to ``fhirclient``'s R4 models, which check every element's type and cardinality and serialise
it. What each resource holds and which codes it uses is in the package docstring and the README.

Every entry has a ``urn:uuid:`` full URL derived (UUID v5) from the record it comes from, so the
same record gets the same id in every export and references between entries resolve inside
the bundle (:mod:`.common`).
"""

from __future__ import annotations

from typing import Any, cast

from fhirclient.models.bundle import Bundle

from sciatica_care.reports.fhir.common import Entries, full_url, instant
from sciatica_care.reports.fhir.facts import (
    AssessmentFacts,
    FhirRecord,
    OutcomeFacts,
    PainFacts,
    PatientFacts,
    SessionFacts,
)
from sciatica_care.reports.fhir.observations import add_ratings
from sciatica_care.reports.fhir.person import condition, patient
from sciatica_care.reports.fhir.questionnaires import questionnaire, response
from sciatica_care.reports.fhir.treatments import add_session, medicines, technique_code_system

__all__ = [
    "FHIR_JSON",
    "FILENAME",
    "MEASURES",
    "AssessmentFacts",
    "FhirRecord",
    "OutcomeFacts",
    "PainFacts",
    "PatientFacts",
    "SessionFacts",
    "bundle_json",
]

FHIR_JSON = "application/fhir+json"
FILENAME = "sciatica-care-fhir.json"
#: The measures of the ``outcome_measures`` table that become QuestionnaireResponses.
MEASURES = ("sbi", "psfs", "grc")


def bundle_json(record: FhirRecord) -> dict[str, Any]:
    """The record as a FHIR R4 Bundle (type ``collection``), as JSON-ready data, checked and
    serialised by ``fhirclient``'s R4 models (which raise on a wrong type or a missing
    required element)."""
    entries = Entries()
    latest = record.assessments[-1] if record.assessments else None
    patient_url = entries.add(
        full_url("Patient", record.patient.user_id),
        patient(record.patient, latest.answers if latest else None),
    )
    if latest is not None:
        entries.add(full_url("Condition", latest.id), condition(latest, patient_url))
        for url, resource in medicines(latest, patient_url):
            entries.add(url, resource)
    for a in record.assessments:
        side = a.answers.side
        add_ratings(
            entries,
            f"assessment/{a.id}",
            a.created_at,
            patient_url,
            a.answers.leg_pain,
            a.answers.back_pain,
            side=side,
        )
    for d in record.diary:
        add_ratings(entries, f"diary/{d.id}", d.recorded_at, patient_url, d.leg_pain, d.back_pain)
    for measure in MEASURES:
        answered = [o for o in record.outcomes if o.measure == measure]
        if not answered:
            continue
        url, definition = questionnaire(measure)
        entries.add(full_url("Questionnaire", measure), definition)
        for o in answered:
            entries.add(full_url("QuestionnaireResponse", o.id), response(o, url, patient_url))
    if record.sessions:
        entries.add(full_url("CodeSystem", "massage-technique"), technique_code_system())
    for s in record.sessions:
        add_session(entries, s, patient_url)
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(record.generated_at),
        "entry": entries.as_list(),
    }
    return cast(dict[str, Any], Bundle(data, strict=True).as_json())
