"""The map view: fitting bounds (against pyproj's Web Mercator), when to fit, and the link's ``view``."""

from __future__ import annotations

import math

import pytest
from pyproj import Transformer

import layers
from bufferzone.webapp.scenario import Scenario
from bufferzone.webapp.viewport import (
    MAP_HEIGHT_PX,
    MAP_WIDTH_PX,
    MapView,
    ViewState,
    bounds_of,
    fit_token,
    fit_view,
    next_view,
)
from geo import ParameterError

_TO_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_WORLD_M = 2 * math.pi * 6378137.0  # width of the Web Mercator world, metres (EPSG:3857)


def _visible(view: MapView, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:3857 metres that a Leaflet map of this size shows."""
    metres_per_px = _WORLD_M / (256 * 2**view.zoom)
    cx, cy = _TO_3857.transform(view.lon, view.lat)
    return (cx - width_px / 2 * metres_per_px, cy - height_px / 2 * metres_per_px,
            cx + width_px / 2 * metres_per_px, cy + height_px / 2 * metres_per_px)


def _shows(view: MapView, bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> bool:
    x0, y0 = _TO_3857.transform(bounds[0], bounds[1])
    x1, y1 = _TO_3857.transform(bounds[2], bounds[3])
    vx0, vy0, vx1, vy1 = _visible(view, width_px, height_px)
    return vx0 <= x0 and vy0 <= y0 and x1 <= vx1 and y1 <= vy1


@pytest.mark.parametrize("bounds", [
    (18.1, 50.6, 33.5, 70.7),  # the default buffer zone (tall, far north)
    (31.5, 44.4, 40.2, 51.3),  # the front
    (30.2, 50.2, 30.8, 50.6),  # Kyiv
    (-24.5, 34.8, 44.8, 71.2),  # NATO in Europe (wide)
])
def test_fit_shows_the_bounds_at_the_largest_zoom_that_does(bounds: tuple[float, float, float, float]) -> None:
    view = fit_view(bounds, width_px=600, height_px=500)
    assert _shows(view, bounds, 600, 500)
    closer = MapView(view.lat, view.lon, view.zoom + 1)
    assert not _shows(closer, bounds, 600 - 2 * 16, 500 - 2 * 16)  # not within the map less its 16 px margins


def test_the_default_buffer_zone_fits_the_app_map_whole(build) -> None:
    result = build("buffer-zone")
    bounds = bounds_of(f.geometry for f in result.features)
    assert bounds is not None and bounds[3] > 70  # the zone reaches the Barents Sea
    view = fit_view(bounds)
    for width in (MAP_WIDTH_PX, 1100):  # the map column at 1000 and 1920 px wide windows
        assert _shows(view, bounds, width, MAP_HEIGHT_PX)


def test_the_old_default_view_cut_off_the_north_of_the_default_zone(build) -> None:
    """The issue's point 3: the named Europe view (52°N 24°E, zoom 4) does not show the zone whole."""
    bounds = bounds_of(f.geometry for f in build("buffer-zone").features)
    assert not _shows(MapView(52.0, 24.0, 4), bounds, 700, MAP_HEIGHT_PX)


def test_bounds_of_nothing_is_none_and_bad_bounds_are_refused() -> None:
    assert bounds_of([]) is None
    with pytest.raises(ParameterError, match="west, south, east, north"):
        fit_view((10.0, 50.0, 5.0, 40.0))


_FRONT = (31.5, 44.4, 40.2, 51.3)
_ZONE = (18.1, 50.6, 33.5, 70.7)
_EUROPE = MapView(52.0, 24.0, 4)


def _run(state: ViewState | None, names: dict, bounds, returned=None, requested=None) -> ViewState:
    return next_view(state, token=fit_token(names), bounds=bounds, returned=returned, requested=requested,
                     fallback=_EUROPE)


def test_first_draw_fits_then_the_users_pan_is_kept_until_a_layer_is_added() -> None:
    first = _run(None, {"buffer-zone": {}}, _ZONE)
    assert first.view == fit_view(_ZONE)
    mine = MapView(55.0, 25.0, 6)
    panned = _run(first, {"buffer-zone": {"width_km": 50}}, _ZONE, returned=mine)  # parameter change: kept
    assert panned.view == mine and panned.generation == first.generation
    assert panned.anchor == first.view  # the map is still built where it was fitted: a pan rebuilds nothing
    again = _run(panned, {"buffer-zone": {}}, _ZONE, returned=mine)  # same report again: still the user's
    assert again.view == mine
    added = _run(again, {"buffer-zone": {}, "frozen-line": {}}, (18.1, 44.4, 40.2, 70.7), returned=mine)
    assert added.view == fit_view((18.1, 44.4, 40.2, 70.7)) and added.generation == again.generation + 1
    assert added.anchor == added.view
    # the browser's report from before the fit arrives late: it does not undo the fit
    late = _run(added, {"buffer-zone": {}, "frozen-line": {}}, (18.1, 44.4, 40.2, 70.7), returned=mine)
    assert late.view == added.view
    removed = _run(late, {"frozen-line": {}}, _FRONT, returned=mine)  # removing a layer does not refit
    assert removed.view == added.view


def test_a_new_upload_refits_and_a_requested_view_wins() -> None:
    state = _run(None, {"custom": {"geometry": '{"type": "Point", "coordinates": [30, 50]}'}}, (30, 50, 30, 50))
    moved = _run(state, {"custom": {"geometry": '{"type": "Point", "coordinates": [30, 50]}'}}, (30, 50, 30, 50),
                 returned=MapView(40.0, 10.0, 5))
    upload = _run(moved, {"custom": {"geometry": '{"type": "Polygon", "coordinates": []}'}}, _FRONT,
                  returned=MapView(40.0, 10.0, 5))
    assert upload.view == fit_view(_FRONT)
    asked = MapView(50.45, 30.75, 9)
    assert _run(None, {"buffer-zone": {}}, _ZONE, requested=asked).view == asked
    assert _run(None, {}, None).view == _EUROPE  # nothing on: the fallback


@pytest.mark.parametrize(("text", "match"), [
    ("50,30", "lat,lon,zoom"), ("a,b,c", "numbers"), ("95,30,5", "±90"), ("50,30,30", "zoom"),
    ("nan,30,5", "finite"),
])
def test_bad_view_text_is_refused_with_what_was_expected(text: str, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        MapView.parse(text)


def test_returned_views_are_read_defensively() -> None:
    assert MapView.from_returned(None) is None
    assert MapView.from_returned({"center": "x", "zoom": 3}) is None
    assert MapView.from_returned({"center": {"lat": 50, "lng": 390.0}, "zoom": 5.4}) == MapView(50.0, 30.0, 5)


def test_the_view_round_trips_through_the_link_and_the_scenario_file() -> None:
    scenario = Scenario(layers={"buffer-zone": {}}, map_view=MapView(60.1234, 28.5, 6))
    query = scenario.to_query()
    assert query["view"] == "60.1234,28.5000,6"
    again, problems = Scenario.from_query(query)
    assert not problems and again.map_view == MapView(60.1234, 28.5, 6)
    from_file, problems = Scenario.from_json(scenario.to_json())
    assert not problems and from_file.map_view == scenario.map_view
    bad, problems = Scenario.from_query({"layers": "buffer-zone", "view": "95,30,5"})
    assert bad.map_view is None and any("map view" in p for p in problems)


def test_every_layer_has_bounds_to_fit(build) -> None:
    for name in layers.REGISTRY:
        if name == "custom":
            continue
        assert bounds_of(f.geometry for f in build(name).features) is not None, name
