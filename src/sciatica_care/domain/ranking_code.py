"""The contraindication matrix and the ranking adjustments, written as one Python function.

What a matching matrix row or adjustment does to each technique is data (``contraindications
.yaml``, ``ranking.yaml``): a row excludes a technique or adds a precaution (perhaps capping its
pressure), an adjustment adds a weight and a reason. :func:`ranker` writes, when the knowledge
base is first used, one function that tests each entry's condition (``rule_code.Source``) and,
when it holds, does exactly that entry's work on plain local variables, one set per technique,
in the entries' order. ``recommend`` then ranks from what it answers.

Like ``rule_code``, the source holds no text of the knowledge base: every id, text, weight and
pressure is bound by name (``k0``, ``k1``, ...), so nothing in the data can become code.
``tests/unit/test_ranking_code.py`` checks that it answers as a walk over the entries does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from sciatica_care.domain.rule_code import Source, guarded_runs

#: A matrix cell prepared: (technique, excludes it, text, pressure cap or None).
Cell = tuple[str, bool, str, int | None]
#: An adjustment's effect prepared: (technique, weight, reason or "", whether it argues against).
Effect = tuple[str, int, str, bool]
#: What a matching matrix row or adjustment brings: (its id, its cells, its effects).
Rule = tuple[str, tuple[Cell, ...], tuple[Effect, ...]]

#: What the function answers, each a list with one place per technique (in ``techniques``'
#: order) but the first: (ids of the entries that held, scores, reasons, reasons against,
#: precautions, strongest pressure allowed, first text that capped it or None, reasons the
#: technique is excluded or None).
Ranked = tuple[
    list[str],
    list[int],
    list[list[str]],
    list[list[str]],
    list[list[str]],
    list[int],
    list[str | None],
    list[list[str] | None],
]
Ranker = Callable[[AbstractSet[str], Mapping[str, float]], Ranked]


def _work(rule: Rule, place: Mapping[str, int], said: list[set[str]], src: Source) -> list[str]:
    """The lines doing one entry's work (``said``: the precautions written so far, by place)."""
    rule_id, cells, effects = rule
    lines = [f"out.append({src.name(rule_id)})"]
    for technique, excludes, text, cap in cells:
        i, k = place[technique], src.name(text)
        if excludes:
            lines += [f"if x{i} is None:", f"    x{i} = [{k}]", "else:", f"    x{i}.append({k})"]
            continue
        if text in said[i]:  # only a text an earlier entry may have given can be there already
            lines += [f"if {k} not in p{i}:", f"    p{i}.append({k})"]
        else:
            lines.append(f"p{i}.append({k})")
            said[i].add(text)
        if cap is not None:
            lines += [f"if {src.name(cap)} < m{i}:", f"    m{i} = {src.name(cap)}"]
            lines += [f"if c{i} is None:", f"    c{i} = {k}"]
    for technique, weight, text, argues_against in effects:
        i = place[technique]
        lines.append(f"s{i} += {src.name(weight)}")
        if text:
            lines.append(f"r{i}.append({src.name(text)})")
            if argues_against:
                lines.append(f"a{i}.append({src.name(text)})")
    return lines


def ranker(
    conditions: Sequence[Any],
    rules: Sequence[Rule],
    techniques: Sequence[str],
    uncapped: int,
    *,
    needing: frozenset[str] = frozenset(),
) -> Ranker:
    """One function doing the work of every entry of ``rules`` whose condition holds, in order
    (an entry whose condition is None always holds); ``uncapped`` is the pressure of a
    technique no precaution caps.

    With ``needing``, two or more entries in a row whose conditions can hold only when one of
    those facts is given are tested under one test of whether any is (as
    ``rule_code.matcher`` does): the same work is done, fewer conditions are tested."""
    src = Source()
    place = {t: i for i, t in enumerate(techniques)}
    every = range(len(techniques))

    def each(pattern: str) -> str:
        return ", ".join(pattern.format(i) for i in every)

    body = ["out = []"]  # the ids of the entries that held
    body += [f"s{i} = 0" for i in every]
    body += [f"{v}{i} = []" for v in "rap" for i in every]
    body += [f"m{i} = {src.name(uncapped)}" for i in every]
    body += [f"c{i} = x{i} = None" for i in every]
    said: list[set[str]] = [set() for _ in every]
    runs = guarded_runs(conditions, needing)
    if any(runs):
        body.append(f"given = not {src.name(needing)}.isdisjoint(t)")
    for n, (spec, rule) in enumerate(zip(conditions, rules, strict=True)):
        lines = _work(rule, place, said, src)
        if spec is not None:
            lines = [f"if {src.expression(spec)}:", *(f"    {line}" for line in lines)]
        if runs[n]:
            if n == 0 or not runs[n - 1]:
                body.append("if given:")
            lines = [f"    {line}" for line in lines]
        body += lines
    places = ", ".join(f"[{each(v + '{0}')}]" for v in "sra" + "pmcx")
    body.append(f"return out, {places}")
    made: Ranker = src.function("rank", "t, n", body)
    return made
