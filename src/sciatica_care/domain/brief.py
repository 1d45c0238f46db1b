"""The therapist brief: the one page a client hands to their massage therapist.

Built from an assessment and its result, with no I/O. Safety comes first on the page: the triage
(when it is not plain self-care), then the precautions and the techniques to avoid, and only then
the suggested techniques, what to target and the client's goals.
"""

from __future__ import annotations

import textwrap
from datetime import date

from pydantic import BaseModel, ConfigDict

from sciatica_care.domain.assessment import Assessment, both_legs
from sciatica_care.domain.result import FIT_WORDS, Result
from sciatica_care.domain.vocabulary import (
    BELOW_KNEE_REGIONS,
    Pressure,
    Side,
    TechniqueId,
    TriageLevel,
    label,
)
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translations, translator


class _Brief(BaseModel):
    model_config = ConfigDict(frozen=True)


class PainArea(_Brief):
    region: str
    label: str
    below_knee: bool


class PainMapSide(_Brief):
    """The marked areas on one side; ``below_knee`` areas hint at an irritated nerve root."""

    side: str
    areas: list[PainArea]


class AvoidTechnique(_Brief):
    technique: TechniqueId
    name: str
    reasons: list[str]


class SuggestedTechnique(_Brief):
    technique: TechniqueId
    name: str
    pressure: Pressure
    session_minutes: str
    fit: str = ""  # "good fit" or "also possible" (the result's fit band, in words)


class TargetArea(_Brief):
    label: str
    side: str
    muscles: list[str]
    caution: str | None


class PriorResponse(_Brief):
    technique: TechniqueId
    name: str
    response: str


class TherapistBrief(_Brief):
    """What the therapist needs before the session, safety first."""

    age: int
    sex: str | None
    pregnant: bool
    back_pain: int
    leg_pain: int
    side: Side
    pain_map: list[PainMapSide]
    nerve_root_hint: bool
    both_legs: bool = False
    symptoms: list[str]
    duration_weeks: float
    trend: str
    first_episode: bool
    seen_clinician: bool
    diagnosis: str
    triage_level: TriageLevel
    triage_headline: str
    triage_first_action: str = ""
    triage_reasons: list[str]
    massage_hold: bool
    provisional: bool
    precautions: list[str]
    avoid: list[AvoidTechnique]
    suggested: list[SuggestedTechnique]
    pressure_preference: Pressure
    targets: list[TargetArea]
    goals: list[str]
    prior_responses: list[PriorResponse]
    knowledge_version: str
    prepared_on: date | None
    client_name: str = ""

    def lines(self, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, list[str]]]:
        """The brief as (heading, lines) pairs, in page order; both renderers use it. The
        lines are in ``language``; each heading is its English id (one of ``HEADINGS``), to
        show as ``_(heading)``. Text from the result (reasons, technique names, targets) is in
        the language the result was made in."""
        return _lines(self, language)

    def to_text(self) -> str:
        """The brief as plain text for one page."""
        out = ["THERAPIST BRIEF", "==============="]
        for heading, body in self.lines():
            out += ["", heading.upper()]
            for line in body:
                out += textwrap.wrap(line, 78, initial_indent="  ", subsequent_indent="    ")
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        """The brief as markdown for one page."""
        out = ["# Therapist brief"]
        for heading, body in self.lines():
            out += ["", f"## {heading}", "", *[f"- {x}" for x in body]]
        return "\n".join(out) + "\n"


#: The brief's section headings: English ids, shown translated (``_(heading)``).
HEADINGS = (
    N_("Client"),
    N_("Pain"),
    N_("Pain map"),
    N_("Safety"),
    N_("Precautions"),
    N_("Avoid"),
    N_("Suggested techniques, best first"),
    N_("What to target"),
    N_("Goals and earlier massage"),
    N_("About"),
)
#: How well a suggested technique fits, in words (the result's FIT_WORDS), to translate.
FIT_NAMES = (N_("good fit"), N_("also possible"), N_("not for you now"))
#: The muscles of the knowledge base's targets (anatomical names, shown translated).
MUSCLES = (
    N_("adductors"),
    N_("gastrocnemius"),
    N_("gluteus maximus"),
    N_("gluteus medius"),
    N_("gluteus minimus"),
    N_("hamstrings"),
    N_("iliotibial band"),
    N_("intrinsic foot muscles"),
    N_("lumbar paraspinals"),
    N_("peroneals"),
    N_("piriformis"),
    N_("quadratus lumborum"),
    N_("quadriceps"),
    N_("soleus"),
    N_("tensor fasciae latae"),
    N_("tibialis anterior"),
)
SIDE_WORDS: dict[str, str] = {"left": N_("Left"), "right": N_("Right"), "both": N_("Both sides")}
NO_MASSAGE_YET = N_("No massage until a doctor has checked the client.")


