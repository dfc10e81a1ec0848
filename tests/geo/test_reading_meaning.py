"""geo.reading keeps what a file means: no silent wrong numbers from repairs, axis orders,
CRSs or odd-but-valid GeoJSON. Each case is a class an independent corpus of hostile and
careless inputs turned into a wrong area; the expected areas are worked out by hand
(planar areas of unit squares in degrees, where the repair is purely topological).
"""

from __future__ import annotations

import json

import pytest
import shapely

from geo import InputError
from geo.reading import Limits, read_vector


def gj(doc: object) -> bytes:
    return json.dumps(doc).encode()


def polygon(*rings: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def only_geometry(content: bytes) -> tuple[shapely.Geometry, tuple[str, ...]]:
    loaded = read_vector(content, filename="x.geojson")
    assert len(loaded.frame) == 1
    geom = loaded.frame.geometry.iloc[0]
    assert geom.is_valid
    return geom, loaded.notes


# ----------------------------------------------------------------------------- repairs keep polygons


@pytest.mark.parametrize(("geometry", "area"), [
    # a spike out to (32, 50.5) and back along the same line: the unit square is what is left
    (polygon([[30, 50], [31, 50], [31, 50.5], [32, 50.5], [31, 50.5], [31, 51], [30, 51], [30, 50]]), 1.0),
    # a hole across the whole width pinches the 2 x 2 shell into two 2 x 0.9 strips
    (polygon(square(30, 50, 32, 52), square(30, 50.9, 32, 51.1)[::-1]), 4.0 - 0.4),
    # a hole half outside its shell removes only the half inside: 4 - 1
    (polygon(square(30, 50, 32, 52), square(31, 50.5, 33, 51.5)), 4.0 - 1.0),
    # two touching unit squares of a MultiPolygon: one 2 x 1 polygon
    ({"type": "MultiPolygon", "coordinates": [[square(30, 50, 31, 51)], [square(31, 50, 32, 51)]]}, 2.0),
    # overlapping parts: the union (3 x 3 minus two 1 x 1 corners... here two 2 x 2 squares overlapping by 1)
    ({"type": "MultiPolygon", "coordinates": [[square(30, 50, 32, 52)], [square(31, 51, 33, 53)]]}, 8.0 - 1.0),
])
def test_repaired_polygons_stay_polygons_with_the_area_they_mean(geometry, area) -> None:
    geom, notes = only_geometry(gj(geometry))
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.area == pytest.approx(area, rel=1e-9)
    assert any("make_valid" in n and "polygons stay polygons" in n for n in notes)


def test_a_polygon_inside_nested_collections_is_a_polygon() -> None:
    nested = {"type": "GeometryCollection", "geometries": [
        {"type": "GeometryCollection", "geometries": [polygon(square(30, 50, 31, 51))]}]}
    geom, notes = only_geometry(gj(nested))
    assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.area == pytest.approx(1.0)
    assert any("Split 1 GeometryCollection" in n for n in notes)


def test_a_collection_is_split_into_one_feature_per_kind() -> None:
    mixed = {"type": "Feature", "properties": {"name": "mixed"}, "geometry": {"type": "GeometryCollection",
             "geometries": [polygon(square(30, 50, 31, 51)), {"type": "Point", "coordinates": [35, 50]},
                            {"type": "LineString", "coordinates": [[36, 50], [37, 51]]}]}}
    loaded = read_vector(gj(mixed), filename="x.geojson")
    assert sorted(loaded.frame.geometry.geom_type) == ["MultiLineString", "MultiPoint", "MultiPolygon"]
    assert loaded.frame["name"].tolist() == ["mixed"] * 3


# ----------------------------------------------------------------------------- axis order and CRS


def test_lat_lon_written_square_round_kyiv_gets_a_hint() -> None:
    # Kyiv is 30.52 E 50.45 N; written latitude first, it lands in southern Iran (50.45 E 30.52 N)
    geom, notes = only_geometry(gj(polygon(square(50.3, 30.4, 50.6, 30.7))))
    assert geom.bounds[0] == pytest.approx(50.3)  # read as written (it may be meant)...
    hint = [n for n in notes if "Check the axis order" in n]  # ...but never quietly
    assert hint and "50.45°E 30.55°N" in hint[0] and "30.55°E 50.45°N" in hint[0]


URN_4326 = "urn:ogc:def:crs:EPSG::4326"


def _with_crs(name: str, geometry: dict) -> bytes:
    return gj({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
               "features": [{"type": "Feature", "geometry": geometry, "properties": {}}]})


def test_the_epsg_urn_of_4326_is_latitude_first() -> None:
    geom, notes = only_geometry(_with_crs(URN_4326, {"type": "Point", "coordinates": [50.45, 30.52]}))
    assert (geom.x, geom.y) == (30.52, 50.45)
    assert any("axis order is latitude, longitude" in n for n in notes)


def test_the_epsg_urn_with_values_that_only_fit_lon_lat_is_read_lon_lat() -> None:
    geom, notes = only_geometry(_with_crs(URN_4326, {"type": "Point", "coordinates": [120.0, 10.0]}))
    assert (geom.x, geom.y) == (120.0, 10.0)
    assert any("only make sense as longitude, latitude" in n for n in notes)


def test_a_projected_crs_with_values_that_look_like_degrees_is_refused() -> None:
    with pytest.raises(InputError, match="declares EPSG:32636, a projected CRS in metres.*like degrees"):
        read_vector(_with_crs("EPSG:32636", polygon(square(30, 50, 31, 51))), filename="grid.geojson")


def test_web_mercator_coordinates_outside_its_valid_area_are_refused() -> None:
    with pytest.raises(InputError, match="outside the valid area of EPSG:3857"):
        read_vector(_with_crs("EPSG:3857", {"type": "Point", "coordinates": [1e9, 1e6]}), filename="far.geojson")


# ----------------------------------------------------------------------------- valid but unusual GeoJSON


def test_four_dimensional_positions_are_reduced_to_lon_lat() -> None:
    geom, notes = only_geometry(gj({"type": "LineString", "coordinates": [[30, 50, 100, 7], [31, 51, 90, 8]]}))
    assert list(geom.coords) == [(30.0, 50.0), (31.0, 51.0)]
    assert any("Dropped Z" in n for n in notes)


def test_a_deeply_nested_property_is_refused_cleanly() -> None:
    value = '{"a":' * 600 + "1" + "}" * 600
    content = ('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]}, "properties": {"deep": '
               + value + "}}").encode()
    with pytest.raises(InputError, match="property 'deep' is nested more than 32 levels deep"):
        read_vector(content, filename="deep.geojson")


def test_too_many_distinct_property_names_are_refused_before_building_a_table() -> None:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]}, "properties": {f"k{i}": i}}
             for i in range(501)]
    with pytest.raises(InputError, match="more than 500 distinct property names"):
        read_vector(gj({"type": "FeatureCollection", "features": feats}), filename="keys.geojson")


