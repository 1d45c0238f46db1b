"""Common passwords (ASVS 2.1.7): the 30,000 most common passwords of the zxcvbn package.

zxcvbn's list is drawn from leaked password sets (it starts 123456, password, 12345678, qwerty);
it is compared case-insensitively, since "Password" is guessed as soon as "password" is.
"""

from __future__ import annotations

from functools import cache


@cache
def _common() -> frozenset[str]:
    # Imported at the first password checked, not with the app: the zxcvbn package (its word
    # lists and keyboard graphs) took 70-80 ms of every process's start.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """Whether ``password`` (ignoring case and surrounding spaces) is a commonly used one."""
    return password.strip().lower() in _common()
