"""What the result page shows first, and what it says once: a view over the ``Result``.

The result contract stays as the clinical core gives it; this module only arranges it for the
page: the "good fit" techniques for the first screen, three things to do today, precautions
that every technique shares (said once, not under each one) and the sources numbered in the
order the page cites them (one list at the end, linked by number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sciatica_care.domain.brief import MUSCLES
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.result import Recommendation, Result, SelfCareAdvice
from sciatica_care.domain.selfcare import as_sentences
from sciatica_care.domain.vocabulary import LABELS
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.pages.anonymous_result import KEPT_HOURS
from sciatica_care.web.templating import templates

#: Three things to do today: one way to keep moving, one stretch, one comfort measure (a
#: product rule, expert consensus: keeping active and exercise come before massage).
TODAY_KINDS: tuple[str, ...] = ("activity", "stretch", "heat")


@dataclass(frozen=True, slots=True)
class ResultView:
    """The parts of the result page that are arranged rather than read off the result."""

    best: list[Recommendation]
    today: list[SelfCareAdvice]
    shared_precautions: list[str]
    source_numbers: dict[str, int] = field(default_factory=dict)
    help_now: list[str] = field(default_factory=list)
    help_today: list[str] = field(default_factory=list)
    self_care_groups: list[tuple[str, list[SelfCareAdvice]]] = field(default_factory=list)

    def own_precautions(self, recommendation: Recommendation) -> list[str]:
        """The technique's precautions less those said once for every technique."""
        return [p for p in recommendation.precautions if p not in self.shared_precautions]

    def numbers(self, ids: list[str]) -> list[int]:
        """The numbers of these sources in the list at the end, in order, each once."""
        return sorted({self.source_numbers[i] for i in ids if i in self.source_numbers})


def things_to_do_today(plan: list[SelfCareAdvice], *, count: int = 3) -> list[SelfCareAdvice]:
    """Up to ``count`` items of the self-care plan: one of each of ``TODAY_KINDS`` first (in
    the plan's order), then the next activities or stretches the plan names."""
    chosen: list[SelfCareAdvice] = []
    for kind in TODAY_KINDS:
        first = next((item for item in plan if item.kind == kind), None)
        if first is not None:
            chosen.append(first)
    for item in plan:
        if len(chosen) >= count:
            break
        if item.kind in ("activity", "stretch") and item not in chosen:
            chosen.append(item)
    return chosen[:count]


def _cited(result: Result, today: list[SelfCareAdvice]) -> list[str]:
    """Every source id the page cites, in the order the page shows them."""
    ids: list[str] = []
    for r in result.recommendations:
        ids += r.evidence.sources
    for item in today:
        ids += item.sources
    for item in result.self_care_plan:
        ids += item.sources
    if result.session is not None:
        ids += result.session.sources
    for note in result.evidence:
        ids += note.sources
    return ids


def _groups(plan: list[SelfCareAdvice]) -> list[tuple[str, list[SelfCareAdvice]]]:
    """The self-care plan grouped by kind, in the order each kind first appears."""
    groups: dict[str, list[SelfCareAdvice]] = {}
    for item in plan:
        groups.setdefault(item.kind, []).append(item)
    return list(groups.items())


def result_view(result: Result, kb: KnowledgeBase) -> ResultView:
    """Arrange ``result`` for the page (with no "good fit", the two best-ranked are shown).

    The warning signs are said as two lists (go now / see a doctor today) rather than one
    sentence per sign that repeats the instruction; the result's ``when_to_get_help`` says
    the same in full sentences for the other faces."""
    best = [r for r in result.recommendations if r.fit == "good_fit"]
    if not best:
        best = result.recommendations[:2]
    today = things_to_do_today(result.self_care_plan)
    recs = result.recommendations
    shared = []
    if len(recs) > 1:
        shared = [p for p in recs[0].precautions if all(p in r.precautions for r in recs[1:])]
    numbers: dict[str, int] = {}
    for sid in _cited(result, today):
        numbers.setdefault(sid, len(numbers) + 1)
    flags = LABELS["red_flags"]
    asked = bool(result.when_to_get_help)
    return ResultView(
        best=best,
        today=today,
        shared_precautions=shared,
        source_numbers=numbers,
        help_now=[flags[f] for f in kb.when_to_get_help.emergency] if asked else [],
        help_today=[flags[f] for f in kb.when_to_get_help.urgent] if asked else [],
        self_care_groups=_groups(result.self_care_plan),
    )


#: The emergency number a page in each language shows (the Korean knowledge base names 119);
#: an English page shows the deployment's own (setting EMERGENCY_NUMBER).
EMERGENCY_NUMBERS: dict[str, str] = {"ko": "119"}

#: Words of a result that the clinical core writes rather than the knowledge base: marked here
#: so the catalog translates them wherever a result is shown (domain/recommendation.py
#: NEUTRAL_REASON; tests/web/test_result_language.py checks they are the same).
CORE_WORDS: tuple[str, ...] = (
    N_("A safe option for you: nothing in your answers argues for or against it."),
)

