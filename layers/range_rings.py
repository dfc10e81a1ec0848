"""Geodesic missile range rings around launch sites (INF band 500–5,500 km)."""

from __future__ import annotations

from typing import Any

import shapely

from geo import buffer, data
from geo.settings import EUROPE_BBOX
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
from layers._sources import DIALOGUE_JAN_2022, DRAFT_EXPLAINED, KORYBKO_TALKS
from layers.results import Figures

__all__ = ["RANGE_PRESETS", "SITES", "SPEC"]

NAME = "range-rings"
SOURCES = (DRAFT_EXPLAINED, DIALOGUE_JAN_2022, KORYBKO_TALKS)

#: Launch sites (lon, lat, description).
SITES = {
    "kaliningrad": (21.80, 54.63, "Chernyakhovsk, Kaliningrad oblast (Iskander brigade base)"),
    "belarus": (28.47, 53.30, "Asipovichy, Belarus (Iskander brigade base; Oreshnik deployment announced 2024–25)"),
}
#: Ranges (km) drawn for each preset, inner to outer.
RANGE_PRESETS = {
    "iskander": (500.0,),
    "inf-band": (500.0, 5500.0),
    "oreshnik": (5500.0,),
}


def _build(p: dict[str, Any]) -> LayerResult:
    if p["site"] == "custom":
        lon, lat, where = p["lon"], p["lat"], f"custom site ({p['lon']:.3f}°E, {p['lat']:.3f}°N)"
    else:
        lon, lat, where = SITES[p["site"]]
    ranges = (p["range_km"],) if p["preset"] == "custom" else RANGE_PRESETS[p["preset"]]
    site = shapely.Point(lon, lat)
    capitals = data.settlements().query("feature_code == 'PPLC'")  # one per city (a bank part's is its city's)
    capitals = capitals.assign(name=capitals["city"].fillna(capitals["name"]))
    features: list[Feature] = [Feature(f"{NAME}:site", where, "site", site, Figures(None, None))]
    previous = None
    for r in ranges:
        disc = buffer(site, r)
        inside = capitals[capitals.within(disc)].sort_values("population", ascending=False)
        features.append(measured_feature(
            f"{NAME}:{int(r)}km", f"{r:,.0f} km from {where.split(',')[0]}", "ring", disc,
            range_km=r, capitals_within=list(inside["name"]), capital_count=int(len(inside)),
        ))
        if previous is not None:  # the band between two ranges (e.g. the INF band 500–5,500 km)
            band = shapely.difference(disc, previous[1])
            features.append(measured_feature(
                f"{NAME}:{int(previous[0])}-{int(r)}km", f"{previous[0]:,.0f}–{r:,.0f} km band", "band", band,
                range_km_min=previous[0], range_km_max=r,
            ))
        previous = (r, disc)
    xmin, ymin, xmax, ymax = EUROPE_BBOX
    return SPEC.result(
        p, p["as_of"], features,
        "Geodesic rings on the WGS84 ellipsoid (exact Geod.fwd points, closed over the pole and split at "
        "the antimeridian when they reach them). People and capitals counted from the embedded data.",
        (f"People and capitals are counted only on land inside the embedded data set "
         f"(lon {xmin:g}…{xmax:g}, lat {ymin:g}…{ymax:g}); rings reaching beyond it undercount.",),
    )


SPEC = LayerSpec(
    name=NAME,
    title="Missile range rings",
    description=describe(
        "Geodesic range rings around launch sites in Kaliningrad and Belarus, or any coordinates: "
        "Iskander (~500 km), the band the INF Treaty banned (500–5,500 km; Russia's draft Art. 5 "
        "would bar missiles within range of the other party) and Oreshnik (up to 5,500 km).",
        SOURCES,
    ),
    parameters=(
        Parameter("site", "choice", "kaliningrad", "Launch site", choices=("kaliningrad", "belarus", "custom"),
                  choice_labels=("Chernyakhovsk, Kaliningrad oblast", "Asipovichy, Belarus", "Custom site")),
        Parameter("lon", "float", 20.51, "Longitude (custom site)", unit="°", minimum=-180.0, maximum=180.0,
                  visible_when=("site", ("custom",))),
        Parameter("lat", "float", 54.71, "Latitude (custom site)", unit="°", minimum=-90.0, maximum=90.0,
                  visible_when=("site", ("custom",))),
        Parameter("preset", "choice", "inf-band", "Ranges", choices=("iskander", "inf-band", "oreshnik", "custom"),
                  choice_labels=("Iskander, 500 km", "INF band, 500–5,500 km", "Oreshnik, 5,500 km", "Custom range")),
        Parameter("range_km", "float", 1000.0, "Range (custom)", unit="km", minimum=1.0, maximum=10000.0, step=50.0,
                  visible_when=("preset", ("custom",))),
        AS_OF,
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={"site": Role("Launch site", "site"), "ring": Role("Range ring (land and sea)", "ring"),
           "band": Role("Band between two ranges (land and sea)", "ring_band")},
    headline_rules=(
        HeadlineRule("{name}", roles=("ring", "band"), each=True, note="includes sea"),
    ),
)
