"""The Streamlit front end under ``streamlit.testing``: every layer renders, the figures shown
and downloaded equal the library's own (``layers.build``), the URL reopens the same scenario,
hostile links only produce warnings, and a failing layer leaves the others on the page.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import json
import re

import pytest
import shapely
from pyproj import Geod
from streamlit.testing.v1 import AppTest

import geo
import layers
from tests.app.conftest import compare_rows, figures_frame, open_app, run

ZONE = "NATO–Russia buffer zone"
#: A 1°×1° square in eastern Poland, typed here (not read from the data set).
SQUARE = {"type": "Polygon", "coordinates": [[[22.0, 51.0], [23.0, 51.0], [23.0, 52.0], [22.0, 52.0], [22.0, 51.0]]]}
#: An "occupied area" round Donetsk, as a user's DeepStateMap export might give it.
OCCUPIED = {"type": "Polygon", "coordinates": [[[37.2, 47.6], [38.6, 47.6], [38.6, 48.4], [37.2, 48.4], [37.2, 47.6]]]}


def number(text: str) -> float:
    """The number at the start of a shown figure: ``"551,944 km²"`` → 551944.0."""
    match = re.match(r"\s*([+-]?[\d,]+(?:\.\d+)?)", text)
    assert match, f"no number in {text!r}"
    return float(match.group(1).replace(",", ""))


def unescape(markdown: str) -> str:
    r"""Text of a message the app escaped for Markdown (``buffer\-zone`` → ``buffer-zone``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


_HEADLINE = re.compile(r"^(?P<label>.*?)\s*\n\*\*(?P<area>[^*]+)\*\*(?: · (?P<people>[^·]*?) people)?")


def shown_headlines(at: AppTest | object) -> list[tuple[str, float, int | None]]:
    """(label, km², people) of every headline shown in a tab (or the page), in order."""
    out = []
    for md in at.markdown:
        m = _HEADLINE.match(unescape(md.value))
        if m and ("km²" in m["area"] or " km" in m["area"]):
            people = m["people"]
            out.append((m["label"], number(m["area"]),
                        None if people in (None, "no data") else int(number(people))))
    assert out, "no headline shown"
    return out


def shown_figures(at: AppTest | object) -> tuple[str, float, int | None]:
    """(label, km², people) of the first headline in a tab (or the first tab of the page)."""
    return shown_headlines(at)[0]


def assert_matches(shown: tuple[str, float, int | None], result: layers.LayerResult) -> None:
    """A shown headline is one the layer declares, and its figures add up its features' own."""
    label, area, people = shown
    heads = [h for h in result.headlines if h.label == label]
    assert heads, (label, [h.label for h in result.headlines])
    features = {f.id: f for f in result.features}
    parts = [features[i] for i in heads[0].feature_ids]
    expected_area = sum(f.figures.area_km2 for f in parts)
    assert abs(area - expected_area) <= 0.5 + 0.5 * len(parts), (shown, expected_area)
    if people is not None:
        assert people == sum(f.figures.people.value for f in parts), shown


def upload(at: AppTest, key: str, name: str, content: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, content, "application/geo+json"))
    return run(at)


# ----------------------------------------------------------------------------- rendering


def test_default_page_shows_the_buffer_zone_with_the_library_figures(build) -> None:
    at = run(open_app())
    assert not at.error and not at.warning
    assert at.multiselect(key="w:layers").value == ["buffer-zone"]
    assert [t.label for t in at.tabs] == [ZONE, "Compare", "Downloads"]
    assert_matches(shown_figures(at.tabs[0]), build("buffer-zone"))
    role, area, people = shown_figures(at.tabs[0])
    assert role == "Buffer zone"
    # the headline is the whole zone, the sum of its per-country bands
    bands = [f for f in build("buffer-zone").features if f.role == "band"]
    assert area == pytest.approx(sum(f.figures.area_km2 for f in bands), rel=1e-3)


@pytest.mark.parametrize("name", [n for n in layers.REGISTRY if n != "custom"])
def test_each_layer_renders_alone_with_its_figures(name: str, build) -> None:
    at = run(open_app())
    at.multiselect(key="w:layers").set_value([name])
    run(at)
    assert not at.error, [e.value for e in at.error]
    assert at.tabs[0].label == layers.REGISTRY[name].title
    assert_matches(shown_figures(at.tabs[0]), build(name))
    assert at.query_params["layers"] == name
    # a browser slider stops only on min + k * step: the default and the maximum must be stops
    for slider in at.sidebar.slider:
        spec = layers.REGISTRY[name].parameter(slider.key.rsplit(".", 1)[-1])
        for value in (spec.default, spec.maximum):
            stops = (value - slider.min) / slider.step
            assert stops == pytest.approx(round(stops)), (slider.label, value, slider.step)


