"""A result in words: ordered sections, rendered as plain text or markdown.

:func:`sections` decides what is said and in which order (the safety message always first;
at a massage hold no technique is offered; at ``see_clinician`` the plan is marked provisional).
The renderers only lay the sections out, so the terminal, the web page and the PDF say the
same thing in the same order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from sciatica_care.domain.result import FIT_WORDS, Result
from sciatica_care.domain.vocabulary import label

Tone = Literal["emergency", "urgent", "caution", "calm", "plain"]

PROVISIONAL = "This plan is provisional: check with your clinician first, before any massage."
_TONE_OF_LEVEL: dict[str, Tone] = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_clinician": "caution",
    "self_care": "calm",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One point, with optional detail lines under it."""

    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A run of paragraphs and/or a list, with an optional heading."""

    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the answer; ``tone`` tells a renderer how loudly to show it."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    tone: Tone = "plain"


def _cite(ids: Iterable[str]) -> str:
    ids = list(ids)
    return f" [{', '.join(ids)}]" if ids else ""


def _side(side: str) -> str:
    return "both sides" if side == "both" else f"{side} side"


def _triage(result: Result) -> Section:
    t = result.triage
    tone = _TONE_OF_LEVEL[t.level]
    title = t.headline
    advice = t.advice
    if t.level in ("emergency", "urgent"):
        # What to do now is the first thing said: the rule's own instruction (ambulance,
        # surgical team, cancer team) or the level's, as the title; the rest follows.
        title = f"{t.level.upper()}: {t.first_action}"
        advice = t.advice.removeprefix(t.first_action).strip()
    blocks = [Block(paragraphs=(advice,))] if advice else []
    # triage.md: what to do now, then the reasons, then "Do not drive…", then what to say.
    if t.reasons:
        blocks.append(Block(heading="Why", items=tuple(Item(r) for r in t.reasons)))
    if t.then:
        blocks.append(Block(items=tuple(Item(x) for x in t.then), ordered=True))
    if t.tell_doctor and t.level != "self_care":
        blocks.append(Block(heading="What to say", items=tuple(Item(x) for x in t.tell_doctor)))
    return Section("triage", title, tuple(blocks), tone)


def _plan(result: Result) -> list[Section]:
    if result.triage.massage_hold:
        if result.triage.level == "emergency":
            return []
        reasons = tuple(dict.fromkeys(r for e in result.excluded for r in e.reasons))
        return [Section("hold", "No massage for now", (Block(paragraphs=reasons),), "caution")]
    out = []
    if result.recommendations:
        items = []
        for r in result.recommendations:
            details = [f"Why: {x}" for x in r.reasons if x not in r.against]
            details += [f"Against it: {x}" for x in r.against]
            details += [f"Take care: {x}" for x in r.precautions]
            details.append(f"How it is done: {r.how}")
            grade = r.evidence.grade.replace("_", " ")
            details.append(f"Evidence ({grade}): {r.evidence.summary}{_cite(r.evidence.sources)}")
            fit = FIT_WORDS.get(r.fit, "")
            text = f"{r.name} ({fit}): {r.pressure} pressure, {r.session_minutes} minutes"
            items.append(Item(text, tuple(details)))
        blocks = [Block(paragraphs=(PROVISIONAL,))] if result.provisional else []
        blocks.append(Block(items=tuple(items), ordered=True))
        if result.session is not None:
            s = result.session
            blocks.append(
                Block(heading="How often", paragraphs=(s.frequency, s.review, s.soreness))
            )
        title = "Your massage plan (provisional)" if result.provisional else "Your massage plan"
        out.append(
            Section("plan", title, tuple(blocks), "caution" if result.provisional else "plain")
        )
    if result.excluded:
        items = [Item(e.name, tuple(e.reasons)) for e in result.excluded]
        out.append(Section("avoid", "Techniques to avoid", (Block(items=tuple(items)),)))
    return out


def _targets(result: Result) -> list[Section]:
    if not result.targets or result.triage.massage_hold:
        return []
    items = []
    for t in result.targets:
        details = [f"Muscles: {', '.join(t.muscles)}"] if t.muscles else []
        if t.dermatome:
            details.append(f"Nerve root area: {t.dermatome}")
        if t.caution:
            details.append(f"Caution: {t.caution}")
        items.append(Item(f"{t.label}, {_side(t.side)}", tuple(details)))
    return [Section("targets", "What to target", (Block(items=tuple(items)),))]


def _self_care(result: Result) -> list[Section]:
    out = []
    if result.self_care_plan:
        items = []
        for a in result.self_care_plan:
            details = [a.dose] if a.dose else []
            details += a.notes
            if a.stop_if:
                details.append(a.stop_if)
            items.append(Item(f"{a.title}: {a.text}", tuple(details)))
        title = "Meanwhile" if result.triage.massage_hold else "Self-care between sessions"
        out.append(Section("self_care", title, (Block(items=tuple(items)),)))
    if result.exercises_to_avoid:
        items = [Item(x.title, tuple(x.reasons)) for x in result.exercises_to_avoid]
        out.append(
            Section("exercises_to_avoid", "Exercises to avoid", (Block(items=tuple(items)),))
        )
    return out


def _evidence(result: Result, citations: Mapping[str, str] | None) -> list[Section]:
    out = []
    if result.evidence:
        items = tuple(Item(f"{e.text}{_cite(e.sources)}") for e in result.evidence)
        out.append(Section("evidence", "What the evidence says", (Block(items=items),)))
    cited = [s for r in result.recommendations for s in r.evidence.sources]
    cited += [s for e in result.evidence for s in e.sources]
    if citations and cited:
        items = tuple(Item(f"[{s}] {citations.get(s, s)}") for s in dict.fromkeys(cited))
        out.append(Section("sources", "Sources", (Block(items=items),)))
    if result.when_to_get_help:
        items = tuple(Item(x) for x in result.when_to_get_help)
        out.append(Section("when_to_get_help", "When to get help", (Block(items=items),)))
    return out


def sections(result: Result, *, citations: Mapping[str, str] | None = None) -> list[Section]:
    """The result as ordered sections: safety first, then plan, self-care and evidence.

    ``citations`` maps source ids to full citations (``kb.sources``); with it, a Sources
    section lists every source the plan and evidence cite.
    """
    out = [_triage(result), *_plan(result), *_targets(result), *_self_care(result)]
    out += _evidence(result, citations)
    level = label("triage_level", result.triage.level)
    about = (
        f"Triage: {level}. Knowledge base version {result.knowledge_version}. "
        "This is guidance, not a diagnosis."
    )
    out.append(Section("about", "About this answer", (Block(paragraphs=(about,)),)))
    return out


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest) or [first]


def sections_to_text(parts: Iterable[Section], *, width: int = 78) -> str:
    """Plain text: loud sections framed in '!' so that they cannot be missed."""
    lines: list[str] = []
    for section in parts:
        if section.tone in ("emergency", "urgent"):
            bar = "!" * width
            lines += [bar, *_wrap(section.title, width, "!! ", "!! "), bar]
        else:
            lines += [section.title, "-" * min(width, len(section.title))]
        for n_block, block in enumerate(section.blocks):
            if n_block:
                lines.append("")
            if block.heading:
                lines.append(f"{block.heading}:")
            for paragraph in block.paragraphs:
                lines += _wrap(paragraph, width, "", "")
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if block.ordered else "- "
                lines += _wrap(item.text, width, "  " + mark, " " * (2 + len(mark)))
                for detail in item.details:
                    lines += _wrap(detail, width, "      * ", "        ")
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


def to_text(result: Result, *, citations: Mapping[str, str] | None = None, width: int = 78) -> str:
    """The whole result as plain text, lines at most ``width`` long, safety message first."""
    return sections_to_text(sections(result, citations=citations), width=width)


def to_markdown(result: Result, *, citations: Mapping[str, str] | None = None) -> str:
    """The whole result as markdown, safety message first."""
    return sections_to_markdown(sections(result, citations=citations))
