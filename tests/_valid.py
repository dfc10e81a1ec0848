"""Independent check that a written geometry is fit for strict readers (used by several tests).

Re-reads the geometry as a reader would and checks, with shapely's validity test and a
shoelace sum of its own (not ``geo.output``): valid, no ring of zero area, exteriors
counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
import shapely.geometry


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0] - ring[0, 0], ring[:, 1] - ring[0, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def written_problem(geometry: dict[str, Any] | shapely.Geometry | None) -> str:
    """Why a written geometry (GeoJSON dict or a re-read shapely geometry) is not clean, '' if it is."""
    if geometry is None:
        return ""
    geom = shapely.geometry.shape(geometry) if isinstance(geometry, dict) else geometry
    if not shapely.is_valid(geom):
        return shapely.is_valid_reason(geom)
    polys = [p for p in shapely.get_parts(shapely.get_parts(geom)) if isinstance(p, shapely.Polygon)]
    for poly in polys:
        for k, ring in enumerate((poly.exterior, *poly.interiors)):
            area = _signed_area(np.asarray(ring.coords))
            if area == 0.0:
                return f"ring of zero area at {ring.coords[0]}"
            if (area > 0) != (k == 0):
                return f"{'exterior clockwise' if k == 0 else 'hole counter-clockwise'} at {ring.coords[0]}"
    return ""
