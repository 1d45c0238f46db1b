"""The tap-to-mark body map: where each region of the vocabulary is drawn, per view and side.

Every region of ``REGIONS`` appears exactly once per side, on the back or the front view, so
each (region, side) pair is one toggle. The back view shows the person from behind (their left
on the viewer's left); the front view faces the viewer (their left on the viewer's right).
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_care.domain.vocabulary import REGIONS
from sciatica_care.web.templating import region_side_label

#: (x, y, width, height) of each region on the person's LEFT side, per view.
_BACK: dict[str, tuple[int, int, int, int]] = {
    "lower_back": (60, 140, 39, 46),
    "hip_side": (50, 188, 14, 48),
    "buttock": (66, 188, 33, 48),
    "thigh_back": (66, 238, 32, 84),
    "knee_back": (68, 324, 28, 22),
    "calf_back": (68, 348, 28, 60),
    "heel": (70, 410, 24, 18),
    "foot_sole": (68, 430, 28, 18),
}
_FRONT: dict[str, tuple[int, int, int, int]] = {
    "groin": (101, 200, 15, 32),
    "thigh_front": (102, 238, 28, 84),
    "thigh_side": (130, 238, 11, 84),
    "shin": (103, 348, 24, 60),
    "calf_side": (127, 348, 10, 60),
    "foot_top": (102, 410, 32, 20),
    "toes": (102, 432, 34, 16),
}
WIDTH = 200


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


def _mirror(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return WIDTH - x - w, y, w, h


def _zones(boxes: dict[str, tuple[int, int, int, int]]) -> list[Zone]:
    """Both sides of each region drawn in ``boxes`` (which hold the person's left side)."""
    zones = []
    for region in REGIONS:
        if region in boxes:
            left = boxes[region]
            zones.append(Zone(region, "left", *left))
            zones.append(Zone(region, "right", *_mirror(left)))
    # Reading order on screen: top to bottom, then across the screen.
    return sorted(zones, key=lambda z: (z.y, z.x))


BACK_ZONES: list[Zone] = _zones(_BACK)
FRONT_ZONES: list[Zone] = _zones(_FRONT)

#: Every toggle in vocabulary order, left before right (for the plain checkbox list).
ALL_ZONES: list[Zone] = sorted(
    BACK_ZONES + FRONT_ZONES, key=lambda z: (REGIONS.index(z.region), z.side != "left")
)
