"""Draw ``docs/edges.png``: the two meanings of one long drawn edge, and their 50 km bands.

Run from the repository root: ``.venv/bin/python docs/edges_figure.py``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from geo import buffer  # noqa: E402
from geo.edges import densify  # noqa: E402

#: One edge drawn with two clicks: Bergen to the Finnish–Russian border, about 1,000 km along 61° N.
EDGE = shapely.LineString([(5.3, 61.0), (23.7, 61.0)])
WIDTH_KM = 50.0


def main() -> None:
    """Write the figure."""
    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=110)
    colours = {"straight": "#0072B2", "geodesic": "#D55E00"}
    words = {"straight": "straight in lon/lat (RFC 7946; default)", "geodesic": "geodesic (PostGIS geography)"}
    for edges, colour in colours.items():
        band = buffer(EDGE, WIDTH_KM, edges=edges)
        for poly in shapely.get_parts(band):
            ax.fill(*poly.exterior.xy, color=colour, alpha=0.18, lw=0)
            ax.plot(*poly.exterior.xy, color=colour, lw=0.8)
        line = densify(EDGE, edges=edges)
        ax.plot(*line.xy, color=colour, lw=2, label=f"{words[edges]}, and its {WIDTH_KM:g} km band")
    ax.plot(*EDGE.xy, "ko", ms=4)
    ax.set_aspect(1.0 / np.cos(np.radians(61.0)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title("One edge between two clicks, 61° N, ~1,000 km: its two meanings are 35 km apart mid-way",
                 fontsize=10)
    ax.set_ylim(60.2, 62.0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=1, fontsize=8, frameon=False)
    ax.grid(color="0.9", lw=0.5)
    fig.tight_layout()
    fig.savefig(Path(__file__).with_name("edges.png"))


if __name__ == "__main__":
    main()
