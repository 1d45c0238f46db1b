"""The outcome questionnaires: the SBI, the PSFS and the global rating of change, each as a
``Questionnaire`` (with its canonical URL, see :mod:`.codes`) and the person's answers as
``QuestionnaireResponse`` resources.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sciatica_care.domain.outcomes import GLOBAL_RATINGS, PSFS_MAX_ACTIVITIES, SBI_ITEMS
from sciatica_care.reports.fhir import codes
from sciatica_care.reports.fhir.common import has_text, instant, ref, text, wording
from sciatica_care.reports.fhir.facts import OutcomeFacts

_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"


def _bounds(low: int, high: int) -> list[dict[str, Any]]:
    return [{"url": _MIN_VALUE, "valueInteger": low}, {"url": _MAX_VALUE, "valueInteger": high}]


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
            if has_text(name):
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
        "subject": ref(patient_url),
        "authored": instant(facts.answered)
        if isinstance(facts.answered, datetime)
        else facts.answered.isoformat(),
        "author": ref(patient_url),
        "source": ref(patient_url),
    }
    items = _response_items(facts)
    if items:
        resource["item"] = items
    return resource
