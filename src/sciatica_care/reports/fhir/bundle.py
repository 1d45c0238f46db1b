"""The client's record as a FHIR R4 ``Bundle`` of type ``collection`` (pure: no database).

The services map database rows to the plain dataclasses below (:class:`FhirRecord`); this
module turns them into FHIR resources and hands the whole bundle to ``fhirclient``'s R4 models,
which check every element's type and cardinality and serialise it. What each resource holds
and which codes it uses is in the package docstring and the README.

Every entry has a ``urn:uuid:`` full URL derived (UUID v5) from the record it comes from, so the
same record gets the same id in every export and references between entries resolve inside
the bundle. Free text is passed through as the person or therapist wrote it, except that
whitespace FHIR strings do not allow (anything but space, tab, CR and LF) becomes a space.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml
from fhirclient.models.bundle import Bundle

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.outcomes import GLOBAL_RATINGS, PSFS_MAX_ACTIVITIES, SBI_ITEMS
from sciatica_care.domain.session_notes import SessionNoteInput
from sciatica_care.domain.vocabulary import TECHNIQUES, label
from sciatica_care.reports.fhir import codes

FHIR_JSON = "application/fhir+json"
FILENAME = "sciatica-care-fhir.json"
#: The measures of the ``outcome_measures`` table that become QuestionnaireResponses.
MEASURES = ("sbi", "psfs", "grc")
#: The assessment's ``conditions`` that are medicines (classes of medicines, not products).
MEDICINE_CLASSES = ("anticoagulants", "antiplatelets", "ssri_snri")

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.ID_NAMESPACE)
# FHIR strings allow no whitespace but space, tab, CR and LF (R4 string and markdown regex).
_ODD_SPACE = re.compile(r"[^\S \t\r\n]")
_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """What the account holds about the person (no more)."""

    user_id: str
    display_name: str
    email: str


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    id: str
    created_at: datetime
    answers: Assessment


@dataclass(frozen=True, slots=True)
class PainFacts:
    """One diary check-in's pain ratings (a rating not given is None: no Observation)."""

    id: str
    recorded_at: datetime
    leg_pain: int | None
    back_pain: int | None


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    """One answered outcome questionnaire: ``measure`` is sbi, psfs or grc; ``items`` the
    scores in the instrument's order (PSFS: one per activity, named in ``activities``; global
    rating of change: one value, -3 to +3). ``answered`` is when, or the day, it was answered."""

    id: str
    measure: str
    answered: datetime | date
    items: Sequence[int]
    activities: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """A massage session: the current version of its note."""

    id: str
    session_at: datetime
    therapist_name: str
    note: SessionNoteInput


@dataclass(frozen=True, slots=True)
class FhirRecord:
    """Everything the export holds, oldest first in each list."""

    patient: PatientFacts
    generated_at: datetime
    assessments: Sequence[AssessmentFacts] = ()
    diary: Sequence[PainFacts] = ()
    outcomes: Sequence[OutcomeFacts] = ()
    sessions: Sequence[SessionFacts] = ()


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


def _has_text(value: str | None) -> bool:
    return bool(value and value.strip())


def _ref(url: str) -> dict[str, str]:
    return {"reference": url}


def _bounds(low: int, high: int) -> list[dict[str, Any]]:
    return [{"url": _MIN_VALUE, "valueInteger": low}, {"url": _MAX_VALUE, "valueInteger": high}]


def _onset(at: datetime, weeks: float) -> str | None:
    """The day the episode began: ``weeks`` before ``at``; None if that is not a real date."""
    try:
        return (at.astimezone(UTC) - timedelta(weeks=weeks)).date().isoformat()
    except (OverflowError, ValueError):
        return None


