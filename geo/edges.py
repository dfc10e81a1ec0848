"""What an edge between two vertices means, and densifying so that the meaning no longer matters.

Two conventions are in use for the edge between two lon/lat vertices:

* ``straight``: a straight line in longitude/latitude (RFC 7946 §3.1.1; GeoJSON, KML,
  Shapefile and GeoPackage readers, QGIS, and most web maps in plate carrée). The default
  for files.
* ``geodesic``: the shortest path on the ellipsoid (PostGIS ``geography``, BigQuery
  ``GEOGRAPHY``, ArcGIS's geodesic buffers).

For a 200 km east–west edge at 60° N the two are 1.4 km apart at the middle. The project
reads every input once, at the edge of the library (:func:`densify`), in the meaning the
user declares, and inserts vertices on that reading until, on every new edge, the two
readings differ by less than a tolerance. After that every part of the engine — buffers
(which cut edges straight in lon/lat), areas and lengths (``pyproj.Geod``, geodesic), the
map (straight in Web Mercator, about the same over a few km) and exports — sees the same
shape.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo._errors import ParameterError
from geo.settings import GEOD

#: Web Mercator, in which the app's map (Leaflet) draws every edge as a straight line.
_WEB_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_MERCATOR_MAX_LAT = 85.051128779806589

__all__ = ["DEFAULT_EDGES", "DEFAULT_TOLERANCE_M", "Edges", "as_drawn_on_screen", "check_edges", "densify",
           "densify_many", "edge_gap_m"]

Edges = Literal["straight", "geodesic"]

#: The meaning of an edge in files without a declaration (RFC 7946).
DEFAULT_EDGES: Edges = "straight"
#: Largest gap, m, between the straight and geodesic readings of any edge after densify().
DEFAULT_TOLERANCE_M = 1.0
#: Halvings at most per edge (2**20 pieces: enough for a half-globe edge at 1 mm).
_MAX_ROUNDS = 20


def check_edges(edges: str) -> Edges:
    """Return ``edges`` if it names a meaning, else raise :class:`ParameterError`.

    Parameters
    ----------
    edges : str
        ``"straight"`` or ``"geodesic"``.

    Returns
    -------
    str
    """
    if edges not in get_args(Edges):
        raise ParameterError(f"edges must be one of {get_args(Edges)}, got {edges!r}")
    return edges  # type: ignore[return-value]


def _unwrap_edge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """End points with the second longitude moved within 180° of the first (short way round)."""
    b = b.copy()
    b[:, 0] = a[:, 0] + np.mod(b[:, 0] - a[:, 0] + 180.0, 360.0) - 180.0
    return b


def _points_on(a: np.ndarray, b: np.ndarray, t: np.ndarray, edges: Edges) -> np.ndarray:
    """Points at fraction ``t`` along each edge a→b in the given meaning, lon in −180…180."""
    if edges == "straight":
        pts = a + (_unwrap_edge(a, b) - a) * t[:, None]
    else:
        az, _, dist = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        lon, lat, _ = GEOD.fwd(a[:, 0], a[:, 1], az, np.asarray(dist) * t)
        pts = np.column_stack([lon, lat])
    pts[:, 0] = np.where(np.abs(pts[:, 0]) > 180.0, np.mod(pts[:, 0] + 180.0, 360.0) - 180.0, pts[:, 0])
    return pts


def edge_gap_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance, m, between the straight and the geodesic midpoints of each edge a→b.

    The two readings of an edge meet at its ends and are farthest apart near its middle, so
    this is (to within a few %) the largest gap between them along the edge; it shrinks with
    the square of the edge's length when the edge is cut.

    Parameters
    ----------
    a, b : numpy.ndarray
        (n, 2) lon/lat degrees of the edges' ends.

    Returns
    -------
    numpy.ndarray
        (n,) metres.
    """
    half = np.full(len(a), 0.5)
    s, g = _points_on(a, b, half, "straight"), _points_on(a, b, half, "geodesic")
    _, _, d = GEOD.inv(s[:, 0], s[:, 1], g[:, 0], g[:, 1])
    return np.asarray(d)


