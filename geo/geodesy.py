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
    make an area negative. Polygons spanning 90° or more of longitude or latitude — whole
    globe, hemispheres, polar caps written along ``lat = ±90`` as RFC 7946 writes them, bands
    wider than 180° — are cut into cells of an eighth of the globe and their edges followed
    as straight lon/lat lines, so none of them wraps to zero or a negative area.

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
        x0, y0, x1, y1 = poly.bounds
        small = x1 - x0 < _LARGE_SPAN_DEG and y1 - y0 < _LARGE_SPAN_DEG
        pieces = [poly] if small else _cut_into_cells(poly)
        total += sum(_rings_area_m2(p) for p in pieces)
    return max(total, 0.0) / 1e6


#: A polygon spanning this many degrees of longitude or latitude (or more) is measured in cells.
_LARGE_SPAN_DEG = 90.0
#: Cells of the lon/lat plane, each an eighth of the globe (well under half of it).
_CELLS = shapely.box(np.repeat([-180.0, -90.0, 0.0, 90.0], 2), np.tile([-90.0, 0.0], 4),
                     np.repeat([-90.0, 0.0, 90.0, 180.0], 2), np.tile([0.0, 90.0], 4))
#: Longest edge kept when a large polygon's straight lon/lat edges are followed, degrees.
_STRAIGHT_STEP_DEG = 0.1


def _rings_area_m2(poly: shapely.Polygon) -> float:
    rings = [poly.exterior, *poly.interiors]
    total = 0.0
    for k, ring in enumerate(rings):
        xy = shapely.get_coordinates(ring)
        area_m2, _ = GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])
        total += abs(area_m2) if k == 0 else -abs(area_m2)
    return total


def _cut_into_cells(poly: shapely.Polygon) -> list[shapely.Polygon]:
    """A large polygon as pieces of at most an eighth of the globe, edges straight in lon/lat.

    A geodesic ring encloses an area only up to a multiple of the whole globe's, and a long
    edge along a parallel is not a geodesic: a polygon spanning 90° or more (a hemisphere, a
    polar cap written along ``lat = ±90``, a band 200° wide, the whole world) is cut along
    the lon/lat grid into cells, and each piece's edges are followed as straight lon/lat
    lines (RFC 7946) in steps of at most 0.1° before its rings are measured.
    """
    pieces = shapely.intersection(poly, _CELLS)
    out = []
    for piece in pieces:
        for part in polygon_parts(piece):
            out.append(shapely.segmentize(part, _STRAIGHT_STEP_DEG))
    return out


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
