"""A result in words: ordered sections, rendered as plain text or markdown.

:func:`sections` decides what is said and in which order (the safety message always first;
at a massage hold no technique is offered; at ``see_clinician`` the plan is marked provisional).
The renderers only lay the sections out, so the terminal, the web page and the PDF say the
same thing in the same order.

The words are in ``language``: the fixed ones from the message catalog, the clinical ones from
the result (evaluate it with ``knowledge_base(language)``). A result in another language than
English ends by saying its clinical texts are a translation not yet reviewed by a clinician.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, NamedTuple

from sciatica_care.domain.result import Result
from sciatica_care.domain.vocabulary import label
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator

Tone = Literal["emergency", "urgent", "caution", "calm", "plain"]

PROVISIONAL = N_("This plan is provisional: check with your clinician first, before any massage.")
#: How well a technique fits (domain/result.py FIT_WORDS), marked for translation.
FIT_WORDS: dict[str, str] = {
    "good_fit": N_("good fit"),
    "also_possible": N_("also possible"),
    "not_for_you_now": N_("not for you now"),
}
#: The reason given for a technique nothing argues for or against (domain/recommendation.py):
#: code's words, not the knowledge base's, so they are translated here.
NEUTRAL_REASON = N_("A safe option for you: nothing in your answers argues for or against it.")
#: An evidence grade in words ("very_low" reads "very low", as before).
GRADE_WORDS: dict[str, str] = {
    "moderate": N_("moderate"),
    "low": N_("low"),
    "very_low": N_("very low"),
    "none": N_("none"),
    "consensus": N_("consensus"),
}
_TONE_OF_LEVEL: dict[str, Tone] = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_clinician": "caution",
    "self_care": "calm",
}


class Item(NamedTuple):
    """One point, with optional detail lines under it."""

    text: str
    details: tuple[str, ...] = ()


class Block(NamedTuple):
    """A run of paragraphs and/or a list, with an optional heading."""

    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    ordered: bool = False


class Section(NamedTuple):
    """A titled part of the answer; ``tone`` tells a renderer how loudly to show it."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    tone: Tone = "plain"


Gettext = Callable[[str], str]


def _cite(ids: Iterable[str]) -> str:
    ids = list(ids)
    return f" [{', '.join(ids)}]" if ids else ""


def _side(side: str, _: Gettext) -> str:
    if side == "both":
        return _("both sides")
    return _("left side") if side == "left" else _("right side")


def _triage(result: Result, _: Gettext) -> Section:
    t = result.triage
    tone = _TONE_OF_LEVEL[t.level]
    title = t.headline
    advice = t.advice
    if t.level in ("emergency", "urgent"):
        # What to do now is the first thing said: the rule's own instruction (ambulance,
        # surgical team, cancer team) or the level's, as the title; the rest follows.
        if t.level == "emergency":
            title = _("EMERGENCY: %(action)s") % {"action": t.first_action}
        else:
            title = _("URGENT: %(action)s") % {"action": t.first_action}
        advice = t.advice.removeprefix(t.first_action).strip()
    blocks = [Block(paragraphs=(advice,))] if advice else []
    # triage.md: what to do now, then the reasons, then "Do not drive…", then what to say.
    if t.reasons:
        blocks.append(Block(heading=_("Why"), items=tuple(Item(r) for r in t.reasons)))
    if t.then:
        blocks.append(Block(items=tuple(Item(x) for x in t.then), ordered=True))
    if t.tell_doctor and t.level != "self_care":
        blocks.append(Block(heading=_("What to say"), items=tuple(Item(x) for x in t.tell_doctor)))
    return Section("triage", title, tuple(blocks), tone)


