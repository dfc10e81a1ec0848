"""Footprints built on demand give the same figures as building all of them first.

:mod:`geo.footprint` builds a town's footprint only when an area's edge reaches the town's
box. The second method here is the eager build as it was before (every footprint of the data
set cut at once, one spatial index on them, shares read from that index), kept in this file as
the reference: on a set of areas (a city cut in half, a narrow band, a ring with a hole, a
buffer, a bank of the Dnieper, a whole country, the sea) the shares, the settlements listed and
the population estimates must be *equal*, not merely close.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import shapely

from geo import area_km2, buffer, data, footprint, partition, population


@functools.cache
def _eager() -> tuple[np.ndarray, np.ndarray, np.ndarray, shapely.STRtree]:
    """Every footprint of the data set, built at once (the build before footprints were lazy)."""
    s = data.settlements()
    s = s[s["population"] >= footprint.MIN_POPULATION]
    lon, lat = s.geometry.x.to_numpy(), s.geometry.y.to_numpy()
    piece = partition.piece_at(lon, lat)
    river = data.dnieper().geometry.iloc[0]
    west = footprint._west_of_dnieper()
    discs = footprint._discs(lon, lat, s["population"].to_numpy(dtype=float) / footprint.DENSITY_KM2)
    ids, geoms = [], []
    for gid, x, y, shape, at in zip(s["geonameid"], lon, lat, discs, piece, strict=True):
        if at < 0:
            continue
        shape = partition.unit_land_within(int(at), shape)
        if river.intersects(shape):
            on_west = shapely.contains_xy(west, x, y)
            shape = shapely.intersection(shape, west) if on_west else shapely.difference(shape, west)
        if shape.is_empty:
            continue
        ids.append(int(gid))
        geoms.append(shape)
    geometry = np.array(geoms, dtype=object)
    areas = np.array([area_km2(g) for g in geometry])
    return np.array(ids, dtype=np.int64), geometry, areas, shapely.STRtree(geometry)


def _eager_shares(geom: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Shares as read from the eager build's index (the code before footprints were lazy)."""
    ids, geometry, areas, tree = _eager()
    if geom is None or geom.is_empty:
        return ids[:0], np.zeros(0)
    touched = tree.query(geom, predicate="intersects")
    inside = np.isin(touched, tree.query(geom, predicate="contains"))
    share = np.ones(len(touched))
    edge = touched[~inside]
    if len(edge):
        cut = shapely.intersection(geometry[edge], geom)
        share[~inside] = np.array([area_km2(g) for g in cut]) / areas[edge]
    share = np.where(share < footprint._SLIVER, 0.0, np.where(share > 1.0 - footprint._SLIVER, 1.0, share))
    keep = share > 0
    return ids[touched][keep], share[keep]


def _town(name: str, iso_a3: str = "UKR") -> tuple[float, float]:
    row = data.settlements().query("name == @name and iso_a3 == @iso_a3").iloc[0]
    return row.geometry.x, row.geometry.y


def _areas() -> dict[str, shapely.Geometry]:
    from layers.trans_dnieper import east_of_dnieper

    px, py = _town("Poltava")
    kx, ky = _town("Kharkiv")
    nx, ny = _town("Narva", "EST")
    kyiv = shapely.Point(30.52, 50.45)
    countries = data.countries().set_index("iso_a3").geometry
    return {
        "west half of Poltava": shapely.box(px - 1.0, py - 1.0, px, py + 1.0),
        "2 km band through Kharkiv": shapely.box(kx - 0.014, ky - 1.0, kx + 0.014, ky + 1.0),
        "ring round Kyiv": buffer(kyiv, 40.0).difference(buffer(kyiv, 8.0)),
        "30 km band along a line across Ukraine": buffer(shapely.LineString([(24.0, 48.0), (31.0, 50.5),
                                                                              (38.0, 48.5)]), 30.0),
        "Narva and Ivangorod": shapely.box(nx - 0.2, ny - 0.1, nx + 0.2, ny + 0.1),
        "left bank of the Dnieper": east_of_dnieper(),
        "Ukraine": countries["UKR"],
        "the Baltic Sea": shapely.box(18.0, 55.5, 19.0, 56.0),
        "empty": shapely.Polygon(),
    }


AREAS = [
    "west half of Poltava", "2 km band through Kharkiv", "ring round Kyiv", "30 km band along a line across Ukraine",
    "Narva and Ivangorod", "left bank of the Dnieper", "Ukraine", "the Baltic Sea", "empty"]


@functools.cache
def _area(name: str) -> shapely.Geometry:
    return _areas()[name]


@pytest.mark.parametrize("name", AREAS)
def test_shares_are_those_of_the_eager_build(name: str) -> None:
    geom = _area(name)
    ids, share = footprint.shares(geom)
    want_ids, want = _eager_shares(geom)
    order = np.argsort(want_ids)
    assert ids.tolist() == want_ids[order].tolist()
    assert share.tolist() == want[order].tolist()  # equal floats, not approximately


@pytest.mark.parametrize("name", ["west half of Poltava", "ring round Kyiv", "left bank of the Dnieper", "Ukraine"])
def test_settlements_and_people_are_those_of_the_eager_build(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    geom = _area(name)
    lazy_towns = population.settlements_within(geom)
    lazy = population.estimate_population(geom)
    monkeypatch.setattr(footprint, "shares", _eager_shares)
    eager_towns = population.settlements_within(geom)
    eager = population.estimate_population(geom)
    assert lazy_towns.equals(eager_towns)
    assert (lazy.population, lazy.low, lazy.high) == (eager.population, eager.low, eager.high)
    assert lazy.population > 0 and len(lazy_towns) > 0


def test_every_town_that_has_a_footprint_is_known_without_building_one() -> None:
    ids, geometry, areas, _ = _eager()
    assert sorted(footprint.town_ids().tolist()) == sorted(ids.tolist())
    built = footprint.footprints()
    at = {gid: i for i, gid in enumerate(ids.tolist())}
    k = np.array([at[g] for g in built.geonameid.tolist()])
    assert built.area_km2.tolist() == areas[k].tolist()
    assert all(shapely.equals_exact(a, b, tolerance=0.0) for a, b in zip(built.geometry, geometry[k], strict=True))


def test_each_footprint_lies_in_the_box_that_stands_for_it() -> None:
    # the lazy build skips towns whose box misses an area and takes whole those whose box lies
    # inside it: that is only right if every footprint (and its disc) lies inside its box
    towns = footprint._towns()
    discs = footprint._discs(towns.lon, towns.lat, towns.disc_km2)
    assert shapely.contains(towns.box, discs).all()
    built = footprint.footprints()
    at = {gid: i for i, gid in enumerate(towns.geonameid.tolist())}
    boxes = towns.box[[at[g] for g in built.geonameid.tolist()]]
    assert shapely.contains(boxes, built.geometry).all()
