"""Buffers of whole-globe, polar, very wide, antimeridian and antipodal shapes (issue 18).

References are closed forms on the WGS84 ellipsoid, computed here without pyproj: the area
between the equator and a parallel from the authalic-latitude formula, and the meridian arc
by numerical quadrature. A buffer of a parallel (or of a polygon bounded by parallels) is
bounded by parallels, since meridians are geodesics that cross every parallel at right
angles: its area is a zone's. Where no closed form exists, a second method is used: the
same shape moved away from the antimeridian (areas do not depend on longitude), or the sum of
disjoint parts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import area_km2, length_km
from geo.buffering import buffer

A_KM = 6378.137
F = 1 / 298.257223563
B_KM = A_KM * (1 - F)
E2 = F * (2 - F)
E = math.sqrt(E2)


def _zone_to(lat_deg: float) -> float:
    """Ellipsoid area between the equator and a parallel (signed), all longitudes, km²."""
    s = math.sin(math.radians(lat_deg))
    return 2 * math.pi * B_KM**2 * (s / (2 * (1 - E2 * s**2)) + math.log((1 + E * s) / (1 - E * s)) / (4 * E))


def _zone(lat0: float, lat1: float) -> float:
    return _zone_to(min(lat1, 90.0)) - _zone_to(max(lat0, -90.0))


WORLD_KM2 = 2 * _zone_to(90.0)

_PHI = np.linspace(-math.pi / 2, math.pi / 2, 400_001)
_M = A_KM * (1 - E2) / (1 - E2 * np.sin(_PHI) ** 2) ** 1.5
_ARC = np.concatenate([[0.0], np.cumsum((_M[1:] + _M[:-1]) / 2 * np.diff(_PHI))])
_ARC -= np.interp(0.0, _PHI, _ARC)  # meridian arc from the equator, km (signed)


def _lat_at(lat_deg: float, north_km: float) -> float:
    """Latitude reached ``north_km`` along the meridian from ``lat_deg`` (negative: south)."""
    arc = np.interp(math.radians(lat_deg), _PHI, _ARC) + north_km
    return math.degrees(float(np.interp(arc, _ARC, _PHI)))


def _parallel(lat: float, step: float = 0.5) -> shapely.LineString:
    lons = np.arange(-180.0, 180.0 + step / 2, step)
    return shapely.LineString(np.column_stack([lons, np.full(len(lons), lat)]))


WORLD = shapely.box(-180, -90, 180, 90)


def test_the_whole_world_grown_is_the_whole_world_and_has_no_boundary_band() -> None:
    assert area_km2(buffer(WORLD, 10, side="outside")) == pytest.approx(WORLD_KM2, rel=1e-9)
    assert buffer(WORLD, 10, side="both").is_empty  # no boundary on the sphere
    assert area_km2(buffer(WORLD, 10, side="inside")) == pytest.approx(WORLD_KM2, rel=1e-9)


def test_a_world_with_a_hole_loses_the_hole_minus_its_inner_band() -> None:
    hole = shapely.segmentize(shapely.box(0, 40, 10, 50), 0.01)  # edges straight in lon/lat, as measured
    world = shapely.Polygon(WORLD.exterior.coords, [hole.exterior.coords])
    grown = area_km2(buffer(world, 10, side="outside"))
    # the hole shrunk by 10 km: the planar inner offset of a square, P·W − 4W², on its geodesic perimeter
    band = length_km(hole.exterior) * 10 - 4 * 10**2
    expected = WORLD_KM2 - area_km2(hole) + band
    assert grown == pytest.approx(expected, abs=0.01 * band)
    assert 0 < grown < WORLD_KM2


@pytest.mark.parametrize(("lat", "w"), [(80.0, 10.0), (60.0, 150.0), (0.0, 500.0)])
def test_a_polar_cap_grown_shrunk_and_banded_is_a_zone(lat: float, w: float) -> None:
    cap = shapely.box(-180, lat, 180, 90)
    south, north = _lat_at(lat, -w), _lat_at(lat, w)
    band = _zone(south, north)
    assert area_km2(buffer(cap, w, side="outside")) == pytest.approx(_zone(south, 90), abs=2e-3 * band)
    assert area_km2(buffer(cap, w, side="inside")) == pytest.approx(_zone(north, 90), abs=2e-3 * band)
    assert area_km2(buffer(cap, w, side="both")) == pytest.approx(band, rel=2e-3)


def test_a_line_along_the_equator_buffered_by_9000_km_is_a_zone() -> None:
    lat = _lat_at(0.0, 9000.0)
    assert lat == pytest.approx(81.03, abs=0.01)
    expected = _zone(-lat, lat)
    assert expected == pytest.approx(503.77e6, rel=1e-4)
    line = shapely.LineString([(-180, 0), (180, 0)])  # straight in lon/lat: the whole equator
    assert area_km2(buffer(line, 9000)) == pytest.approx(expected, rel=1e-3)


def test_two_antipodal_points_give_two_discs() -> None:
    # at the poles a geodesic disc is a cap bounded by a parallel
    cap = _zone(_lat_at(90.0, -5000.0), 90.0)
    poles = buffer(shapely.MultiPoint([(0, 90), (0, -90)]), 5000)
    assert len(shapely.get_parts(poles)) >= 2
    assert area_km2(poles) == pytest.approx(2 * cap, rel=1e-3)
    assert 2 * cap == pytest.approx(149.15e6, rel=1e-3)
    # on the equator: disjoint discs, so the sum of each point's own disc
    a, b = (30.0, 10.0), (-150.0, -10.0)
    pair = area_km2(buffer(shapely.MultiPoint([a, b]), 5000))
    assert pair == pytest.approx(area_km2(buffer(shapely.Point(a), 5000)) + area_km2(buffer(shapely.Point(b), 5000)),
                                 rel=1e-4)
    assert pair == pytest.approx(2 * cap, rel=5e-3)


def test_a_polygon_across_the_antimeridian_is_buffered_like_the_same_polygon_elsewhere() -> None:
    split = shapely.MultiPolygon([shapely.box(170, -10, 180, 10), shapely.box(-180, -10, -170, 10)])
    same = shapely.box(-10, -10, 10, 10)
    for side in ("outside", "inside", "both"):
        assert area_km2(buffer(split, 25, side=side)) == pytest.approx(area_km2(buffer(same, 25, side=side)),
                                                                        rel=1e-4), side


def test_a_polygon_crossing_the_antimeridian_naively_keeps_its_straight_reading() -> None:
    # straight in lon/lat (RFC 7946), the edge 170 → -170 goes the long way: the polygon is 340° wide
    naive = shapely.Polygon([(170, -10), (-170, -10), (-170, 10), (170, 10)])
    area = area_km2(naive)
    assert area == pytest.approx(_zone(-10, 10) * 340 / 360, rel=1e-5)
    w = 50.0
    grown = area_km2(buffer(naive, w, side="outside"))
    # Steiner's bound: area + perimeter · W + π W² (two 340° parallels at 10° and two 20° meridians)
    assert area < grown < area + w * (2 * 340 * 111.32 * math.cos(math.radians(10)) + 2 * 2215) + math.pi * w**2


def test_a_box_359_9_degrees_wide_grown_closes_its_gap_into_a_zone() -> None:
    box = shapely.box(-179.95, 0, 179.95, 10)
    zone = _zone(_lat_at(0, -10), _lat_at(10, 10))
    assert area_km2(buffer(box, 10, side="outside")) == pytest.approx(zone, abs=500)


@given(lat=st.floats(-85, 85), width=st.sampled_from([20.0, 300.0, 1500.0]))
@settings(max_examples=4, derandomize=True, database=None, deadline=None)
def test_a_parallel_buffered_is_the_zone_between_two_parallels(lat: float, width: float) -> None:
    south, north = _lat_at(lat, -width), _lat_at(lat, width)
    if north >= 90 or south <= -90:
        return  # the band covers a pole: another class, tested above
    got = area_km2(buffer(_parallel(lat), width))
    assert got == pytest.approx(_zone(south, north), rel=2e-3)


@given(lon0=st.floats(-180, -100), span=st.floats(181, 359), lat0=st.floats(-80, 50), height=st.floats(1, 30),
       width=st.sampled_from([40.0, 250.0]))
@settings(max_examples=3, derandomize=True, database=None, deadline=None)
def test_a_wide_box_grown_is_never_smaller_and_shrunk_never_larger(lon0, span, lat0, height, width) -> None:
    box = shapely.box(lon0, lat0, min(lon0 + span, 180.0), lat0 + height)
    area = area_km2(box)
    grown = area_km2(buffer(box, width, side="outside"))
    shrunk = area_km2(buffer(box, width, side="inside"))
    assert 0 < area < grown
    assert 0 <= shrunk < area