def test_custom_layer_from_an_uploaded_file(build) -> None:
    at = run(open_app({"layers": "custom"}))
    # no geometry yet: the layer says so in its tab, the page does not fail
    assert any("geometry" in unescape(e.value) for e in at.tabs[0].error)
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "square"}, "geometry": SQUARE}]}).encode()
    upload(at, "w:custom_file", "square.geojson", content)
    assert not at.error, [e.value for e in at.error]
    expected = build("custom", {"geometry": json.dumps(SQUARE), "label": "square"})
    assert_matches(shown_figures(at.tabs[0]), expected)
    # the square's own figures are in the table too, checked against pyproj directly
    area_m2, _ = Geod(ellps="WGS84").geometry_area_perimeter(shapely.geometry.shape(SQUARE))
    table = figures_frame(at.tabs[0])
    source = table[table["kind"].str.startswith("Your geometry")].iloc[0]
    assert number(source["km²"]) == pytest.approx(abs(area_m2) / 1e6, rel=1e-4)


def test_custom_upload_of_a_bad_file_is_an_error_message() -> None:
    at = run(open_app({"layers": "custom"}))
    upload(at, "w:custom_file", "broken.geojson", b'{"type": "FeatureCollection", "features": [')
    # at the figures panel, where the user looks (not at the bottom of the sidebar)
    assert any("broken.geojson" in unescape(e.value) for e in at.main.error), [e.value for e in at.main.error]


def test_uploaded_occupied_area_replaces_the_built_in_line(tmp_path, build) -> None:
    at = run(open_app({"layers": "frozen-line"}))
    content = json.dumps(OCCUPIED).encode()
    upload(at, "w:front_file", "occupied.geojson", content)
    assert any("Using occupied.geojson" in unescape(c.value) for c in at.sidebar.caption)
    reference = tmp_path / "occupied.geojson"
    reference.write_bytes(content)
    expected = build("frozen-line", {"occupied_file": str(reference)})
    role, area, people = next(h for h in shown_headlines(at.tabs[0]) if h[0] == "Held by Russia")
    assert_matches((role, area, people), expected)
    assert area != pytest.approx(build("frozen-line").features[0].figures.area_km2, rel=0.01)
    # the server path never reaches the URL
    assert not any("occupied_file" in k or "/" in v for k, v in at.query_params.items())


# ----------------------------------------------------------------------------- parameters


def test_width_slider_changes_the_figures_to_the_librarys(build) -> None:
    at = run(open_app())
    before = shown_figures(at.tabs[0])
    at.slider(key="w:buffer-zone.width_km").set_value(50.0)
    run(at)
    after = shown_figures(at.tabs[0])
    assert after != before
    assert_matches(after, build("buffer-zone", {"width_km": 50}))
    assert at.query_params["buffer-zone.width_km"] == "50.0"


def test_frozen_line_headlines_move_with_the_dmz_and_the_withdrawal(build) -> None:
    # the issue: the headline stayed at the occupied area through four changes
    at = run(open_app({"layers": "frozen-line"}))
    before = dict((h[0], h[1]) for h in shown_headlines(at.tabs[0]))
    at.slider(key="w:frozen-line.dmz_km").set_value(20.0)
    at.checkbox(key="w:frozen-line.withdraw_donbas").set_value(True)
    run(at)
    after = dict((h[0], h[1]) for h in shown_headlines(at.tabs[0]))
    assert after["DMZ, Ukrainian-held side"] > 5 * before["DMZ, Ukrainian-held side"]
    assert "Withdrawal from Donbas" not in before and "Withdrawal from Donbas" in after
    expected = build("frozen-line", {"dmz_km": 20.0, "withdraw_donbas": True})
    for shown in shown_headlines(at.tabs[0])[:3]:
        assert_matches(shown, expected)


