"""Shared fixtures: the knowledge base and a baseline assessment."""

from __future__ import annotations

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
