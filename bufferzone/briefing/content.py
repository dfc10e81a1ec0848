"""What a briefing prints about a layer, read from its result: the one adapter to layer results.

Everything the images say about a layer (its title, the parameters shown, the rows of the
figures table, its sources, which rows are headline figures, its legend entries) comes from
:func:`layer_content`; no other module of :mod:`bufferzone.briefing` reads a result's
``properties``. The numbers are formatted here once, as the library's CSV gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bufferzone.styles import LINE_KINDS, feature_style, line_kind
from layers import REGISTRY, LayerResult, feature_people

__all__ = ["FigureRow", "LayerContent", "LegendEntry", "contents", "layer_content", "parameters_text"]

#: Parameters never printed: the date is in the title, the rest are inputs, not choices.
_HIDDEN = ("as_of", "geometry", "occupied_file", "label", "snapshot", "from_line", "to_line")
#: Roles whose rows are the figures a proposal is about (printed bold).
_HEADLINE_ROLES = frozenset({"zone", "occupied", "dmz", "swap", "withdrawal", "referendum", "region", "ring",
                             "buffer", "gain-ru", "gain-ua", "checkpoint", "flank"})
#: Legend text of a role drawn for several features at once.
_ROLE_LABELS = {
    "member": "NATO members (darker = older)", "band": "Part of the zone in each country",
    "occupied": "Held by the other side", "dmz": "DMZ, each side of the line", "swap": "Swapped areas",
    "ring": "Range rings", "town-ru": "Towns taken by Russia", "town-ua": "Towns taken by Ukraine",
}
#: NATO member rows are left out of the table above this many features (the legend shows the waves).
_MAX_MEMBER_ROWS = 12


@dataclass(frozen=True)
class FigureRow:
    """One row of the figures table: a feature's name and its figures as printed.

    ``area`` is "12,345 km²" (or "812 km long" for a line), ``people`` "1,234 (1,000–1,500)"
    or "no data" (never 0 where unknown), ``towns`` the three largest settlements.
    """

    name: str
    area: str
    people: str
    towns: str
    headline: bool


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: what a style stands for (``line`` True for a line swatch)."""

    label: str
    fill: str
    edge: str
    opacity: float
    dash: str | None
    line: bool
    weight: float = 1.0


@dataclass(frozen=True)
class LayerContent:
    """A layer as the briefing prints it."""

    title: str
    heading: str
    parameters: str
    rows: tuple[FigureRow, ...]
    sources: tuple[str, ...]
    legend: tuple[LegendEntry, ...]
    population_basis: tuple[str, ...]
    omitted: str = ""


def parameters_text(result: LayerResult) -> str:
    """The layer's chosen parameters in words ("DMZ width on each side 2 km; ...")."""
    spec = REGISTRY.get(result.layer)
    if spec is None:
        return ""
    parts = []
    for p in spec.parameters:
        if p.name in _HIDDEN or p.snapshot_for:
            continue
        if p.name in ("lon", "lat") and result.parameters.get("site") != "custom":
            continue
        if p.name == "range_km" and result.parameters.get("preset") != "custom":
            continue
        value = result.parameters.get(p.name, p.default)
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, float):
            text = f"{value:g}"
        elif p.kind == "choice":
            text = p.choice_label(value)
        else:
            text = str(value)
        parts.append(f"{p.label} {text}{' ' + p.unit if p.unit and p.unit != '°' else ''}")
    if result.parameters.get("occupied_file"):
        parts.append("line of contact from a user file")
    return "; ".join(parts)


def _row(name: str, props: dict, role: str) -> FigureRow:
    towns = ", ".join(t.split(" (")[0] for t in props.get("largest_settlements", [])[:3])
    if props.get("length_km"):
        return FigureRow(name, f"{props['length_km']:,.0f} km long", "", "", False)
    people = feature_people(props) or "no data"
    area = props.get("area_km2")
    return FigureRow(name, "no data" if area is None else f"{area:,.0f} km²", people, towns, role in _HEADLINE_ROLES)


def _sources(result: LayerResult) -> tuple[str, ...]:
    spec = REGISTRY.get(result.layer)
    out = []
    for src in (spec.sources if spec else ()):
        text = src.short or str(src)
        loc = result.line_of_contact or {}
        if src.key == "frontline-data" and loc.get("loc_source_key", "builtin") != "builtin":
            text = str(loc.get("loc_attribution") or loc.get("loc_source"))
        out.append(text)
    return tuple(out)


def _legend(result: LayerResult) -> tuple[LegendEntry, ...]:
    entries: list[LegendEntry] = []
    seen: dict[str, int] = {}
    for f in result.features:
        if f.role == "site":
            continue
        if f.role in seen:
            seen[f.role] += 1
            continue
        seen[f.role] = 1
        st = feature_style(result.layer, f.role, f.properties)
        kind = line_kind(result.layer, f.role)
        is_line = f.geometry.geom_type in ("LineString", "MultiLineString")
        label = LINE_KINDS[kind].label if kind and is_line else f.name
        entries.append(LegendEntry(label, st.fill, st.edge, st.fill_opacity, st.dash, is_line, st.weight))
    # a role drawn for several features is named for the role, not its first feature
    return tuple(e if seen[r] == 1 else LegendEntry(_ROLE_LABELS.get(r, e.label), e.fill, e.edge, e.opacity, e.dash,
                                                    e.line, e.weight)
                 for e, r in zip(entries, [r for r in seen], strict=True))


def layer_content(result: LayerResult) -> LayerContent:
    """The blocks a briefing prints about one layer result.

    Parameters
    ----------
    result : LayerResult

    Returns
    -------
    LayerContent
        Every feature gets a row (a NATO layer's many members excepted, said in ``omitted``);
        a site marker gets none.
    """
    feats = [f for f in result.features if f.role != "site"]
    members = [f for f in feats if f.role == "member"]
    omitted = ""
    if len(feats) > _MAX_MEMBER_ROWS and members:
        feats = [f for f in feats if f.role != "member"]
        omitted = f"{len(members)} member states drawn by accession wave; their figures are in the CSV."
    heading = f"{result.title} (as of {result.as_of.isoformat()}{', approximate' if result.approximate else ''})"
    basis = tuple(dict.fromkeys(b for f in result.features for b in f.properties.get("population_basis", [])
                                if not b.startswith("settlements:")))
    return LayerContent(result.title, heading, parameters_text(result),
                        tuple(_row(f.name, f.properties, f.role) for f in feats), _sources(result), _legend(result),
                        basis, omitted)


def contents(results: Sequence[LayerResult]) -> list[LayerContent]:
    """:func:`layer_content` of each result, in order."""
    return [layer_content(r) for r in results]
