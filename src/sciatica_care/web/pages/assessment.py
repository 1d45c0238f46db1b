"""The assessment wizard, its result and the therapist brief: open to anyone, no account.

Thin routes: read the form, validate with the clinical core, render. A finished assessment is
answered POST-redirect-GET, so every result has an address: signed in, the stored assessment
(``/assessments/<id>``); anonymous, ``/assessment/result/<id>``, kept for a day in the person's
own browser and nowhere else (``anonymous_result.py``). The result page also carries the
assessment (as JSON in a hidden field) so the brief can be printed and the assessment kept on
sign-up without storing anything first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.assessment import Assessment, AssessmentError, parse_assessment
from sciatica_care.domain.condition_groups import CONDITION_GROUPS, CONDITION_HINTS
from sciatica_care.domain.early_triage import EarlyTriage, early_triage
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.red_flag_groups import CHECKLIST_LABELS, RED_FLAG_GROUPS
from sciatica_care.domain.result import Result
from sciatica_care.domain.vocabulary import FOOT_REGIONS, LEG_REGIONS, TECHNIQUES
from sciatica_care.i18n import N_, translator
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import list_assessments, run_assessment
from sciatica_care.web.auth import CurrentUser, UnitOfWork, in_unit_of_work
from sciatica_care.web.language import request_language
from sciatica_care.web.pages import anonymous_result
from sciatica_care.web.pages.body_map import ALL_ZONES, BACK_ZONES, FRONT_ZONES
from sciatica_care.web.pages.brief import brief_context
from sciatica_care.web.pages.result_view import emergency_number_for, result_in, result_view
from sciatica_care.web.pages.wizard_form import (
    Answers,
    PageError,
    answers_from_assessment,
    answers_of,
    answers_so_far,
    both_legs_seen,
    read_wizard,
    summarised,
)
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

#: The wizard's steps (marked for translation, translated where shown).
STEP_TITLES = (
    N_("Your pain now"),
    N_("Where you feel it"),
    N_("About this episode"),
    N_("Safety questions"),
    N_("Your health"),
    N_("What you would like"),
)

# The pain levels start unset: never a silent 0 (the form refuses them unanswered).
FRESH_ANSWERS: Answers = {
    "duration_unit": ["weeks"],
    "diagnosis": ["unknown"],
    "pressure_preference": ["medium"],
    "goals": ["pain_relief"],
    **{f"prior_{t}": [""] for t in TECHNIQUES},
}


#: Any of these digits standing alone in a triage text is the emergency number (the knowledge
#: base writes the UK's 999); the web shows the configured number instead.
_EMERGENCY_NUMBER = re.compile(r"(?<![0-9])999(?![0-9])")


def page_knowledge(request: Request) -> KnowledgeBase:
    """The knowledge base in the language of the page (its clinical texts, translated)."""
    return knowledge_base(request_language(request))


def emergency_number(request: Request) -> str:
    """The emergency telephone number this deployment shows (setting EMERGENCY_NUMBER); on a
    page in another language, the one its knowledge base names (119 in Korean)."""
    settings = getattr(request.app.state, "settings", None)
    configured = str(getattr(settings, "emergency_number", "999"))
    return emergency_number_for(request_language(request), configured)


def local_number(text: str, number: str) -> str:
    """A triage text with the knowledge base's "999" replaced by ``number``: the one place."""
    return _EMERGENCY_NUMBER.sub(number, text) if number != "999" else text


templates.env.filters["local_number"] = local_number