def test_a_new_date_drops_the_line_a_link_pinned_for_the_old_one() -> None:
    from geo import loc_history

    pinned = loc_history.pick(dt.date(2022, 11, 12)).reference
    at = run(open_app({"layers": "loc-change", "loc-change.from_line": pinned}))
    assert at.query_params["loc-change.from_line"] == pinned
    at.date_input(key="w:loc-change.from").set_value(dt.date(2022, 2, 23))
    run(at)
    assert at.query_params["loc-change.from_line"] == loc_history.pick(dt.date(2022, 2, 23)).reference != pinned


def test_choices_are_shown_by_their_labels_and_keep_their_values(build) -> None:
    at = run(open_app({"layers": "range-rings"}))
    preset = at.selectbox(key="w:range-rings.preset")
    assert "INF band, 500–5,500 km" in preset.options and "inf-band" not in preset.options
    preset.set_value("oreshnik")
    run(at)
    assert at.query_params["range-rings.preset"] == "oreshnik"
    assert_matches(shown_figures(at.tabs[0]), build("range-rings", {"preset": "oreshnik"}))


def test_date_parameters_get_a_date_field_that_changes_the_figures(build) -> None:
    """loc-change's From/To were declared but had no widget: the app skipped date parameters."""
    at = run(open_app({"layers": "loc-change"}))
    start = at.date_input(key="w:loc-change.from")
    assert start.value == layers.REGISTRY["loc-change"].parameter("from").default
    start.set_value(dt.date(2022, 2, 23))
    run(at)
    assert_matches(shown_figures(at.tabs[0]), build("loc-change", {"from": dt.date(2022, 2, 23)}))
    assert at.query_params["loc-change.from"] == "2022-02-23"


def test_overlap_of_two_chosen_areas_equals_the_librarys(build) -> None:
    at = run(open_app({"layers": "buffer-zone,range-rings"}))
    assert not [t for t in at.table if t.value.index.name == "part"]  # nothing measured before a choice
    zone = build("buffer-zone").features[0]
    ring = next(f for f in build("range-rings").features if f.geometry.geom_type in ("Polygon", "MultiPolygon"))
    at.selectbox(key="cmp:a").set_value(f"buffer-zone/{zone.id}")
    at.selectbox(key="cmp:b").set_value(f"range-rings/{ring.id}")
    run(at)
    both_km2, both_people = compare_rows(at)["Both"]
    expected = geo.overlap(zone.geometry, ring.geometry)
    assert expected.area_km2 > 1000  # the two really overlap: otherwise this proves little
    # the compare tab follows long edges as straight lon/lat lines in 0.1° steps; these are dense
    assert both_km2 == pytest.approx(expected.area_km2, rel=1e-4)
    assert number(both_people) == pytest.approx(expected.population, rel=1e-3)


def test_a_failed_layer_shows_its_error_in_place_and_the_others_render(build) -> None:
    at = run(open_app({"layers": "buffer-zone,frozen-line"}))
    at.date_input(key="w:as_of").set_value(dt.date(2021, 12, 17))
    run(at)
    assert [t.label for t in at.tabs] == [ZONE, layers.REGISTRY["frozen-line"].title, "Compare", "Downloads"]
    failed = at.tabs[1].error
    assert len(failed) == 1 and "2022-02-23" in unescape(failed[0].value), [e.value for e in failed]
    # the buffer zone still renders, for the chosen date (Finland had not joined NATO yet)
    assert not at.tabs[0].error
    assert_matches(shown_figures(at.tabs[0]), build("buffer-zone", {"as_of": dt.date(2021, 12, 17)}))
    assert shown_figures(at.tabs[0])[1] < build("buffer-zone").features[0].figures.area_km2 - 50_000
    # and its download is still offered
    layer_downloads = [b.key for b in at.get("download_button") if b.key.startswith("dl:") and b.key != "dl:image"]
    assert layer_downloads[0] == "dl:buffer-zone"


# ----------------------------------------------------------------------------- URL state


