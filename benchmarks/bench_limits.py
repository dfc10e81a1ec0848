"""Time and memory of the largest inputs the limits accept, and the cost model beside them (run by hand).

Each case is written as a GeoJSON file at (or just under) a limit of ``geo.reading.Limits`` or
of the buffer cost model (``geo.cost``), then read, measured and buffered in a fresh process,
as a visitor's upload would be; the report gives wall time, peak memory (max RSS) and, for
buffers, the cost model's estimate. Requests past a limit are refused in about the time it
takes to read them; these are the worst that is accepted.

Usage::

    .venv/bin/python benchmarks/bench_limits.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from geo.reading import DEFAULT_LIMITS as L

RUN = r"""
import json, resource, sys, time
import shapely
import geo
from geo.cost import buffer_cost
from geo.reading import read_vector
path, op, width = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.perf_counter()
loaded = read_vector(path)
t1 = time.perf_counter()
geom = shapely.union_all(loaded.frame.geometry.values)
estimate = None
if op == "measure":
    geo.measure(geom)
elif op == "buffer":
    estimate = buffer_cost(geom, width).seconds
    geo.buffer(geom, width)
t2 = time.perf_counter()
rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
print(json.dumps({"read_s": t1 - t0, "op_s": t2 - t1, "rss_gb": rss_gb, "estimate_s": estimate}))
"""


def _fc(geometries: list[dict]) -> dict:
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": g, "properties": {}} for g in geometries]}


def _square(x: float, y: float, d: float) -> list[list[float]]:
    return [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]


def cases(rng: np.random.Generator) -> list[tuple[str, dict, str, float]]:
    """(label, GeoJSON document, operation, buffer width km) of each case at a limit."""
    n = L.max_features
    xy = np.round(np.c_[20 + rng.random(n) * 20, 45 + rng.random(n) * 10], 4)
    points = _fc([{"type": "Point", "coordinates": p} for p in xy.tolist()])
    squares = _fc([{"type": "Polygon", "coordinates": [_square(x, y, 0.01)]} for x, y in xy.tolist()])
    t = np.linspace(0, 1, L.max_vertices)
    wiggle = np.round(np.c_[20 + 15 * t, 50 + 2 * np.sin(t * 200)], 5)
    line = _fc([{"type": "LineString", "coordinates": wiggle.tolist()}])
    holes = [_square(30.01 + (i % 45) * 0.022, 50.01 + (i // 45) * 0.022, 0.01)[::-1] for i in range(L.max_parts - 1)]
    holey = _fc([{"type": "Polygon", "coordinates": [_square(30, 50, 1.0), *holes]}])
    some_points = _fc([{"type": "Point", "coordinates": p} for p in xy[:6_000].tolist()])
    return [
        (f"{n:,} points: read", points, "read", 0.0),
        ("6,000 points: buffer 10 km (cost limit ~6,600)", some_points, "buffer", 10.0),
        (f"{n:,} small polygons: read + measure", squares, "measure", 0.0),
        (f"{L.max_vertices:,}-vertex line: read", line, "read", 0.0),
        (f"polygon with {L.max_parts - 1:,} holes: read + measure", holey, "measure", 0.0),
        (f"polygon with {L.max_parts - 1:,} holes: buffer 10 km", holey, "buffer", 10.0),
    ]


def main() -> None:
    """Print the report."""
    rng = np.random.default_rng(1)
    print(f"{'case':58} {'read s':>7} {'work s':>7} {'est. s':>7} {'max RSS':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, doc, op, width in cases(rng):
            path = Path(tmp) / "case.geojson"
            path.write_text(json.dumps(doc))
            out = subprocess.run([sys.executable, "-c", RUN, str(path), op, str(width)], capture_output=True, text=True)
            if out.returncode:
                print(f"{label:58} refused or failed: {(out.stderr.strip().splitlines() or ['?'])[-1][:90]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            est = f"{r['estimate_s']:7.1f}" if r["estimate_s"] is not None else "      –"
            print(f"{label:58} {r['read_s']:7.1f} {r['op_s']:7.1f} {est} {r['rss_gb']:6.2f} GB"
                  f"   ({path.stat().st_size / 1e6:.0f} MB file)")


if __name__ == "__main__":
    main()
