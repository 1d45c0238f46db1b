"""Conditions as data, and the small evaluator that runs them.

A condition, as written in the knowledge base, is one of:

- a fact, as a string: ``"red_flag:fever"``, ``"condition:osteoporosis"``, ``"area:calf_back"``,
  ``"pregnant"``, ``"prior:swedish:worse"``, or a derived fact ``"is:high_irritability"``;
- ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``;
- a number test on a field: ``{field: age, gte: 50}`` (ops ``lt lte gt gte eq``);
- a count: ``{at_least: 2, of: [...]}`` holds when at least that many of the listed conditions
  hold (combinations of weaker flags; the same technique made worse several times).

Conditions are compiled once, when the knowledge base loads, into plain closures over a
:class:`Facts` value, so evaluating hundreds of rules costs microseconds. Every fact a condition
names is checked against the vocabulary at compile time: a typo fails loudly at start-up.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from sciatica_care.domain.assessment import Assessment, both_legs
from sciatica_care.domain.vocabulary import (
    AGGRAVATORS,
    CONDITIONS,
    DIAGNOSES,
    GOALS,
    PRESSURES,
    RED_FLAGS,
    REGIONS,
    RESPONSES,
    SEXES,
    SIDES,
    SYMPTOMS,
    TECHNIQUES,
    TRENDS,
)

NUMBER_FIELDS = ("age", "back_pain", "leg_pain", "duration_weeks")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "eq": operator.eq,
}
_BOOLEAN_FACTS = (
    "pregnant",
    "first_episode",
    "seen_clinician",
    # Derived from side, area_sides and the regions in one place (assessment.both_legs).
    "both_legs",
    # The person answered first_episode (rather than leaving it to its default); the
    # weaker-flag count of triage.md v2 counts only an answered first episode.
    "answered:first_episode",
)


_KINDS: dict[str, tuple[str, ...]] = {
    "red_flag": RED_FLAGS,
    "condition": CONDITIONS,
    "symptom": SYMPTOMS,
    "area": REGIONS,
    "aggravated_by": AGGRAVATORS,
    "goal": GOALS,
    "diagnosis": DIAGNOSES,
    "side": SIDES,
    "trend": TRENDS,
    "pressure": PRESSURES,
    "sex": SEXES,
}
#: The token of each answer, by kind: "red_flag" -> {"fever": "red_flag:fever", ...}.
_TOKENS = {kind: {v: f"{kind}:{v}" for v in values} for kind, values in _KINDS.items()}
_PRIORS = {t: {r: f"prior:{t}:{r}" for r in RESPONSES} for t in TECHNIQUES}
#: The list answers and the kind of token each gives.
_LIST_FIELDS = (
    ("red_flag", "red_flags"),
    ("condition", "conditions"),
    ("symptom", "symptoms"),
    ("area", "areas"),
    ("aggravated_by", "aggravated_by"),
    ("goal", "goals"),
)


#: Every red-flag fact: the only facts a red-flag answer gives (derived facts are ``is:``).
RED_FLAG_FACTS = frozenset(_TOKENS["red_flag"].values())


def _known_facts() -> frozenset[str]:
    facts = {token for tokens in _TOKENS.values() for token in tokens.values()}
    facts.update(_BOOLEAN_FACTS)
    facts.update(token for tokens in _PRIORS.values() for token in tokens.values())
    return frozenset(facts)


KNOWN_FACTS = _known_facts()


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules can see of an assessment: a set of fact tokens and the numbers."""

    tokens: AbstractSet[str]
    numbers: Mapping[str, float]

    def with_derived(self, names: Iterable[str]) -> Facts:
        """Return these facts plus the derived ``is:NAME`` facts."""
        return Facts(frozenset(self.tokens) | {f"is:{n}" for n in names}, self.numbers)


def facts_of(a: Assessment) -> Facts:
    """Flatten an assessment into the facts the rules are written against."""
    return Facts(*fact_parts(a))


#: Per list answer, the lookup of each answer's token (``_TOKENS``, ``_LIST_FIELDS``), bound
#: once (``map(tokens.__getitem__, ...)`` would make a new bound method on every evaluation).
_RED_FLAG_OF, _CONDITION_OF, _SYMPTOM_OF, _AREA_OF, _AGGRAVATED_BY_OF, _GOAL_OF = (
    _TOKENS[kind].__getitem__ for kind, _ in _LIST_FIELDS
)
_SIDE, _TREND, _DIAGNOSIS, _PRESSURE, _SEX = (
    _TOKENS[kind] for kind in ("side", "trend", "diagnosis", "pressure", "sex")
)


