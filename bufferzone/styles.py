"""One set of map styles for the app and the briefing images (colour-blind safe).

Layers take colours from the Okabe–Ito palette, distinguishable with the common colour
vision deficiencies; NATO accession waves use the sequential cividis ramp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["LAYER_COLOURS", "ROLE_STYLES", "WAVE_COLOURS", "FeatureStyle", "feature_style"]

#: One colour per layer.
LAYER_COLOURS = {
    "nato-enlargement": "#0072B2",
    "buffer-zone": "#D55E00",
    "frozen-line": "#CC79A7",
    "trans-dnieper": "#009E73",
    "loc-change": "#D55E00",
    "range-rings": "#E69F00",
    "custom": "#000000",
}
#: Accession waves, old to new (cividis).
WAVE_COLOURS = {
    "1949 founders": "#00224e", "1952": "#123570", "1955": "#3b496c", "1982": "#575d6d",
    "1999": "#707173", "2004": "#8a8779", "2009": "#a69d75", "2017": "#c4b56c",
    "2020": "#e4cf5b", "2023": "#fdea45", "2024": "#fdea45",
}
#: Per role: (fill colour or None for the layer's, fill opacity, dash pattern or None, line weight).
ROLE_STYLES: dict[str, tuple[str | None, float, str | None, float]] = {
    "member": (None, 0.45, None, 1.0),
    "zone": (None, 0.15, "6 4", 2.5),
    "flank": ("#56B4E9", 0.15, "2 4", 2.0),
    "band": (None, 0.40, None, 0.8),
    "line": ("#000000", 0.0, None, 2.5),
    "occupied": ("#CC79A7", 0.45, None, 1.0),
    "dmz": ("#F0E442", 0.75, None, 0.8),
    "swap": ("#009E73", 0.55, "4 3", 1.5),
    "withdrawal": ("#E69F00", 0.45, "4 3", 1.5),
    "referendum": ("#56B4E9", 0.45, "4 3", 1.5),
    "region": (None, 0.35, None, 1.2),
    "checkpoint": ("#D55E00", 0.5, None, 1.0),
    "kyiv": ("#999999", 0.4, "3 3", 1.0),
    "patrol": ("#0072B2", 0.45, None, 0.8),
    "ring": (None, 0.04, "8 6", 2.0),
    "ring_band": (None, 0.08, None, 0.5),
    "site": ("#000000", 1.0, None, 2.0),
    "buffer": (None, 0.3, None, 1.5),
    "source": ("#000000", 0.1, "2 2", 2.0),
    # what changed hands: Russia's gains vermilion, Ukraine's blue, areas and the towns in them
    "gain-ru": ("#D55E00", 0.55, None, 1.0),
    "gain-ua": ("#0072B2", 0.55, None, 1.0),
    "town-ru": ("#D55E00", 1.0, None, 1.5),
    "town-ua": ("#0072B2", 1.0, None, 1.5),
}


@dataclass(frozen=True)
class FeatureStyle:
    """How to draw one feature (colours as hex strings, weight in screen points)."""

    fill: str
    edge: str
    fill_opacity: float
    dash: str | None
    weight: float


def feature_style(layer: str, role: str, props: dict[str, Any] | None = None) -> FeatureStyle:
    """The style of a feature from its layer, role and properties."""
    props = props or {}
    colour = LAYER_COLOURS.get(layer, "#000000")
    key = "ring_band" if layer == "range-rings" and role == "band" else role
    fill, opacity, dash, weight = ROLE_STYLES.get(key, (None, 0.3, None, 1.0))
    if role == "member":
        fill = WAVE_COLOURS.get(props.get("wave", ""), colour)
    fill = fill or colour
    edge = "#000000" if role in ("line", "site") else fill
    return FeatureStyle(fill, edge, opacity, dash, weight * (1.8 if props.get("joined_after_founding_act") else 1.0))
