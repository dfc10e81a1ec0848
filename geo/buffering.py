"""Geodesic buffers on the WGS84 ellipsoid, for points, lines and polygons in lon/lat.

Method
------
A buffer of width *W* is the set of points whose geodesic distance to the source is at most
*W*. Two constructions cover the whole range of widths, both built from exact geodesic
computations and checked against :class:`pyproj.Geod` to 0.1 % of *W* (``tests/geo``):

* **Narrow** (``W <= NARROW_MAX_KM``): the source is cut into pieces whose points all lie
  within ``LOCAL_RADIUS_KM`` of the piece's centre; each piece is buffered in a plane in an
  azimuthal equidistant projection (AEQD) centred on it, where distances from any point of
  the piece are true to better than ``(r/R)² / 6`` (2·10⁻⁴ at 220 km), then mapped back to
  lon/lat and unioned. Pieces share their end vertices, so their round caps overlap and the
  union has no gaps. Thousands of source vertices cost a few planar buffers.
* **Wide** (``W > NARROW_MAX_KM``): the source is gathered into groups within 1,500 km of
  a centre (a line cut into runs), and each group is swept segment by segment in the AEQD
  plane centred on it, so nothing swept comes near a plane's antipode (two antipodal points
  give two discs, a line round the equator a whole zone): each segment gives the convex hull of its ends, the points *W*
  along the geodesic normals at both ends, and the arcs of geodesic circle (``Geod.fwd``)
  on the outer side of the turns at its ends; points give whole circles. The pieces are
  unioned in the plane. Every point used is exactly *W* from a source vertex, and hull
  edges join points *W* from neighbouring vertices, which is where the true boundary runs.
  A plane covers the whole Earth but its antipode, so rings that contain the North Pole
  or cross the antimeridian come out whole: they are converted to RFC 7946 lon/lat
  (closed along the pole, split at ±180°).

Input edges mean what ``edges`` declares (straight in lon/lat as RFC 7946 says, by default,
or geodesics): the input is first densified in that meaning until both readings of every
edge agree to 10⁻⁴ W (:func:`geo.edges.densify`), then cut straight to at most
``_densify_step_km(W)`` for buffering.

One-sided buffers (``left``/``right`` of a directed line) are the union of one piece per
segment, swept W along its geodesic normals on that side, and of the sectors of geodesic
circle at the turns whose outside is on that side; the ends are flat, along the normals at
the line's ends, as in QGIS (:func:`_one_side`). Polygon buffers are the polygon plus
(``outside``) or minus (``inside``) the band around its boundary on the sphere, or the band
itself (``both``): stretches of a lon/lat outline along a pole, or along ±180° with the polygon
on both sides, bound nothing and are not buffered (the whole world grows into itself, a polar
cap written with its corners at ±90° only along its parallel). Polygons keep the lon/lat frame
they were given in, so an edge read the long way round (RFC 7946) is buffered as measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, get_args

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError, ParameterError
from geo.cost import check_buffer_cost
from geo.edges import DEFAULT_EDGES, Edges, check_edges, densify
from geo.geodesy import polygon_parts
from geo.settings import GEOD, THREADS

__all__ = ["LOCAL_RADIUS_KM", "MAX_ONE_SIDED_KM", "MAX_WIDTH_KM", "NARROW_MAX_KM", "Side", "buffer"]

Side = Literal["both", "left", "right", "outside", "inside"]

#: Widest buffer accepted, km (a quarter of a meridian is 10,002 km).
MAX_WIDTH_KM = 10_000.0
#: Widest one-sided (left/right) buffer, km: beyond it "the left of a line" wraps the globe.
MAX_ONE_SIDED_KM = 3_000.0
#: Widest buffer built with local AEQD planes, km; wider ones are swept in one plane.
NARROW_MAX_KM = 120.0
#: Largest distance from a local plane's centre to any point it measures, km.
LOCAL_RADIUS_KM = 220.0
#: Segments per quarter circle in the local planar buffers (chord error 1.3·10⁻⁴ W).
QUAD_SEGS = 48

_EARTH_RADIUS_KM = 6371.0088
#: Longest straight lon/lat edge handed to the edge densifier, degrees: a long edge (one running
#: 360° round a parallel has zero geodesic length between its ends) is cut first, in lon/lat.
_STRAIGHT_PRESTEP_DEG = 1.0
#: Segments per run when a detailed line is buffered run by run (see _planar_buffer).
_RUN = 8
#: Largest gap between the straight and geodesic readings of an input edge, as a fraction of W.
_EDGE_TOLERANCE = 1e-4
#: Largest departure of the simplified band from its outline, as a fraction of W (in degrees of
#: latitude, so at most that in km along any direction).
_SIMPLIFY = 5e-5
#: Relative departure from W beyond which a planar buffer vertex is snapped back (see _snap_to_distance).
_SNAP_TOLERANCE = 2e-4


# ----------------------------------------------------------------------------- public API


def buffer(geom: BaseGeometry, width_km: float, *, side: Side = "both",
           edges: Edges = DEFAULT_EDGES) -> shapely.Polygon | shapely.MultiPolygon:
    """Buffer a lon/lat geometry by a geodesic distance on the WGS84 ellipsoid.

    Parameters
    ----------
    geom : shapely geometry
        Point, line or polygon (or Multi-/collection of them) in lon/lat degrees (EPSG:4326).
    width_km : float
        Buffer distance in km, ``0 < width_km <= 10,000``.
    side : {"both", "left", "right", "outside", "inside"}
        ``both``: every point within ``width_km`` of a point or line, or of a polygon's
        boundary (a band straddling it). ``left``/``right``: one side of a directed line,
        flat at its ends. ``outside``: a polygon grown by ``width_km`` (for points and lines
        the same as ``both``). ``inside``: a polygon shrunk by ``width_km`` (may be empty).
    edges : {"straight", "geodesic"}
        What an edge between two input vertices means (see :mod:`geo.edges`): a straight
        line in lon/lat (RFC 7946, the default) or a geodesic (PostGIS ``geography``). The
        input is densified in that meaning first, until the two readings of every edge
        differ by less than 10⁻⁴ W, so the result (its unchanged polygon edges included)
        is the same shape for a reader of either convention to within 0.01 % of the width.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid, in lon/lat, split at the antimeridian and closed along the pole as
        RFC 7946 prescribes. Empty when an inside buffer consumes the whole polygon.

    Raises
    ------
    InputError
        If the geometry is empty, not a shapely geometry, or has coordinates outside
        lon −180…180 / lat −90…90 or that are not finite.
    ParameterError
        If ``width_km`` is out of range or ``side`` does not suit the geometry.

    Examples
    --------
    >>> from shapely import Point
    >>> from geo.geodesy import area_km2
    >>> ring = buffer(Point(27.56, 53.90), 100)
    >>> round(area_km2(ring) / (3.14159265 * 100**2), 3)  # a geodesic disc of radius 100 km
    1.0
    """
    width_km = _check_width(width_km)
    edges = check_edges(edges)
    if side not in get_args(Side):
        raise ParameterError(f"side must be one of {get_args(Side)}, got {side!r}")
    points, lines, polygons = _decompose(geom)
    check_buffer_cost(geom, width_km)
    # the input read once in its declared meaning, cut to the buffering step along that reading
    opts = {"edges": edges, "tolerance_m": _EDGE_TOLERANCE * width_km * 1000.0, "max_km": _densify_step_km(width_km)}
    if edges == "straight":  # an edge spanning much longitude (to the antimeridian and back) kept straight
        lines = [np.asarray(shapely.segmentize(shapely.LineString(c), _STRAIGHT_PRESTEP_DEG).coords) for c in lines]
        polygons = [shapely.segmentize(p, _STRAIGHT_PRESTEP_DEG) for p in polygons]
    lines = [np.asarray(densify(shapely.LineString(c), **opts).coords) for c in lines]
    polygons = [q for p in polygons for q in _valid_parts(densify(p, **opts))]
    if side in ("left", "right") and (points or polygons or not lines):
        raise ParameterError(
            f"side={side!r} needs a line (the side is taken relative to its direction); "
            f"got {geom.geom_type}. Use side='both' for points, 'outside'/'inside'/'both' for polygons."
        )
    if side in ("left", "right") and width_km > MAX_ONE_SIDED_KM:
        raise ParameterError(
            f"one-sided buffers are limited to {MAX_ONE_SIDED_KM:,.0f} km (beyond, the side of a line "
            f"wraps around the globe); got {width_km:,.0f} km. Use side='both'."
        )
    if side == "inside" and not polygons:
        raise ParameterError(f"side='inside' needs a polygon; got {geom.geom_type}.")

    # polygons stay in the lon/lat frame they were given in (their edges already mean what
    # ``edges`` says, the long way round included); only their boundary on the sphere is buffered
    area = shapely.union_all(polygons) if polygons else None
    rings = _sphere_boundary(area) if area is not None else []
    if not points and not lines and not rings:  # the whole globe: no boundary to buffer
        band = shapely.Polygon()
    else:
        lon0 = _central_lon(points, lines, rings)
        points = [(_unwrap(np.array([p[0]]), lon0)[0], p[1]) for p in points]
        lines = [np.column_stack([_unwrap(c[:, 0], lon0), c[:, 1]]) for c in lines]
        rings = [np.column_stack([_unwrap(c[:, 0], lon0), c[:, 1]]) for c in rings]
        step = _densify_step_km(width_km)
        lines = [_densify(c, step) for c in lines]
        rings = [_densify(c, step) for c in rings]
        if side in ("left", "right"):
            band = _one_side(lines, width_km, side)
        else:
            band = _band(points, lines + rings, width_km, lon0)
        band = _finish(band, width_km)
        if side not in ("left", "right") and width_km > NARROW_MAX_KM:
            # vertices no closer than the width needs: a subset kept within 5·10⁻⁵ W of the band's outline
            # (edges kept under _max_edge_km, where straight lon/lat and geodesic readings agree); narrow
            # bands are simplified so in their local planes already (_buffer_piece)
            band = shapely.simplify(band, _SIMPLIFY * width_km / 111.32)
            band = _finish(shapely.segmentize(band, _max_edge_km(width_km) / 111.32), width_km)
    if area is None or side == "both":
        return band
    if side == "outside":
        return _finish(shapely.union_all([band, area]), width_km)
    return _finish(shapely.difference(area, band), width_km)


# ----------------------------------------------------------------------------- validation


def _check_width(width_km: float) -> float:
    try:
        w = float(width_km)
    except (TypeError, ValueError):
        raise ParameterError(f"width_km must be a number of km, got {width_km!r}") from None
    if not np.isfinite(w) or not 0 < w <= MAX_WIDTH_KM:
        raise ParameterError(f"width_km must be > 0 and <= {MAX_WIDTH_KM:,.0f} km, got {width_km!r}")
    return w


def _decompose(geom: BaseGeometry) -> tuple[list[tuple[float, float]], list[np.ndarray], list[shapely.Polygon]]:
    if not isinstance(geom, BaseGeometry):
        raise InputError(f"expected a shapely geometry, got {type(geom).__name__}")
    if geom.is_empty:
        raise InputError("the geometry is empty: there is nothing to buffer")
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise InputError("the geometry has NaN or infinite coordinates")
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise InputError(
            "coordinates are outside lon -180..180 / lat -90..90: the geometry must be in "
            "lon/lat degrees (EPSG:4326, longitude first)"
        )
    points: list[tuple[float, float]] = []
    lines: list[np.ndarray] = []
    polygons: list[shapely.Polygon] = []
    for part in shapely.get_parts(shapely.get_parts(geom)):  # flattens collections of multis
        if isinstance(part, shapely.Point):
            points.append((part.x, part.y))
        elif isinstance(part, shapely.LineString | shapely.LinearRing):
            c = _dedupe(np.asarray(part.coords)[:, :2])
            if len(c) == 1:
                points.append(tuple(c[0]))
            elif len(c) > 1:
                lines.append(c)
        elif isinstance(part, shapely.Polygon):
            polygons.extend(polygon_parts(shapely.make_valid(shapely.force_2d(part))))
        elif not part.is_empty:
            polygons.extend(polygon_parts(shapely.make_valid(shapely.force_2d(part))))
    return points, lines, polygons


def _sphere_boundary(area: BaseGeometry) -> list[np.ndarray]:
    """The lines that bound a lon/lat polygon on the sphere, as coordinate arrays.

    A polygon's lon/lat outline is not its boundary on the globe where it runs along a pole
    (``lat = ±90`` is a single point) or along the antimeridian with the polygon on both sides
    of it (RFC 7946 splits such polygons there): those stretches bound nothing and are left
    out, so the whole world has no boundary, a polar cap only its parallel, and the two
    halves of a polygon split at ±180° the outline of the whole.
    """
    outline = shapely.line_merge(area.boundary)
    x0, y0, x1, y1 = area.bounds
    cut = []
    if y0 <= -90.0:
        cut.append(shapely.LineString([(-180.0, -90.0), (180.0, -90.0)]))
    if y1 >= 90.0:
        cut.append(shapely.LineString([(-180.0, 90.0), (180.0, 90.0)]))
    if x0 <= -180.0 and x1 >= 180.0:
        east = shapely.intersection(outline, shapely.LineString([(180.0, -90.0), (180.0, 90.0)]))
        west = shapely.intersection(outline, shapely.LineString([(-180.0, -90.0), (-180.0, 90.0)]))
        west = shapely.transform(west, lambda xy: xy + [360.0, 0.0])
        seam = shapely.intersection(east, west)  # where the polygon lies on both sides of ±180°
        if not seam.is_empty:
            cut += [seam, shapely.transform(seam, lambda xy: xy - [360.0, 0.0])]
    if cut:
        outline = shapely.line_merge(shapely.difference(outline, shapely.union_all(cut)))
    lines = []
    for part in shapely.get_parts(outline):
        if isinstance(part, shapely.LineString | shapely.LinearRing):
            c = _dedupe(np.asarray(part.coords)[:, :2])
            if len(c) > 1:
                lines.append(c)
    return lines


def _valid_parts(poly: shapely.Polygon) -> list[shapely.Polygon]:
    """A polygon's valid parts (geodesic edges can cross where straight ones did not)."""
    return [poly] if poly.is_valid else polygon_parts(shapely.make_valid(poly))


