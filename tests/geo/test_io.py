"""geo.io: reading user vector files safely (every refusal has a clear reason) and writing
RFC 7946 GeoJSON.

Fixtures are tiny files written to ``tmp_path``; expected coordinates come from the input
itself or from the analytic Web Mercator formulas, never from the reader's own output.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geo.io as gio
from geo import InputError
from geo.io import feature_collection, read_vector, write_geojson
from geo.reading import DEFAULT_LIMITS, Limits

WGS84_A = 6378137.0  # semi-major axis, the sphere radius of Web Mercator (EPSG:3857)
BOX = shapely.Polygon([(30.0, 50.0), (31.0, 50.0), (31.0, 51.0), (30.0, 51.0)])


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Spherical (Web) Mercator forward projection, by hand."""
    return WGS84_A * math.radians(lon), WGS84_A * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def gj(doc: object) -> bytes:
    return json.dumps(doc).encode()


def point_feature(lon: float, lat: float, **props: object) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def same_shape(a: shapely.Geometry, b: shapely.Geometry, tol: float = 1e-9) -> bool:
    return shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=tol)


def make_zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_folder(folder: Path, skip: tuple[str, ...] = ()) -> bytes:
    return make_zip([(f.name, f.read_bytes()) for f in sorted(folder.iterdir()) if f.suffix not in skip])


# ----------------------------------------------------------------------------- valid GeoJSON


def test_feature_collection_from_path_keeps_properties(tmp_path) -> None:
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        point_feature(30.52, 50.45, name="Kyiv", rank=1),
        point_feature(24.03, 49.84, name="Lviv", rank=2),
    ]}))
    loaded = read_vector(path)
    assert list(loaded.frame["name"]) == ["Kyiv", "Lviv"] and list(loaded.frame["rank"]) == [1, 2]
    assert [(p.x, p.y) for p in loaded.frame.geometry] == [(30.52, 50.45), (24.03, 49.84)]
    assert loaded.frame.crs.to_epsg() == 4326 and loaded.notes == ()


def test_single_feature_and_bare_geometry_from_bytes() -> None:
    feat = read_vector(gj(point_feature(30.0, 50.0, label="x")), filename="one.geojson")
    assert feat.frame["label"].tolist() == ["x"] and feat.frame.geometry.iloc[0].equals(shapely.Point(30, 50))
    bare = read_vector(gj(shapely.geometry.mapping(BOX)), filename="box.json")
    assert len(bare.frame) == 1 and same_shape(bare.frame.geometry.iloc[0], BOX)


def test_bytes_without_a_filename_are_recognised_by_content() -> None:
    assert len(read_vector(gj({"type": "Point", "coordinates": [30, 50]})).frame) == 1
    with pytest.raises(InputError, match="cannot tell the format"):
        read_vector(b"just some text", filename="notes.txt")


# ----------------------------------------------------------------------------- broken GeoJSON


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(InputError, match=r"not valid JSON: .* at line 2, column 7"):
        read_vector(b'{"type": "Feature",\n "x": }', filename="bad.geojson")


@pytest.mark.parametrize("content", [b"[1, 2, 3]", b'{"features": []}'])
def test_json_that_is_not_geojson(content) -> None:
    with pytest.raises(InputError, match="JSON but not GeoJSON"):
        read_vector(content, filename="x.geojson")


def test_unknown_geojson_type() -> None:
    with pytest.raises(InputError, match="unknown GeoJSON type 'Topology'"):
        read_vector(gj({"type": "Topology", "objects": {}}), filename="x.geojson")


def test_unknown_geometry_type() -> None:
    doc = {"type": "Feature", "geometry": {"type": "Circle", "coordinates": [30, 50]}, "properties": {}}
    with pytest.raises(InputError, match="feature 0 has an unknown geometry type 'Circle'"):
        read_vector(gj(doc), filename="x.geojson")


