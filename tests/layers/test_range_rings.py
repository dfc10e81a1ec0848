"""range-rings: ring areas against the spherical-cap formula and a dense Geod.fwd ring, the
capitals within reach against pyproj distances, the INF band, custom sites and the polar ring.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from ._helpers import GEOD, PLACES, by_id, distance_km, geodesic_circle_km2, point

NAME = "range-rings"
#: Authalic radius of the WGS84 ellipsoid, km (the sphere of equal area).
R_AUTHALIC = 6371.0072
SITE = PLACES["Chernyakhovsk"]


def spherical_cap_km2(radius_km: float) -> float:
    return 2 * math.pi * R_AUTHALIC**2 * (1 - math.cos(radius_km / R_AUTHALIC))


@pytest.fixture(scope="module")
def inf(build):
    """The default: Chernyakhovsk, rings at 500 and 5,500 km and the band between."""
    return by_id(build(NAME))


@pytest.mark.parametrize("radius", [500, 5500])
def test_ring_areas_against_the_cap_formula_and_a_dense_geodesic_ring(inf, radius) -> None:
    ring = inf[f"{radius}km"]
    assert ring.attributes["range_km"] == radius
    area = ring.figures.area_km2
    assert area == pytest.approx(spherical_cap_km2(radius), rel=5e-3)
    assert area == pytest.approx(geodesic_circle_km2(*SITE, radius), rel=2e-4)


def test_capitals_within_500_km_of_chernyakhovsk(inf) -> None:
    near, far = ("Vilnius", "Riga", "Warsaw", "Minsk"), ("Berlin", "Tallinn", "Kyiv")
    assert all(distance_km(SITE, PLACES[c]) < 480 for c in near)  # Minsk is the farthest, ≈ 440 km
    assert all(distance_km(SITE, PLACES[c]) > 520 for c in far)   # Berlin ≈ 580 km
    ring = inf["500km"]
    for city in near:
        assert ring.geometry.contains(point(city)) and city in ring.attributes["capitals_within"], city
    for city in far:
        assert not ring.geometry.contains(point(city)) and city not in ring.attributes["capitals_within"], city


def test_ring_edge_is_at_the_range(inf) -> None:
    # points 0.5 % inside and outside the range, every 10° of azimuth, from pyproj
    az = np.arange(0, 360, 10.0)
    for factor, expected in ((0.995, True), (1.005, False)):
        lons, lats, _ = GEOD.fwd(np.full(az.size, SITE[0]), np.full(az.size, SITE[1]), az,
                                 np.full(az.size, 500e3 * factor))
        inside = [inf["500km"].geometry.contains(shapely.Point(x, y)) for x, y in zip(lons, lats, strict=True)]
        assert inside == [expected] * az.size, factor


def test_inf_band_is_the_outer_ring_minus_the_inner(inf) -> None:
    band = inf["500-5500km"]
    assert band.role == "band"
    assert band.figures.area_km2 == pytest.approx(
        inf["5500km"].figures.area_km2 - inf["500km"].figures.area_km2, rel=1e-3)
    assert not band.geometry.contains(point("Vilnius"))


def test_5500_km_ring_covers_the_north_pole(inf) -> None:
    assert distance_km(SITE, (0.0, 90.0)) < 5500  # ≈ 3,930 km
    ring = inf["5500km"].geometry
    assert ring.is_valid and ring.covers(shapely.Point(0.0, 90.0))
    assert ring.contains(shapely.Point(120.0, 89.9)) and ring.contains(shapely.Point(-120.0, 89.9))


def test_custom_site_and_range(build) -> None:
    lon, lat, radius = 10.0, 50.0, 1000.0
    parts = by_id(build(NAME, site="custom", lon=lon, lat=lat, preset="custom", range_km=radius))
    rings = [f for f in parts.values() if f.role == "ring"]
    assert len(rings) == 1 and rings[0].attributes["range_km"] == radius
    assert rings[0].figures.area_km2 == pytest.approx(geodesic_circle_km2(lon, lat, radius), rel=2e-4)
    site = parts["site"].geometry
    assert (site.x, site.y) == (lon, lat)
    assert "Berlin" in rings[0].attributes["capitals_within"]  # ≈ 500 km from 10°E 50°N
    assert distance_km((lon, lat), PLACES["Berlin"]) < 1000


def test_presets_choose_the_ranges(build) -> None:
    iskander = build(NAME, site="belarus", preset="iskander")
    assert [f.attributes["range_km"] for f in iskander.features if f.role == "ring"] == [500.0]
    assert "Minsk" in by_id(iskander)["500km"].attributes["capitals_within"]  # Asipovichy is ≈ 100 km from Minsk
