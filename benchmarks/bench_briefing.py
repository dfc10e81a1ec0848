"""Time briefing images: one and two layers, every preset, PNG and PDF (run by hand; asserts nothing).

``--add-patch`` draws the map's patches through ``Axes.add_patch`` (which walks every vertex to
update the data limits) instead of ``add_artist``, to measure what that walk costs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import layers
from bufferzone.briefing import PRESETS, mapframe, render_briefing


def main() -> None:
    """Print the median render time and file size of each case."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--add-patch", action="store_true", help="draw patches with Axes.add_patch")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.add_patch:
        mapframe._add = lambda ax, patch: ax.add_patch(patch)  # the slow path, for comparison
    zone = layers.build("buffer-zone")
    frozen = layers.build("frozen-line", {"withdraw_donbas": True})
    render_briefing([zone], preset="slide")  # warm-up: data loaded, caches filled
    print(f"{'layers':<28}{'preset':<14}{'format':<8}{'median s':>9}{'bytes':>11}")
    for name, results in (("buffer-zone", [zone]), ("buffer-zone + frozen-line", [zone, frozen])):
        for preset in PRESETS:
            for fmt in ("png", "pdf"):
                times, size = [], 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    size = len(render_briefing(results, fmt=fmt, preset=preset))  # type: ignore[arg-type]
                    times.append(time.perf_counter() - t)
                print(f"{name:<28}{preset:<14}{fmt:<8}{statistics.median(times):>9.2f}{size:>11,}")


if __name__ == "__main__":
    main()
