"""What a buffer will cost, estimated from its input before any work, and refused past a budget.

A visitor controls both the geometry and the width (a URL, a scenario file, an upload), and
a buffer's work grows with the boundary's length measured in widths, with the number of
points (each becomes a geodesic circle) and with the number of source vertices: a small
square buffered by 1 m, or a continent-long line by 10 mm, would otherwise run for minutes
and take gigabytes. :func:`check_buffer_cost` refuses such a request up front, naming the
limit and what to change.

The coefficients were fitted on the 2-core reference machine (``benchmarks/bench_limits.py``
prints estimate beside measured time for the largest accepted inputs); they make the
estimate an upper bound of the time there, so :data:`MAX_BUFFER_SECONDS` bounds each request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import ParameterError
from geo.settings import GEOD

__all__ = ["MAX_BUFFER_SECONDS", "BufferCost", "buffer_cost", "check_buffer_cost"]

#: Longest a single buffer may be estimated to take on the reference machine, seconds.
MAX_BUFFER_SECONDS = 20.0
#: Widths above this use the swept (wide) path, whose cost is per source vertex.
_WIDE_KM = 120.0
_S_PER_POINT = 3.0e-3
_S_PER_WIDTH_OF_BOUNDARY = 7.2e-4  # doubled: a 37 km outline at 1 m, estimated 13 s, ran 29-34 s
_S_PER_VERTEX_NARROW = 1.0e-5
_S_PER_VERTEX_WIDE = 4.0e-4
_S_PER_RING = 7.0e-3


@dataclass(frozen=True)
class BufferCost:
    """The size of a buffer request, and the time it is estimated to take.

    Attributes
    ----------
    points : int
        Point parts (each buffered as a circle).
    rings : int
        Lines and polygon rings (exteriors and holes), each buffered and stitched on its own.
    vertices : int
        Vertices of the lines and polygon rings.
    boundary_km : float
        Geodesic length of the lines and rings, km.
    width_km : float
    seconds : float
        Estimated time on the reference machine, s.
    """

    points: int
    rings: int
    vertices: int
    boundary_km: float
    width_km: float
    seconds: float


def buffer_cost(geom: BaseGeometry, width_km: float) -> BufferCost:
    """Estimate the cost of buffering ``geom`` (lon/lat) by ``width_km`` (> 0).

    Examples
    --------
    >>> cost = buffer_cost(shapely.box(30, 50, 31, 51), 0.001)
    >>> cost.boundary_km > 400 and cost.seconds > MAX_BUFFER_SECONDS
    True
    """
    parts = shapely.get_parts(geom)
    kinds = shapely.get_type_id(parts)
    points = int(np.isin(kinds, (0, 4)).sum())
    linework = parts[~np.isin(kinds, (0, 4))]
    lines = [np.asarray(r.coords) for p in linework
             for r in ((p.exterior, *p.interiors) if p.geom_type == "Polygon" else (p,))]
    vertices = sum(len(c) for c in lines)
    boundary_m = sum(float(np.sum(GEOD.inv(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])[2])) for c in lines if len(c) > 1)
    boundary_km = boundary_m / 1000.0
    per_vertex = _S_PER_VERTEX_WIDE if width_km > _WIDE_KM else _S_PER_VERTEX_NARROW
    seconds = (_S_PER_POINT * points + _S_PER_RING * len(lines) + _S_PER_WIDTH_OF_BOUNDARY * boundary_km / width_km
               + per_vertex * vertices)
    return BufferCost(points, len(lines), vertices, boundary_km, float(width_km), float(seconds))


def check_buffer_cost(geom: BaseGeometry, width_km: float, *, budget_s: float = MAX_BUFFER_SECONDS) -> BufferCost:
    """:func:`buffer_cost`, refused with a reason when it exceeds ``budget_s``.

    Raises
    ------
    ParameterError
        Naming the limit and what would bring the request within it.
    """
    cost = buffer_cost(geom, width_km)
    if cost.seconds <= budget_s:
        return cost
    terms = {
        "points": _S_PER_POINT * cost.points,
        "rings": _S_PER_RING * cost.rings,
        "width": _S_PER_WIDTH_OF_BOUNDARY * cost.boundary_km / cost.width_km,
        "vertices": cost.seconds - _S_PER_POINT * cost.points - _S_PER_RING * cost.rings
        - _S_PER_WIDTH_OF_BOUNDARY * cost.boundary_km / cost.width_km,
    }
    largest = max(terms, key=terms.__getitem__)
    if largest == "points":
        advice = f"buffer fewer points (it has {cost.points:,}; about {int(budget_s / _S_PER_POINT):,} fit)"
    elif largest == "rings":
        advice = (f"merge or simplify its parts (it has {cost.rings:,} lines, outlines and holes; about "
                  f"{int(budget_s / _S_PER_RING):,} fit)")
    elif largest == "width":
        narrowest = _S_PER_WIDTH_OF_BOUNDARY * cost.boundary_km / (budget_s / 2)
        advice = (f"use a width of at least {narrowest:,.3g} km for {cost.boundary_km:,.0f} km of line and boundary, "
                  "or clip the geometry")
    else:
        advice = f"simplify the geometry (it has {cost.vertices:,} vertices)"
    raise ParameterError(
        f"this buffer is too large to compute here (estimated {cost.seconds:,.0f} s; the limit is "
        f"{budget_s:,.0f} s): {advice}"
    )
