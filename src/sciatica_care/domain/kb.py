"""The knowledge base as typed, validated domain objects.

The YAML files in ``knowledge/data`` are validated into these models (unknown keys and ids are
errors). Conditions stay as written (``when``) for display, and are compiled once into
predicates held alongside, so that evaluation never re-reads the data.
"""

# No ``from __future__ import annotations`` here: with it every field's annotation is a string
# that pydantic evaluates again when it makes each model class, which costs the command line's
# start-up more than writing the few forward references in quotes.

from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from sciatica_care.domain.rule_code import Deriver, Matcher, deriver, matcher
from sciatica_care.domain.rules import Facts, Predicate
from sciatica_care.domain.vocabulary import Pressure, Region, TechniqueId, TriageLevel

T = TypeVar("T")
R = TypeVar("R", bound="_Rule")


class _Data(BaseModel):
    # Validators are built on first use: a start that takes the validated copy kept on disk
    # (knowledge/cache.py) never validates, so never pays for building them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Rule(_Data):
    """A data entry with a condition; ``matches`` runs its compiled predicate."""

    when: Any = None
    _predicate: Predicate | None = PrivateAttr(default=None)

    def matches(self, facts: Facts) -> bool:
        """True when the entry's condition holds (an entry with no condition always holds)."""
        # Read the private slot directly: pydantic's attribute hook costs ~1 µs per call here.
        predicate = self.__pydantic_private__["_predicate"]  # type: ignore[index]
        return predicate is None or bool(predicate(facts))


class Source(_Data):
    id: str
    kind: Literal["consensus", "guideline", "review", "rct", "trial", "consumer"]
    citation: str
    year: int | None = None


class Definition(_Rule):
    id: str
    meaning: str
    sources: list[str]


class LevelAdvice(_Data):
    headline: str
    #: The level's generic first instruction (what to do now); a rule's own replaces it.
    first_action: str = ""
    #: What follows the first instruction(s).
    advice: str
    then: list[str]
    hold_reason: str
    hold_headline: str = ""
    hold_advice: str = ""


class FirstAction(_Data):
    """A rule's own first instruction (ambulance, surgical team, cancer team). ``order`` says
    which leads when several rules fire: lower first, so the ambulance comes first."""

    text: str
    order: int


class TriageRule(_Rule):
    id: str
    level: TriageLevel
    hold: bool
    reason: str
    tell_doctor: str
    hold_reason: str = ""
    #: The id of this rule's own first instruction in ``first_actions``, replacing the
    #: level's generic one (emergency and urgent rules only).
    first_action: str | None = None
    #: Lines that replace the level's ``then`` when this rule's instruction leads.
    then: list[str] | None = None
    sources: list[str] = Field(min_length=1)


class Evidence(_Data):
    grade: Literal["moderate", "low", "very_low", "none", "consensus"]
    summary: str
    sources: list[str] = Field(min_length=1)


class PressureRange(_Data):
    min: Pressure
    max: Pressure


class Technique(_Data):
    id: TechniqueId
    name: str
    description: str
    how: str
    pressure: PressureRange
    session_minutes: int
    fits: list[str]
    evidence: Evidence


class EvidenceStatement(_Rule):
    id: str
    text: str
    sources: list[str] = Field(min_length=1)


class MatrixCell(_Data):
    action: Literal["exclude", "precaution"]
    text: str
    max_pressure: Pressure | None = None


class MatrixRow(_Rule):
    id: str
    label: str
    cells: dict[TechniqueId, MatrixCell]
    sources: list[str] = Field(min_length=1)


class Adjustment(_Rule):
    id: str
    effects: dict[TechniqueId, int]
    favour: str
    disfavour: str
    sources: list[str] = Field(min_length=1)


class RegionTarget(_Data):
    muscles: list[str]
    dermatome: str | None = None
    caution: str | None = None
    sources: list[str] = Field(min_length=1)


class Avoid(_Rule):
    reason: str
    sources: list[str] = Field(min_length=1)


class Modify(_Rule):
    text: str
    sources: list[str] = Field(min_length=1)


class SelfCareItem(_Rule):
    id: str
    kind: Literal["activity", "general", "stretch", "heat", "medicine", "holding"]
    title: str
    text: str
    dose: str
    stop_if: str
    suits: Any = None
    default: bool = False
    holding: bool = False
    only_when_held: bool = False
    about_massage: bool = False
    avoid: list[Avoid] = Field(default_factory=list)
    modify: list[Modify] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    _suits: Predicate | None = PrivateAttr(default=None)

    def suited(self, facts: Facts) -> bool:
        """True when the item's ``suits`` condition holds (no condition: suits everyone)."""
        suits = self.__pydantic_private__["_suits"]  # type: ignore[index]
        return suits is None or bool(suits(facts))


