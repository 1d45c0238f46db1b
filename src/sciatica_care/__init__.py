"""Sciatica Care: safe, evidence-honest massage guidance for people with sciatica.

The domain core is usable on its own::

    import sciatica_care
    result = sciatica_care.assess({"age": 40, "back_pain": 3, "leg_pain": 5,
                                   "side": "left", "duration_weeks": 4})
    result.triage.level

Imports are lazy so that the command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sciatica_care.domain.result import Result


def assess(data: Any) -> Result:
    """Validate ``data`` against the assessment vocabulary and return the full result.

    Raises ``sciatica_care.domain.assessment.AssessmentError`` naming every wrong field.
    """
    from sciatica_care.domain.assessment import parse_assessment
    from sciatica_care.domain.plan import evaluate
    from sciatica_care.knowledge.loader import knowledge_base

    return evaluate(parse_assessment(data), knowledge_base())


def knowledge_version() -> str:
    """The content hash of the packaged knowledge base."""
    from sciatica_care.knowledge.loader import knowledge_base

    return knowledge_base().version
