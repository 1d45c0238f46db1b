"""Shared fixtures: the knowledge base and a baseline assessment."""

from __future__ import annotations

import os
from typing import Any

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.knowledge.loader import knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge_base()


def baseline(**changes: Any) -> dict[str, Any]:
    """A calm assessment that triages to self_care; tests change only what they test."""
    data: dict[str, Any] = {
        "age": 35,
        "back_pain": 3,
        "leg_pain": 4,
        "side": "left",
        "duration_weeks": 8,
        "seen_clinician": True,
        "first_episode": False,
    }
    data.update(changes)
    return data


# The app's rate limits count per client address, and every test client has the same one:
# tests run with limits no test reaches. The limits themselves are tested with their own
# settings (tests/web/test_rate_limits.py), which win over these.
GENEROUS_LIMITS = {
    "SCIATICA_CARE_RATE_LIMIT_SIGN_IN": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_SIGN_IN_ALL": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_ASSESSMENT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_EXPORT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_REPORT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_CALENDAR": "100000/minute",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, value in GENEROUS_LIMITS.items():
        os.environ.setdefault(name, value)
