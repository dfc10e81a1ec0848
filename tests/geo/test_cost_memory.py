"""Worst-case buffer requests stay within a memory cap: refused before the work, or done.

Each request runs in a fresh interpreter whose address space is capped at 2.5 GB with
``resource.setrlimit(RLIMIT_AS)``; before the cost model, the first one took 4.46 GB and then
failed inside GEOS (issue 18). A request may be refused (``ParameterError``, naming its limit)
or complete with a non-empty result; a ``MemoryError``, a crash or any other error fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

resource = pytest.importorskip("resource")  # POSIX only: the cap needs setrlimit

CAP_BYTES = int(2.5 * 1024**3)

_RUNNER = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    import numpy as np
    import shapely
    import geo
    from geo.geodesy import area_km2
    case = sys.argv[1]
    if case == "tiny-width-square":
        geom, width = shapely.box(30, 50, 30.1, 50.1), 0.001
    elif case == "femto-width":
        geom, width = shapely.box(30, 50, 30.1, 50.1), 1e-12
    elif case == "long-detailed-line-wide":
        x = np.linspace(-170, 170, 40_000)
        geom, width = shapely.LineString(np.c_[x, 10 * np.sin(x / 7)]), 9_000.0
    elif case == "many-points":
        rng = np.random.default_rng(0)
        geom, width = shapely.MultiPoint(rng.random((50_000, 2)) * [20, 10] + [20, 45]), 10.0
    try:
        out = geo.buffer(geom, width)
    except geo.ParameterError as exc:
        print(json.dumps({{"outcome": "refused", "message": str(exc)}}))
    else:
        print(json.dumps({{"outcome": "done", "km2": area_km2(out)}}))
""")


@pytest.mark.parametrize("case", ["tiny-width-square", "femto-width", "long-detailed-line-wide", "many-points"])
def test_a_worst_case_request_is_refused_or_done_within_the_cap(case: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _RUNNER.format(cap=CAP_BYTES), case],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["outcome"] == "refused":
        assert "the limit is" in result["message"]
    else:
        assert result["km2"] > 0
