"""The language the command line answers in: ``--lang`` (before or after the command) or
``SCIATICA_CARE_LANG``, else English.

It is chosen explicitly rather than read from the terminal's locale (``LANG``): output is often
kept in files or read by scripts, and the same command should print the same words wherever it
runs. Babel and the catalogs are loaded only when a language other than English is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

LANGUAGE_ENV = "SCIATICA_CARE_LANG"


class Language(StrEnum):
    en = "en"
    ko = "ko"


_chosen: list[str] = ["en"]


def choose(language: str | None) -> None:
    """Answer in ``language`` from now on (None: keep the current choice)."""
    if language:
        _chosen[0] = str(language)


def current() -> str:
    """The language chosen for this run."""
    return _chosen[0]


def gettext_of(language: str | None = None) -> Callable[[str], str]:
    """The gettext of ``language`` (default: the chosen one); English costs no import."""
    language = language or current()
    if language == "en":
        return str
    from sciatica_care.i18n import translator

    return translator(language)
