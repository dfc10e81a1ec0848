"""custom: a user's point, line or polygon buffered and measured, checked against a dense
geodesic circle and the parallel-body (Steiner) formula, and bad input refused clearly.
"""

from __future__ import annotations

import json
import math

import pytest
import shapely

from geo import InputError, ParameterError

from ._helpers import PLACES, by_id, geodesic_area_km2, geodesic_circle_km2, geodesic_length_km, point

NAME = "custom"
#: A lon/lat box south-east of Kyiv, ≈ 71 × 111 km.
BOX = shapely.box(31.0, 49.0, 32.0, 50.0)


def geojson_text(geom: shapely.Geometry) -> str:
    return json.dumps(shapely.geometry.mapping(geom))


def test_point_buffer_is_the_geodesic_circle(build) -> None:
    lon, lat = PLACES["Kyiv"]
    parts = by_id(build(NAME, geometry=geojson_text(shapely.Point(lon, lat)), width_km=100))
    buffer = parts["buffer"]
    assert buffer.attributes["side"] == "both"  # auto: both for points
    assert buffer.figures.area_km2 == pytest.approx(geodesic_circle_km2(lon, lat, 100), rel=1e-3)
    assert buffer.geometry.contains(point("Kyiv"))
    assert parts["source"].figures.area_km2 is None and parts["source"].geometry.geom_type == "Point"


@pytest.mark.parametrize("side", ["outside", "inside"])
def test_polygon_buffer_outside_and_inside(build, side) -> None:
    width = 10.0
    parts = by_id(build(NAME, geometry=geojson_text(BOX), width_km=width, side=side, label="Test box"))
    area = geodesic_area_km2(BOX)
    p = geodesic_length_km(BOX.exterior)
    zone = parts["buffer"]
    assert parts["source"].figures.area_km2 == pytest.approx(area, rel=1e-3)
    assert zone.name.startswith("Test box") and parts["source"].name == "Test box"
    if side == "outside":
        # parallel body of a convex figure: A + P·W + π·W² (Steiner)
        assert zone.figures.area_km2 == pytest.approx(area + p * width + math.pi * width**2, rel=5e-3)
        assert zone.geometry.covers(BOX)
    else:
        # inner parallel body of a near-rectangle: A − P·W + 4·W²
        assert zone.figures.area_km2 == pytest.approx(area - p * width + 4 * width**2, rel=5e-3)
        assert BOX.buffer(1e-9).covers(zone.geometry)


def test_polygon_defaults_to_outside(build) -> None:
    zone = by_id(build(NAME, geometry=geojson_text(BOX)))["buffer"]
    assert zone.attributes["side"] == "outside" and zone.attributes["width_km"] == 50.0


@pytest.mark.parametrize("text", [
    '{"type": "Point", "coordinates": [30.5',          # truncated JSON
    '{"type": "Polygon", "coordinates": "nowhere"}',   # not coordinates
    '{"type": "Feature", "geometry": null, "properties": {}}',
    "[1, 2, 3]",
    "/no/such/file.geojson",
])
def test_bad_geometry_text_is_refused_clearly(text) -> None:
    import layers

    with pytest.raises((InputError, ParameterError)) as caught:
        layers.build(NAME, {"geometry": text})
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 300


def test_empty_geometry_is_refused_naming_the_parameter() -> None:
    import layers

    with pytest.raises(ParameterError, match="'geometry'"):
        layers.build(NAME, {"geometry": "  "})


def test_a_collection_of_a_polygon_and_a_point_grows_the_polygon_and_rings_the_point(build) -> None:
    """Before: any collection was buffered as a band on both sides (the polygon's inside lost)
    and its source area was 0. Reference: Steiner's outer parallel body of the box plus a
    separate geodesic disc round the far-away point.
    """
    width = 10.0
    lon, lat = PLACES["Kharkiv"]
    mixed = shapely.GeometryCollection([BOX, shapely.Point(lon, lat)])
    parts = by_id(build(NAME, geometry=geojson_text(mixed), width_km=width))
    area, p = geodesic_area_km2(BOX), geodesic_length_km(BOX.exterior)
    expected = area + p * width + math.pi * width**2 + geodesic_circle_km2(lon, lat, width)
    # the collection's members are measured each by its own rule (the reader splits it), and together
    assert [parts[k].attributes["side"] for k in ("buffer-1", "buffer-2")] == ["outside", "both"]
    assert parts["buffer-all"].figures.area_km2 == pytest.approx(expected, rel=5e-3)
    assert parts["buffer-2"].figures.area_km2 == pytest.approx(geodesic_circle_km2(lon, lat, width), rel=5e-3)
    assert parts["buffer-all"].geometry.covers(BOX)
    assert parts["source-1"].figures.area_km2 == pytest.approx(area, rel=1e-3)