def _weeks(weeks: float, language: str = DEFAULT_LANGUAGE) -> str:
    ngettext = translations(language).ngettext
    if weeks < 1:
        days = round(weeks * 7)
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    return ngettext("%(n)s week", "%(n)s weeks", 1 if weeks == 1 else 2) % {"n": f"{weeks:g}"}


def _side_words(side: str, language: str = DEFAULT_LANGUAGE) -> str:
    return translator(language)(SIDE_WORDS[side])


def _lines(b: TherapistBrief, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, list[str]]]:
    _ = translator(language)
    english = language == DEFAULT_LANGUAGE

    def low(text: str) -> str:
        """A label inside a sentence: lower case in English, as it is elsewhere."""
        return text.lower() if english else text

    if b.sex:
        who = [_("Age %(age)s, %(sex)s") % {"age": b.age, "sex": low(_(label("sex", b.sex)))}]
    else:
        who = [_("Age %(age)s") % {"age": b.age}]
    if b.client_name:
        who.insert(0, b.client_name)
    if b.pregnant:
        who.append(_("Pregnant"))
    legs = _("both legs") if b.both_legs else low(_(label("side", b.side)))
    episode = {"duration": _weeks(b.duration_weeks, language), "trend": low(_(b.trend))}
    pain = [
        _("Back pain %(back)s/10, leg pain %(leg)s/10 (%(legs)s)")
        % {"back": b.back_pain, "leg": b.leg_pain, "legs": legs},
        (
            _("This episode: %(duration)s, %(trend)s; first episode")
            if b.first_episode
            else _("This episode: %(duration)s, %(trend)s; has had sciatica before")
        )
        % episode,
        (
            _("Diagnosis: %(diagnosis)s")
            if b.seen_clinician
            else _("Diagnosis: %(diagnosis)s (not yet assessed by a clinician)")
        )
        % {"diagnosis": _(b.diagnosis)},
    ]
    if b.symptoms:
        pain.append(_("Symptoms: %(symptoms)s") % {"symptoms": ", ".join(_(s) for s in b.symptoms)})
    pain_map = [
        f"{_side_words(g.side, language)}: "
        + ", ".join(
            _("%(area)s (below knee)") % {"area": _(a.label)} if a.below_knee else _(a.label)
            for a in g.areas
        )
        for g in b.pain_map
    ]
    if b.nerve_root_hint:
        pain_map.append(_("Symptoms below the knee suggest an irritated nerve root."))
    out: list[tuple[str, list[str]]] = [("Client", who), ("Pain", pain)]
    if pain_map:
        out.append(("Pain map", pain_map))
    if b.triage_level != "self_care":
        level = _(label("triage_level", b.triage_level))
        if b.triage_level in ("emergency", "urgent") and b.triage_first_action:
            # What to do now comes first, in the rule's own words (ambulance, surgical team,
            # cancer team), and the section leads the page.
            word = b.triage_level.upper() if english else level
            safety = [_("%(level)s: %(action)s") % {"level": word, "action": b.triage_first_action}]
        else:
            same = b.triage_headline.rstrip(".").lower() in level.lower()
            safety = [
                _("Triage: %(level)s") % {"level": level}
                if same
                else _("Triage: %(level)s. %(headline)s")
                % {"level": level, "headline": b.triage_headline}
            ]
        safety += b.triage_reasons
        if b.massage_hold:
            safety.append(_(NO_MASSAGE_YET))
        elif b.provisional:
            safety.append(_("Plan is provisional: the client should check with a clinician first."))
        if b.triage_level in ("emergency", "urgent"):
            out.insert(0, ("Safety", safety))
        else:
            out.append(("Safety", safety))
    if b.precautions:
        out.append(("Precautions", list(b.precautions)))
    if b.avoid and not b.massage_hold:
        out.append(("Avoid", [f"{a.name}: {' '.join(a.reasons)}" for a in b.avoid]))
    if b.suggested:
        suggested = []
        for s in b.suggested:
            words = {
                "name": s.name,
                "fit": _(s.fit),
                "pressure": low(_(label("pressure_preference", s.pressure))),
                "minutes": s.session_minutes,
            }
            suggested.append(
                (
                    _("%(name)s (%(fit)s): %(pressure)s pressure, %(minutes)s minutes")
                    if s.fit
                    else _("%(name)s: %(pressure)s pressure, %(minutes)s minutes")
                )
                % words
            )
        preferred = low(_(label("pressure_preference", b.pressure_preference)))
        suggested.append(_("Client prefers %(pressure)s pressure.") % {"pressure": preferred})
        out.append(("Suggested techniques, best first", suggested))
    if b.targets:
        targets = []
        for t in b.targets:
            side = low(_(SIDE_WORDS[t.side])) if t.side in SIDE_WORDS else t.side
            words = {
                "area": _(t.label),
                "side": side,
                "muscles": ", ".join(_(m) for m in t.muscles),
            }
            if t.caution:
                words["caution"] = t.caution
                targets.append(_("%(area)s (%(side)s): %(muscles)s. Caution: %(caution)s") % words)
            else:
                targets.append(_("%(area)s (%(side)s): %(muscles)s") % words)
        out.append(("What to target", targets))
    goals = [", ".join(_(g) for g in b.goals)] if b.goals else []
    goals += [
        _("Before: %(technique)s: %(response)s")
        % {"technique": _(p.name), "response": low(_(p.response))}
        for p in b.prior_responses
    ]
    if goals:
        out.append(("Goals and earlier massage", goals))
    if b.prepared_on is not None:
        footer = _("Knowledge base %(version)s, prepared %(date)s") % {
            "version": b.knowledge_version,
            "date": b.prepared_on.isoformat(),
        }
    else:
        footer = _("Knowledge base %(version)s") % {"version": b.knowledge_version}
    out.append(("About", [footer]))
    return out


