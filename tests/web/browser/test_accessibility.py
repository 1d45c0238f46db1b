"""Every page a person can reach, checked in chromium at 320 and 390 CSS pixels (phones) and 1280
(desktop) by axe-core against the WCAG 2.0/2.1 A and AA rules (plus axe's best practices for
landmarks and headings, and WCAG 2.2's target size, a rule axe leaves off unless asked); and at
each width nothing scrolls sideways or spills out of its box. (Keyboard focus order:
test_focus_order.py.)

axe-core (tests/web/browser/vendor/axe.min.js) is test-only and never served by the app. It is
injected with WebDriver's execute_script, which runs in the page even under the app's strict
Content-Security-Policy: no CSP bypass is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select
from tests.web.browser.conftest import (
    DESKTOP,
    PHONE,
    WAIT,
    add_therapist,
    click,
    page_replaced,
    wait_for,
)
from tests.web.browser.korean import read_in_korean

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import User
from sciatica_care.domain.red_flag_groups import GROUP_OF, RED_FLAG_GROUPS
from sciatica_care.services import accounts
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser

AXE = (Path(__file__).with_name("vendor") / "axe.min.js").read_text(encoding="utf-8")
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NARROWEST = 320  # WCAG 1.4.10 Reflow: usable at 320 CSS pixels without scrolling sideways
WIDTHS = (("320px", (NARROWEST, 640)), ("phone", PHONE), ("desktop", DESKTOP))
#: Widths between, checked for reflow only (axe's rules do not change with them): a tablet, a
#: small laptop, and the width from which the menu is a row of links (72rem, less the scrollbar),
#: where that row once made the page scroll sideways.
REFLOW_WIDTHS = (("tablet", (820, 1180)), ("laptop", (1024, 768)), ("menu row", (1152, 864)))
PASSWORD = "a long enough password"
ADMIN = "axe.admin@example.org"
NEW_THERAPIST = "axe.unverified@example.org"

RUN_AXE = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {
  runOnly: {type: "tag", values: tags},
  rules: {"target-size": {enabled: true}},
  resultTypes: ["violations"],
})
  .then((r) => done(r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
  }))))
  .catch((e) => done([{id: "axe-error", impact: "critical", help: String(e), targets: []}]));
"""

# Text that spills out of its box (a label wider than its choice card, say) or a page wider than
# the screen. Hidden-by-design text (the progress bar's titles, visually-hidden, a closed menu)
# is left out.
SPILLS = """
const out = [];
const [page, room] = [document.documentElement.scrollWidth, document.documentElement.clientWidth];
if (page > room) { out.push(`the page is ${page}px wide in a ${room}px window`); }
document.querySelectorAll(
  ".choice, label, legend, .button, h1, h2, h3, p, li, dt, dd, th, td, summary"
).forEach((el) => {
  if (el.offsetParent === null || !el.checkVisibility() ||
      el.closest(".step-list, .visually-hidden, .table-scroll")) {
    return;
  }
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
    const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    out.push(`${el.tagName.toLowerCase()}.${el.className} "${text}" ` +
             `is ${el.scrollWidth}px in a ${el.clientWidth}px box`);
  }
});
return out;
"""

FILL_FORM = """
const [selector, values, send] = arguments;
const form = document.querySelector(selector);
for (const [name, wanted] of Object.entries(values)) {
  form.querySelectorAll(`[name="${name}"]`).forEach((el) => {
    if (el.type === "checkbox" || el.type === "radio") { el.checked = wanted.includes(el.value); }
    else { el.value = wanted[0]; }
    el.dispatchEvent(new Event("change", {bubbles: true}));
  });
}
if (send) { form.submit(); }
"""


