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
    map_size_px,
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


_FROM_3857 = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def _report(view: MapView, width_px: int, height_px: int) -> dict:
    """What st_folium reports for a Leaflet map of this size at ``view`` (box from pyproj's EPSG:3857)."""
    x0, y0, x1, y1 = _visible(view, width_px, height_px)
    (west, east), (south, north) = _FROM_3857.transform([x0, x1], [y0, y1])
    return {"center": {"lat": view.lat, "lng": view.lon}, "zoom": view.zoom,
            "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}}


@pytest.mark.parametrize(("view", "size"), [(MapView(57.1, 10.2, 3), (860, 640)), (MapView(48.0, 35.7, 5), (308, 640)),
                                            (MapView(-33.9, 151.2, 9), (1280, 400))])
def test_the_map_size_is_read_from_the_box_the_browser_reports(view: MapView, size: tuple[int, int]) -> None:
    width, height = map_size_px(_report(view, *size))
    assert abs(width - size[0]) <= 1 and abs(height - size[1]) <= 1
    assert map_size_px({"zoom": 3}) is None and map_size_px(None) is None
    upside_down = {"_southWest": {"lat": 1, "lng": 5}, "_northEast": {"lat": 0, "lng": 4}}
    assert map_size_px({"zoom": 3, "bounds": upside_down}) is None


def test_a_fit_is_made_again_for_the_real_map_size_until_the_user_moves_the_map() -> None:
    """The issue's point 3 at 1920 px: the narrowest layout's fit left the front a small patch of an 860 px map."""
    first = _run(None, {"frozen-line": {}}, _FRONT)
    wide = (860, MAP_HEIGHT_PX)
    closer = MapView(first.view.lat, first.view.lon, 6)
    assert first.view.zoom == 5 and not _shows(closer, _FRONT, MAP_WIDTH_PX, MAP_HEIGHT_PX)
    assert _shows(MapView(first.view.lat, first.view.lon, 6), _FRONT, *wide)  # zoom 6 fits 860 px
    assert _shows(fit_view(_FRONT, width_px=wide[0]), _FRONT, *wide)
    refit = next_view(first, token=fit_token({"frozen-line": {}}), bounds=_FRONT,
                      returned=first.view, fallback=_EUROPE, size=map_size_px(_report(first.view, *wide)))
    assert refit.view == refit.anchor == fit_view(_FRONT, width_px=wide[0])
    assert refit.view.zoom == first.view.zoom + 1 and refit.generation == first.generation + 1
    # the browser then reports the new view at the same size: nothing moves again
    settled = next_view(refit, token=fit_token({"frozen-line": {}}), bounds=_FRONT, returned=refit.view,
                        fallback=_EUROPE, size=map_size_px(_report(refit.view, *wide)))
    assert settled.view == refit.view and settled.generation == refit.generation
    # a map the user has moved is not fitted again, whatever its size
    mine = MapView(50.0, 30.0, 6)
    moved = next_view(first, token=fit_token({"frozen-line": {}}), bounds=_FRONT, returned=mine,
                      fallback=_EUROPE, size=map_size_px(_report(mine, *wide)))
    assert moved.view == mine and moved.anchor == first.view and moved.generation == first.generation
    # nor is a view the link asked for
    asked = _run(None, {"frozen-line": {}}, _FRONT, requested=MapView(50.0, 30.0, 4))
    kept = next_view(asked, token=fit_token({"frozen-line": {}}), bounds=_FRONT, returned=asked.view,
                     fallback=_EUROPE, size=wide)
    assert kept.view == asked.view


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