def therapist_brief(
    assessment: Assessment,
    result: Result,
    *,
    prepared_on: date | None = None,
    client_name: str = "",
) -> TherapistBrief:
    """Summarise an assessment and its result for the therapist (no I/O; pass the date in,
    and the client's name when the client is signed in and has given one)."""
    a = assessment
    by_side: dict[str, list[PainArea]] = {}
    for region in a.areas:
        side = a.area_sides.get(region, a.side)
        area = PainArea(
            region=region, label=label("areas", region), below_knee=region in BELOW_KNEE_REGIONS
        )
        by_side.setdefault(side, []).append(area)
    pain_map = [
        PainMapSide(side=side, areas=by_side[side])
        for side in ("left", "right", "both")
        if side in by_side
    ]
    held = result.triage.massage_hold
    precautions = list(dict.fromkeys(p for r in result.recommendations for p in r.precautions))
    return TherapistBrief(
        age=a.age,
        sex=a.sex,
        pregnant=a.pregnant,
        back_pain=a.back_pain,
        leg_pain=a.leg_pain,
        side=a.side,
        pain_map=pain_map,
        nerve_root_hint=any(r in BELOW_KNEE_REGIONS for r in a.areas),
        both_legs=both_legs(a),
        symptoms=[label("symptoms", s) for s in a.symptoms],
        duration_weeks=a.duration_weeks,
        trend=label("trend", a.trend),
        first_episode=a.first_episode,
        seen_clinician=a.seen_clinician,
        diagnosis=label("diagnosis", a.diagnosis),
        triage_level=result.triage.level,
        triage_headline=result.triage.headline,
        triage_first_action=result.triage.first_action,
        triage_reasons=[] if result.triage.level == "self_care" else result.triage.reasons,
        massage_hold=held,
        provisional=result.provisional,
        precautions=precautions,
        avoid=[
            AvoidTechnique(technique=e.technique, name=e.name, reasons=e.reasons)
            for e in result.excluded
        ],
        suggested=[
            SuggestedTechnique(
                technique=r.technique,
                name=r.name,
                pressure=r.pressure,
                session_minutes=r.session_minutes,
                fit=FIT_WORDS[r.fit],
            )
            for r in result.recommendations
        ],
        pressure_preference=a.pressure_preference,
        targets=[
            TargetArea(label=t.label, side=t.side, muscles=t.muscles, caution=t.caution)
            for t in result.targets
        ],
        goals=[label("goals", g) for g in a.goals],
        prior_responses=[
            PriorResponse(
                technique=t, name=label("techniques", t), response=label("prior_response", r)
            )
            for t, r in a.prior_response.items()
        ],
        knowledge_version=result.knowledge_version,
        prepared_on=prepared_on,
        client_name=client_name.strip(),
    )