def _valid(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` itself if valid, else repaired (``make_valid``)."""
    return geom if shapely.is_valid(geom) else shapely.make_valid(geom)


def _dedupe(coords: np.ndarray) -> np.ndarray:
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(np.diff(coords, axis=0) != 0, axis=1)
    return coords[keep]


# ----------------------------------------------------------------------------- longitude frame


def _central_lon(points: list, lines: list[np.ndarray], polygons: list[shapely.Polygon]) -> float:
    """Circular mean of the source's longitudes: the frame's central meridian."""
    lons = [np.array([p[0] for p in points])] + [c[:, 0] for c in lines]
    lons += [shapely.get_coordinates(p)[:, 0] if isinstance(p, BaseGeometry) else p[:, 0] for p in polygons]
    lon = np.radians(np.concatenate(lons))
    return float(np.degrees(np.arctan2(np.sin(lon).mean(), np.cos(lon).mean())))


def _unwrap(lon: np.ndarray, lon0: float) -> np.ndarray:
    """Longitudes moved into ``[lon0 - 180, lon0 + 180)``; those already there are kept exactly.

    (Recomputing every longitude through the modulo moves it by rounding, ~1e-14°, enough for
    parts of a multipolygon that touch to overlap and their union to fail.)
    """
    lon = np.asarray(lon, dtype=float)
    inside = (lon >= lon0 - 180.0) & (lon < lon0 + 180.0)
    return np.where(inside, lon, lon0 + np.mod(lon - lon0 + 180.0, 360.0) - 180.0)


def _wrap_to_window(geom: BaseGeometry, west: float) -> BaseGeometry:
    """Fold a lon/lat geometry that may extend past ``[west, west + 360]`` into that window."""
    if geom.is_empty:
        return shapely.Polygon()
    xmin, _, xmax, _ = geom.bounds
    if xmin >= west and xmax <= west + 360.0:
        return geom
    pieces = []
    for k in range(int(np.floor((xmin - west) / 360.0)), int(np.floor((xmax - west) / 360.0)) + 1):
        window = shapely.box(west + 360.0 * k, -90.0, west + 360.0 * (k + 1), 90.0)
        part = shapely.intersection(geom, window)
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda xy, k=k: xy - [360.0 * k, 0.0]))
    if len(pieces) == 1:
        return pieces[0]
    # pieces cut on either side of a window edge meet along it up to rounding: snap them
    # to a 1e-9° grid (0.1 mm) so that the union dissolves the seam
    return shapely.union_all(pieces, grid_size=1e-9) if pieces else shapely.Polygon()


# ----------------------------------------------------------------------------- densification


def _densify_step_km(width_km: float) -> float:
    """Longest source segment kept, km.

    Short enough that straight-in-lon/lat and geodesic readings of a segment differ by
    < 2·10⁻⁵ W.
    """
    return float(np.clip(width_km, 0.5, 5.0))


def _densify(coords: np.ndarray, max_km: float) -> np.ndarray:
    """Insert points along straight lon/lat segments so none is longer than ``max_km``."""
    if len(coords) < 2:
        return coords
    _, _, seg_m = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    n = np.maximum(1, np.ceil(np.asarray(seg_m) / (max_km * 1000.0)).astype(int))
    if (n == 1).all():
        return coords
    starts = np.repeat(coords[:-1], n, axis=0)
    ends = np.repeat(coords[1:], n, axis=0)
    t = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    pts = starts + (ends - starts) * t[:, None]
    return np.vstack([pts, coords[-1:]])


def _max_edge_km(width_km: float) -> float:
    """Longest result edge kept when mapping a plane polygon to lon/lat, km.

    A straight lon/lat edge of length e at latitude φ strays about e²·tan φ / (8R) from
    the plane's straight edge; this keeps it under 2·10⁻⁵ W up to 79° of latitude.
    """
    return float(np.clip(np.sqrt(8.0 * _EARTH_RADIUS_KM * 2e-5 * width_km / 5.0), 0.2, 50.0))


# ----------------------------------------------------------------------------- projections


class _Aeqd:
    """Azimuthal equidistant plane on the ellipsoid, centred on (lon, lat), in metres.

    Built directly from geodesics: a point's plane coordinates are its geodesic distance
    and azimuth from the centre (``Geod.inv``), and back (``Geod.fwd``). This is the
    ellipsoidal AEQD projection, without the cost of building a PROJ transformer per plane.
    """

    def __init__(self, lon: float, lat: float) -> None:
        self.lon, self.lat = lon, lat

    def to_plane(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        az, _, dist = GEOD.inv(np.full(lon.shape, self.lon), np.full(lon.shape, self.lat), lon, lat)
        az = np.radians(az)
        return dist * np.sin(az), dist * np.cos(az)

    def to_lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        az = np.degrees(np.arctan2(x, y))
        lon, lat, _ = GEOD.fwd(np.full(x.shape, self.lon), np.full(x.shape, self.lat), az, np.hypot(x, y))
        return lon, lat


def _centre(lonlat: np.ndarray) -> tuple[float, float]:
    """Centre of a point cloud on the sphere (mean of unit vectors), degrees."""
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    x, y, z = (np.cos(lat) * np.cos(lon)).mean(), (np.cos(lat) * np.sin(lon)).mean(), np.sin(lat).mean()
    if np.hypot(np.hypot(x, y), z) < 1e-9:
        return float(np.degrees(lon[0])), float(np.degrees(lat[0]))
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))


def _to_plane(coords: np.ndarray, plane: _Aeqd) -> np.ndarray:
    return np.column_stack(plane.to_plane(coords[:, 0], coords[:, 1]))


def _plane_polygon_to_lonlat(poly: shapely.Polygon, plane: _Aeqd, lon0: float, max_edge_m: float) -> BaseGeometry:
    """Map a polygon from an AEQD plane to the lon/lat frame, closing it along a pole it contains."""
    poly = shapely.segmentize(poly, max_edge_m)
    poles = []
    for lat in (90.0, -90.0):
        px, py = plane.to_plane(np.array([0.0]), np.array([lat]))
        if poly.contains(shapely.Point(px[0], py[0])):
            poles.append(lat)
    shell = _ring_to_lonlat(np.asarray(poly.exterior.coords), plane, lon0, poles[0] if poles else None)
    holes = [_ring_to_lonlat(np.asarray(r.coords), plane, lon0, None) for r in poly.interiors]
    out = shapely.make_valid(shapely.Polygon(shell))
    for hole in holes:
        out = shapely.difference(out, shapely.make_valid(shapely.Polygon(hole)))
    return _wrap_to_window(out, lon0 - 180.0)


def _ring_to_lonlat(xy: np.ndarray, plane: _Aeqd, lon0: float, pole: float | None) -> np.ndarray:
    lon, lat = plane.to_lonlat(xy[:, 0], xy[:, 1])
    lon = np.degrees(np.unwrap(np.radians(_unwrap(np.asarray(lon), lon0))))
    lat = np.asarray(lat)
    if pole is None:
        return np.column_stack([lon, lat])
    # the ring winds once around the pole: walk along the pole back to where it started
    return np.vstack([np.column_stack([lon, lat]), [[lon[-1], pole], [lon[0], pole]]])


# ----------------------------------------------------------------------------- two-sided band


def _band(points: list[tuple[float, float]], lines: list[np.ndarray], width_km: float, lon0: float) -> BaseGeometry:
    """Union of the geodesic buffers of points and lines, in the lon/lat frame around lon0."""
    if width_km <= NARROW_MAX_KM:
        parts = [_narrow_line(c, width_km, lon0) for c in lines]
        parts += _point_discs(points, width_km, lon0)
    else:
        parts = [_wide([np.array([p]) for p in points] + lines, width_km, lon0)]
    return shapely.union_all(parts)


#: Vertices of a point's geodesic disc (chords sag by 1 - cos(pi/256) = 7.5e-5 of W).
_DISC_VERTICES = 256


def _point_discs(points: list[tuple[float, float]], width_km: float, lon0: float) -> list[BaseGeometry]:
    """Geodesic discs of ``width_km`` (<= 120 km) round points, all built in one vectorised pass.

    Every vertex is exactly ``width_km`` from its point (``Geod.fwd``); a disc is a lon/lat
    polygon in the frame around ``lon0``. Discs that come within 1° of a pole are built by
    :func:`_wide` in an azimuthal plane instead (they may contain it).
    """
    if not points:
        return []
    xy = np.asarray(points, dtype=float)
    polar = np.abs(xy[:, 1]) + width_km / 100.0 > 89.0
    discs: list[BaseGeometry] = [_wide([xy[i : i + 1]], width_km, lon0) for i in np.flatnonzero(polar)]
    plain = xy[~polar]
    if len(plain):
        az = np.tile(np.linspace(0.0, 360.0, _DISC_VERTICES, endpoint=False), len(plain))
        lon, lat, _ = GEOD.fwd(np.repeat(plain[:, 0], _DISC_VERTICES), np.repeat(plain[:, 1], _DISC_VERTICES), az,
                               np.full(az.shape, width_km * 1000.0))
        lon = _unwrap(np.asarray(lon), 0.0).reshape(len(plain), _DISC_VERTICES)
        lon = plain[:, :1] + _unwrap(lon - plain[:, :1], 0.0)  # each ring continuous round its centre
        rings = np.stack([lon, np.asarray(lat).reshape(len(plain), _DISC_VERTICES)], axis=-1)
        discs += list(shapely.polygons(rings))
    return discs


def _narrow_line(coords: np.ndarray, width_km: float, lon0: float) -> BaseGeometry:
    """Buffer one densified line piece by piece in local AEQD planes.

    The pieces are independent, so they are buffered on a small thread pool (GEOS releases
    the GIL); the result does not depend on the number of threads.
    """
    _, _, seg_m = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    along = np.concatenate([[0.0], np.cumsum(seg_m)]) / 1000.0
    piece_km = 2.0 * (LOCAL_RADIUS_KM - width_km)
    bounds = []
    start = 0
    while start < len(coords) - 1:
        stop = int(np.searchsorted(along, along[start] + piece_km, side="right")) - 1
        stop = min(max(stop, start + 1), len(coords) - 1)
        bounds.append((start, stop))
        start = stop
    pieces = [coords[a : b + 1] for a, b in bounds]
    if len(pieces) == 1:
        return _buffer_piece(pieces[0], width_km, lon0)
    with ThreadPoolExecutor(max_workers=min(THREADS, len(pieces))) as pool:
        out = list(pool.map(lambda piece: _buffer_piece(piece, width_km, lon0), pieces))
    return shapely.union_all(out)


def _buffer_piece(piece: np.ndarray, width_km: float, lon0: float) -> BaseGeometry:
    """Buffer a piece of line in the AEQD plane centred on it; return it in lon/lat."""
    width_m = width_km * 1000.0
    plane = _Aeqd(*_centre(piece))
    line = shapely.LineString(_to_plane(piece, plane))
    line = shapely.simplify(line, 1e-4 * width_m, preserve_topology=False)
    # vertices no closer than the width needs: a subset within 5·10⁻⁵ W (m, in the plane) of the band's
    # outline, before it is mapped to lon/lat and cut there to _max_edge_km (Douglas–Peucker, repaired)
    band = _valid(shapely.simplify(_planar_buffer(line, width_m), _SIMPLIFY * width_m, preserve_topology=False))
    return _plane_polygons_to_lonlat(band, plane, lon0, width_m)


def _planar_buffer(line: shapely.LineString, width_m: float) -> BaseGeometry:
    """Round-capped planar buffer, fast for detailed lines too.

    GEOS slows down sharply on long lines whose offset curves overlap themselves many times
    (a detailed border buffered by a few km: seconds for 30,000 vertices). Such lines are
    buffered in runs of :data:`_RUN` segments and the runs unioned, which gives the same
    region (each run keeps its round caps, so the runs overlap) an order of magnitude faster.
    """
    xy = shapely.get_coordinates(line)
    seg = np.hypot(*np.diff(xy, axis=0).T)
    if len(xy) <= 4 * _RUN or np.median(seg) > width_m / 2:
        band = shapely.buffer(line, width_m, quad_segs=QUAD_SEGS)
    else:
        runs = [shapely.LineString(xy[i : i + _RUN + 1]) for i in range(0, len(xy) - 1, _RUN)]
        band = shapely.union_all(shapely.buffer(runs, width_m, quad_segs=QUAD_SEGS))
    # straight edges cut to W/30 for the check, the arcs' chords (2 W sin(π/192) = W/30.6) left whole
    return _snap_to_distance(shapely.segmentize(band, width_m / 30.0), line, width_m)


def _snap_to_distance(band: BaseGeometry, line: shapely.LineString, width_m: float) -> BaseGeometry:
    """Move any boundary vertex that is not ``width_m`` from the line back onto that distance.

    Every boundary point of a two-sided buffer lies exactly W from its line, and GEOS's
    vertices do so to rounding, except where GEOS simplifies the input first (it drops
    concave vertices closer than 1 % of W to their neighbours' chord, so a straight edge of
    the band can bulge out by up to 1 % of W over a small jog) or, rarely, where unioned runs
    leave a notch. The band is segmentized to W/32 before this, so bulging edges get
    vertices; those off W are found with a prepared ``dwithin`` and moved radially from their
    nearest point on the line to exactly W (chord error between them ≤ 1.2·10⁻⁴ W).
    """
    coords = shapely.get_coordinates(band)
    if len(coords) == 0:
        return band
    shapely.prepare(line)
    points = shapely.points(coords)
    tol = _SNAP_TOLERANCE * width_m
    off = ~shapely.dwithin(line, points, width_m + tol) | shapely.dwithin(line, points, width_m - tol)
    if not off.any():
        return band
    idx = np.flatnonzero(off)
    near_xy = _nearest_on_line(shapely.get_coordinates(line), coords[idx])
    vec = coords[idx] - near_xy
    dist = np.hypot(vec[:, 0], vec[:, 1])
    ok = dist > 0
    coords[idx[ok]] = near_xy[ok] + vec[ok] * (width_m / dist[ok])[:, None]
    return _valid(shapely.transform(band, lambda _xy: coords))


def _nearest_on_line(line_xy: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The nearest point of a planar polyline to each point (segments indexed with an STRtree)."""
    a, b = line_xy[:-1], line_xy[1:]
    tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))
    pts, seg = tree.query_nearest(shapely.points(points), all_matches=False)
    p, a, b = points[pts], a[seg], b[seg]
    ab = b - a
    t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300), 0.0, 1.0)
    out = np.empty_like(points)
    out[pts] = a + ab * t[:, None]
    return out


#: Largest distance from a wide buffer's plane centre to the source it sweeps there, km. With
#: ``W <= 10,000`` km nothing swept comes within 8,000 km of the plane's antipode.
_WIDE_GROUP_KM = 1_500.0


def _wide(sources: list[np.ndarray], width_km: float, lon0: float) -> BaseGeometry:
    """Union of the swept pieces of every source (circles for points), in lon/lat.

    Sources are gathered into groups lying within :data:`_WIDE_GROUP_KM` of a centre (points
    close together, lines cut into runs of at most twice that length), and each group is swept
    in the AEQD plane centred on it, so no plane is asked to hold anything near its antipode:
    two antipodal points give two discs, a line round the equator a whole zone. The groups
    are unioned in lon/lat.
    """
    width_m = width_km * 1000.0
    n_az = int(np.clip(np.ceil(2 * np.pi * width_km / min(20.0, width_km / 40.0)), 256, 4096))
    step_deg = 360.0 / n_az
    groups = _wide_groups(sources)
    if len(groups) == 1:
        return _wide_group(groups[0], width_m, step_deg, lon0, THREADS)
    with ThreadPoolExecutor(max_workers=min(THREADS, len(groups))) as pool:
        parts = list(pool.map(lambda g: _wide_group(g, width_m, step_deg, lon0, 1), groups))
    return shapely.union_all(parts)


def _wide_groups(sources: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Sources cut and gathered so that each group lies within ``_WIDE_GROUP_KM`` of its centre."""
    pieces: list[np.ndarray] = []
    singles = [c for c in sources if len(c) == 1]
    for coords in (c for c in sources if len(c) > 1):
        _, _, seg_m = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
        along = np.concatenate([[0.0], np.cumsum(seg_m)]) / 1000.0
        start = 0
        while start < len(coords) - 1:
            stop = int(np.searchsorted(along, along[start] + 2 * _WIDE_GROUP_KM, side="right")) - 1
            stop = min(max(stop, start + 1), len(coords) - 1)
            pieces.append(coords[start : stop + 1])
            start = stop
    groups = [[p] for p in pieces]
    if singles:
        xy = np.vstack(singles)
        left = np.arange(len(xy))
        while len(left):
            seed = xy[left[0]]
            _, _, d = GEOD.inv(np.full(len(left), seed[0]), np.full(len(left), seed[1]), xy[left, 0], xy[left, 1])
            near = np.asarray(d) <= _WIDE_GROUP_KM * 1000.0
            groups.append([xy[k : k + 1] for k in left[near]])
            left = left[~near]
    if len(groups) > 1:  # a compact source keeps a single plane, as it always had
        allxy = np.vstack(sources)
        c = _centre(allxy)
        _, _, d = GEOD.inv(np.full(len(allxy), c[0]), np.full(len(allxy), c[1]), allxy[:, 0], allxy[:, 1])
        if np.max(d) <= _WIDE_GROUP_KM * 1000.0:
            return [sources]
    return groups


def _wide_group(sources: list[np.ndarray], width_m: float, step_deg: float, lon0: float,
                threads: int) -> BaseGeometry:
    """One group of sources swept in the AEQD plane centred on it, returned in lon/lat."""
    plane = _Aeqd(*_centre(np.vstack(sources)))
    n_az = int(round(360.0 / step_deg))
    shapes = []
    for coords in sources:
        if len(coords) == 1:
            az = np.linspace(0.0, 360.0, n_az, endpoint=False)
            lon, lat, _ = GEOD.fwd(np.full(n_az, coords[0, 0]), np.full(n_az, coords[0, 1]), az, np.full(n_az, width_m))
            shapes.append(shapely.Polygon(np.column_stack(plane.to_plane(lon, lat))))
            continue
        coords = coords[_wide_vertices(_to_plane(coords, plane), width_m)]
        # runs of segments sharing their end vertex, swept and unioned in parallel (pyproj
        # and GEOS release the GIL); each run is capped at its ends, so the runs overlap
        cuts = np.unique(np.linspace(0, len(coords) - 1, threads + 1).round().astype(int))
        runs = [coords[a : b + 1] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
        if len(runs) == 1:
            shapes.append(shapely.union_all(_swept_pieces(runs[0], width_m, step_deg, plane)))
            continue
        with ThreadPoolExecutor(max_workers=len(runs)) as pool:
            shapes.extend(pool.map(lambda run: shapely.union_all(_swept_pieces(run, width_m, step_deg, plane)), runs))
    union = shapely.union_all(shapes)
    return _plane_polygons_to_lonlat(union, plane, lon0, width_m)


def _wide_vertices(xy: np.ndarray, width_m: float) -> np.ndarray:
    """Indices of the source vertices a wide sweep keeps.

    Simplified to 2·10⁻⁴ W, yet no gap longer than ``min(W / 20, 100 km)``: a hull edge joining
    the far points of a long segment's normals cuts outside the true band in the plane (0.2 %
    of the area of a 9,000 km zone with 3,000 km segments).
    """
    simple = shapely.get_coordinates(shapely.simplify(shapely.LineString(xy), 2e-4 * width_m))
    keep = np.zeros(len(xy), dtype=bool)
    keep[[0, -1]] = True
    # simplify keeps a subset of the vertices, unchanged: find them in order
    k = 0
    for i, p in enumerate(xy):
        if k < len(simple) and p[0] == simple[k, 0] and p[1] == simple[k, 1]:
            keep[i] = True
            k += 1
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    max_gap = min(width_m / 20.0, 100_000.0)
    ticks = np.searchsorted(along, np.arange(0.0, along[-1], max_gap))
    keep[np.clip(ticks, 0, len(xy) - 1)] = True
    return np.flatnonzero(keep)


def _swept_pieces(coords: np.ndarray, radius_m: float, step_deg: float, plane: _Aeqd) -> np.ndarray:
    """Convex pieces, in the plane, whose union is the band of ``radius_m`` round a polyline.

    One piece per segment: the convex hull of the segment's two ends, the four points
    ``radius_m`` from them along the geodesic normals (left and right), and the arcs of
    radius ``radius_m`` that fill the outer side of the turn at each end (round joins), or a
    half circle at an open line's ends (round caps). A polyline's planar buffer is exactly
    the union of its segments' flat-ended rectangles, its joins' outer arcs and its caps;
    every point used is exactly ``radius_m`` from a source vertex (``Geod.fwd``), arcs are
    sampled every ``step_deg`` degrees of azimuth, and each hull lies inside the union of
    its two end vertices' geodesic discs, so no piece reaches beyond the true buffer. A
    join's arc belongs to both segments meeting there, so neighbouring pieces share it.
    """
    closed = len(coords) > 3 and np.array_equal(coords[0], coords[-1])
    a, b = coords[:-1], coords[1:]
    az, back, _ = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    az, head = np.asarray(az), np.asarray(back) + 180.0  # heading leaving a, arriving at b
    n = len(a)
    seg = np.arange(n)
    # joins at interior vertices (and where a ring closes): the outer side of each turn
    if closed:
        j_in, j_out, j_at, j_seg = head, np.roll(az, -1), b, seg
    else:
        j_in, j_out, j_at, j_seg = head[:-1], az[1:], b[:-1], seg[:-1]
    turn = np.mod(j_out - j_in + 180.0, 360.0) - 180.0  # > 0: a right turn, whose outside is left
    normal = np.where(turn > 0, -90.0, 90.0)
    start, sweep, end = j_in + normal, turn, j_out + normal
    at, owner, other = j_at, j_seg, (j_seg + 1) % n
    if not closed:  # caps: from the right normal round the back to the left, and the reverse
        start = np.concatenate([start, [az[0] + 90.0, head[-1] - 90.0]])
        sweep = np.concatenate([sweep, [180.0, 180.0]])
        end = np.concatenate([end, [az[0] - 90.0, head[-1] + 90.0]])
        at = np.vstack([at, a[:1], b[-1:]])
        owner = np.concatenate([owner, [0, n - 1]])
        other = np.concatenate([other, [0, n - 1]])
    arc, arc_az = _arc_azimuths(start, sweep, end, step_deg)
    corner_lon = np.concatenate([a[:, 0], b[:, 0], b[:, 0], a[:, 0], at[arc, 0]])
    corner_lat = np.concatenate([a[:, 1], b[:, 1], b[:, 1], a[:, 1], at[arc, 1]])
    corner_az = np.concatenate([az - 90.0, head - 90.0, head + 90.0, az + 90.0, arc_az])
    lon, lat, _ = GEOD.fwd(corner_lon, corner_lat, corner_az, np.full(len(corner_az), radius_m))
    corners = _to_plane(np.column_stack([lon, lat]), plane)
    ends = _to_plane(coords, plane)
    arc_xy = corners[4 * n :]
    points = np.vstack([corners[: 4 * n], ends[:-1], ends[1:], arc_xy, arc_xy])
    piece = np.concatenate([np.tile(seg, 6), owner[arc], other[arc]])
    order = np.argsort(piece, kind="stable")
    # a path through each piece's points (≥ 6 of them) is enough for its hull
    return shapely.convex_hull(shapely.linestrings(points[order], indices=piece[order]))


def _arc_azimuths(start: np.ndarray, sweep: np.ndarray, end: np.ndarray,
                  step_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Azimuths along arcs from ``start`` by ``sweep`` degrees, at most ``step_deg`` apart.

    Returns the arc each azimuth belongs to and the azimuths. The last azimuth of each arc is
    ``end`` itself (equal to ``start + sweep`` modulo 360), so that an arc ends on exactly
    the point where the neighbouring segment's normal lands.
    """
    m = np.maximum(1, np.ceil(np.abs(sweep) / step_deg).astype(int)) + 1
    arc = np.repeat(np.arange(len(start)), m)
    t = (np.arange(m.sum()) - np.repeat(np.cumsum(m) - m, m)) / np.repeat(m - 1, m)
    azimuths = np.repeat(start, m) + np.repeat(sweep, m) * t
    azimuths[np.cumsum(m) - 1] = end
    return arc, azimuths


def _plane_polygons_to_lonlat(geom: BaseGeometry, plane: _Aeqd, lon0: float, width_m: float) -> BaseGeometry:
    max_edge_m = _max_edge_km(width_m / 1000.0) * 1000.0
    parts = [_plane_polygon_to_lonlat(p, plane, lon0, max_edge_m) for p in polygon_parts(geom)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


# ----------------------------------------------------------------------------- one side


def _one_side(lines: Sequence[np.ndarray], width_km: float, side: str) -> BaseGeometry:
    """The band of ``width_km`` on one side of each directed line, ends cut flat.

    Built directly, not cut out of the two-sided band: the union of one piece per segment —
    the segment swept ``width_km`` along its geodesic normals on that side (a quadrilateral
    whose far corners are exactly W from the segment's ends, ``Geod.fwd``) — and, at each
    turn whose outside is on that side, the sector of geodesic circle between the two
    segments' normals. This is the region a brush of width W dragged along that side of the
    line paints; a line that turns back on itself keeps every part within W on the chosen
    side of some segment, and nothing is cut away near its ends by a cap or an extension.
    The two flat ends are the geodesic normals at the line's ends (sampled densely); the
    other normals are shared by neighbouring pieces, so their exact path does not matter.
    """
    s = -1.0 if side == "left" else 1.0
    width_m = width_km * 1000.0
    step_deg = 1.0  # arc chord error 1 − cos(0.5°) = 3.8·10⁻⁵ W
    pieces = []
    for coords in lines:
        closed = len(coords) > 3 and np.array_equal(coords[0], coords[-1])
        a, b = coords[:-1], coords[1:]
        az, back, _ = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, head = np.asarray(az), np.asarray(back) + 180.0
        n = len(a)
        # the normals at both ends of each segment, as short polylines of Geod.fwd points (a
        # straight lon/lat side 1,000 km long would stray from the geodesic normal by tens of
        # km, past the neighbouring normal 5 km away)
        m = int(np.ceil(width_km / 50.0))
        dist = np.linspace(0.0, width_m, m + 1)[1:]
        ends = np.concatenate([a, b])
        lon, lat, _ = GEOD.fwd(np.repeat(ends[:, 0], m), np.repeat(ends[:, 1], m),
                               np.repeat(np.concatenate([az, head]) + s * 90.0, m), np.tile(dist, 2 * n))
        normals = np.column_stack([_unwrap(lon, np.repeat(ends[:, 0], m)), lat]).reshape(2 * n, m, 2)
        normal_a, normal_b = normals[:n], normals[n:]
        rings = np.concatenate([a[:, None], b[:, None], normal_b, normal_a[:, ::-1]], axis=1)
        quads = list(shapely.polygons(rings))
        if not closed:  # the flat ends run along the geodesic normals at the line's ends, sampled densely
            start_normal = _normal_points(a[0], az[0] + s * 90.0, width_m)
            end_normal = _normal_points(b[-1], head[-1] + s * 90.0, width_m)
            first = [a[:1], end_normal if n == 1 else np.vstack([b[:1], normal_b[0]]), start_normal[::-1]]
            quads[0] = shapely.Polygon(np.vstack(first))
            if n > 1:
                quads[-1] = shapely.Polygon(np.vstack([a[-1:], end_normal, normal_a[-1][::-1]]))
        pieces += quads
        # sectors at the turns whose outside is on this side, bounded by the same normals
        if closed:
            j_in, j_out, j_at, j = head, np.roll(az, -1), b, np.arange(n)
        else:
            j_in, j_out, j_at, j = head[:-1], az[1:], b[:-1], np.arange(n - 1)
        turn = np.mod(j_out - j_in + 180.0, 360.0) - 180.0
        outer = turn * s < 0
        if outer.any():
            j = j[outer]
            arc, arc_az = _arc_azimuths(j_in[outer] + s * 90.0, turn[outer], j_out[outer] + s * 90.0, step_deg)
            at = j_at[outer]
            alon, alat, _ = GEOD.fwd(at[arc, 0], at[arc, 1], arc_az, np.full(len(arc), width_m))
            arc_xy = np.column_stack([_unwrap(alon, at[arc, 0]), alat])
            side_in = normal_b[j][:, :-1].reshape(-1, 2)  # the arc starts and ends on the far points
            side_out = normal_a[(j + 1) % n][:, ::-1][:, 1:].reshape(-1, 2)
            k = np.arange(len(j))
            pts = np.vstack([at, side_in, arc_xy, side_out])
            idx = np.concatenate([k, np.repeat(k, m - 1), arc, np.repeat(k, m - 1)])
            order = np.argsort(idx, kind="stable")
            pieces += list(shapely.polygons(shapely.linearrings(pts[order], indices=idx[order])))
    pieces = [p if p.is_valid else shapely.make_valid(p) for p in pieces]
    return shapely.union_all(pieces) if pieces else shapely.Polygon()


def _normal_points(end: np.ndarray, normal_az: float, width_m: float, n: int = 64) -> np.ndarray:
    """Points along the geodesic normal at a line's end, from the end out to ``width_m``."""
    d = np.linspace(0.0, width_m, n + 1)
    lon, lat, _ = GEOD.fwd(np.full(n + 1, end[0]), np.full(n + 1, end[1]), np.full(n + 1, normal_az), d)
    return np.column_stack([_unwrap(lon, end[0]), lat])


# ----------------------------------------------------------------------------- clean-up


def _finish(geom: BaseGeometry, width_km: float) -> shapely.Polygon | shapely.MultiPolygon:
    """Fold into lon −180…180, repair, and drop the specks left where planes were stitched."""
    geom = _wrap_to_window(shapely.make_valid(geom), -180.0)
    polys = polygon_parts(shapely.make_valid(geom))
    # a hole or part smaller than (W/100)² (in degrees, generously) is a stitching artefact
    speck_deg2 = (width_km / 100.0 / 111.0) ** 2
    cleaned = []
    dropped = False
    for p in polys:
        if p.area < speck_deg2:
            dropped = True
            continue
        holes = [h for h in p.interiors if shapely.Polygon(h).area >= speck_deg2]
        dropped |= len(holes) < len(p.interiors)
        cleaned.append(shapely.Polygon(p.exterior, holes) if len(holes) < len(p.interiors) else p)
    if not cleaned:
        return shapely.Polygon()
    # the valid parts of a valid geometry, none dropped, are a valid whole already
    parts = cleaned if not dropped else polygon_parts(shapely.make_valid(shapely.union_all(cleaned)))
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
