"""A NATO–Russia buffer zone of width W along their land border (Russia's draft Art. 7)."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geo import area_km2, buffer, data
from layers._base import AS_OF, Feature, LayerResult, LayerSpec, Parameter, measured_feature
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
    other_area = shapely.union_all([countries[c] for c in other])
    neighbours = [c for c in nato if countries[c].intersects(other_area)]
    other_outline = other_area.boundary
    nato_outline = shapely.union_all([countries[c] for c in neighbours]).boundary if neighbours else shapely.LineString()
    line = shapely.line_merge(shapely.intersection(nato_outline, other_outline))
    parts = [g for g in shapely.get_parts(line) if g.geom_type in ("LineString", "LinearRing")]
    return shapely.MultiLineString(parts), nato, other


def _build(p: dict[str, Any]) -> LayerResult:
    width, side = p["width_km"], p["side"]
    border, nato, other = land_border(p["as_of"], include_belarus=p["include_belarus"])
    countries = data.countries().set_index("iso_a3")
    band = buffer(border, width)
    sides = {"nato": nato, "russia": other, "both": nato + other}[side]
    features: list[Feature] = []
    pieces = []
    for iso3 in sides:
        piece = shapely.intersection(band, countries.geometry[iso3])
        if piece.is_empty or piece.area == 0:
            continue
        pieces.append(piece)
        features.append(measured_feature(
            f"{NAME}:{iso3}", f"{countries.loc[iso3, 'name']} ({width:g} km band)", "band", piece,
            breakdown=False, iso_a3=iso3, side="NATO" if iso3 in nato else "Russia/Belarus",
            share_of_country_pct=round(100 * area_km2(piece) / countries.loc[iso3, "area_km2"], 2),
        ))
    if pieces:
        features.insert(0, measured_feature(
            f"{NAME}:zone", f"Buffer zone, {width:g} km, {side} side{'s' if side == 'both' else ''}", "zone",
            shapely.union_all(pieces), top_settlements=10,
        ))
    features.append(measured_feature(f"{NAME}:border", "NATO–Russia/Belarus land border", "line", border))
    return LayerResult(
        NAME, SPEC.title, p["as_of"], p, tuple(features),
        f"Geodesic band of {width:g} km on each side of the land border between NATO members on "
        f"{p['as_of'].isoformat()} and {' and '.join(other)} (Natural Earth 10m outlines), cut to the "
        f"chosen side's land; people from geo.measure.",
        tuple(str(s) for s in SOURCES),
        ("The draft leaves the zone's extent 'yet to be agreed': the width is a free parameter.",),
    )


SPEC = LayerSpec(
    name=NAME,
    title="NATO–Russia buffer zone",
    description=(
        "The “yet to be agreed buffer zone between Russia and NATO” of Russia's draft agreement "
        "(17 Dec 2021, Art. 7): a band of chosen width along the land border between NATO members "
        "and Russia (Kaliningrad included), optionally Belarus, on the NATO side, the Russian side "
        "or both. Sources: " + "; ".join(s.key for s in SOURCES) + "."
    ),
    parameters=(
        Parameter("width_km", "float", 100.0, "Width", unit="km", minimum=1.0, maximum=500.0, step=5.0,
                  help="Depth of the zone from the border on each chosen side."),
        Parameter("side", "choice", "both", "Side", choices=("nato", "russia", "both"),
                  help="Which side of the border the zone covers."),
        Parameter("include_belarus", "bool", True, "Include Belarus",
                  help="Count Belarus's border with NATO as part of the Russian side."),
        AS_OF,
    ),
    build_fn=_build,
    sources=SOURCES,
)