@pytest.mark.parametrize(("geometry", "kind"), [
    ({"type": "Polygon", "coordinates": [[30, 50]]}, "Polygon"),            # one nesting level short
    ({"type": "LineString", "coordinates": [[30, 50]]}, "LineString"),      # a single position
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}, "Polygon"),  # ring not closed
    ({"type": "Point", "coordinates": "30,50"}, "Point"),
])
def test_malformed_coordinates(geometry, kind) -> None:
    doc = {"type": "FeatureCollection", "features": [point_feature(30, 50), {
        "type": "Feature", "geometry": geometry, "properties": {}}]}
    with pytest.raises(InputError, match=f"feature 1 has a malformed {kind}"):
        read_vector(gj(doc), filename="x.geojson")


def test_empty_feature_collection_is_refused() -> None:
    with pytest.raises(InputError, match="has no non-empty geometry"):
        read_vector(gj({"type": "FeatureCollection", "features": []}), filename="x.geojson")


def test_null_and_empty_geometries_are_dropped_with_a_note() -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"k": "null"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"k": "empty"}},
        point_feature(30, 50, k="kept"),
    ]}
    loaded = read_vector(gj(doc), filename="x.geojson")
    assert loaded.frame["k"].tolist() == ["kept"]
    assert loaded.notes == ("Dropped 2 feature(s) with empty or missing geometry.",)


def test_only_null_geometries_is_an_error() -> None:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None, "properties": {}}] * 2}
    with pytest.raises(InputError, match="has no non-empty geometry"):
        read_vector(gj(doc), filename="x.geojson")


def test_non_utf8_bytes() -> None:
    content = '{"type": "Point", "coordinates": [30, 50], "name": "Kóvel"}'.encode("latin-1")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_vector(content, filename="x.geojson")


def test_empty_file(tmp_path) -> None:
    (tmp_path / "blank.geojson").write_text("  \n")
    with pytest.raises(InputError, match="blank.geojson is empty"):
        read_vector(tmp_path / "blank.geojson")


def test_missing_file(tmp_path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_vector(tmp_path / "nope.geojson")


# ----------------------------------------------------------------------------- repairs with notes


def test_bow_tie_is_repaired_with_make_valid_and_a_note() -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    assert not shapely.from_geojson(json.dumps(bow_tie)).is_valid  # the fixture really is invalid
    loaded = read_vector(gj(bow_tie), filename="x.geojson")
    geom = loaded.frame.geometry.iloc[0]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    # two triangles meeting at (1, 1), each of area 1 (base 2, height 1)
    assert sorted(p.area for p in geom.geoms) == pytest.approx([1.0, 1.0])
    assert len(loaded.notes) == 1 and "Self-intersection" in loaded.notes[0] and "make_valid" in loaded.notes[0]


def test_z_values_are_dropped_with_a_note() -> None:
    line = {"type": "LineString", "coordinates": [[30, 50, 120.5], [31, 51, 80.0]]}
    loaded = read_vector(gj(line), filename="x.geojson")
    geom = loaded.frame.geometry.iloc[0]
    assert not geom.has_z and list(geom.coords) == [(30.0, 50.0), (31.0, 51.0)]
    assert any("Dropped Z" in n for n in loaded.notes)


@pytest.mark.parametrize("crs_name", ["EPSG:3857", "urn:ogc:def:crs:EPSG::3857"])
def test_legacy_crs_member_is_reprojected_with_a_note(crs_name) -> None:
    kyiv = (30.5234, 50.4501)
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs_name}},
           "features": [point_feature(0.0, 0.0, at="origin"), point_feature(*mercator(*kyiv), at="Kyiv")]}
    loaded = read_vector(gj(doc), filename="metres.geojson")
    origin, city = loaded.frame.geometry
    assert (origin.x, origin.y) == pytest.approx((0.0, 0.0), abs=1e-9)
    assert (city.x, city.y) == pytest.approx(kyiv, abs=1e-6)
    assert len(loaded.notes) == 1 and "Reprojected from EPSG:3857" in loaded.notes[0]


