"""The therapist's workspace: the client list and the client page, honouring each client's
consent scopes (a part that is not shared is None, and ``scopes`` says what is)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.id_lists import one_of
from sciatica_care.db.read_commits import bookkeeping_only
from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, User
from sciatica_care.domain.diary import TrendReadout
from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.learning import WhatHelped, learned_responses
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.domain.vocabulary import label
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import diary, follow_up, learning, outcomes, session_notes, sharing
from sciatica_care.services.access import (
    allowed_ids,
    allows,
    is_record_id,
    require_client_access,
    require_therapist_access,
)
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import AssessmentOutcome, fresh_outcome_of
from sciatica_care.services.audit import Action
from sciatica_care.services.errors import NotFound
from sciatica_care.services.list_glance import ANSWERS, GLANCE, glance_of
from sciatica_care.services.session_notes import NoteView

ARROWS = {"improving": "down", "worse": "up", "about_the_same": "flat"}


@dataclass(frozen=True, slots=True)
class BodyArea:
    region: str
    label: str
    side: str


@dataclass(frozen=True, slots=True)
class ClientRow:
    """One line of the therapist's client list."""

    client_id: str
    display_name: str
    share_id: str
    scopes: tuple[str, ...]
    shared_at: datetime
    next_session_at: datetime | None
    leg_pain: float | None = None
    back_pain: float | None = None
    leg_arrow: str | None = None
    back_arrow: str | None = None
    trend_verdict: str = ""
    triage_level: str | None = None
    massage_hold: bool = False
    precautions: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    both_legs: bool = False
    not_settling: bool = False
    not_improving: bool = False
    follow_up: list[str] = field(default_factory=list)
    #: The follow-up read-out behind ``follow_up`` (to say the reasons in another language).
    follow_up_reading: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class ClientRecordView:
    """The client page: what the client's consent covers."""

    client_id: str
    display_name: str
    scopes: tuple[str, ...]
    next_session_at: datetime | None
    latest: AssessmentOutcome | None = None
    assessments_count: int = 0
    precautions: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    body_map: list[BodyArea] = field(default_factory=list)
    trend: TrendReadout | None = None
    recent_entries: Sequence[DiaryEntry] = ()
    notes: Sequence[NoteView] = ()
    what_helped: WhatHelped | None = None
    follow_up: FollowUp | None = None
    #: The PSFS and the global rating of change (shared with the diary).
    outcomes: outcomes.OutcomeSummary | None = None


#: The words a technique's short name drops ("deep tissue massage" is "deep tissue" work).
SHORT_SUFFIXES = (" massage", " therapy", " 마사지", " 요법")
NO_MASSAGE_YET = N_("No massage until a doctor has checked the client.")


def _short(technique: str, language: str = DEFAULT_LANGUAGE) -> str:
    _ = translator(language)
    name = _(label("techniques", technique))
    if language == DEFAULT_LANGUAGE:
        name = name.lower()
    for suffix in SHORT_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def precautions_of(result: Result, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """What to mind first, in short sentences: a hold, then one line per condition that changes
    the plan (e.g. "Blood thinners, a bleeding disorder or low platelets: no deep tissue or
    trigger point work"), from the knowledge-base rows the result fired, in ``language``."""
    return precautions_for(result.triage.massage_hold, result.rules_fired, language)


def precautions_for(
    massage_hold: bool, rules_fired: Sequence[str], language: str = DEFAULT_LANGUAGE
) -> list[str]:
    """:func:`precautions_of` from the two parts of a result it reads."""
    lines = [translator(language)(NO_MASSAGE_YET)] if massage_hold else []
    fired = set(rules_fired)
    lines.extend(line for row_id, line in _matrix_lines(language) if row_id in fired)
    return lines


#: Each language's matrix lines, made once for the knowledge base they were made from.
_LINES: dict[str, tuple[object, tuple[tuple[str, str], ...]]] = {}


def _matrix_lines(language: str) -> tuple[tuple[str, str], ...]:
    """The precaution line of each knowledge-base matrix row (its id and line, in matrix
    order), in ``language``; made again when the knowledge base is not the one they came from."""
    kb = knowledge_base(language)
    kept = _LINES.get(language)
    if kept is not None and kept[0] is kb:
        return kept[1]
    _ = translator(language)
    lines = []
    for row in kb.matrix:
        excluded = [
            _short(t, language) for t, cell in row.cells.items() if cell.action == "exclude"
        ]
        if excluded:
            names = excluded[-1]
            if len(excluded) > 1:
                names = _("%(some)s or %(last)s") % {
                    "some": ", ".join(excluded[:-1]),
                    "last": excluded[-1],
                }
            lines.append(
                (
                    row.id,
                    _("%(condition)s: no %(techniques)s work")
                    % {"condition": row.label, "techniques": names},
                )
            )
        else:
            first = next(iter(row.cells.values()), None)
            if first is not None:
                lines.append((row.id, f"{row.label}: {first.text}"))
    _LINES[language] = (kb, tuple(lines))
    return _LINES[language][1]


def avoid_of(result: Result) -> list[str]:
    """The techniques to avoid, with their reasons (in the language ``result`` was made in)."""
    return [f"{e.name}: {' '.join(e.reasons)}" for e in result.excluded]


def _latest_assessment(db: Session, *, clinic_id: str, client_id: str) -> AssessmentRecord | None:
    return db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).first()


