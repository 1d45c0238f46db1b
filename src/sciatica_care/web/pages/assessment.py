"""The assessment wizard, its result and the therapist brief: open to anyone, no account.

Thin routes: read the form, validate with the clinical core, render. Nothing is stored here for
an anonymous person; the result page carries the assessment (as JSON in a hidden field) so the
brief can be printed and the assessment kept on sign-up without storing anything first.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.domain.assessment import Assessment, AssessmentError, parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.domain.vocabulary import TECHNIQUES
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.assessments import list_assessments, run_assessment
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.body_map import ALL_ZONES, BACK_ZONES, FRONT_ZONES
from sciatica_care.web.pages.brief import brief_context
from sciatica_care.web.pages.wizard_form import (
    Answers,
    PageError,
    answers_from_assessment,
    answers_of,
    read_wizard,
    summarised,
)
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

STEP_TITLES = (
    "Your pain now",
    "Where you feel it",
    "About this episode",
    "Safety questions",
    "Your health",
    "What you would like",
)

FRESH_ANSWERS: Answers = {
    "back_pain": ["0"],
    "leg_pain": ["0"],
    "duration_unit": ["weeks"],
    "diagnosis": ["unknown"],
    "pressure_preference": ["medium"],
    "goals": ["pain_relief"],
    **{f"prior_{t}": [""] for t in TECHNIQUES},
}


def wizard_page(
    request: Request,
    *,
    answers: Answers | None = None,
    page_errors: list[PageError] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """Render the wizard, with the person's answers and any errors kept in place."""
    errors: dict[str, list[PageError]] = {}
    for e in page_errors or []:
        errors.setdefault(e.anchor, []).append(e)
    context = page_context(
        request,
        nav="assessment",
        answers=answers if answers is not None else FRESH_ANSWERS,
        answers_from_server=answers is not None,
        page_errors=summarised(page_errors or []),
        errors=errors,
        start_step=page_errors[0].step if page_errors else 1,
        step_titles=STEP_TITLES,
        back_zones=BACK_ZONES,
        front_zones=FRONT_ZONES,
        all_zones=ALL_ZONES,
        **extra,
    )
    return templates.TemplateResponse(
        request, "pages/wizard.html", context, status_code=status_code
    )


def assessment_json(assessment: Assessment) -> str:
    """The assessment as the JSON the API takes (carried in hidden fields)."""
    return json.dumps(assessment.model_dump(mode="json", exclude_defaults=True), sort_keys=True)


def result_page(request: Request, assessment: Assessment, result: Result, **extra: Any) -> Response:
    """Render the result: triage first, then the plan."""
    context = page_context(
        request,
        nav=extra.pop("nav", "assessment"),
        assessment=assessment,
        result=result,
        assessment_json=assessment_json(assessment),
        kb=knowledge_base(),
        **extra,
    )
    return templates.TemplateResponse(request, "pages/result.html", context)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: CurrentUser) -> Response:
    """The front page: what this is and where to start."""
    context = page_context(request, user=user, signed_out="signed_out" in request.query_params)
    return templates.TemplateResponse(request, "pages/home.html", context)


@router.get("/assessment", response_class=HTMLResponse)
def wizard(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The assessment wizard, blank (the script restores unfinished answers).

    Signed in, ``?from=latest`` starts from the answers of the latest stored assessment.
    """
    if user is not None and request.query_params.get("from") == "latest":
        records = list_assessments(db, actor=user)
        if records:
            latest = carried_assessment(json.dumps(records[0].input))
            if latest is not None:
                return wizard_page(request, user=user, answers=answers_from_assessment(latest))
    return wizard_page(request, user=user)


@router.post("/assessment", response_class=HTMLResponse)
async def submit_wizard(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Validate the answers: the wizard again with every error named, or the result.

    Signed in, the assessment is stored and the person is sent to it; otherwise the result is
    shown and nothing is stored.
    """
    form = await request.form()
    outcome = read_wizard(answers_of(form.multi_items()))
    if outcome.assessment is None:
        return wizard_page(
            request,
            user=user,
            answers=outcome.answers,
            page_errors=outcome.errors,
            status_code=422,
        )
    if user is not None:
        stored = run_assessment(db, actor=user, assessment=outcome.assessment)
        return RedirectResponse(f"/assessments/{stored.id}", status_code=303)
    result = evaluate(outcome.assessment, knowledge_base())
    return result_page(request, outcome.assessment, result)


def carried_assessment(raw: object) -> Assessment | None:
    """Re-validate an assessment carried in a hidden field; None when it is not valid."""
    if not isinstance(raw, str):
        return None
    try:
        return parse_assessment(json.loads(raw))
    except (ValueError, AssessmentError):
        return None


@router.post("/assessment/brief", response_class=HTMLResponse)
async def brief(request: Request, user: CurrentUser) -> Response:
    """The printable one-page brief for the therapist, from the carried assessment."""
    form = await request.form()
    assessment = carried_assessment(form.get("assessment"))
    if assessment is None:
        return templates.TemplateResponse(
            request,
            "pages/message.html",
            page_context(
                request,
                user=user,
                title="We could not make the brief",
                message="The assessment was missing or not valid. Please take it again.",
                link=("/assessment", "Take the assessment"),
            ),
            status_code=422,
        )
    result = evaluate(assessment, knowledge_base())
    return templates.TemplateResponse(
        request,
        "pages/brief.html",
        page_context(request, user=user, **brief_context(assessment, result)),
    )


@router.post("/assessment/edit", response_class=HTMLResponse)
async def edit(request: Request, user: CurrentUser) -> Response:
    """The wizard filled in from a carried assessment, to change an answer or two."""
    form = await request.form()
    assessment = carried_assessment(form.get("assessment"))
    if assessment is None:
        return wizard_page(request, user=user)
    return wizard_page(request, user=user, answers=answers_from_assessment(assessment))
