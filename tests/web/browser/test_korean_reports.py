"""The doctor's report pages in Korean in a real browser, at phone width: the report page (and
its error naming the field), the links page (a link made, then ended), the clinician's view of
the report through the link without an account, and the refusal of an ended link. Each page
must show no English in its main content (what the person wrote and names are marked
``translate="no"``); a screenshot of each is kept in artifacts/screenshots/ko/."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import WAIT, click_and_wait, heading_reads, wait_for
from tests.web.browser.korean import assert_all_korean, read_in_korean
from tests.web.browser.test_accessibility import log_in, log_out, submit
from tests.web.browser.test_report_browser import demo_client  # noqa: F401  (a fixture)
from tests.web.test_report import pages_of, text_of
from tests.web.test_report_korean import PDF_DIR

pytestmark = pytest.mark.browser


def test_the_report_pages_read_in_korean(browser: Any, demo_client: tuple[str, str]) -> None:  # noqa: F811
    log_in(browser, demo_client)
    read_in_korean(browser)
    browser.get(browser.base_url + "/dashboard")
    wait_for(browser, "a[href='/report']")
    click_and_wait(browser, "a[href='/report']")
    WebDriverWait(browser, WAIT).until(heading_reads("의사에게 보여 줄 보고서"))
    assert_all_korean(browser, "reports-report-page")

    # Too long a question: the page names the field in Korean, and keeps what was typed.
    # (The error summary's own heading is macros/form.html's, translated by the wizard's
    # branch: so here the field's error is checked, not the whole page.)
    submit(browser, "form[action='/report.pdf']", {"questions": ["가" * 1001]})
    error = wait_for(browser, ".field-error").text
    assert "묻고 싶은 것" in error and "최대 1000자" in error

    browser.get(browser.base_url + "/report/links")
    WebDriverWait(browser, WAIT).until(heading_reads("의료인용 링크"))
    assert_all_korean(browser, "reports-links")
    submit(browser, "form[action='/report/links']", {"days": ["99"], "label": [""]})
    error = wait_for(browser, ".field-error").text
    assert "유효 기간(일)" in error and "1일에서 30일 사이" in error
    submit(browser, "form[action='/report/links']", {"days": ["3"], "label": ["Dr Lee"]})
    link = str(wait_for(browser, "#new-link").get_attribute("value"))
    assert "/clinician/" in link
    assert_all_korean(browser, "reports-links-made")
    log_out(browser)

    # The clinician, without an account, reads the report in their own language.
    read_in_korean(browser)
    browser.get(link)
    wait_for(browser, ".report-head h1")
    assert browser.find_element(By.CSS_SELECTOR, ".triage h2").text.startswith("안전:")
    note = browser.find_element(By.CSS_SELECTOR, ".translation-note").text
    assert "한국 임상의의 검토를 받지 않았습니다" in note
    assert browser.find_element(By.CSS_SELECTOR, ".report-actions__pdf").text == (
        "이 보고서를 PDF로 내려받기"
    )
    assert_all_korean(browser, "reports-clinician-report")
    # Its PDF, as the same reader gets it (kept to look at: artifacts/pdf/).
    pdf = httpx.get(link + "/report.pdf", cookies={"sc_lang": "ko"}, timeout=60)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / "report-ko-demo.pdf").write_bytes(pdf.content)
    text = text_of(pdf.content)
    assert "마사지와 함께하는 자기 관리" in text and "한국 임상의의 검토" in text
    assert pages_of(pdf.content) <= 2

    log_in(browser, demo_client)
    read_in_korean(browser)
    browser.get(browser.base_url + "/report/links")
    submit(browser, "form[action$='/revoke']")
    assert "링크를 끝냈습니다" in wait_for(browser, ".notice").text
    assert_all_korean(browser, "reports-links-ended")
    browser.get(link)
    WebDriverWait(browser, WAIT).until(heading_reads("이 링크로는 보고서를 열 수 없습니다"))
    assert_all_korean(browser, "reports-link-gone")