def _plan(result: Result, _: Gettext, language: str) -> list[Section]:
    if result.triage.massage_hold:
        if result.triage.level == "emergency":
            return []
        reasons = tuple(dict.fromkeys(r for e in result.excluded for r in e.reasons))
        return [Section("hold", _("No massage for now"), (Block(paragraphs=reasons),), "caution")]
    out = []
    if result.recommendations:
        items = []
        for r in result.recommendations:
            details = [
                _("Why: %(text)s") % {"text": _(x) if x == NEUTRAL_REASON else x}
                for x in r.reasons
                if x not in r.against
            ]
            details += [_("Against it: %(text)s") % {"text": x} for x in r.against]
            details += [_("Take care: %(text)s") % {"text": x} for x in r.precautions]
            details.append(_("How it is done: %(text)s") % {"text": r.how})
            grade = _(GRADE_WORDS.get(r.evidence.grade, r.evidence.grade.replace("_", " ")))
            details.append(
                _("Evidence (%(grade)s): %(text)s")
                % {"grade": grade, "text": f"{r.evidence.summary}{_cite(r.evidence.sources)}"}
            )
            fit = _(FIT_WORDS[r.fit]) if r.fit in FIT_WORDS else ""
            pressure = (
                r.pressure
                if language == DEFAULT_LANGUAGE
                else _(label("pressure_preference", r.pressure))
            )
            text = _("%(name)s (%(fit)s): %(pressure)s pressure, %(minutes)s minutes") % {
                "name": r.name,
                "fit": fit,
                "pressure": pressure,
                "minutes": r.session_minutes,
            }
            items.append(Item(text, tuple(details)))
        blocks = [Block(paragraphs=(_(PROVISIONAL),))] if result.provisional else []
        blocks.append(Block(items=tuple(items), ordered=True))
        if result.session is not None:
            s = result.session
            blocks.append(
                Block(heading=_("How often"), paragraphs=(s.frequency, s.review, s.soreness))
            )
        title = (
            _("Your massage plan (provisional)") if result.provisional else _("Your massage plan")
        )
        out.append(
            Section("plan", title, tuple(blocks), "caution" if result.provisional else "plain")
        )
    if result.excluded:
        items = [Item(e.name, tuple(e.reasons)) for e in result.excluded]
        out.append(Section("avoid", _("Techniques to avoid"), (Block(items=tuple(items)),)))
    return out


def _targets(result: Result, _: Gettext) -> list[Section]:
    if not result.targets or result.triage.massage_hold:
        return []
    items = []
    for t in result.targets:
        details = [_("Muscles: %(names)s") % {"names": ", ".join(t.muscles)}] if t.muscles else []
        if t.dermatome:
            details.append(_("Nerve root area: %(text)s") % {"text": t.dermatome})
        if t.caution:
            details.append(_("Caution: %(text)s") % {"text": t.caution})
        place = _("%(area)s, %(side)s") % {"area": _(t.label), "side": _side(t.side, _)}
        items.append(Item(place, tuple(details)))
    return [Section("targets", _("What to target"), (Block(items=tuple(items)),))]


def _self_care(result: Result, _: Gettext) -> list[Section]:
    out = []
    if result.self_care_plan:
        items = []
        for a in result.self_care_plan:
            details = [a.dose] if a.dose else []
            details += a.notes
            if a.stop_if:
                details.append(a.stop_if)
            items.append(Item(f"{a.title}: {a.text}", tuple(details)))
        title = _("Meanwhile") if result.triage.massage_hold else _("Self-care between sessions")
        out.append(Section("self_care", title, (Block(items=tuple(items)),)))
    if result.exercises_to_avoid:
        items = [Item(x.title, tuple(x.reasons)) for x in result.exercises_to_avoid]
        out.append(
            Section("exercises_to_avoid", _("Exercises to avoid"), (Block(items=tuple(items)),))
        )
    return out


def _evidence(result: Result, citations: Mapping[str, str] | None, _: Gettext) -> list[Section]:
    out = []
    if result.evidence:
        items = tuple(Item(f"{e.text}{_cite(e.sources)}") for e in result.evidence)
        out.append(Section("evidence", _("What the evidence says"), (Block(items=items),)))
    cited = [s for r in result.recommendations for s in r.evidence.sources]
    cited += [s for e in result.evidence for s in e.sources]
    if citations and cited:
        items = tuple(Item(f"[{s}] {citations.get(s, s)}") for s in dict.fromkeys(cited))
        out.append(Section("sources", _("Sources"), (Block(items=items),)))
    if result.when_to_get_help:
        items = tuple(Item(x) for x in result.when_to_get_help)
        out.append(Section("when_to_get_help", _("When to get help"), (Block(items=items),)))
    return out


