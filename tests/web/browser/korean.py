"""The Korean page check: a page shown in Korean at phone width has no English left in its main
content, and a screenshot of it is kept to look at (when screenshots are asked for: ``make
screenshots``).

English left is counted as Latin words in ``main`` (its text and the words a screen reader
says: ``aria-label``, ``placeholder``, ``title``, ``alt``), leaving out
- what a person wrote or a name, inside an element marked ``translate="no"`` (the HTML way of
  saying "not to be translated": names, email addresses, notes, bios, codes);
- ids and numbers (a word with a digit, ``_`` or ``-`` inside, such as ``CI-PREGNANCY``);
- the product's name and the abbreviations a Korean reader also writes in Latin letters
  (``ALSO_LATIN``).
"""

from __future__ import annotations

import re
from typing import Any

from tests.web.browser.conftest import KEEP_SCREENSHOTS, PHONE, SCREENSHOTS, whole_page_png

KOREAN_SCREENSHOTS = SCREENSHOTS / "ko"
PRODUCT_NAME = "Sciatica Care"
#: Written in Latin letters in Korean text too (each is how Korean health and web pages say it).
ALSO_LATIN = frozenset(
    {"PDF", "FHIR", "CSV", "ICS", "JSON", "ZIP", "URL", "HIV", "DVT", "MRI", "CT", "MS", "SOAP"}
    # The doctor's report names its outcome measures by their abbreviations too, as Korean
    # clinical writing does (there is no settled Korean name for the SBI).
    | {"SBI", "PSFS"}
    # The guideline bodies the Korean knowledge base cites by name (NICE, the American College
    # of Physicians) and the antidepressant classes it names: Korean health pages write them so.
    | {"NICE", "ACP", "SSRI", "SNRI"}
)

_TEXTS_OF_MAIN = """
const main = document.querySelector('main');
if (!main) { return null; }
const parts = [];
const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
const skip = (node) => node.closest('[translate="no"], script, style, template, noscript');
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!skip(node.parentElement)) { parts.push(node.textContent); }
}
for (const el of main.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
  if (skip(el)) { continue; }
  for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
    if (el.hasAttribute(name)) { parts.push(el.getAttribute(name)); }
  }
}
for (const el of main.querySelectorAll('input[type=submit], input[type=button]')) {
  if (!skip(el)) { parts.push(el.value); }
}
return parts.join(' ');
"""

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’.-]*")


def latin_words(text: str) -> list[str]:
    """The English words of ``text`` by the rules above (ids, numbers, the product's name and
    the abbreviations Korean also writes in Latin letters left out)."""
    text = text.replace(PRODUCT_NAME, " ")
    words = []
    for match in _WORD.finditer(text):
        word = match.group().rstrip(".'’-")
        if any(ch.isdigit() or ch in "_-" for ch in word):
            continue
        if word.upper() == word and word in ALSO_LATIN:
            continue
        if len(word) == 1 and word.isupper():
            continue  # a single letter: a list mark, a grade (A, B) or a unit
        words.append(word)
    return words


def english_left(driver: Any) -> list[str]:
    """The Latin words in the main content of the page ``driver`` shows."""
    text = driver.execute_script(_TEXTS_OF_MAIN)
    assert text is not None, f"{driver.current_url} has no <main>"
    return latin_words(str(text))


def read_in_korean(driver: Any) -> None:
    """From now on the browser reads the site in Korean at phone width (the language cookie, as
    the switch sets it). Call it after the browser is at a page of the site."""
    driver.add_cookie({"name": "sc_lang", "value": "ko", "path": "/"})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
    )


def assert_all_korean(driver: Any, name: str) -> None:
    """Check that the page shows no English in its main content, and keep a phone-width
    screenshot of it as artifacts/screenshots/ko/NAME.png (whether or not it passes) when
    screenshots are asked for (KEEP_SCREENSHOTS)."""
    keep_screenshot(driver, name)
    assert driver.execute_script("return document.documentElement.lang;") == "ko"
    left = english_left(driver)
    assert not left, f"{name} ({driver.current_url}) shows English: {sorted(set(left))}"


def keep_screenshot(driver: Any, name: str) -> None:
    """The whole page at phone width (the Korean pages' window) as
    artifacts/screenshots/ko/NAME.png, when screenshots are asked for."""
    if not KEEP_SCREENSHOTS:
        return
    KOREAN_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (KOREAN_SCREENSHOTS / f"{name}.png").write_bytes(whole_page_png(driver, PHONE[0]))
