"""The "Book" / "Request" link of a therapist's profile carries the time it showed
(``?starts=…Z&length=…``): the book page opens on that day with that time and length chosen;
a time it cannot read is named as the field's problem, never a server error."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.booking_setup import days_ahead
from tests.web.test_bookings import tess_id  # noqa: F401  (fixture)


def test_the_profile_link_chooses_its_time_and_length(
    alice: TestClient,
    tess_id: str,  # noqa: F811
) -> None:
    starts = days_ahead(3)
    link = f"/therapists/{tess_id}/book?starts={starts:%Y-%m-%dT%H:%M:00Z}&length=60"
    page = alice.get(link)
    assert page.status_code == 200, page.text
    chosen = re.search(r'<input type="radio"[^>]*value="([^"]+)" checked>', page.text)
    assert chosen and chosen.group(1) == starts.isoformat()
    assert '<option value="60" selected>' in page.text


def test_a_link_with_an_unreadable_time_names_the_field(
    alice: TestClient,
    tess_id: str,  # noqa: F811
) -> None:
    page = alice.get(f"/therapists/{tess_id}/book?starts=next+tuesday")
    assert page.status_code == 422
    assert "choose one of the free times" in page.text
    assert "<title>Error: " in page.text