class SeriesPlan(_Data):
    """A recurring booking as the plan suggests it, and the most a person may ask for."""

    sessions: int = Field(ge=1)
    every_weeks: int = Field(ge=1)
    most_sessions: int = Field(ge=1)
    most_every_weeks: int = Field(ge=1)


class SessionPlan(_Data):
    minutes_high_irritability: str
    minutes_default: str
    frequency: str
    review: str
    soreness: str
    sources: list[str]
    series: SeriesPlan


class WhenToGetHelp(_Data):
    emergency: list[str]
    urgent: list[str]


class KnowledgeBase(_Data):
    """Everything the clinical core knows, validated; ``version`` is the content hash."""

    version: str
    sources: dict[str, Source]
    definitions: list[Definition]
    levels: dict[TriageLevel, LevelAdvice]
    first_actions: dict[str, FirstAction]
    triage_rules: list[TriageRule]
    techniques: dict[TechniqueId, Technique]
    evidence_context: list[EvidenceStatement]
    matrix: list[MatrixRow]
    tie_break: list[TechniqueId]
    adjustments: list[Adjustment]
    outcome_weight: dict[Literal["helped", "no_change", "worse"], int]
    targets: dict[Region, RegionTarget]
    self_care: list[SelfCareItem]
    session: SessionPlan
    when_to_get_help: WhenToGetHelp
    #: The language of the texts ("en", "ko"); ids, rules and sources are the same in each.
    language: str = "en"
    #: Who checked a translation (e.g. "not yet reviewed by a Korean clinician"); "" in English.
    translation_review: str = ""

    _memo: dict[Any, Any] = PrivateAttr(default_factory=dict)

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """Return the value cached under ``key``, building it once.

        Parts of a result that depend only on the knowledge base (a triage finding, a
        self-care item without notes, a technique's evidence) are built once per process.
        """
        cache = self.__pydantic_private__["_memo"]  # type: ignore[index]
        try:
            value: T = cache[key]
        except KeyError:
            value = cache[key] = build()
        return value

    def stretch_ids(self) -> frozenset[str]:
        """The ids of the stretches and exercises (self-care items of kind "stretch"): what a
        check-in or a session note may name."""
        return self.memo(
            "stretch_ids",
            lambda: frozenset(item.id for item in self.self_care if item.kind == "stretch"),
        )

    def prepared(self, build: "Callable[[KnowledgeBase], T]") -> T:
        """What ``build`` derives from this knowledge base alone (an index, a table of parts
        of results), built once and kept under ``build`` itself."""
        cache = self.__pydantic_private__["_memo"]  # type: ignore[index]
        try:
            value: T = cache[build]
        except KeyError:
            value = cache[build] = build(self)
        return value

    def matching(self, entries: Sequence[R], facts: Facts) -> list[R]:
        """The entries of one knowledge-base list whose conditions hold for ``facts``, in order.

        The hot loop of every evaluation: the list's conditions are written, once, into one
        generated function (``rule_code.matcher``) that tests them all in a row.
        """
        cache = self.__pydantic_private__["_memo"]  # type: ignore[index]
        key = ("matcher", id(entries))
        kept: tuple[Sequence[R], Matcher[R]] | None = cache.get(key)
        if kept is None or kept[0] is not entries:  # not another list that had its id
            kept = cache[key] = (entries, matcher([e.when for e in entries], entries))
        return kept[1](facts.tokens, facts.numbers)

    def derive(self, facts: Facts) -> Facts:
        """Add the derived ``is:NAME`` facts, in definition order (each definition sees the
        facts derived before it)."""
        tokens = set(facts.tokens)
        self.prepared(deriving)(tokens, facts.numbers)
        return Facts(frozenset(tokens), facts.numbers)

    def derived(self, tokens: set[str], numbers: dict[str, float]) -> Facts:
        """:meth:`derive` for tokens the caller made and gives up (``rules.fact_parts``): the
        derived facts are added to that very set, which the facts then hold."""
        self.prepared(deriving)(tokens, numbers)
        return Facts(tokens, numbers)


def deriving(kb: KnowledgeBase) -> Deriver:
    """The definitions as one generated function (``rule_code.deriver``): used through
    ``kb.prepared(deriving)``, built once per knowledge base."""
    return deriver([d.when for d in kb.definitions], [f"is:{d.id}" for d in kb.definitions])
