"""geo.contact on synthetic land: a 4° × 2° island split at 32°E, held east of the meridian.

Whatever the source's coast looks like (offset inland or out to sea by several km, jagged,
coarse, with islands and spits), the front must be the meridian 32°E and nothing else. The
references are independent of the code: the meridian arc's geodesic length from pyproj, and
points placed at exact geodesic distances with ``Geod.fwd``.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.contact import ContactSettings, facing_edge

GEOD = Geod(ellps="WGS84")
WEST, SOUTH, EAST, NORTH, SPLIT = 30.0, 46.0, 34.0, 48.0, 32.0
LAND = shapely.box(WEST, SOUTH, EAST, NORTH)
HELD = shapely.box(SPLIT, SOUTH, EAST, NORTH)
#: The front's true length: the meridian arc 46°N–48°N (pyproj, independent of the code).
MERIDIAN_KM = GEOD.inv(SPLIT, SOUTH, SPLIT, NORTH)[2] / 1e3
#: Where a source's coast is off the embedded one, each end of the front may stop short or turn
#: the corner by up to the 1.5 km over which the outline's normal is smoothed (geo.contact).
END_KM = 1.6


def dlat(km: float, lat: float = 47.0) -> float:
    """Degrees of latitude spanning ``km`` north of ``lat`` (pyproj)."""
    return GEOD.fwd(SPLIT, lat, 0.0, km * 1e3)[1] - lat


def dlon(km: float, lat: float = 47.0) -> float:
    """Degrees of longitude spanning ``km`` east along ``lat`` (pyproj, near enough for offsets)."""
    return GEOD.fwd(SPLIT, lat, 90.0, km * 1e3)[0] - SPLIT


def front_of(source: shapely.Geometry, land: shapely.Geometry = LAND, **kw) -> shapely.Geometry:
    """The front of a source's held area, as frontline_from_file would see it (cut to the land)."""
    held = shapely.intersection(source, land)
    return facing_edge(held, shapely.difference(land, held), land, ContactSettings(**kw))


def off_meridian_km(front: shapely.Geometry) -> float:
    """How far the front's farthest vertex lies from the meridian 32°E, km."""
    xy = shapely.get_coordinates(shapely.segmentize(front, 0.01))
    return float(np.max(np.abs(GEOD.inv(xy[:, 0], xy[:, 1], np.full(len(xy), SPLIT), xy[:, 1])[2]))) / 1e3


def length_km(geom: shapely.Geometry) -> float:
    return GEOD.geometry_length(geom) / 1e3


def test_the_embedded_coast_gives_exactly_the_meridian() -> None:
    front = front_of(HELD)
    assert length_km(front) == pytest.approx(MERIDIAN_KM, rel=1e-3)
    assert off_meridian_km(front) < 0.01


@pytest.mark.parametrize("km", [2.0, 4.0, 8.0])
def test_a_coast_drawn_inland_leaves_slivers_that_are_not_the_other_side(km) -> None:
    # The source's coast runs km inside the embedded one on the three sea sides of the held part:
    # a strip of embedded land km wide that nobody holds is left between them.
    source = shapely.box(SPLIT, SOUTH + dlat(km, SOUTH), EAST - dlon(km), NORTH - dlat(km, NORTH))
    front = front_of(source)
    assert off_meridian_km(front) < END_KM  # never a coast, beyond the corner at each end
    # the meridian between the source's southern and northern coasts
    assert length_km(front) == pytest.approx(MERIDIAN_KM - 2 * km, abs=2 * END_KM)


@pytest.mark.parametrize("km", [2.0, 5.0, 10.0])
def test_a_coast_drawn_out_at_sea_is_cut_to_the_land(km) -> None:
    source = shapely.box(SPLIT, SOUTH - dlat(km, SOUTH), EAST + dlon(km), NORTH + dlat(km, NORTH))
    front = front_of(source)
    assert off_meridian_km(front) < 0.01
    assert length_km(front) == pytest.approx(MERIDIAN_KM, rel=1e-3)


def _jagged_ring(amplitude_km: float, step_deg: float, seed: int) -> shapely.Polygon:
    """The held part with its three coasts replaced by a saw-tooth ± amplitude about them."""
    rng = np.random.default_rng(seed)
    east = [(EAST + rng.uniform(-1, 1) * dlon(amplitude_km), y) for y in np.arange(SOUTH, NORTH, step_deg)]
    north = [(x, NORTH + rng.uniform(-1, 1) * dlat(amplitude_km, NORTH)) for x in np.arange(EAST, SPLIT, -step_deg)]
    south = [(x, SOUTH + rng.uniform(-1, 1) * dlat(amplitude_km, SOUTH)) for x in np.arange(SPLIT, EAST, step_deg)]
    return shapely.make_valid(shapely.Polygon([(SPLIT, SOUTH), *south[1:], *east, *north[:-1], (SPLIT, NORTH)]))


@pytest.mark.parametrize(("amplitude_km", "step_deg"), [(3.0, 0.03), (2.0, 0.02), (1.0, 0.005)])
def test_a_jagged_coast_crossing_the_embedded_one_in_and_out(amplitude_km, step_deg) -> None:
    # teeth of up to ± amplitude every 1.5–2.5 km (step_deg along the coast)
    front = front_of(_jagged_ring(amplitude_km, step_deg, seed=7))
    assert off_meridian_km(front) < END_KM
    assert length_km(front) == pytest.approx(MERIDIAN_KM, abs=2 * (amplitude_km + END_KM))


