"""The ``bufferzone`` console script: outputs checked against geodesic references, and every
bad invocation answered with exit status 2 and one line on standard error.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from bufferzone.cli import main

from ._cli import run

GEOD = Geod(ellps="WGS84")
KYIV = (30.52, 50.45)


def write(path: Path, geometry: dict, **props: object) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geometry, "properties": props}]}))
    return path


def geodesic_area_km2(geometry: dict) -> float:
    poly = shapely.geometry.polygon.orient(shapely.geometry.shape(geometry), sign=1.0)
    return abs(GEOD.geometry_area_perimeter(poly)[0]) / 1e6


def exterior_is_ccw(geometry: dict) -> bool:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return all(shapely.LinearRing(p[0]).is_ccw for p in polys)


def geodesic_circle_km2(lon: float, lat: float, radius_km: float, n: int = 36_000) -> float:
    """Area of a geodesic circle from an n-vertex ring of Geod.fwd points (the reference)."""
    az = np.arange(n) * (360.0 / n)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1e3))
    return abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6


@pytest.fixture(scope="module")
def point_buffer(tmp_path_factory) -> tuple[Path, dict]:
    """``bufferzone buffer`` of a point at Kyiv by 100 km (run once for the module)."""
    folder = tmp_path_factory.mktemp("cli")
    src = write(folder / "kyiv.geojson", {"type": "Point", "coordinates": list(KYIV)}, name="Kyiv")
    out = folder / "zone.geojson"
    assert main(["buffer", str(src), "--width-km", "100", "-o", str(out)]) == 0
    return out, json.loads(out.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the entry point


def test_console_script_is_installed() -> None:
    exe = shutil.which("bufferzone") or str(Path(sys.executable).parent / "bufferzone")
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "usage: bufferzone" in done.stdout and "buffer" in done.stdout and "measure" in done.stdout


# ----------------------------------------------------------------------------- buffer


def test_point_buffer_is_a_geodesic_disc(point_buffer) -> None:
    _, doc = point_buffer
    assert doc["type"] == "FeatureCollection" and "crs" not in doc and len(doc["features"]) == 1
    feat = doc["features"][0]
    props = feat["properties"]
    reference = geodesic_circle_km2(*KYIV, 100)
    assert math.pi * 100**2 == pytest.approx(reference, rel=1e-3)  # sanity of the reference
    assert props["area_km2"] == pytest.approx(reference, rel=1e-3)
    assert geodesic_area_km2(feat["geometry"]) == pytest.approx(reference, rel=1e-3)
    assert type(props["population"]) is int and props["population"] >= 0
    assert props["name"] == "Kyiv" and props["width_km"] == 100 and props["side"] == "both"
    assert exterior_is_ccw(feat["geometry"])
    ring = np.array(feat["geometry"]["coordinates"][0])
    _, _, dist = GEOD.inv(np.full(len(ring), KYIV[0]), np.full(len(ring), KYIV[1]), ring[:, 0], ring[:, 1])
    assert dist == pytest.approx(100e3, rel=1e-5)  # every vertex 100 km from the centre


def test_buffer_reports_what_it_wrote(tmp_path, capsys) -> None:
    src = write(tmp_path / "p.geojson", {"type": "Point", "coordinates": [24.03, 49.84]})
    code, out, err = run(["buffer", str(src), "--width-km", "5", "-o", str(tmp_path / "o.json")], capsys)
    assert (code, err) == (0, "") and out.strip() == f"wrote 1 feature(s) to {tmp_path / 'o.json'}"


@pytest.mark.parametrize(("side", "west_of_line"), [("left", True), ("right", False)])
def test_line_buffer_left_and_right(tmp_path, capsys, side, west_of_line) -> None:
    northward = {"type": "LineString", "coordinates": [[30.0, 50.0], [30.0, 51.0]]}
    out = tmp_path / f"{side}.geojson"
    code, _, err = run(["buffer", str(write(tmp_path / "l.geojson", northward)), "--width-km", "10",
                        "--side", side, "-o", str(out)], capsys)
    assert code == 0, err
    feat = json.loads(out.read_text())["features"][0]
    assert feat["properties"]["side"] == side
    lons = shapely.get_coordinates(shapely.geometry.shape(feat["geometry"]))[:, 0]
    # left of a northward line is west; the band is flat-ended, so its area is width x length
    assert (lons.max() <= 30.0 + 1e-9) if west_of_line else (lons.min() >= 30.0 - 1e-9)
    length_km = GEOD.inv(30.0, 50.0, 30.0, 51.0)[2] / 1e3
    assert feat["properties"]["area_km2"] == pytest.approx(10 * length_km, rel=1e-3)


@pytest.mark.parametrize(("args", "side"), [([], "outside"), (["--side", "inside"], "inside")])
def test_polygon_buffer_defaults_to_outside(tmp_path, capsys, args, side) -> None:
    box = shapely.box(30.0, 50.0, 31.0, 51.0)
    area, perimeter = (abs(v) for v in GEOD.geometry_area_perimeter(box))
    area, perimeter, w = area / 1e6, perimeter / 1e3, 10.0
    # Steiner's formula for the parallel bodies of a (nearly) right-angled quadrilateral
    expected = area + perimeter * w + math.pi * w**2 if side == "outside" else area - perimeter * w + 4 * w**2
    out = tmp_path / "o.geojson"
    src = write(tmp_path / "box.geojson", shapely.geometry.mapping(box))
    code, _, err = run(["buffer", str(src), "--width-km", str(w), *args, "-o", str(out)], capsys)
    assert code == 0, err
    feat = json.loads(out.read_text())["features"][0]
    assert feat["properties"]["side"] == side
    assert feat["properties"]["area_km2"] == pytest.approx(expected, rel=2e-3)
    zone = shapely.geometry.shape(feat["geometry"])
    assert zone.buffer(1e-6).covers(box) if side == "outside" else box.buffer(1e-6).covers(zone)
    assert exterior_is_ccw(feat["geometry"])


# ----------------------------------------------------------------------------- measure


def test_round_trip_buffer_then_measure(point_buffer, capsys) -> None:
    path, doc = point_buffer
    code, out, err = run(["measure", str(path), "--json"], capsys)
    assert (code, err) == (0, "")
    measured = json.loads(out)
    props = doc["features"][0]["properties"]
    assert measured["area_km2"] == pytest.approx(props["area_km2"], abs=0.1)
    # the file's coordinates are rounded; towns on the edge count by the share of their footprint
    # inside, which moves with the edge (by one person of 4.7 M here), so not to the person
    assert measured["population"] == pytest.approx(props["population"], rel=1e-6)


def test_measure_json_around_kyiv(tmp_path, capsys) -> None:
    box = shapely.box(30.2, 50.2, 30.9, 50.7)
    src = write(tmp_path / "kyiv_box.geojson", shapely.geometry.mapping(box))
    code, out, err = run(["measure", str(src), "--json"], capsys)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {"area_km2", "population", "population_method", "by_country", "by_admin1",
            "largest_settlements"} <= set(result)
    assert result["area_km2"] == pytest.approx(abs(GEOD.geometry_area_perimeter(box)[0]) / 1e6, abs=0.1)
    assert type(result["population"]) is int and result["population"] > 0
    assert isinstance(result["population_method"], str) and result["population_method"]
    assert [c["iso_a3"] for c in result["by_country"]] == ["UKR"]
    assert result["by_country"][0]["area_km2"] == pytest.approx(result["area_km2"], abs=0.2)
    assert all({"name", "area_km2", "population"} <= set(r) for r in result["by_admin1"])
    assert result["largest_settlements"][0]["name"] == "Kyiv (right bank)"  # split by bank (settlement_population.csv)
    inside = [s["inside"] for s in result["largest_settlements"]]  # people inside, most first
    assert inside == sorted(inside, reverse=True)
    assert all(s["inside"] <= s["population"] for s in result["largest_settlements"])


def test_measure_table(tmp_path, capsys) -> None:
    src = write(tmp_path / "b.geojson", shapely.geometry.mapping(shapely.box(30.2, 50.2, 30.9, 50.7)))
    code, out, err = run(["measure", str(src)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("area:") and "population:" in out and "Kyiv" in out


def test_measure_table_outside_the_data_says_no_data(tmp_path, capsys) -> None:
    """A box round Seoul: the embedded data ends at 60°E, so its people are unknown, not 0 (it
    ended in an internal error once population could be None).
    """
    src = write(tmp_path / "seoul.geojson", shapely.geometry.mapping(shapely.box(126.9, 37.5, 127.1, 37.6)))
    code, out, err = run(["measure", str(src)], capsys)
    assert (code, err) == (0, "")
    assert "population:  no data" in out and "No population data here" in out


# ----------------------------------------------------------------------------- bad usage


POINT = {"type": "Point", "coordinates": [30.52, 50.45]}


@pytest.mark.parametrize(("case", "expected"), [
    ("missing file", "does not exist"),
    ("invalid json", "is not valid JSON"),
    ("width 0", "width_km must be > 0"),
    ("width negative", "width_km must be > 0"),
    ("width nan", "width_km must be > 0"),
    ("width not numeric", "invalid float value: 'ten'"),
    ("unknown side", "invalid choice: 'up'"),
    ("side does not fit", "needs a line"),
    ("txt output", "output must be a .geojson file"),
    ("no width", "required: --width-km"),
    ("measure a point", "Point has no area"),
    ("unknown command", "invalid choice: 'shrink'"),
])
def test_bad_usage_exits_2_with_one_line(tmp_path, capsys, case, expected) -> None:
    point = str(write(tmp_path / "p.geojson", POINT))
    out = str(tmp_path / "out.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "Feature", ')
    mixed = tmp_path / "mixed.geojson"
    mixed.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": POINT, "properties": {}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[30, 50], [31, 51]]},
         "properties": {}}]}))
    argv = {
        "missing file": ["buffer", str(tmp_path / "nope.geojson"), "--width-km", "10", "-o", out],
        "invalid json": ["buffer", str(bad), "--width-km", "10", "-o", out],
        "width 0": ["buffer", point, "--width-km", "0", "-o", out],
        "width negative": ["buffer", point, "--width-km", "-5", "-o", out],
        "width nan": ["buffer", point, "--width-km", "nan", "-o", out],
        "width not numeric": ["buffer", point, "--width-km", "ten", "-o", out],
        "unknown side": ["buffer", point, "--width-km", "10", "--side", "up", "-o", out],
        "side does not fit": ["buffer", point, "--width-km", "10", "--side", "left", "-o", out],
        "txt output": ["buffer", point, "--width-km", "10", "-o", str(tmp_path / "out.txt")],
        "no width": ["buffer", point, "-o", out],
        "measure a point": ["measure", point, "--json"],
        "unknown command": ["shrink", point],
    }[case]
    code, stdout, stderr = run(argv, capsys)
    assert code == 2
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bufferzone") and "error:" in lines[0], stderr
    assert expected in lines[0]
    assert not Path(out).exists() and not (tmp_path / "out.txt").exists()


def test_kml_with_empty_dates_buffers_to_strict_json(tmp_path, capsys) -> None:
    """KML brings date columns full of NaT; they must be written as null, not crash."""
    gpd.GeoDataFrame({"name": ["box"]}, geometry=[shapely.box(30, 50, 30.5, 50.5)], crs="EPSG:4326").to_file(
        tmp_path / "box.kml", driver="KML")
    out = tmp_path / "o.geojson"
    code, _, err = run(["buffer", str(tmp_path / "box.kml"), "--width-km", "5", "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    props = json.loads(out.read_text())["features"][0]["properties"]
    assert props["Name"] == "box" and props["timestamp"] is None and props["side"] == "outside"


# ----------------------------------------------------------------------------- lines measured

WGS84_A_M, WGS84_F = 6378137.0, 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


def _meridian_arc_m(lat1: float, lat2: float) -> float:
    """Meridian arc, m: the integral of the meridional radius M(φ) (independent of pyproj)."""
    phi = np.radians(np.linspace(lat1, lat2, 20_001))
    m = WGS84_A_M * (1 - WGS84_E2) / (1 - WGS84_E2 * np.sin(phi) ** 2) ** 1.5
    return float(np.sum((m[1:] + m[:-1]) / 2 * np.diff(phi)))


def _parallel_arc_m(lat: float, dlon: float) -> float:
    """Arc along a parallel, m: the prime-vertical radius N(φ) cos φ Δλ."""
    phi = np.radians(lat)
    return WGS84_A_M / np.sqrt(1 - WGS84_E2 * np.sin(phi) ** 2) * np.cos(phi) * np.radians(dlon)


@pytest.mark.parametrize("edges", ["straight", "geodesic"])
def test_measure_gives_a_line_its_geodesic_length(tmp_path, capsys, edges) -> None:
    """North along the 30th meridian, then 3° east along lat 52.24 (a Kyiv–Chernihiv-like hook).

    A meridian is both straight in lon/lat and a geodesic; the east leg is, read straight, an
    arc of the parallel and, read as a geodesic, the shorter great-ellipse path (Geod.inv).
    """
    src = tmp_path / "line.geojson"
    src.write_text(json.dumps({"type": "LineString", "coordinates": [[30, 50], [30, 52.24], [33, 52.24]]}))
    code, out, err = run(["measure", str(src), "--json", "--edges", edges], capsys)
    assert (code, err) == (0, "")
    got = json.loads(out)
    north = _meridian_arc_m(50, 52.24)
    east = _parallel_arc_m(52.24, 3.0) if edges == "straight" else Geod(ellps="WGS84").inv(30, 52.24, 33, 52.24)[2]
    assert got["length_km"] == pytest.approx((north + east) / 1000, abs=2e-3)  # the output's 1 m rounding
    assert got["edges"] == edges and "area_km2" not in got
    assert _parallel_arc_m(52.24, 3.0) - Geod(ellps="WGS84").inv(30, 52.24, 33, 52.24)[2] > 10  # the readings differ


def test_measure_a_line_with_a_width_gives_its_buffer_figures(tmp_path, capsys) -> None:
    src = tmp_path / "line.geojson"
    src.write_text(json.dumps({"type": "LineString", "coordinates": [[30, 50], [30, 52.24]]}))
    code, out, err = run(["measure", str(src), "--json", "--width-km", "2"], capsys)
    assert (code, err) == (0, "")
    got = json.loads(out)
    length = _meridian_arc_m(50, 52.24) / 1000
    assert got["length_km"] == pytest.approx(length, abs=2e-3)
    # a 2 km band: 2 W per km of line plus the two round ends (π W²), to the curvature's 1e-6
    assert got["buffer"]["area_km2"] == pytest.approx(4 * length + math.pi * 4, rel=1e-3)
    assert got["buffer"]["population"] >= 0


def test_measure_lines_and_points_measures_the_lines(tmp_path, capsys) -> None:
    mixed = tmp_path / "mixed.geojson"
    mixed.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": POINT, "properties": {}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[30, 50], [30, 51]]},
         "properties": {}}]}))
    code, out, err = run(["measure", str(mixed)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("length:") and f"{_meridian_arc_m(50, 51) / 1000:,.3f} km" in out