def _both_legs_step(answers: Answers) -> int | None:
    """Where the both-legs question is asked: right where both legs were seen, else step 4."""
    if not both_legs_seen(answers):
        return None
    return 1 if "both" in answers.get("side", []) else 2


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
    shown = answers if answers is not None else FRESH_ANSWERS
    start_step = extra.pop("start_step", 1)
    both_legs_step = _both_legs_step(shown)
    if page_errors:
        first = page_errors[0]
        asked_early = first.field == "red_flags.bilateral_leg_symptoms" and both_legs_step
        start_step = both_legs_step if asked_early else first.step
    context = page_context(
        request,
        nav="assessment",
        answers=shown,
        answers_from_server=answers is not None,
        page_errors=summarised(page_errors or []),
        errors=errors,
        start_step=start_step,
        step_titles=STEP_TITLES,
        back_zones=BACK_ZONES,
        front_zones=FRONT_ZONES,
        all_zones=ALL_ZONES,
        both_legs_step=both_legs_step,
        leg_regions=" ".join(sorted(LEG_REGIONS)),
        foot_regions=" ".join(sorted(FOOT_REGIONS)),
        condition_groups=CONDITION_GROUPS,
        condition_hints=CONDITION_HINTS,
        red_flag_groups=RED_FLAG_GROUPS,
        checklist_labels=CHECKLIST_LABELS,
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
    # In the page's language: the same decisions, the knowledge base's texts in that language.
    result = result_in(result, request_language(request))
    context = page_context(
        request,
        nav=extra.pop("nav", "assessment"),
        assessment=assessment,
        result=result,
        view=result_view(result, page_knowledge(request)),
        fold_calm_triage=True,
        assessment_json=assessment_json(assessment),
        kb=page_knowledge(request),
        emergency_number=emergency_number(request),
        **extra,
    )
    return templates.TemplateResponse(request, "pages/result.html", context)


def stop_page(request: Request, answers: Answers, early: EarlyTriage, **extra: Any) -> Response:
    """The triage of the answers so far, shown instead of the remaining questions.

    Nothing is stored: the assessment is not complete. The answers ride along in hidden
    fields so that "Change my answers" brings the wizard back as it was.
    """
    kept = [(name, value) for name, values in answers.items() for value in values]
    context = page_context(
        request,
        nav="assessment",
        assessment=None,
        result=result_in(early.result, request_language(request)),
        early=True,
        kept_answers=[(n, v) for n, v in kept if n not in ("csrftoken", "upto")],
        kb=page_knowledge(request),
        emergency_number=emergency_number(request),
        **extra,
    )
    return templates.TemplateResponse(request, "pages/result.html", context)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: CurrentUser) -> Response:
    """The front page: what this is and where to start."""
    context = page_context(request, user=user, signed_out=request.query_params.get("signed_out"))
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
async def submit_wizard(request: Request) -> Response:
    """Validate the answers: the wizard again with every error named, or the result.

    Signed in, the assessment is stored and the person is sent to it; otherwise the result is
    shown and nothing is stored. The form is read on the event loop; the rest (the sign-in, the
    evaluation, the store and its commit) runs in one thread, in turns on SQLite.
    """
    form = await request.form()
    answers = answers_of(form.multi_items())

    def work(db: Session, user: Actor | None) -> Response:
        upto = _step_checked(answers)
        outcome = read_wizard(answers)
        if outcome.assessment is None or upto is not None:
            # Not finished (or a step checked on its own, without the script): the answers so
            # far may already need care now, whatever the rest would say.
            early = early_triage(answers_so_far(answers), page_knowledge(request))
            if early.stop:
                return stop_page(request, answers, early, user=user)
        if upto is not None:
            errors = [e for e in outcome.errors if e.step <= upto]
            return wizard_page(
                request,
                user=user,
                answers=answers,
                page_errors=errors,
                checked_upto=upto,
                start_step=min(upto + 1, len(STEP_TITLES)),
                status_code=422 if errors else 200,
            )
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
        response = RedirectResponse("/assessment/result/", status_code=303)
        result_id = anonymous_result.keep(request, response, outcome.assessment)
        response.headers["location"] = f"/assessment/result/{result_id}"
        return response

    return await in_unit_of_work(request, work)


def _not_kept(request: Request, user: CurrentUser, found: anonymous_result.Kept) -> Response:
    """The page for an anonymous result that is not in this browser (404) or forgotten (410)."""
    gone = found.state == "expired"
    _ = translator(request_language(request))
    return templates.TemplateResponse(
        request,
        "pages/message.html",
        page_context(
            request,
            user=user,
            title=_("This result has been forgotten")
            if gone
            else _("We could not find this result"),
            message=_(
                "A result is kept for %(hours)s hours on the device that took the assessment, "
                "then forgotten. Take the assessment again, or save your plan next time to "
                "keep it."
            )
            % {"hours": anonymous_result.KEPT_HOURS},
            link=("/assessment", _("Take the assessment")),
        ),
        status_code=410 if gone else 404,
    )