class _Named(Protocol):
    @property
    def display_name(self) -> str | None: ...

    @property
    def email(self) -> str: ...


def _display_name(user: _Named | None) -> str:
    return (user.display_name or user.email.split("@")[0]) if user else ""


def client_list(db: Session, *, actor: Actor, language: str = DEFAULT_LANGUAGE) -> list[ClientRow]:
    """Every client who shared with the therapist, with what matters before the session: a
    fixed number of queries however many clients (the database sums the diary's days).
    The precautions and techniques to avoid are worded in ``language``."""
    bookkeeping_only(db)  # its writes: the audit rows, kept read-outs (db/read_commits.py)
    shares = sharing.therapist_shares(db, actor=actor)
    ids = [share.client_id for share in shares]
    whos = require_therapist_access(
        db, actor=actor, client_ids=ids, action="list", record_type="client", also=_HELPED
    )
    clinic_id = actor.clinic_id
    # The three columns the list shows or counts in (not whole accounts).
    users = {
        u.id: u
        for u in db.execute(
            select(User.id, User.display_name, User.email, User.time_zone).where(
                User.clinic_id == clinic_id, one_of(User.id, ids)
            )
        )
    }
    zones = {c: zone_named(users[c].time_zone if c in users else None) for c in ids}
    diary_ids = [c for c in ids if allows(whos[c], "read", "diary")]
    notes_ids = allowed_ids(whos, ids, "read", "what_helped")
    # Where each one started; the first assessment also keys their kept trend (read before it).
    firsts = follow_up.firsts_of(db, clinic_id=clinic_id, client_ids=diary_ids)
    first_assessments = {c: assessed for c, (assessed, _) in firsts.items()}
    diary_zones = {c: zones[c] for c in diary_ids}
    trends = diary.trends_of(
        db, clinic_id=clinic_id, zones=diary_zones, days=90, series=False, firsts=first_assessments
    )
    helped = learning.summaries_of(
        db, clinic_id=clinic_id, zones={c: zones[c] for c in notes_ids}, with_diary=set(diary_ids)
    )
    starts = {c: follow_up.start_from(firsts.get(c, ()), zones[c]) for c in diary_ids}
    assessments_ids = [c for c in ids if allows(whos[c], "read", "assessments")]
    latest: dict[str, tuple[Any, ...]] = diary.edge_assessments(
        db, clinic_id=clinic_id, client_ids=assessments_ids, latest=True, what=LIST_COLUMNS
    )
    rows = []
    for share in shares:
        client_id = share.client_id
        extra: dict[str, object] = {}
        readout = trends.get(client_id)
        if readout is not None:
            extra.update(
                leg_pain=readout.leg.current,
                back_pain=readout.back.current,
                leg_arrow=ARROWS.get(readout.leg.direction),
                back_arrow=ARROWS.get(readout.back.direction),
                trend_verdict=readout.leg.verdict,
            )
        if readout is not None or client_id in helped:
            reading = follow_up.reading_of(
                readout, helped.get(client_id), zone=zones[client_id], start=starts.get(client_id)
            )
            extra.update(
                not_settling=reading.not_settling,
                not_improving=reading.not_improving,
                follow_up=list(reading.reasons),
                follow_up_reading=reading,
            )
        record = latest.get(client_id)
        if record is not None:
            has_pain = extra.get("leg_pain") is not None
            extra.update(_assessment_columns(record, has_pain=has_pain, language=language))
        rows.append(
            ClientRow(
                client_id=client_id,
                display_name=_display_name(users.get(client_id)),
                share_id=share.id,
                scopes=tuple(share.scopes),
                shared_at=share.granted_at,
                next_session_at=share.next_session_at,
                **extra,  # type: ignore[arg-type]
            )
        )
    db.commit()
    return rows


#: What the client list reads of the latest assessment: the answers, the triage level, and
#: the result at a glance (not the whole result, which is fifty times larger), the two as text.
LIST_COLUMNS = (ANSWERS, AssessmentRecord.triage_level, GLANCE)
#: What else the list reads, decided (and audited) on the consents read for it: what helped.
_HELPED: tuple[tuple[Action, str], ...] = (("read", "what_helped"),)


