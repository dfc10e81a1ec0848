"""geo.cost: requests whose work would be unbounded are refused before the work, with the limit.

Each refused case ran for minutes or exhausted memory before (a 1 m buffer of a small square:
4.5 GB; 50,000 points: 54 s); the accepted ones are what the built-in layers and ordinary
uploads need. The boundary length is checked against pyproj's own perimeter.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import geo
from geo import ParameterError
from geo.buffering import NARROW_MAX_KM
from geo.cost import _WIDE_KM, MAX_BUFFER_SECONDS, buffer_cost, check_buffer_cost
from geo.settings import GEOD

SQUARE = shapely.box(30.0, 50.0, 30.5, 50.5)


def test_boundary_length_is_the_geodesic_perimeter() -> None:
    _, perimeter_m = GEOD.geometry_area_perimeter(SQUARE)
    assert buffer_cost(SQUARE, 1.0).boundary_km == pytest.approx(perimeter_m / 1000, rel=1e-9)


@pytest.mark.parametrize("width_km", [0.001, 1e-6, 1e-12])
def test_a_tiny_width_is_refused_with_the_width_that_would_do(width_km) -> None:
    with pytest.raises(ParameterError, match=r"too large to compute here .*use a width of at least") as info:
        geo.buffer(SQUARE, width_km)
    assert "\n" not in str(info.value)


def test_too_many_points_are_refused_naming_how_many_fit() -> None:
    points = shapely.MultiPoint(np.random.default_rng(0).random((50_000, 2)) * [20, 10] + [20, 45])
    with pytest.raises(ParameterError, match=r"buffer fewer points \(it has 50,000; about 6,666 fit\)"):
        geo.buffer(points, 10.0)


def test_what_the_layers_and_ordinary_files_need_is_within_budget() -> None:
    assert check_buffer_cost(SQUARE, 0.1).seconds < MAX_BUFFER_SECONDS
    line = shapely.LineString(np.c_[np.linspace(20, 40, 2_000), np.full(2_000, 52.0)])
    assert check_buffer_cost(line, 0.5).seconds < MAX_BUFFER_SECONDS
    assert check_buffer_cost(line, 1_000.0).seconds < MAX_BUFFER_SECONDS


def test_the_wide_path_threshold_matches_the_engine() -> None:
    assert _WIDE_KM == NARROW_MAX_KM


def test_many_rings_are_refused_naming_how_many_fit() -> None:
    boxes = shapely.MultiPolygon([shapely.box(20 + i * 0.02, 50, 20.01 + i * 0.02, 50.01) for i in range(5_000)])
    with pytest.raises(ParameterError, match=r"merge or simplify its parts \(it has 5,000 lines, outlines and holes"):
        geo.buffer(boxes, 10.0)