@pytest.mark.parametrize("edges", ["straight", "geodesic"])
def test_declared_edges_give_the_area_of_that_reading(build, edges) -> None:
    """A 4° × 1° box at 60°N drawn with four clicks: straight edges follow the parallels (Geod
    area of the ring densified along them here); geodesic edges are Geod's own reading of the
    four vertices. Buffer (width 0) aside, the source's km² follows the declaration.
    """
    import numpy as np
    from pyproj import Geod

    box = shapely.Polygon([(20, 59), (24, 59), (24, 60), (20, 60)])
    xy = np.asarray(box.exterior.coords)
    if edges == "straight":
        xy = np.vstack([np.column_stack([np.linspace(x0, x1, 4000, endpoint=False),
                                         np.linspace(y0, y1, 4000, endpoint=False)])
                        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:], strict=True)])
    expected = abs(Geod(ellps="WGS84").polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]) / 1e6
    parts = by_id(build(NAME, geometry=geojson_text(box), width_km=0, edges=edges))
    assert parts["source"].figures.area_km2 == pytest.approx(expected, rel=1e-5)


def test_a_line_and_a_polygon_drawn_together_get_a_figure_each(build) -> None:
    """A line plus a polygon gave one merged figure (issue 16); now each shape has its own.

    Checked against the Steiner formulas (line: 2·W·L + π·W²; convex polygon: A + P·W + π·W²);
    the buffer of both together, disjoint here, is their sum (pyproj on the union).
    """
    width = 20.0
    line = shapely.LineString([(24.0, 56.0), (25.0, 56.0)])  # ≈ 62 km along a parallel in Latvia
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shapely.geometry.mapping(line), "properties": {}},
        {"type": "Feature", "geometry": shapely.geometry.mapping(BOX), "properties": {"name": "Box"}},
    ]}
    parts = by_id(build(NAME, geometry=json.dumps(collection), width_km=width, edges="geodesic"))
    assert set(parts) == {"buffer-1", "source-1", "buffer-2", "source-2", "buffer-all"}
    length = geodesic_length_km(line)
    assert parts["source-1"].figures.length_km == pytest.approx(length, rel=1e-3)
    assert parts["buffer-1"].figures.area_km2 == pytest.approx(2 * width * length + math.pi * width**2,
                                                                     rel=5e-3)
    area, perimeter = geodesic_area_km2(BOX), geodesic_length_km(BOX.exterior)
    assert parts["source-2"].figures.area_km2 == pytest.approx(area, rel=1e-3)
    assert parts["source-2"].name.endswith("Box")  # the file's own name kept
    assert parts["buffer-2"].figures.area_km2 == pytest.approx(area + perimeter * width + math.pi * width**2,
                                                                     rel=5e-3)
    together = parts["buffer-all"]
    assert together.figures.area_km2 == pytest.approx(geodesic_area_km2(together.geometry), rel=1e-3)
    assert together.figures.area_km2 == pytest.approx(
        parts["buffer-1"].figures.area_km2 + parts["buffer-2"].figures.area_km2, rel=1e-3)


def test_overlapping_shapes_together_count_shared_land_once(build) -> None:
    """Two boxes sharing half their width: together less than the sum, as pyproj measures the union."""
    boxes = [shapely.box(31.0, 49.0, 32.0, 50.0), shapely.box(31.5, 49.0, 32.5, 50.0)]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shapely.geometry.mapping(b), "properties": {}} for b in boxes]}
    result = build(NAME, geometry=json.dumps(collection), width_km=0.0)
    parts = by_id(result)
    assert set(parts) == {"source-1", "source-2"}  # no buffer, no total
    assert [h.area_km2 for h in result.headlines] == pytest.approx([geodesic_area_km2(b) for b in boxes], rel=1e-3)
    with_buffer = by_id(build(NAME, geometry=json.dumps(collection), width_km=5.0))
    union = shapely.union_all([with_buffer["buffer-1"].geometry, with_buffer["buffer-2"].geometry])
    assert with_buffer["buffer-all"].figures.area_km2 == pytest.approx(geodesic_area_km2(union), rel=1e-3)
    assert with_buffer["buffer-all"].figures.area_km2 < 0.8 * (
        with_buffer["buffer-1"].figures.area_km2 + with_buffer["buffer-2"].figures.area_km2)
