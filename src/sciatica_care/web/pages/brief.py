"""The therapist brief page: the clinical core's ``therapist_brief`` plus the marked body map.

The page is written in the reader's language: ``brief_context`` keeps what the brief is made
from, and the page asks for the brief in its own language (``brief_in``): in another language
than English the result is said with that language's knowledge base (``result_in_language``),
so that the triage, the reasons and the techniques read in it. The callers need not know the
language.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.brief import TherapistBrief, therapist_brief
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.i18n import DEFAULT_LANGUAGE
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.actors import Actor
from sciatica_care.web.pages.body_map import BACK_ZONES, FRONT_ZONES
from sciatica_care.web.templating import templates


@dataclass(frozen=True, slots=True)
class BriefParts:
    """What a brief is made from, to make it again in the page's language."""

    assessment: Assessment
    result: Result
    prepared_on: date | None
    client_name: str


def marked_zones(assessment: Assessment) -> set[str]:
    """The body-map toggles (``region:side``) the assessment marks; "both" marks both sides."""
    marked = set()
    for region in assessment.areas:
        side = assessment.area_sides.get(region, assessment.side)
        for s in ("left", "right") if side == "both" else (side,):
            marked.add(f"{region}:{s}")
    return marked


def result_in_language(result: Result, assessment: Assessment, language: str) -> Result:
    """``result`` with its texts in ``language``: the result pages' ``result_in`` (the same
    decisions, said with that language's knowledge base) where it exists, else the assessment
    evaluated again with that knowledge base."""
    if language == DEFAULT_LANGUAGE:
        return result
    module = importlib.import_module("sciatica_care.web.pages.result_view")
    said = getattr(module, "result_in", None)
    if callable(said):
        return cast(Result, said(result, language))
    return evaluate(assessment, knowledge_base(language))


def brief_in(parts: BriefParts, language: str) -> TherapistBrief:
    """The brief with the result's texts in ``language`` (English: the result as it is)."""
    result = result_in_language(parts.result, parts.assessment, language)
    return therapist_brief(
        parts.assessment, result, prepared_on=parts.prepared_on, client_name=parts.client_name
    )


def brief_context(
    assessment: Assessment, result: Result, *, viewer: Actor | None = None
) -> dict[str, Any]:
    """What the brief template shows: the brief's sections and the pain map; the client's name
    when the client is the one viewing it (a therapist knows whose brief it is)."""
    name = viewer.display_name if viewer is not None and viewer.role == "client" else ""
    parts = BriefParts(assessment, result, date.today(), name or "")
    return {
        "brief": brief_in(parts, DEFAULT_LANGUAGE),
        "brief_parts": parts,
        "marked": marked_zones(assessment),
        "back_zones": BACK_ZONES,
        "front_zones": FRONT_ZONES,
    }


templates.env.globals["brief_in"] = brief_in
