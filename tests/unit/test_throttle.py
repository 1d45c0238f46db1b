"""The in-process limits: token buckets per key, the client address, the hashing slots, and
the common-password check."""

from __future__ import annotations

import threading

import pytest

from sciatica_care.services.accounts import _check_password
from sciatica_care.services.common_passwords import is_common_password
from sciatica_care.services.errors import FieldProblem
from sciatica_care.services.throttle import Busy, HashingSlots, Rate, RateLimiter
from sciatica_care.web.rate_limit import client_address


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_rate_reads_count_per_unit() -> None:
    assert Rate.parse("10/minute") == Rate(10, 60.0)
    assert Rate.parse("1/second") == Rate(1, 1.0)
    for wrong in ("0/minute", "10/fortnight", "ten/minute", "10", "-1/hour"):
        with pytest.raises(ValueError):
            Rate.parse(wrong)


def test_a_bucket_allows_its_count_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate.parse("3/minute"), clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.hit("a") == 20  # one token comes back every 20 seconds
    clock.now += 19
    assert limiter.hit("a") == 1
    clock.now += 1
    assert limiter.hit("a") == 0
    assert limiter.hit("a") == 20


def test_refused_hits_take_nothing_so_hammering_does_not_prolong_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate.parse("1/minute"), clock=clock)
    assert limiter.hit("a") == 0
    for _ in range(50):
        limiter.hit("a")
        clock.now += 1
    clock.now += 10
    assert limiter.hit("a") == 0


def test_each_key_has_its_own_bucket_and_a_full_bucket_is_forgotten_when_the_table_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sciatica_care.services import throttle

    monkeypatch.setattr(throttle, "MAX_KEYS", 4)
    clock = Clock()
    limiter = RateLimiter(Rate.parse("1/minute"), clock=clock)
    assert limiter.hit("a") == 0
    assert limiter.hit("b") == 0
    assert limiter.hit("a") > 0
    for key in "cdefgh":
        assert limiter.hit(key) == 0
    assert len(limiter._buckets) <= 4


def scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 5000), "headers": headers}


def test_the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy() -> None:
    from ipaddress import ip_network

    proxies = (ip_network("10.0.0.0/8"),)
    assert client_address(scope("203.0.113.9", "198.51.100.1"), ()) == "203.0.113.9"
    assert client_address(scope("203.0.113.9", "198.51.100.1"), proxies) == "203.0.113.9"
    assert client_address(scope("10.0.0.2", "198.51.100.1"), proxies) == "198.51.100.1"
    # The client can put anything on the left; only what the trusted proxies added counts.
    assert client_address(scope("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.7"), proxies) == (
        "198.51.100.1"
    )
    assert client_address(scope("10.0.0.2"), proxies) == "10.0.0.2"


def test_ipv6_clients_are_counted_per_64_block() -> None:
    first = client_address(scope("2001:db8:1:2::1"), ())
    assert first == client_address(scope("2001:db8:1:2:ffff::9"), ()) == "2001:db8:1:2::/64"
    assert client_address(scope("2001:db8:1:3::1"), ()) != first
    assert client_address(scope("::ffff:198.51.100.7"), ()) == "198.51.100.7"


def test_hashing_slots_refuse_with_busy_instead_of_queueing_without_end() -> None:
    slots = HashingSlots(1, wait_seconds=0)
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with slots.slot():
            taken.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    try:
        with pytest.raises(Busy) as refused, slots.slot():
            pass
        assert refused.value.status == 503 and refused.value.retry_after >= 1
    finally:
        release.set()
        holder.join()
    with slots.slot():  # free again
        pass


def test_on_the_event_loop_a_full_set_of_slots_refuses_at_once() -> None:
    import asyncio

    slots = HashingSlots(1, wait_seconds=30)

    async def while_taken() -> None:
        with slots.slot(), pytest.raises(Busy), slots.slot():
            pass

    asyncio.run(while_taken())


@pytest.mark.parametrize("password", ["12345678", "password", "Password", "qwertyuiop"])
def test_common_passwords_are_refused_naming_the_password_field(password: str) -> None:
    assert is_common_password(password)
    problems = _check_password(password)
    assert [p.field for p in problems] == ["password"]
    assert "common" in problems[0].message


def test_an_uncommon_password_passes() -> None:
    assert _check_password("correct horse battery") == []
    assert _check_password("short") == [FieldProblem("password", "must be at least 8 characters")]