def test_a_coarse_coast_simplified_to_a_few_vertices() -> None:
    # A coast of five vertices cutting corners by up to ~6 km across the embedded outline.
    source = shapely.Polygon([(SPLIT, SOUTH + 0.03), (33.0, SOUTH - 0.02), (EAST - 0.08, SOUTH + 0.05),
                              (EAST + 0.05, 47.0), (EAST - 0.08, NORTH - 0.05), (33.0, NORTH + 0.03),
                              (SPLIT, NORTH - 0.03)])
    front = front_of(source)
    assert off_meridian_km(front) < END_KM
    assert length_km(front) == pytest.approx(MERIDIAN_KM, abs=2 * (3.3 + END_KM))  # ends up to 3.3 km off


def test_islands_and_spits_of_the_source_and_of_the_embedded_land() -> None:
    # The embedded land has an island 4 km off the held coast and a 1.5 km-wide spit running
    # 20 km out from it; the source leaves both out, draws its own island elsewhere at sea
    # and a spit of its own, and runs its coast 3 km inland.
    island = shapely.box(33.2, NORTH + dlat(4, NORTH), 33.3, NORTH + dlat(7, NORTH))
    spit = shapely.box(EAST, 47.0, EAST + dlon(20), 47.0 + dlat(1.5))
    land = shapely.union_all([LAND, island, spit])
    source = shapely.union_all([
        shapely.box(SPLIT, SOUTH + dlat(3, SOUTH), EAST - dlon(3), NORTH - dlat(3, NORTH)),
        shapely.box(33.5, SOUTH - 0.2, 33.6, SOUTH - 0.1),          # the source's own island, at sea
        shapely.box(33.0, NORTH - 0.1, 33.02, NORTH + 0.2),         # the source's own spit, out to sea
    ])
    front = front_of(source, land)
    assert off_meridian_km(front) < END_KM
    assert length_km(front) == pytest.approx(MERIDIAN_KM - 6, abs=2 * END_KM)


def test_a_spit_held_by_the_other_side_meeting_the_area_end_on_is_front() -> None:
    # Like the Arabat Spit in 2014–2022: a 2 km-wide spit runs from the other side's coast along
    # the held part's coast (2 km off it, across water) to the held land; the front crosses it.
    width = dlat(2.0, SOUTH)
    spit = shapely.union_all([shapely.box(31.5, SOUTH - 4 * width, 32.5, SOUTH - 3 * width),
                              shapely.box(31.5, SOUTH - 4 * width, 31.5 + dlon(2), SOUTH)])
    land = shapely.union_all([LAND, spit])
    held = shapely.union_all([HELD, shapely.box(32.4, SOUTH - 4 * width, 32.5, SOUTH - 3 * width)])
    front = facing_edge(shapely.intersection(held, land), shapely.difference(land, held), land)
    crossing = shapely.intersection(front, shapely.box(32.39, SOUTH - 4.5 * width, 32.41, SOUTH - 2.5 * width))
    assert length_km(crossing) == pytest.approx(2.0, abs=0.3)


@pytest.mark.parametrize(("channel_km", "expected"), [(1.0, True), (4.0, True), (9.0, False)])
def test_a_front_across_a_river_or_strait_faces_the_other_bank(channel_km, expected) -> None:
    # Water channel_km wide between the sides along 32°E (the Dnieper below Kherson, the Kinburn strait).
    west = shapely.box(WEST, SOUTH, SPLIT - dlon(channel_km), NORTH)
    land = shapely.union_all([west, HELD])
    front = facing_edge(HELD, west, land)
    if expected:
        assert length_km(front) == pytest.approx(MERIDIAN_KM, abs=2 * channel_km + 1.0)
        assert off_meridian_km(front) < 0.01
    else:  # wider than ContactSettings.reach_km (6 km): not crossed, as documented
        assert front.is_empty


def test_a_coast_running_away_from_the_end_of_a_front_across_water_is_not_front() -> None:
    # Across a 3 km channel, the held coast south of the front's end runs on beside the other
    # side's coast: the other side is beside it, not in front of it.
    west = shapely.box(WEST, SOUTH, SPLIT - dlon(3), NORTH)
    held = shapely.box(SPLIT, SOUTH - 1.0, EAST, NORTH)  # reaches 1° further south than the other side
    land = shapely.union_all([west, held])
    front = facing_edge(held, west, land)
    assert off_meridian_km(front) < 0.01
    # facing within 45°: the front goes on past the end of the other side by about the channel's width
    assert shapely.get_coordinates(front)[:, 1].min() > SOUTH - dlat(3.0 + 0.5, SOUTH)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(inland_km=st.floats(0.0, 8.0), seaward_km=st.floats(0.0, 8.0), amplitude_km=st.floats(0.0, 3.0),
       seed=st.integers(0, 1000))
def test_whatever_the_coast_the_front_is_the_meridian(inland_km, seaward_km, amplitude_km, seed) -> None:
    # The south coast drawn inland, the north coast out at sea, the east coast jagged.
    rng = np.random.default_rng(seed)
    south = SOUTH + dlat(inland_km, SOUTH)
    east = [(EAST + rng.uniform(-1, 1) * dlon(amplitude_km), y) for y in np.arange(south + 0.01, NORTH, 0.03)]
    ring = [(SPLIT, south), (EAST, south), *east,
            (EAST, NORTH + dlat(seaward_km, NORTH)), (SPLIT, NORTH + dlat(seaward_km, NORTH))]
    front = front_of(shapely.make_valid(shapely.Polygon(ring)))
    assert off_meridian_km(front) < END_KM
    assert length_km(front) == pytest.approx(MERIDIAN_KM - inland_km, abs=2 * (amplitude_km + END_KM))
