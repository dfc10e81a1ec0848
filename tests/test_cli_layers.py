"""``bufferzone layers`` and ``bufferzone build``: the declarations listed, the files written
(RFC 7946 GeoJSON, CSV) checked independently, a build→measure round trip, and every bad
invocation answered with exit status 2 and one line on standard error.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from bufferzone.cli import main

from ._cli import run

GEOD = Geod(ellps="WGS84")
LAYERS = {"nato-enlargement", "buffer-zone", "frozen-line", "trans-dnieper", "loc-change", "range-rings", "custom"}


def rings_of(geometry: dict) -> list[tuple[list, list[list]]]:
    """(exterior, holes) of every polygon in a GeoJSON geometry."""
    if geometry["type"] == "Polygon":
        return [(geometry["coordinates"][0], geometry["coordinates"][1:])]
    if geometry["type"] == "MultiPolygon":
        return [(p[0], p[1:]) for p in geometry["coordinates"]]
    return []


def geodesic_area_km2(geometry: dict) -> float:
    """Area of a GeoJSON (Multi)Polygon with pyproj directly, km² (holes subtracted)."""
    total = 0.0
    for exterior, holes in rings_of(geometry):
        total += abs(GEOD.polygon_area_perimeter(*zip(*exterior, strict=True))[0])
        total -= sum(abs(GEOD.polygon_area_perimeter(*zip(*h, strict=True))[0]) for h in holes)
    return total / 1e6


@pytest.fixture(scope="module")
def zone_file(tmp_path_factory) -> tuple[Path, dict]:
    """``bufferzone build buffer-zone --set width_km=50 --set side=nato -o zone.geojson`` (run once)."""
    path = tmp_path_factory.mktemp("cli-layers") / "zone.geojson"
    assert main(["build", "buffer-zone", "--set", "width_km=50", "--set", "side=nato", "-o", str(path)]) == 0
    return path, json.loads(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- layers


def test_layers_json_lists_every_layer_with_its_parameters(capsys) -> None:
    code, out, err = run(["layers", "--json"], capsys)
    assert (code, err) == (0, "")
    listed = {spec["name"]: spec for spec in json.loads(out)}
    assert set(listed) == LAYERS
    for spec in listed.values():
        assert spec["title"] and spec["description"] and spec["parameters"]
        for p in spec["parameters"]:
            assert {"name", "type", "unit", "default", "minimum", "maximum", "choices", "label"} <= set(p)
            if p["type"] in ("float", "int", "date"):
                assert p["minimum"] is not None and p["maximum"] is not None
                # (ISO dates compare correctly as text)
                assert p["minimum"] <= p["default"] <= p["maximum"], (spec["name"], p["name"])
            if p["type"] == "choice":
                assert p["default"] in p["choices"]
    width = {p["name"]: p for p in listed["buffer-zone"]["parameters"]}["width_km"]
    assert (width["type"], width["unit"], width["default"], width["minimum"], width["maximum"]) == (
        "float", "km", 100.0, 1.0, 500.0)
    as_of = {p["name"]: p for p in listed["frozen-line"]["parameters"]}["as_of"]
    assert as_of["type"] == "date" and as_of["default"] == "2025-02-12"


def test_layers_table_names_every_layer(capsys) -> None:
    code, out, err = run(["layers"], capsys)
    assert (code, err) == (0, "")
    assert all(f"{name}:" in out for name in LAYERS) and "width_km" in out and "[1.0..500.0]" in out


# ----------------------------------------------------------------------------- build


def test_build_writes_rfc_7946_with_figures_on_every_feature(zone_file) -> None:
    _, doc = zone_file
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["layer"] == "buffer-zone" and doc["as_of"] == "2025-02-12"
    ids = [f["id"] for f in doc["features"]]
    assert "buffer-zone:zone" in ids and "buffer-zone:border" in ids
    for feat in doc["features"]:
        props = feat["properties"]
        assert isinstance(props["area_km2"], int | float) and props["area_km2"] >= 0
        assert isinstance(props["population"], int) and props["population"] >= 0
        assert props["parameters"]["width_km"] == 50.0 and props["parameters"]["side"] == "nato"
        for exterior, holes in rings_of(feat["geometry"]):
            assert shapely.LinearRing(exterior).is_ccw, feat["id"]  # right-hand rule
            assert all(not shapely.LinearRing(h).is_ccw for h in holes), feat["id"]
        xy = shapely.get_coordinates(shapely.geometry.shape(feat["geometry"]))
        assert (xy[:, 0] > 0).all() and (xy[:, 0] < 40).all() and (xy[:, 1] > 50).all()  # lon, lat order
    zone = next(f for f in doc["features"] if f["id"] == "buffer-zone:zone")
    assert zone["properties"]["area_km2"] == pytest.approx(geodesic_area_km2(zone["geometry"]), rel=1e-3)


def test_build_csv_has_one_row_per_feature(zone_file, tmp_path, capsys) -> None:
    out = tmp_path / "zone.csv"
    code, stdout, _ = run(["build", "buffer-zone", "--set", "width_km=50", "--set", "side=nato", "-o", str(out)],
                          capsys)
    assert code == 0 and str(out) in stdout
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    features = zone_file[1]["features"]
    assert [r["id"] for r in rows] == [f["id"] for f in features]
    for row, feat in zip(rows, features, strict=True):
        assert float(row["area_km2"]) == pytest.approx(feat["properties"]["area_km2"])
        assert int(row["population"]) == feat["properties"]["population"]


def test_build_then_measure_gives_the_same_area(zone_file, tmp_path, capsys) -> None:
    _, doc = zone_file
    zone = next(f for f in doc["features"] if f["id"] == "buffer-zone:zone")
    only = tmp_path / "zone_only.geojson"
    only.write_text(json.dumps({"type": "FeatureCollection", "features": [zone]}), encoding="utf-8")
    code, out, err = run(["measure", str(only), "--json"], capsys)
    assert code == 0, err
    measured = json.loads(out)
    assert measured["area_km2"] == pytest.approx(zone["properties"]["area_km2"], rel=1e-3)
    assert measured["population"] == pytest.approx(zone["properties"]["population"], rel=1e-2)


def test_date_option_sets_the_as_of_date(tmp_path, capsys) -> None:
    out = tmp_path / "nato.geojson"
    code, _, err = run(["build", "nato-enlargement", "--date", "2021-12-17", "-o", str(out)], capsys)
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["as_of"] == "2021-12-17"
    members = {f["properties"]["iso_a3"] for f in doc["features"] if f["properties"]["role"] == "member"}
    # Finland joined in 2023, Sweden in 2024, North Macedonia in 2020
    assert "FIN" not in members and "SWE" not in members and "MKD" in members
    assert "Canada" in err  # the note on members off the map


# ----------------------------------------------------------------------------- bad usage


@pytest.mark.parametrize(("args", "expected"), [
    (["build", "no-such-layer"], "no-such-layer"),
    (["build", "buffer-zone", "--set", "depth_km=5"], "depth_km"),
    (["build", "buffer-zone", "--set", "width_km=0"], "width_km"),
    (["build", "buffer-zone", "--set", "width_km=501"], "width_km"),
    (["build", "buffer-zone", "--set", "width_km=wide"], "width_km"),
    (["build", "buffer-zone", "--set", "side=west"], "side"),
    (["build", "buffer-zone", "--set", "width_km"], "NAME=VALUE"),
    (["build", "buffer-zone", "--set", "=5"], "NAME=VALUE"),
    (["build", "buffer-zone", "--date", "2025-02-30"], "as_of"),
    (["build", "buffer-zone", "--date", "12/02/2025"], "as_of"),
    (["build", "frozen-line", "--date", "2022-02-22"], "2022-02-23"),
    (["build", "range-rings", "--set", "preset=custom", "--set", "range_km=-5"], "range_km"),
])
def test_bad_build_usage_exits_2_with_one_line(tmp_path, capsys, args, expected) -> None:
    out = tmp_path / "out.geojson"
    code, stdout, stderr = run([*args, "-o", str(out)], capsys)
    assert code == 2 and stdout == "" and not out.exists()
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bufferzone") and "error:" in lines[0], stderr
    assert expected in lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["build", "buffer-zone", "-o", "zone.shp"], "output must end in one of .geojson"),
    (["build", "buffer-zone", "-o", "zone"], "output must end in one of .geojson"),
    (["build", "buffer-zone"], "-o"),  # no output
    (["build"], "layer"),
    (["layers", "--yaml"], "--yaml"),
])
def test_bad_output_and_missing_arguments_exit_2(tmp_path, monkeypatch, capsys, args, expected) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run(args, capsys)
    assert code == 2 and stdout == "" and list(tmp_path.iterdir()) == []
    lines = stderr.splitlines()
    assert "Traceback" not in stderr and len(lines) == 1 and "error:" in lines[0] and expected in lines[0], stderr
