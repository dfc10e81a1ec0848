"""Written geometry re-reads valid at its precision, with the right-hand rule (geo.output, geo.io)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.io import feature_collection
from geo.output import for_output
from tests._valid import written_problem


def _written(geom: shapely.Geometry) -> dict | None:
    doc = json.loads(json.dumps(feature_collection([(geom, {})], precision=6)))
    return doc["features"][0]["geometry"]


def test_a_sliver_that_rounds_to_a_spike_is_dropped_and_the_rest_kept() -> None:
    # a 2 km square with a 700 m long, 7 mm wide sliver out of its east side: rounding each
    # vertex to 6 decimals (0.1 m) alone makes the sliver a spike out and back (invalid)
    square = [(30.0, 50.0), (30.02, 50.0), (30.02, 50.01), (30.03, 50.01000003), (30.02, 50.01000006),
              (30.02, 50.02), (30.0, 50.02), (30.0, 50.0)]
    poly = shapely.Polygon(square)
    assert poly.is_valid
    pointwise = shapely.set_precision(poly, 1e-6, mode="pointwise")
    assert not pointwise.is_valid  # what the writer did before
    out = _written(poly)
    assert written_problem(out) == ""
    assert shapely.geometry.shape(out).area == pytest.approx(0.02 * 0.02, rel=1e-6)


def test_a_polygon_narrower_than_the_grid_is_written_as_null() -> None:
    sliver = shapely.Polygon([(0, 0), (1, 0), (1, 1e-8), (0, 0)])
    assert _written(sliver) is None


def test_clockwise_exteriors_and_counter_clockwise_holes_are_turned_round() -> None:
    shell = [(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)]  # clockwise
    hole = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]  # counter-clockwise
    poly = shapely.Polygon(shell, [hole])
    for out in (_written(poly), for_output(poly)):
        assert written_problem(out) == ""
    assert written_problem(poly) != ""  # the check sees the wrong winding


def test_lines_and_points_are_rounded_and_kept() -> None:
    line = shapely.LineString([(10.0, 50.0), (10.00000001, 50.0), (11.0, 51.0)])
    out = _written(line)
    assert out["type"] == "LineString" and out["coordinates"] == [[10.0, 50.0], [11.0, 51.0]]
    assert _written(shapely.Point(1.23456789, 2.0))["coordinates"] == [1.234568, 2.0]


@st.composite
def jagged_polygons(draw) -> shapely.Geometry:
    """Star-shaped rings with vertices a few grid cells apart: thin teeth and near-touching edges."""
    n = draw(st.integers(5, 40))
    scale = draw(st.sampled_from([1e-6, 3e-6, 1e-5, 1e-4]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = scale * rng.uniform(0.2, 3.0, n)
    ring = np.column_stack([24.0 + radii * np.cos(angles), 55.0 + radii * np.sin(angles)])
    geom = shapely.make_valid(shapely.Polygon(ring))
    return shapely.MultiPolygon([p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon)]) \
        if geom.geom_type == "GeometryCollection" else geom


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(geom=jagged_polygons())
def test_any_polygon_rounded_to_6_decimals_re_reads_clean(geom: shapely.Geometry) -> None:
    out = _written(geom)
    assert written_problem(out) == ""
    back = shapely.Polygon() if out is None else shapely.geometry.shape(out)
    # what is written is the same shape up to the grid: the symmetric difference is no more
    # than a strip a few grid cells (1e-6°) wide along the boundary
    assert shapely.symmetric_difference(back, geom).area <= 4e-6 * geom.length
