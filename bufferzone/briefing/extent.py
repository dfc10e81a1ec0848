"""The area a briefing shows: the app's current map view, a named web-map view, or the layers' box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from geo._errors import ParameterError
from geo.settings import EUROPE_BBOX
from layers import LayerResult

__all__ = ["Bounds", "bounds_for_view", "bounds_from_map_state", "check_bounds", "default_bounds"]

#: (min_lon, min_lat, max_lon, max_lat), degrees.
Bounds = tuple[float, float, float, float]


def default_bounds(results: Sequence[LayerResult], *, pad: float = 0.06) -> Bounds:
    """Lon/lat box around the layers' features, kept inside the embedded data's box.

    Parameters
    ----------
    results : sequence of LayerResult
    pad : float
        Margin added on each side, as a share of the box's width and height.

    Returns
    -------
    (min_lon, min_lat, max_lon, max_lat)
        Degrees; the embedded data's box when no layer has a feature.
    """
    boxes = [f.geometry.bounds for r in results for f in r.features if not f.geometry.is_empty]
    x0, y0, x1, y1 = EUROPE_BBOX
    if boxes:
        arr = np.array(boxes)
        x0, y0 = max(arr[:, 0].min(), EUROPE_BBOX[0]), max(arr[:, 1].min(), EUROPE_BBOX[1])
        x1, y1 = min(arr[:, 2].max(), EUROPE_BBOX[2]), min(arr[:, 3].max(), EUROPE_BBOX[3])
    dx, dy = max(x1 - x0, 0.5), max(y1 - y0, 0.5)
    return (float(x0 - pad * dx), float(y0 - pad * dy), float(x1 + pad * dx), float(y1 + pad * dy))


def bounds_for_view(lat: float, lon: float, zoom: int, *, width_px: int = 900, height_px: int = 640) -> Bounds:
    """Lon/lat box a web map of the given centre, zoom and size in pixels shows (Web Mercator tiles)."""
    scale = 256 * 2**zoom
    cx = (lon + 180.0) / 360.0 * scale
    cy = (1 - np.log(np.tan(np.radians(lat)) + 1 / np.cos(np.radians(lat))) / np.pi) / 2 * scale

    def to_lonlat(x: float, y: float) -> tuple[float, float]:
        lon_ = x / scale * 360.0 - 180.0
        lat_ = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / scale))))
        return float(lon_), float(lat_)

    west, north = to_lonlat(cx - width_px / 2, cy - height_px / 2)
    east, south = to_lonlat(cx + width_px / 2, cy + height_px / 2)
    return (west, south, east, north)


def bounds_from_map_state(state: Mapping[str, Any] | None) -> Bounds | None:
    """The box a Leaflet map is showing, from the state its component returns, or ``None``.

    Parameters
    ----------
    state : mapping or None
        What ``st_folium`` returns with ``"bounds"`` among its ``returned_objects``:
        ``{"bounds": {"_southWest": {"lat": ..., "lng": ...}, "_northEast": {...}}}``.

    Returns
    -------
    (min_lon, min_lat, max_lon, max_lat) or None
        ``None`` when the state has no usable bounds (map not drawn yet, zero size), so the
        caller falls back to the layers' box. Latitudes are kept within ±85° (Web Mercator).

    Examples
    --------
    >>> bounds_from_map_state({"bounds": {"_southWest": {"lat": 44, "lng": 22},
    ...                                   "_northEast": {"lat": 53, "lng": 41}}})
    (22.0, 44.0, 41.0, 53.0)
    >>> bounds_from_map_state({}) is None
    True
    """
    try:
        sw, ne = state["bounds"]["_southWest"], state["bounds"]["_northEast"]  # type: ignore[index]
        box = (float(sw["lng"]), max(float(sw["lat"]), -85.0), float(ne["lng"]), min(float(ne["lat"]), 85.0))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(np.isfinite(box)) or not (box[0] < box[2] and box[1] < box[3]):
        return None
    return box


def check_bounds(bounds: Sequence[float]) -> Bounds:
    """``bounds`` as a float 4-tuple, or ParameterError saying what is wrong with it."""
    try:
        w, s, e, n = (float(v) for v in bounds)
    except (TypeError, ValueError):
        raise ParameterError(f"bounds must be (min_lon, min_lat, max_lon, max_lat), got {bounds!r}") from None
    if not (np.isfinite([w, s, e, n]).all() and w < e and s < n and -90 <= s and n <= 90):
        raise ParameterError(f"bounds must be (min_lon, min_lat, max_lon, max_lat) with min < max, got {tuple(bounds)}")
    return (w, s, e, n)