def _canonical(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each edge's ends in one fixed order (lexicographic), and which edges were swapped.

    A border shared by two polygons is walked one way in one and the other way in the other;
    computing every edge from its canonical end gives both the very same new vertices, so the
    shared border stays shared to the last bit.
    """
    swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
    return np.where(swap[:, None], q, p), np.where(swap[:, None], p, q), swap


def _densify_coords(coords: np.ndarray, edges: Edges, tolerance_m: float, max_km: float | None) -> np.ndarray:
    """One coordinate sequence densified (:func:`_densify_rings` of that sequence alone)."""
    return _densify_rings([coords], edges, tolerance_m, max_km)[0]


def _densify_rings(rings: list[np.ndarray], edges: Edges, tolerance_m: float,
                   max_km: float | None) -> list[np.ndarray]:
    """Coordinate sequences densified, all their edges worked on together.

    Each edge is cut into ``n`` parts (at least enough for ``max_km``, km), and ``n`` is raised
    until its largest gap between the edge kinds is within ``tolerance_m`` (m); the original
    vertices are kept exactly. Every edge is cut on its own (its count of new vertices depends
    on it alone), so the result of a sequence does not depend on the others it is worked on
    with (``tests/geo/test_edges.py`` checks a batch against each sequence alone). A sequence
    with nothing to cut is returned as the same array.
    """
    out = list(rings)
    work = [i for i, c in enumerate(rings) if len(c) >= 2]
    if not work:
        return out
    starts = np.concatenate([c[:-1] for i in work for c in (rings[i],)])
    ends = np.concatenate([c[1:] for i in work for c in (rings[i],)])
    ring_of_edge = np.repeat(np.arange(len(work)), [len(rings[i]) - 1 for i in work])
    last = np.array([rings[i][-1] for i in work])
    a, b, swap = _canonical(starts, ends)
    n = np.ones(len(a), dtype=np.int64)
    if max_km is not None:
        _, _, length_m = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        n = np.maximum(1, np.ceil(np.asarray(length_m) / (1000.0 * max_km))).astype(np.int64)
    # the gap of an edge of length L at latitude φ is at most about L² tan φ / (8 R) (an east–west
    # edge; 0 along a meridian): edges that cannot reach the tolerance even at twice that are
    # left as they are without measuring them (most edges of detailed data)
    lat = np.radians(np.minimum(np.maximum(np.abs(a[:, 1]), np.abs(b[:, 1])) + 0.5, 89.0))
    dlon = np.abs(np.mod(b[:, 0] - a[:, 0] + 180.0, 360.0) - 180.0)
    approx_m = 111_320.0 * np.hypot(b[:, 1] - a[:, 1], dlon * np.cos(np.radians(np.minimum(
        np.abs(a[:, 1]), np.abs(b[:, 1])))))
    maybe = (2.0 * approx_m**2 * np.tan(lat) / (8.0 * 6_371_000.0) > tolerance_m) | (n > 1)
    if not maybe.any():
        return out
    for _ in range(_MAX_ROUNDS):
        edge = np.repeat(np.arange(len(a)), n)
        k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)  # k-th vertex of the edge from its start
        ne = n[edge]
        # computed from the canonical end: vertex k of a swapped edge is vertex n - k from there
        num = np.where(swap[edge] & (k > 0), ne - k, k)
        pts = _points_on(a[edge], b[edge], num / ne, edges)
        pts[k == 0] = starts[edge[k == 0]]  # the original vertices exactly
        # the next vertex: the following one, or the sequence's last vertex after its last edge
        ring = ring_of_edge[edge]
        nxt = np.vstack([pts[1:], last[-1:]])
        at_end = np.flatnonzero(np.append(ring[1:] != ring[:-1], True))
        nxt[at_end] = last[ring[at_end]]
        check = maybe[edge]
        p, q, _ = _canonical(pts[check], nxt[check])
        worst = np.zeros(len(a))
        np.maximum.at(worst, edge[check], edge_gap_m(p, q))
        over = worst > tolerance_m
        if not over.any():
            break
        # the gap falls as 1/n² when an edge is cut in n: cut to meet the tolerance, with a margin
        n[over] = np.ceil(n[over] * np.sqrt(worst[over] / tolerance_m) * 1.05).astype(np.int64)
    cut = np.flatnonzero(np.bincount(ring_of_edge, weights=n - 1, minlength=len(work)) > 0)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(ring, minlength=len(work)))])
    for j in cut:
        out[work[j]] = np.vstack([pts[bounds[j]:bounds[j + 1]], last[j:j + 1]])
    return out


def densify_many(geoms: np.ndarray, *, edges: Edges = DEFAULT_EDGES,
                 tolerance_m: float = DEFAULT_TOLERANCE_M) -> np.ndarray:
    """:func:`densify` of every geometry of an array, their edges worked on together (faster).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Lon/lat degrees.
    edges, tolerance_m
        As for :func:`densify`.

    Returns
    -------
    numpy.ndarray of shapely geometries
        The same as ``[densify(g, edges=edges, tolerance_m=tolerance_m) for g in geoms]``,
        vertex for vertex.
    """
    edges = check_edges(edges)
    if not np.isfinite(tolerance_m) or tolerance_m <= 0:
        raise ParameterError(f"tolerance_m must be > 0, got {tolerance_m!r}")
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    rings: list[np.ndarray] = []
    plan: list[tuple[int, type, list[int]]] = []  # (geometry, part type, ring counts of its parts)
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty or isinstance(geom, shapely.Point | shapely.MultiPoint):
            continue
        if isinstance(geom, shapely.Polygon | shapely.LineString | shapely.LinearRing):
            parts = [geom]
        elif isinstance(geom, shapely.MultiPolygon | shapely.MultiLineString):
            parts = list(geom.geoms)
        else:  # collections: one by one
            out[i] = densify(geom, edges=edges, tolerance_m=tolerance_m)
            continue
        counts = []
        for part in parts:
            own = (part.exterior, *part.interiors) if isinstance(part, shapely.Polygon) else (part,)
            rings.extend(np.asarray(r.coords)[:, :2] for r in own)
            counts.append(len(own))
        plan.append((i, type(parts[0]), counts))
    dense = iter(_densify_rings(rings, edges, tolerance_m, None))
    for i, kind, counts in plan:
        if kind is shapely.Polygon:
            parts = [shapely.Polygon(shell, holes) for c in counts
                     for shell, *holes in [[next(dense) for _ in range(c)]]]
        else:
            parts = [kind(next(dense)) for _ in counts]
        out[i] = type(geoms[i])(parts) if len(parts) > 1 or not isinstance(geoms[i], kind) else parts[0]
    return out


def densify(geom: BaseGeometry, *, edges: Edges = DEFAULT_EDGES,
            tolerance_m: float = DEFAULT_TOLERANCE_M, max_km: float | None = None) -> BaseGeometry:
    """Insert vertices along every edge, in the meaning ``edges``, until both meanings agree.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat degrees. Points are returned as they are.
    edges : {"straight", "geodesic"}
        What each input edge means: a straight line in lon/lat (RFC 7946), or a geodesic.
        New vertices lie on that reading of the edge.
    tolerance_m : float
        On every edge of the result, the straight and geodesic readings are less than this
        far apart, m (1 m by default; :func:`geo.buffer` uses 10⁻⁴ of its width).
    max_km : float, optional
        Also cut every edge into pieces no longer than this (geodesic length, km).

    Returns
    -------
    shapely geometry
        Same type; the original vertices kept exactly. Edges that cross the antimeridian
        are read the short way round (as the buffers do) and new longitudes kept in
        −180…180.

    Raises
    ------
    ParameterError
        If ``edges`` is not a known meaning or ``tolerance_m`` is not positive.

    Examples
    --------
    >>> import shapely
    >>> edge = shapely.LineString([(20.0, 60.0), (23.6, 60.0)])  # 200 km along the 60th parallel
    >>> round(float(edge_gap_m(*np.asarray(edge.coords)[:, None, :])[0]))  # the readings' gap, m
    1366
    >>> dense = densify(edge, edges="geodesic")
    >>> len(dense.coords) > 30, dense.coords[0] == edge.coords[0]
    (True, True)
    """
    edges = check_edges(edges)
    if not np.isfinite(tolerance_m) or tolerance_m <= 0:
        raise ParameterError(f"tolerance_m must be > 0, got {tolerance_m!r}")
    if geom is None or geom.is_empty:
        return geom
    if isinstance(geom, shapely.Point | shapely.MultiPoint):
        return geom
    if max_km is not None and not (np.isfinite(max_km) and max_km > 0):
        raise ParameterError(f"max_km must be > 0, got {max_km!r}")
    return _densify_geometry(geom, edges, tolerance_m, max_km)


def _densify_geometry(geom: BaseGeometry, edges: Edges, tolerance_m: float, max_km: float | None) -> BaseGeometry:
    if isinstance(geom, shapely.LineString | shapely.LinearRing):
        coords = _densify_coords(np.asarray(geom.coords)[:, :2], edges, tolerance_m, max_km)
        return type(geom)(coords)
    if isinstance(geom, shapely.Polygon):
        rings = [_densify_coords(np.asarray(r.coords)[:, :2], edges, tolerance_m, max_km)
                 for r in (geom.exterior, *geom.interiors)]
        return shapely.Polygon(rings[0], rings[1:])
    if isinstance(geom, shapely.MultiLineString | shapely.MultiPolygon | shapely.GeometryCollection):
        parts = [_densify_geometry(g, edges, tolerance_m, max_km) for g in geom.geoms]
        return type(geom)(parts)
    return geom


def as_drawn_on_screen(geom: BaseGeometry, *, step_m: float = 500.0) -> BaseGeometry:
    """A shape drawn on the map, with vertices along each edge as the map showed it.

    The map draws an edge as a straight line in Web Mercator (a rhumb line), neither straight
    in lon/lat nor geodesic: a diagonal 1,000 km edge drawn at 55° N bows by kilometres from
    both. Vertices are inserted along the Mercator straight line, at most ``step_m`` Mercator
    metres apart (at most that far apart on the ground), so every later reading of the edges
    sees what the user saw.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat, latitudes within ±85.05° (Web Mercator's extent).
    step_m : float
        Longest new edge, Mercator metres.

    Returns
    -------
    shapely geometry
        Lon/lat, the same vertices plus the inserted ones.
    """
    coords = shapely.get_coordinates(geom)
    if len(coords) and (np.abs(coords[:, 1]) > _MERCATOR_MAX_LAT).any():
        raise ParameterError("a drawn shape reaches beyond ±85.05° of latitude, outside the map's projection")

    def forward(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(_WEB_MERCATOR.transform(xy[:, 0], xy[:, 1]))

    def inverse(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(_WEB_MERCATOR.transform(xy[:, 0], xy[:, 1], direction="INVERSE"))

    return shapely.transform(shapely.segmentize(shapely.transform(geom, forward), step_m), inverse)
