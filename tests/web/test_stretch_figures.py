"""Every stretch in the knowledge base has a line drawing, shown with a text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from starlette.requests import Request

from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.templating import static_url, templates

STRETCHES = [item.id for item in knowledge_base().self_care if item.kind == "stretch"]
DRAWINGS = Path(__file__).parents[2] / "src/sciatica_care/web/static/img/stretches"
SVG = "{http://www.w3.org/2000/svg}"


def figure(stretch_id: str) -> str:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    template = templates.env.from_string(
        '{% include "partials/stretch_figure.html" ignore missing %}'
    )
    return template.render(request=request, stretch_id=stretch_id)


def test_there_are_stretches_to_draw() -> None:
    assert len(STRETCHES) >= 5


@pytest.mark.parametrize("stretch_id", STRETCHES)
def test_each_stretch_has_a_clean_svg_drawing(stretch_id: str) -> None:
    root = ET.parse(DRAWINGS / f"{stretch_id}.svg").getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 240 160"
    assert root.find(f"{SVG}title") is not None
    text = (DRAWINGS / f"{stretch_id}.svg").read_text()
    for made_elsewhere in ("<script", "<image", "href=", "<foreignObject"):
        assert made_elsewhere not in text, made_elsewhere


@pytest.mark.parametrize("stretch_id", STRETCHES)
def test_the_figure_shows_the_drawing_with_a_text_alternative(stretch_id: str) -> None:
    html = figure(stretch_id)
    assert f'src="{static_url(f"img/stretches/{stretch_id}.svg")}"' in html
    alt = html.split('alt="', 1)[1].split('"', 1)[0]
    assert alt.startswith("Drawing: ") and len(alt) > 30
    assert 'width="240" height="160"' in html, "no layout shift while it loads"


def test_an_item_that_is_not_a_stretch_shows_no_figure() -> None:
    assert figure("SC-HEAT").strip() == ""
