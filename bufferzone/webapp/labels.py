"""Place labels that do not bury the map: a greedy placement by rank at each zoom.

At each Leaflet zoom level the labels are taken in order (capitals first, then by
population, largest first) and a label is placed only if its box, on the screen at that
zoom, overlaps no label placed before it. A label's :func:`min_zooms` entry is the zoom from
which it is placed at that zoom and every closer one, so a label once shown stays shown
while zooming in, and the labels shown at any zoom never overlap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bufferzone.webapp.viewport import MAX_ZOOM, MIN_ZOOM

__all__ = ["CHAR_PX", "LABEL_HEIGHT_PX", "NEVER", "Label", "label_box", "min_zooms", "placed"]

#: Width of a label character, CSS pixels (11 px sans-serif averages about 6.2 px; kept generous).
CHAR_PX = 6.6
#: Height of a label box, CSS pixels (11 px text with its halo).
LABEL_HEIGHT_PX = 15.0
#: Gap between the town's dot and its label (the tooltip's offset), CSS pixels.
OFFSET_PX = 6.0
#: ``min_zooms`` value of a label never placed (too crowded even at the closest zoom).
NEVER = MAX_ZOOM + 1
_TILE_PX = 256


@dataclass(frozen=True)
class Label:
    """A place label: name, position (degrees, WGS84), people and whether it is a capital."""

    name: str
    lon: float
    lat: float
    population: int = 0
    capital: bool = False


def _pixel(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at a zoom (origin top left, y down)."""
    size = _TILE_PX * 2**zoom
    s = math.sin(math.radians(max(-85.05, min(85.05, lat))))
    return (lon + 180.0) / 360.0 * size, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size


def label_box(label: Label, zoom: int) -> tuple[float, float, float, float]:
    """The label's box on the screen at ``zoom``: (x0, y0, x1, y1), CSS pixels.

    The label sits to the right of its dot, vertically centred, as the map draws it; the
    dot itself is included so that a label never covers another town's dot.
    """
    x, y = _pixel(label.lon, label.lat, zoom)
    return (x - 3.0, y - LABEL_HEIGHT_PX / 2, x + OFFSET_PX + CHAR_PX * len(label.name), y + LABEL_HEIGHT_PX / 2)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _order(labels: Sequence[Label]) -> list[int]:
    return sorted(range(len(labels)), key=lambda i: (not labels[i].capital, -labels[i].population, labels[i].name))


def placed(labels: Sequence[Label], zoom: int) -> list[bool]:
    """Which labels the greedy placement keeps at ``zoom`` (capitals first, then by population)."""
    kept: list[tuple[float, float, float, float]] = []
    out = [False] * len(labels)
    for i in _order(labels):
        box = label_box(labels[i], zoom)
        if not any(_overlaps(box, other) for other in kept):
            kept.append(box)
            out[i] = True
    return out


def min_zooms(labels: Sequence[Label], zooms: Iterable[int] = range(MIN_ZOOM, MAX_ZOOM + 1)) -> list[int]:
    """For each label, the zoom from which it is shown (placed there and at every closer zoom).

    Returns
    -------
    list of int
        :data:`NEVER` for a label not placed at the closest zoom.
    """
    levels = sorted(zooms)
    result = [NEVER] * len(labels)
    for zoom in reversed(levels):
        keep = placed(labels, zoom)
        for i, ok in enumerate(keep):
            if ok and result[i] == zoom + 1 or ok and zoom == levels[-1]:
                result[i] = zoom
    return result
