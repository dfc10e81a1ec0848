"""Independent check of buffer accuracy: sample a result's boundary, measure with pyproj.Geod."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

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


def _xyz(lonlat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def distances_to_source_km(samples: np.ndarray, source: shapely.Geometry, width_km: float) -> np.ndarray:
    """Geodesic distance from each sample to the nearest point of the source, km.

    The source is sampled coarsely (W/10) to find each sample's neighbourhood, then the
    segments around the 4 nearest coarse points are sampled finely (W/400) and measured
    exactly with ``Geod.inv``; the minimum is the distance.
    """
    coarse, part = source_points(source, max(width_km / 10.0, 0.005))
    s3, p3 = _xyz(coarse), _xyz(samples)
    t = np.linspace(0.0, 1.0, 41)[:, None]
    out = np.empty(len(samples))
    for i in range(0, len(samples), 100):
        chord = np.linalg.norm(p3[i : i + 100, None, :] - s3[None, :, :], axis=2)
        nearest = np.argsort(chord, axis=1)[:, :4]
        for j, cand in enumerate(nearest):
            fine = [coarse[cand]]
            for k in cand:
                for n in (k - 1, k + 1):
                    if 0 <= n < len(coarse) and part[n] == part[k]:
                        fine.append(coarse[k] + (coarse[n] - coarse[k]) * t)
            fine = np.vstack(fine)
            q = samples[i + j]
            _, _, d = GEOD.inv(np.full(len(fine), q[0]), np.full(len(fine), q[1]), fine[:, 0], fine[:, 1])
            out[i + j] = d.min() / 1000.0
    return out


def max_relative_error(result: shapely.Geometry, source: shapely.Geometry, width_km: float, n: int = 1500) -> float:
    """Largest |distance / W − 1| over the sampled boundary."""
    d = distances_to_source_km(boundary_samples(result, n), source, width_km)
    return float(np.max(np.abs(d / width_km - 1.0)))
