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

#: An item prepared once per combination of its notes: (advice, sentence, id, ...).
P = TypeVar("P", bound=tuple[Any, ...])

#: (the advice given, their sentences, their ids, the index of the first stretch given or
#: None, the items to avoid with their reasons, the defaults kept aside, whether a stretch
#: given suits)
Choice = tuple[
    list[Any], list[str], list[str], int | None, list[tuple[P, list[str]]], list[P], bool
]
Chooser = Callable[[AbstractSet[str], Mapping[str, float]], Choice[P]]


def _mask(src: Source, item: SelfCareItem) -> str:
    """Which of the item's notes (``modify``) hold: bit ``j`` set when ``item.modify[j]``
    does (a plain bool for one note)."""
    holds = ["True" if m.when is None else src.expression(m.when) for m in item.modify]
    if len(holds) == 1:
        return f"({holds[0]})"
    return " + ".join(f"(({h}) << {j})" for j, h in enumerate(holds))


def _give(src: Source, item: SelfCareItem, variants: Sequence[P]) -> list[str]:
    """The lines giving the item, with the notes that hold (``variants[mask]``): its advice,
    sentence and id appended, each by a list's own ``append`` (the cheapest call)."""
    lines = ["if first is None: first = len(advice)"] if item.kind == "stretch" else []
    given = src.entry(variants[0][2])
    if not item.modify:
        advice, sentence = src.entry(variants[0][0]), src.entry(variants[0][1])
        return [
            *lines,
            f"advice.append({advice}); sentences.append({sentence}); ids.append({given})",
        ]
    advices = src.entry(tuple(v[0] for v in variants))
    sentences = src.entry(tuple(v[1] for v in variants))
    return [
        *lines,
        f"noted = {_mask(src, item)}",
        f"advice.append({advices}[noted]); sentences.append({sentences}[noted]); "
        f"ids.append({given})",
    ]


def _row(src: Source, item: SelfCareItem, variants: Sequence[P]) -> str:
    """The expression for the item's prepared value with the notes that hold."""
    if not item.modify:
        return src.entry(variants[0])
    return f"{src.entry(tuple(variants))}[{_mask(src, item)}]"


def _stretch(src: Source, item: SelfCareItem, variants: Sequence[P]) -> list[str]:
    lines: list[str] = []
    otherwise = "if"
    give = _give(src, item, variants)
    if item.avoid:
        lines.append("reasons = []")
        for avoid in item.avoid:
            holds = "True" if avoid.when is None else src.expression(avoid.when)
            lines.append(f"if {holds}: reasons.append({src.name(avoid.reason)})")
        lines.append(f"if reasons: avoided.append(({src.entry(variants[0])}, reasons))")
        otherwise = "elif"
    if item.suits is None:
        if item.avoid:
            return [*lines, "else:", *(f"    {line}" for line in give)]
        return give
    lines += [
        f"{otherwise} {src.expression(item.suits)}:",
        *(f"    {line}" for line in give),
        "    suiting = True",
    ]
    if item.default:
        lines += ["else:", f"    defaults.append({_row(src, item, variants)})"]
    return lines


def chooser(items: Sequence[SelfCareItem], prepared: Sequence[Sequence[P]]) -> Chooser[P]:
    """One function choosing among ``items``, in their order. ``prepared[i][mask]`` is
    ``items[i]`` prepared with the notes whose bit is set in ``mask`` (bit ``j`` for
    ``items[i].modify[j]``): (advice, sentence, id, ...). The function gives each chosen item
    with the notes that hold; an item to avoid is answered as ``prepared[i][0]``."""
    src = Source()
    # The items given to everyone in the group, up to the first with a condition or a
    # stretch, start the three lists as they are made (one list display each, not three
    # appends per item); the notes of each are found once, as when it is appended.
    lead = 0
    while lead < len(items) and items[lead].when is None and items[lead].kind != "stretch":
        lead += 1
    body: list[str] = []
    advices, sentences, ids = [], [], []
    for j, (item, variants) in enumerate(zip(items[:lead], prepared[:lead], strict=True)):
        ids.append(src.entry(variants[0][2]))
        if not item.modify:
            advices.append(src.entry(variants[0][0]))
            sentences.append(src.entry(variants[0][1]))
            continue
        body.append(f"noted{j} = {_mask(src, item)}")
        advices.append(f"{src.entry(tuple(v[0] for v in variants))}[noted{j}]")
        sentences.append(f"{src.entry(tuple(v[1] for v in variants))}[noted{j}]")
    body += [f"advice = [{', '.join(advices)}]", f"sentences = [{', '.join(sentences)}]"]
    body += [f"ids = [{', '.join(ids)}]", "first = None"]
    body += ["avoided = []", "defaults = []", "suiting = False"]
    for item, variants in zip(items[lead:], prepared[lead:], strict=True):
        if item.kind == "stretch":
            lines = _stretch(src, item, variants)
        else:
            lines = _give(src, item, variants)
        if item.when is not None:
            lines = [f"if {src.expression(item.when)}:", *(f"    {line}" for line in lines)]
        body += lines
    body.append("return advice, sentences, ids, first, avoided, defaults, suiting")
    made: Callable[..., Any] = src.function("choose", "t, n", body)
    return made