def test_link_reopens_the_same_scenario(build) -> None:
    query = {"layers": "range-rings,buffer-zone", "date": "2023-06-01", "view": "kyiv",
             "buffer-zone.width_km": "50", "range-rings.preset": "oreshnik"}
    at = run(open_app(query))
    assert not at.warning, [w.value for w in at.warning]
    assert at.multiselect(key="w:layers").value == ["range-rings", "buffer-zone"]
    assert at.date_input(key="w:as_of").value == dt.date(2023, 6, 1)
    assert at.slider(key="w:buffer-zone.width_km").value == 50.0
    assert at.selectbox(key="w:range-rings.preset").value == "oreshnik"
    assert at.selectbox(key="w:view").value == "kyiv"
    zone_tab = next(t for t in at.tabs if t.label == ZONE)
    assert_matches(shown_figures(zone_tab), build("buffer-zone", {"width_km": 50, "as_of": dt.date(2023, 6, 1)}))

    # change something, then open the URL the page now shows in a fresh session
    at.slider(key="w:buffer-zone.width_km").set_value(75.0)
    run(at)
    again = run(open_app(dict(at.query_params)))
    assert again.multiselect(key="w:layers").value == ["range-rings", "buffer-zone"]
    assert again.date_input(key="w:as_of").value == dt.date(2023, 6, 1)
    assert again.slider(key="w:buffer-zone.width_km").value == 75.0
    assert again.selectbox(key="w:range-rings.preset").value == "oreshnik"
    assert again.query_params["view"] in ("50.4500,30.7500,9", ["50.4500,30.7500,9"])  # the map view, carried


