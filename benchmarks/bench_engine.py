"""Time and accuracy of the geodesic engine (``geo``) against naive buffering methods.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_engine.py [--repeats 3] [--samples 2000] [--no-full]

It prints one plain-text report: for every input and width, the time of ``geo.buffer`` and
of three naive methods (a buffer in degrees, and buffers in EPSG:3857 and EPSG:3035 through
geopandas), the largest relative error of each result's boundary against the requested
width, and both figures as ratios to ``geo.buffer``. Rings around a point also get their
area compared with two references, and the population model is timed against a plain
spatial join. A last section scores ``geo.buffer`` on every vertex and edge midpoint of its
results (no sampling), which finds local defects that 2,000 random samples miss. Nothing is
asserted: the accuracy guarantees are tested in ``tests/geo``.

Accuracy measure (the same for every method)
--------------------------------------------
Points are sampled on the result's boundary (vertices and edge midpoints, without the
artificial edges along lon = ±180 or lat = ±90; at most ``--samples``, drawn with a fixed
seed). Each sample's geodesic distance *d* to the source is measured with ``Geod.inv``
against the source densified along straight lon/lat segments (RFC 7946) to a spacing of at
most min(W/200, 1 km): candidates are found by 3-D chord distance (numpy), then the ~8
nearest are measured exactly. The score is max |d/W − 1| in %. For one-sided buffers the
samples on the line itself (d < 1 % W) and those whose nearest source point is within
0.5 d of a line end (on or near the flat end cuts, which no method puts at W) are not scored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

import geo
from geo import data
from geo.figures import measure
from geo.population import estimate_population
from geo.settings import GEOD

__all__ = ["main"]

#: Widths of the border cases, km.
BORDER_WIDTHS_KM = (2.0, 5.0, 50.0, 100.0, 500.0)
#: Widths of the detailed (about 30,000-vertex) border, km.
DETAILED_WIDTHS_KM = (2.0, 5.0)
#: Vertices of the detailed border and the amplitude of its wiggle, m.
DETAILED_VERTICES = 30_000
WIGGLE_M = 100.0
#: Widths of the line across Ukraine, km, and the cities it runs through (west to east).
UKRAINE_WIDTHS_KM = (10.0, 100.0, 1_000.0)
UKRAINE_CITIES = ("Uzhhorod", "Kyiv", "Kharkiv", "Luhansk")
#: Kaliningrad: the point, the ring radii (km) and the oblast's outside buffer (km).
KALININGRAD = (20.51, 54.71)
RING_WIDTHS_KM = (500.0, 2_000.0, 5_500.0)
OBLAST_CODE = "RU-KGD"
OBLAST_WIDTH_KM = 100.0
#: Width of the border band whose people are counted, km.
POPULATION_WIDTH_KM = 100.0

#: Authalic radius of WGS84, km (sphere of the same area).
AUTHALIC_RADIUS_KM = 6371.0072
#: km per degree used by the naive buffer in degrees.
KM_PER_DEGREE = 111.32
#: Azimuths of the fine reference ring.
REFERENCE_AZIMUTHS = 36_000
#: One-sided buffers: samples whose nearest source point is closer to a line end than this
#: times their distance (within ~27° of the end's perpendicular) are not scored.
END_CONE = 0.5
#: Geodesic candidates measured exactly per sample.
CANDIDATES = 8
#: Fine source points per block of the candidate search.
BLOCK = 32
SEED = 20_240_601
#: Fast operations are repeated until this much time (ms) is spent, at most MAX_REPEATS times.
MIN_TIMED_MS = 200.0
MAX_REPEATS = 15

_WGS84_A_KM = 6378.137
_WGS84_E2 = 6.69437999014e-3

BufferFn = Callable[[BaseGeometry, float, str], BaseGeometry]


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Case:
    """One buffer to compute: a source, a width and a side.

    Attributes
    ----------
    name : str
        Label in the report.
    geom : shapely geometry
        The source in lon/lat.
    width_km : float
        Requested width, km.
    side : str
        ``side`` argument of :func:`geo.buffer`.
    ring_centre : tuple of float or None
        (lon, lat) when the case is a ring around a point (areas are then compared).
    """

    name: str
    geom: BaseGeometry
    width_km: float
    side: str = "both"
    ring_centre: tuple[float, float] | None = None


@dataclass
class Row:
    """One method's result on one case.

    Attributes
    ----------
    case : str
    method : str
    time_ms : float
        Median wall time, ms.
    err_pct : float
        Largest boundary error, % of the width.
    width_km : float
        Requested width, km.
    area_km2 : float or None
        Geodesic area of the result (rings only).
    area_refs : dict
        Relative area errors in % against each reference (rings only).
    full : FullCheck or None
        Whole-boundary score (``geo.buffer`` rows only).
    """

    case: str
    method: str
    time_ms: float
    err_pct: float
    width_km: float = float("nan")
    area_km2: float | None = None
    area_refs: dict[str, float] = field(default_factory=dict)
    full: FullCheck | None = None


# ----------------------------------------------------------------------------- timing


def median_time_ms(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``repeats`` calls.

    Parameters
    ----------
    fn : callable
        Called without arguments.
    repeats : int
        Number of timed calls (at least 1); fast calls are repeated until
        :data:`MIN_TIMED_MS` have been spent, at most :data:`MAX_REPEATS` times.

    Returns
    -------
    tuple
        (median time in ms, value returned by the last call).
    """
    times: list[float] = []
    value: object = None
    while len(times) < max(1, repeats) or (sum(times) < MIN_TIMED_MS and len(times) < MAX_REPEATS):
        start = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), value


