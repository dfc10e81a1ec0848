"""Behaviour of geo.buffer: sides, validity, errors and geometric properties."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import InputError, ParameterError, area_km2, buffer, data


@pytest.fixture(scope="module")
def kaliningrad() -> shapely.Geometry:
    return data.admin1().set_index("iso_3166_2").geometry["RU-KGD"]


def test_left_and_right_partition_the_two_sided_band_minus_the_end_caps(long_line) -> None:
    width = 20.0
    left, right, both = (buffer(long_line, width, side=s) for s in ("left", "right", "both"))
    assert area_km2(shapely.intersection(left, right)) < 1e-6 * area_km2(both)
    caps = math.pi * width**2  # two half-discs beyond the ends
    assert area_km2(left) + area_km2(right) == pytest.approx(area_km2(both) - caps, rel=1e-3)


def test_left_is_on_the_left_of_the_direction_of_travel() -> None:
    northward = shapely.LineString([(24.0, 50.0), (24.0, 51.0)])
    left = buffer(northward, 10, side="left")
    assert left.contains(shapely.Point(23.95, 50.5)) and not left.contains(shapely.Point(24.05, 50.5))
    right = buffer(northward, 10, side="right")
    assert right.contains(shapely.Point(24.05, 50.5))


def test_one_sided_ends_are_flat() -> None:
    line = shapely.LineString([(24.0, 50.0), (24.0, 51.0)])
    left = buffer(line, 10, side="left")
    assert left.bounds[1] == pytest.approx(50.0, abs=1e-3) and left.bounds[3] == pytest.approx(51.0, abs=1e-3)


def test_polygon_outside_inside_and_band(kaliningrad) -> None:
    outside = buffer(kaliningrad, 10, side="outside")
    inside = buffer(kaliningrad, 10, side="inside")
    band = buffer(kaliningrad, 10, side="both")
    assert outside.covers(kaliningrad) and kaliningrad.buffer(1e-9).covers(inside)
    assert area_km2(inside) < area_km2(kaliningrad) < area_km2(outside)
    # the band is what outside adds plus what inside removes
    assert area_km2(band) == pytest.approx(area_km2(outside) - area_km2(inside), rel=2e-3)


def test_inside_buffer_wider_than_the_polygon_is_empty() -> None:
    small = shapely.box(24.0, 50.0, 24.1, 50.1)
    assert buffer(small, 50, side="inside").is_empty


def test_straight_line_band_has_no_holes_and_one_part(long_line) -> None:
    for width in (0.5, 30, 300):
        band = buffer(long_line, width)
        assert band.geom_type == "Polygon" and not band.interiors


def test_collections_and_multi_geometries_are_buffered_as_a_whole() -> None:
    geom = shapely.GeometryCollection([shapely.Point(24, 50), shapely.LineString([(26, 50), (27, 50)])])
    result = buffer(geom, 5)
    assert result.geom_type == "MultiPolygon" and len(result.geoms) == 2


@pytest.mark.parametrize("width", [0, -1, float("nan"), float("inf"), 10_001, "ten"])
def test_bad_widths_are_refused_with_a_clear_message(width) -> None:
    with pytest.raises(ParameterError, match="width_km must"):
        buffer(shapely.Point(24, 50), width)


def test_side_that_does_not_fit_the_geometry_is_refused(kaliningrad) -> None:
    with pytest.raises(ParameterError, match="needs a line"):
        buffer(kaliningrad, 5, side="left")
    with pytest.raises(ParameterError, match="needs a polygon"):
        buffer(shapely.Point(24, 50), 5, side="inside")
    with pytest.raises(ParameterError, match="side must be one of"):
        buffer(shapely.Point(24, 50), 5, side="north")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("wkt", "message"),
    [
        ("POLYGON EMPTY", "empty"),
        ("POINT (3000000 6500000)", "lon/lat degrees"),
        ("LINESTRING (24 50, NaN 51)", "NaN"),
        (None, "shapely geometry"),
    ],
)
def test_bad_geometries_are_refused_with_a_clear_message(wkt, message: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GEOS warns when it reads the NaN
        geom = shapely.from_wkt(wkt) if wkt else "POINT (24 50)"
    with pytest.raises(InputError, match=message):
        buffer(geom, 5)


def test_self_intersecting_polygon_is_repaired_before_buffering() -> None:
    bowtie = shapely.Polygon([(24, 50), (25, 51), (25, 50), (24, 51)])
    assert not bowtie.is_valid
    result = buffer(bowtie, 5, side="outside")
    assert result.is_valid and result.covers(shapely.make_valid(bowtie))


europe_lon = st.floats(min_value=-10.0, max_value=45.0)
europe_lat = st.floats(min_value=36.0, max_value=70.0)
widths = st.floats(min_value=0.5, max_value=2500.0)


@st.composite
def gentle_lines(draw) -> shapely.LineString:
    lon, lat = draw(europe_lon), draw(europe_lat)
    steps = draw(st.lists(st.tuples(st.floats(-1.5, 1.5), st.floats(-1.0, 1.0)), min_size=1, max_size=4))
    coords = [(lon, lat)]
    for dx, dy in steps:
        coords.append((coords[-1][0] + dx, float(np.clip(coords[-1][1] + dy, -80, 80))))
    line = shapely.LineString(coords)
    return line if line.length > 0.05 else shapely.LineString([(lon, lat), (lon + 0.5, lat)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=gentle_lines(), width=widths)
def test_buffer_contains_its_source(line, width) -> None:
    result = buffer(line, width)
    assert result.is_valid
    assert result.buffer(1e-9).covers(line)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=gentle_lines(), w1=widths, w2=widths)
def test_wider_buffers_contain_narrower_ones(line, w1, w2) -> None:
    small, large = sorted((w1, w2))
    inner, outer = buffer(line, small), buffer(line, large)
    assert area_km2(inner) <= area_km2(outer) * (1 + 1e-6)
    assert area_km2(shapely.difference(inner, outer)) <= 2e-3 * area_km2(inner)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lon=europe_lon, lat=europe_lat, width=st.floats(min_value=0.5, max_value=100.0))
def test_left_plus_right_equals_both_minus_caps_on_straight_lines(lon, lat, width) -> None:
    line = shapely.LineString([(lon, lat), (lon + 2.0, lat + 1.0)])
    left, right, both = (buffer(line, width, side=s) for s in ("left", "right", "both"))
    caps = math.pi * width**2
    assert area_km2(left) + area_km2(right) == pytest.approx(area_km2(both) - caps, rel=2e-3)


@settings(max_examples=30, deadline=None)
@given(
    coords=st.lists(st.tuples(europe_lon, europe_lat), min_size=3, max_size=8),
)
def test_area_is_never_negative_whatever_the_ring_orientation(coords) -> None:
    poly = shapely.Polygon(coords)
    for ring in (poly, shapely.Polygon(list(reversed(coords)))):
        assert area_km2(ring) >= 0
        assert area_km2(shapely.make_valid(ring)) >= 0