def _assessment_columns(
    record: tuple[Any, ...], *, has_pain: bool, language: str = DEFAULT_LANGUAGE
) -> dict[str, object]:
    """The client list's columns from the latest assessment (:data:`LIST_COLUMNS`; its pain
    when the diary has none)."""
    answers, triage_level, glance = record
    seen = glance_of(answers, glance)  # parsed once for each distinct text
    _ = translator(language)
    columns: dict[str, object] = {
        "both_legs": seen.both_legs,
        "triage_level": triage_level,
        "massage_hold": seen.massage_hold,
        "precautions": precautions_for(seen.massage_hold, seen.rules_fired, language),
        "avoid": [_(label("techniques", technique)) for technique in seen.excluded],
    }
    if not has_pain:
        answered = seen.answers
        columns.update(leg_pain=float(answered["leg_pain"]), back_pain=float(answered["back_pain"]))
    return columns


def client_record(
    db: Session, *, actor: Actor, client_id: str, language: str = DEFAULT_LANGUAGE
) -> ClientRecordView:
    """The client page, part by part as the client's consent allows (each part audited). In
    another language than English the latest result is evaluated again with the knowledge
    base of ``language``, so that its reasons and precautions read in that language."""
    if not is_record_id(client_id):
        raise NotFound("client")
    bookkeeping_only(db)  # its writes: the audit rows, a kept read-out (db/read_commits.py)
    who = require_client_access(
        db, actor=actor, client_id=client_id, action="read", record_type="client"
    )
    if who.relation not in ("self", "shared_therapist"):
        raise NotFound("client")  # admins manage accounts; they do not open client pages
    clinic_id = actor.clinic_id
    share = (
        sharing.active_share(db, actor=actor, client_id=client_id)
        if who.relation == "shared_therapist"
        else None
    )
    view: dict[str, object] = {}
    helped = None
    if allows(who, "read", "notes"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="list", record_type="session_note"
        )
        view["notes"] = session_notes.notes_of(db, clinic_id=clinic_id, client_id=client_id)
        helped = learning.summary_of(
            db, clinic_id=clinic_id, client_id=client_id, with_diary=allows(who, "read", "diary")
        )
        view["what_helped"] = helped
    if allows(who, "read", "assessments"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="read", record_type="assessment"
        )
        record = _latest_assessment(db, clinic_id=clinic_id, client_id=client_id)
        if record is not None:
            latest = fresh_outcome_of(
                db, record, learned_responses(helped) if helped is not None else None
            )
            a = latest.assessment
            if language != DEFAULT_LANGUAGE:
                learned = (
                    learned_responses(helped)
                    if helped is not None
                    else learning.learned_for(db, clinic_id=clinic_id, client_id=client_id)
                )
                result = evaluate(a, knowledge_base(language), learned=learned or None)
                latest = AssessmentOutcome(a, result, latest.id, latest.created_at)
            view.update(
                latest=latest,
                precautions=precautions_of(latest.result, language),
                avoid=avoid_of(latest.result),
                body_map=[
                    BodyArea(r, label("areas", r), a.area_sides.get(r, a.side)) for r in a.areas
                ],
                assessments_count=db.scalar(
                    select(func.count())
                    .select_from(AssessmentRecord)
                    .where(
                        AssessmentRecord.clinic_id == clinic_id,
                        AssessmentRecord.user_id == client_id,
                    )
                ),
            )
    if allows(who, "read", "diary"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="read", record_type="trend"
        )
        view["trend"] = diary.trend_of(db, clinic_id=clinic_id, client_id=client_id, days=90)
        view["recent_entries"] = diary.entries_of(
            db, clinic_id=clinic_id, client_id=client_id, limit=10
        )
        view["outcomes"] = outcomes.outcome_summary(db, actor=actor, client_id=client_id)
    if view.get("trend") is not None or helped is not None:
        trend = view.get("trend")
        view["follow_up"] = follow_up.follow_up_of(
            db,
            clinic_id=clinic_id,
            client_id=client_id,
            trend=trend if isinstance(trend, TrendReadout) else None,
            helped=helped,
        )
    scopes = tuple(sorted(who.scopes)) if share is not None else ("assessments", "diary", "notes")
    record_view = ClientRecordView(
        client_id=client_id,
        display_name=_display_name(db.get(User, (clinic_id, client_id))),
        scopes=tuple(s for s in ("assessments", "diary", "notes") if s in scopes),
        next_session_at=share.next_session_at if share is not None else None,
        **view,  # type: ignore[arg-type]
    )
    db.commit()
    return record_view
