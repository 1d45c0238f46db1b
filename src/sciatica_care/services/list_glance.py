"""What the therapist's client list reads of each client's latest assessment, parsed once for
each distinct stored text.

On every view the list reads, for each of its clients, the latest assessment's answers and its
result at a glance: two JSON documents, parsed, and "both legs" decided from four answers as the
whole assessment validates them. A stored assessment is not rewritten, and a list shows the same
latest assessments again until a client answers anew; so the two are read as their stored text
(:data:`ANSWERS`, :data:`GLANCE`) and parsed once for each distinct pair of texts
(:func:`glance_of`). The text itself is the key: a document that differs is parsed afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic_core import from_json
from sqlalchemy import Text, cast

from sciatica_care.db.tables import AssessmentRecord
from sciatica_care.domain.assessment import LegAnswers, both_legs
from sciatica_care.services import held

#: The answers and the result at a glance as stored (JSON text, not parsed by the driver).
ANSWERS = cast(AssessmentRecord.input, Text)
GLANCE = cast(AssessmentRecord.at_a_glance, Text)


@dataclass(frozen=True, slots=True)
class Glance:
    """One assessment as the list shows it."""

    #: The answers (shared by every row that shows them: read, never changed).
    answers: dict[str, Any]
    both_legs: bool
    massage_hold: Any
    rules_fired: tuple[str, ...]
    excluded: tuple[str, ...]


_SEEN: dict[tuple[str, str], Glance] = {}
#: How many are kept at most (emptied past it): some clinics' lists, with room to spare.
_AT_MOST = 4096
held.holds("client list glances", _SEEN)


def glance_of(answers: str, glance: str) -> Glance:
    """The stored ``answers`` and result at a glance (JSON text) as the list shows them, parsed
    as the JSON columns parse them; once for each distinct pair."""
    key = (answers, glance)
    seen = _SEEN.get(key)
    if seen is None:
        parsed, at_a_glance = from_json(answers), from_json(glance)
        seen = Glance(
            answers=parsed,
            # "Both legs" has one definition (side, area_sides and the regions): the four
            # answers it reads, validated as the whole assessment validates them.
            both_legs=both_legs(LegAnswers.model_validate(parsed, strict=False)),
            massage_hold=at_a_glance["massage_hold"],
            rules_fired=tuple(at_a_glance["rules_fired"]),
            excluded=tuple(at_a_glance["excluded"]),
        )
        if len(_SEEN) >= _AT_MOST:
            _SEEN.clear()
        _SEEN[key] = seen
    return seen
