"""The dashboard's recent check-ins as markup made in Python: what ``partials/entry.html`` says
for each entry (without its Edit and Delete, which only the diary page shows), white space and
all, each value escaped as the template escaped it.

The template, included once per check-in, cost the dashboard about as much as the rest of its
list section; the diary page keeps including it (``tests/web/test_entry_markup.py`` checks the
two say the same, byte for byte, for every branch, in every language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from sciatica_care import i18n
from sciatica_care.domain.vocabulary import label
from sciatica_care.web.templating import when

#: The lines between an entry's first paragraph and its end that say nothing here: the
#: template's ``{% set %}``, ``{% for %}`` and ``{% if %}`` lines, each a line break and two
#: spaces (``_BLANK * n``).
_BLANK = "\n  "


def entry_items(
    entries: Iterable[Any], *, names: Mapping[str, str], language: str, zone: str
) -> Markup:
    """Each check-in of ``entries`` as ``partials/entry.html`` said it, not editable, one after
    the other (as a loop including it). ``names``: stretch id -> title; ``zone``: the
    viewer's time zone (``templating.viewer_zone``)."""
    translations = i18n.translations(language)
    said = translations.gettext

    def words(message: str) -> Markup:
        return Markup(said(message))

    leg, back, sleep = words("Leg %(n)s/10"), words("Back %(n)s/10"), words("Sleep %(n)s/10")
    heat, cold, medicine = words("Heat"), words("Cold"), words("Medicine")
    walked, did_words = words("Walked %(n)s min"), words("What I did: %(things)s")
    sore = f"<p>{words('Still sore more than 48 hours after a massage')}</p>"
    a_yes = words("Safety questions answered: a yes")
    no_to_all = words("Safety questions answered: no to all")
    advice = words("see the advice it gave")
    note_words = words("Note:")
    out: list[str] = []
    add = out.append
    for e in entries:
        add(f'\n<li class="entry">\n  <p><strong>{escape(when(e.recorded_at, zone, language))}')
        add(f"</strong> · {leg % {'n': e.leg_pain}} · {back % {'n': e.back_pain}}\n    ")
        if e.sleep_quality is not None:
            add(f" · {sleep % {'n': e.sleep_quality}}")
        add("</p>" + _BLANK * 8)
        did: list[Any] = [names.get(s, s) for s in e.stretches]
        if e.heat:
            did.append(heat)
        if e.cold:
            did.append(cold)
        did.extend(i18n.gettext(language, label("techniques", str(m))) for m in e.massage)
        if e.walk_minutes:
            did.append(walked % {"n": e.walk_minutes})
        if e.medicine:
            did.append(medicine)
        if did:
            things = Markup(", ").join(did)  # each escaped, as the template's join
            add(f"<p>{did_words % {'things': things}}</p>")
        add(_BLANK)
        if e.soreness_48h:
            add(sore)
        add(_BLANK)
        if e.safety_checked_at:
            add("<p>")
            if e.safety_assessment_id:
                link = escape(e.safety_assessment_id)
                add(f'{a_yes}, <a href="/assessments/{link}">{advice}</a>')
            elif e.safety_answers and any(e.safety_answers.values()):
                add(a_yes)
            else:
                add(no_to_all)
            add("</p>")
        add(_BLANK)
        if e.note:
            add(f'<p class="note">{note_words} <span translate="no">{escape(e.note)}</span></p>')
        add(_BLANK + "\n</li>")
    return Markup("".join(out))
