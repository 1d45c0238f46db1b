"""Browser fixtures: a real uvicorn server on loopback with a temp SQLite file, and chromium.

The browser tests skip when Debian's chromium or chromedriver is missing, unless
SCIATICA_CARE_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails the run.
"""

from __future__ import annotations

import base64
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from sciatica_care.config import Settings
from sciatica_care.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
#: Screenshots are kept only when asked for (``make screenshots``, or this variable set to 1):
#: they are for people to look at, not checks, and drawing each page whole at two widths took
#: about a tenth of chromium's CPU time in a run of the suite.
KEEP_SCREENSHOTS = os.environ.get("SCIATICA_CARE_SCREENSHOTS") == "1"
PHONE = (390, 844)
DESKTOP = (1280, 900)
# Seconds any wait for the browser gives up after: generous, as the machine may be busy (the
# waits end as soon as what they wait for is there, so a quiet machine does not pay for it).
WAIT = 20
# Seconds between two looks of a wait. Selenium's default (0.5 s) made every page change cost
# half a second even when the page was there at once; a look is a cheap call to chromedriver.
POLL = 0.05


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session", autouse=True)
def quick_waits() -> Iterator[None]:
    """Every ``WebDriverWait`` of the browser tests looks again every POLL seconds (unless it
    names its own interval): the waits are the same conditions with the same time limits."""
    looks_every = WebDriverWait.__init__

    def init(
        self: WebDriverWait[Any],
        driver: Any,
        timeout: float,
        poll_frequency: float = POLL,
        ignored_exceptions: Any = None,
    ) -> None:
        looks_every(self, driver, timeout, poll_frequency, ignored_exceptions)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WebDriverWait, "__init__", init)
        yield


@pytest.fixture(scope="session")
def live_settings() -> Settings:
    """Settings of the browser-test server: a temp SQLite file of its own."""
    data_dir = tempfile.mkdtemp(prefix="sciatica-care-browser-")
    return Settings(
        data_dir=Path(data_dir),
        database_url=f"sqlite:///{data_dir}/browser.db",
        environment="test",
        secret_key="browser-tests-secret-key-0123456789abcdef",  # type: ignore[arg-type]
    )


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The whole app on ``settings`` served by uvicorn in a thread; yields its base URL."""
    port = _free_port()
    # Links sent out (invitations) are built on the public base URL: this server's address.
    public = settings.model_copy(update={"public_base_url": f"http://127.0.0.1:{port}"})
    app = create_app(public)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """The browser-test server (SQLite); yields its base URL."""
    with serving(live_settings) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless chromium for the session (each test starts from a clean state)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "Debian's chromium and chromedriver are needed for the browser tests"
        if os.environ.get("SCIATICA_CARE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="sciatica-care-chromium-")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # No scroll is animated (the site scrolls smoothly only for people who have not asked
        # for less motion): a control a test has scrolled to stays where it is until it is
        # clicked. Under load, the wizard's smooth scroll to a new step's title once carried
        # its Next button out of view between the test's scroll and its click.
        "--force-prefers-reduced-motion",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium: Any, live_server: str) -> Iterator[Any]:
    """The browser at the app's front page, with no cookies and no saved answers."""
    yield from fresh_browser(chromium, live_server)


def fresh_browser(chromium: Any, base_url: str) -> Iterator[Any]:
    """``chromium`` at the front page of the server at ``base_url``, with no cookies and no
    saved answers (the body of a ``browser`` fixture)."""
    chromium.get(base_url + "/")
    chromium.delete_all_cookies()
    chromium.execute_script("window.localStorage.clear();")
    chromium.base_url = base_url
    yield chromium
    chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def whole_page_png(driver: Any, width: int) -> bytes:
    """The whole page, ``width`` wide, as PNG, drawn by chromium's own capture in one call (an
    element's screenshot, selenium's, could wait on the renderer past its 10 s when the machine
    was busy)."""
    full = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": int(full), "scale": 1},
        },
    )
    return base64.b64decode(shot["data"])