HOSTILE = {
    "unknown layer": ({"layers": "buffer-zone,no-such-layer"}, "no-such-layer"),
    "width out of range": ({"buffer-zone.width_km": "99999"}, "width_km"),
    "width not a number": ({"buffer-zone.width_km": "abc"}, "width_km"),
    "impossible date": ({"date": "2099-99-99"}, "date"),
    "5,000-character value": ({"buffer-zone.side": "x" * 5000}, "5,000 characters"),
    "5,000-character layer list": ({"layers": "buffer-zone," + "y" * 5000}, "unknown layer"),
    "occupied_file path": ({"layers": "buffer-zone,frozen-line", "frozen-line.occupied_file": "/etc/passwd"},
                           "occupied_file"),
    "custom geometry path": ({"layers": "buffer-zone,custom", "custom.geometry": "/etc/passwd"}, "file path"),
    "unknown parameter": ({"buffer-zone.<script>": "1"}, "no parameter"),
    "unknown view": ({"view": "<img src=x onerror=alert(1)>"}, "view"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_link_gives_warnings_and_defaults(case: str, build) -> None:
    query, words = HOSTILE[case]
    at = run(open_app(query))
    warnings = [unescape(w.value) for w in at.warning if w.value.startswith("Link:")]
    assert len(warnings) == 1 and words in warnings[0], warnings
    assert all(len(w) < 400 for w in warnings)
    assert not at.tabs[0].error, [e.value for e in at.tabs[0].error]
    assert not any("passwd" in e.value for e in at.error)  # no server file was read
    # the defaults apply: the buffer zone as built with default parameters on the default date
    assert "buffer-zone" in at.multiselect(key="w:layers").value
    assert at.date_input(key="w:as_of").value == layers.REGISTRY["buffer-zone"].parameter("as_of").default
    assert at.slider(key="w:buffer-zone.width_km").value == 100.0
    assert_matches(shown_figures(at.tabs[0]), build("buffer-zone"))
    # and the URL is rewritten without the bad values
    assert set(at.query_params) <= {"layers", "date", "view", "loc"}  # loc: the line of contact in use
    assert all(len(v) < 100 for v in at.query_params.values())


# ----------------------------------------------------------------------------- downloads


def test_downloads_are_valid_files_with_the_librarys_figures(downloads, build) -> None:
    at = run(open_app({"layers": "buffer-zone,trans-dnieper", "buffer-zone.width_km": "50"}))
    expected = {"buffer-zone": build("buffer-zone", {"width_km": 50}), "trans-dnieper": build("trans-dnieper")}
    run(at)
    buttons = {b.key: b for b in at.get("download_button")}
    assert {"dl:buffer-zone", "dl:trans-dnieper", "dl:all", "dl:csv", "dl:html", "dl:image", "w:save"} <= set(buttons)

    def figures(features: list[dict]) -> dict[str, tuple[float, int]]:
        return {f["properties"]["id"]: (f["properties"]["area_km2"], f["properties"]["population"]) for f in features}

    reference = {name: {f.id: (f.export_properties()["area_km2"], f.export_properties()["population"])
                        for f in r.features}
                 for name, r in expected.items()}
    for name in expected:
        doc = json.loads(downloads(buttons[f"dl:{name}"]).decode("utf-8"))
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        assert figures(doc["features"]) == reference[name]
        for f in doc["features"]:
            shapely.geometry.shape(f["geometry"])  # every geometry parses
            assert f["properties"]["layer"] == name
    both = json.loads(downloads(buttons["dl:all"]).decode("utf-8"))
    assert figures(both["features"]) == {**reference["buffer-zone"], **reference["trans-dnieper"]}

    rows = list(csv.DictReader(io.StringIO(downloads(buttons["dl:csv"]).decode("utf-8"))))
    assert len(rows) == sum(len(r) for r in reference.values())
    for row in rows:
        area, people = reference[row["layer"]][row["id"]]
        assert float(row["area_km2"]) == pytest.approx(area) and int(row["population"]) == people

    page = downloads(buttons["dl:html"]).decode("utf-8")
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "unpkg.com", "bootstrapcdn", "googleapis"):
        assert cdn not in page
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    styles = re.findall(r'<link[^>]*\shref="([^"]+)"', page)
    assert scripts and all(s.startswith("data:") for s in scripts + styles), [s[:60] for s in scripts + styles]
    inlined = [base64.b64decode(s.split(",", 1)[1]).decode("utf-8") for s in scripts]
    assert any(js.lstrip().startswith("/* @preserve") and "Leaflet" in js[:200] for js in inlined), \
        "Leaflet itself is not inlined"
    embedded = page.replace("\\u003c", "<")  # layer data is embedded with "<" escaped for JS
    for r in expected.values():  # every feature of both layers is drawn, with its popup
        for f in r.features:
            assert f"<b>{html.escape(f.name)}</b>" in embedded, f.name

    assert downloads(buttons["dl:image"]).startswith(b"\x89PNG\r\n\x1a\n")  # the briefing, made on click

    saved = json.loads(downloads(buttons["w:save"]).decode("utf-8"))
    assert saved["type"] == "bufferzone-scenario"
    assert [e["name"] for e in saved["layers"]] == ["buffer-zone", "trans-dnieper"]
    assert saved["layers"][0]["parameters"] == {"width_km": 50.0}


def test_loading_a_scenario_file_restores_it(build) -> None:
    at = run(open_app())
    scenario = {"type": "bufferzone-scenario", "version": 1, "as_of": "2024-06-01", "view": "baltics",
                "layers": [{"name": "buffer-zone", "parameters": {"width_km": 30, "side": "nato"}}]}
    at.file_uploader(key="w:load").set_value(("s.json", json.dumps(scenario).encode(), "application/json"))
    run(at)
    assert at.date_input(key="w:as_of").value == dt.date(2024, 6, 1)
    assert at.slider(key="w:buffer-zone.width_km").value == 30.0
    assert at.selectbox(key="w:buffer-zone.side").value == "nato"
    assert_matches(shown_figures(at.tabs[0]),
                   build("buffer-zone", {"width_km": 30, "side": "nato", "as_of": dt.date(2024, 6, 1)}))


def test_loading_a_bad_scenario_file_is_an_error_message() -> None:
    at = run(open_app())
    at.file_uploader(key="w:load").set_value(("s.json", b'{"type": "bufferzone-scenario", "version": 2}',
                                              "application/json"))
    run(at)
    assert any("version 2" in unescape(e.value) for e in at.sidebar.error), [e.value for e in at.sidebar.error]
    assert at.multiselect(key="w:layers").value == ["buffer-zone"]


def test_breakdown_by_country_adds_up_to_the_features_geodesic_area() -> None:
    """The breakdown's rows are the feature cut by country: their km² add up to the feature's area measured
    here a second way (pyproj.Geod on its geometry), and no row is a 0.0 % sliver.
    """
    at = run(open_app())
    frames = [d.value for d in at.tabs[0].dataframe if "country" in d.value.columns]
    assert frames, "no breakdown by country shown"
    table = frames[0]
    assert list(table.columns) == ["country", "code", "km²", "% of country", "people"]
    picked = at.tabs[0].selectbox(key="bd:buffer-zone").value
    (feature,) = [f for f in layers.build("buffer-zone").features if f.name == picked]
    area = sum(abs(Geod(ellps="WGS84").geometry_area_perimeter(p)[0]) for p in getattr(
        feature.geometry, "geoms", [feature.geometry])) / 1e6
    assert table["km²"].sum() == pytest.approx(area, rel=2e-3)
    assert (table["% of country"] > 0).all() and (table["% of country"] <= 100).all()