class Audit:
    """Checks the page in the browser at each width and keeps every problem found."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.pages: list[str] = []
        self.problems: list[str] = []

    def _width(self, width: int, height: int, mobile: bool) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def check(self, page: str) -> None:
        driver = self.driver
        wait_for(driver, "h1")
        if not driver.execute_script("return typeof window.axe === 'object';"):
            driver.execute_script(AXE)
        self.pages.append(page)
        for label, (width, height) in WIDTHS:
            self._width(width, height, mobile=label != "desktop")
            for v in driver.execute_async_script(RUN_AXE, RULE_TAGS):
                self.problems.append(
                    f"{page} [{label}] {v['id']} ({v['impact']}): {v['help']}\n"
                    + "".join(f"      at {target}\n" for target in v["targets"])
                )
            self._spills(page, label)
        for label, (width, height) in REFLOW_WIDTHS:
            self._width(width, height, mobile=False)
            self._spills(page, label)
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def _spills(self, page: str, label: str) -> None:
        for spill in self.driver.execute_script(SPILLS):
            self.problems.append(f"{page} [{label}] reflow: {spill}\n")

    def check_errors(self, page: str) -> None:
        """The page a form came back on, with the summary of what to put right."""
        wait_for(self.driver, ".error-summary")
        self.check(page)

    def visit(self, path: str, page: str | None = None) -> None:
        self.driver.get(self.driver.base_url + path)
        self.check(page or path)

    def assert_clean(self) -> None:
        assert self.pages, "no page was checked"
        assert not self.problems, (
            f"{len(self.problems)} accessibility problems on {len(self.pages)} pages:\n"
            + "".join(self.problems)
        )


@pytest.fixture
def audit(browser: Any) -> Audit:
    browser.set_script_timeout(60)
    return Audit(browser)


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


@pytest.fixture
def cast(live_settings: Settings, database: Database) -> dict[str, tuple[str, str]]:
    """The demo client and therapist, an admin and an unverified therapist: (email, password)."""
    demo = load_demo(live_settings.resolved_database_url())
    people = {role: (email, password) for role, email, password in demo}
    with database.session() as db:
        if db.scalar(select(User.id).where(User.email == ADMIN)) is None:
            accounts.create_user(db, email=ADMIN, password=PASSWORD, role="admin")
            db.commit()
            add_therapist(
                db,
                live_settings,
                email=NEW_THERAPIST,
                password=PASSWORD,
                display_name="Uma (new therapist)",
                profile={
                    "licence_number": "MT-7781",
                    "years_experience": 3,
                    "years_treating_sciatica": 1,
                    "techniques": ["swedish"],
                    "languages": ["English"],
                    "city": "Leeds",
                },
            )
    return {**people, "admin": (ADMIN, PASSWORD), "new_therapist": (NEW_THERAPIST, PASSWORD)}


def submit(driver: Any, form: str, values: dict[str, list[str]] | None = None) -> None:
    """Fill a form's fields by name (past the browser's own checks) and send it."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script(FILL_FORM, form, values or {}, True)
    WebDriverWait(driver, WAIT).until(page_replaced(page))


def log_in(driver: Any, who: tuple[str, str]) -> None:
    driver.get(driver.base_url + "/login")
    submit(driver, "form[action='/login']", {"email": [who[0]], "password": [who[1]]})


def log_out(driver: Any) -> None:
    submit(driver, "form[action='/logout']")


def href(driver: Any, css: str) -> str:
    link = driver.find_element(By.CSS_SELECTOR, css).get_attribute("href")
    return str(link).removeprefix(driver.base_url)


def answers(**changes: list[str]) -> dict[str, list[str]]:
    """The wizard's fields for a calm assessment (self care), with some changed."""
    values = {
        "back_pain": ["3"],
        "leg_pain": ["5"],
        "side": ["left"],
        "area": ["buttock:left", "calf_back:left", "thigh_back:left"],
        "duration": ["8"],
        "duration_unit": ["weeks"],
        "first_episode": ["no"],
        "seen_clinician": ["yes"],
        "symptoms": ["tingling"],
        "aggravated_by": ["sitting"],
        "age": ["44"],
        "pregnant": ["no"],
        "pressure_preference": ["medium"],
        "rf_none": [g.id for g in RED_FLAG_GROUPS],  # "None of these" in every group
    }
    values.update(changes)
    ticked = {GROUP_OF[n[3:]].id for n, v in changes.items() if n[3:] in GROUP_OF and "yes" in v}
    values["rf_none"] = [g for g in values["rf_none"] if g not in ticked]
    return values


