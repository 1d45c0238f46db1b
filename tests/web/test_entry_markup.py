"""The dashboard's recent check-ins made in Python (``web/pages/entry_markup.py``) say exactly
what ``partials/entry.html`` (still included by the diary page) says for them, byte for byte:
every branch (sleep, heat, cold, massage, walk, medicine, soreness, each safety answer, a
note, markup in the free text), in every language, in other time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.requests import Request

from sciatica_care import i18n
from sciatica_care.web.pages.entry_markup import entry_items
from sciatica_care.web.pages.tracking import stretches
from sciatica_care.web.templating import templates

LOOP = '{% for e in entries %}{% include "partials/entry.html" %}{% endfor %}'


def _request(language: str) -> Request:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    request.state.language = language
    return request


def _entries() -> list[SimpleNamespace]:
    out = []
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a clock change in Europe/London
    for n, (sleep, things, sore, safety, note) in enumerate(
        product(
            (None, 0, 7),
            ("none", "stretches", "all", "massage", "unknown"),
            (False, True),
            ("none", "advice", "a yes", "no to all", "empty answers"),
            ("", "Sat <b>long</b> & \"then\" 'walked'"),
        )
    ):
        out.append(
            SimpleNamespace(
                id=f"{n:032x}",
                recorded_at=at.replace(hour=n % 24),
                leg_pain=n % 11,
                back_pain=(n * 3) % 11,
                sleep_quality=sleep,
                stretches={
                    "none": [],
                    "stretches": ["piriformis_stretch"],
                    "all": ["piriformis_stretch", "knee_to_chest"],
                    "massage": [],
                    "unknown": ["no_such_stretch<&>"],
                }[things],
                heat=things == "all",
                cold=things in ("all", "massage"),
                massage={"all": ["myofascial_release"], "massage": ["effleurage", "x&y"]}.get(
                    things, []
                ),
                walk_minutes={"all": 20, "massage": 0}.get(things),
                medicine=things == "all",
                soreness_48h=sore,
                safety_checked_at=None if safety == "none" else at,
                safety_assessment_id="ab<c>" if safety == "advice" else None,
                safety_answers={
                    "a yes": {"bladder": False, "numb_saddle": True},
                    "no to all": {"bladder": False},
                    "empty answers": {},
                }.get(safety),
                note=note,
            )
        )
    return out


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Asia/Seoul"])
def test_entry_items_say_what_the_template_says(language: str, zone: str) -> None:
    entries = _entries()
    names = dict(stretches(language))
    user = SimpleNamespace(time_zone=zone)
    context: dict[str, Any] = {
        "request": _request(language),
        "user": user,
        "names": names,
        "entries": entries,
    }
    expected = templates.env.from_string(LOOP).render(context)
    made = entry_items(entries, names=names, language=language, zone=zone)
    assert str(made) == expected
    assert "&lt;b&gt;long&lt;/b&gt;" in made  # the note escaped, as the template escaped it
    # One at a time as well (the loop's pieces are not shared between entries).
    for e in entries[:40]:
        one = templates.env.from_string(LOOP).render(context | {"entries": [e]})
        assert str(entry_items([e], names=names, language=language, zone=zone)) == one


def test_no_entries_say_nothing() -> None:
    assert entry_items([], names={}, language="en", zone="UTC") == ""
