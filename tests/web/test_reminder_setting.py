"""Each person's reminder setting: the settings page and PATCH /api/v1/me; and the plain-SMTP
URL that local test servers need (refused in production)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sciatica_care.config import SettingsError, load_settings
from sciatica_care.notifications.transport import SmtpTransport
from tests.web.test_pages_support import post_form

ME = "/api/v1/me"


def test_the_api_reads_and_changes_the_reminder(alice: TestClient) -> None:
    assert alice.get(ME).json()["reminder_hours_before"] == 24
    assert alice.patch(ME, json={"reminder_hours_before": 2}).json()["reminder_hours_before"] == 2
    kept = alice.patch(ME, json={"time_zone": "Europe/London"}).json()
    assert kept["reminder_hours_before"] == 2 and kept["time_zone"] == "Europe/London"
    assert (
        alice.patch(ME, json={"reminder_hours_before": None}).json()["reminder_hours_before"]
        is None
    )
    assert alice.get(ME).json()["reminder_hours_before"] is None


@pytest.mark.parametrize("value", [5, -1, "24h", 10**9, True])
def test_a_reminder_that_is_not_a_choice_is_named(alice: TestClient, value: object) -> None:
    response = alice.patch(ME, json={"reminder_hours_before": value})
    assert response.status_code == 422, response.text
    assert "reminder_hours_before" in response.text
    assert alice.get(ME).json()["reminder_hours_before"] == 24


def test_the_settings_page_offers_the_reminder_to_a_client(alice: TestClient) -> None:
    page = alice.get("/settings").text
    assert 'name="reminder_hours_before" value="24" checked' in page
    saved = post_form(
        alice, "/settings", "/settings", {"time_zone": "UTC", "reminder_hours_before": "48"}
    )
    assert saved.status_code == 200 and "Appointment reminders come 48 hours before" in saved.text
    assert 'value="48" checked' in saved.text
    none = post_form(
        alice, "/settings", "/settings", {"time_zone": "UTC", "reminder_hours_before": "none"}
    )
    assert "You get no appointment reminders" in none.text
    assert alice.get(ME).json()["reminder_hours_before"] is None


def test_a_wrong_reminder_on_the_page_is_shown_next_to_the_field(alice: TestClient) -> None:
    wrong = post_form(
        alice,
        "/settings",
        "/settings",
        {"time_zone": "Europe/Paris", "reminder_hours_before": "7"},
    )
    assert wrong.status_code == 422
    assert 'href="#field-reminder_hours_before"' in wrong.text
    assert "Reminders: choose no reminders, or 2, 24 or 48 hours" in wrong.text
    assert '<option value="Europe/Paris" selected>' in wrong.text  # the answers are kept
    assert alice.get(ME).json()["reminder_hours_before"] == 24


def test_a_refused_field_saves_none_of_the_others(alice: TestClient) -> None:
    """The settings are saved all or nothing, on the page and over the API: a good reminder
    with an unknown zone (or a good zone with a wrong reminder) is refused whole, every wrong
    field named at once, and what was saved before stays."""
    before = alice.get(ME).json()
    page = post_form(
        alice,
        "/settings",
        "/settings",
        {"time_zone": "Mars/Olympus_Mons", "reminder_hours_before": "48", "language": "ko"},
    )
    assert page.status_code == 422 and 'href="#field-time_zone"' in page.text
    api = alice.patch(ME, json={"time_zone": "Mars/Olympus_Mons", "reminder_hours_before": 48})
    assert [e["field"] for e in api.json()["errors"]] == ["time_zone"], api.text
    both = post_form(
        alice,
        "/settings",
        "/settings",
        {"time_zone": "Mars/Olympus_Mons", "reminder_hours_before": "7"},
    )
    assert both.status_code == 422
    assert 'href="#field-time_zone"' in both.text
    assert 'href="#field-reminder_hours_before"' in both.text
    assert alice.get(ME).json() == before
    assert "lang" not in alice.cookies  # the page did not switch language either


def test_a_therapist_sees_no_reminder_choice(tess: TestClient) -> None:
    assert "reminder_hours_before" not in tess.get("/settings").text


def test_plain_smtp_is_for_local_test_servers_only() -> None:
    transport = SmtpTransport("smtp+insecure://127.0.0.1:2525")
    assert (transport.host, transport.port, transport.starttls) == ("127.0.0.1", 2525, False)
    assert SmtpTransport("smtp://mail.example.org").starttls is True
    with pytest.raises(SettingsError, match="SCIATICA_CARE_SMTP_URL"):
        load_settings(
            environment="production",
            smtp_url="smtp+insecure://127.0.0.1:2525",
            secret_key="x" * 40,
        )
