"""What a briefing prints about a layer, read from its result: the one adapter to layer results.

Everything the images say about a layer (its title, the parameters shown, the rows of the
figures table, its sources, which rows are headline figures, its legend entries) comes from
:func:`layer_content`, through the typed contract of :mod:`layers.results`: the headline rows
are the layer's declared ``result.headlines`` (the figures the app's metrics show), legend
labels its declared roles (``result.role_label``), parameters its declarations' display
formats, people :class:`~layers.results.People` with range and basis ("no data", never 0,
where unknown). No other module of :mod:`bufferzone.briefing` reads a layer result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bufferzone.styles import LINE_KINDS, feature_style, line_kind
from layers import REGISTRY, Feature, LayerResult
from layers.results import Headline, People, Town

__all__ = ["FigureRow", "LayerContent", "LegendEntry", "contents", "layer_content", "parameters_text"]

#: A role drawn for more features than this, all added up in a headline, is left out of the
#: table (a NATO layer's member states): its total is in the table, each one is in the CSV.
_MAX_ROLE_ROWS = 12
_POINTS = ("Point", "MultiPoint")
_LINES = ("LineString", "MultiLineString")


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
    """One legend entry: what a style stands for (``line`` True for a line swatch, ``point`` for a marker)."""

    label: str
    fill: str
    edge: str
    opacity: float
    dash: str | None
    line: bool
    weight: float = 1.0
    point: bool = False


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
    """The layer's parameters in words, as its declaration formats them ("DMZ width 2 km; ...").

    Every parameter the layer names in titles (``in_title``) and shows in forms for these
    values is printed, defaults included, so an image says what it was built with; a layer
    that is not registered prints its result's ``title_parameters``. (Which line of contact
    was used is in the sources: :func:`_sources`.)
    """
    spec = REGISTRY.get(result.layer)
    if spec is None:
        pairs = list(result.title_parameters)
    else:
        values = {p.name: result.parameters.get(p.name, p.default) for p in spec.parameters}
        pairs = [(p.label, p.format_value(values[p.name])) for p in spec.parameters
                 if p.in_title and p.shown_in_forms(values, spec.parameters)]
    return "; ".join(f"{label} {value}" for label, value in pairs)


def _people(people: People | None, *, area: bool) -> str:
    """People in words: "no data" for an area without a figure (never 0), nothing for a line."""
    if people is None:
        return "no data" if area else ""
    return people.text()


def _towns(towns: list[Town]) -> str:
    """The three largest of ``towns`` (each named once), largest first."""
    seen: dict[str, int] = {}
    for t in towns:
        seen[t.name] = max(seen.get(t.name, 0), t.people)
    return ", ".join(sorted(seen, key=lambda n: -seen[n])[:3])


def _headline_row(h: Headline, by_id: dict[str, Feature]) -> FigureRow:
    name = f"{h.label} ({h.note})" if h.note else h.label
    towns = [t for fid in h.feature_ids if fid in by_id for t in by_id[fid].figures.towns]
    area = h.area_text() if h.area_km2 is not None else (f"{h.length_km:,.0f} km long" if h.length_km else "no data")
    return FigureRow(name, area, _people(h.people, area=h.length_km is None), _towns(towns), True)


def _row(f: Feature) -> FigureRow:
    fig = f.figures
    if f.geometry.geom_type in _POINTS:  # a place (a town taken): its people, no area
        return FigureRow(f.name, "", _people(fig.people, area=True), "", False)
    if fig.length_km:
        return FigureRow(f.name, f"{fig.length_km:,.0f} km long", "", "", False)
    area = "no data" if fig.area_km2 is None else f"{fig.area_km2:,.0f} km²"
    return FigureRow(f.name, area, _people(fig.people, area=True), _towns(list(fig.towns)), False)


def _has_figures(f: Feature) -> bool:
    """A point without people of its own (a launch site) has no row; it is in the legend."""
    people = f.figures.people
    return f.geometry.geom_type not in _POINTS or (people is not None and people.value != 0)


def _sources(result: LayerResult) -> tuple[str, ...]:
    """The short form of each source the result cites (the line of contact actually used among them)."""
    return tuple(s.short for s in result.sources)


def _legend(result: LayerResult) -> tuple[LegendEntry, ...]:
    """One entry per role drawn, named by the layer's declared role label (a line by its line kind).

    A role drawn in several fills (NATO's members, shaded by accession wave) gets one entry per
    fill, each named for what sets it (the wave) or, failing that, its first feature.
    """
    entries: list[LegendEntry] = []
    for role in dict.fromkeys(f.role for f in result.features):
        mine = [f for f in result.features if f.role == role]
        f = mine[0]
        kind = line_kind(result.layer, role)
        is_line, is_point = f.geometry.geom_type in _LINES, f.geometry.geom_type in _POINTS
        label = LINE_KINDS[kind].label if kind and is_line else result.role_label(role)
        fills: dict[str, list[Feature]] = {}
        for g in mine:
            fills.setdefault(feature_style(result.layer, role, g.attributes).fill, []).append(g)
        for group in fills.values():
            st = feature_style(result.layer, role, group[0].attributes)
            what = ", ".join(dict.fromkeys(str(g.attributes.get("wave") or g.name) for g in group))
            entries.append(LegendEntry(f"{label}: {what}" if len(fills) > 1 else label, st.fill, st.edge,
                                       st.fill_opacity, st.dash, is_line or is_point, st.weight, is_point))
    return tuple(entries)


def layer_content(result: LayerResult) -> LayerContent:
    """The blocks a briefing prints about one layer result.

    The table leads with the layer's declared headlines (``result.headlines``, the figures the
    app's metrics show), in bold; then one row per feature that is not a headline by itself.

    Parameters
    ----------
    result : LayerResult

    Returns
    -------
    LayerContent
        A role with more than a dozen features, all added up in a headline (NATO's members),
        is left out of the rows, said in ``omitted``; a point without figures has no row.
    """
    by_id = {f.id: f for f in result.features}
    rows = [_headline_row(h, by_id) for h in result.headlines]
    alone = {h.feature_ids[0] for h in result.headlines if len(h.feature_ids) == 1}
    summed = {fid for h in result.headlines for fid in h.feature_ids}
    feats = [f for f in result.features if f.id not in alone and _has_figures(f)]
    omitted = []
    for role in dict.fromkeys(f.role for f in feats):
        mine = [f for f in feats if f.role == role]
        if len(mine) > _MAX_ROLE_ROWS and all(f.id in summed for f in mine):
            feats = [f for f in feats if f.role != role]
            omitted.append(f"{len(mine)} features of kind “{result.role_label(role)}” are drawn and added up "
                           "above; each one's figures are in the CSV.")
    rows += [_row(f) for f in feats]
    heading = f"{result.title} (as of {result.as_of.isoformat()}{', approximate' if result.approximate else ''})"
    lines = [b for f in result.features if f.figures.people is not None for b in f.figures.people.basis]
    # the totals first, then how the towns' figures are dated (the first measured feature's line)
    basis = tuple(dict.fromkeys([b for b in lines if not b.startswith("settlements:")]
                                + [b for b in lines if b.startswith("settlements:")][:1]))
    return LayerContent(result.title, heading, parameters_text(result), tuple(rows), _sources(result),
                        _legend(result), basis, " ".join(omitted))


def contents(results: Sequence[LayerResult]) -> list[LayerContent]:
    """:func:`layer_content` of each result, in order."""
    return [layer_content(r) for r in results]
