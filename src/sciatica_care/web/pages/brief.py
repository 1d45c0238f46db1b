"""The therapist brief page: the clinical core's ``therapist_brief`` plus the marked body map."""

from __future__ import annotations

from datetime import date
from typing import Any

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.brief import therapist_brief
from sciatica_care.domain.result import Result
from sciatica_care.services.actors import Actor
from sciatica_care.web.pages.body_map import BACK_ZONES, FRONT_ZONES


def marked_zones(assessment: Assessment) -> set[str]:
    """The body-map toggles (``region:side``) the assessment marks; "both" marks both sides."""
    marked = set()
    for region in assessment.areas:
        side = assessment.area_sides.get(region, assessment.side)
        for s in ("left", "right") if side == "both" else (side,):
            marked.add(f"{region}:{s}")
    return marked


def brief_context(
    assessment: Assessment, result: Result, *, viewer: Actor | None = None
) -> dict[str, Any]:
    """What the brief template shows: the brief's sections and the pain map; the client's name
    when the client is the one viewing it (a therapist knows whose brief it is)."""
    name = viewer.display_name if viewer is not None and viewer.role == "client" else ""
    return {
        "brief": therapist_brief(
            assessment, result, prepared_on=date.today(), client_name=name or ""
        ),
        "marked": marked_zones(assessment),
        "back_zones": BACK_ZONES,
        "front_zones": FRONT_ZONES,
    }