def test_crs84_member_is_lon_lat_without_a_note() -> None:
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": [point_feature(30.5, 50.4)]}
    loaded = read_vector(gj(doc), filename="x.geojson")
    assert loaded.notes == () and loaded.frame.geometry.iloc[0].equals(shapely.Point(30.5, 50.4))


def test_unknown_crs_member_is_refused() -> None:
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "my own grid"}},
           "features": [point_feature(30, 50)]}
    with pytest.raises(InputError, match='"crs" member is not a CRS'):
        read_vector(gj(doc), filename="x.geojson")


# ----------------------------------------------------------------------------- impossible coordinates


def test_projected_shapefile_without_prj_is_refused(tmp_path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    box = shapely.box(3_000_000, 6_500_000, 3_010_000, 6_510_000)
    gpd.GeoDataFrame({"v": [1]}, geometry=[box], crs="EPSG:3857").to_file(folder / "zone.shp")
    content = zip_folder(folder, skip=(".prj",))
    with pytest.raises(InputError, match="has no CRS .* it looks projected"):
        read_vector(content, filename="zone.zip")


def test_swapped_lat_lon_is_refused_with_a_hint() -> None:
    doc = {"type": "FeatureCollection", "features": [point_feature(50.45, 30.52), point_feature(50.45, 130.5)]}
    with pytest.raises(InputError, match="latitude/longitude order"):
        read_vector(gj(doc), filename="x.geojson")


def test_metres_in_a_lon_lat_file_are_refused() -> None:
    with pytest.raises(InputError, match="outside ±180/±90.*projected metres"):
        read_vector(gj({"type": "Point", "coordinates": [3_397_000, 6_516_000]}), filename="x.geojson")


@pytest.mark.parametrize("content", [
    b'{"type": "Point", "coordinates": [NaN, 50]}',
    b'{"type": "LineString", "coordinates": [[30, 50], [Infinity, 50]]}',
    b'{"type": "Point", "coordinates": [30, 1e999]}',  # valid JSON that overflows to inf
])
def test_nan_and_infinite_coordinates_are_refused(content) -> None:
    with pytest.raises(InputError, match="NaN or infinite coordinates"):
        read_vector(content, filename="x.geojson")


# ----------------------------------------------------------------------------- limits


def test_size_limit_is_checked_before_parsing(tmp_path) -> None:
    limits = Limits(max_bytes=100)
    not_json = b"{" + b" " * 150  # invalid JSON: the size message proves it was never parsed
    path = tmp_path / "big.geojson"
    path.write_bytes(not_json)
    with pytest.raises(InputError, match=r"big.geojson is 151 bytes \(0\.0 MB\); the limit is 100 bytes"):
        read_vector(path, limits=limits)
    with pytest.raises(InputError, match="the limit is"):
        read_vector(not_json, filename="big.geojson", limits=limits)
    assert len(read_vector(b'{"type":"Point","coordinates":[30,50]}', filename="s.geojson", limits=limits).frame) == 1


def test_size_limit_is_stated_in_bytes_and_decimal_megabytes() -> None:
    """50,000,001 bytes is over a 50 MB limit: the message says by how much (not "50.0 MB; the limit is 50 MB")."""
    with pytest.raises(InputError, match=r"is 50,000,001 bytes \(50\.0 MB\); the limit is 50,000,000 bytes \(50 MB\)"):
        read_vector(b"{" + b" " * 50_000_000, filename="big.geojson")


def test_feature_limit() -> None:
    limits = Limits(max_features=3)
    fc = {"type": "FeatureCollection", "features": [point_feature(30 + i, 50) for i in range(3)]}
    assert len(read_vector(gj(fc), filename="x.geojson", limits=limits).frame) == 3
    fc["features"].append(point_feature(34, 50))
    with pytest.raises(InputError, match="has 4 features; the limit is 3"):
        read_vector(gj(fc), filename="x.geojson", limits=limits)


def test_vertex_limit_geojson() -> None:
    limits = Limits(max_vertices=10)
    line = {"type": "LineString", "coordinates": [[30 + i / 10, 50] for i in range(10)]}
    assert len(read_vector(gj(line), filename="x.geojson", limits=limits).frame.geometry.iloc[0].coords) == 10
    line["coordinates"].append([31.5, 50])
    with pytest.raises(InputError, match="more than 10 vertices"):
        read_vector(gj(line), filename="x.geojson", limits=limits)


def test_vertex_limit_geopackage(tmp_path) -> None:
    gpd.GeoDataFrame(geometry=[BOX], crs="EPSG:4326").to_file(tmp_path / "box.gpkg", driver="GPKG")
    with pytest.raises(InputError, match="more than 4 vertices"):  # BOX has 5 coordinates (closed ring)
        read_vector(tmp_path / "box.gpkg", limits=Limits(max_vertices=4))


# ----------------------------------------------------------------------------- other formats


@pytest.fixture
def box_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["box"], "value": [7]}, geometry=[BOX], crs="EPSG:4326")


