"""My sessions: the client's coming and past massage sessions, and what each session note says
in plain words (techniques, areas, pressure, pain before and after, home-care advice; the SOAP
text only when the therapist shared it)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sciatica_care.domain.session_notes import REACTION_LABELS
from sciatica_care.i18n import N_
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.my_sessions import my_sessions
from sciatica_care.services.session_notes import SOAP_FIELDS
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist import render
from sciatica_care.web.pages.tracking import to_login

router = APIRouter()

#: The headings of the SOAP parts of a note shared with the client.
SOAP_NAMES: dict[str, str] = {
    "subjective": N_("Subjective"),
    "objective": N_("Objective"),
    "assessment": N_("Assessment"),
    "plan": N_("Plan"),
}


@router.get("/sessions", response_class=HTMLResponse)
def sessions_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Coming sessions (soonest first) and past ones with the therapist's write-up."""
    if user is None:
        return to_login()
    found = my_sessions(db, actor=user)
    kb = knowledge_base(request_language(request))
    return render(
        request,
        "pages/sessions.html",
        user=user,
        nav="sessions",
        sessions=found,
        soap=SOAP_FIELDS,
        soap_names=SOAP_NAMES,
        stretches={s.id: s for s in kb.self_care},
        translation_review=kb.translation_review,
        reaction_labels=REACTION_LABELS,
    )
