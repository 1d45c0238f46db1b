"""A list of knowledge-base conditions turned into one Python function, when it is first used.

The conditions stay data (``when`` in the YAML files, checked by :func:`rules.compile_condition`
at load). From that data this module writes the source of one function per list — one ``if``
per entry, the condition as a plain expression over the fact tokens ``t`` and the numbers
``n`` — and compiles it. Running one function instead of a predicate closure per entry and per
part of a condition makes matching a list several times cheaper; it answers exactly as the
closures do (tests/unit/test_rule_code.py checks every list of both knowledge bases).

The source holds no text of the knowledge base: every fact, number and entry is passed in by
name (``k0``, ``k1``, ...), so nothing in the data can become code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from types import CodeType
from typing import Any, TypeVar

E = TypeVar("E")

#: Matches the entries of one list: (fact tokens, numbers) -> the entries that hold, in order.
Matcher = Callable[[AbstractSet[str], Mapping[str, float]], list[E]]
#: :data:`Matcher` that also hands the id of each entry that holds to a function, in order.
NotingMatcher = Callable[[AbstractSet[str], Mapping[str, float], Callable[[str], object]], list[E]]
#: Adds derived facts to a working set of tokens, each definition seeing the ones before it.
Deriver = Callable[[set[str], Mapping[str, float]], None]

_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "=="}
#: From this many plain facts, "any of" is one set operation instead of a chain of tests.
_SET_TEST_FROM = 4

#: Compiled sources, by file name and source text: those kept from an earlier run
#: (:func:`keep_compiled`) and those compiled in this one (:func:`newly_compiled`).
_KEPT: dict[str, CodeType] = {}
#: How many compiled sources are kept at most (a knowledge base has about a dozen lists).
KEEP_AT_MOST = 100
_NEW: dict[str, CodeType] = {}


def keep_compiled(kept: Mapping[str, CodeType]) -> None:
    """Use ``kept`` (by :func:`newly_compiled` of an earlier run, from a private copy) instead
    of compiling the same source again. A code is taken only for the very source text (and
    file name) it was compiled from, so a changed list or changed code is compiled anew."""
    _KEPT.update(kept)


def newly_compiled() -> dict[str, CodeType]:
    """Every compiled source this process holds (key: file name, NUL, source text) when it
    compiled some itself (nothing when all were kept from an earlier run). When there are
    more than :data:`KEEP_AT_MOST` (sources of earlier knowledge bases pile up), only those
    compiled by this process."""
    if not _NEW:
        return {}
    return dict(_KEPT) if len(_KEPT) <= KEEP_AT_MOST else dict(_NEW)


def _compiled(source: str, filename: str) -> CodeType:
    key = f"{filename}\0{source}"
    code = _KEPT.get(key)
    if code is None:
        code = _NEW[key] = _KEPT[key] = compile(source, filename, "exec")
    return code


class Source:
    """The lines of a generated function and the values its names stand for."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._names: dict[tuple[type, Any], str] = {}

    def name(self, value: Any) -> str:
        """The name ``kN`` that stands for ``value`` in the source (one per distinct value)."""
        key = (type(value), value)
        if key not in self._names:
            self._names[key] = f"k{len(self.values)}"
            self.values.append(value)
        return self._names[key]

    def entry(self, value: Any) -> str:
        """A name for an entry of the list (entries are told apart by identity)."""
        self.values.append(value)
        return f"k{len(self.values) - 1}"

    def expression(self, spec: Any) -> str:
        """``spec`` (a condition :func:`rules.compile_condition` accepted) as an expression."""
        if isinstance(spec, str):
            return f"{self.name(spec)} in t"
        if "field" in spec:
            ((op, value),) = ((k, v) for k, v in spec.items() if k != "field")
            return f"n[{self.name(spec['field'])}] {_OPS[op]} {self.name(float(value))}"
        if "at_least" in spec:  # each part is a bool: their sum counts those that hold
            parts = " + ".join(f"({self.expression(p)})" for p in spec["of"])
            return f"({parts}) >= {self.name(spec['at_least'])}"
        ((key, body),) = spec.items()
        if key == "not":
            return f"not ({self.expression(body)})"
        facts = [p for p in body if isinstance(p, str)]
        rest = [p for p in body if not isinstance(p, str)]
        if key == "any" and len(facts) >= _SET_TEST_FROM:
            tests = [f"not {self.name(frozenset(facts))}.isdisjoint(t)"]
        else:
            tests = [self.expression(p) for p in facts]
        # Plain facts first: they are the cheapest tests and the ones most often missing.
        tests += [f"({self.expression(p)})" for p in rest]
        return f" {'and' if key == 'all' else 'or'} ".join(tests)

    def function(self, name: str, args: str, body: list[str]) -> Callable[..., Any]:
        """Compile ``body`` as ``def name(args)`` with the values bound to their names."""
        names = ", ".join(f"k{n}" for n in range(len(self.values)))
        source = "\n".join(
            [f"def _make({names}):", f"    def {name}({args}):"]
            + [f"        {line}" for line in body]
            + [f"    return {name}"]
        )
        namespace: dict[str, Any] = {}
        exec(_compiled(source, f"<rule_code {name}>"), namespace)
        made: Callable[..., Any] = namespace["_make"](*self.values)
        return made