def _check_box(loaded: gio.LoadedVector) -> None:
    assert len(loaded.frame) == 1 and loaded.frame.crs.to_epsg() == 4326
    assert same_shape(loaded.frame.geometry.iloc[0], BOX)


def test_kml_and_kmz(tmp_path, box_frame) -> None:
    box_frame.to_file(tmp_path / "box.kml", driver="KML")
    kml = (tmp_path / "box.kml").read_bytes()
    for loaded in (read_vector(tmp_path / "box.kml"), read_vector(kml, filename="upload.kml")):
        _check_box(loaded)
        assert loaded.frame["Name"].tolist() == ["box"]
    kmz = make_zip([("doc.kml", kml)], zipfile.ZIP_DEFLATED)
    (tmp_path / "box.kmz").write_bytes(kmz)
    _check_box(read_vector(tmp_path / "box.kmz"))
    _check_box(read_vector(kmz, filename="upload.kmz"))


def test_zipped_shapefile(tmp_path, box_frame) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    box_frame.to_file(folder / "box.shp")
    assert {".shp", ".shx", ".dbf", ".prj"} <= {f.suffix for f in folder.iterdir()}
    content = zip_folder(folder)
    (tmp_path / "box.zip").write_bytes(content)
    for loaded in (read_vector(tmp_path / "box.zip"), read_vector(content, filename="upload.zip")):
        _check_box(loaded)
        assert loaded.frame["name"].tolist() == ["box"] and loaded.frame["value"].tolist() == [7]


def test_zipped_shapefile_in_web_mercator_is_reprojected(tmp_path, box_frame) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    corners = [(30.0, 50.0), (31.0, 50.0), (31.0, 51.0), (30.0, 51.0)]
    metres = shapely.Polygon([mercator(*c) for c in corners])
    gpd.GeoDataFrame({"v": [1]}, geometry=[metres], crs="EPSG:3857").to_file(folder / "m.shp")
    loaded = read_vector(zip_folder(folder), filename="m.zip")
    assert same_shape(loaded.frame.geometry.iloc[0], BOX, tol=1e-6)
    assert loaded.notes == ("Reprojected from EPSG:3857 to lon/lat (EPSG:4326).",)


def test_geopackage(tmp_path, box_frame) -> None:
    box_frame.to_file(tmp_path / "box.gpkg", driver="GPKG")
    content = (tmp_path / "box.gpkg").read_bytes()
    for loaded in (read_vector(tmp_path / "box.gpkg"), read_vector(content, filename="upload.gpkg")):
        _check_box(loaded)
        assert loaded.frame["value"].tolist() == [7]


# ----------------------------------------------------------------------------- hostile archives


@pytest.mark.parametrize("member", ["../evil.shp", "data/../../evil.shp", "/etc/evil.shp", "C:\\evil.shp"])
def test_unsafe_archive_paths_are_refused(member) -> None:
    with pytest.raises(InputError, match="contains an unsafe path"):
        read_vector(make_zip([(member, b"x")]), filename="evil.zip")