def test_the_assessment_pages_meet_wcag_aa(audit: Audit) -> None:
    driver = audit.driver
    audit.visit("/", "home")
    audit.visit("/assessment", "wizard step 1")
    driver.execute_script(FILL_FORM, "#wizard", answers(), False)
    for step in range(2, 7):
        click(driver, "#wizard-next")
        wait_for(driver, f".wizard-step[data-step='{step}'] h2")
        audit.check(f"wizard step {step}")
    audit.visit("/assessment", "wizard with the answers kept from last time")
    assert driver.find_element(By.ID, "restored-notice").is_displayed()

    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/js/*", "*/vendor/*"]})
    try:
        driver.get(driver.base_url + "/assessment")
        assert "no-js" in str(driver.find_element(By.TAG_NAME, "html").get_attribute("class"))
        audit.check("wizard without JavaScript (one long form)")
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        driver.execute_cdp_cmd("Network.disable", {})

    driver.get(driver.base_url + "/assessment")
    submit(driver, "#wizard", {"age": [""], "duration": ["a while"], "side": []})
    audit.check_errors("wizard with errors")

    for case, level, changes in (
        ("self care", "self_care", {}),
        ("see a clinician, provisional", "see_clinician", {"seen_clinician": ["no"]}),
        ("urgent", "urgent", {"rf_foot_drop": ["yes"]}),
        ("emergency", "emergency", {"rf_bladder_dysfunction": ["yes"]}),
    ):
        driver.get(driver.base_url + "/assessment")
        submit(driver, "#wizard", answers(**changes))
        assert f"triage--{level}" in str(wait_for(driver, ".triage").get_attribute("class"))
        audit.check(f"result: {case}")
        if level == "self_care":
            driver.execute_script(
                "document.querySelectorAll('main details').forEach(d => d.open = true);"
            )
            audit.check("result: self care, every fold open")
            driver.get(driver.base_url + href(driver, "a[href$='/brief']"))
            wait_for(driver, ".brief")
            audit.check("therapist brief")

    for case, level, changes in (
        ("stopped early: emergency", "emergency", {"rf_saddle_numbness": ["yes"]}),
        ("stopped early: urgent", "urgent", {"rf_fever": ["yes"]}),
    ):
        driver.get(driver.base_url + "/assessment")
        submit(driver, "#wizard", answers(**changes, age=[""]))  # steps 5 and 6 unanswered
        assert f"triage--{level}" in str(wait_for(driver, ".triage").get_attribute("class"))
        assert "You do not need to answer the other questions" in driver.page_source
        audit.check(f"result: {case}")

    driver.execute_script("window.localStorage.clear();")
    driver.get(driver.base_url + "/assessment")
    wait_for(driver, "#wizard-next")
    driver.execute_script(
        FILL_FORM, "#wizard", answers(area=["calf_back:left", "calf_back:right"]), False
    )
    click(driver, "#wizard-next")
    wait_for(driver, "#both-legs-question")
    audit.check("wizard step 2 asking the both-legs question")

    audit.visit("/signup", "sign-up")
    submit(driver, "form[action='/signup']", {"email": ["not an email"], "password": ["short"]})
    audit.check_errors("sign-up with errors")
    audit.visit("/login", "log-in")
    submit(driver, "form[action='/login']", {"email": ["nobody@example.org"], "password": ["x"]})
    audit.check_errors("log-in with errors")
    audit.visit("/therapist/signup", "therapist sign-up")
    submit(driver, "form[action='/therapist/signup']", {"email": ["t@example.org"]})
    audit.check_errors("therapist sign-up with errors")
    audit.visit("/privacy/erased", "account erased")
    audit.visit("/no/such/page", "page not found (mistyped address)")
    audit.assert_clean()


def test_the_therapist_and_admin_pages_meet_wcag_aa(
    audit: Audit, cast: dict[str, tuple[str, str]]
) -> None:
    driver = audit.driver
    log_in(driver, cast["therapist"])
    audit.visit("/therapist/clients", "therapist client list")
    submit(driver, "form[action='/therapist/invitations']")
    wait_for(driver, "#invite-link")
    audit.check("therapist client list with an invitation link")
    client = href(driver, ".client-card h3 a")
    audit.visit(client, "client page")
    note = href(driver, ".entry:has(.tag--amended) a[href^='/notes/']")
    audit.visit(note, "note with its history")
    audit.visit(note + "/edit", "note amendment form")
    submit(driver, "form.note-form", {"reason": [""], "plan": ["Review in two weeks."]})
    audit.check_errors("note amendment without a reason")
    audit.visit(client + "/notes/new", "new session note")
    submit(driver, "form.note-form", {"pressure": [], "duration_minutes": ["an hour"]})
    audit.check_errors("new session note with errors")
    audit.visit("/therapist/profile", "therapist profile")
    submit(driver, "form[action='/therapist/profile']", {"years_experience": ["many"]})
    audit.check_errors("therapist profile with errors")
    log_out(driver)

    log_in(driver, cast["admin"])
    audit.visit("/admin/therapists", "admin: therapists")
    log_out(driver)
    audit.assert_clean()


def test_the_client_pages_meet_wcag_aa(audit: Audit, cast: dict[str, tuple[str, str]]) -> None:
    driver = audit.driver
    log_in(driver, cast["new_therapist"])
    submit(driver, "form[action='/therapist/invitations']")
    invitation = str(wait_for(driver, "#invite-link").get_attribute("value"))
    code = wait_for(driver, ".share-box .share-code").text
    log_out(driver)

    log_in(driver, cast["client"])
    audit.visit("/dashboard", "dashboard")
    submit(driver, "form[action='/diary/quick']", {"leg_pain": ["4"]})
    audit.check_errors("dashboard quick log with errors")
    audit.visit("/diary/new", "check-in")
    submit(driver, "form.checkin", {"walk_minutes": ["-5"]})
    audit.check_errors("check-in with errors")
    audit.visit("/diary", "diary")
    edit = href(driver, ".entry a[href$='/edit']")
    audit.visit(edit, "check-in edit")
    audit.visit(edit.removesuffix("/edit") + "/safety-check", "safety check")
    submit(driver, "form.safety-check")
    audit.check_errors("safety check with errors")
    audit.visit("/trend", "trend")
    audit.visit("/trend?range=7", "trend, 7 days")
    audit.visit("/diary?page=2", "diary, an empty older page")
    audit.visit("/sbi", "weekly bothersomeness (SBI)")
    submit(driver, "form[action='/sbi']")
    audit.check_errors("weekly bothersomeness (SBI) with errors")
    audit.visit("/psfs", "activities you find hard (PSFS)")
    submit(driver, "form.psfs-form", {"activity_1": ["Sitting at work"]})
    audit.check_errors("activities you find hard (PSFS) with errors")
    audit.visit("/global-rating", "overall change (global rating)")
    submit(driver, "form[action='/global-rating']")
    audit.check_errors("overall change (global rating) with errors")
    audit.visit("/assessments", "assessment history")
    saved = href(driver, "table a[href^='/assessments/']")
    audit.visit(saved, "saved result")
    audit.visit(saved + "/brief", "saved therapist brief")
    audit.visit("/assessments/" + "0" * 32, "page not found")
    audit.visit("/share", "share by code")
    submit(driver, "form[action='/share/find']", {"code": ["NOPE-NOPE"]})
    audit.check_errors("share by code, unknown code")
    submit(driver, "form[action='/share/find']", {"code": [code]})
    audit.check("share: confirm what is shared")
    submit(driver, "form[action='/share']", {"scopes": []})
    audit.check_errors("share: nothing ticked")
    driver.get(invitation)
    audit.check("share by invitation link")
    audit.visit("/share/invite/not-a-real-token", "a broken invitation link")
    audit.visit("/sharing", "who can see my data")
    audit.visit("/privacy", "your data")
    audit.visit("/privacy/audit", "who looked at my record")
    audit.visit("/privacy/erase", "erase my account")
    submit(driver, "form[action='/privacy/erase']", {"password": ["wrong"], "confirm": ["no"]})
    audit.check_errors("erase my account with errors")
    audit.visit("/report", "report for the doctor")
    submit(driver, "form[action='/report.pdf']", {"questions": ["x" * 1001]})
    audit.check_errors("report for the doctor with errors")
    audit.visit("/report/links", "links for a clinician")
    submit(driver, "form[action='/report/links']", {"days": ["99"]})
    audit.check_errors("links for a clinician with errors")
    submit(driver, "form[action='/report/links']", {"days": ["3"]})
    link = str(wait_for(driver, "#new-link").get_attribute("value"))
    audit.check("links for a clinician with a new link")
    driver.get(link)
    audit.check("the report through a clinician link")
    read_in_korean(driver)  # other words in the menu's row and on the pages
    audit.visit("/dashboard", "dashboard in Korean")
    audit.visit("/diary", "diary in Korean")
    audit.assert_clean()