def test_holes_and_parts_are_limited_per_feature() -> None:
    holes = [square(30.1 + i * 0.08, 50.1, 30.15 + i * 0.08, 50.15)[::-1] for i in range(11)]
    content = gj(polygon(square(30, 50, 31, 51), *holes))
    assert len(read_vector(content, filename="h.geojson", limits=Limits(max_parts=12)).frame) == 1
    with pytest.raises(InputError, match="more than 11 parts and holes"):
        read_vector(content, filename="h.geojson", limits=Limits(max_parts=11))


def test_a_lone_surrogate_escape_becomes_a_replacement_character() -> None:
    content = (rb'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]}, '
               rb'"properties": {"n": "a\ud800b"}}')
    loaded = read_vector(content, filename="s.geojson")
    assert loaded.frame["n"].iloc[0] == "a\ufffdb"
    assert any("lone surrogates" in n for n in loaded.notes)


def test_parts_are_limited_over_the_whole_file() -> None:
    boxes = [polygon(square(30 + i * 0.01, 50, 30.005 + i * 0.01, 50.005)) for i in range(6)]
    feats = [{"type": "Feature", "properties": {}, "geometry": box} for box in boxes]
    content = gj({"type": "FeatureCollection", "features": feats})
    assert len(read_vector(content, filename="p.geojson", limits=Limits(max_total_parts=6)).frame) == 6
    with pytest.raises(InputError, match="more than 5 polygons, lines, points and holes in all"):
        read_vector(content, filename="p.geojson", limits=Limits(max_total_parts=5))


def test_an_edge_jumping_the_antimeridian_is_read_the_long_way_and_said_so() -> None:
    naive = polygon([[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]])
    geom, notes = only_geometry(gj(naive))
    assert geom.bounds == (-170.0, 0.0, 170.0, 10.0)  # 340° wide, as RFC 7946 reads it
    assert any("jumps more than 180° of longitude" in n and "split it at ±180°" in n for n in notes)
