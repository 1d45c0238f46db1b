"""What the therapist's client list makes once for all its rows: ``macro | once``, a macro
called once for each distinct list of arguments on the page being rendered."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from sciatica_care.web.templating import templates


def once(macro: Callable[..., Markup]) -> Callable[..., Markup]:
    """``macro`` made once for each distinct list of arguments; for a macro whose output
    depends only on its arguments (plain values: None, numbers, words, tuples of words) and on
    the page's language, which is one for the whole page. The arguments are told apart by
    their ``repr`` (``0.0`` is not ``-0.0``, ``1`` is not ``True``)."""
    made: dict[tuple[str, ...], Markup] = {}

    def call(*args: object) -> Markup:
        key = tuple(map(repr, args))
        out = made.get(key)
        if out is None:
            out = made[key] = macro(*args)
        return out

    return call


templates.env.filters["once"] = once
