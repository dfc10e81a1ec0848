"""One set of map styles for the app and the briefing images (colour-blind safe).

Layers take colours from the Okabe–Ito palette, distinguishable with the common colour
vision deficiencies; NATO accession waves use the sequential cividis ramp. Every kind of
line on a map (the NATO–Russia border, the line of contact, a DMZ's edge, a range ring, the
Dnieper, country borders...) has its own :class:`LineKind`: no two kinds share both colour
and dash pattern, so a reader never has to guess which black line is which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["LAYER_COLOURS", "LINE_KINDS", "ROLE_STYLES", "WAVE_COLOURS", "FeatureStyle", "LineKind",
           "feature_style", "line_kind"]

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
class LineKind:
    """How one kind of line is drawn and named in legends.

    Attributes
    ----------
    label : str
        Legend text ("Line of contact").
    colour : str
        Hex colour.
    weight : float
        Line width in screen points (app) and, times 0.8, in printed points (images).
    dash : str or None
        Dash pattern as in SVG/Leaflet ``dashArray`` ("6 3"), ``None`` for solid.
    """

    label: str
    colour: str
    weight: float
    dash: str | None


#: Every kind of line the maps draw, by key. No two share both colour and dash.
LINE_KINDS: dict[str, LineKind] = {
    "line-of-contact": LineKind("Line of contact", "#000000", 2.6, None),
    "nato-russia-border": LineKind("NATO–Russia/Belarus land border", "#000000", 2.2, "9 3 2 3"),
    "custom-line": LineKind("Drawn or uploaded line", "#000000", 2.0, "2 2"),
    "dmz-edge": LineKind("DMZ edge", "#8F7F00", 0.9, "1 1.5"),
    "range-ring": LineKind("Range ring", "#E69F00", 2.0, "8 6"),
    "river": LineKind("Dnieper", "#4A90C2", 1.2, None),
    "country-border": LineKind("Country border", "#8A8A8A", 0.4, None),
    "map-extent": LineKind("Area of the main map", "#C00000", 1.0, None),
}
#: The line kind of a (layer, role) whose features are lines or whose edge is its own kind.
_KIND_OF: dict[tuple[str, str], str] = {
    ("buffer-zone", "line"): "nato-russia-border",
    ("frozen-line", "line"): "line-of-contact",
    ("trans-dnieper", "line"): "line-of-contact",
    ("custom", "source"): "custom-line",
    ("frozen-line", "dmz"): "dmz-edge",
    ("range-rings", "ring"): "range-ring",
}


def line_kind(layer: str, role: str) -> str | None:
    """The key in :data:`LINE_KINDS` of a layer's role, ``None`` for an area drawn in its own colours.

    Examples
    --------
    >>> line_kind("frozen-line", "line"), line_kind("buffer-zone", "line")
    ('line-of-contact', 'nato-russia-border')
    >>> line_kind("frozen-line", "occupied") is None
    True
    """
    if (layer, role) in _KIND_OF:
        return _KIND_OF[(layer, role)]
    return "line-of-contact" if role == "line" else None


@dataclass(frozen=True)
class FeatureStyle:
    """How to draw one feature (colours as hex strings, weight in screen points)."""

    fill: str
    edge: str
    fill_opacity: float
    dash: str | None
    weight: float


def feature_style(layer: str, role: str, props: dict[str, Any] | None = None) -> FeatureStyle:
    """The style of a feature from its layer, role and properties.

    A role with a line kind (:func:`line_kind`) takes that kind's edge colour, dash and weight;
    the range rings keep their layer's colour.
    """
    props = props or {}
    colour = LAYER_COLOURS.get(layer, "#000000")
    key = "ring_band" if layer == "range-rings" and role == "band" else role
    fill, opacity, dash, weight = ROLE_STYLES.get(key, (None, 0.3, None, 1.0))
    if role == "member":
        fill = WAVE_COLOURS.get(props.get("wave", ""), colour)
    fill = fill or colour
    edge = "#000000" if role in ("line", "site") else fill
    kind = line_kind(layer, role)
    if kind is not None:
        line = LINE_KINDS[kind]
        edge, dash, weight = line.colour, line.dash, line.weight
    return FeatureStyle(fill, edge, opacity, dash, weight * (1.8 if props.get("joined_after_founding_act") else 1.0))
