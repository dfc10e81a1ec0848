"""Maps: big layers are thinned for display only, user text is escaped, and no map asks a CDN
for anything (the app must work offline).
"""

from __future__ import annotations

import base64
import html
import json
import re

import folium.plugins
import pytest
import shapely

import layers
from bufferzone.webapp.assets import STATIC_URL, VENDOR_DIR, inline_assets, serve_assets
from bufferzone.webapp.mapview import MAX_LAYER_BYTES, build_map, display_geojson, display_text

SCRIPT = "<script>alert(1)</script>"
SQUARE = json.dumps({"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]})
CDNS = ("cdn.jsdelivr", "cdnjs", "code.jquery", "unpkg.com", "bootstrapcdn", "googleapis", "cloudflare")


@pytest.fixture(scope="module")
def wide_zone() -> layers.LayerResult:
    return layers.build("buffer-zone", {"width_km": 500})


@pytest.fixture(scope="module")
def hostile() -> layers.LayerResult:
    return layers.build("custom", {"geometry": SQUARE, "label": SCRIPT})


def test_big_layer_is_thinned_under_the_limit_and_keeps_its_figures(wide_zone) -> None:
    full = json.dumps(wide_zone.geojson())
    assert len(full) > MAX_LAYER_BYTES  # otherwise this test proves nothing
    shown = display_geojson(wide_zone)
    assert len(json.dumps(shown)) <= MAX_LAYER_BYTES
    assert len(shown["features"]) == len(wide_zone.features)
    for feat, f in zip(shown["features"], wide_zone.features, strict=True):
        assert feat["properties"]["area_km2"] == f.export_properties()["area_km2"]
        assert feat["properties"]["population"] == f.export_properties()["population"]
        # the drawn outline stays within a quarter degree of the measured one
        geom = shapely.geometry.shape(feat["geometry"])
        assert geom.is_valid
        assert shapely.hausdorff_distance(geom, f.geometry) <= 0.25, f.id
    zone = shapely.geometry.shape(shown["features"][0]["geometry"])
    assert shapely.symmetric_difference(zone, wide_zone.features[0].geometry).area <= 0.01 * zone.area


def test_range_rings_thinned_to_any_budget() -> None:
    rings = layers.build("range-rings", {"preset": "custom", "range_km": 5500})
    for budget in (MAX_LAYER_BYTES, 20_000):
        assert len(json.dumps(display_geojson(rings, max_bytes=budget))) <= budget
        assert len(display_text(rings, max_bytes=budget).encode("utf-8")) <= budget  # as the map embeds it


def test_popups_tooltips_and_legend_escape_user_text(hostile) -> None:
    page = build_map([hostile]).get_root().render()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # nowhere else does the label reach the page unescaped (e.g. in the embedded GeoJSON)
    for match in re.finditer(r"alert\(1\)", page):
        context = page[max(0, match.start() - 20):match.start()]
        assert "<script>" not in context


def test_served_map_loads_only_the_vendored_files() -> None:
    m = build_map([layers.build("trans-dnieper")], tiles=False)
    folium.plugins.Draw(export=False).add_to(m)  # as the app does
    page = serve_assets(m).get_root().render()
    for cdn in CDNS:
        assert cdn not in page
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    styles = re.findall(r'<link[^>]*\shref="([^"]+)"', page)
    assert any(s.endswith("/leaflet.js") for s in scripts)
    for url in scripts + styles:
        assert url.startswith(STATIC_URL + "/"), url
        assert (VENDOR_DIR / url.removeprefix(STATIC_URL + "/")).is_file(), url
    assert not re.search(r"https?://", page)  # no other URL the browser could fetch


def test_standalone_map_inlines_everything(hostile) -> None:
    page = inline_assets(build_map([hostile])).get_root().render()
    for cdn in CDNS:
        assert cdn not in page
    assert not re.search(r'(src|href)="(?!data:)', page)
    inlined = re.findall(r'<script[^>]*\ssrc="data:text/javascript;base64,([^"]+)"', page)
    scripts = [base64.b64decode(s) for s in inlined]
    assert (VENDOR_DIR / "leaflet" / "leaflet.js").read_bytes() in scripts
    assert SCRIPT not in page


def test_the_served_base_map_files_are_those_of_the_embedded_data() -> None:
    from bufferzone.webapp.launch import static_dir
    from bufferzone.webapp.mapview import CONTEXT_FILES, _context_texts

    for name, text in zip(CONTEXT_FILES, _context_texts(), strict=True):
        served = (static_dir() / "context" / f"{name}.geojson").read_text(encoding="utf-8")
        assert served == text, f"static/context/{name}.geojson is stale: run python -m bufferzone.webapp.mapview"


def test_the_apps_base_map_fetches_its_context_instead_of_resending_it() -> None:
    """Before: every rerun sent the ~460 KB base map to the browser again."""
    from bufferzone.webapp.mapview import CONTEXT_URL

    inline = build_map([], include_layers=False, legend=False).get_root().render()
    fetched = build_map([], include_layers=False, legend=False, context_url=CONTEXT_URL).get_root().render()
    assert len(inline) > 400_000 and len(fetched) < 20_000
    for name in ("land", "river", "places"):
        assert f"{CONTEXT_URL}/{name}.geojson" in fetched


def test_the_legend_says_when_the_line_of_contact_is_stale() -> None:
    import layers
    from bufferzone.webapp.mapview import legend_html

    stale = layers.build("frozen-line", {"as_of": "2026-11-30", "dmz_km": 0, "swap_kharkiv_kursk": False})
    assert "STALE line of contact of 2025-02-12, 656 days older than the as-of date." in legend_html([stale])
    fresh = layers.build("frozen-line", {"as_of": "2025-02-13", "dmz_km": 0, "swap_kharkiv_kursk": False})
    assert "STALE" not in legend_html([fresh])


def test_a_layer_shown_at_the_europe_view_sends_only_what_its_pixels_show() -> None:
    """At zoom 4 (the Europe view) the default buffer zone goes out simplified for that zoom.

    Reference: a Web Mercator pixel at zoom z + 2 spans 360 / (256 · 2^(z+2)) degrees of
    longitude, half that of latitude at 60° N; the drawn outline stays within one such pixel
    of the full one (a quarter pixel at the view's own zoom; Douglas–Peucker's tolerance is
    half a pixel, and a ring dropped whole may add a little), and the text fits the 150 KB a
    width change may send (issue 17).
    """
    zone = layers.build("buffer-zone")
    text = display_text(zone, zoom=4)
    assert len(text.encode("utf-8")) <= 150_000 < len(display_text(zone).encode("utf-8")) + 150_000
    pixel_deg = 360 / (256 * 2 ** (4 + 2)) * 0.5
    for feat, f in zip(json.loads(text)["features"], zone.features, strict=True):
        drawn = shapely.geometry.shape(feat["geometry"])
        assert drawn.is_valid
        assert shapely.hausdorff_distance(drawn, f.geometry) <= pixel_deg, f.id
    # zoomed in far enough, nothing is simplified away beyond the byte budget's own choice
    assert display_text(zone, zoom=12) == display_text(zone)


# -- place labels, decluttered (bufferzone.webapp.labels) ------------------------------------

_WORLD_M = 2 * 3.141592653589793 * 6378137.0


def _places() -> list[dict]:
    from bufferzone.webapp.launch import static_dir

    return json.loads((static_dir() / "context" / "places.geojson").read_text(encoding="utf-8"))["features"]


def _screen_box(place: dict, zoom: int) -> tuple[float, float, float, float]:
    """The label's box in screen pixels, projected with pyproj's EPSG:3857 (not the module's formula)."""
    from pyproj import Transformer

    from bufferzone.webapp.labels import CHAR_PX, LABEL_HEIGHT_PX, OFFSET_PX

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(*place["geometry"]["coordinates"])
    px = _WORLD_M / (256 * 2**zoom)
    sx, sy = x / px, -y / px
    name = place["properties"]["name"]
    return (sx - 3, sy - LABEL_HEIGHT_PX / 2, sx + OFFSET_PX + CHAR_PX * len(name), sy + LABEL_HEIGHT_PX / 2)


def _shown(zoom: int) -> dict[str, tuple[float, float, float, float]]:
    return {p["properties"]["name"]: _screen_box(p, zoom) for p in _places() if p["properties"]["min_zoom"] <= zoom}


@pytest.mark.parametrize("zoom", range(2, 10))
def test_labels_shown_at_a_zoom_never_overlap(zoom: int) -> None:
    boxes = list(_shown(zoom).values())
    hits = shapely.STRtree([shapely.box(*b) for b in boxes])
    for i, b in enumerate(boxes):
        others = [j for j in hits.query(shapely.box(*b)) if j != i]
        assert all(shapely.box(*b).intersection(shapely.box(*boxes[j])).area == 0 for j in others)


@pytest.mark.parametrize(("a", "b"), [("Kryvyi Rih", "Zaporizhzhia"), ("Podgorica", "Pristina")])
def test_the_issues_crowded_pairs_show_one_when_they_would_overlap_and_both_when_they_fit(a: str, b: str) -> None:
    for zoom in range(2, 12):
        boxes = {p["properties"]["name"]: _screen_box(p, zoom) for p in _places()}
        collide = shapely.box(*boxes[a]).intersection(shapely.box(*boxes[b])).area > 0
        shown = _shown(zoom)
        assert not (a in shown and b in shown and collide)
    close = _shown(8)
    assert a in close and b in close  # both readable once zoomed in


def test_the_largest_cities_and_capitals_keep_their_labels_far_out() -> None:
    far = _shown(4)
    assert {"Moscow", "Kyiv", "Istanbul", "Warsaw"} <= set(far)
    assert len(far) < len(_shown(6)) < len(_places())  # fewer labels further out, all only when close


def test_label_placement_ranks_capitals_then_people() -> None:
    from bufferzone.webapp.labels import Label, min_zooms, placed

    # three labels on one spot: only one fits at any zoom, the capital first, then the larger town
    spot = [Label("Smalltown", 30.0, 50.0, 10_000), Label("Bigtown", 30.0, 50.0, 900_000),
            Label("Capital", 30.0, 50.0, 5_000, capital=True)]
    assert placed(spot, 6) == [False, False, True]
    assert placed(spot[:2], 6) == [False, True]
    assert min_zooms(spot) == [13, 13, 2]


@pytest.mark.filterwarnings("ignore:CartoDB tiles now require an API key:UserWarning")  # folium's, about the host
def test_a_web_base_map_that_fails_to_load_says_so_on_the_map() -> None:
    with_tiles = build_map([], tiles=True).get_root().render()
    assert "Web base map unavailable (offline?)" in with_tiles
    # the notice hooks the tile layer after it is created
    assert with_tiles.index("var tile_layer_") < with_tiles.index('.once("tileerror"')
    assert "tileerror" not in build_map([], tiles=False).get_root().render()


def test_standalone_map_labels_are_unboxed_whatever_the_order_of_leaflet_css(hostile) -> None:
    """Leaflet's ``.leaflet-tooltip`` rule is inlined after the label style in the HTML export:
    the label rule must be more specific than it to take the box off (it came out boxed).
    """
    page = inline_assets(build_map([hostile], include_layers=True)).get_root().render()
    rule = re.search(r"([.\w-]+)\{background:none;border:none;box-shadow:none", page)
    assert rule and rule.group(1) == ".leaflet-tooltip.bz-place-label"


def test_the_standalone_html_map_names_every_role_and_opens_on_its_layers(build) -> None:
    """Issue 16 points 2 and 3 in the exported map: it had one unlabelled swatch per role and opened on Europe."""
    from bufferzone import exports

    result = build("frozen-line", {"dmz_km": 20.0, "withdraw_donbas": True})
    text = exports.html_text([result])
    legend = text[text.index(">Legend<"):]
    for role in {f.role for f in result.features}:
        assert html.escape(result.role_label(role)) in legend, role
    west, south, east, north = shapely.total_bounds([f.geometry for f in result.features])
    fit = re.search(r"fitBounds\(\s*\[\[([-\d.]+),\s*([-\d.]+)\],\s*\[([-\d.]+),\s*([-\d.]+)\]\]", text)
    assert fit, "the map is not fitted to its layers"
    assert [float(v) for v in fit.groups()] == pytest.approx([south, west, north, east])
    opened = exports.html_text([result], view=(50.45, 30.52, 9))  # the app's current view: kept, no fit
    assert "fitBounds" not in opened and "50.45" in opened