@router.get("/assessment/result/{result_id}", response_class=HTMLResponse)
def anonymous_result_page(request: Request, result_id: str, user: CurrentUser) -> Response:
    """An anonymous result at its address: only in the browser that took the assessment, and
    for ``KEPT_HOURS`` (404 elsewhere, 410 once it has been forgotten)."""
    found = anonymous_result.kept(request, result_id)
    if found.assessment is None:
        return _not_kept(request, user, found)
    result = evaluate(found.assessment, page_knowledge(request))
    _ = translator(request_language(request))
    return result_page(
        request,
        found.assessment,
        result,
        user=user,
        anonymous_kept=_("%(hours)s hours") % {"hours": anonymous_result.KEPT_HOURS},
        result_id=result_id,
    )


@router.get("/assessment/result/{result_id}/brief", response_class=HTMLResponse)
def anonymous_brief(request: Request, result_id: str, user: CurrentUser) -> Response:
    """The printable therapist brief of an anonymous result, at an address of its own."""
    found = anonymous_result.kept(request, result_id)
    if found.assessment is None:
        return _not_kept(request, user, found)
    result = evaluate(found.assessment, page_knowledge(request))
    context = brief_context(found.assessment, result, viewer=user)
    return templates.TemplateResponse(
        request, "pages/brief.html", page_context(request, user=user, **context)
    )


def _step_checked(answers: Answers) -> int | None:
    """The step whose "Check and continue" button sent the form (without the script), if any."""
    raw = (answers.get("upto") or [""])[-1]
    return int(raw) if raw.isdigit() and 1 <= int(raw) < len(STEP_TITLES) else None


@router.post("/assessment/triage")
async def triage_so_far(request: Request) -> JSONResponse:
    """The triage of the wizard's answers so far, for its script: ``{"level", "stop"}``.

    ``stop`` is true when the answers given already need emergency or urgent care whatever the
    unanswered ones would be (``domain/early_triage.py``); the script then sends the form, and
    the person sees what to do now. Nothing is stored or logged.
    """
    form = await request.form()
    early = early_triage(answers_so_far(answers_of(form.multi_items())), knowledge_base())
    return JSONResponse({"level": early.level, "stop": early.stop})


def carried_assessment(raw: object) -> Assessment | None:
    """Re-validate an assessment carried in a hidden field; None when it is not valid."""
    if not isinstance(raw, str):
        return None
    try:
        return parse_assessment(json.loads(raw))
    except (ValueError, RecursionError, AssessmentError):  # RecursionError: nested too deep
        return None


@router.post("/assessment/brief", response_class=HTMLResponse)
async def brief(request: Request, user: CurrentUser) -> Response:
    """The printable one-page brief for the therapist, from the carried assessment."""
    form = await request.form()
    assessment = carried_assessment(form.get("assessment"))
    if assessment is None:
        _ = translator(request_language(request))
        return templates.TemplateResponse(
            request,
            "pages/message.html",
            page_context(
                request,
                user=user,
                title=_("We could not make the brief"),
                message=_("The assessment was missing or not valid. Please take it again."),
                link=("/assessment", _("Take the assessment")),
            ),
            status_code=422,
        )
    result = evaluate(assessment, page_knowledge(request))
    return templates.TemplateResponse(
        request,
        "pages/brief.html",
        page_context(request, user=user, **brief_context(assessment, result, viewer=user)),
    )


@router.post("/assessment/edit", response_class=HTMLResponse)
async def edit(request: Request, user: CurrentUser) -> Response:
    """The wizard filled in from a carried assessment, to change an answer or two."""
    form = await request.form()
    if "assessment" not in form:
        # From the page of the answers so far: the answers themselves came back.
        answers = answers_of(form.multi_items())
        answers.pop("csrftoken", None)
        return wizard_page(request, user=user, answers=answers)
    assessment = carried_assessment(form.get("assessment"))
    if assessment is None:
        return wizard_page(request, user=user)
    return wizard_page(request, user=user, answers=answers_from_assessment(assessment))
