"""Independent check of buffer accuracy: sample a result's boundary, measure with pyproj.Geod."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod, Transformer

GEOD = Geod(ellps="WGS84")


def _densify_lonlat(coords: np.ndarray, step_km: float) -> np.ndarray:
    """Points along straight lon/lat segments, at most ``step_km`` apart (RFC 7946 reading)."""
    out = [coords[:1]]
    for a, b in zip(coords[:-1], coords[1:], strict=True):
        _, _, d = GEOD.inv(a[0], a[1], b[0], b[1])
        n = max(1, int(np.ceil(d / 1000.0 / step_km)))
        t = np.arange(1, n + 1)[:, None] / n
        out.append(a + (b - a) * t)
    return np.vstack(out)


def densified_line(line: shapely.LineString, step_km: float, edges: str) -> shapely.LineString:
    """A drawn line densified independently of ``geo``: straight in lon/lat, or along ``Geod.npts``."""
    coords = np.asarray(line.coords)
    if edges == "straight":
        return shapely.LineString(_densify_lonlat(coords, step_km))
    out = [coords[:1]]
    for a, b in zip(coords[:-1], coords[1:], strict=True):
        k = int(np.ceil(GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0 / step_km))
        out += [np.array(GEOD.npts(a[0], a[1], b[0], b[1], max(k - 1, 0))).reshape(-1, 2), b[None]]
    return shapely.LineString(np.vstack(out))


def source_points(source: shapely.Geometry, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """The source as lon/lat points at most ``step_km`` apart, with the part each belongs to."""
    pts, part_ids = [], []
    for k, part in enumerate(shapely.get_parts(shapely.get_parts(source))):
        if isinstance(part, shapely.Point):
            chunk = [np.array([[part.x, part.y]])]
        elif isinstance(part, shapely.Polygon):
            chunk = [_densify_lonlat(np.asarray(r.coords), step_km) for r in (part.exterior, *part.interiors)]
        else:
            chunk = [_densify_lonlat(np.asarray(part.coords), step_km)]
        for j, c in enumerate(chunk):
            pts.append(c)
            part_ids.append(np.full(len(c), 1000 * k + j))
    return np.vstack(pts), np.concatenate(part_ids)


def boundary_samples(result: shapely.Geometry, n: int = 1500, seed: int = 0) -> np.ndarray:
    """Vertices and edge midpoints of the boundary, without the RFC 7946 cut edges."""
    pts = []
    for poly in shapely.get_parts(result):
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)
            pts += [c[:-1], (c[:-1] + c[1:]) / 2]
    pts = np.vstack(pts)
    pts = pts[(np.abs(np.abs(pts[:, 0]) - 180.0) > 1e-7) & (np.abs(pts[:, 1]) < 90.0 - 1e-7)]
    if len(pts) > n:
        pts = pts[np.random.default_rng(seed).choice(len(pts), n, replace=False)]
    return pts


def _candidate_pairs(samples: np.ndarray, coarse: np.ndarray, starts: np.ndarray,
                     width_km: float) -> tuple[np.ndarray, np.ndarray]:
    """(sample, segment) pairs that may hold each sample's nearest source point.

    Segments are indexed in a stereographic plane centred on the source. The projection is
    conformal, so around each sample distances keep their ranking up to a local scale
    factor ``k``; every segment within the nearest one's distance plus ``0.3 W k`` (three
    coarse segments) is a candidate, so the true nearest point cannot be missed.
    """
    lon0, lat0 = coarse[:, 0].mean(), coarse[:, 1].mean()
    stere = Transformer.from_crs("EPSG:4326", f"+proj=stere +lat_0={lat0} +lon_0={lon0} +R=6371000", always_xy=True)
    plane = np.column_stack(stere.transform(coarse[:, 0], coarse[:, 1]))
    points = shapely.points(np.column_stack(stere.transform(samples[:, 0], samples[:, 1])))
    segments = shapely.linestrings(np.stack([plane[starts], plane[starts + 1]], axis=1))
    tree = shapely.STRtree(segments)
    hit_sample, hit_seg = tree.query_nearest(points, all_matches=False)
    nearest = np.empty(len(samples))
    nearest[hit_sample] = shapely.distance(points[hit_sample], segments[hit_seg])
    _, _, centre_m = GEOD.inv(np.full(len(samples), lon0), np.full(len(samples), lat0), samples[:, 0], samples[:, 1])
    k = 2.0 / (1.0 + np.cos(centre_m / 6371000.0))  # stereographic scale at each sample
    return tree.query(points, predicate="dwithin", distance=nearest + 300.0 * width_km * k)


def distances_to_source_km(samples: np.ndarray, source: shapely.Geometry, width_km: float) -> np.ndarray:
    """Geodesic distance from each sample to the nearest point of the source, km.

    The source is sampled coarsely (every W/10) into segments; for each sample every
    segment that may hold its nearest point (:func:`_candidate_pairs`) is sampled finely
    (W/100) and measured exactly with ``Geod.inv``; the minimum is the distance.
    """
    coarse, part = source_points(source, max(width_km / 10.0, 0.005))
    if len(coarse) == 1:
        _, _, d = GEOD.inv(samples[:, 0], samples[:, 1], np.full(len(samples), coarse[0, 0]),
                           np.full(len(samples), coarse[0, 1]))
        return d / 1000.0
    starts = np.flatnonzero(part[:-1] == part[1:])
    pair_sample, pair_seg = _candidate_pairs(samples, coarse, starts, width_km)
    t = np.linspace(0.0, 1.0, 11)
    best = np.full(len(samples), np.inf)
    for i in range(0, len(pair_sample), 200_000):
        ps, sg = pair_sample[i : i + 200_000], pair_seg[i : i + 200_000]
        a, b = coarse[starts[sg]], coarse[starts[sg] + 1]
        fine = a[:, None, :] + (b - a)[:, None, :] * t[None, :, None]
        q = np.repeat(samples[ps][:, None, :], len(t), axis=1)
        _, _, d = GEOD.inv(q[..., 0].ravel(), q[..., 1].ravel(), fine[..., 0].ravel(), fine[..., 1].ravel())
        np.minimum.at(best, ps, d.reshape(len(ps), len(t)).min(axis=1))
    return best / 1000.0


def max_relative_error(result: shapely.Geometry, source: shapely.Geometry, width_km: float, n: int = 1500) -> float:
    """Largest |distance / W − 1| over the sampled boundary."""
    d = distances_to_source_km(boundary_samples(result, n), source, width_km)
    return float(np.max(np.abs(d / width_km - 1.0)))
