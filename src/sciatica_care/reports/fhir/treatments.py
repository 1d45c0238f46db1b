"""Treatments: the massage sessions as ``Procedure`` resources (one per session and one per
technique, part of it, coded in the local CodeSystem of massage techniques, which travels in the
bundle too), and the medicines the person takes as ``MedicationStatement`` resources.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sciatica_care.domain.session_notes import SessionNoteInput
from sciatica_care.domain.vocabulary import TECHNIQUES, label
from sciatica_care.reports.fhir import codes
from sciatica_care.reports.fhir.common import (
    Entries,
    full_url,
    has_text,
    instant,
    ref,
    text,
    wording,
)
from sciatica_care.reports.fhir.facts import AssessmentFacts, SessionFacts
from sciatica_care.reports.fhir.observations import add_ratings

#: The assessment's ``conditions`` that are medicines (classes of medicines, not products).
MEDICINE_CLASSES = ("anticoagulants", "antiplatelets", "ssri_snri")


def medicines(latest: AssessmentFacts, patient_url: str) -> Iterable[tuple[str, dict[str, Any]]]:
    """A MedicationStatement per class of medicine the latest assessment says the person
    takes: the class as text only (the assessment names classes, not products)."""
    classes = wording()["medicine_classes"]
    for condition_id in latest.answers.conditions:
        if condition_id not in MEDICINE_CLASSES:
            continue
        yield (
            full_url("MedicationStatement", f"{latest.id}/{condition_id}"),
            {
                "resourceType": "MedicationStatement",
                "status": "active",
                "medicationCodeableConcept": {"text": classes[condition_id]},
                "subject": ref(patient_url),
                "dateAsserted": instant(latest.created_at),
                "informationSource": ref(patient_url),
            },
        )


def technique_code_system() -> dict[str, Any]:
    """The local CodeSystem of massage techniques (codes are the vocabulary's ids)."""
    words = wording()["code_systems"]["massage_technique"]
    return {
        "resourceType": "CodeSystem",
        "url": codes.MASSAGE_TECHNIQUE,
        "name": words["name"],
        "title": words["title"],
        "status": "active",
        "publisher": wording()["publisher"],
        "description": words["description"],
        "caseSensitive": True,
        "content": "complete",
        "count": len(TECHNIQUES),
        "concept": [{"code": t, "display": label("techniques", t)} for t in TECHNIQUES],
    }


def _technique(technique: str) -> dict[str, Any]:
    return codes.concept(
        {
            "system": codes.MASSAGE_TECHNIQUE,
            "code": technique,
            "display": label("techniques", technique),
        },
        text=label("techniques", technique),
    )


def session_notes(note: SessionNoteInput) -> list[dict[str, str]]:
    """The note's pressure, length and SOAP text as annotations."""
    words = wording()["session"]
    out = [
        {
            "text": words["pressure_and_length"].format(
                pressure=label("pressure_preference", note.pressure),
                minutes=note.duration_minutes,
            )
        }
    ]
    for part, heading in words["soap"].items():
        value = getattr(note, part)
        if has_text(value):
            out.append({"text": f"{heading}: {text(value)}"})
    return out


def procedure(facts: SessionFacts, patient_url: str) -> dict[str, Any]:
    """A massage session: completed, when, by whom, where, the techniques named in its text
    (each also a Procedure of its own, part of this one, coded in the local CodeSystem)."""
    note = facts.note
    names = ", ".join(label("techniques", t) for t in note.techniques)
    massage = wording()["procedure"]["massage"]
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": codes.concept(text=f"{massage}: {names}" if names else massage),
        "subject": ref(patient_url),
        "performedDateTime": instant(facts.session_at),
    }
    if has_text(facts.therapist_name):
        resource["performer"] = [{"actor": {"display": text(facts.therapist_name)}}]
    sides = wording()["sides"]
    sites = [
        {
            "text": f"{label('areas', a.region)}, {sides[a.side]}"
            if a.side
            else label("areas", a.region)
        }
        for a in note.areas_worked
    ]
    if sites:
        resource["bodySite"] = sites
    resource["note"] = session_notes(note)
    return resource


def add_session(entries: Entries, facts: SessionFacts, patient_url: str) -> None:
    """Add the session's Procedure, a Procedure per technique, and its pain ratings before and
    after (Observations, part of the session)."""
    url = entries.add(full_url("Procedure", facts.id), procedure(facts, patient_url))
    note = facts.note
    for technique in note.techniques:
        entries.add(
            full_url("Procedure", f"{facts.id}/{technique}"),
            {
                "resourceType": "Procedure",
                "partOf": [ref(url)],
                "status": "completed",
                "code": _technique(technique),
                "subject": ref(patient_url),
                "performedDateTime": instant(facts.session_at),
            },
        )
    words = wording()["procedure"]
    for when, leg, back in (
        ("before", note.leg_pain_before, note.back_pain_before),
        ("after", note.leg_pain_after, note.back_pain_after),
    ):
        add_ratings(
            entries,
            f"session/{facts.id}/{when}",
            facts.session_at,
            patient_url,
            leg,
            back,
            part_of=url,
            note=words[when],
        )
