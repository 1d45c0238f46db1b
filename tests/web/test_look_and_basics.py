"""The basics every page stands on: error pages with the site's look (JSON under /api), gzip
where no secret is in the body, static files named by their content and cached for a year, the
icons and the web manifest, and htmx loaded by no page unless it asks for it."""

from __future__ import annotations

import gc
import gzip
import json
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care import i18n
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.app import settle_heap
from sciatica_care.web.compression import may_compress
from sciatica_care.web.static_files import IMMUTABLE, HashedStaticFiles, StaticAssets
from sciatica_care.web.templating import static_url

GZIP = {"Accept-Encoding": "gzip"}
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def assert_secure(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name in SECURITY_HEADERS:
        assert name in headers, name


def wire(client: TestClient, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (still compressed)."""
    with client.stream("GET", path, headers={**GZIP, **headers}) as response:
        raw = b"".join(response.iter_raw())
        return response.status_code, dict(response.headers), raw


# --- error pages -----------------------------------------------------------------------------


def test_the_app_puts_what_it_made_at_start_out_of_the_collectors_sight(app: FastAPI) -> None:
    """The knowledge base and the app's own objects are frozen once the app has started (a full
    collection walking them had stalled requests for about 200 ms)."""
    settle_heap.cache_clear()  # once per process: this test's app starts it again
    frozen_before = gc.get_freeze_count()
    with TestClient(app) as started:
        assert started.get("/api/v1/ping").status_code == 200
        assert gc.get_freeze_count() > frozen_before
        assert knowledge_base.cache_info().currsize >= len(i18n.LANGUAGES)


def test_a_mistyped_address_answers_the_not_found_page(client: TestClient) -> None:
    response = client.get("/dashbord")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1" in response.text and "Page not found" in response.text
    assert 'class="site-header"' in response.text, "the site's look, with its menu"
    assert '"detail"' not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert_secure(response)


def test_a_signed_in_person_keeps_their_menu_on_the_not_found_page(alice: TestClient) -> None:
    page = alice.get("/no/such/page").text
    assert 'href="/dashboard"' in page and 'action="/logout"' in page


def test_the_api_keeps_its_json_errors(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]
    assert_secure(response)


def test_a_wrong_method_on_a_page_answers_a_page(client: TestClient) -> None:
    response = client.put("/")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "This page cannot do that" in response.text
    assert "allow" in response.headers
    assert_secure(response)
    api = client.put("/api/v1/ping")
    assert api.status_code == 405 and api.headers["content-type"] == "application/json"


def test_a_server_error_answers_a_page_that_says_nothing_of_the_cause(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret cause 1234")

    @app.get("/api/v1/boom")
    def api_boom() -> None:
        raise RuntimeError("secret cause 1234")

    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/boom")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in page.text and "<h1" in page.text
    assert "secret cause" not in page.text
    assert_secure(page)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and "detail" in api.json()
    assert "secret cause" not in api.text
    assert_secure(api)


# --- compression -----------------------------------------------------------------------------


def test_static_text_files_are_gzipped(client: TestClient) -> None:
    status, headers, raw = wire(client, static_url("css/site.css"))
    assert status == 200 and headers["content-encoding"] == "gzip"
    css = (Path(__file__).parents[2] / "src/sciatica_care/web/static/css/site.css").read_bytes()
    assert gzip.decompress(raw) == css and len(raw) < len(css) / 2
    assert "accept-encoding" in headers["vary"].lower()


def test_a_public_page_without_a_secret_is_gzipped(client: TestClient) -> None:
    status, headers, raw = wire(client, "/")
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert b"Start the assessment" in gzip.decompress(raw)
    status, headers, raw = wire(client, "/no-such-page")
    assert status == 404 and headers.get("content-encoding") == "gzip"


@pytest.mark.parametrize("path", ["/assessment", "/login", "/signup"])
def test_a_page_with_a_csrf_token_is_not_compressed(client: TestClient, path: str) -> None:
    """BREACH: a secret next to text an attacker can echo back is not compressed."""
    status, headers, raw = wire(client, path)
    assert status == 200 and "content-encoding" not in headers
    assert b'name="csrftoken"' in raw


def test_pages_seen_signed_in_are_not_compressed(alice: TestClient) -> None:
    for path in ("/dashboard", "/", "/settings", "/no-such-page"):
        _status, headers, raw = wire(alice, path)
        assert "content-encoding" not in headers, path
        assert b"<html" in raw, path


def test_the_api_compresses_for_bearer_tokens_but_not_for_cookies() -> None:
    scope = {"type": "http", "path": "/api/v1/diary", "headers": []}
    assert may_compress(scope)
    with_cookie = {**scope, "headers": [(b"cookie", b"sc_session=x")]}
    assert not may_compress(with_cookie)
    static = {**with_cookie, "path": "/static/css/site.css"}
    assert may_compress(static)


# --- static files ----------------------------------------------------------------------------


def test_pages_link_static_files_by_their_content_hash(client: TestClient) -> None:
    html = client.get("/").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links, "the page links its static files"
    for link in links:
        assert re.search(r"\.[0-9a-f]{10}\.[a-z]+$", link), link
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["cache-control"] == IMMUTABLE, link
        assert_secure(response)


def test_a_plain_static_name_is_revalidated_not_cached_for_a_year(client: TestClient) -> None:
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache" and "etag" in response.headers


def test_an_old_hash_gets_the_current_file_without_the_year_long_cache(
    client: TestClient,
) -> None:
    response = client.get("/static/css/site.0123456789.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert client.get("/static/css/nothing.0123456789.css").status_code == 404


def test_a_changed_file_gets_a_new_address(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    style = tmp_path / "css" / "site.css"
    style.write_text("body { color: black; }")
    before = StaticAssets(tmp_path).url("css/site.css")
    style.write_text("body { color: navy; }")
    after = StaticAssets(tmp_path)
    assert before != after.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{10}\.css", after.url("css/site.css"))
    assert after.url("css/missing.css") == "/static/css/missing.css"

    files = FastAPI()
    files.mount("/static", HashedStaticFiles(after))
    client = TestClient(files)
    assert client.get(after.url("css/site.css")).text == "body { color: navy; }"
    stale = client.get(before)
    assert stale.text == "body { color: navy; }" and stale.headers["cache-control"] == "no-cache"


def test_the_icons_and_the_web_manifest_are_served(client: TestClient) -> None:
    html = client.get("/").text
    favicon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html)
    manifest = re.search(r'<link rel="manifest" href="([^"]+)">', html)
    assert favicon and touch and manifest
    assert client.get(favicon[1]).headers["content-type"].startswith("image/svg+xml")
    assert client.get(touch[1]).content.startswith(b"\x89PNG")
    response = client.get(manifest[1])
    assert response.headers["content-type"].startswith("application/manifest+json")
    data = json.loads(response.text)
    assert data["name"] == "Sciatica Care" and data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:  # relative to the manifest's own address
        icon_response = client.get("/static/" + icon["src"])
        assert icon_response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width = int.from_bytes(icon_response.content[16:20], "big")
            assert f"{width}x{width}" == icon["sizes"]


def test_no_page_loads_htmx_but_it_stays_vendored(client: TestClient) -> None:
    for path in ("/", "/assessment", "/login", "/no-such-page"):
        assert "htmx" not in client.get(path).text, path
    assert client.get(static_url("vendor/htmx.min.js")).status_code == 200
