"""The therapist's pages over HTTP in Korean (the language cookie, or Accept-Language): form
errors name the field in Korean, the note's fields and reactions are in Korean, the share-code
and sharing pages answer in Korean; English stays the default."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sciatica_care.domain.session_notes import REACTION_LABELS
from sciatica_care.i18n import gettext
from tests.web.test_pages_support import pages, post_form
from tests.web.test_pages_therapist import (
    NOTE,
    PASSWORD,
    PROFILE,
    browser_of,
    client_signs_up,
    share_code_of,
    shares_by_code,
    takes_assessment,
    therapist_signs_up,
)

__all__ = ["pages"]


def in_korean(http: TestClient) -> TestClient:
    http.cookies.set("sc_lang", "ko")
    return http


def test_a_therapist_sign_up_error_names_the_field_in_korean(pages: TestClient) -> None:
    http = in_korean(pages)
    form = {"display_name": "Tess", "email": "tess@example.org", "password": PASSWORD}
    form.update({**PROFILE, "licence_number": "", "years_experience": "twelve"})
    page = post_form(http, "/therapist/signup", "/therapist/signup", form)
    assert page.status_code == 422
    assert '<html lang="ko"' in page.text
    summary = page.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "면허 또는 등록 번호" in summary and "경력" in summary
    assert "Licence or registration number" not in page.text
    assert "치료사로 가입하기" in page.text  # the page's own words too


def test_a_note_form_error_names_the_field_in_korean(pages: TestClient) -> None:
    tess = pages
    therapist_signs_up(tess)
    code = share_code_of(tess.get("/therapist/clients").text)
    alice = browser_of(pages)
    client_signs_up(alice)
    takes_assessment(alice)
    shares_by_code(alice, code, ("assessments", "diary", "notes"))
    client_page = tess.get("/therapist/clients").text
    client_id = client_page.split('href="/therapist/clients/', 1)[1].split('"', 1)[0]
    in_korean(tess)
    new = f"/therapist/clients/{client_id}/notes/new"
    page = post_form(
        tess, new, f"/therapist/clients/{client_id}/notes", {**NOTE, "duration_minutes": "an hour"}
    )
    assert page.status_code == 422
    assert "시간(분)" in page.text and "세션 전 다리 통증" in page.text
    summary = page.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "시간" in summary and "Duration" not in summary
    form = tess.get(new).text
    assert gettext("ko", REACTION_LABELS["bruising"]) == "멍" and "멍" in form
    assert "세션 기록" in form and "Session note" not in form


def test_the_sharing_pages_answer_in_korean_by_accept_language(pages: TestClient) -> None:
    alice = pages
    client_signs_up(alice)
    alice.headers["Accept-Language"] = "ko-KR,ko;q=0.9,en;q=0.5"
    assert "치료사와 공유하기" in alice.get("/share").text
    wrong = post_form(alice, "/share", "/share/find", {"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 404
    assert "공유 코드" in wrong.text and "이 코드를 가진 치료사가 없어요" in wrong.text
    assert "내 데이터를 볼 수 있는 사람" in alice.get("/sharing").text
    del alice.headers["Accept-Language"]
    assert "Who can see my data" in alice.get("/sharing").text  # English stays the default


def test_availability_errors_name_the_day_and_the_field_in_korean(pages: TestClient) -> None:
    tess = pages
    therapist_signs_up(tess)
    in_korean(tess)
    form = {
        "hours_0": "nine to five",
        "exc_day": "2020-01-06",
        "exc_kind": "off",
        "exc_from": "",
        "exc_to": "",
        "session_lengths": "60",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "0",
        "min_notice_hours": "",
        "horizon_days": "60",
        "slot_step_minutes": "30",
        "new_clients": "book",
        "cancellation_window_hours": "24",
        "waitlist_hold_minutes": "60",
    }
    page = post_form(tess, "/therapist/availability", "/therapist/availability", form)
    assert page.status_code == 422
    summary = page.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "월요일" in summary and "nine to five" in summary
    assert "09:00-12:00, 13:00-17:00처럼 적으세요" in summary
    assert "최소 사전 예약 시간" in summary and "Minimum notice" not in summary
    # A value of the wrong kind, as the service refuses it, in Korean words too.
    read = {"hours_0": "09:00-12:00", "min_notice_hours": "24", "buffer_after_minutes": "x"}
    page = post_form(tess, "/therapist/availability", "/therapist/availability", form | read)
    assert page.status_code == 422
    assert "정수여야 해요(입력한 값: &#39;x&#39;)" in page.text
    assert "주간 근무 시간" in page.text and "Weekly hours" not in page.text