def sections(
    result: Result,
    *,
    citations: Mapping[str, str] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> list[Section]:
    """The result as ordered sections: safety first, then plan, self-care and evidence, the
    fixed words in ``language`` (the clinical texts are the result's own).

    ``citations`` maps source ids to full citations (``kb.sources``); with it, a Sources
    section lists every source the plan and evidence cite.
    """
    # English is the source text: no catalog (and no Babel import) for it.
    _: Gettext = str if language == DEFAULT_LANGUAGE else translator(language)
    out = [
        _triage(result, _),
        *_plan(result, _, language),
        *_targets(result, _),
        *_self_care(result, _),
    ]
    out += _evidence(result, citations, _)
    level = _(label("triage_level", result.triage.level))
    about = _(
        "Triage: %(level)s. Knowledge base version %(version)s. This is guidance, not a diagnosis."
    ) % {"level": level, "version": result.knowledge_version}
    paragraphs = [about]
    if language != DEFAULT_LANGUAGE:
        paragraphs.append(
            _(
                "The clinical texts were translated from English and have not yet been "
                "reviewed by a Korean clinician."
            )
        )
    out.append(Section("about", _("About this answer"), (Block(paragraphs=tuple(paragraphs)),)))
    return out


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (Hangul and other wide letters take two)."""
    if text.isascii():  # English: one column a letter, without asking about each
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _PlainWrapper(textwrap.TextWrapper):
    """textwrap for a printable text with no hyphen and no two spaces in a row, without its
    regular expressions: such a text has no tab or line break to turn into spaces, and its
    words are what splitting at single spaces gives (tests/unit/test_text_wrap.py compares)."""

    def _munge_whitespace(self, text: str) -> str:
        return text

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = []
        for word in text.split(" "):
            chunks += (word, " ")
        chunks.pop()
        return [chunk for chunk in chunks if chunk]


def wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` in lines of at most ``width`` columns, the first starting with ``first``."""
    if columns(text) == len(text):
        # What textwrap gives, for less: a text that fits on the first line, with no tab or line
        # break to turn into a space and no space at its end to drop, is that line; and without
        # a hyphen, splitting at hyphens splits nothing (textwrap's simpler split is the same).
        if len(first) + len(text) <= width and text.isprintable() and not text.endswith(" "):
            return [first + text]
        plain = "-" not in text and "  " not in text and text.isprintable()
        wrapper = (_PlainWrapper if plain else textwrap.TextWrapper)(
            width,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens="-" in text,
        )
        return wrapper.wrap(text) or [first]
    # Korean: break between words (as Korean is written), counting wide letters as two.
    lines: list[str] = []
    line, empty = first + text[: len(text) - len(text.lstrip())], True
    for word in text.split():
        candidate = line + ("" if empty else " ") + word
        if not empty and columns(candidate) > width:
            lines.append(line)
            line = rest + word
        else:
            line = candidate
        empty = False
    lines.append(line)
    return lines


def sections_to_text(parts: Iterable[Section], *, width: int = 78) -> str:
    """Plain text: loud sections framed in '!' so that they cannot be missed."""
    lines: list[str] = []
    for section in parts:
        if section.tone in ("emergency", "urgent"):
            bar = "!" * width
            lines += [bar, *wrap(section.title, width, "!! ", "!! "), bar]
        else:
            lines += [section.title, "-" * min(width, columns(section.title))]
        for n_block, block in enumerate(section.blocks):
            if n_block:
                lines.append("")
            if block.heading:
                lines.append(f"{block.heading}:")
            for paragraph in block.paragraphs:
                lines += wrap(paragraph, width, "", "")
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if block.ordered else "- "
                lines += wrap(item.text, width, "  " + mark, " " * (2 + len(mark)))
                for detail in item.details:
                    lines += wrap(detail, width, "      * ", "        ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def sections_to_markdown(parts: Iterable[Section]) -> str:
    """Markdown: loud sections as a quoted block under a heading marked with a warning sign."""
    out: list[str] = []
    for section in parts:
        loud = section.tone in ("emergency", "urgent")
        body: list[str] = []
        for block in section.blocks:
            if block.heading:
                body += [f"**{block.heading}**", ""]
            for paragraph in block.paragraphs:
                body += [paragraph, ""]
            for n, item in enumerate(block.items, start=1):
                body.append(f"{n}. {item.text}" if block.ordered else f"- {item.text}")
                indent = " " * (len(str(n)) + 2 if block.ordered else 2)
                body += [f"{indent}- {detail}" for detail in item.details]
            if block.items:
                body.append("")
        out += [f"## {'⚠ ' if loud else ''}{section.title}", ""]
        out += [f"> {line}".rstrip() for line in body] if loud else body
        if loud and out[-1] == ">":
            out[-1] = ""
    return "\n".join(out).rstrip() + "\n"


def to_text(
    result: Result,
    *,
    citations: Mapping[str, str] | None = None,
    width: int = 78,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The whole result as plain text, lines at most ``width`` long, safety message first."""
    return sections_to_text(sections(result, citations=citations, language=language), width=width)


def to_markdown(
    result: Result, *, citations: Mapping[str, str] | None = None, language: str = DEFAULT_LANGUAGE
) -> str:
    """The whole result as markdown, safety message first."""
    return sections_to_markdown(sections(result, citations=citations, language=language))
