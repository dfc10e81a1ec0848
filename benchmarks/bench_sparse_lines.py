"""Accuracy of ``geo.buffer`` on random sparse drawn lines: a larger sweep than the CI test.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_sparse_lines.py [--cases 200] [--seed 1] [--edges straight]

Lines as users draw them with a handful of clicks: 5–40 vertices 100–250 km apart, turns up
to 175° (half of them sharper than 60°), now and then a hairpin that runs back alongside
itself (self-approaching zig-zags), anywhere between 35° and 75° N; widths log-uniform in
0.5–1,000 km; both sides or one side. Every result is scored on its whole boundary (every
vertex and edge midpoint, not a sample) with the independent measure of ``bench_engine``
(the source densified to min(W/200, 1 km) along its edges, nearest point by 3-D chord,
then ``Geod.inv``): two-sided results on max |d/W − 1|, one-sided ones on how far any
boundary point lies beyond W. Each is also checked for missing area (see :func:`missing`).
Prints one line per case and the worst case found.
Nothing is asserted: ``tests/geo/test_sparse_lines.py`` asserts the same on a few seeded
cases.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from bench_engine import relative_errors, source_index  # sibling script

import geo
from geo.settings import GEOD

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.geo._boundary import densified_line  # noqa: E402  (the tests' independent reference)

__all__ = ["case", "main", "sparse_line"]


def sparse_line(rng: np.random.Generator, n: int) -> shapely.LineString:
    """A random drawn line of ``n`` vertices 100–250 km apart, turns up to 175°."""
    lon, lat = rng.uniform(-20.0, 60.0), rng.uniform(35.0, 75.0)
    pts = [(lon, lat)]
    az = rng.uniform(0.0, 360.0)
    for i in range(n - 1):
        if i:
            kind = rng.random()
            if kind < 0.15:  # hairpin: back alongside the previous segment
                turn = rng.uniform(165.0, 175.0)
            elif kind < 0.5:
                turn = rng.uniform(60.0, 175.0)
            else:
                turn = rng.uniform(0.0, 60.0)
            az += turn * rng.choice([-1.0, 1.0])
        lon, lat, back = GEOD.fwd(lon, lat, az, rng.uniform(100e3, 250e3))
        az = back + 180.0
        pts.append((lon, lat))
    return shapely.LineString(pts)


def missing(result: shapely.Geometry, line: shapely.LineString, width_km: float, side: str,
            rng: np.random.Generator, edges: str, n: int = 4000) -> int:
    """Points that must be in the result and are not.

    Two-sided: points 0.999 W from random points of the source, in random directions.
    One-sided: points 0.999 W along the normal on that side of random points inside
    segments, not covered and farther than 0.1 % of W from the result.
    """
    src = np.asarray(densified_line(line, 1.0, edges).coords)
    if side == "both":
        i = rng.integers(0, len(src), n)
        lon, lat, _ = GEOD.fwd(src[i, 0], src[i, 1], rng.uniform(0.0, 360.0, n), np.full(n, 999.0 * width_km))
    else:
        i = rng.integers(0, len(src) - 1, n)
        t = rng.uniform(0.02, 0.98, n)
        a, b = src[i], src[i + 1]
        p = a + (b - a) * t[:, None]
        az, _, _ = GEOD.inv(p[:, 0], p[:, 1], b[:, 0], b[:, 1])
        normal = np.asarray(az) + (-90.0 if side == "left" else 90.0)
        lon, lat, _ = GEOD.fwd(p[:, 0], p[:, 1], normal, np.full(n, 999.0 * width_km))
    shapely.prepare(result)
    pts = shapely.points(lon, lat)
    out = ~shapely.covers(result, pts)
    if side != "both" and out.any():
        # a one-sided band ends flat, along the normal at a vertex where the line turns toward
        # that side; that normal's direction depends on how the source is cut into segments
        # (by about half the turn of a straight lon/lat edge over one cut). Points within 0.1 %
        # of W of the result are therefore not counted as missing.
        near = shapely.get_coordinates(shapely.shortest_line(result.boundary, pts[out]))[0::2]
        _, _, gap = GEOD.inv(lon[out], lat[out], near[:, 0], near[:, 1])
        out[np.flatnonzero(out)[np.asarray(gap) <= 1.0 * width_km]] = False
    return int(out.sum())


def case(seed: int, k: int, max_width_km: float = 1000.0) -> tuple[shapely.LineString, float, str]:
    """Case ``k`` of the sweep with ``seed``: a sparse line, a width (km) and a side."""
    rng = np.random.default_rng([seed, k])
    line = sparse_line(rng, int(rng.integers(5, 41)))
    width = float(np.exp(rng.uniform(np.log(0.5), np.log(max_width_km))))
    return line, width, str(rng.choice(["both", "both", "left", "right"]))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sweep and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edges", choices=["straight", "geodesic"], default="straight")
    parser.add_argument("--max-width", type=float, default=1000.0)
    args = parser.parse_args(argv)
    worst = (0.0, "")
    total_missing = 0
    for k in range(args.cases):
        line, width, side = case(args.seed, k, args.max_width)
        rng = np.random.default_rng([args.seed, k, 1])
        n = len(line.coords)
        t0 = time.perf_counter()
        options = {} if args.edges == "straight" else {"edges": args.edges}
        result = geo.buffer(line, width, side=side, **options)
        ms = 1000.0 * (time.perf_counter() - t0)
        reference = densified_line(line, min(width / 200.0, 1.0), args.edges)
        _, err = relative_errors(result, source_index(reference, width), width, side, np.iinfo(np.int64).max)
        miss = missing(result, line, width, side, rng, args.edges)
        total_missing += miss
        # one-sided: only "too far" is scored (near the line's ends and where it turns back on
        # itself, the side's boundary is legitimately nearer than W to other parts of the line)
        scored = np.abs(err) if side == "both" else np.maximum(err, 0.0)
        high = float(scored.max()) * 100.0 if len(scored) else float("nan")  # nan: empty result

        label = (f"case {k:3d}: {n:2d} vertices, {geo.length_km(reference):7.0f} km, W {width:8.2f} km, "
                 f"{side:<5}  max |d/W-1| {high:.4f} %  ({len(err):,} points)  missing {miss}  {ms:6.0f} ms")
        print(label, flush=True)
        key = np.inf if np.isnan(high) else high  # nothing scored (an empty result) is the worst
        if key > worst[0]:
            worst = (key, label)
    print(f"\nworst: {worst[1]}\npoints missing in all cases: {total_missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
