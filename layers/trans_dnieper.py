"""The demilitarised "Trans-Dnieper" region: Ukrainian-held land east of the Dnieper."""

from __future__ import annotations

from typing import Any

import shapely

from geo import buffer, data
from geo.geodesy import area_km2
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
from layers._sources import FRONTLINE_DATA, KORYBKO_TRANS_DNIEPER
from layers.frozen_line import SNAPSHOT, front_citations, front_notes, load_front

__all__ = ["SPEC", "east_of_dnieper"]

NAME = "trans-dnieper"
#: How the city limits the special regime is built on are drawn (data/build.py, fit_city_extent).
KYIV_LIMITS_NOTE = (
    "Kyiv's city limits are approximated: no licence-compatible outline is available offline, so "
    "Natural Earth's 1,642 km² \"Kiev City\" is cut to a geodesic disc round the centre (Maidan "
    "Nezalezhnosti), less the towns and villages of Kyiv Oblast inside it, sized to the city's 839 km²; "
    "the rest, with Irpin, Vyshneve, Vyshhorod and Obukhiv, counts in Kyiv Oblast."
)
SOURCES = (KORYBKO_TRANS_DNIEPER, FRONTLINE_DATA)


def east_of_dnieper() -> shapely.Geometry:
    """Ukraine's land east (left) of the Dnieper, Crimea included, lon/lat.

    Ukraine is split by the river; the west is the piece holding Lviv plus the pieces the
    river does not touch (spits and islands cut off by the sea) that lie west of it, i.e.
    inside the river closed by a loop far to the west.
    """
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    river = data.dnieper().geometry.iloc[0]
    lviv = shapely.Point(24.03, 49.84)
    (x0, _), (x1, _) = river.coords[0], river.coords[-1]
    west_side = shapely.Polygon([*river.coords, (x1, 40.0), (20.0, 40.0), (20.0, 56.0), (x0, 56.0)])
    pieces = shapely.get_parts(shapely.ops.split(ukraine, river))
    west = [max((p for p in pieces if p.contains(lviv)), key=area_km2)]
    west += [p for p in pieces if not p.intersects(river) and west_side.contains(p.representative_point())]
    return shapely.difference(ukraine, shapely.union_all(west))


def _build(p: dict[str, Any]) -> LayerResult:
    front = load_front(p)
    kyiv_city = data.admin1().set_index("iso_3166_2").geometry["UA-30"]  # cut to 839 km² (KYIV_LIMITS_NOTE)
    east = east_of_dnieper()
    region = shapely.difference(east, front.occupied)
    kyiv_left_bank = shapely.intersection(kyiv_city, east)
    regime = p["kyiv_regime"]
    features: list[Feature] = []
    if regime != "included":
        region = shapely.difference(region, kyiv_left_bank)
    features.append(measured_feature(
        f"{NAME}:region", "Trans-Dnieper region (demilitarised, Ukrainian-held east of the Dnieper)",
        "region", region, top_settlements=10, kyiv_regime=regime,
    ))
    if regime == "checkpoint":
        ring = buffer(kyiv_left_bank, p["kyiv_ring_km"], side="outside")
        ring = shapely.intersection(shapely.difference(ring, kyiv_city), region)
        features.append(measured_feature(
            f"{NAME}:kyiv-checkpoints", f"Checkpoint belt, {p['kyiv_ring_km']:g} km around Kyiv's left bank",
            "checkpoint", ring,
        ))
    if regime != "included":
        features.append(measured_feature(
            f"{NAME}:kyiv-left-bank", "Kyiv's left bank (special regime)", "kyiv", kyiv_left_bank,
        ))
    if p["patrol_strip_km"] > 0:
        river = data.dnieper().geometry.iloc[0]
        ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
        strip = shapely.difference(shapely.intersection(buffer(river, p["patrol_strip_km"]), ukraine), front.occupied)
        features.append(measured_feature(
            f"{NAME}:patrol-strip", f"River patrol strip, {p['patrol_strip_km']:g} km each bank", "patrol", strip,
        ))
    notes = [*front_notes(front), "Area east of the Dnieper: Ukraine split by the Dnieper centre line "
             "(Natural Earth 50m, reservoirs crossed along their middle).", KYIV_LIMITS_NOTE]
    return SPEC.result(
        p, front.date, features,
        "Ukraine east of the Dnieper minus the area held by Russia on the date ("
        + front.source + "); Kyiv city's left bank per the chosen regime, the city limits approximated "
        "(839 km², see notes); checkpoint belt and "
        "patrol strip are geodesic buffers. People: geo.measure.",
        notes, approximate=front.approximate, line_of_contact=front.properties(),
        citations=front_citations(front, SOURCES),
    )


SPEC = LayerSpec(
    name=NAME,
    title="Trans-Dnieper demilitarised region",
    description=describe(
        "Everything east of the Dnieper and north of the line of contact that remains under "
        "Kyiv's control, demilitarised and watched by peacekeepers: a no-man's land whose people "
        "the proposal would have live in a buffer zone. Kyiv, on both banks, gets a special "
        "regime: its left bank in or out of the region, or checks fencing off its north-eastern, "
        "eastern and south-eastern reaches beyond the city limits; patrols along the river.",
        SOURCES,
    ),
    parameters=(
        AS_OF,
        Parameter("kyiv_regime", "choice", "checkpoint", "Kyiv's left bank",
                  choices=("included", "excluded", "checkpoint"),
                  choice_labels=("Included in the region", "Excluded", "Excluded, with a checkpoint belt"),
                  help="Include the city's left bank, exclude it, or exclude it and draw a checkpoint belt around it."),
        Parameter("kyiv_ring_km", "float", 10.0, "Checkpoint belt", unit="km", minimum=1.0, maximum=50.0, step=1.0,
                  visible_when=("kyiv_regime", ("checkpoint",)),
                  help="Depth of the belt beyond the city's eastern limits (checkpoint regime)."),
        Parameter("patrol_strip_km", "float", 0.0, "River patrol strip", unit="km", minimum=0.0, maximum=30.0, step=1.0,
                  help="Width of a patrol strip on each bank of the Dnieper (0: none)."),
        Parameter("occupied_file", "text", "", "Occupied-area file", hidden=True,
                  help="Path of a DeepStateMap GeoJSON export or ISW KMZ/shapefile to use instead of the "
                       "built-in line."),
        SNAPSHOT,
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={"region": Role("Trans-Dnieper region", "region"), "checkpoint": Role("Checkpoint belt", "checkpoint"),
           "kyiv": Role("Kyiv's left bank (special regime)", "kyiv"), "patrol": Role("River patrol strip", "patrol")},
    headline_rules=(
        HeadlineRule("Trans-Dnieper region", ids=("region",)),
        HeadlineRule("Kyiv's left bank (special regime)", ids=("kyiv-left-bank",)),
        HeadlineRule("Checkpoint belt", ids=("kyiv-checkpoints",)),
        HeadlineRule("River patrol strip", ids=("patrol-strip",)),
    ),
)
