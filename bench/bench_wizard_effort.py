"""Drive the assessment wizard in chromium as a typical person and print the effort per step.

The typical person (issue 10): back pain 4, leg pain 6 in the left leg, felt in the buttock,
the back of the thigh and the back of the calf; tingling and shooting pain for 6 weeks, about
the same, not the first time, seen by a doctor, worse with sitting and bending forward; no red
flag; 45, female, not pregnant, no condition or medicine; medium pressure and pain relief (the
defaults); has had Swedish massage, which helped.

For each step it prints the taps (clicks and taps on controls, including Next and the final
"See my result"; typing a number counts as one tap plus its keys) and the words seen in the step
(visible text with a letter in it: not the numbers of the pain scale, not the closed options of
a drop-down list, not text for screen readers only), then an estimated time: 2 s per tap plus
every word seen read once, at 200 words a minute (careful reading: an upper bound) and at 350
(skimming a list of short items). It drives whichever wizard the server runs, so the same script
measures the wizard before and after issue 10:

    .venv/bin/python bench/bench_wizard_effort.py                     # starts this checkout
    .venv/bin/python bench/bench_wizard_effort.py --url http://127.0.0.1:8000

Asserts nothing; prints figures.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

SECONDS_PER_TAP = 2.0
WORDS_PER_MINUTE = (200, 350)


@dataclass
class Step:
    title: str
    words: int
    taps: int = 0
    keys: int = 0
    notes: list[str] = field(default_factory=list)


class Person:
    """Counts what a person does while driving the page."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.taps = 0
        self.keys = 0

    def has(self, css: str) -> bool:
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def tap(self, css: str) -> None:
        element = self.driver.find_element(By.CSS_SELECTOR, css)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
        )
        element.click()
        self.taps += 1

    def type(self, css: str, text: str) -> None:
        self.tap(css)
        self.driver.find_element(By.CSS_SELECTOR, css).send_keys(text)
        self.keys += len(text)


#: The words a sighted person sees in the step on screen: visible text (a closed list's options
#: and text only for screen readers left out), counting only tokens with a letter (not 0-10).
VISIBLE_WORDS = """
const step = Array.from(document.querySelectorAll('.wizard-step'))
  .find((s) => !s.hidden && s.offsetParent !== null);
if (!step) { return ['', 0]; }
const texts = [];
const walker = document.createTreeWalker(step, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const el = walker.currentNode.parentElement;
  if (!el || el.closest('select, title, .visually-hidden, [hidden], script')) { continue; }
  if (!el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) { continue; }
  texts.push(walker.currentNode.textContent);
}
step.querySelectorAll('select').forEach((s) => texts.push(s.options[s.selectedIndex].text));
const words = texts.join(' ').split(/\\s+/).filter((w) => /[A-Za-z]/.test(w));
return [step.querySelector('h2').innerText, words.length];
"""


def words_of_visible_step(driver: Any) -> tuple[str, int]:
    title, words = driver.execute_script(VISIBLE_WORDS)
    return " ".join(str(title).split()), int(words)


def fill_step(person: Person, number: int) -> None:
    """What the typical person does on step ``number`` of either wizard."""
    if number == 1:
        person.tap("label[for='field-back_pain-4']")
        person.tap("label[for='field-leg_pain-6']")
        person.tap("label[for='field-side']")
    elif number == 2:
        for value in ("buttock:left", "thigh_back:left", "calf_back:left"):
            new_map = f"input[name='area'][value='{value}'].zone__input"
            person.tap(new_map if person.has(new_map) else f".zone[data-value='{value}']")
    elif number == 3:
        person.tap("label[for='field-symptoms-tingling']")
        person.tap("label[for='field-symptoms-shooting']")
        person.type("#field-duration_weeks", "6")
        person.tap("label[for='field-trend-stable']")
        person.tap("label[for='field-first_episode-no']")
        person.tap("label[for='field-seen_clinician']")
        person.tap("label[for='field-aggravated_by']")
        person.tap("label[for='field-aggravated_by-bending_forward']")
    elif number == 4:
        nones = person.driver.find_elements(By.CSS_SELECTOR, "input.checklist__none")
        if nones:
            for box in nones:
                person.tap(f"label[for='{box.get_attribute('id')}']")
        else:  # before: a yes/no question each
            for radio in person.driver.find_elements(By.CSS_SELECTOR, "input[name^='rf_']"):
                if radio.get_attribute("value") == "no" and radio.is_displayed() is not None:
                    person.tap(f"label[for='{radio.get_attribute('id')}']")
    elif number == 5:
        person.type("#field-age", "45")
        person.tap("label[for='field-sex']")
        if person.has("label[for='field-pregnant-no']"):  # before: a yes/no question
            person.tap("label[for='field-pregnant-no']")
    elif number == 6:
        if person.has("input.prior__had"):
            person.tap("label[for='field-prior_response']")  # had Swedish massage
            person.tap("label[for='field-prior-swedish']")  # it helped
        else:
            person.tap("label[for='field-prior-swedish-helped']")


def drive(url: str) -> tuple[list[Step], int, str]:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,844"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url + "/assessment")
        driver.execute_script("window.localStorage.clear();")
        driver.get(url + "/assessment")
        intro = len(driver.find_element(By.CSS_SELECTOR, "p.lead").text.split())
        person = Person(driver)
        steps: list[Step] = []
        for number in range(1, 7):
            title, words = words_of_visible_step(driver)
            before = (person.taps, person.keys)
            fill_step(person, number)
            person.tap("#wizard-next" if number < 6 else "#wizard-submit")
            steps.append(Step(title, words, person.taps - before[0], person.keys - before[1]))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not driver.find_elements(By.CSS_SELECTOR, ".triage"):
            time.sleep(0.05)
        banner = driver.find_elements(By.CSS_SELECTOR, ".triage")
        outcome = str(banner[0].get_attribute("class")) if banner else "no result page"
        return steps, intro, outcome
    finally:
        driver.quit()


@contextmanager
def this_checkout() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("sciatica-care")), "serve", "--port", str(port),
             "--database-url", f"sqlite:///{data}/bench.db"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/assessment", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(10)


def report(steps: list[Step], intro: int, outcome: str) -> None:
    print(f"{'step':<32} {'taps':>5} {'keys':>5} {'words':>6}")
    for n, s in enumerate(steps, 1):
        print(f"{n}. {s.title[:29]:<29} {s.taps:>5} {s.keys:>5} {s.words:>6}")
    taps = sum(s.taps for s in steps)
    keys = sum(s.keys for s in steps)
    words = intro + sum(s.words for s in steps)
    total = f"total (with the intro, {intro} words)"
    print(f"{total:<32} {taps:>5} {keys:>5} {words:>6}")
    for rate in WORDS_PER_MINUTE:
        seconds = taps * SECONDS_PER_TAP + words / rate * 60
        print(f"estimated time at {rate} words a minute: {seconds / 60:.1f} min")
    print(f"result: {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", help="a running server (default: start this checkout)")
    args = parser.parse_args()
    if args.url:
        report(*drive(args.url.rstrip("/")))
    else:
        with this_checkout() as url:
            report(*drive(url))


if __name__ == "__main__":
    main()
