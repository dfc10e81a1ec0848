"""What the map looks at: a view (centre, zoom) and when to fit it to the layers shown.

The map fits the layers on the first draw and whenever a layer is added (or an upload
replaces a custom area); afterwards the user's own pan and zoom, as the browser reports it,
is kept, and carried in the share link and the scenario file as ``view=lat,lon,zoom``.

No Streamlit here: the decision is a pure function (:func:`next_view`) the app calls once
per run, so it is tested without a browser.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely

from geo._errors import ParameterError

__all__ = ["MAP_HEIGHT_PX", "MAP_WIDTH_PX", "MAX_ZOOM", "MIN_ZOOM", "MapView", "ViewState", "bounds_of",
           "fit_token", "fit_view", "next_view"]

#: Height of the app's map, CSS pixels.
MAP_HEIGHT_PX = 640
#: Width the fit assumes, CSS pixels: the map column at a 1000 px wide window (the narrowest
#: layout the app is laid out for; 308 px in chromium), so the fitted view also shows
#: everything on wider screens.
MAP_WIDTH_PX = 300
#: Zoom levels the app uses (Leaflet integer zooms).
MIN_ZOOM, MAX_ZOOM = 2, 12
_TILE_PX = 256
_MAX_LAT = 85.05112878  # Web Mercator's limit, degrees


@dataclass(frozen=True)
class MapView:
    """A map view: centre (degrees, WGS84) and Leaflet zoom level.

    Examples
    --------
    >>> MapView.parse("50.45,30.52,7").to_text()
    '50.4500,30.5200,7'
    """

    lat: float
    lon: float
    zoom: int

    def to_text(self) -> str:
        """The view as a link value ``lat,lon,zoom`` (4 decimals, about 10 m)."""
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom}"

    @classmethod
    def parse(cls, text: str) -> MapView:
        """Read ``lat,lon,zoom``; raises ParameterError saying what was expected."""
        parts = str(text).strip().split(",")
        if len(parts) != 3:
            raise ParameterError(f"view {str(text)[:40]!r}: expected 'lat,lon,zoom', e.g. '50.45,30.52,7'")
        try:
            lat, lon, zoom_f = (float(p) for p in parts)
        except ValueError:
            raise ParameterError(f"view {str(text)[:40]!r}: lat, lon and zoom must be numbers") from None
        if not all(math.isfinite(v) for v in (lat, lon, zoom_f)):
            raise ParameterError(f"view {str(text)[:40]!r}: lat, lon and zoom must be finite numbers")
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise ParameterError(f"view {str(text)[:40]!r}: lat must be within ±90° and lon within ±180°")
        if not MIN_ZOOM <= zoom_f <= MAX_ZOOM:
            raise ParameterError(f"view {str(text)[:40]!r}: zoom must be {MIN_ZOOM}–{MAX_ZOOM}")
        return cls(lat, lon, round(zoom_f))

    @classmethod
    def from_returned(cls, returned: Mapping[str, Any] | None) -> MapView | None:
        """The view st_folium reports (``center`` {lat, lng}, ``zoom``), or None if it reports none."""
        if not isinstance(returned, Mapping):
            return None
        center, zoom = returned.get("center"), returned.get("zoom")
        if not isinstance(center, Mapping) or zoom is None:
            return None
        try:
            lat, lon, z = float(center["lat"]), float(center["lng"]), float(zoom)
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (lat, lon, z)):
            return None
        lon = (lon + 180.0) % 360.0 - 180.0  # Leaflet lets the centre wander past ±180° when panned
        return cls(max(-_MAX_LAT, min(_MAX_LAT, lat)), lon, max(MIN_ZOOM, min(MAX_ZOOM, round(z))))


def _mercator_y(lat: float) -> float:
    """Web Mercator northing of a latitude, in units of the world's width (0 at the equator)."""
    lat = max(-_MAX_LAT, min(_MAX_LAT, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)


def fit_view(bounds: tuple[float, float, float, float], *, width_px: int = MAP_WIDTH_PX,
             height_px: int = MAP_HEIGHT_PX, padding_px: int = 16) -> MapView:
    """The closest integer-zoom view that shows all of ``bounds`` on a map of the given size.

    Parameters
    ----------
    bounds : (west, south, east, north)
        Degrees (shapely's ``bounds`` order).
    width_px, height_px : int
        Size of the map, CSS pixels.
    padding_px : int
        Margin kept free on every side, CSS pixels.

    Returns
    -------
    MapView
        Centre at the middle of the bounds in Web Mercator (what the map draws), zoom the
        largest at which the bounds fit.
    """
    west, south, east, north = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (west, south, east, north)) or west > east or south > north:
        raise ParameterError(f"bounds {bounds!r}: expected finite (west, south, east, north)")
    span_x = max((east - west) / 360.0, 1e-9)  # fractions of the world's width
    y_s, y_n = _mercator_y(south), _mercator_y(north)
    span_y = max(y_n - y_s, 1e-9)
    room_w, room_h = max(width_px - 2 * padding_px, 64), max(height_px - 2 * padding_px, 64)
    zoom = math.floor(min(math.log2(room_w / (_TILE_PX * span_x)), math.log2(room_h / (_TILE_PX * span_y))))
    return MapView(_mercator_lat((y_s + y_n) / 2), (west + east) / 2, max(MIN_ZOOM, min(MAX_ZOOM, zoom)))


