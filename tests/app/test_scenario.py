"""Scenarios: the URL and the file round-trip the same layers, parameters and date; bad files
are refused with a clear InputError; nothing from a link or file may name a server path.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bufferzone.webapp.scenario import MAX_SCENARIO_BYTES, Scenario
from geo._errors import BufferZoneError, InputError

SQUARE = json.dumps({"type": "Polygon", "coordinates": [[[22, 51], [23, 51], [23, 52], [22, 52], [22, 51]]]})


def sample() -> Scenario:
    return Scenario(
        layers={
            "range-rings": {"preset": "custom", "range_km": 2500.0, "site": "custom", "lon": 30.5, "lat": 50.45},
            "buffer-zone": {"width_km": 50.0, "side": "nato", "include_belarus": False},
            "custom": {"geometry": SQUARE, "label": "Ölsquare – “quoted”", "width_km": 0.0},
            "frozen-line": {"dmz_km": 7.5, "withdraw_donbas": True},
        },
        as_of=dt.date(2023, 6, 1),
        view="kyiv",
    )


def test_file_round_trip_keeps_layers_parameters_date_and_view() -> None:
    original = sample()
    again, problems = Scenario.from_json(original.to_json())
    assert problems == []
    assert list(again.layers) == list(original.layers)  # order kept: it is the drawing order
    assert again.layers == original.layers
    assert (again.as_of, again.view) == (dt.date(2023, 6, 1), "kyiv")
    for name in original.layers:
        assert again.parameters(name) == original.parameters(name)
    # and from bytes (as uploaded)
    assert Scenario.from_json(original.to_json().encode("utf-8"))[0] == again


def test_file_is_a_versioned_documented_json_object() -> None:
    doc = json.loads(sample().to_json())
    assert (doc["type"], doc["version"], doc["as_of"], doc["view"]) == ("bufferzone-scenario", 1, "2023-06-01", "kyiv")
    assert [e["name"] for e in doc["layers"]] == ["range-rings", "buffer-zone", "custom", "frozen-line"]


def test_url_round_trip_keeps_the_scenario() -> None:
    original = sample()
    query = original.to_query()
    assert all(isinstance(v, str) for v in query.values())
    again, problems = Scenario.from_query(query)
    assert problems == []
    assert (list(again.layers), again.as_of, again.view) == (list(original.layers), original.as_of, original.view)
    for name in original.layers:
        assert again.parameters(name) == original.parameters(name)


def test_server_paths_never_travel_in_a_link_or_file(tmp_path) -> None:
    path = str(tmp_path / "occupied.geojson")
    scenario = Scenario(layers={"frozen-line": {"occupied_file": path}, "custom": {"geometry": SQUARE}})
    assert path not in json.dumps(scenario.to_query()) and path not in scenario.to_json()
    for query in ({"layers": "frozen-line", "frozen-line.occupied_file": path},
                  {"layers": "trans-dnieper", "trans-dnieper.occupied_file": path},
                  {"layers": "custom", "custom.geometry": path},
                  {"layers": "custom", "custom.geometry": "  ../../etc/passwd"}):
        again, problems = Scenario.from_query(query)
        assert len(problems) == 1, problems
        assert all("occupied_file" not in v and "geometry" not in v for v in again.layers.values())
    doc = {"type": "bufferzone-scenario", "version": 1,
           "layers": [{"name": "custom", "parameters": {"geometry": "/etc/passwd"}}]}
    again, problems = Scenario.from_json(json.dumps(doc))
    assert again.layers == {"custom": {}} and len(problems) == 1 and "file path" in problems[0]


def test_a_large_drawn_geometry_survives_a_scenario_file_but_not_a_link() -> None:
    ring = [[20 + i / 100, 50 + (i % 2) / 100] for i in range(400)] + [[24, 49], [20, 49], [20, 50]]
    big = json.dumps({"type": "Polygon", "coordinates": [ring]})
    assert len(big) > 5000
    scenario = Scenario(layers={"custom": {"geometry": big}})
    assert "custom.geometry" not in scenario.to_query()
    again, problems = Scenario.from_json(scenario.to_json())
    assert problems == [] and again.layers["custom"]["geometry"] == big


def test_file_values_are_validated_and_bad_ones_dropped_with_a_message() -> None:
    doc = {"type": "bufferzone-scenario", "version": 1, "as_of": "2099-99-99", "view": "moon",
           "layers": [{"name": "buffer-zone", "parameters": {"width_km": 99999, "side": "nato"}},
                      {"name": "no-such-layer", "parameters": {}}, "not an object"]}
    scenario, problems = Scenario.from_json(json.dumps(doc))
    assert scenario.layers == {"buffer-zone": {"side": "nato"}}
    assert scenario.as_of == Scenario().as_of and scenario.view == "europe"
    assert len(problems) == 4, problems
    assert any("width_km" in p and "500" in p for p in problems)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not json at all {", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[1, 2, 3]", "not a scenario file"),
        (b'{"type": "FeatureCollection", "features": []}', "not a scenario file"),
        (b'{"type": "bufferzone-scenario", "version": 2, "layers": []}', "version 2"),
        (b'{"type": "bufferzone-scenario", "layers": []}', "version None"),
        (b'{"type": "bufferzone-scenario", "version": 1, "layers": {"buffer-zone": {}}}', '"layers" list'),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"type": "bufferzone-scenario", "version": 1, "layers": [], "pad": "' + b"x" * MAX_SCENARIO_BYTES + b'"}',
         "limit"),
    ],
    ids=["not-json", "not-utf8", "list", "geojson", "version-2", "no-version", "layers-not-list", "deep", "huge"],
)
def test_bad_scenario_files_raise_input_error(content: bytes, words: str) -> None:
    with pytest.raises(InputError) as err:
        Scenario.from_json(content)
    assert words in str(err.value)
    assert len(str(err.value)) < 300 and "\n" not in str(err.value)


def test_huge_scenario_text_is_refused_like_huge_bytes() -> None:
    text = json.dumps({"type": "bufferzone-scenario", "version": 1, "layers": [], "pad": "é" * MAX_SCENARIO_BYTES})
    with pytest.raises(InputError, match="limit"):
        Scenario.from_json(text)



def test_a_huge_version_string_is_not_echoed_whole() -> None:
    doc = {"type": "bufferzone-scenario", "version": "9" * 900_000, "layers": []}
    with pytest.raises(InputError, match="is not supported") as info:
        Scenario.from_json(json.dumps(doc))
    assert len(str(info.value)) < 200


# ----------------------------------------------------------------------------- the line-of-contact snapshot


def _front(as_of: str, loc: str = "") -> Scenario:
    return Scenario(layers={"frozen-line": {"dmz_km": 0.0}}, as_of=dt.date.fromisoformat(as_of), loc=loc)


def test_links_and_files_carry_the_snapshot_in_use() -> None:
    import geo.loc_history as lh

    scenario = _front("2023-06-01")
    expected = lh.pick(dt.date(2023, 6, 1)).reference
    assert expected.startswith("builtin:2022-11-12:")
    assert scenario.to_query()["loc"] == expected and json.loads(scenario.to_json())["loc"] == expected
    # the same line on the recipient's side: automatic again (follows the date), no problem
    again, problems = Scenario.from_query(scenario.to_query())
    assert (again.loc, problems) == ("", [])
    assert "loc" not in Scenario(layers={"buffer-zone": {}}).to_query()  # no front layer, no line


def test_a_link_to_a_line_the_recipient_lacks_says_so_instead_of_changing_figures(tmp_path, monkeypatch) -> None:
    import geo.loc_history as lh
    import layers
    from geo import ParameterError
    from geo.loc_readers import read_line_file
    from tests import _loc

    daily = _loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=4)
    sent = lh.add(read_line_file(daily))
    link = _front("2026-11-30").to_query()
    assert link["loc"] == sent.reference
    sender_km2 = layers.build("frozen-line", _front("2026-11-30").parameters("frozen-line")).features[0]
    monkeypatch.setenv("BUFFERZONE_CACHE_DIR", str(tmp_path / "recipient"))  # another machine
    received, problems = Scenario.from_query(link)
    assert received.loc == sent.reference and received.unresolved_loc() == sent.reference
    assert len(problems) == 1 and "not in your history" in problems[0]
    with pytest.raises(ParameterError, match="not in this history"):
        layers.build("frozen-line", received.parameters("frozen-line"))
    lh.add(read_line_file(daily))  # the recipient loads the same file: same figures as the sender's
    assert received.unresolved_loc() == ""
    shown = layers.build("frozen-line", received.parameters("frozen-line")).features[0]
    assert shown.figures.area_km2 == sender_km2.figures.area_km2


def test_an_older_line_chosen_by_the_sender_stays_pinned(tmp_path) -> None:
    import geo.loc_history as lh
    from geo.loc_readers import read_line_file
    from tests import _loc

    builtin = lh.pick(dt.date(2025, 2, 12)).reference
    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))  # the recipient has a newer line
    received, problems = Scenario.from_query(_front("2026-11-30", loc=builtin).to_query())
    assert problems == [] and received.loc == builtin
    assert received.parameters("frozen-line")["snapshot"] == builtin


@pytest.mark.parametrize("bad", ["builtin:2025-02-12", "nonsense", "builtin:2025-02-30:0185c80c2c6053d0"])
def test_a_malformed_line_reference_is_dropped_with_a_message(bad) -> None:
    received, problems = Scenario.from_query({"layers": "frozen-line", "date": "2025-03-01", "loc": bad})
    assert received.loc == "" and len(problems) == 1 and "line of contact" in problems[0]
    _, problems = Scenario.from_query({"layers": "frozen-line", "frozen-line.snapshot": "x"})
    assert problems == ["'snapshot' cannot be set from a link"]


def test_a_shared_loc_change_pins_the_lines_it_compared() -> None:
    """Before: a loc-change link carried only its dates, so a recipient with another history got
    other figures without being told.
    """
    import layers
    from geo import loc_history

    scenario = Scenario(layers={"loc-change": {"from": dt.date(2022, 11, 12), "to": dt.date(2025, 2, 12)}})
    query = scenario.to_query()
    assert query["loc-change.from_line"] == loc_history.pick(dt.date(2022, 11, 12)).reference
    assert query["loc-change.to_line"] == loc_history.pick(dt.date(2025, 2, 12)).reference
    assert json.loads(scenario.to_json())["layers"][0]["parameters"]["to_line"] == query["loc-change.to_line"]
    # the recipient with the same lines gets the same figures...
    received, problems = Scenario.from_query(query)
    assert problems == []
    same = layers.build("loc-change", received.parameters("loc-change"))
    plain = layers.build("loc-change", {"from": dt.date(2022, 11, 12), "to": dt.date(2025, 2, 12)})
    assert [f.figures.area_km2 for f in same.features] == [f.figures.area_km2 for f in plain.features]
    # ...and one without the pinned line is told so instead of getting another line's figures
    _, day, _ = loc_history.parse_reference(query["loc-change.to_line"])
    missing = {**query, "loc-change.to_line": f"deepstatemap:{day.isoformat()}:{'0' * 16}"}
    received, _ = Scenario.from_query(missing)
    with pytest.raises(BufferZoneError, match="is not in this history"):
        layers.build("loc-change", received.parameters("loc-change"))
