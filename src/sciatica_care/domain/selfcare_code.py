"""The choice of self-care items for one group of items, written as one Python function.

Which items a person is given follows ``selfcare.yaml`` item by item, in its order: an item with
a ``when`` only when it holds; a stretch not when one of its ``avoid`` conditions holds (it is
then listed to avoid, with the reasons), and, when it has ``suits``, only when that holds (a
``default`` stretch that does not suit is kept aside, given when no stretch suits). This module
writes that walk for one group of items (urgent or not, massage held or not) as straight-line
code over the fact tokens ``t`` and numbers ``n``, with each condition an expression
(``rule_code.Source``), when the knowledge base is first used. Like ``rule_code``, the source
holds no text of the knowledge base: every item, reason and fact is bound by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from sciatica_care.domain.kb import SelfCareItem
from sciatica_care.domain.rule_code import Source

P = TypeVar("P")

#: (chosen, avoided with their reasons, defaults kept aside, whether a chosen stretch suits)
Choice = tuple[list[P], list[tuple[P, list[str]]], list[P], bool]
Chooser = Callable[[AbstractSet[str], Mapping[str, float]], Choice[P]]


def _given(src: Source, item: SelfCareItem, variants: Sequence[P]) -> str:
    """The expression for the item as given: the variant with the notes (``modify``) that hold
    (``variants[mask]``, bit ``j`` of ``mask`` set when ``item.modify[j]`` holds)."""
    if not item.modify:
        return src.entry(variants[0])
    holds = ["True" if m.when is None else src.expression(m.when) for m in item.modify]
    if len(holds) == 1:
        return f"({src.entry(variants[1])} if {holds[0]} else {src.entry(variants[0])})"
    mask = " + ".join(f"(({h}) << {j})" for j, h in enumerate(holds))
    return f"{src.entry(tuple(variants))}[{mask}]"


def _stretch(src: Source, item: SelfCareItem, name: str, given: str) -> list[str]:
    lines: list[str] = []
    otherwise = "if"
    if item.avoid:
        lines.append("reasons = []")
        for avoid in item.avoid:
            holds = "True" if avoid.when is None else src.expression(avoid.when)
            lines.append(f"if {holds}: reasons.append({src.name(avoid.reason)})")
        lines.append(f"if reasons: avoided.append(({name}, reasons))")
        otherwise = "elif"
    if item.suits is None:
        return [*lines, "else:", f"    add({given})"] if item.avoid else [f"add({given})"]
    lines += [
        f"{otherwise} {src.expression(item.suits)}:",
        f"    add({given})",
        "    suiting = True",
    ]
    if item.default:
        lines += ["else:", f"    defaults.append({given})"]
    return lines


def chooser(items: Sequence[SelfCareItem], prepared: Sequence[Sequence[P]]) -> Chooser[P]:
    """One function choosing among ``items``, in their order; it answers with the prepared
    value of each with the notes that hold: ``prepared[i][mask]`` for ``items[i]``, where bit
    ``j`` of ``mask`` is set when ``items[i].modify[j]`` holds (an item to avoid is answered
    as ``prepared[i][0]``)."""
    src = Source()
    body = ["chosen = []", "add = chosen.append", "avoided = []", "defaults = []"]
    body.append("suiting = False")
    for item, variants in zip(items, prepared, strict=True):
        given = _given(src, item, variants)
        if item.kind == "stretch":
            name = src.entry(variants[0]) if item.avoid else given
            lines = _stretch(src, item, name, given)
        else:
            lines = [f"add({given})"]
        if item.when is not None:
            lines = [f"if {src.expression(item.when)}:", *(f"    {line}" for line in lines)]
        body += lines
    body.append("return chosen, avoided, defaults, suiting")
    made: Callable[..., Any] = src.function("choose", "t, n", body)
    return made
