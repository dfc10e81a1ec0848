"""Geometry made fit to be written: valid at the written precision, right-hand rule.

Everything the project writes (GeoJSON at 6 decimals, GeoPackage at full precision) goes
through :func:`for_output`, so that a strict reader (a database, a validator) re-reads it as
valid: no self-intersections, no rings of zero area or spikes (a ring that goes out and back
along the same line), exteriors counter-clockwise and holes clockwise (RFC 7946 §3.1.6, and
the OGC Simple Features convention GeoPackage follows).

Rounding coordinates one by one can break a valid polygon: two close vertices collapse onto
one, a thin sliver becomes a spike or a ring of zero area, two edges cross. Polygons are
therefore rounded with GEOS's snap-rounding precision reducer (``shapely.set_precision``,
``mode="valid_output"``), which moves every vertex onto the grid and repairs the topology at
that precision, dropping what collapsed; lines and points are rounded coordinate by
coordinate (they cannot be invalid), with repeated points removed.
"""

from __future__ import annotations

import shapely
import shapely.geometry.polygon
from shapely.geometry.base import BaseGeometry

from geo.geodesy import polygon_parts

__all__ = ["for_output", "is_clean"]


def for_output(geom: BaseGeometry | None, *, precision: int | None = None) -> BaseGeometry | None:
    """Return ``geom`` valid at ``precision`` decimals, exteriors counter-clockwise.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees.
    precision : int, optional
        Decimal places the geometry will be written with (6 is about 0.1 m); ``None``
        keeps full precision (e.g. for GeoPackage) and only repairs and orients.

    Returns
    -------
    shapely geometry or None
        Of the same family (polygonal, linear, points, or a collection of them); ``None``
        when ``geom`` is ``None`` or empty, or everything collapsed at that precision
        (a polygon narrower than the grid).

    Examples
    --------
    >>> import shapely
    >>> sliver = shapely.Polygon([(0, 0), (1, 0), (1, 1e-8), (0, 0)])
    >>> for_output(sliver, precision=6) is None  # a zero-area ring once rounded
    True
    >>> cw = shapely.Polygon([(0, 0), (0, 1), (1, 1), (0, 0)])
    >>> for_output(cw).exterior.is_ccw
    True
    """
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, shapely.GeometryCollection) and not isinstance(
            geom, shapely.MultiPolygon | shapely.MultiLineString | shapely.MultiPoint):
        parts = [for_output(g, precision=precision) for g in geom.geoms]
        parts = [g for g in parts if g is not None]
        return shapely.GeometryCollection(parts) if parts else None
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return _polygonal(geom, precision)
    grid = 0.0 if precision is None else 10.0**-precision
    out = shapely.set_precision(geom, grid, mode="pointwise") if grid else geom
    if isinstance(out, shapely.LineString | shapely.MultiLineString):
        lines = [shapely.remove_repeated_points(g) for g in shapely.get_parts(out)]
        lines = [g for g in lines if len(g.coords) >= 2]
        if not lines:
            return None
        return lines[0] if isinstance(geom, shapely.LineString) else shapely.MultiLineString(lines)
    return None if out.is_empty else out


def _polygonal(geom: shapely.Polygon | shapely.MultiPolygon,
               precision: int | None) -> shapely.Polygon | shapely.MultiPolygon | None:
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if precision is not None:
        geom = shapely.set_precision(geom, 10.0**-precision, mode="valid_output")
    polys = [shapely.geometry.polygon.orient(p, sign=1.0) for p in polygon_parts(geom) if p.area > 0]
    if not polys:
        return None
    if len(polys) == 1:
        return polys[0]
    return shapely.MultiPolygon(polys)


def is_clean(geom: BaseGeometry | None) -> str | None:
    """Why a geometry is not fit to be written, or ``None`` when it is.

    Parameters
    ----------
    geom : shapely geometry or None

    Returns
    -------
    str or None
        ``shapely.is_valid_reason`` when invalid; otherwise the first ring of zero area or
        exterior wound clockwise (or hole wound counter-clockwise); ``None`` if none.
    """
    if geom is None or geom.is_empty:
        return None
    if not shapely.is_valid(geom):
        return shapely.is_valid_reason(geom)
    for poly in polygon_parts(geom):
        for k, ring in enumerate((poly.exterior, *poly.interiors)):
            if shapely.Polygon(ring).area == 0:
                return f"ring of zero area at {ring.coords[0]}"
            if ring.is_ccw != (k == 0):
                return f"{'exterior' if k == 0 else 'hole'} wound the wrong way at {ring.coords[0]}"
    return None
