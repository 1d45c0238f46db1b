"""Bytes a phone downloads: the compressed size of four pages and everything they link.

For home, the wizard, a result (the wizard's form sent with a calm case) and the signed-in
dashboard (the demo client), the page and every stylesheet, script, icon and manifest it links
are fetched from a uvicorn process on loopback with ``Accept-Encoding: gzip`` and the bytes
on the wire counted (headers left out). Each linked file is counted once per page, as a first
visit with an empty cache. Prints one line per page: HTML bytes, linked-file bytes, total.

Run: .venv/bin/python bench/bench_pages.py
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.migrate import upgrade  # noqa: E402
from sciatica_care.domain.vocabulary import RED_FLAGS  # noqa: E402
from sciatica_care.services.demo import load_demo  # noqa: E402

ENCODINGS = {"Accept-Encoding": "gzip"}
CALM_CASE: dict[str, str | list[str]] = {
    "back_pain": "3",
    "leg_pain": "5",
    "side": "left",
    "area": ["buttock:left", "calf_back:left", "thigh_back:left"],
    "duration": "8",
    "duration_unit": "weeks",
    "first_episode": "no",
    "seen_clinician": "yes",
    "symptoms": "tingling",
    "aggravated_by": "sitting",
    "age": "44",
    "pregnant": "no",
    "pressure_preference": "medium",
    **{f"rf_{flag}": "no" for flag in RED_FLAGS},
}


class Links(HTMLParser):
    """The static files a page links: stylesheets (not print-only), scripts, icons, manifest."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(str(a["src"]))
        elif tag == "link" and a.get("href") and a.get("media") != "print":
            rel = str(a.get("rel", ""))
            if rel in {"stylesheet", "icon", "manifest"}:
                self.urls.append(str(a["href"]))
        elif tag == "img" and a.get("src", "").startswith("/"):  # type: ignore[union-attr]
            self.urls.append(str(a["src"]))


def fetch(
    client: httpx.Client, url: str, form: dict[str, str | list[str]] | None = None
) -> tuple[str, int]:
    """The page's text and its body's size as sent (compressed if the server compressed it).
    A form is posted, following a redirect (post-redirect-get) to the page it leads to."""
    method = "POST" if form is not None else "GET"
    with client.stream(
        method, url, data=form, headers=ENCODINGS, follow_redirects=True
    ) as response:
        response.raise_for_status()
        raw = b"".join(response.iter_raw())
    body = gzip.decompress(raw) if response.headers.get("content-encoding") == "gzip" else raw
    return body.decode("utf-8", "replace"), len(raw)


def measure(
    client: httpx.Client, name: str, url: str, form: dict[str, str | list[str]] | None = None
) -> str:
    """Print the bytes of one page and the files it links; the page's text."""
    html, size = fetch(client, url, form)
    parser = Links()
    parser.feed(html)
    linked = 0
    for link in dict.fromkeys(parser.urls):
        try:
            linked += fetch(client, link)[1]
        except httpx.HTTPStatusError as error:  # a linked file that is not there costs a 404
            print(f"           {link}: {error.response.status_code}")
    print(f"{name:<10} html {size:>7} B   linked {linked:>7} B   total {size + linked:>7} B")
    return html


def token(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        people = {role: (email, password) for role, email, password in load_demo(url)}
        port = free_port()
        server = start_server(url, Path(tmp), port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                print("compressed bytes transferred, first visit (empty cache)")
                measure(client, "home", "/")
                wizard = measure(client, "wizard", "/assessment")
                measure(client, "result", "/assessment", {**CALM_CASE, "csrftoken": token(wizard)})
                login, _ = fetch(client, "/login")
                email, password = people["client"]
                form = {"email": email, "password": password, "csrftoken": token(login)}
                fetch(client, "/login", form)
                measure(client, "dashboard", "/dashboard")
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
