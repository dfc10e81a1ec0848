"""geo.compare: A only, B only and both, against independent references.

References: pyproj's own geodesic polygon area (not geo.geodesy) for inclusion–exclusion,
and the analytic area of the lens where two equal discs overlap,
``2 r² acos(d / 2r) − (d / 2) √(4r² − d²)`` (planar; for 10 km discs the ellipsoid's
curvature changes it by less than 1e-5).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import InputError, measure
from geo.compare import PARTS, compare

_GEOD = Geod(ellps="WGS84")


def _pyproj_km2(geom: shapely.Geometry) -> float:
    parts = getattr(geom, "geoms", [geom])
    return sum(abs(_GEOD.geometry_area_perimeter(shapely.orient_polygons(p))[0]) for p in parts) / 1e6


def _disc(lon: float, lat: float, radius_km: float, n: int = 1440) -> shapely.Polygon:
    """A geodesic circle drawn with pyproj: points at ``radius_km`` from the centre."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1000.0))
    return shapely.Polygon(zip(lons, lats, strict=True))


def _lens_km2(r: float, d: float) -> float:
    return 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)


@pytest.mark.parametrize("d_km", [2.0, 10.0, 17.0])
def test_overlap_of_two_discs_is_the_analytic_lens(d_km: float) -> None:
    r = 10.0
    a = _disc(31.0, 49.0, r)
    # centre of B at d_km due east of A's centre (geodesic)
    lon_b, lat_b, _ = _GEOD.fwd(31.0, 49.0, 90.0, d_km * 1000.0)
    b = _disc(lon_b, lat_b, r)
    c = compare(a, b)
    lens = _lens_km2(r, d_km)
    disc = math.pi * r * r
    assert c.both_figures.area_km2 == pytest.approx(lens, rel=2e-3)
    assert c.a_only_figures.area_km2 == pytest.approx(disc - lens, rel=2e-3)
    assert c.b_only_figures.area_km2 == pytest.approx(disc - lens, rel=2e-3)


def test_parts_obey_inclusion_exclusion_with_pyproj_areas() -> None:
    """Long (6°) edges are straight lon/lat lines (RFC 7946): the reference follows them in 0.01° steps."""
    a = shapely.Polygon([(30.0, 48.0), (36.0, 48.5), (35.0, 52.0), (29.0, 51.0)])
    b = shapely.Polygon([(33.0, 46.0), (39.0, 47.0), (38.0, 50.5), (32.5, 50.0)])
    c = compare(a, b)
    fine_a, fine_b = shapely.segmentize(a, 0.01), shapely.segmentize(b, 0.01)
    a_only, b_only, both = (c.figures(p).area_km2 for p in PARTS)
    assert a_only + b_only + both == pytest.approx(_pyproj_km2(shapely.union(fine_a, fine_b)), rel=1e-4)
    assert a_only + both == pytest.approx(_pyproj_km2(fine_a), rel=1e-4)
    assert b_only + both == pytest.approx(_pyproj_km2(fine_b), rel=1e-4)
    assert both == pytest.approx(_pyproj_km2(shapely.intersection(fine_a, fine_b)), rel=1e-4)


def test_people_of_the_parts_add_up_to_each_area_measured_whole() -> None:
    """Second method: A measured in one piece equals A only + both (the model counts towns once)."""
    a = shapely.box(30.0, 49.5, 31.5, 51.0)  # Kyiv and its oblast
    b = shapely.box(31.0, 49.0, 33.0, 50.5)
    c = compare(a, b)
    whole_a, whole_b = measure(a, breakdown=False).population, measure(b, breakdown=False).population
    assert whole_a and whole_b
    assert c.a_only_figures.population + c.both_figures.population == pytest.approx(whole_a, rel=0.01)
    assert c.b_only_figures.population + c.both_figures.population == pytest.approx(whole_b, rel=0.01)


def test_disjoint_areas_share_nothing_and_equal_areas_are_all_both() -> None:
    a, b = shapely.box(24.0, 50.0, 25.0, 51.0), shapely.box(26.0, 50.0, 27.0, 51.0)
    c = compare(a, b, a_label="West", b_label="East")
    assert c.both_figures.area_km2 == 0.0 and c.both_figures.population == 0
    assert c.a_only_figures.area_km2 == pytest.approx(_pyproj_km2(shapely.segmentize(a, 0.01)), rel=1e-4)
    assert [row["label"] for row in c.rows()] == ["Only in West", "Only in East", "In both"]
    same = compare(a, a)
    assert same.a_only_figures.area_km2 == same.b_only_figures.area_km2 == 0.0
    assert same.both_figures.area_km2 == pytest.approx(_pyproj_km2(shapely.segmentize(a, 0.01)), rel=1e-4)


def test_unknown_people_stay_unknown_in_a_part_outside_the_data() -> None:
    """Mid-Atlantic: no population data, so people are None (unknown), never 0."""
    a, b = shapely.box(-40.0, 30.0, -38.0, 32.0), shapely.box(-39.0, 30.0, -37.0, 32.0)
    c = compare(a, b)
    assert c.both_figures.area_km2 > 0
    assert c.both_figures.population is None
    assert c.rows()[2]["people"] == "no data"


@pytest.mark.parametrize("bad", [shapely.Point(30, 50), shapely.LineString([(30, 50), (31, 51)]), "POLYGON"])
def test_areas_without_area_get_a_clear_message(bad: object) -> None:
    with pytest.raises(InputError, match="no area|shapely geometry"):
        compare(bad, shapely.box(30, 50, 31, 51))  # type: ignore[arg-type]


def test_an_empty_area_is_refused_with_its_side_named() -> None:
    with pytest.raises(InputError, match="B has no area"):
        compare(shapely.box(30, 50, 31, 51), shapely.Polygon())
