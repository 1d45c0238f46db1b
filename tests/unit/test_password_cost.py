"""The app hashes passwords with argon2id at its recommended cost. The suite runs with a cheaper
cost (tests/conftest.py, cheap_password_hashing); this pins what the app itself uses."""

from __future__ import annotations

from tests.conftest import APP_PASSWORD_HASH


def test_passwords_are_hashed_with_argon2id_at_the_recommended_cost() -> None:
    hashed = APP_PASSWORD_HASH.hash("a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), hashed
    assert APP_PASSWORD_HASH.verify("a long enough password", hashed)