def bounds_of(geometries: Iterable[shapely.Geometry]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the non-empty geometries, degrees; None if there are none."""
    shown = [g for g in geometries if g is not None and not g.is_empty]
    if not shown:
        return None
    return tuple(float(v) for v in shapely.total_bounds(shown))  # type: ignore[return-value]


def fit_token(layers: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """What the map was last fitted to: each layer on, and for a custom area its geometry.

    A token that gains an element (a layer added, a new upload) makes :func:`next_view` fit
    again; one that only loses elements (a layer removed) or changes parameters does not.
    """
    token = set()
    for name, values in layers.items():
        token.add(name)
        if values.get("geometry"):
            digest = hashlib.sha256(str(values["geometry"]).encode("utf-8", "surrogatepass")).hexdigest()[:16]
            token.add(f"{name}#{digest}")
    return frozenset(token)


@dataclass(frozen=True)
class ViewState:
    """The view of one session's map and what decided it.

    Attributes
    ----------
    view : MapView
        Where the map looks.
    token : frozenset of str
        :func:`fit_token` of the layers the view was last fitted to.
    generation : int
        Goes up by one each time the app moves the map itself (a fit or a named view), so
        that the front end can tell "move there" from "the user is there".
    seen : MapView or None
        The last view the browser reported that was already taken into account: a report
        is the user's move only when it differs (a stale report never undoes a fit).
    anchor : MapView
        The view of the last fit or requested view: the map is built there (the browser
        draws a map at its built location first), so the built map changes only when the
        app moves it, not when the user pans.
    """

    view: MapView
    token: frozenset[str]
    generation: int = 0
    seen: MapView | None = None

    @property
    def anchor(self) -> MapView:
        """Where the app last moved the map itself (kept while the user pans)."""
        return self._anchor if self._anchor is not None else self.view

    _anchor: MapView | None = None


def next_view(state: ViewState | None, *, token: frozenset[str],
              bounds: tuple[float, float, float, float] | None, returned: MapView | None,
              requested: MapView | None = None, fallback: MapView) -> ViewState:
    """Where the map looks in this run.

    Parameters
    ----------
    state : ViewState or None
        The previous run's, or None on the first draw.
    token : frozenset of str
        :func:`fit_token` of the layers now on.
    bounds : (west, south, east, north) or None
        Extent of the layers now on.
    returned : MapView or None
        The view the browser reported (the user's pan and zoom), if any.
    requested : MapView or None
        A view asked for explicitly: from the link or scenario file on the first draw, or a
        named view just picked. It wins over fitting.
    fallback : MapView
        Used when nothing is on and nothing was asked for.

    Returns
    -------
    ViewState
        Fitted on the first draw and when the token gains an element; else the user's view.
    """
    generation = state.generation if state else -1
    if requested is not None:
        return ViewState(requested, token, generation + 1, returned, requested)
    if state is None or not token <= state.token:
        view = fit_view(bounds) if bounds is not None else (state.view if state else fallback)
        return ViewState(view, token, generation + 1, returned, view)
    if returned is not None and returned != state.seen:
        return ViewState(returned, token, state.generation, returned, state.anchor)
    return ViewState(state.view, token, state.generation, state.seen, state.anchor)