def needs_one_of(spec: Any, facts: AbstractSet[str]) -> bool:
    """Whether ``spec`` can hold only when one of ``facts`` is among the tokens (False when
    that is not certain: a "not", a number test, a derived fact)."""
    if spec is None:
        return False
    if isinstance(spec, str):
        return spec in facts
    if "field" in spec:
        return False
    if "at_least" in spec:  # too few parts can hold without one of the facts to reach the count
        free = sum(1 for p in spec["of"] if not needs_one_of(p, facts))
        return bool(free < spec["at_least"])
    ((key, body),) = spec.items()
    if key == "all":
        return any(needs_one_of(p, facts) for p in body)
    if key == "any":
        return all(needs_one_of(p, facts) for p in body)
    return False


def guarded_runs(conditions: Sequence[Any], needing: frozenset[str]) -> list[bool]:
    """Whether each condition is in a run of two or more in a row that can hold only when one
    of ``needing`` is given (:func:`needs_one_of`): those are tested under one test of that."""
    guarded = [bool(needing) and needs_one_of(spec, needing) for spec in conditions]
    runs = [False] * len(guarded)
    for n in range(len(guarded)):
        if guarded[n] and ((n > 0 and guarded[n - 1]) or (n + 1 < len(guarded) and guarded[n + 1])):
            runs[n] = True
    return runs


def matcher(
    conditions: Sequence[Any], entries: Sequence[E], *, needing: frozenset[str] = frozenset()
) -> Matcher[E]:
    """One function returning the ``entries`` whose conditions hold, in order (an entry whose
    condition is None always holds).

    With ``needing`` (e.g. every red-flag fact), the entries whose conditions can hold only
    when one of those facts is given (:func:`needs_one_of`) are not tested at all when none is:
    two or more such entries in a row are tested under one test of whether any is given. They
    could not hold anyway, so the answer is the same; only the work is less.
    """
    src = Source()
    # (``out.append(...)`` each time: a list's own append, called so, costs less than a bound
    # method kept in a variable.)
    body = ["out = []"]
    runs = guarded_runs(conditions, needing)
    if any(runs):
        body.append(f"given = not {src.name(needing)}.isdisjoint(t)")
    for n, (spec, entry) in enumerate(zip(conditions, entries, strict=True)):
        name = src.entry(entry)
        add = f"out.append({name})"
        line = add if spec is None else f"if {src.expression(spec)}: {add}"
        if runs[n]:
            if n == 0 or not runs[n - 1]:
                body.append("if given:")
            line = f"    {line}"
        body.append(line)
    body.append("return out")
    made: Matcher[E] = src.function("matching", "t, n", body)
    return made


def noting_matcher(
    conditions: Sequence[Any], entries: Sequence[E], ids: Sequence[str]
) -> NotingMatcher[E]:
    """:func:`matcher` that also hands each holding entry's id to ``note`` (the third
    argument, e.g. the ``append`` of a list of rules fired), in the same order."""
    src = Source()
    body = ["out = []"]
    for spec, entry, rule_id in zip(conditions, entries, ids, strict=True):
        both = f"out.append({src.entry(entry)}); note({src.name(rule_id)})"
        body.append(both if spec is None else f"if {src.expression(spec)}: {both}")
    body.append("return out")
    made: NotingMatcher[E] = src.function("matching", "t, n, note", body)
    return made


def deriver(conditions: Sequence[Any], facts: Sequence[str]) -> Deriver:
    """One function adding ``facts[i]`` to the tokens when ``conditions[i]`` holds, in order,
    so that each condition sees the facts derived before it."""
    src = Source()
    body = []
    for spec, fact in zip(conditions, facts, strict=True):
        add = f"t.add({src.name(fact)})"
        body.append(add if spec is None else f"if {src.expression(spec)}: {add}")
    body.append("return None")
    made: Deriver = src.function("derive", "t, n", body)
    return made
