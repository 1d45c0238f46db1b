"""The code systems and codes the FHIR export uses, each checked against its source.

Terminology displays here are the code systems' own terms (they are part of the code, not
wording for a page), so they stay in English whatever language the app is shown in.

- SNOMED CT (``http://snomed.info/sct``): 23056005 |Sciatica (disorder)|;
  61685007 |Lower limb structure (body structure)|; 37822005 |Lower back structure (body
  structure)|; 32153003 |Structure of left lower limb|, 62175007 |Structure of right lower
  limb|; the laterality qualifiers 7771000 |Left|, 24028007 |Right|, 51440002 |Right and left|
  joined to a body structure with the attribute 272741003 |Laterality| (SNOMED CT
  compositional grammar, e.g. ``61685007:272741003=7771000``, "lower limb, left").
- LOINC (``http://loinc.org``): 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] -
  Reported".
- HL7 terminology (``http://terminology.hl7.org/CodeSystem/...``): condition clinical and
  verification status, condition category, observation category.
- Local (under :data:`LOCAL_BASE`): the questionnaires (SBI, PSFS, global rating of change) and
  the massage techniques. The base is a placeholder domain (``.example`` is reserved, RFC 2606):
  a canonical URL names a definition, it is not fetched, and the Questionnaire and CodeSystem
  resources themselves travel inside the bundle.
"""

from __future__ import annotations

from typing import Any, Literal

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
LOCAL_BASE = "https://sciatica-care.example/fhir"

#: Canonical URLs of the local definitions.
QUESTIONNAIRE_SBI = f"{LOCAL_BASE}/Questionnaire/sbi"
QUESTIONNAIRE_PSFS = f"{LOCAL_BASE}/Questionnaire/psfs"
QUESTIONNAIRE_GRC = f"{LOCAL_BASE}/Questionnaire/global-rating-of-change"
MASSAGE_TECHNIQUE = f"{LOCAL_BASE}/CodeSystem/massage-technique"
#: The global rating of change's seven answers, coded -3 ... 3 (displays: the domain's words).
GLOBAL_RATING_OF_CHANGE = f"{LOCAL_BASE}/CodeSystem/global-rating-of-change"
#: Namespace of the deterministic ids (``urn:uuid:``) of the bundle's entries.
ID_NAMESPACE = f"{LOCAL_BASE}/id"

SCIATICA = {"system": SNOMED, "code": "23056005", "display": "Sciatica"}
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
LOWER_LIMB = {"system": SNOMED, "code": "61685007", "display": "Lower limb structure"}
LOWER_BACK = {"system": SNOMED, "code": "37822005", "display": "Lower back structure"}
LATERALITY_ATTRIBUTE = "272741003"

Side = Literal["left", "right", "both"]
#: The laterality qualifier values (SNOMED CT), by the assessment's ``side``.
LATERALITY: dict[str, tuple[str, str]] = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "both": ("51440002", "Right and left"),
}
#: Pre-coordinated concepts for one leg (none is used for both legs: the expression says it).
ONE_LEG: dict[str, tuple[str, str]] = {
    "left": ("32153003", "Structure of left lower limb"),
    "right": ("62175007", "Structure of right lower limb"),
}

CONDITION_ACTIVE = {
    "system": f"{TERMINOLOGY}/condition-clinical",
    "code": "active",
    "display": "Active",
}
# Self-reported, not a clinician's diagnosis: provisional.
CONDITION_PROVISIONAL = {
    "system": f"{TERMINOLOGY}/condition-ver-status",
    "code": "provisional",
    "display": "Provisional",
}
PROBLEM_LIST_ITEM = {
    "system": f"{TERMINOLOGY}/condition-category",
    "code": "problem-list-item",
    "display": "Problem List Item",
}
SURVEY = {
    "system": f"{TERMINOLOGY}/observation-category",
    "code": "survey",
    "display": "Survey",
}


def concept(*codings: dict[str, str], text: str | None = None) -> dict[str, Any]:
    """A CodeableConcept of ``codings`` (each a dict with system, code, display) and text."""
    out: dict[str, Any] = {}
    if codings:
        out["coding"] = [dict(c) for c in codings]
    if text:
        out["text"] = text
    return out


def leg_with_laterality(side: str | None) -> list[dict[str, str]]:
    """The lower limb as SNOMED CT codings: with the side as a laterality qualifier
    (a post-coordinated expression) and, for one leg, the equivalent pre-coordinated concept;
    without a side, the lower limb alone."""
    if side not in LATERALITY:
        return [dict(LOWER_LIMB)]
    qualifier, qualifier_display = LATERALITY[side]
    codings = [
        {
            "system": SNOMED,
            "code": f"{LOWER_LIMB['code']}:{LATERALITY_ATTRIBUTE}={qualifier}",
            "display": f"{LOWER_LIMB['display']}, {qualifier_display.lower()}",
        }
    ]
    if side in ONE_LEG:
        code, display = ONE_LEG[side]
        codings.insert(0, {"system": SNOMED, "code": code, "display": display})
    return codings
