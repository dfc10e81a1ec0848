"""Compare one proposal with itself under two parameter sets (issue 16, point 6).

The reference is pyproj's own geodesic area of the two layers' geometries as the library
builds them: the 50 km zone lies inside the 100 km zone, so B only is empty and A only is
the difference of the two areas.
"""

from __future__ import annotations

import json

import pytest

from bufferzone.webapp.scenario import Scenario
from tests.app.conftest import compare_rows, open_app, run
from tests.app.test_app import upload
from tests.layers._helpers import geodesic_area_km2

ZONE = "buffer-zone/buffer-zone:zone"


def _rows(at) -> dict[str, float]:
    labels = " ".join(m.value for m in at.markdown)
    assert "100 km" in labels and "50 km" in labels  # A and B named with their own widths
    return {part: km2 for part, (km2, _) in compare_rows(at).items()}


def _zone(build, width_km: float):
    return next(f for f in build("buffer-zone", {"width_km": width_km}).features if f.id == "buffer-zone:zone")


def _check_100_vs_50(rows: dict[str, float], build) -> None:
    wide, narrow = geodesic_area_km2(_zone(build, 100).geometry), geodesic_area_km2(_zone(build, 50).geometry)
    assert rows["Only B"] == pytest.approx(0, abs=1)
    assert rows["Only A"] == pytest.approx(wide - narrow, rel=2e-3)
    assert rows["Both"] == pytest.approx(narrow, rel=2e-3)


def test_a_link_compares_the_zone_with_itself_at_another_width(build) -> None:
    at = run(open_app({"layers": "buffer-zone", "cmp.a": ZONE, "cmp.b": ZONE, "cmp.b.buffer-zone.width_km": "50"}))
    assert not at.warning, [w.value for w in at.warning]
    _check_100_vs_50(_rows(at), build)
    assert at.query_params["cmp.b.buffer-zone.width_km"] in ("50.0", ["50.0"])


def test_the_b_form_sets_b_s_width_and_the_link_carries_it(build) -> None:
    at = run(open_app({"layers": "buffer-zone", "cmp.a": ZONE, "cmp.b": ZONE}))
    shown = " ".join(i.value for i in at.info)
    assert "same area twice" in shown.lower()  # nothing to split until B has its own setting
    at.slider(key="cmp:b:buffer-zone.width_km").set_value(50.0)
    at.button(key="FormSubmitter:cmp:b_form-Apply to B").click()
    run(at)
    _check_100_vs_50(_rows(at), build)
    assert at.query_params["cmp.b.buffer-zone.width_km"] in ("50.0", ["50.0"])
    assert at.sidebar.slider(key="w:buffer-zone.width_km").value == 100.0  # A (the layer shown) unchanged


def test_b_s_parameters_round_trip_through_the_link_and_the_file() -> None:
    scenario = Scenario(layers={"buffer-zone": {}}, compare=(ZONE, ZONE),
                        compare_b={"buffer-zone": {"width_km": 50.0, "side": "nato"}})
    query = scenario.to_query()
    assert query["cmp.b.buffer-zone.width_km"] == "50.0" and query["cmp.b.buffer-zone.side"] == "nato"
    again, problems = Scenario.from_query(query)
    assert problems == [] and again.b_overrides() == {"width_km": 50.0, "side": "nato"}
    doc = json.loads(scenario.to_json())
    assert doc["compare"]["b_parameters"] == {"buffer-zone": {"width_km": 50.0, "side": "nato"}}
    loaded, problems = Scenario.from_json(scenario.to_json())
    assert problems == [] and loaded.b_overrides() == {"width_km": 50.0, "side": "nato"}
    assert loaded.parameters_b("buffer-zone")["width_km"] == 50.0
    assert loaded.parameters("buffer-zone")["width_km"] == 100.0  # A keeps the layer's own


@pytest.mark.parametrize(("key", "value", "word"), [
    ("cmp.b.buffer-zone.width_km", "9999", "between"),
    ("cmp.b.frozen-line.dmz_km", "5", "not on"),
    ("cmp.b.buffer-zone.nonsense", "1", "not a parameter"),
    ("cmp.b.buffer-zone.as_of", "2020-01-01", "not a parameter"),
])
def test_bad_b_parameters_in_a_link_are_reported_and_dropped(key: str, value: str, word: str) -> None:
    scenario, problems = Scenario.from_query({"layers": "buffer-zone", "cmp.a": ZONE, "cmp.b": ZONE, key: value})
    assert scenario.b_overrides() == {} and len(problems) == 1 and word in problems[0], problems


def test_loading_a_scenario_resets_the_compare_widgets(build) -> None:
    at = run(open_app({"layers": "buffer-zone", "cmp.a": ZONE, "cmp.b": ZONE, "cmp.b.buffer-zone.width_km": "50"}))
    other = Scenario(layers={"buffer-zone": {}}, compare=(ZONE, "buffer-zone/buffer-zone:FIN"))
    upload(at, "w:load", "scenario.json", other.to_json().encode())
    assert at.selectbox(key="cmp:b").value == "buffer-zone/buffer-zone:FIN"
    assert "cmp.b.buffer-zone.width_km" not in at.query_params
    assert "Both" in compare_rows(at)
