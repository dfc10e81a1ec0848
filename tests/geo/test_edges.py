"""The two meanings of an edge (geo.edges), checked against pyproj directly."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geo import area_km2, buffer
from geo._errors import ParameterError
from geo.edges import densify

from ._boundary import GEOD

#: 200 km along the 60th parallel, the issue's example.
EDGE = shapely.LineString([(20.0, 60.0), (23.6, 60.0)])


def test_straight_densify_keeps_the_lon_lat_line_and_geodesic_the_geodesic() -> None:
    straight = np.asarray(densify(EDGE, edges="straight").coords)
    assert np.allclose(straight[:, 1], 60.0) and np.all(np.diff(straight[:, 0]) > 0)
    geodesic = np.asarray(densify(EDGE, edges="geodesic").coords)
    # every point on the geodesic: the two legs to it add up to the whole (Geod.inv)
    whole = GEOD.inv(20.0, 60.0, 23.6, 60.0)[2]
    n = len(geodesic)
    legs = GEOD.inv(np.full(n, 20.0), np.full(n, 60.0), geodesic[:, 0], geodesic[:, 1])[2] + \
        GEOD.inv(geodesic[:, 0], geodesic[:, 1], np.full(n, 23.6), np.full(n, 60.0))[2]
    assert np.abs(legs - whole).max() < 1e-3
    assert geodesic[1:-1, 1].min() > 60.0  # the geodesic bulges poleward of the parallel


@pytest.mark.parametrize("edges", ["straight", "geodesic"])
@pytest.mark.parametrize("tolerance_m", [1.0, 0.05])
def test_after_densify_both_readings_of_every_edge_agree(edges, tolerance_m) -> None:
    line = shapely.LineString([(20, 60), (60, 75), (-170, 80), (170, -10), (175, 40)])
    c = np.asarray(densify(line, edges=edges, tolerance_m=tolerance_m).coords)
    a, b = c[:-1], c[1:]
    dlon = np.mod(b[:, 0] - a[:, 0] + 180, 360) - 180
    for t in (0.25, 0.5, 0.75):  # straight point vs geodesic point at the same fraction
        s = np.column_stack([a[:, 0] + t * dlon, a[:, 1] + t * (b[:, 1] - a[:, 1])])
        az, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        glon, glat, _ = GEOD.fwd(a[:, 0], a[:, 1], az, np.asarray(d) * t)
        gap = GEOD.inv(s[:, 0], s[:, 1], glon, glat)[2]
        assert gap.max() < 1.05 * tolerance_m


def test_polygon_area_follows_the_declared_meaning() -> None:
    """A 200 km × 1° box at 60°N: read straight its north side is the parallel (Geod area of
    the parallel-densified ring); read geodesic, Geod's area of the four vertices.
    """
    box = shapely.Polygon([(20, 59), (23.6, 59), (23.6, 60), (20, 60)])
    xy = np.asarray(box.exterior.coords)
    geodesic = abs(GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]) / 1e6
    fine = np.vstack([np.column_stack([np.linspace(x0, x1, 2000, endpoint=False), np.linspace(y0, y1, 2000,
                      endpoint=False)]) for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:], strict=True)])
    straight = abs(GEOD.polygon_area_perimeter(fine[:, 0], fine[:, 1])[0]) / 1e6
    assert straight - geodesic > 5  # both sides bulge north when read geodesic: ~9 km² net
    assert area_km2(densify(box, edges="straight")) == pytest.approx(straight, rel=1e-6)
    assert area_km2(densify(box, edges="geodesic")) == pytest.approx(geodesic, rel=1e-6)


def test_a_narrow_band_along_the_edge_follows_its_meaning() -> None:
    """5 km either side of the edge: the geodesic reading's band is centred on the geodesic,
    which lies 1.37 km (27 % of W) north of the parallel at mid-edge.
    """
    mid_geodesic = GEOD.npts(20.0, 60.0, 23.6, 60.0, 1)[0]
    straight, geodesic = (buffer(EDGE, 5, edges=e) for e in ("straight", "geodesic"))
    north = shapely.Point(21.8, 60.0 + 4.99 / 111.4)  # 4.99 km north of the parallel's middle
    assert straight.contains(north)
    lat_far = GEOD.fwd(mid_geodesic[0], mid_geodesic[1], 0.0, 4990.0)[1]
    assert geodesic.contains(shapely.Point(mid_geodesic[0], lat_far))
    assert not straight.contains(shapely.Point(mid_geodesic[0], lat_far))


def test_unknown_meaning_is_refused() -> None:
    with pytest.raises(ParameterError, match="edges must be one of"):
        densify(EDGE, edges="rhumb")
    with pytest.raises(ParameterError, match="edges must be one of"):
        buffer(EDGE, 5, edges="mercator")


def test_a_drawn_edge_follows_the_straight_line_on_the_web_mercator_map() -> None:
    """Reference: the spherical Mercator formulas by hand (x linear in lon, y = R ln tan(pi/4 + lat/2))."""
    from geo.edges import as_drawn_on_screen

    r = 6378137.0
    def y(lat: float) -> float:
        return r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    drawn = as_drawn_on_screen(shapely.LineString([(20.0, 50.0), (40.0, 60.0)]))
    xy = shapely.get_coordinates(drawn)
    assert xy[0].tolist() == [20.0, 50.0] and xy[-1].tolist() == pytest.approx([40.0, 60.0])
    lat_at_30 = float(np.interp(30.0, xy[:, 0], xy[:, 1]))
    expected = math.degrees(2 * math.atan(math.exp((y(50.0) + y(60.0)) / 2 / r)) - math.pi / 2)
    assert lat_at_30 == pytest.approx(expected, abs=1e-5)
    assert abs(lat_at_30 - 55.0) > 0.3  # not the straight lon/lat reading (55.0°)
    _, _, gaps = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    assert np.max(gaps) <= 500.0


@pytest.mark.parametrize("edges", ["straight", "geodesic"])
def test_densify_many_is_densify_of_each_vertex_for_vertex(edges) -> None:
    """The batched form against the one-geometry form (a second path through the same rule).

    The embedded outlines (polygons and multipolygons with holes, up to tens of thousands of
    vertices), a line, a point, an empty geometry and a collection, in one array.
    """
    import geopandas as gpd

    from geo import settings
    from geo.edges import densify_many

    outlines = gpd.read_parquet(settings.DATA_DIR / "admin1.parquet").geometry.to_numpy()[::7]
    extra = [shapely.LineString([(20, 60), (23.6, 60), (30, 65)]), shapely.Point(1, 2), shapely.Polygon(),
             shapely.GeometryCollection([shapely.LineString([(0, 70), (10, 70)])]),
             shapely.MultiPolygon([shapely.box(20, 60, 25, 62)])]
    geoms = np.array([*outlines, *extra], dtype=object)
    one = [densify(g, edges=edges, tolerance_m=0.5) for g in geoms]
    many = densify_many(geoms, edges=edges, tolerance_m=0.5)
    assert all(a.geom_type == b.geom_type for a, b in zip(one, many, strict=True))
    assert shapely.equals_exact(np.array(one, dtype=object), many, tolerance=0).all()
    assert shapely.get_num_coordinates(many).sum() > shapely.get_num_coordinates(geoms).sum()  # it did insert
