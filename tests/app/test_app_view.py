"""The app's map view: fitted to the layers on first draw, the user's pan kept, carried in the link."""

from __future__ import annotations

import json

import pytest

from bufferzone.webapp.viewport import MAP_HEIGHT_PX, MAP_WIDTH_PX, MapView, bounds_of
from tests.app.conftest import compare_rows, open_app, run
from tests.app.test_viewport import _shows


def test_the_default_page_shows_the_whole_default_zone_and_links_to_that_view(build) -> None:
    at = run(open_app())
    view = MapView.parse(at.query_params["view"][0] if isinstance(at.query_params["view"], list)
                         else at.query_params["view"])
    bounds = bounds_of(f.geometry for f in build("buffer-zone").features)
    assert _shows(view, bounds, MAP_WIDTH_PX, MAP_HEIGHT_PX)


def test_a_linked_view_is_kept_then_the_users_pan_then_a_new_layer_refits(build) -> None:
    at = run(open_app({"layers": "buffer-zone", "view": "50.4500,30.5200,9"}))
    assert at.query_params["view"] in ("50.4500,30.5200,9", ["50.4500,30.5200,9"])
    at.session_state["map"] = {"center": {"lat": 48.0, "lng": 35.0}, "zoom": 7, "all_drawings": None}
    run(at)
    assert at.query_params["view"] in ("48.0000,35.0000,7", ["48.0000,35.0000,7"])
    at.multiselect(key="w:layers").set_value(["buffer-zone", "frozen-line"])
    run(at)
    text = at.query_params["view"]
    view = MapView.parse(text[0] if isinstance(text, list) else text)
    both = bounds_of(f.geometry for n in ("buffer-zone", "frozen-line") for f in build(n).features)
    assert view != MapView(48.0, 35.0, 7)
    assert _shows(view, both, MAP_WIDTH_PX, MAP_HEIGHT_PX)


def test_compare_from_a_link_draws_the_parts_and_gives_a_only_b_only_both(build, downloads) -> None:
    """The Finland band lies inside the zone: B only is empty, both is the band (the layer's own km²)."""
    at = run(open_app({"layers": "buffer-zone", "cmp.a": "buffer-zone/buffer-zone:zone",
                       "cmp.b": "buffer-zone/buffer-zone:FIN"}))
    assert at.query_params["cmp.a"] in ("buffer-zone/buffer-zone:zone", ["buffer-zone/buffer-zone:zone"])
    zone, band = (build("buffer-zone").features[i].export_properties() for i in (0, 2))
    rows = {part: km2 for part, (km2, _) in compare_rows(at).items()}
    assert rows["Both"] == pytest.approx(band["area_km2"], rel=1e-3)
    assert rows["Only B"] == pytest.approx(0, abs=1)  # B is the Finland band
    assert rows["Only A"] == pytest.approx(zone["area_km2"] - band["area_km2"], rel=1e-3)
    geojson = json.loads(downloads(at.get("download_button")[[b.proto.label for b in at.get("download_button")]
                                                          .index("GeoJSON – comparison")]))
    assert {f["id"] for f in geojson["features"]} == {"a_only", "both"}


def test_a_bad_compare_link_is_reported_not_trusted() -> None:
    at = run(open_app({"layers": "buffer-zone", "cmp.a": "frozen-line/x", "cmp.b": "nonsense"}))
    shown = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes removed
    assert "cmp.a" in shown and "cmp.b" in shown
