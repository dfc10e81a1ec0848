"""What the map looks at: a view (centre, zoom) and when to fit it to the layers shown.

The map fits the layers on the first draw and whenever a layer is added (or an upload
replaces a custom area); afterwards the user's own pan and zoom, as the browser reports it,
is kept, and carried in the share link and the scenario file as ``view=lat,lon,zoom``.
The server does not know how wide the browser draws the map: the first fit assumes the
narrowest layout, and once the map reports the box it shows (hence its size in pixels), a
fit the user has not moved away from is made again for the real size.

No Streamlit here: the decision is a pure function (:func:`next_view`) the app calls once
per run, so it is tested without a browser.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import shapely

from geo._errors import ParameterError

__all__ = ["MAP_HEIGHT_PX", "MAP_WIDTH_PX", "MAX_ZOOM", "MIN_ZOOM", "MapView", "ViewState", "bounds_of",
           "fit_token", "fit_view", "map_size_px", "next_view"]

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


def map_size_px(returned: Mapping[str, Any] | None) -> tuple[int, int] | None:
    """Size of the map in CSS pixels, from the box and zoom the browser reports, or None.

    Parameters
    ----------
    returned : mapping or None
        st_folium's state: ``zoom`` and ``bounds`` (``_southWest``/``_northEast`` {lat, lng}).

    Returns
    -------
    (width, height) or None
        Pixels at that zoom (256 px tiles, Web Mercator); None when the report has no box.

    Examples
    --------
    >>> map_size_px({"zoom": 2, "bounds": {"_southWest": {"lat": 0, "lng": 0},
    ...                                     "_northEast": {"lat": 0.001, "lng": 90}}})[0]
    256
    """
    if not isinstance(returned, Mapping):
        return None
    try:
        sw, ne, zoom = returned["bounds"]["_southWest"], returned["bounds"]["_northEast"], float(returned["zoom"])
        west, south, east, north = float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (all(math.isfinite(v) for v in (west, east, zoom)) and west < east and -90.0 < south < north < 90.0):
        return None
    world_px = _TILE_PX * 2.0 ** zoom
    # not clamped to Web Mercator's ±85.05°: a map showing past the world's edge reports latitudes beyond it
    height = (_northing(north) - _northing(south)) * world_px
    return round((east - west) / 360.0 * world_px), round(height)


def _close(a: MapView | None, b: MapView) -> bool:
    """Whether ``a`` is ``b`` as the browser reports it back (same zoom, centre within 2 px)."""
    if a is None or a.zoom != b.zoom:
        return False
    tolerance_deg = 2 * 360.0 / (_TILE_PX * 2.0 ** b.zoom)
    return abs(a.lat - b.lat) <= tolerance_deg and abs(a.lon - b.lon) <= tolerance_deg


def _northing(lat: float) -> float:
    """Web Mercator northing of a latitude (any, within ±90°), in units of the world's width."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _mercator_y(lat: float) -> float:
    """Web Mercator northing of a latitude clamped to the map's ±85.05°, in units of the world's width."""
    return _northing(max(-_MAX_LAT, min(_MAX_LAT, lat)))


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
    #: Map size (CSS pixels) fits are made for: the narrowest layout until the browser reports its own.
    size: tuple[int, int] = (MAP_WIDTH_PX, MAP_HEIGHT_PX)
    #: Whether the anchor is a fit (not a view asked for), so it may be made again for the real size.
    fitted: bool = False


def next_view(state: ViewState | None, *, token: frozenset[str],
              bounds: tuple[float, float, float, float] | None, returned: MapView | None,
              requested: MapView | None = None, fallback: MapView,
              size: tuple[int, int] | None = None) -> ViewState:
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
    size : (int, int) or None
        The map's size in CSS pixels as the browser reports it (:func:`map_size_px`), if known.

    Returns
    -------
    ViewState
        Fitted on the first draw and when the token gains an element; fitted again when the
        map turns out to have another size and the user has not moved it; else the user's view.
    """
    generation = state.generation if state else -1
    known = size or (state.size if state else (MAP_WIDTH_PX, MAP_HEIGHT_PX))
    if requested is not None:
        return ViewState(requested, token, generation + 1, returned, requested, size=known)
    if state is None or not token <= state.token:
        fitted = bounds is not None
        unfitted = state.view if state else fallback
        view = fit_view(bounds, width_px=known[0], height_px=known[1]) if fitted else unfitted
        return ViewState(view, token, generation + 1, returned, view, size=known, fitted=fitted)
    if (size is not None and size != state.size and state.fitted and bounds is not None
            and state.view == state.anchor and (returned is None or _close(returned, state.anchor))):
        view = fit_view(bounds, width_px=size[0], height_px=size[1])  # the same fit, for the map's real size
        if view == state.anchor:
            return replace(state, token=token, seen=returned, size=size, _anchor=state.anchor)
        return ViewState(view, token, state.generation + 1, returned, view, size=size, fitted=True)
    if returned is not None and returned != state.seen:
        return replace(state, view=returned, token=token, seen=returned, _anchor=state.anchor)
    return replace(state, token=token, _anchor=state.anchor)
