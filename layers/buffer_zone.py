"""A NATO–Russia buffer zone of width W along their land border (Russia's draft Art. 7)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import shapely

from geo import buffer, data, measure
from layers._base import (
    AS_OF,
    Feature,
    HeadlineRule,
    LayerResult,
    LayerSpec,
    Parameter,
    Role,
    describe,
    measured_feature,
)
from layers._sources import AXIOS_RESPONSES, DRAFT_EXPLAINED, NATO_MEMBERS

__all__ = ["SPEC", "land_border"]

NAME = "buffer-zone"
SOURCES = (DRAFT_EXPLAINED, AXIOS_RESPONSES, NATO_MEMBERS)


def land_border(as_of: Any, *, include_belarus: bool) -> tuple[shapely.Geometry, list[str], list[str]]:
    """The land border between NATO members (as of a date) and Russia (+ Belarus).

    Returns
    -------
    (line, nato_iso3, other_iso3)
        The shared border as lon/lat lines, and the countries on each side.
    """
    countries = data.countries().set_index("iso_a3").geometry
    members = data.nato_members()
    nato = [c for c in members[members["accession_date"] <= np.datetime64(as_of)]["iso_a3"] if c in countries.index]
    other = ["RUS", "BLR"] if include_belarus else ["RUS"]
    return _border(tuple(nato), tuple(other)), nato, other


@functools.lru_cache(maxsize=8)
def _border(nato: tuple[str, ...], other: tuple[str, ...]) -> shapely.MultiLineString:
    """The shared border of two groups of countries (cached: it changes only with membership)."""
    countries = data.countries().set_index("iso_a3").geometry
    other_area = data.land(other)
    neighbours = [c for c in nato if countries[c].intersects(other_area)]
    if not neighbours:
        return shapely.MultiLineString()
    line = shapely.line_merge(shapely.intersection(data.land(neighbours).boundary, other_area.boundary))
    return shapely.MultiLineString([g for g in shapely.get_parts(line) if g.geom_type in ("LineString", "LinearRing")])


def _build(p: dict[str, Any]) -> LayerResult:
    width, side = p["width_km"], p["side"]
    border, nato, other = land_border(p["as_of"], include_belarus=p["include_belarus"])
    countries = data.countries().set_index("iso_a3")
    sides = {"nato": nato, "russia": other, "both": nato + other}[side]
    band = buffer(border, width) if not border.is_empty else shapely.Polygon()
    zone = shapely.intersection(band, data.land(sides))
    figures = measure(zone, top_settlements=10)
    rows = [row for row in figures.by_country.itertuples() if row.iso_a3 in sides]  # largest part first
    # each country's part of the zone: the band cut by its outline (a part of the side's land)
    pieces = shapely.intersection(band, countries.geometry.reindex([row.iso_a3 for row in rows]).to_numpy())
    features: list[Feature] = []
    if not zone.is_empty:
        features.append(measured_feature(
            f"{NAME}:zone", f"Buffer zone, {width:g} km, {side} side{'s' if side == 'both' else ''}", "zone",
            zone, figures=figures, top_settlements=10,
        ))
    for row, piece in zip(rows, pieces, strict=True):
        features.append(measured_feature(
            f"{NAME}:{row.iso_a3}", f"{row.name} ({width:g} km band)", "band", piece,
            figures=figures.within([row.iso_a3]), iso_a3=row.iso_a3,
            side="NATO" if row.iso_a3 in nato else "Russia/Belarus", share_of_country_pct=round(row.share_pct, 2),
        ))
    features.append(measured_feature(f"{NAME}:border", "NATO–Russia/Belarus land border", "line", border))
    return SPEC.result(
        p, p["as_of"], features,
        f"Geodesic band of {width:g} km on each side of the land border between NATO members on "
        f"{p['as_of'].isoformat()} and {' and '.join(other)} (Natural Earth 10m outlines), cut to the "
        f"chosen side's land; people from geo.measure (each country's part from the zone's breakdown).",
        ("The draft leaves the zone's extent 'yet to be agreed': the width is a free parameter.",),
    )


SPEC = LayerSpec(
    name=NAME,
    title="NATO–Russia buffer zone",
    description=describe(
        "The “yet to be agreed buffer zone between Russia and NATO” of Russia's draft agreement "
        "(17 Dec 2021, Art. 7): a band of chosen width along the land border between NATO members "
        "and Russia (Kaliningrad included), optionally Belarus, on the NATO side, the Russian side "
        "or both.",
        SOURCES,
    ),
    parameters=(
        Parameter("width_km", "float", 100.0, "Width", unit="km", minimum=1.0, maximum=500.0, step=5.0,
                  help="Depth of the zone from the border on each chosen side."),
        Parameter("side", "choice", "both", "Side", choices=("nato", "russia", "both"),
                  choice_labels=("NATO side", "Russian side", "Both sides"),
                  help="Which side of the border the zone covers."),
        Parameter("include_belarus", "bool", True, "Include Belarus",
                  help="Count Belarus's border with NATO as part of the Russian side."),
        AS_OF,
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={"zone": Role("Buffer zone", "zone"), "band": Role("Country's part of the zone", "band"),
           "line": Role("NATO–Russia/Belarus land border", "border")},
    headline_rules=(
        HeadlineRule("Buffer zone", ids=("zone",)),
        HeadlineRule("NATO side", roles=("band",), where=("side", "NATO")),
        HeadlineRule("Russian/Belarusian side", roles=("band",), where=("side", "Russia/Belarus")),
    ),
)
