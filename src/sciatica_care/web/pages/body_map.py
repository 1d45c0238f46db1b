"""The tap-to-mark body map: where each region of the vocabulary is drawn, per view and side.

The figure (``partials/silhouette.html``) is drawn in a 160 x 410 box (the page shows x 10 to
150). Every region of ``REGIONS`` appears exactly once per side, on the back or the front view,
so each (region, side) pair is one checkbox: the box below is its touch target, and the part of
the body inside the box is the shape that is filled when it is marked. Each box is at least
``MIN_TARGET`` units on each side, which is 24 CSS px or more with both views side by side on a
320 px wide screen (WCAG 2.2 target size). The back view shows the person from behind (their
left on the viewer's left); the front view faces the viewer (their left on the viewer's right).
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_care import i18n
from sciatica_care.domain.vocabulary import REGIONS, label
from sciatica_care.web.templating import region_side_label

Box = tuple[int, int, int, int]

#: (x, y, width, height) of each region on the viewer's LEFT half: the person's left from
#: behind, the person's right from the front. Side regions reach out beside the leg so that
#: their target is as big as the others.
_BACK: dict[str, Box] = {
    "lower_back": (54, 136, 26, 40),
    "hip_side": (20, 170, 30, 44),
    "buttock": (50, 176, 30, 40),
    "thigh_back": (50, 216, 30, 68),
    "knee_back": (52, 284, 28, 25),
    "calf_back": (52, 309, 28, 50),
    "heel": (55, 359, 25, 25),
    "foot_sole": (55, 384, 25, 25),
}
_FRONT: dict[str, Box] = {
    "groin": (55, 184, 25, 30),
    "thigh_side": (20, 214, 30, 70),
    "thigh_front": (50, 214, 30, 70),
    "calf_side": (28, 309, 27, 50),
    "shin": (55, 309, 25, 50),
    "foot_top": (55, 359, 25, 25),
    "toes": (55, 384, 25, 25),
}
WIDTH = 160
HEIGHT = 410
MIN_TARGET = 25


@dataclass(frozen=True, slots=True)
class Zone:
    """One toggle on the map: a region on one side, where it is drawn and what it is called."""

    region: str
    side: str
    x: int
    y: int
    width: int
    height: int

    @property
    def value(self) -> str:
        return f"{self.region}:{self.side}"

    @property
    def label(self) -> str:
        return region_side_label(self.region, self.side)

    def label_in(self, language: str) -> str:
        """The zone's name in ``language`` (the ``label`` in English)."""
        return region_side_words(self.region, self.side, language)

    @property
    def view_box(self) -> str:
        """The SVG viewBox that shows just this zone's part of the figure."""
        return f"{self.x} {self.y} {self.width} {self.height}"


def region_side_words(region: str, side: str, language: str) -> str:
    """One side of one body region named in ``language``: "Left back of the calf" in English
    (``region_side_label``), "왼쪽 종아리 뒤쪽" in Korean."""
    if language == i18n.DEFAULT_LANGUAGE:
        return region_side_label(region, side)
    _ = i18n.translator(language)
    area = _(label("areas", region))
    if side == "left":
        return _("Left %(area)s") % {"area": area}
    if side == "right":
        return _("Right %(area)s") % {"area": area}
    return _("%(area)s (both sides)") % {"area": area}


def _mirror(box: Box) -> Box:
    x, y, w, h = box
    return WIDTH - x - w, y, w, h


def _zones(boxes: dict[str, Box], near_side: str) -> list[Zone]:
    """Both sides of each region in ``boxes`` (drawn on the viewer's left as ``near_side``)."""
    far_side = "right" if near_side == "left" else "left"
    zones = []
    for region in REGIONS:
        if region in boxes:
            zones.append(Zone(region, near_side, *boxes[region]))
            zones.append(Zone(region, far_side, *_mirror(boxes[region])))
    # Reading order on screen: top to bottom, then across the screen.
    return sorted(zones, key=lambda z: (z.y, z.x))


BACK_ZONES: list[Zone] = _zones(_BACK, "left")
FRONT_ZONES: list[Zone] = _zones(_FRONT, "right")

#: Every toggle in vocabulary order, left before right (for the plain checkbox list).
ALL_ZONES: list[Zone] = sorted(
    BACK_ZONES + FRONT_ZONES, key=lambda z: (REGIONS.index(z.region), z.side != "left")
)
