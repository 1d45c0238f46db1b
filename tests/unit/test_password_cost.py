"""The app hashes passwords with argon2id at its recommended cost. The suite runs with a cheaper
cost (tests/conftest.py, cheap_password_hashing); this pins what the app itself uses."""

from __future__ import annotations

import re

from tests.conftest import APP_DUMMY_HASH, APP_PASSWORD_HASH


def test_passwords_are_hashed_with_argon2id_at_the_recommended_cost() -> None:
    hashed = APP_PASSWORD_HASH.hash("a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), hashed
    assert APP_PASSWORD_HASH.verify("a long enough password", hashed)


def test_an_unknown_email_is_checked_against_a_hash_of_the_same_cost() -> None:
    """The stand-in hash a sign-in with an unknown email is verified against has the cost of the
    app's own hashes, so such a sign-in takes as long as one with a wrong password."""

    def cost(hashed: str) -> str:
        found = re.match(r"(\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$)", hashed)
        assert found, hashed
        return found.group(1)

    assert cost(APP_DUMMY_HASH) == cost(APP_PASSWORD_HASH.hash("a long enough password"))
    assert APP_PASSWORD_HASH.verify("not-a-real-password", APP_DUMMY_HASH)