def test_nested_archive_is_refused() -> None:
    inner = make_zip([("a.geojson", b'{"type":"Point","coordinates":[30,50]}')])
    with pytest.raises(InputError, match=r"nested archive \(inner.zip\)"):
        read_vector(make_zip([("inner.zip", inner)]), filename="outer.zip")


def test_high_ratio_archive_is_refused_as_a_bomb() -> None:
    bomb = make_zip([("zone.shp", bytes(5 * 1024 * 1024))], zipfile.ZIP_DEFLATED)
    assert len(bomb) * DEFAULT_LIMITS.max_zip_ratio < 5 * 1024 * 1024  # the fixture really exceeds the ratio
    with pytest.raises(InputError, match="possible decompression bomb"):
        read_vector(bomb, filename="bomb.zip")


def test_archive_larger_than_the_unpacked_limit_is_refused() -> None:
    noise = np.random.default_rng(0).bytes(200_000)  # incompressible: ratio about 1:1
    with pytest.raises(InputError, match="possible decompression bomb"):
        read_vector(make_zip([("zone.shp", noise)], zipfile.ZIP_DEFLATED), filename="big.zip",
                    limits=Limits(max_unpacked_bytes=100_000))


def test_archive_without_a_usable_file() -> None:
    with pytest.raises(InputError, match=r"does not contain a \.kml document, a \.shp"):
        read_vector(make_zip([("readme.txt", b"hello"), ("zone.dbf", b"x")]), filename="z.zip")


def test_kmz_without_kml() -> None:
    with pytest.raises(InputError, match=r"does not contain a \.kml document"):
        read_vector(make_zip([("doc.txt", b"hello"), ("files/icon.png", b"x")]), filename="z.kmz")


def test_shapefile_without_its_sidecars_is_refused() -> None:
    with pytest.raises(InputError, match=r"shapefile zone.shp lacks its \.shx and \.dbf"):
        read_vector(make_zip([("zone.shp", b"x")]), filename="z.zip")