def fact_parts(a: Assessment) -> tuple[set[str], dict[str, float]]:
    """The fact tokens (a new set, the caller's own) and the numbers of an assessment."""
    # The tokens are made once (above, from the vocabulary): a new string would be made and
    # hashed for every answer. The answers are read from the model's own dict (an attribute of
    # a pydantic model costs more); each list answer's tokens are looked up and added by one
    # call, without a step of Python per answer. This runs once per evaluation.
    d = a.__dict__
    tokens: set[str] = {
        _SIDE[d["side"]],
        _TREND[d["trend"]],
        _DIAGNOSIS[d["diagnosis"]],
        _PRESSURE[d["pressure_preference"]],
    }
    add, update = tokens.add, tokens.update
    if d["sex"] is not None:
        add(_SEX[d["sex"]])
    if d["pregnant"]:
        add("pregnant")
    if d["first_episode"]:
        add("first_episode")
    if d["seen_clinician"]:
        add("seen_clinician")
    if "first_episode" in a.__pydantic_fields_set__:
        add("answered:first_episode")
    if d["side"] == "both" or (d["area_sides"] and both_legs(a)):  # (both_legs' first tests)
        add("both_legs")
    if d["red_flags"]:
        update(map(_RED_FLAG_OF, d["red_flags"]))
    if d["conditions"]:
        update(map(_CONDITION_OF, d["conditions"]))
    if d["symptoms"]:
        update(map(_SYMPTOM_OF, d["symptoms"]))
    if d["areas"]:
        update(map(_AREA_OF, d["areas"]))
    if d["aggravated_by"]:
        update(map(_AGGRAVATED_BY_OF, d["aggravated_by"]))
    if d["goals"]:
        update(map(_GOAL_OF, d["goals"]))
    for technique, response in d["prior_response"].items():
        add(_PRIORS[technique][response])
    numbers = {
        "age": float(d["age"]),
        "back_pain": float(d["back_pain"]),
        "leg_pain": float(d["leg_pain"]),
        "duration_weeks": d["duration_weeks"],
    }
    return tokens, numbers


Predicate = Callable[[Facts], bool]


class RuleError(ValueError):
    """A condition in the knowledge base is malformed or names an unknown fact."""


def compile_condition(spec: Any, *, derived: frozenset[str] = frozenset(), where: str) -> Predicate:
    """Compile a condition written as data into a predicate over :class:`Facts`.

    ``derived`` lists the ``is:NAME`` facts that may be referenced; ``where`` names the file
    and entry for error messages.
    """
    if isinstance(spec, str):
        if spec.startswith("is:"):
            if spec[3:] not in derived:
                raise RuleError(f"{where}: unknown derived fact {spec!r}")
        elif spec not in KNOWN_FACTS:
            raise RuleError(f"{where}: unknown fact {spec!r}")
        return lambda f: spec in f.tokens
    if not isinstance(spec, dict) or not spec:
        raise RuleError(f"{where}: a condition must be a fact string or a mapping, got {spec!r}")
    if "field" in spec:
        field = spec["field"]
        ops = {k: v for k, v in spec.items() if k != "field"}
        if field not in NUMBER_FIELDS:
            raise RuleError(f"{where}: unknown number field {field!r}")
        if len(ops) != 1 or next(iter(ops)) not in _OPS:
            raise RuleError(f"{where}: a number test needs exactly one of {sorted(_OPS)}")
        ((op_name, value),) = ops.items()
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise RuleError(f"{where}: {field} {op_name} needs a number, got {value!r}")
        op, threshold = _OPS[op_name], float(value)
        return lambda f: op(f.numbers[field], threshold)
    if "at_least" in spec:
        return _compile_count(spec, derived=derived, where=where)
    if len(spec) != 1:
        raise RuleError(f"{where}: use one of all/any/not per mapping, got {sorted(spec)}")
    ((key, body),) = spec.items()
    if key == "not":
        inner = compile_condition(body, derived=derived, where=where)
        return lambda f: not inner(f)
    if key in {"all", "any"}:
        if not isinstance(body, list) or not body:
            raise RuleError(f"{where}: {key} needs a non-empty list")
        parts = [compile_condition(p, derived=derived, where=where) for p in body]
        # Plain facts (derived ones too: they are tokens) are tested as one set operation;
        # the other parts are chained directly, without a generator per call.
        wanted = frozenset(p for p in body if isinstance(p, str))
        rest = [part for p, part in zip(body, parts, strict=True) if not isinstance(p, str)]
        return _any(wanted, rest) if key == "any" else _all(wanted, rest)
    raise RuleError(f"{where}: unknown condition key {key!r}")


def _compile_count(spec: dict[str, Any], *, derived: frozenset[str], where: str) -> Predicate:
    if set(spec) != {"at_least", "of"}:
        raise RuleError(
            f"{where}: a count is written {{at_least: N, of: [...]}}, got {sorted(spec)}"
        )
    n, body = spec["at_least"], spec["of"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise RuleError(f"{where}: at_least needs a whole number of 1 or more, got {n!r}")
    if not isinstance(body, list) or len(body) < n:
        raise RuleError(f"{where}: at_least {n} needs a list of at least {n} conditions")
    parts = [compile_condition(p, derived=derived, where=where) for p in body]
    return lambda f: sum(1 for part in parts if part(f)) >= n


def _chain(parts: list[Predicate], *, every: bool) -> Predicate | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return (lambda f: a(f) and b(f)) if every else (lambda f: a(f) or b(f))
    if every:
        return lambda f: all(p(f) for p in parts)
    return lambda f: any(p(f) for p in parts)


def _any(wanted: frozenset[str], rest: list[Predicate]) -> Predicate:
    tail = _chain(rest, every=False)
    if tail is None:
        return lambda f: not wanted.isdisjoint(f.tokens)
    if not wanted:
        return tail
    return lambda f: not wanted.isdisjoint(f.tokens) or tail(f)


def _all(wanted: frozenset[str], rest: list[Predicate]) -> Predicate:
    tail = _chain(rest, every=True)
    if tail is None:
        return lambda f: wanted <= f.tokens
    if not wanted:
        return tail
    return lambda f: wanted <= f.tokens and tail(f)
