"""Every point of a buffer's boundary lies within 0.1 % of the requested distance.

Measured independently of the engine: boundary samples against the densified source with
``pyproj.Geod`` (see ``_boundary.py``), and areas against closed forms and a second method.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import area_km2, buffer

from ._boundary import GEOD, boundary_samples, max_relative_error

TOLERANCE = 1e-3  # 0.1 %
AUTHALIC_RADIUS_KM = 6371.0072


@pytest.mark.parametrize("width_km", [0.5, 2, 10, 100, 120, 121, 500, 1000, 6000])
def test_long_line_across_44_to_60_degrees_north(long_line, width_km: float) -> None:
    result = buffer(long_line, width_km)
    assert result.is_valid and result.geom_type == "Polygon"
    assert len(result.interiors) == 0
    assert max_relative_error(result, long_line, width_km) < TOLERANCE


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [("Murmansk", 33.08, 68.97), ("Svalbard", 15.63, 78.22), ("Minsk", 27.56, 53.90), ("Kaliningrad", 20.51, 54.71)],
)
@pytest.mark.parametrize("width_km", [0.5, 50, 1000, 5500])
def test_rings_at_high_latitudes_and_around_the_pole(place: str, lon: float, lat: float, width_km: float) -> None:
    point = shapely.Point(lon, lat)
    ring = buffer(point, width_km)
    assert ring.is_valid and ring.geom_type == "Polygon"
    assert max_relative_error(ring, point, width_km) < TOLERANCE
    reaches_pole = GEOD.inv(lon, lat, 0.0, 90.0)[2] / 1000.0 < width_km
    assert ring.contains(shapely.Point(100.0, 89.99)) == reaches_pole


def _fine_ring_area_km2(lon: float, lat: float, width_km: float, n: int = 36_000) -> float:
    """Second method: a 36,000-vertex ring of Geod.fwd points, area from Geod directly."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, width_km * 1000.0))
    area, _ = GEOD.polygon_area_perimeter(lons[::-1], lats[::-1])  # counter-clockwise
    return abs(area) / 1e6


@pytest.mark.parametrize(("lon", "lat"), [(27.56, 53.90), (20.51, 54.71), (33.08, 68.97)])
@pytest.mark.parametrize("width_km", [5, 500, 2000, 5500])
def test_ring_area_matches_a_fine_geodesic_ring_and_the_spherical_cap(lon: float, lat: float, width_km: float) -> None:
    area = area_km2(buffer(shapely.Point(lon, lat), width_km))
    assert area == pytest.approx(_fine_ring_area_km2(lon, lat, width_km), rel=2e-4)
    cap = 2 * np.pi * AUTHALIC_RADIUS_KM**2 * (1 - np.cos(width_km / AUTHALIC_RADIUS_KM))
    assert area == pytest.approx(cap, rel=5e-3)  # the ellipsoid differs from the sphere


def test_ring_crossing_the_antimeridian_is_split_there() -> None:
    point = shapely.Point(178.0, 64.7)  # Anadyr
    ring = buffer(point, 500)
    assert ring.is_valid and ring.geom_type == "MultiPolygon"
    xmin, _, xmax, _ = ring.bounds
    assert xmin == pytest.approx(-180.0) and xmax == pytest.approx(180.0)
    assert area_km2(ring) == pytest.approx(_fine_ring_area_km2(178.0, 64.7, 500), rel=2e-4)
    assert max_relative_error(ring, point, 500) < TOLERANCE


@pytest.mark.parametrize("width_km", [2, 5])
def test_detailed_30000_vertex_line_keeps_the_accuracy(width_km: float) -> None:
    rng = np.random.default_rng(7)
    t = np.linspace(0.0, 1.0, 30_000)
    wiggle = np.cumsum(rng.normal(0.0, 0.0012, (30_000, 2)), axis=0)
    wiggle -= t[:, None] * wiggle[-1]
    line = shapely.LineString(np.column_stack([21.0 + 7.0 * t, 54.0 + 5.0 * t]) + wiggle)
    result = buffer(line, width_km)
    assert result.is_valid
    assert max_relative_error(result, line, width_km, n=800) < TOLERANCE


@pytest.mark.parametrize("width_km", [3, 300])
def test_polygon_grown_outside_keeps_the_accuracy(width_km: float) -> None:
    from geo import data

    kaliningrad = data.admin1().set_index("iso_3166_2").geometry["RU-KGD"]
    grown = buffer(kaliningrad, width_km, side="outside")
    assert grown.is_valid and grown.covers(kaliningrad)
    assert max_relative_error(grown, kaliningrad.boundary, width_km, n=800) < TOLERANCE


def test_the_accuracy_check_catches_a_buffer_in_degrees(long_line) -> None:
    naive = shapely.buffer(long_line, 100 / 111.32, quad_segs=32)  # 100 km "in degrees"
    assert max_relative_error(naive, long_line, 100) > 0.2


@pytest.mark.parametrize("width_km", [2.0, 150.0])
def test_every_vertex_of_a_band_along_the_real_nato_russia_border(width_km: float) -> None:
    """Not a sample: every boundary vertex (hole edges too), of a narrow band (local planes,
    where GEOS's input simplification once bulged) and a wide one (swept round hundreds of
    turns, where a gap between neighbouring pieces would leave a hole).
    """
    import datetime as dt

    from layers.buffer_zone import land_border

    from ._boundary import distances_to_source_km

    border, _, _ = land_border(dt.date(2025, 2, 12), include_belarus=True)
    result = buffer(border, width_km)
    vertices = np.vstack([np.asarray(r.coords)[:-1] for p in shapely.get_parts(result)
                          for r in (p.exterior, *p.interiors)])
    errors = distances_to_source_km(vertices, border, width_km) / width_km - 1.0
    assert np.abs(errors).max() < TOLERANCE


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30), width_km=st.floats(0.5, 120.0),
       lon=st.floats(-179.99, 179.99), lat=st.floats(-89.5, 89.5))
@settings(max_examples=25, derandomize=True, database=None, deadline=None)
def test_point_discs_are_exact_everywhere(seed, n, width_km, lon, lat) -> None:
    """Every boundary point (vertices and edge midpoints) of the buffer of a cluster of points, across
    the antimeridian and near the poles too, lies within 0.1 % of W from its nearest point.
    """
    rng = np.random.default_rng(seed)
    xy = np.c_[lon + rng.normal(size=n) * 0.5, np.clip(lat + rng.normal(size=n) * 0.3, -89.9, 89.9)]
    xy[:, 0] = (xy[:, 0] + 180.0) % 360.0 - 180.0
    band = buffer(shapely.MultiPoint(xy), width_km)
    assert band.is_valid and not band.is_empty
    samples = boundary_samples(band, 600)
    _, _, d = GEOD.inv(np.repeat(samples[:, 0], n), np.repeat(samples[:, 1], n), np.tile(xy[:, 0], len(samples)),
                       np.tile(xy[:, 1], len(samples)))
    nearest_km = np.asarray(d).reshape(len(samples), n).min(axis=1) / 1000.0
    assert np.abs(nearest_km / width_km - 1).max() < TOLERANCE
