"""Geodesic measures on the WGS84 ellipsoid: areas, lengths and distances.

Every function here works on shapely geometries in lon/lat degrees (EPSG:4326) and
returns kilometres or square kilometres computed with :class:`pyproj.Geod`
(Karney's algorithms), never with planar formulas.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.settings import GEOD

__all__ = ["area_km2", "distance_km", "length_km", "polygon_parts"]


def polygon_parts(geom: BaseGeometry | None) -> list[shapely.Polygon]:
    """Return the polygons inside any geometry (collections are walked, others dropped).

    Parameters
    ----------
    geom : shapely geometry or None

    Returns
    -------
    list of shapely.Polygon
        Non-empty polygons, in the order they appear.
    """
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if isinstance(geom, shapely.MultiPolygon | shapely.GeometryCollection):
        return [p for part in geom.geoms for p in polygon_parts(part)]
    return []


def area_km2(geom: BaseGeometry | None) -> float:
    """Geodesic area of the polygonal parts of a geometry, in km².

    Each ring is measured with :meth:`pyproj.Geod.polygon_area_perimeter` and its absolute
    value taken (exterior minus holes), so the sign convention for ring orientation cannot
    make an area negative. Polygons that reach a pole along ``lat = ±90`` edges, as RFC 7946
    writes them, are measured exactly.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees. Points and lines contribute nothing.

    Returns
    -------
    float
        Area in km²; ``0.0`` for ``None``, empty or non-polygonal input.

    Examples
    --------
    >>> from shapely import box
    >>> round(area_km2(box(0, 0, 1, 1)))
    12308
    """
    total = 0.0
    for poly in polygon_parts(geom):
        rings = [poly.exterior, *poly.interiors]
        for k, ring in enumerate(rings):
            xy = shapely.get_coordinates(ring)
            area_m2, _ = GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])
            total += abs(area_m2) if k == 0 else -abs(area_m2)
    return total / 1e6


def length_km(geom: BaseGeometry | None) -> float:
    """Geodesic length of the linear parts (or perimeter of polygonal parts), in km.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees.

    Returns
    -------
    float
        Length in km; ``0.0`` for ``None`` or empty input.

    Examples
    --------
    >>> from shapely import LineString
    >>> round(length_km(LineString([(0, 0), (0, 1)])), 3)
    110.574
    """
    if geom is None or geom.is_empty:
        return 0.0
    return GEOD.geometry_length(geom) / 1000.0


def distance_km(
    lon1: float | np.ndarray,
    lat1: float | np.ndarray,
    lon2: float | np.ndarray,
    lat2: float | np.ndarray,
) -> np.ndarray | float:
    """Geodesic distance between points, in km (vectorised over numpy arrays).

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Degrees.

    Returns
    -------
    float or numpy.ndarray
        Distance(s) in km.

    Examples
    --------
    >>> round(float(distance_km(0, 0, 1, 0)), 3)
    111.319
    """
    _, _, dist_m = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(dist_m) / 1000.0 if np.ndim(dist_m) else float(dist_m) / 1000.0
