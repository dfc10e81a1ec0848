"""Profile the app's reruns that change no parameter: a pan, a zoom, a rerun as is (run by hand).

Since the map reports its view (``st_folium`` returns ``center``/``zoom``), panning or zooming
reruns the page. Such a rerun must not rebuild a layer or re-measure anything: everything it
draws is cached on the parameters (and, for the display geometry, the zoom). This runs the
default page in ``AppTest`` with the compiled-script cache a server keeps, then reruns it
after a pan (same zoom), a zoom in and a zoom back out, and reports the wall and CPU time of
each with cProfile's top functions of the script thread.

Usage::

    .venv/bin/python benchmarks/profile_rerun.py [--top 25] [--layers buffer-zone,frozen-line]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import threading
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parent.parent / "app.py")


class _ThreadProfile:
    """cProfile of the threads started while it is on (AppTest runs the script in its own thread)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []

    def _start(self, *_: object) -> None:
        prof = cProfile.Profile()
        self.profiles.append(prof)
        prof.enable()  # replaces this hook for the thread

    def __enter__(self) -> _ThreadProfile:
        threading.setprofile(self._start)
        return self

    def __exit__(self, *_: object) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        for prof in self.profiles:
            prof.disable()

    def report(self, top: int) -> str:
        out = io.StringIO()
        stats = None
        for prof in self.profiles:
            try:
                stats = pstats.Stats(prof, stream=out) if stats is None else stats.add(prof)
            except TypeError:  # a thread that recorded nothing
                continue
        if stats is None:
            return "(nothing recorded)\n"
        stats.sort_stats("cumulative").print_stats(top)
        return out.getvalue()


def main() -> None:
    """Print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="functions to list per rerun")
    parser.add_argument("--layers", default="", help="comma-separated layers (default: the app's default)")
    args = parser.parse_args()

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, local_script_runner

    cache = ScriptCache()
    local_script_runner.ScriptCache = lambda: cache  # a server compiles app.py once
    at = AppTest.from_file(APP, default_timeout=300)
    if args.layers:
        at.query_params["layers"] = args.layers
    t0, c0 = time.perf_counter(), time.process_time()
    at.run()
    print(f"first run: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} CPU-s "
          f"(data, layers built); exceptions: {[e.value for e in at.exception]}")
    at.run()  # settle: the view the first run fitted
    steps = [("pan (same zoom)", (49.0, 27.0, 5)), ("pan again", (50.0, 30.0, 5)), ("zoom in", (50.0, 30.0, 7)),
             ("zoom back out", (50.0, 30.0, 5)), ("rerun as is", None)]
    for label, view in steps:
        if view is not None:
            lat, lon, zoom = view
            at.session_state["map"] = {"center": {"lat": lat, "lng": lon}, "zoom": zoom}
        t0, c0 = time.perf_counter(), time.process_time()
        with _ThreadProfile() as prof:
            at.run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"\n=== {label}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (process) "
              f"exceptions: {[e.value for e in at.exception]}")
        print(prof.report(args.top))


if __name__ == "__main__":
    main()
