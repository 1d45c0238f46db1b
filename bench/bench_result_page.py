"""Result page figures: height and words of the default (unfolded) view of a typical result.

Opens a running server in Debian's chromium at a phone's 390 × 844 (and 1280 wide), sends the
wizard's form for one typical case (below) with the page's CSRF token, follows wherever the
server answers (today a POST-redirect-GET to the result's address) and prints:
- page height in CSS px and in phone screens (844 px);
- words shown before anything is unfolded (``innerText`` of <main>: closed <details> excluded);
- how far down the first technique's name sits, and whether the three things to do today and
  the "Save my plan" button are within the first screen;
- how many "Sources" toggles there are, and how many <details> folds;
- the result's address (whether reload keeps it).
Screenshots (full page) go to --shots (default artifacts/screenshots/bench-result-*.png).

Run: .venv/bin/python bench/bench_result_page.py (starts the app on a free port with a temp
SQLite file), or --base-url http://127.0.0.1:8000 to measure a server already running.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from sciatica_care.domain.vocabulary import RED_FLAGS

#: The typical case: nerve-root signs and a tight buttock, eight weeks, seen by a clinician.
TYPICAL: dict[str, Any] = {
    "back_pain": "4",
    "leg_pain": "6",
    "side": "left",
    "area": ["lower_back:left", "buttock:left", "thigh_back:left", "calf_back:left"],
    "duration": "8",
    "duration_unit": "weeks",
    "trend": "stable",
    "first_episode": "no",
    "seen_clinician": "yes",
    "diagnosis": "unknown",
    "symptoms": ["tingling", "muscle_tightness"],
    "aggravated_by": ["sitting"],
    "age": "45",
    "pregnant": "no",
    "pressure_preference": "medium",
    "goals": ["pain_relief"],
}
_SUBMIT = """
const fields = arguments[0];
const form = document.createElement('form');
form.method = 'post'; form.action = '/assessment';
const token = document.querySelector('input[name=csrftoken]').value;
fields.push(['csrftoken', token]);
for (const [name, value] of fields) {
  const input = document.createElement('input');
  input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
}
document.body.appendChild(form); form.submit();
"""

_MEASURE = """
const main = document.querySelector('main');
const words = main.innerText.split(/\\s+/).filter(Boolean).length;
const first = document.querySelector('.glance__best a, #techniques h3, .card h3');
const top = el => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
const bottom = el => el ? Math.round(el.getBoundingClientRect().bottom + window.scrollY) : null;
const save = [...document.querySelectorAll('button, a.button')].find(
  b => /Save (my plan|and track)/.test(b.textContent));
const today = document.querySelector('.glance__today');
return {
  height: document.documentElement.scrollHeight,
  words: words,
  first_technique_top: top(first),
  today_bottom: bottom(today),
  save_top: top(save),
  sources_toggles: [...document.querySelectorAll('summary')].filter(
    s => /^Sources/.test(s.textContent.trim())).length,
  folds: document.querySelectorAll('details').length,
  address: location.pathname,
};
"""


def _driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tempfile.mkdtemp(prefix='bench-result-')}",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def _fields() -> list[list[str]]:
    out: list[list[str]] = []
    for name, value in TYPICAL.items():
        for v in value if isinstance(value, list) else [value]:
            out.append([name, v])
    out += [[f"rf_{flag}", "no"] for flag in RED_FLAGS]
    return out


def measure(base_url: str, width: int, height: int, shot: Path) -> dict[str, Any]:
    """Open the typical result at ``width`` × ``height`` and return its figures."""
    driver = _driver()
    try:
        driver.set_window_size(width, height)
        # The window's inner size is what the page sees: make it exactly width × height.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        driver.get(f"{base_url}/assessment")
        driver.execute_script(_SUBMIT, _fields())
        driver.implicitly_wait(10)
        driver.find_element("css selector", "#triage")
        figures: dict[str, Any] = driver.execute_script(_MEASURE)
        figures["screens"] = round(figures["height"] / 844, 1)
        # A result answered straight to the POST has no address: reloading it resends the form.
        figures["survives_reload"] = False
        if figures["address"] != "/assessment":
            driver.refresh()
            driver.find_element("css selector", "#triage")
            figures["survives_reload"] = (
                driver.execute_script("return location.pathname") == figures["address"]
            )
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(int(full) + 200, 16000))
        shot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(shot))
        return figures
    finally:
        driver.quit()


@contextmanager
def own_server() -> Iterator[str]:
    """The app under ``sciatica-care serve`` on a free loopback port, with a temp data dir."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    data = tempfile.mkdtemp(prefix="bench-result-data-")
    cli = os.path.join(os.path.dirname(sys.executable), "sciatica-care")
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port)],
        env={**os.environ, "SCIATICA_CARE_DATA_DIR": data},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)  # waiting for the server to listen (not a measurement)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a running server (default: start one)")
    parser.add_argument("--label", default="now", help="a word for the screenshot names")
    parser.add_argument("--shots", type=Path, default=Path("artifacts/screenshots"))
    args = parser.parse_args()
    if args.base_url:
        _report(args.base_url.rstrip("/"), args.label, args.shots)
    else:
        with own_server() as base_url:
            _report(base_url, args.label, args.shots)


def _report(base_url: str, label: str, shots: Path) -> None:
    for width, height in ((390, 844), (1280, 900)):
        shot = shots / f"bench-result-{label}-{width}.png"
        figures = measure(base_url, width, height, shot)
        print(json.dumps({"viewport": f"{width}x{height}", **figures, "screenshot": str(shot)}))


if __name__ == "__main__":
    main()