# ----------------------------------------------------------------------------- inputs


def nato_union() -> BaseGeometry:
    """Union of today's NATO members' boundaries in the embedded countries.

    Returns
    -------
    shapely geometry
        Lon/lat (Multi)Polygon of the members present in :func:`geo.data.countries`.
    """
    members = data.nato_members()
    today = np.datetime64(dt.date.today())
    codes = set(members.loc[members["accession_date"] <= today, "iso_a3"])
    countries = data.countries()
    return shapely.union_all(countries.loc[countries["iso_a3"].isin(codes), "geometry"].values)


def nato_russia_border(nato: BaseGeometry) -> BaseGeometry:
    """Build the land border between NATO and Russia/Belarus, line-merged.

    Parameters
    ----------
    nato : shapely geometry
        Union of the NATO members (see :func:`nato_union`).

    Returns
    -------
    shapely.MultiLineString
        ``intersection(nato, boundary(union(RUS, BLR)))``, lines only, merged.
    """
    countries = data.countries()
    rus_blr = shapely.union_all(
        countries.loc[countries["iso_a3"].isin(["RUS", "BLR"]), "geometry"].values
    )
    shared = shapely.intersection(nato, shapely.boundary(rus_blr))
    lines = [p for p in shapely.get_parts(shapely.get_parts(shared)) if p.geom_type == "LineString"]
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    return shapely.MultiLineString(list(shapely.get_parts(merged)))


def _segment_lengths_km(coords: np.ndarray) -> np.ndarray:
    _, _, dist_m = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    return np.asarray(dist_m) / 1000.0


def densify_lonlat(coords: np.ndarray, step_km: float) -> np.ndarray:
    """Insert points along straight lon/lat segments so none is longer than ``step_km``.

    Parameters
    ----------
    coords : numpy.ndarray
        (n, 2) lon/lat vertices.
    step_km : float
        Longest segment kept, km (measured geodesically).

    Returns
    -------
    numpy.ndarray
        (m, 2) lon/lat vertices, the original ones included.
    """
    if len(coords) < 2:
        return coords
    n = np.maximum(1, np.ceil(_segment_lengths_km(coords) / step_km).astype(int))
    starts = np.repeat(coords[:-1], n, axis=0)
    steps = np.repeat((coords[1:] - coords[:-1]) / n[:, None], n, axis=0)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return np.vstack([starts + steps * k[:, None], coords[-1:]])


def wiggle(coords: np.ndarray, amplitude_m: float, rng: np.random.Generator) -> np.ndarray:
    """Displace vertices by a mean-reverting random walk (stationary std ``amplitude_m``).

    Parameters
    ----------
    coords : numpy.ndarray
        (n, 2) lon/lat vertices.
    amplitude_m : float
        Standard deviation of the east and north displacements, m.
    rng : numpy.random.Generator
        Source of randomness (seeded by the caller).

    Returns
    -------
    numpy.ndarray
        (n, 2) displaced lon/lat vertices.
    """
    rho = 0.9
    shocks = rng.normal(0.0, amplitude_m * np.sqrt(1.0 - rho**2), (len(coords), 2))
    walk = np.empty_like(shocks)
    walk[0] = rng.normal(0.0, amplitude_m, 2)
    for i in range(1, len(coords)):
        walk[i] = rho * walk[i - 1] + shocks[i]
    m_per_deg = KM_PER_DEGREE * 1000.0
    dlon = walk[:, 0] / (m_per_deg * np.cos(np.radians(coords[:, 1])))
    return coords + np.column_stack([dlon, walk[:, 1] / m_per_deg])


