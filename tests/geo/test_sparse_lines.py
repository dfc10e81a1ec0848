"""Buffers of random sparse drawn lines: every boundary point within 0.1 % of the width.

Lines as users draw them with a handful of clicks (5–40 vertices, 100–250 km apart, turns up
to 175°, hairpins that run back alongside themselves), both sides and one side, widths
0.5–1,000 km, both meanings of an edge. Each result is measured independently of the engine
(``_boundary.py``: the source densified here, in the declared meaning — straight lon/lat by
interpolation, geodesic by ``Geod.npts`` — and ``Geod.inv`` to the nearest source point) on
a sample of its boundary plus every boundary vertex near the drawn vertices, where pieces
meet and turn. Nothing may be missing either: points 0.999 W from the source must be inside.
Seeded and few (hypothesis, ``derandomize``); ``benchmarks/bench_sparse_lines.py`` sweeps
hundreds of such lines on their whole boundary. To keep the run short, lines narrower than
10 km are at most 300 km per km of width long (0.5 km: 350 km), which still gives several
sharp turns.
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import buffer

from ._boundary import GEOD, boundary_samples, densified_line, distances_to_source_km

TOLERANCE = 1e-3


def sparse_line(seed: int, n: int, width_km: float) -> shapely.LineString:
    rng = np.random.default_rng(seed)
    max_len = min(3000.0, 200.0 + 300.0 * width_km)
    lon, lat, az = rng.uniform(-20.0, 60.0), rng.uniform(35.0, 72.0), rng.uniform(0.0, 360.0)
    pts, total = [(lon, lat)], 0.0
    for i in range(n - 1):
        step = rng.uniform(100.0, 250.0)
        if i >= 4 and total + step > max_len:
            break
        if i:
            kind = rng.random()
            turn = rng.uniform(165, 175) if kind < 0.2 else rng.uniform(60, 175) if kind < 0.6 else rng.uniform(0, 60)
            az += turn * rng.choice([-1.0, 1.0])
        lon, lat, back = GEOD.fwd(lon, lat, az, step * 1000.0)
        az, total = back + 180.0, total + step
        pts.append((lon, lat))
    return shapely.LineString(pts)


def samples_near_turns(result: shapely.Geometry, line: shapely.LineString, width_km: float) -> np.ndarray:
    pts = boundary_samples(result, n=10**9)
    keep = np.zeros(len(pts), dtype=bool)
    for lon, lat in line.coords:
        _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
        keep |= d < 3000.0 * width_km
    near = pts[keep]
    if len(near) > 3000:
        near = near[np.random.default_rng(0).choice(len(near), 3000, replace=False)]
    return np.vstack([boundary_samples(result, n=1500), near])


def missing(result, src: shapely.LineString, width_km: float, side: str, rng) -> int:
    c = np.asarray(src.coords)
    n = 1500
    if side == "both":
        i = rng.integers(0, len(c), n)
        lon, lat, _ = GEOD.fwd(c[i, 0], c[i, 1], rng.uniform(0, 360, n), np.full(n, 999.0 * width_km))
    else:  # along the normal on that side of points inside segments
        i = rng.integers(0, len(c) - 1, n)
        p = c[i] + (c[i + 1] - c[i]) * rng.uniform(0.02, 0.98, n)[:, None]
        az, _, _ = GEOD.inv(p[:, 0], p[:, 1], c[i + 1, 0], c[i + 1, 1])
        lon, lat, _ = GEOD.fwd(p[:, 0], p[:, 1], np.asarray(az) + (-90 if side == "left" else 90),
                               np.full(n, 999.0 * width_km))
    pts = shapely.points(lon, lat)
    out = ~shapely.covers(result, pts)
    if side != "both" and out.any():  # the flat end at an inward turn: within 0.1 % W is enough
        near = shapely.get_coordinates(shapely.shortest_line(result.boundary, pts[out]))[0::2]
        _, _, gap = GEOD.inv(lon[out], lat[out], near[:, 0], near[:, 1])
        out[np.flatnonzero(out)[np.asarray(gap) <= 1.0 * width_km]] = False
    return int(out.sum())


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(5, 40),
    log_width=st.floats(np.log(0.5), np.log(1000.0)),
    side=st.sampled_from(["both", "both", "left", "right"]),
    edges=st.sampled_from(["straight", "geodesic"]),
)
def test_random_sparse_line_boundary_within_0_1_percent(seed, n, log_width, side, edges) -> None:
    width = float(np.exp(log_width))
    line = sparse_line(seed, n, width)
    result = buffer(line, width, side=side, edges=edges)
    assert result.is_valid and not result.is_empty
    src = densified_line(line, max(width / 20.0, 0.05), edges)
    err = distances_to_source_km(samples_near_turns(result, line, width), src, width) / width - 1.0
    if side == "both":
        assert np.abs(err).max() < TOLERANCE, (np.abs(err).max(), line.wkt, width)
    else:  # one-sided: nothing beyond W (ends and turns back legitimately come nearer)
        assert err.max() < TOLERANCE, (err.max(), line.wkt, width, side)
    assert missing(result, src, width, side, np.random.default_rng(seed)) == 0


def test_one_sided_band_keeps_the_area_near_a_short_last_segment() -> None:
    """Regression: a 384 km left band of a 6-vertex line whose last segment turns sharply.

    The old construction cut the two-sided band with the line extended past its ends and took
    away half-discs beyond the ends; both reached into the band of earlier segments, and 744 of
    4,000 points 0.999 W along the left normals were missing.
    """
    coords = [(54.7517, 62.1491), (57.4987, 60.8321), (56.6867, 58.8025), (55.5470, 56.6673),
              (52.5166, 57.5506), (52.9522, 55.8225)]
    line = shapely.LineString(coords)
    result = buffer(line, 384.4, side="left")
    src = densified_line(line, 5.0, "straight")
    assert missing(result, src, 384.4, "left", np.random.default_rng(1)) == 0
    err = distances_to_source_km(boundary_samples(result, n=3000), src, 384.4) / 384.4 - 1.0
    assert err.max() < TOLERANCE
