"""Helpers for the layer tests: places typed from public coordinates and geodesic references
computed with pyproj directly (never through the code under test).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from layers import LayerResult

GEOD = Geod(ellps="WGS84")

#: (lon, lat) of city centres, typed from public gazetteers (GeoNames / Wikipedia), not read from data/.
PLACES: dict[str, tuple[float, float]] = {
    # Baltic and Central Europe
    "Narva": (28.186, 59.374),
    "Tallinn": (24.754, 59.437),
    "Riga": (24.106, 56.946),
    "Vilnius": (25.280, 54.689),
    "Minsk": (27.567, 53.900),
    "Warsaw": (21.012, 52.230),
    "Berlin": (13.411, 52.524),
    "Helsinki": (24.938, 60.170),
    "Chernyakhovsk": (21.800, 54.630),
    # Ukraine
    "Kyiv": (30.524, 50.455),
    "Donetsk": (37.802, 48.023),
    "Mariupol": (37.541, 47.095),
    "Melitopol": (35.382, 46.847),
    "Sevastopol": (33.521, 44.608),
    "Kharkiv": (36.253, 49.981),
    "Zaporizhzhia": (35.117, 47.852),
    "Kherson": (32.614, 46.639),
    "Kramatorsk": (37.588, 48.731),
    "Sloviansk": (37.597, 48.850),
    "Poltava": (34.554, 49.589),
    "Sumy": (34.800, 50.922),
    "Chernihiv": (31.285, 51.506),
    "Lviv": (24.023, 49.838),
    "Vinnytsia": (28.469, 49.232),
    "Odesa": (30.744, 46.486),
}


def point(name: str) -> shapely.Point:
    """The place as a shapely point (lon, lat)."""
    return shapely.Point(*PLACES[name])


def by_id(result: LayerResult) -> dict[str, Any]:
    """Features by the part of their id after ``layer:``."""
    return {f.id.split(":", 1)[1]: f for f in result.features}


def geodesic_area_km2(geom: shapely.Geometry) -> float:
    """Geodesic area with pyproj directly (polygon parts only, rings oriented), km²."""
    if isinstance(geom, shapely.Polygon):
        if geom.is_empty:
            return 0.0
        oriented = shapely.geometry.polygon.orient(geom, sign=1.0)
        return abs(GEOD.geometry_area_perimeter(oriented)[0]) / 1e6
    if isinstance(geom, shapely.MultiPolygon | shapely.GeometryCollection):
        return sum(geodesic_area_km2(g) for g in geom.geoms)
    return 0.0


def geodesic_length_km(geom: shapely.Geometry) -> float:
    """Geodesic length of a line with pyproj directly, km."""
    return GEOD.geometry_length(geom) / 1e3


def geodesic_circle_km2(lon: float, lat: float, radius_km: float, n: int = 36_000) -> float:
    """Area of a geodesic circle from an n-vertex ring of Geod.fwd points (a second method)."""
    az = np.arange(n) * (360.0 / n)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1e3))
    return abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6


def distance_to_km(place: tuple[float, float], geom: shapely.Geometry, step_deg: float = 0.005) -> float:
    """Shortest geodesic distance from a point to the outline of ``geom`` (densified to ~0.5 km), km."""
    outline = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    xy = shapely.get_coordinates(shapely.segmentize(outline, step_deg))
    n = len(xy)
    _, _, dist = GEOD.inv(np.full(n, place[0]), np.full(n, place[1]), xy[:, 0], xy[:, 1])
    return float(np.min(dist)) / 1e3


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lon, lat) points, km."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1e3