def detailed_border(
    border: BaseGeometry, vertices: int, amplitude_m: float, seed: int
) -> shapely.MultiLineString:
    """Densify the border to about ``vertices`` vertices and move each by a small random walk.

    Parameters
    ----------
    border : shapely.MultiLineString
        Lon/lat lines.
    vertices : int
        Target number of vertices in all.
    amplitude_m : float
        Size of the wiggle, m (keeps the vertices from being simplified away).
    seed : int
        Seed of the random walk.

    Returns
    -------
    shapely.MultiLineString
    """
    parts = [np.asarray(p.coords)[:, :2] for p in shapely.get_parts(border)]
    total_km = sum(_segment_lengths_km(c).sum() for c in parts)
    segments = sum(len(c) - 1 for c in parts)
    step = total_km / max(vertices - segments // 2, 1)
    rng = np.random.default_rng(seed)
    return shapely.MultiLineString(
        [wiggle(densify_lonlat(c, step), amplitude_m, rng) for c in parts]
    )


def ukraine_line(cities: Sequence[str]) -> shapely.LineString:
    """Join the most populous Ukrainian settlement (or part of a city) of each name, in order, into a line.

    Parameters
    ----------
    cities : sequence of str
        Settlement names (``name`` column of :func:`geo.data.settlements`).

    Returns
    -------
    shapely.LineString
    """
    towns = data.settlements()
    towns = towns[towns["iso_a3"] == "UKR"]
    points = []
    for name in cities:
        # a city split into parts (Kyiv's two banks) is found by its ``city`` name too
        match = towns[(towns["name"] == name) | (towns["city"] == name)].sort_values("population")
        if match.empty:
            raise LookupError(f"no Ukrainian settlement called {name!r} in the embedded data")
        points.append((match.geometry.iloc[-1].x, match.geometry.iloc[-1].y))
    return shapely.LineString(points)


def oblast(code: str) -> BaseGeometry:
    """Look up a first-level unit's polygon by ISO 3166-2 code.

    Parameters
    ----------
    code : str
        E.g. ``"RU-KGD"``.

    Returns
    -------
    shapely geometry
    """
    units = data.admin1()
    return units.loc[units["iso_3166_2"] == code, "geometry"].iloc[0]


# ----------------------------------------------------------------------------- methods


def geo_buffer(geom: BaseGeometry, width_km: float, side: str) -> BaseGeometry:
    """Run the engine under test, :func:`geo.buffer`."""
    return geo.buffer(geom, width_km, side=side)


def _single_sided(side: str) -> tuple[bool, float]:
    """(single_sided, sign of the distance) for a side; GEOS buffers left for distance > 0."""
    if side == "left":
        return True, 1.0
    if side == "right":
        return True, -1.0
    return False, 1.0


def _world_clip(geom: BaseGeometry) -> BaseGeometry:
    """Clip to lon −180…180, lat −90…90 (what a user of a naive method would keep)."""
    return shapely.clip_by_rect(geom, -180.0, -90.0, 180.0, 90.0)


def naive_degrees(geom: BaseGeometry, width_km: float, side: str) -> BaseGeometry:
    """Strawman: a planar buffer in lon/lat degrees, ``width_km / 111.32`` degrees wide.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat source.
    width_km : float
        Width, km.
    side : str
        ``both``, ``outside``, ``left`` or ``right``.

    Returns
    -------
    shapely geometry
        Clipped to the lon/lat world box.
    """
    single, sign = _single_sided(side)
    out = shapely.buffer(geom, sign * width_km / KM_PER_DEGREE, single_sided=single)
    return _world_clip(out)


def naive_projected(epsg: int) -> BufferFn:
    """Strawman factory: buffer in a projected CRS via geopandas and back to lon/lat.

    Parameters
    ----------
    epsg : int
        EPSG code of the plane (3857 Web Mercator, 3035 LAEA Europe).

    Returns
    -------
    callable
        ``fn(geom, width_km, side)``, the result clipped to the lon/lat world box.
    """

    def run(geom: BaseGeometry, width_km: float, side: str) -> BaseGeometry:
        single, sign = _single_sided(side)
        series = gpd.GeoSeries([geom], crs=4326).to_crs(epsg)
        out = series.buffer(sign * width_km * 1000.0, single_sided=single).to_crs(4326)
        return _world_clip(out.iloc[0])

    run.__name__ = f"naive_epsg{epsg}"
    return run


METHODS: dict[str, BufferFn] = {
    "geo.buffer": geo_buffer,
    "degrees": naive_degrees,
    "EPSG:3857": naive_projected(3857),
    "EPSG:3035": naive_projected(3035),
}


# ----------------------------------------------------------------------------- accuracy


def ecef_km(lonlat: np.ndarray) -> np.ndarray:
    """Earth-centred Cartesian coordinates on the WGS84 ellipsoid, km.

    Parameters
    ----------
    lonlat : numpy.ndarray
        (n, 2) degrees.

    Returns
    -------
    numpy.ndarray
        (n, 3) km.
    """
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    n = _WGS84_A_KM / np.sqrt(1.0 - _WGS84_E2 * np.sin(lat) ** 2)
    return np.column_stack(
        [
            n * np.cos(lat) * np.cos(lon),
            n * np.cos(lat) * np.sin(lon),
            n * (1.0 - _WGS84_E2) * np.sin(lat),
        ]
    )


@dataclass(frozen=True)
class SourceIndex:
    """The densified source, in blocks for a fast nearest-point search.

    Attributes
    ----------
    lonlat : numpy.ndarray
        (n, 2) fine source points, degrees.
    xyz : numpy.ndarray
        (n, 3) the same in km (ECEF).
    to_end : numpy.ndarray
        (n,) distance along its line from each point to the line's nearer end, km
        (infinite for points and rings); used to skip the flat end cuts of one-sided buffers.
    centres : numpy.ndarray
        (b, 3) one member point per block of :data:`BLOCK` consecutive points.
    radii : numpy.ndarray
        (b,) largest chord from a block's centre to its members, km.
    """

    lonlat: np.ndarray
    xyz: np.ndarray
    to_end: np.ndarray
    centres: np.ndarray
    radii: np.ndarray


def _along_to_end_km(coords: np.ndarray, is_line: bool) -> np.ndarray:
    """Chord length along a line from each point to the nearer end (inf if not a line)."""
    if not is_line:
        return np.full(len(coords), np.inf)
    along = np.concatenate(
        [[0.0], np.cumsum(np.linalg.norm(np.diff(ecef_km(coords), axis=0), axis=1))]
    )
    return np.minimum(along, along[-1] - along)


def source_index(source: BaseGeometry, width_km: float) -> SourceIndex:
    """Densify a source (spacing ≤ W/200 and ≤ 1 km) and block it for the search.

    Parameters
    ----------
    source : shapely geometry
        Points, lines or polygons (their rings) in lon/lat.
    width_km : float
        Buffer width, km.

    Returns
    -------
    SourceIndex
    """
    step = min(width_km / 200.0, 1.0)
    pts: list[tuple[np.ndarray, bool]] = []  # (densified part, is a line)
    for part in shapely.get_parts(shapely.get_parts(source)):
        if isinstance(part, shapely.Point):
            pts.append((np.array([[part.x, part.y]]), False))
        elif isinstance(part, shapely.Polygon):
            pts += [
                (densify_lonlat(np.asarray(r.coords)[:, :2], step), False)
                for r in (part.exterior, *part.interiors)
            ]
        else:
            pts.append((densify_lonlat(np.asarray(part.coords)[:, :2], step), True))
    to_end = np.concatenate([_along_to_end_km(c, is_line) for c, is_line in pts])
    lonlat = np.vstack([c for c, _ in pts])
    xyz = ecef_km(lonlat)
    n_blocks = -(-len(xyz) // BLOCK)
    centre_idx = np.minimum(np.arange(n_blocks) * BLOCK + BLOCK // 2, len(xyz) - 1)
    block_of = np.arange(len(xyz)) // BLOCK
    chord = np.linalg.norm(xyz - xyz[centre_idx][block_of], axis=1)
    radii = np.zeros(n_blocks)
    np.maximum.at(radii, block_of, chord)
    return SourceIndex(lonlat, xyz, to_end, xyz[centre_idx], radii)


def boundary_samples(result: BaseGeometry, limit: int, seed: int) -> np.ndarray:
    """Vertices and edge midpoints of a result's boundary, without artificial edges.

    An edge is artificial when both its ends lie on the same meridian ±180° or on the same
    pole parallel ±90° (RFC 7946 cuts and pole closures); a vertex counts when one of its
    edges is real.

    Parameters
    ----------
    result : shapely geometry
        Lon/lat (Multi)Polygon.
    limit : int
        Most samples returned (a reproducible random subset beyond that).
    seed : int
        Seed of the subset.

    Returns
    -------
    numpy.ndarray
        (m, 2) lon/lat samples.
    """
    out = []
    for poly in shapely.get_parts(shapely.get_parts(result)):
        if not isinstance(poly, shapely.Polygon) or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            a, b = c[:-1], c[1:]
            fake = (
                (np.abs(np.abs(a[:, 0]) - 180.0) < 1e-9) & (np.abs(b[:, 0] - a[:, 0]) < 1e-9)
            ) | ((np.abs(np.abs(a[:, 1]) - 90.0) < 1e-9) & (np.abs(b[:, 1] - a[:, 1]) < 1e-9))
            real_vertex = ~fake | ~np.roll(fake, 1)  # vertex i starts edge i, ends edge i-1
            out += [a[real_vertex], ((a + b) / 2.0)[~fake]]
    samples = np.vstack(out) if out else np.empty((0, 2))
    if len(samples) > limit:
        samples = samples[
            np.sort(np.random.default_rng(seed).choice(len(samples), limit, replace=False))
        ]
    return samples


def _blocks_near(p3: np.ndarray, index: SourceIndex) -> np.ndarray:
    """Blocks that can hold the nearest source point of some sample of a chunk.

    With c the chunk's centroid, ρ its radius and D0 the distance from c to the nearest
    block centre, every sample's nearest centre is within ρ + D0, so a block qualifies only
    if ``|c - centre| <= 2ρ + D0 + radius``.
    """
    c = p3.mean(axis=0)
    rho = np.linalg.norm(p3 - c, axis=1).max()
    d = np.linalg.norm(index.centres - c, axis=1)
    return np.flatnonzero(d <= 2.0 * rho + d.min() + index.radii + 1e-6)


def _candidates(p3: np.ndarray, index: SourceIndex) -> np.ndarray:
    """Find the :data:`CANDIDATES` fine points nearest (by chord) to each sample of a chunk.

    A block can hold the nearest point only if its centre, less its radius, is no farther
    than the nearest centre (centres are source points); the points of those blocks are
    ranked by chord, all samples of the chunk at once. Samples come in boundary order, so a
    chunk is compact: blocks too far from the chunk's centroid to qualify for any of its
    samples are dropped first.
    """
    blocks = _blocks_near(p3, index)
    centres, radii = index.centres[blocks], index.radii[blocks]
    d2 = (p3**2).sum(axis=1)[:, None] + (centres**2).sum(axis=1)[None, :] - 2.0 * p3 @ centres.T
    d_blocks = np.sqrt(np.maximum(d2, 0.0))
    upper = d_blocks.min(axis=1, keepdims=True)
    sample, block = np.nonzero(d_blocks - radii[None, :] <= upper + 1e-6)
    block = blocks[block]
    points = (block[:, None] * BLOCK + np.arange(BLOCK)[None, :]).ravel()
    sample = np.repeat(sample, BLOCK)
    keep = points < len(index.xyz)
    points, sample = points[keep], sample[keep]
    chord = np.linalg.norm(index.xyz[points] - p3[sample], axis=1)
    order = np.lexsort((chord, sample))
    points, sample = points[order], sample[order]
    first = np.searchsorted(sample, np.arange(len(p3)))
    rank = np.arange(len(sample)) - first[sample]
    cand = np.repeat(points[first][:, None], CANDIDATES, axis=1)  # padded with the nearest
    top = rank < CANDIDATES
    cand[sample[top], rank[top]] = points[top]
    return cand


def nearest_source(
    samples: np.ndarray, index: SourceIndex, chunk: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """Measure the geodesic distance from each sample to the nearest fine source point.

    Candidates are found by 3-D chord distance (see :func:`_candidates`); the
    :data:`CANDIDATES` nearest are measured exactly with ``Geod.inv``.

    Parameters
    ----------
    samples : numpy.ndarray
        (m, 2) lon/lat.
    index : SourceIndex
    chunk : int
        Samples handled per vectorised step.

    Returns
    -------
    tuple of numpy.ndarray
        (m,) distances in km and (m,) indices of the nearest fine source points.
    """
    p3 = ecef_km(samples)
    cand = np.vstack(
        [_candidates(p3[lo : lo + chunk], index) for lo in range(0, len(samples), chunk)]
    )
    lon = np.repeat(samples[:, 0], CANDIDATES)
    lat = np.repeat(samples[:, 1], CANDIDATES)
    _, _, dist_m = GEOD.inv(lon, lat, index.lonlat[cand.ravel(), 0], index.lonlat[cand.ravel(), 1])
    dist = np.asarray(dist_m).reshape(len(samples), CANDIDATES) / 1000.0
    best = dist.argmin(axis=1)
    rows = np.arange(len(samples))
    return dist[rows, best], cand[rows, best]


def relative_errors(
    result: BaseGeometry, index: SourceIndex, width_km: float, side: str, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Signed relative error d/W − 1 of the scored boundary samples.

    Parameters
    ----------
    result : shapely geometry
        A method's buffer.
    index : SourceIndex
        The densified source.
    width_km : float
        Requested width, km.
    side : str
        For ``left``/``right`` the samples on the line (d < 1 % W) and those whose nearest
        source point lies within :data:`END_CONE` × d of a line end (on or near the flat end
        cuts) are skipped.
    limit : int
        Most boundary samples.

    Returns
    -------
    tuple of numpy.ndarray
        The scored samples (m, 2) lon/lat and their errors (m,), as fractions.
    """
    samples = boundary_samples(result, limit, SEED)
    if not len(samples):
        return samples, np.empty(0)
    dist, nearest = nearest_source(samples, index)
    if side in ("left", "right"):
        keep = (dist >= 0.01 * width_km) & (index.to_end[nearest] > END_CONE * dist)
        samples, dist = samples[keep], dist[keep]
    return samples, dist / width_km - 1.0


def max_error_pct(
    result: BaseGeometry, index: SourceIndex, width_km: float, side: str, limit: int
) -> float:
    """Largest |d/W − 1| over the sampled boundary, in % (NaN when nothing is scored).

    Parameters
    ----------
    result, index, width_km, side, limit
        See :func:`relative_errors`.

    Returns
    -------
    float
    """
    _, err = relative_errors(result, index, width_km, side, limit)
    return float(np.max(np.abs(err)) * 100.0) if len(err) else float("nan")


@dataclass(frozen=True)
class FullCheck:
    """``geo.buffer`` scored on every boundary vertex and edge midpoint.

    Attributes
    ----------
    case : str
    samples : int
        Samples scored.
    low_pct, high_pct : float
        Smallest and largest signed error d/W − 1, %.
    over : int
        Samples with |d/W − 1| > 0.1 %.
    worst : tuple of float
        (lon, lat) of the worst sample.
    """

    case: str
    samples: int
    low_pct: float
    high_pct: float
    over: int
    worst: tuple[float, float]


def full_check(case: Case, result: BaseGeometry, index: SourceIndex) -> FullCheck:
    """Score a result on its whole boundary (no sample limit).

    Parameters
    ----------
    case : Case
    result : shapely geometry
        The ``geo.buffer`` result of the case.
    index : SourceIndex
        The case's densified source.

    Returns
    -------
    FullCheck
    """
    samples, err = relative_errors(result, index, case.width_km, case.side, np.iinfo(np.int64).max)
    if not len(err):
        return FullCheck(case.name, 0, float("nan"), float("nan"), 0, (float("nan"), float("nan")))
    worst = int(np.argmax(np.abs(err)))
    return FullCheck(
        case.name,
        len(err),
        100.0 * err.min(),
        100.0 * err.max(),
        int((np.abs(err) > 1e-3).sum()),
        (float(samples[worst, 0]), float(samples[worst, 1])),
    )


# ----------------------------------------------------------------------------- ring areas


def cap_area_km2(width_km: float) -> float:
    """Spherical-cap area of radius ``width_km`` on the authalic sphere, km².

    Parameters
    ----------
    width_km : float

    Returns
    -------
    float
        ``2πR²(1 − cos(W/R))`` with R = 6371.0072 km.
    """
    r = AUTHALIC_RADIUS_KM
    return float(2.0 * np.pi * r**2 * (1.0 - np.cos(width_km / r)))


def fine_ring_area_km2(
    lon: float, lat: float, width_km: float, n: int = REFERENCE_AZIMUTHS
) -> float:
    """Area of a geodesic circle as an ``n``-vertex ring of ``Geod.fwd`` points, km².

    Parameters
    ----------
    lon, lat : float
        Centre, degrees.
    width_km : float
        Radius, km.
    n : int
        Azimuths.

    Returns
    -------
    float
        ``Geod.geometry_area_perimeter`` of the ring (handles a ring around a pole).
    """
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, width_km * 1000.0))
    ring = shapely.Polygon(np.column_stack([lons, lats])[::-1])  # counter-clockwise
    area_m2, _ = GEOD.geometry_area_perimeter(ring)
    return abs(area_m2) / 1e6


def result_area_km2(result: BaseGeometry) -> float:
    """Geodesic area of a result as a user would measure it (repaired first), km²."""
    return geo.area_km2(shapely.make_valid(result))


# ----------------------------------------------------------------------------- running cases


def run_case(case: Case, repeats: int, limit: int, full: bool) -> list[Row]:
    """Time and score every method on one case.

    Parameters
    ----------
    case : Case
    repeats : int
        Timed calls per method.
    limit : int
        Most boundary samples per result.
    full : bool
        Also score ``geo.buffer`` on its whole boundary (:func:`full_check`).

    Returns
    -------
    list of Row
        One per method, ``geo.buffer`` first.
    """
    index = source_index(case.geom, case.width_km)
    refs = {}
    if case.ring_centre is not None:
        refs = {
            "cap": cap_area_km2(case.width_km),
            "fine": fine_ring_area_km2(*case.ring_centre, case.width_km),
        }
    rows = []
    for method, fn in METHODS.items():
        t_ms, result = median_time_ms(
            lambda fn=fn: fn(case.geom, case.width_km, case.side), repeats
        )
        err = max_error_pct(result, index, case.width_km, case.side, limit)
        row = Row(case.name, method, t_ms, err, case.width_km)
        if full and method == "geo.buffer":
            row.full = full_check(case, result, index)
        if refs:
            row.area_km2 = result_area_km2(result)
            row.area_refs = {k: 100.0 * (row.area_km2 / v - 1.0) for k, v in refs.items()}
        rows.append(row)
    return rows


def warm_up() -> None:
    """Call every method once on a tiny input, so that PROJ set-up is not timed."""
    tiny = shapely.LineString([(20.0, 54.0), (20.1, 54.1)])
    for fn in METHODS.values():
        fn(tiny, 1.0, "both")


# ----------------------------------------------------------------------------- formatting


def _fmt_ratio(value: float, reference: float) -> str:
    if not np.isfinite(value) or not np.isfinite(reference) or reference <= 0:
        return "—"
    return f"{value / reference:.3g}×"


def _fmt_num(value: float | None, spec: str) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    return format(value, spec)


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]
) -> str:
    """Align a table of strings in plain text.

    Parameters
    ----------
    headers : sequence of str
    rows : sequence of sequence of str
    right : sequence of bool
        Right-align that column (numbers).

    Returns
    -------
    str
    """
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def buffer_table(rows: Sequence[Row], with_areas: bool) -> str:
    """Format the report table of one input: one line per case and method.

    Parameters
    ----------
    rows : sequence of Row
        Grouped by case, ``geo.buffer`` first in each group.
    with_areas : bool
        Add the area columns (rings).

    Returns
    -------
    str
    """
    headers = [
        "case",
        "method",
        "time_ms",
        "max_err_%",
        "time ratio vs geo.buffer",
        "err ratio vs geo.buffer",
    ]
    if with_areas:
        headers[4:4] = ["area_km2", "area err vs cap %", "area err vs fine ring %"]
    body, ref = [], {}
    for r in rows:
        if r.method == "geo.buffer":
            ref[r.case] = r
        base = ref[r.case]
        cells = [
            r.case,
            r.method,
            f"{r.time_ms:,.1f}",
            _fmt_num(r.err_pct, ".4f"),
            _fmt_ratio(r.time_ms, base.time_ms),
            _fmt_ratio(r.err_pct, base.err_pct),
        ]
        if with_areas:
            cells[4:4] = [
                _fmt_num(r.area_km2, ",.0f"),
                _fmt_num(r.area_refs.get("cap"), "+.4f"),
                _fmt_num(r.area_refs.get("fine"), "+.4f"),
            ]
        body.append(cells)
    right = [False, False] + [True] * (len(headers) - 2)
    return format_table(headers, body, right)


#: How to read the tables, printed under the header.
COLUMN_NOTES = """\
columns     time_ms = median wall time; max_err_% = max |d/W - 1| over boundary samples,
            d = geodesic distance to the source (WGS84); ratios = method / geo.buffer
            (time < 1: faster than geo.buffer; err > 1: less accurate).
            Naive results are clipped to lon/lat +-180/+-90. Sampled scores can miss
            local defects: section 5 scores geo.buffer on its whole boundary."""


def header(repeats: int, limit: int) -> str:
    """Describe the run: when, where, with which versions and settings.

    Parameters
    ----------
    repeats : int
    limit : int

    Returns
    -------
    str
    """
    geos = ".".join(map(str, shapely.geos_version))
    versions = (
        f"shapely     {shapely.__version__} (GEOS {geos}); pyproj {pyproj.__version__} "
        f"(PROJ {pyproj.proj_version_str}); geopandas {gpd.__version__}; numpy {np.__version__}"
    )
    settings = (
        f"settings    median of >= {repeats} run(s) per method (fast ones repeated up to "
        f"{MAX_REPEATS}x / {MIN_TIMED_MS:g} ms); at most {limit:,} boundary samples per result"
    )
    return "\n".join(
        [
            "Buffer-zone mapper — geodesic engine benchmark",
            f"date        {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"python      {platform.python_version()} ({platform.machine()}, {platform.system()})",
            versions,
            f"cpus        {os.cpu_count()}",
            settings,
            COLUMN_NOTES,
        ]
    )


# ----------------------------------------------------------------------------- population


def border_band(border: BaseGeometry, nato: BaseGeometry, width_km: float) -> BaseGeometry:
    """Cut the NATO side out of the border's geodesic band.

    Parameters
    ----------
    border : shapely geometry
        The NATO–Russia/Belarus border.
    nato : shapely geometry
        Union of the NATO members.
    width_km : float
        Band width, km.

    Returns
    -------
    shapely geometry
        ``geo.buffer(border, width_km) ∩ nato``.
    """
    return shapely.intersection(geo.buffer(border, width_km), nato)


def naive_settlement_sum(band: BaseGeometry, towns: gpd.GeoDataFrame) -> tuple[int, int]:
    """Strawman population: GeoNames people of the settlements within the band (sjoin).

    Parameters
    ----------
    band : shapely geometry
        Lon/lat polygon.
    towns : geopandas.GeoDataFrame
        :func:`geo.data.settlements`.

    Returns
    -------
    tuple of int
        (people, settlements counted).
    """
    joined = gpd.sjoin(towns, gpd.GeoDataFrame(geometry=[band], crs=4326), predicate="within")
    return int(joined["population"].sum()), len(joined)


def population_section(border: BaseGeometry, nato: BaseGeometry, repeats: int) -> str:
    """Time the population model, the naive join and ``geo.measure`` on the border band.

    Parameters
    ----------
    border, nato : shapely geometry
        See :func:`border_band`.
    repeats : int
        Timed calls per method.

    Returns
    -------
    str
        A description line and an aligned table.
    """
    band = border_band(border, nato, POPULATION_WIDTH_KM)
    cold_ms, _ = median_time_ms(lambda: estimate_population(band), 1)  # builds the zones once
    warm_ms, est = median_time_ms(lambda: estimate_population(band), repeats)
    towns = data.settlements()
    sjoin_ms, (naive_people, naive_count) = median_time_ms(
        lambda: naive_settlement_sum(band, towns), repeats
    )
    measure_ms, m = median_time_ms(lambda: measure(band), repeats)
    rows = [
        (
            "estimate_population, first call (builds model)",
            cold_ms,
            est.population,
            est.settled,
            len(est.settlements),
        ),
        (
            "estimate_population (dasymetric)",
            warm_ms,
            est.population,
            est.settled,
            len(est.settlements),
        ),
        (
            "naive geopandas.sjoin (settlements only)",
            sjoin_ms,
            naive_people,
            naive_people,
            naive_count,
        ),
        ("geo.measure (area, people, breakdowns)", measure_ms, m.population, None, None),
    ]
    body = [
        [
            name,
            f"{t:,.1f}",
            f"{people:,}",
            "—" if settled is None else f"{settled:,}",
            "—" if count is None else f"{count:,}",
            _fmt_ratio(t, warm_ms),
        ]
        for name, t, people, settled, count in rows
    ]
    table = format_table(
        [
            "method",
            "time_ms",
            "population",
            "in settlements",
            "settlements",
            "time ratio vs estimate_population",
        ],
        body,
        [False, True, True, True, True, True],
    )
    intro = (
        f"Band: geo.buffer(border, {POPULATION_WIDTH_KM:g} km) ∩ NATO members, "
        f"{geo.area_km2(band):,.0f} km² (geo.measure: {m.area_km2:,.0f} km²); "
        "the naive join misses the "
        f"rural remainder ({est.rural:,.0f} people in the model)."
    )
    return intro + "\n" + table


# ----------------------------------------------------------------------------- report


def full_check_table(rows: Sequence[Row]) -> str:
    """Format the whole-boundary scores of ``geo.buffer``, one line per case.

    Parameters
    ----------
    rows : sequence of Row
        Rows carrying a :class:`FullCheck`.

    Returns
    -------
    str
    """
    body = [
        [
            r.full.case,
            f"{r.full.samples:,}",
            _fmt_num(max(abs(r.full.low_pct), abs(r.full.high_pct)), ".4f"),
            _fmt_num(r.full.low_pct, "+.4f"),
            _fmt_num(r.full.high_pct, "+.4f"),
            f"{r.full.over:,}",
            f"({r.full.worst[0]:.5f}, {r.full.worst[1]:.5f})",
        ]
        for r in rows
        if r.full is not None
    ]
    headers = [
        "case",
        "samples",
        "max_err_%",
        "min d/W-1 %",
        "max d/W-1 %",
        "n > 0.1 %",
        "worst at (lon, lat)",
    ]
    return format_table(headers, body, [False, True, True, True, True, True, False])


def findings(rows: Sequence[Row], detailed: Sequence[Row]) -> list[str]:
    """Flag ``geo.buffer`` results over 0.1 % and check the 1 s target on the detailed border.

    The whole-boundary score is used where it was computed, the sampled one otherwise.

    Parameters
    ----------
    rows : sequence of Row
        All buffer rows.
    detailed : sequence of Row
        The rows of the detailed border.

    Returns
    -------
    list of str
    """
    out = []
    for r in rows:
        if r.method != "geo.buffer":
            continue
        if r.full is not None and r.full.samples:
            f = r.full
            signed = f.high_pct if abs(f.high_pct) >= abs(f.low_pct) else f.low_pct
            err = abs(signed)
            how = (
                f"{signed:+.4f} % = {signed * r.width_km * 10.0:+.1f} m "
                f"({'too far from' if signed > 0 else 'too close to'} the source) at "
                f"({f.worst[0]:.5f}, {f.worst[1]:.5f}); "
                f"{f.over:,} of {f.samples:,} boundary points over 0.1 %"
            )
        else:
            err, how = r.err_pct, "sampled boundary"
        if not np.isfinite(err) or err > 0.1:
            out.append(f"ACCURACY: geo.buffer {r.case}: {how}")
        fine = r.area_refs.get("fine")
        if fine is not None and abs(fine) > 0.1:
            out.append(
                f"ACCURACY: geo.buffer {r.case}: area {fine:+.4f} % "
                "vs the fine geodesic ring (> 0.1 %)"
            )
    for r in detailed:
        if r.method == "geo.buffer":
            verdict = "met" if r.time_ms < 1000.0 else "NOT MET"
            out.append(
                f"TARGET: geo.buffer {r.case}: {r.time_ms:,.0f} ms (target < 1,000 ms: {verdict})"
            )
    if not any(line.startswith("ACCURACY") for line in out):
        out.insert(0, "ACCURACY: every geo.buffer result is within 0.1 % of the requested width.")
    return out


def border_cases(border: BaseGeometry, detailed: BaseGeometry) -> tuple[list[Case], list[Case]]:
    """List the border cases and the detailed-border cases."""
    plain = [Case(f"border {w:g} km", border, w) for w in BORDER_WIDTHS_KM]
    fine = [Case(f"detailed {w:g} km", detailed, w) for w in DETAILED_WIDTHS_KM]
    return plain, fine


def ukraine_cases(line: BaseGeometry) -> list[Case]:
    """Both-sides and left-side (north) buffers of the line across Ukraine."""
    return [
        Case(f"{w:g} km {side}", line, w, side)
        for w in UKRAINE_WIDTHS_KM
        for side in ("both", "left")
    ]


def kaliningrad_cases() -> list[Case]:
    """Rings around Kaliningrad and the oblast grown outwards."""
    point = shapely.Point(*KALININGRAD)
    rings = [Case(f"ring {w:,.0f} km", point, w, ring_centre=KALININGRAD) for w in RING_WIDTHS_KM]
    rings.append(
        Case(
            f"{OBLAST_CODE} outside {OBLAST_WIDTH_KM:g} km",
            oblast(OBLAST_CODE),
            OBLAST_WIDTH_KM,
            "outside",
        )
    )
    return rings


def run_cases(cases: Sequence[Case], repeats: int, limit: int, full: bool) -> list[Row]:
    """Run :func:`run_case` on each case and concatenate the rows."""
    return [row for case in cases for row in run_case(case, repeats, limit, full)]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options: ``--repeats``, ``--samples`` and ``--no-full``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per method (median), default 3"
    )
    parser.add_argument(
        "--samples", type=int, default=2000, help="most boundary samples per result, default 2000"
    )
    parser.add_argument(
        "--no-full",
        action="store_true",
        help="skip scoring geo.buffer on every boundary vertex and midpoint (saves ~30 s)",
    )
    return parser.parse_args(argv)


def print_section(title: str, body: str) -> None:
    """Print a titled, underlined block after a blank line."""
    print(f"\n{title}\n{'=' * len(title)}\n{body}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the inputs, run every case and print the report.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status (0).
    """
    args = parse_args(argv)
    full = not args.no_full
    start = time.perf_counter()
    print(header(args.repeats, args.samples), flush=True)

    nato = nato_union()
    border = nato_russia_border(nato)
    detailed = detailed_border(border, DETAILED_VERTICES, WIGGLE_M, SEED)
    line = ukraine_line(UKRAINE_CITIES)
    warm_up()

    plain, fine = border_cases(border, detailed)
    border_rows = run_cases(plain, args.repeats, args.samples, full)
    print_section(
        f"1. NATO–Russia/Belarus land border: {len(shapely.get_parts(border))} lines, "
        f"{shapely.get_num_coordinates(border):,} vertices, {geo.length_km(border):,.0f} km",
        buffer_table(border_rows, False),
    )
    detailed_rows = run_cases(fine, args.repeats, args.samples, full)
    print_section(
        f"1b. Detailed border: {shapely.get_num_coordinates(detailed):,} vertices, "
        "random-walk wiggle "
        f"~{WIGGLE_M:g} m, {geo.length_km(detailed):,.0f} km (target < 1 s)",
        buffer_table(detailed_rows, False),
    )
    ukraine_rows = run_cases(ukraine_cases(line), args.repeats, args.samples, full)
    print_section(
        f"2. Line across Ukraine ({' – '.join(UKRAINE_CITIES)}): {geo.length_km(line):,.0f} km; "
        "'left' = north side, flat ends",
        buffer_table(ukraine_rows, False),
    )
    ring_rows = run_cases(kaliningrad_cases(), args.repeats, args.samples, full)
    print_section(
        f"3. Kaliningrad {KALININGRAD}: geodesic rings and the oblast grown outwards",
        "The 5,500 km ring contains the North Pole. Area references: cap = spherical cap on the "
        "authalic sphere,\nfine ring = 36,000 Geod.fwd points measured with "
        "Geod.geometry_area_perimeter (the better one).\n" + buffer_table(ring_rows, True),
    )
    print_section(
        "4. Population of the NATO-side border band", population_section(border, nato, args.repeats)
    )

    all_rows = border_rows + detailed_rows + ukraine_rows + ring_rows
    if full:
        print_section(
            "5. geo.buffer on its whole boundary (every vertex and edge midpoint, no sampling)",
            full_check_table(all_rows),
        )
    print_section("Findings", "\n".join(findings(all_rows, detailed_rows)))
    print(f"\nTotal run time {time.perf_counter() - start:,.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
