"""Time what the app does on a parameter change of a default scenario (run by hand).

For each layer, after a warm-up (data loaded, model built, previous parameters cached), one
parameter is changed and the server-side work of the rerun is timed: building the layer
(`layers.build`), preparing its display GeoJSON text (`mapview.display_text`) and the folium
feature group (`mapview.layer_group`). A full `AppTest` rerun of the default page is timed
too. Prints medians and the size sent to the browser per layer.

Usage::

    .venv/bin/python benchmarks/bench_app.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import layers
from bufferzone.webapp.mapview import display_text, layer_group

CHANGES = {
    "nato-enlargement": [{"as_of": "2021-12-17"}, {"as_of": "2023-06-01"}, {"eastern_flank": True}],
    "buffer-zone": [{"width_km": 50}, {"width_km": 75}, {"width_km": 150}],
    "frozen-line": [{"dmz_km": 3}, {"dmz_km": 5}, {"dmz_km": 10}],
    "trans-dnieper": [{"kyiv_ring_km": 15}, {"kyiv_ring_km": 20}, {"patrol_strip_km": 5}],
    "range-rings": [{"preset": "iskander"}, {"site": "belarus"}, {"preset": "oreshnik"}],
}


#: CPU milliseconds (this process, all threads) of the calls timed by :func:`_time` so far.
_CPU_MS: list[float] = []


def _time(fn, *args):
    """Run ``fn``; its result and wall ms (its CPU ms is appended to ``_CPU_MS``)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    _CPU_MS.append((time.process_time() - cpu) * 1000)
    return out, (time.perf_counter() - start) * 1000


def main() -> None:
    """Print the report."""
    print(f"{'layer':<18} {'change':<28} {'build ms':>9} {'display ms':>11} "
          f"{'group ms':>9} {'total ms':>9} {'CPU ms':>7} {'KB sent':>8}")
    totals, cpus = [], []
    for name, changes in CHANGES.items():
        display_text(layers.build(name))  # warm-up: data, model, the default layer shown
        for change in changes:
            del _CPU_MS[:]
            result, t_build = _time(layers.build, name, change)
            shown, t_display = _time(display_text, result)
            _, t_group = _time(lambda r, t: layer_group(r, text=t), result, shown)
            kb = len(shown.encode("utf-8")) / 1024
            total = t_build + t_display + t_group
            totals.append(total)
            cpus.append(sum(_CPU_MS))
            print(f"{name:<18} {json.dumps(change):<28} {t_build:9.0f} {t_display:11.0f} "
                  f"{t_group:9.0f} {total:9.0f} {cpus[-1]:7.0f} {kb:8.0f}")
    print(f"\nmedian server compute per parameter change: {statistics.median(totals):.0f} ms wall "
          f"(min {min(totals):.0f}, max {max(totals):.0f}), {statistics.median(cpus):.0f} ms CPU "
          f"(min {min(cpus):.0f}, max {max(cpus):.0f}); load average {os.getloadavg()[0]:.1f}")

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, local_script_runner

    app = str(Path(__file__).resolve().parent.parent / "app.py")
    passes = (("AppTest as shipped (recompiles app.py every run)", False, (60.0, 70.0, 80.0, 90.0, 65.0, 75.0)),
              ("AppTest with the server's compiled-script cache", True, (61.0, 71.0, 81.0, 91.0, 66.0, 76.0)))
    for label, shared, widths in passes:  # new widths each pass: results are cached per process
        if shared:  # a running server compiles app.py once; AppTest makes a new cache per run
            cache = ScriptCache()
            local_script_runner.ScriptCache = lambda cache=cache: cache
        at = AppTest.from_file(app, default_timeout=300)
        at.run()
        runs, run_cpus = [], []
        for width in widths:
            start, cpu = time.perf_counter(), time.process_time()
            at.sidebar.slider[0].set_value(width).run()
            runs.append((time.perf_counter() - start) * 1000)
            run_cpus.append((time.process_time() - cpu) * 1000)
        start, cpu = time.perf_counter(), time.process_time()
        at.sidebar.slider[0].set_value(widths[0]).run()
        cached, cached_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        print(f"{label}: whole-page rerun after a width change (default scenario) median "
              f"{statistics.median(runs):.0f} ms wall (min {min(runs):.0f}, max {max(runs):.0f}), "
              f"{statistics.median(run_cpus):.0f} ms CPU; back to a cached width {cached:.0f} ms wall, "
              f"{cached_cpu:.0f} ms CPU")


if __name__ == "__main__":
    main()