class _Entries:
    """The bundle's entries in order, each once (by full URL)."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, url: str, resource: dict[str, Any]) -> str:
        self.items.setdefault(url, resource)
        return url

    def as_list(self) -> list[dict[str, Any]]:
        return [{"fullUrl": url, "resource": r} for url, r in self.items.items()]


# --- the person and their sciatica ---------------------------------------------------------


def patient(facts: PatientFacts, latest: Assessment | None) -> dict[str, Any]:
    """The person: their name as they gave it, their email, and the sex they gave in their
    latest assessment (FHIR administrative gender). No identifiers or birth date are
    invented: the account has none (an assessment has an age, not a birth date)."""
    resource: dict[str, Any] = {"resourceType": "Patient", "active": True}
    if _has_text(facts.display_name):
        resource["name"] = [{"text": text(facts.display_name)}]
    if _has_text(facts.email):
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
        "subject": _ref(patient_url),
        "recordedDate": instant(latest.created_at),
        "asserter": _ref(patient_url),
    }
    onset = _onset(latest.created_at, a.duration_weeks)
    if onset is not None:
        resource["onsetDateTime"] = onset
    if a.diagnosis != "unknown":
        told = wording()["condition"]["told"].format(diagnosis=label("diagnosis", a.diagnosis))
        resource["note"] = [{"text": told}]
    return resource


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
                "subject": _ref(patient_url),
                "dateAsserted": instant(latest.created_at),
                "informationSource": _ref(patient_url),
            },
        )


# --- pain ratings ---------------------------------------------------------------------------


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
        "subject": _ref(patient_url),
        "effectiveDateTime": instant(at),
        "valueInteger": value,
        "bodySite": site,
    }
    if part_of is not None:
        resource["partOf"] = [_ref(part_of)]
    if note:
        resource["note"] = [{"text": note}]
    return resource


def _ratings(
    entries: _Entries,
    key: str,
    at: datetime,
    patient_url: str,
    leg: int | None,
    back: int | None,
    **extra: Any,
) -> None:
    for where, value in (("leg", leg), ("back", back)):
        if value is None:
            continue  # a rating not given is missing, never 0
        entries.add(
            full_url("Observation", f"{key}/{where}"),
            pain(where, value, at, patient_url, **extra),
        )


# --- questionnaires -------------------------------------------------------------------------


def _questionnaire(measure: str, url: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    words = wording()["questionnaires"][measure]
    return {
        "resourceType": "Questionnaire",
        "url": url,
        "name": words["name"],
        "title": words["title"],
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": wording()["publisher"],
        "description": words["description"],
        "item": items,
    }


def questionnaire(measure: str) -> tuple[str, dict[str, Any]]:
    """The Questionnaire ``measure``'s responses answer, with its canonical URL."""
    words = wording()["questionnaires"][measure]
    if measure == "sbi":
        items: list[dict[str, Any]] = [
            {
                "linkId": key,
                "text": f"{words['item_prefix']}{item}",
                "type": "integer",
                "required": True,
                "extension": _bounds(0, 6),
            }
            for key, item in SBI_ITEMS.items()
        ]
        items.append(
            {"linkId": "total", "text": words["total"], "type": "integer", "readOnly": True}
        )
        return codes.QUESTIONNAIRE_SBI, _questionnaire(measure, codes.QUESTIONNAIRE_SBI, items)
    if measure == "psfs":
        items = [
            {
                "linkId": "activity",
                "text": words["activity"],
                "type": "group",
                "repeats": True,
                "extension": [{"url": _MAX_OCCURS, "valueInteger": PSFS_MAX_ACTIVITIES}],
                "item": [
                    {
                        "linkId": "activity.name",
                        "text": words["activity_name"],
                        "type": "string",
                        "required": True,
                    },
                    {
                        "linkId": "activity.score",
                        "text": words["score"],
                        "type": "integer",
                        "required": True,
                        "extension": _bounds(0, 10),
                    },
                ],
            },
            {"linkId": "mean", "text": words["mean"], "type": "decimal", "readOnly": True},
        ]
        return codes.QUESTIONNAIRE_PSFS, _questionnaire(measure, codes.QUESTIONNAIRE_PSFS, items)
    items = [
        {
            "linkId": "change",
            "text": words["question"],
            "type": "choice",
            "required": True,
            "answerOption": [{"valueCoding": global_rating(v)} for v in GLOBAL_RATINGS],
        }
    ]
    return codes.QUESTIONNAIRE_GRC, _questionnaire(measure, codes.QUESTIONNAIRE_GRC, items)