#: The muscles the knowledge base names where to focus (targets.yaml keeps them in English, as
#: anatomy names, outside its overlays): translated by the catalog for a page in another
#: language (tests/web/test_result_language.py checks every one is there). One list, the
#: brief's, which names the same muscles.
MUSCLE_WORDS: tuple[str, ...] = MUSCLES

#: The fields of a result that hold ids, codes or numbers, never words (left as they are).
_NOT_WORDS = frozenset(
    {
        "id",
        "technique",
        "level",
        "kind",
        "region",
        "side",
        "pressure",
        "fit",
        "grade",
        "sources",
        "rules_fired",
        "knowledge_version",
        "dermatome",
        "minutes",
        "session_minutes",
        # The self-care sentences are joined again from the translated plan (result_in).
        "self_care",
    }
)


def emergency_number_for(language: str, configured: str) -> str:
    """The emergency number a page in ``language`` shows: the one its knowledge base names
    (119 in Korean), else the deployment's ``configured`` number."""
    return EMERGENCY_NUMBERS.get(language, configured)


def _paired(english: Any, other: Any, words: dict[str, str]) -> None:
    """Pair each English text of the knowledge base with its translation, field by field (the
    two have the same shape: only the texts differ)."""
    if isinstance(english, dict):
        for key, value in english.items():
            _paired(value, other[key], words)
    elif isinstance(english, list):
        for value, translated in zip(english, other, strict=True):
            _paired(value, translated, words)
    elif isinstance(english, str) and english != other:
        words.setdefault(english, str(other))


@cache
def _words(language: str) -> dict[str, str]:
    """Every English text a result may carry, with its text in ``language``: the knowledge
    base's texts, the core's own words (the catalog) and the when-to-get-help lines."""
    _ = translator(language)
    words: dict[str, str] = {}
    english, translated = knowledge_base(), knowledge_base(language)
    _paired(english.model_dump(), translated.model_dump(), words)
    for text in (*CORE_WORDS, *MUSCLE_WORDS):
        words[text] = _(text)
    # The lines of ``plan._when_to_get_help``, as the result's other faces say them.
    flags = LABELS["red_flags"]
    number = emergency_number_for(language, "999")
    for flag in english.when_to_get_help.emergency:
        words[f"{flags[flag]}: call 999 or go to A&E now."] = _(
            "%(sign)s: call %(number)s or go to A&E now."
        ) % {"sign": _(flags[flag]), "number": number}
    for flag in english.when_to_get_help.urgent:
        words[f"{flags[flag]}: see a doctor within 24 hours."] = _(
            "%(sign)s: see a doctor within 24 hours."
        ) % {"sign": _(flags[flag])}
    return words


@cache
def _said_already(language: str) -> frozenset[str]:
    """The texts of ``_words(language)`` once translated (a result evaluated in that language
    already says them)."""
    return frozenset(_words(language).values())


def _said(text: str, words: dict[str, str], language: str) -> str:
    """``text`` in the language of ``words``: a knowledge-base text, a text the core joined
    from several (a triage's advice begins with its first actions), or a catalog word; as it
    is when none of these (what a person's own sessions showed is said in English)."""
    if text in words:
        return words[text]
    if text in _said_already(language):
        return text
    parts = text.split(" ")
    # joined[i]: the translations of the first i words, when they are whole texts.
    joined: list[list[str] | None] = [[]] + [None] * len(parts)
    for end in range(1, len(parts) + 1):
        for start in range(end):
            before = joined[start]
            if before is None:
                continue
            piece = " ".join(parts[start:end])
            if piece in words:
                joined[end] = [*before, words[piece]]
                break
    whole = joined[-1]
    if whole is not None and len(parts) > 1:
        return " ".join(whole)
    return translator(language)(text)


def _in_words(node: Any, words: dict[str, str], language: str) -> Any:
    if isinstance(node, dict):
        return {
            key: value if key in _NOT_WORDS else _in_words(value, words, language)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_in_words(value, words, language) for value in node]
    if isinstance(node, str) and node:
        return _said(node, words, language)
    return node


def result_in(result: Result, language: str) -> Result:
    """``result`` with its texts in ``language``: the same decisions (level, techniques, fit,
    order, self-care), said in that language's knowledge base. A stored result keeps what was
    decided when it was made; only its words change."""
    if language == DEFAULT_LANGUAGE:
        return result
    words = _words(language)
    said = Result.model_validate(_in_words(result.model_dump(mode="json"), words, language))
    # The self-care sentences are joined from the plan's parts: join the translated parts.
    return said.model_copy(update={"self_care": as_sentences(said.self_care_plan)})


def clinical_review(language: str) -> str:
    """Who checked the knowledge base in ``language`` ("" in English, the source): a page
    showing its clinical texts says they are not yet reviewed while this is set."""
    return knowledge_base(language).translation_review


templates.env.globals["clinical_review"] = clinical_review
#: How long an anonymous result is kept in the browser, for the sentence that says so.
templates.env.globals["kept_hours"] = KEPT_HOURS