def screenshot(
    driver: Any,
    name: str,
    folder: Path = SCREENSHOTS,
    sizes: tuple[tuple[str, tuple[int, int]], ...] = (("phone", PHONE), ("desktop", DESKTOP)),
) -> list[Path]:
    """Save the whole page at each of ``sizes`` (phone and desktop unless told; all but desktop
    as a mobile device) as NAME-LABEL.png in ``folder`` (artifacts/screenshots/ unless told),
    when screenshots are asked for (KEEP_SCREENSHOTS)."""
    if not KEEP_SCREENSHOTS:
        # The page is left as a screenshot leaves it: at the window's own size.
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return []
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, (width, height) in sizes:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": label != "desktop",
            },
        )
        path = folder / f"{name}-{label}.png"
        path.write_bytes(whole_page_png(driver, width))
        saved.append(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return saved


def heading_reads(text: str, *, exact: bool = True) -> Any:
    """A wait condition: the page's ``h1`` reads ``text`` (or holds it, ``exact=False``).

    Right after a click the previous page may still be showing: its heading going stale while
    the next page loads is part of waiting, not a failure, so the check simply asks again.
    """

    def reads(driver: Any) -> bool:
        try:
            shown = str(driver.find_element(By.CSS_SELECTOR, "h1").text)
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            if went_with_its_page(error):
                return False
            raise
        return shown == text if exact else text in shown

    return reads


def page_replaced(old: Any) -> Any:
    """A wait condition: the document that held ``old`` has been replaced by the next page.

    Selenium's ``staleness_of`` asks the old node a question and expects a stale-element error
    once the page has gone. While the next document is being swapped in, chromium sometimes
    answers "Node with given id does not belong to the document" instead (an 'unknown error').
    That answer means the same thing, so it counts as gone; anything else is raised.
    """

    def gone(_driver: Any) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if went_with_its_page(exc):
                return True
            raise
        return False

    return gone


def went_with_its_page(error: WebDriverException) -> bool:
    """Chromium's other way of saying "stale element": the node belonged to a document that is
    being replaced by the next page (an 'unknown error', not a StaleElementReferenceException)."""
    return "does not belong to the document" in str(error) or "No node with given id" in str(error)


def wait_for(driver: Any, css: str, timeout: float = WAIT) -> Any:
    """Wait until an element matching ``css`` is shown; return it.

    An element found in a page that is going away counts as not yet found: the search starts
    again in the page that replaces it. After a click that leaves the page, use
    ``click_and_wait`` first, so that an element the old page also has is never the one found.
    """

    def shown(driver: Any) -> Any:
        try:
            element = driver.find_element(By.CSS_SELECTOR, css)
            return element if element.is_displayed() else False
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            if went_with_its_page(error):
                return False
            raise

    return WebDriverWait(driver, timeout).until(shown, f"nothing shown matches {css!r}")


#: Where an element is in the window, or null while its middle (where a click lands) is outside.
_IN_VIEW = """
const box = arguments[0].getBoundingClientRect();
const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
const inside = x >= 0 && y >= 0 && x < window.innerWidth && y < window.innerHeight;
return inside ? [box.left, box.top, box.width, box.height] : null;
"""


def click(driver: Any, css: str) -> None:
    """Click the element matching ``css`` on the page as it is (no page is left: a control of
    the same page, a fold), once it is in the window and has stayed where it is between two
    looks. For a link or button that opens another page use click_and_wait."""
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    seen: list[Any] = [None]

    def still_in_view(driver: Any) -> bool:
        where = driver.execute_script(_IN_VIEW, element)
        settled = where is not None and where == seen[0]
        seen[0] = where
        return settled

    WebDriverWait(driver, WAIT).until(still_in_view, f"{css!r} did not stay in the window")
    element.click()


def page_loaded(driver: Any) -> bool:
    """A wait condition: the current document has finished loading."""
    try:
        return bool(driver.execute_script("return document.readyState === 'complete';"))
    except WebDriverException as error:
        if went_with_its_page(error):
            return False
        raise


def click_and_wait(driver: Any, css: str) -> None:
    """Click a link or button that opens another page (or the same one sent back, as a form
    with errors) and wait until that page has replaced this one and finished loading. Nothing
    of the old page can be found afterwards: every later search is in the new page (wait for
    its heading with ``heading_reads`` where the test needs to know which page it is)."""
    old = driver.find_element(By.TAG_NAME, "html")
    click(driver, css)
    wait = WebDriverWait(driver, WAIT)
    wait.until(page_replaced(old), f"the page did not change after clicking {css!r}")
    wait.until(page_loaded, "the next page did not finish loading")


def add_therapist(
    db: Any, settings: Settings, *, email: str, password: str, display_name: str, profile: Any
) -> None:
    """A therapist who signed up (unverified profile) and confirmed their email address."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from sciatica_care.db.tables import User
    from sciatica_care.services import therapists

    therapists.register_therapist(
        db,
        settings=settings,
        email=email,
        password=password,
        display_name=display_name,
        profile=profile,
    )
    db.execute(update(User).where(User.email == email).values(email_verified_at=datetime.now(UTC)))
    db.commit()


def booking_scene(
    database: Any,
    settings: Settings,
    *,
    client: str,
    therapist: str,
    profile: dict[str, Any],
    password: str,
) -> str:
    """A therapist ("Theo", in New York) who confirms new clients' requests, with a diary open
    every day from two hours ahead, and a client ("Cara", in London); returns the therapist's
    user id."""
    from sqlalchemy import select, update
    from tests.booking_setup import open_diary

    from sciatica_care.db.tables import User
    from sciatica_care.services import accounts

    with database.session() as db:
        add_therapist(
            db, settings, email=therapist, password=password, display_name="Theo", profile=profile
        )
        person = accounts.create_user(
            db, email=client, password=password, time_zone="Europe/London"
        )
        person.display_name = "Cara"
        db.execute(update(User).where(User.email == therapist).values(time_zone="America/New_York"))
        db.commit()
        person.email_verified_at = person.created_at
        therapist_id: str = db.scalars(select(User.id).where(User.email == therapist)).one()
        db.commit()
        # Two hours' notice: the first free time stays in the future however slowly a busy
        # machine runs the test (with none, the first time could start while the test still
        # wanted to move it), and it is still well inside the 24-hour cancellation window.
        open_diary(db, therapist_id, new_clients="request", min_notice_hours=2)
    return therapist_id
