"""The booking side in Korean without a browser: a refusal of the booking service shown in
Korean next to its field, refusals with values in them said again in Korean, and the directory
naming each therapist's languages in the reader's language (and finding them by either name)."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.domain.spoken_languages import language_code, language_key, language_name
from sciatica_care.services import booking_actions, series
from sciatica_care.web.pages.refusals import refusal_words
from tests.booking_setup import days_ahead
from tests.web.bookings import LONDON, add_booking
from tests.web.conftest import SignIn
from tests.web.consent import share, write_note
from tests.web.test_bookings import post_page, tess_id  # noqa: F401  (fixture)
from tests.web.test_directory import therapist
from tests.web.test_my_sessions import people  # noqa: F401  (fixture)


def in_korean(http: TestClient) -> TestClient:
    """``http`` reads the site in Korean (the language cookie, as the switch sets it)."""
    http.cookies.set("sc_lang", "ko")
    return http


def test_a_time_just_taken_is_refused_in_korean(
    alice: TestClient,
    tess_id: str,  # noqa: F811  (fixture)
) -> None:
    in_korean(alice)
    day = days_ahead(3).date()
    page = alice.get(f"/therapists/{tess_id}/book", params={"day": day.isoformat()})
    assert page.status_code == 200 and "이 시간 예약" in page.text
    assert '<span translate="no">(UTC)</span>' in page.text  # the zone named, not translated
    value = re.search(r'name="starts_at" value="([^"]+)"', page.text)
    assert value
    form = {"length_minutes": "60", "day": day.isoformat(), "starts_at": value.group(1)}
    assert post_page(alice, f"/therapists/{tess_id}/book", form).status_code == 303
    again = post_page(alice, f"/therapists/{tess_id}/book", form)
    assert again.status_code == 422
    assert "시간: 이 시간은 방금 다른 사람이 예약했습니다. 다른 시간을 고르세요" in again.text
    assert "just been taken" not in again.text


def test_a_missing_time_is_named_in_korean(
    alice: TestClient,
    tess_id: str,  # noqa: F811  (fixture)
) -> None:
    missing = post_page(in_korean(alice), f"/therapists/{tess_id}/book", {"length_minutes": "60"})
    assert missing.status_code == 422
    assert "시간: 예약 가능한 시간 중 하나를 고르세요" in missing.text


def test_refusals_with_values_are_said_again_in_korean() -> None:
    policy = booking_actions.POLICY.format(hours=24)
    assert refusal_words(policy, "ko").startswith("세션 시작 전 24시간 이내에 취소하면")
    assert refusal_words(policy, "en") == policy
    taken = series.WORDS["taken"].format(
        number=3, when="Tue 3 Jun 2026, 09:00 (Europe/London)", why="this time is too far ahead"
    )
    # The reason inside is translated too when it is one the catalog knows.
    known = series.WORDS["taken"].format(number=3, when="x", why="already taken")
    assert (
        refusal_words(known, "ko")
        == "3회차 세션(x): 이미 예약됨. 다시 미리 보고 이 세션을 제외하세요"
    )
    said = refusal_words(taken, "ko")  # the time said again in Korean, its zone named
    assert said.startswith("3회차 세션(2026년 6월 3일 (수) 09:00 (Europe/London)): ")
    assert refusal_words("something new", "ko") == "something new"


def test_languages_are_known_by_their_name_in_english_or_korean_or_their_code() -> None:
    assert language_code("Korean") == language_code("한국어") == language_code("ko") == "ko"
    assert language_key(" welsh ") == language_key("웨일스어") == "cy"
    assert language_name("Welsh", "ko") == "웨일스어"
    assert language_name("Welsh", "en") == "Welsh"
    assert language_name("Elvish of the hills", "ko") is None
    assert language_key("Elvish of the hills") == "elvish of the hills"


def test_the_directory_shows_languages_in_the_readers_language(
    client: TestClient, sign_in: SignIn
) -> None:
    therapist(sign_in, "tess@example.org", languages=["English", "Welsh"])
    therapist(sign_in, "kim@example.org", languages=["Korean", "Sindarin"])
    english = client.get("/therapists")
    assert "English, Welsh" in english.text and "Korean, Sindarin" in english.text
    in_korean(client)
    page = client.get("/therapists")
    assert page.status_code == 200 and '<html lang="ko"' in page.text
    assert "영어, 웨일스어" in page.text
    # A language Babel cannot name is shown as written, marked as not to be translated.
    assert '한국어, <span translate="no">Sindarin</span>' in page.text
    for typed in ("웨일스어", "Welsh", "cy"):
        found = client.get("/therapists", params={"language": typed})
        assert "치료사 1명" in found.text, typed
        assert "영어, 웨일스어" in found.text and "Sindarin" not in found.text
    ranked = client.get("/therapists", params={"plan_language": "Korean"})
    assert "한국어 사용" in ranked.text  # the reason for the order, in Korean


def test_my_sessions_in_korean_with_the_advice_from_the_korean_knowledge_base(
    app: FastAPI,
    alice: TestClient,
    tess: TestClient,
    people: dict[str, str],  # noqa: F811  (fixture)
) -> None:
    share(alice, tess)
    write_note(tess, people["alice"], home_care=["piriformis_stretch"])
    coming = datetime(2030, 6, 4, 9, 0, tzinfo=LONDON)
    add_booking(app, client_id=people["alice"], therapist_id=people["tess"], starts_at=coming)
    page = in_korean(alice).get("/sessions")
    assert page.status_code == 200
    coming_part, past_part = page.text.split('id="past-title"')
    assert '2030년 6월 4일 (화) 09:00 <span translate="no">(Europe/London)</span>' in coming_part
    assert '<span translate="no">Tess Morgan</span> 치료사 · 60분' in coming_part
    assert "근막 이완 요법" in past_part
    assert "시작 전 10점 중 7점, 끝난 뒤 4점" in past_part
    assert "이상근 스트레칭" in past_part  # the stretch from the Korean knowledge base
    assert "아직 한국 의료인의 검토를 받지 않았습니다" in past_part


def test_booking_a_therapist_without_online_bookings_is_refused_in_korean(
    alice: TestClient, sign_in: SignIn
) -> None:
    _, therapist_id = therapist(sign_in, "tess@example.org")
    page = in_korean(alice).get(f"/therapists/{therapist_id}/book")
    assert page.status_code == 409
    assert "여기서는 예약할 수 없습니다" in page.text
    assert "죄송합니다. 이 치료사는 온라인 예약을 받지 않습니다." in page.text


def test_a_wrong_search_is_named_in_korean(client: TestClient, sign_in: SignIn) -> None:
    therapist(sign_in, "tess@example.org")
    page = in_korean(client).get("/therapists", params={"near": "ZZ9 9ZZ"})
    assert page.status_code == 422
    assert "근처 (우편번호 또는 좌표): 이 우편번호의 위치를 알 수 없습니다" in page.text
