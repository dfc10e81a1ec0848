"""Geodesic areas, lengths and distances against closed forms on the WGS84 ellipsoid."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import area_km2, distance_km, length_km

A_KM = 6378.137
F = 1 / 298.257223563
B_KM = A_KM * (1 - F)
E = math.sqrt(F * (2 - F))


def _zone_area_equator_to(lat_deg: float) -> float:
    """Closed-form ellipsoid area between the equator and a parallel, all longitudes, km²."""
    s = math.sin(math.radians(lat_deg))
    return 2 * math.pi * B_KM**2 * (s / (2 * (1 - E**2 * s**2)) + math.log((1 + E * s) / (1 - E * s)) / (4 * E))


def _cap_polygon(lat: float, step: float = 0.05) -> shapely.Polygon:
    """RFC 7946 polygon of everything north of a parallel (closed along the pole)."""
    lons = np.arange(-180.0, 180.0 + step / 2, step)
    ring = [(x, lat) for x in lons] + [(180.0, 90.0), (-180.0, 90.0)]
    return shapely.Polygon(ring)


@pytest.mark.parametrize("lat", [60.0, 75.0, 85.0])
def test_area_of_a_polygon_containing_the_north_pole_is_exact(lat: float) -> None:
    expected = _zone_area_equator_to(90.0) - _zone_area_equator_to(lat)
    assert area_km2(_cap_polygon(lat)) == pytest.approx(expected, rel=1e-5)


def test_whole_ellipsoid_area_from_two_hemispheres() -> None:
    expected_total = 510_065_621.7  # WGS84 surface area, km²
    assert 2 * _zone_area_equator_to(90.0) == pytest.approx(expected_total, rel=1e-9)


def test_area_does_not_depend_on_ring_orientation() -> None:
    box = shapely.box(24.0, 48.0, 26.0, 50.0)
    assert area_km2(box) == pytest.approx(area_km2(shapely.Polygon(list(box.exterior.coords)[::-1])))
    holed = box.difference(shapely.box(24.5, 48.5, 25.5, 49.5))
    assert 0 < area_km2(holed) < area_km2(box)


def test_area_of_empty_points_and_lines_is_zero() -> None:
    assert area_km2(None) == 0.0
    assert area_km2(shapely.Polygon()) == 0.0
    assert area_km2(shapely.LineString([(0, 0), (1, 1)])) == 0.0


def test_known_lengths_and_distances() -> None:
    assert (length_km(shapely.LineString([(0, 0), (0, 90)]))
            == pytest.approx(10_001.965729, abs=1e-5))  # meridian quadrant
    assert float(distance_km(0, 0, 1, 0)) == pytest.approx(A_KM * math.pi / 180, rel=1e-12)  # 1° of equator
    # a second method: the haversine formula on the mean-radius sphere agrees within 0.5 %
    lon1, lat1, lon2, lat2 = map(math.radians, (30.5238, 50.45466, 36.25272, 49.98081))  # Kyiv, Kharkiv
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    haversine = 2 * 6371.0088 * math.asin(math.sqrt(h))
    assert float(distance_km(30.5238, 50.45466, 36.25272, 49.98081)) == pytest.approx(haversine, rel=5e-3)


# ------------------------------------------------------------------- whole-globe, polar and very wide polygons
# Before: the whole world measured 0 km² (a world with a hole, -911,720), a cap north of 80°N
# written as a four-corner box 0, a box 359.9° wide 11,886 km². Edges of such boxes are straight
# lon/lat lines (RFC 7946), so the reference is the closed-form zone times the longitude share.

WHOLE_GLOBE_KM2 = 2 * _zone_area_equator_to(90.0)


def _band(lon0: float, lon1: float, lat0: float, lat1: float) -> float:
    """Closed-form area of a lon/lat box with straight edges (a zone share), km²."""
    def signed(lat: float) -> float:
        return math.copysign(_zone_area_equator_to(abs(lat)), lat)
    return (signed(lat1) - signed(lat0)) * (lon1 - lon0) / 360.0


@pytest.mark.parametrize(("box", "label"), [
    ((-180, -90, 180, 90), "whole globe"),
    ((-180, 0, 180, 90), "northern hemisphere"),
    ((-180, 80, 180, 90), "cap north of 80°N, four corners"),
    ((-180, -90, 180, -60), "cap south of 60°S"),
    ((-100, 0, 100, 10), "band 200° wide"),
    ((-179.95, 0, 179.95, 10), "band 359.9° wide"),
    ((-180, -45, 180, 45), "tropics and beyond"),
])
def test_large_polygons_are_measured_as_straight_lon_lat_boxes(box, label) -> None:
    expected = _band(box[0], box[2], box[1], box[3])
    assert area_km2(shapely.box(*box)) == pytest.approx(expected, rel=1e-5), label


def test_the_whole_globe_minus_a_hole() -> None:
    world = shapely.Polygon([(-180, -90), (180, -90), (180, 90), (-180, 90)], [[(0, 0), (10, 0), (10, 10), (0, 10)]])
    assert area_km2(world) == pytest.approx(WHOLE_GLOBE_KM2 - _band(0, 10, 0, 10), rel=1e-6)


@given(lon0=st.floats(-180, -150), width=st.floats(180, 330), lat0=st.floats(-89, 60), height=st.floats(1, 29))
@settings(max_examples=40, derandomize=True, database=None, deadline=None)
def test_a_large_box_is_the_sum_of_its_halves_and_never_negative(lon0, width, lat0, height) -> None:
    """Independent of the reference formula: area is additive under a cut, and positive."""
    box = shapely.box(lon0, lat0, lon0 + width, lat0 + height)
    mid = lon0 + width / 2
    left, right = shapely.box(lon0, lat0, mid, lat0 + height), shapely.box(mid, lat0, lon0 + width, lat0 + height)
    whole = area_km2(box)
    assert whole > 0
    assert whole == pytest.approx(_band(lon0, lon0 + width, lat0, lat0 + height), rel=1e-5)
    # halves of at least 90° each, cut where the cells are not
    assert whole == pytest.approx(area_km2(left) + area_km2(right), rel=1e-6)