def test_truncated_zip_is_refused(tmp_path, box_frame) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    box_frame.to_file(folder / "box.shp")
    content = zip_folder(folder)
    with pytest.raises(InputError, match="not a valid ZIP/KMZ archive"):
        read_vector(content[: len(content) // 2], filename="cut.zip")


def test_zip_with_corrupt_entry_data_is_refused() -> None:
    data = b'{"type":"Point","coordinates":[30,50]}' * 20
    content = bytearray(make_zip([("a.geojson", data)], zipfile.ZIP_DEFLATED))
    start = 30 + len("a.geojson")  # local header + name, then the deflate stream
    content[start:start + 8] = b"\xff" * 8
    with pytest.raises(InputError, match="corrupt or unsupported archive"):
        read_vector(bytes(content), filename="broken.zip")


def test_zip_with_a_bad_crc_is_refused() -> None:
    data = b'{"type":"Point","coordinates":[30,50]}'
    content = make_zip([("a.geojson", data)])  # stored: the payload is readable in place
    content = content.replace(b"[30,50]", b"[31,50]", 1)
    with pytest.raises(InputError, match="corrupt or unsupported archive.*CRC"):
        read_vector(content, filename="crc.zip")


def test_a_file_named_shp_that_is_not_a_shapefile_is_refused() -> None:
    members = [(f"zone{s}", b"not a shapefile at all") for s in (".shp", ".shx", ".dbf")]
    with pytest.raises(InputError, match="zone.shp is not a shapefile"):
        read_vector(make_zip(members), filename="z.zip")


def test_unreadable_shapefile_names_the_member_not_a_temporary_path(tmp_path, box_frame) -> None:
    box_frame.to_file(tmp_path / "zone.shp")
    shp = (tmp_path / "zone.shp").read_bytes()
    members = [("zone.shp", shp[:100] + b"\xff" * 40), ("zone.shx", (tmp_path / "zone.shx").read_bytes()),
               ("zone.dbf", b"garbage")]
    with pytest.raises(InputError, match=r"^z\.zip") as info:
        read_vector(make_zip(members), filename="z.zip")
    assert "bufferzone-" not in str(info.value) and "/tmp" not in str(info.value)


# ----------------------------------------------------------------------------- writing


def _ring_orientations(geometry: dict) -> list[tuple[bool, list[bool]]]:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [(shapely.LinearRing(p[0]).is_ccw, [shapely.LinearRing(h).is_ccw for h in p[1:]]) for p in polys]


def test_feature_collection_follows_the_right_hand_rule() -> None:
    shell_cw = [(30, 50), (30, 51), (31, 51), (31, 50)]
    hole_ccw = [(30.2, 50.2), (30.8, 50.2), (30.8, 50.8), (30.2, 50.8)]
    poly = shapely.Polygon(shell_cw, [hole_ccw])
    assert not poly.exterior.is_ccw and poly.interiors[0].is_ccw  # the input breaks the rule
    multi = shapely.MultiPolygon([poly, shapely.Polygon([(40, 50), (40, 51), (41, 51)])])
    fc = feature_collection([(poly, {}), (multi, {})])
    assert _ring_orientations(fc["features"][0]["geometry"]) == [(True, [False])]
    assert _ring_orientations(fc["features"][1]["geometry"]) == [(True, [False]), (True, [])]
    assert same_shape(shapely.geometry.shape(fc["features"][1]["geometry"]), multi)


def test_feature_collection_has_no_crs_and_rounds_to_six_decimals() -> None:
    fc = feature_collection([(shapely.Point(30.123456789, -50.0000004), {})], name="zones")
    assert "crs" not in fc and fc["type"] == "FeatureCollection" and fc["name"] == "zones"
    assert fc["features"][0]["geometry"]["coordinates"] == pytest.approx([30.123457, -50.0], abs=1e-12)


def test_properties_become_plain_json() -> None:
    props = {"id": "zone-1", "missing": float("nan"), "inf": np.float64("inf"), "count": np.int64(12),
             "share": np.float32(0.5), "flag": np.bool_(True), "when": pd.NaT, "na": pd.NA,
             "nested": {"n": np.int32(3)}}
    fc = feature_collection([(BOX, props)])
    feat = fc["features"][0]
    assert feat["id"] == "zone-1"
    assert feat["properties"] == {"id": "zone-1", "missing": None, "inf": None, "count": 12, "share": 0.5,
                                  "flag": True, "when": None, "na": None, "nested": {"n": 3}}
    assert type(feat["properties"]["count"]) is int and type(feat["properties"]["flag"]) is bool
    json.dumps(fc, allow_nan=False)  # strict JSON: raises if anything non-standard is left


def test_null_id_is_not_promoted_and_empty_geometry_is_null() -> None:
    fc = feature_collection([(BOX, {"id": float("nan")}), (shapely.Polygon(), {"id": 7})])
    first, second = fc["features"]
    assert "id" not in first and first["properties"]["id"] is None
    assert second["id"] == 7 and second["geometry"] is None


def test_written_file_is_rfc7946_and_reads_back(tmp_path) -> None:
    poly = shapely.Polygon([(30, 50), (30, 51), (31, 51), (31, 50)])  # clockwise on purpose
    path = tmp_path / "out.geojson"
    write_geojson(feature_collection([(poly, {"id": "a", "people": np.int64(5), "note": "Київ"})]), path)
    text = path.read_text(encoding="utf-8")
    assert "Київ" in text  # UTF-8, not \\u escapes
    doc = json.loads(text)
    assert "crs" not in doc and doc["features"][0]["id"] == "a"
    assert _ring_orientations(doc["features"][0]["geometry"]) == [(True, [])]
    loaded = read_vector(path)
    assert loaded.notes == () and same_shape(loaded.frame.geometry.iloc[0], poly)
    assert loaded.frame[["id", "people", "note"]].iloc[0].tolist() == ["a", 5, "Київ"]