def global_rating(value: int) -> dict[str, str]:
    """A global rating of change (-3 to +3) as a coding of the local CodeSystem."""
    coding = {"system": codes.GLOBAL_RATING_OF_CHANGE, "code": str(value)}
    if value in GLOBAL_RATINGS:
        coding["display"] = GLOBAL_RATINGS[value]
    return coding


def _answer(link_id: str, answer: dict[str, Any], words: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id}
    if words:
        item["text"] = words
    item["answer"] = [answer]
    return item


def _response_items(facts: OutcomeFacts) -> list[dict[str, Any]]:
    words = wording()["questionnaires"][facts.measure]
    scores = list(facts.items)
    if facts.measure == "sbi":
        out = [
            _answer(key, {"valueInteger": score}, item)
            for (key, item), score in zip(SBI_ITEMS.items(), scores, strict=False)
        ]
        out.append(_answer("total", {"valueInteger": sum(scores)}, words["total"]))
        return out
    if facts.measure == "psfs":
        names = list(facts.activities)
        groups = []
        for i, score in enumerate(scores):
            parts = []
            name = names[i] if i < len(names) else ""
            if _has_text(name):
                parts.append(_answer("activity.name", {"valueString": text(name)}))
            parts.append(_answer("activity.score", {"valueInteger": score}))
            groups.append({"linkId": "activity", "text": words["activity"], "item": parts})
        if scores:
            mean = round(sum(scores) / len(scores), 2)
            groups.append(_answer("mean", {"valueDecimal": float(mean)}, words["mean"]))
        return groups
    if not scores:
        return []
    return [_answer("change", {"valueCoding": global_rating(scores[0])}, words["question"])]


def response(facts: OutcomeFacts, url: str, patient_url: str) -> dict[str, Any]:
    """The person's answers to one questionnaire (``url``: its canonical URL)."""
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url,
        "status": "completed",
        "subject": _ref(patient_url),
        "authored": instant(facts.answered)
        if isinstance(facts.answered, datetime)
        else facts.answered.isoformat(),
        "author": _ref(patient_url),
        "source": _ref(patient_url),
    }
    items = _response_items(facts)
    if items:
        resource["item"] = items
    return resource


# --- massage sessions -----------------------------------------------------------------------


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
        if _has_text(value):
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
        "subject": _ref(patient_url),
        "performedDateTime": instant(facts.session_at),
    }
    if _has_text(facts.therapist_name):
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


def _session(entries: _Entries, facts: SessionFacts, patient_url: str) -> None:
    url = entries.add(full_url("Procedure", facts.id), procedure(facts, patient_url))
    note = facts.note
    for technique in note.techniques:
        entries.add(
            full_url("Procedure", f"{facts.id}/{technique}"),
            {
                "resourceType": "Procedure",
                "partOf": [_ref(url)],
                "status": "completed",
                "code": _technique(technique),
                "subject": _ref(patient_url),
                "performedDateTime": instant(facts.session_at),
            },
        )
    words = wording()["procedure"]
    for when, leg, back in (
        ("before", note.leg_pain_before, note.back_pain_before),
        ("after", note.leg_pain_after, note.back_pain_after),
    ):
        _ratings(
            entries,
            f"session/{facts.id}/{when}",
            facts.session_at,
            patient_url,
            leg,
            back,
            part_of=url,
            note=words[when],
        )


# --- the bundle -----------------------------------------------------------------------------


def bundle_json(record: FhirRecord) -> dict[str, Any]:
    """The record as a FHIR R4 Bundle (type ``collection``), as JSON-ready data, checked and
    serialised by ``fhirclient``'s R4 models (which raise on a wrong type or a missing
    required element)."""
    entries = _Entries()
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
        _ratings(
            entries,
            f"assessment/{a.id}",
            a.created_at,
            patient_url,
            a.answers.leg_pain,
            a.answers.back_pain,
            side=side,
        )
    for d in record.diary:
        _ratings(entries, f"diary/{d.id}", d.recorded_at, patient_url, d.leg_pain, d.back_pain)
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
        _session(entries, s, patient_url)
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(record.generated_at),
        "entry": entries.as_list(),
    }
    return cast(dict[str, Any], Bundle(data, strict=True).as_json())
