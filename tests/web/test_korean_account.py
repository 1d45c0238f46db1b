"""The account pages in Korean over HTTP: the language setting on Settings (saved on the account
and in the cookie, the next page in Korean), form errors naming their field in Korean, sign-in
refusals, error pages and the plain answers (429, 403) in the reader's language, dates in the
page's language. English is checked alongside: it does not change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care import i18n
from sciatica_care.config import Settings
from sciatica_care.db.tables import User
from sciatica_care.services.accounts import MIN_PASSWORD_LENGTH
from sciatica_care.web.app import create_app
from sciatica_care.web.error_pages import server_error_html
from sciatica_care.web.language import LANGUAGE_COOKIE
from sciatica_care.web.pages.privacy import audit_lines
from sciatica_care.web.rate_limit import too_many_text
from sciatica_care.web.templating import appointment_time, when
from tests.web.conftest import PASSWORD, add_user
from tests.web.test_pages_support import csrf_of

KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9"}


def heading(page: str) -> str:
    return page.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0]


def test_the_settings_language_field_is_saved_and_the_next_page_is_korean(
    app: FastAPI, alice: TestClient
) -> None:
    form = alice.get("/settings")
    assert '<select class="input input--medium" id="field-language" name="language"' in form.text
    assert 'value="en" lang="en" translate="no" selected' in form.text
    saved = alice.post(
        "/settings",
        data={"time_zone": "Asia/Seoul", "language": "ko"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
    assert alice.cookies.get(LANGUAGE_COOKIE) == "ko"
    with app.state.database.session() as db:
        user = db.scalars(select(User).where(User.email == "alice@example.org")).one()
        assert (user.language, user.time_zone) == ("ko", "Asia/Seoul")
    page = alice.get("/settings?saved=1", headers={"Accept-Language": "en"})
    assert '<html lang="ko"' in page.text and heading(page.text) == "설정"
    assert "저장했어요. 현재 시간대: " in page.text
    assert 'value="ko" lang="ko" translate="no" selected' in page.text
    # And back to English the same way.
    alice.post("/settings", data={"time_zone": "Asia/Seoul", "language": "en"})
    assert alice.cookies.get(LANGUAGE_COOKIE) == "en"
    assert heading(alice.get("/settings").text) == "Settings"


def test_an_unknown_language_on_settings_is_named_and_saves_nothing(
    app: FastAPI, alice: TestClient
) -> None:
    refused = alice.post(
        "/settings", data={"time_zone": "Europe/London", "language": "tlh"}, headers=KOREAN
    )
    assert refused.status_code == 422
    assert "언어: 목록에 있는 언어 중에서 고르세요" in refused.text
    with app.state.database.session() as db:
        user = db.scalars(select(User).where(User.email == "alice@example.org")).one()
        assert user.language is None


def test_a_korean_form_error_names_its_field_in_korean(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "ko")
    token = csrf_of(client.get("/signup").text)
    short = client.post(
        "/signup", data={"email": "kim@example.org", "password": "짧아", "csrftoken": token}
    )
    assert short.status_code == 422
    assert 'href="#field-password"' in short.text
    assert f"비밀번호: 최소 {MIN_PASSWORD_LENGTH}자여야 합니다" in short.text
    assert "<title>오류: 계정 만들기 · Sciatica Care</title>" in short.text
    bad_email = client.post(
        "/signup", data={"email": "not-an-email", "password": PASSWORD, "csrftoken": token}
    )
    assert "이메일 주소: 올바른 형식의 이메일 주소여야 해요" in bad_email.text


def test_a_wrong_password_and_a_throttled_sign_in_are_said_in_korean(
    settings: Settings,
) -> None:
    limited = settings.model_copy(
        update={"login_max_failures": 2, "rate_limit_sign_in": "99/minute"}
    )
    with TestClient(create_app(limited)) as http:
        add_user(http.app, "lee@example.org")  # type: ignore[arg-type]
        http.cookies.set(LANGUAGE_COOKIE, "ko")
        token = csrf_of(http.get("/login").text)
        tries = [
            http.post(
                "/login",
                data={"email": "lee@example.org", "password": "틀린 비밀번호", "csrftoken": token},
            )
            for _ in range(4)
        ]
    assert tries[0].status_code == 401
    assert "이메일 주소: 이메일 주소나 비밀번호가 맞지 않아요" in tries[0].text
    assert tries[-1].status_code == 429 and tries[-1].headers["retry-after"]
    assert "로그인에 너무 여러 번 실패했어요." in tries[-1].text
    assert "분 뒤에 다시 해 보세요" in tries[-1].text and "sign-ins" not in tries[-1].text


def test_error_pages_are_in_the_readers_language(client: TestClient, alice: TestClient) -> None:
    missing = client.get("/no/such/page", headers=KOREAN)
    assert missing.status_code == 404 and '<html lang="ko"' in missing.text
    assert heading(missing.text) == "페이지를 찾을 수 없어요"
    assert "오류 404" in missing.text and "평가 시작하기" in missing.text
    english = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert heading(english.text) == "Page not found" and "Error 404" in english.text
    wrong_method = client.get("/logout", headers=KOREAN)
    assert (
        wrong_method.status_code == 405
        and heading(wrong_method.text) == "이 페이지에서는 할 수 없는 일이에요"
    )
    # A query a page cannot read: the page's own words, not the validator's English.
    signed_in = alice.get("/no/such/page", headers=KOREAN)
    assert "내 대시보드" in signed_in.text
    nul = client.get("/login", params={"next": "a\x00b"}, headers=KOREAN)
    assert nul.status_code == 422 and '<html lang="ko"' in nul.text
    assert heading(nul.text) == "입력한 내용 중 다시 확인할 부분이 있어요"
    assert "must not" not in nul.text


def test_the_plain_answers_are_in_the_readers_language(settings: Settings) -> None:
    assert too_many_text(30, "en") == "Too many requests; please try again in 30 seconds.\n"
    assert too_many_text(30, "ko") == "요청이 너무 많아요. 30초 뒤에 다시 해 보세요.\n"
    assert too_many_text(600, "ko") == "요청이 너무 많아요. 10분 뒤에 다시 해 보세요.\n"
    with TestClient(create_app(settings)) as http:
        forged = http.post("/login", data={"email": "a@example.org"}, headers=KOREAN)
        assert forged.status_code == 403
        assert forged.text.startswith("양식이 만료되었거나")
        english = http.post("/login", data={"email": "a@example.org"})
        assert english.text.startswith("CSRF check failed")


def test_a_rate_limited_page_and_the_500_page_are_in_korean(settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_sign_in": "1/minute"})
    with TestClient(create_app(limited)) as http:
        http.cookies.set(LANGUAGE_COOKIE, "ko")
        answers = [http.post("/login", data={"email": "a@example.org"}) for _ in range(2)]
    assert answers[-1].status_code == 429 and answers[-1].headers["retry-after"]
    assert answers[-1].text.startswith("요청이 너무 많아요.")
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/dashboard",
        "query_string": b"",
        "headers": [(b"accept-language", b"ko-KR")],
    }
    page = (server_error_html(scope) or b"").decode()
    assert '<html lang="ko"' in page and "저희 쪽에 문제가 생겼어요" in page
    assert "저장한 내용은 사라지지 않았어요" in page


def test_dates_are_written_in_the_pages_language() -> None:
    at = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert when(at, "Asia/Seoul") == "11 Mar 2026, 08:30"
    assert when(at, "Asia/Seoul", "ko") == "2026. 3. 11. 오전 8:30"
    assert when(date(2026, 3, 10), None, "ko") == "2026. 3. 10."
    assert appointment_time(at, "Asia/Seoul") == "Wed 11 Mar 2026, 08:30 (Asia/Seoul)"
    assert appointment_time(at, "Asia/Seoul", "ko") == "2026. 3. 11. (수) 08:30 (Asia/Seoul)"


def test_who_looked_at_my_record_reads_as_korean_sentences() -> None:
    def event(action: str, record_type: str, **more: object) -> SimpleNamespace:
        values = {
            "at": datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
            "actor_id": "t1",
            "route": "/therapist/clients/c1",
            "is_me": False,
            "actor_name": "Theo",
            "actor_role": "therapist",
        }
        return SimpleNamespace(action=action, record_type=record_type, **{**values, **more})

    # Newest first, as the audit gives them: the line tells them in the order they happened.
    events = [event("list", "booking"), event("read", "diary_entry"), event("read", "assessment")]
    english = audit_lines(events)
    assert english[0].what == "Looked at an assessment and a check-in. Looked through your bookings"
    _ = i18n.translator("ko")
    korean = audit_lines(events, _)
    assert korean[0].what == "평가 한 건, 통증 기록 한 건 조회. 내 예약 목록 조회"
    assert (korean[0].who, korean[0].role, korean[0].named) == ("Theo", "치료사", True)
    mine = audit_lines([event("share", "sharing", is_me=True)], _)
    assert (mine[0].who, mine[0].what, mine[0].named) == ("나", "치료사와 공유 시작", False)
