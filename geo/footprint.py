"""Settlements as areas: a footprint for every town of 10,000 people or more.

A town counted as a single point is all in or all out of any area: a river, a line of
contact or a buffer edge through a city would put all of it on one side. Instead each town
of :data:`MIN_POPULATION` people or more gets a *footprint*, and an area takes the share of
the town's people that its footprint has inside it (by geodesic km²).

The footprint
-------------
* a geodesic disc round the town's point whose area is its population divided by
  :data:`DENSITY_KM2` (a town of 100,000 gets 40 km², a radius of 3.6 km);
* cut to the land of the first-level unit (or the country's land outside its units) its
  point lies in, so a unit still gets exactly its own towns, and a coast or a border cuts the
  disc as it cuts the town;
* where the disc crosses the Dnieper (:func:`geo.data.dnieper`), cut to the side of the
  river its point is on: a town lives on its own bank (Kherson, Nikopol, Cherkasy and Kaniv on
  the right, Nova Kakhovka and Enerhodar on the left; the points of Kherson and Kaniv are moved
  onto their bank in ``data/sources/settlement_population.csv``), and the cities that span
  the river are entered as one point per bank with their districts' shares (Kyiv, Dnipro,
  Zaporizhzhia: records named "… (right bank)"/"… (left bank)"), so each bank's people stay on
  their bank however far the disc reaches. Kremenchuk and Kamianske, which also span the
  river, have no district figures in the data yet: all of each counts on the bank of its
  GeoNames point.

Towns below the threshold, and towns whose point lies off the land or on an edge of the
land partition, stay points.

Footprints are built on demand: each town has a lon/lat box sure to hold its disc, and an
area takes whole the towns whose box it contains and skips those whose box it misses, so only
the footprints of towns near its edge are cut (once per process, then kept). The shares are
those of building every footprint first (``tests/geo/test_footprint_lazy.py``), at a few ms
for a first measurement instead of ~2 CPU-s for all 11,000 footprints.

The density
-----------
:data:`DENSITY_KM2` = 2,500 people per km² is a round figure for the gross density of the
cities in and around Ukraine within their city limits, computed from official totals and
areas: Dnipro 968,502 on 405 km² (2,390), Zaporizhzhia 710,052 on 334 km² (2,130),
Kyiv 2,952,301 on 839 km² (3,520), Kharkiv about 1.42 M on 350 km² (4,060), Kherson about
280,000 on 135 km² (2,070), Kremenchuk 217,710 on 96 km² (2,270), Kamianske 238,800 on
138 km² (1,730, the city council's own figures). It is a modelling choice, not a measurement: a town's real
outline is not a disc, and the share of a town an area takes is uncertain where its edge
runs through the town; :data:`SHARE_SPREAD` widens that part of the estimate.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data, partition
from geo.geodesy import area_km2

__all__ = ["DENSITY_KM2", "MIN_POPULATION", "SHARE_SPREAD", "Footprints", "disc", "footprints", "shares", "town_ids"]

#: People per km² a footprint is sized at (see the module's *The density*).
DENSITY_KM2 = 2_500.0
#: Towns with at least this many people get a footprint; smaller ones stay points.
MIN_POPULATION = 10_000
#: Where an area takes only part of a town's footprint (share s, 0 < s < 1), the range of
#: the people it takes is s ± SHARE_SPREAD × min(s, 1 − s) of the town: the share of a disc is
#: not the share of a town (its outline is not a disc, its centre denser than its edge). A
#: judgement, not a statistical interval; a town wholly in or out has no range.
SHARE_SPREAD = 0.4
#: Shares closer than this to 0 or 1 are taken as 0 or 1: where a polygon's edge runs along a
#: footprint's cut (a border, a bank), two readings of the same outline leave slivers. The value
#: is set by the case seen, not derived: Bucharest's footprint, cut to its unit, kept 3e-6 of
#: itself (6 people) inside the polygon of Ilfov round it. A real share this small is at most a
#: few dozen people of the largest city, well inside any range.
_SLIVER = 1e-5
#: Vertices of a footprint's disc.
_VERTICES = 36
_GEOD = pyproj.Geod(ellps="WGS84")


def disc(lon: float, lat: float, area: float) -> shapely.Polygon:
    """A geodesic disc (regular polygon of geodesic radii) of the given area round a point.

    Parameters
    ----------
    lon, lat : float
        Centre, degrees.
    area : float
        Area of the disc, km² (of the polygon: its radius is that of a regular
        36-gon of this area, so the geodesic area matches to well under 0.1 %).

    Returns
    -------
    shapely.Polygon
        Lon/lat polygon.
    """
    return _discs(np.array([lon]), np.array([lat]), np.array([area]))[0]


def _discs(lon: np.ndarray, lat: np.ndarray, area: np.ndarray) -> np.ndarray:
    """:func:`disc` for arrays of centres (degrees) and areas (km²), in one geodesic call."""
    n = _VERTICES
    radius_m = 1000.0 * np.sqrt(2.0 * area / (n * math.sin(2.0 * math.pi / n)))
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = _GEOD.fwd(np.repeat(lon, n), np.repeat(lat, n), np.tile(az, len(lon)), np.repeat(radius_m, n))
    rings = np.stack([x, y], axis=1).reshape(len(lon), n, 2)
    return shapely.polygons(rings)


@functools.cache
def _west_of_dnieper() -> BaseGeometry:
    """The land west (right) of the Dnieper line, closed far to the west (as the Trans-Dnieper layer)."""
    river = data.dnieper().geometry.iloc[0]
    (x0, _), (x1, _) = river.coords[0], river.coords[-1]
    side = shapely.Polygon([*river.coords, (x1, 40.0), (20.0, 40.0), (20.0, 56.0), (x0, 56.0)])
    return side if side.is_valid else shapely.make_valid(side)


@dataclass(frozen=True)
class Footprints:
    """The footprints of the towns that have one.

    Attributes
    ----------
    geonameid : numpy.ndarray of int
        The settlement's id (:func:`geo.data.settlements`).
    geometry : numpy.ndarray of shapely geometries
        Lon/lat footprint (see the module).
    area_km2 : numpy.ndarray of float
        Geodesic area of each footprint, km².
    tree : shapely.STRtree
        Spatial index on ``geometry``.
    """

    geonameid: np.ndarray
    geometry: np.ndarray
    area_km2: np.ndarray
    tree: shapely.STRtree


@dataclass(frozen=True)
class _Towns:
    """The towns that get a footprint, each with a box sure to hold it (footprints built on demand).

    ``lon``/``lat`` degrees, ``disc_km2`` the disc's area (km²), ``piece`` the piece of the
    land partition the point lies strictly inside, ``box`` a lon/lat box holding the whole disc
    (so the footprint, a part of the disc), ``tree`` a spatial index on the boxes.
    """

    geonameid: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    disc_km2: np.ndarray
    piece: np.ndarray
    box: np.ndarray
    tree: shapely.STRtree


#: A box round a disc is this much wider than the disc's radius needs (the lengths of a
#: degree used below are lower bounds to within 2 %, and the latitude's cosine is taken at the
#: disc's far edge), plus :data:`_BOX_PAD` degrees.
_BOX_MARGIN = 1.25
_BOX_PAD = 1e-6
#: Shortest length of a degree of latitude on WGS84 (the meridian at the equator), km; a degree
#: of longitude at latitude φ is at least ``_KM_PER_DEGREE_EQUATOR × cos φ`` km.
_KM_PER_DEGREE_LAT = 110.574
_KM_PER_DEGREE_EQUATOR = 111.319


@functools.cache
def _towns() -> _Towns:
    s = data.settlements()
    s = s[s["population"] >= MIN_POPULATION]
    lon, lat = s.geometry.x.to_numpy(), s.geometry.y.to_numpy()
    piece = partition.piece_at(lon, lat)
    on = piece >= 0  # towns off the land or on an edge of the partition stay points
    lon, lat, piece = lon[on], lat[on], piece[on]
    area = s["population"].to_numpy(dtype=float)[on] / DENSITY_KM2
    n = _VERTICES
    radius_km = np.sqrt(2.0 * area / (n * math.sin(2.0 * math.pi / n))) * _BOX_MARGIN
    dlat = radius_km / _KM_PER_DEGREE_LAT
    far = np.minimum(np.abs(lat) + dlat, 89.0)
    dlon = radius_km / (_KM_PER_DEGREE_EQUATOR * np.cos(np.radians(far)))
    box = shapely.box(lon - dlon - _BOX_PAD, lat - dlat - _BOX_PAD, lon + dlon + _BOX_PAD, lat + dlat + _BOX_PAD)
    return _Towns(s["geonameid"].to_numpy(dtype=np.int64)[on], lon, lat, area, piece, box, shapely.STRtree(box))


@functools.cache
def _river() -> BaseGeometry:
    river = data.dnieper().geometry.iloc[0]
    shapely.prepare(river)
    return river


#: Footprints built so far, by index into :func:`_towns`: (geometry, geodesic area km²). Each
#: is built once per process, the first time an area's edge reaches its box; a footprint is the
#: same whichever area asks first (it depends on its town only).
_BUILT: dict[int, tuple[BaseGeometry, float]] = {}


def _footprint(lon: float, lat: float, piece: int, shape: BaseGeometry) -> BaseGeometry:
    """A town's disc cut to its unit's land and, where the Dnieper crosses it, to its point's bank."""
    shape = partition.unit_land_within(piece, shape)
    river = _river()
    if river.intersects(shape):
        west = _west_of_dnieper()
        on_west = shapely.contains_xy(west, lon, lat)
        shape = shapely.intersection(shape, west) if on_west else shapely.difference(shape, west)
    return shape


def _built(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The footprints (lon/lat) and their areas (km²) of towns ``index`` of :func:`_towns`."""
    towns = _towns()
    todo = np.array([i for i in dict.fromkeys(index.tolist()) if i not in _BUILT], dtype=np.intp)
    if len(todo):
        discs = _discs(towns.lon[todo], towns.lat[todo], towns.disc_km2[todo])
        for i, shape in zip(todo.tolist(), discs, strict=True):
            shape = _footprint(towns.lon[i], towns.lat[i], int(towns.piece[i]), shape)
            _BUILT[i] = (shape, area_km2(shape) if not shape.is_empty else 0.0)
    geometry = np.empty(len(index), dtype=object)
    area = np.empty(len(index))
    for k, i in enumerate(index.tolist()):
        geometry[k], area[k] = _BUILT[i]
    return geometry, area


def town_ids() -> np.ndarray:
    """The ``geonameid`` of every town that has a footprint, without building any.

    Returns
    -------
    numpy.ndarray of int
        Towns of :data:`MIN_POPULATION` people or more whose point lies strictly inside a
        piece of the land partition (a disc round such a point keeps a part round the point
        when cut to its unit's land and bank; ``tests/geo/test_footprint_lazy.py`` checks
        this set against the footprints of the whole data set).
    """
    return _towns().geonameid


@functools.cache
def footprints() -> Footprints:
    """The footprint of every settlement of :data:`MIN_POPULATION` people or more on the land.

    Builds all of them (about 11,000 towns, ~2 CPU-s); :func:`shares` builds only those an
    area's edge reaches.

    Returns
    -------
    Footprints
    """
    towns = _towns()
    geometry, areas = _built(np.arange(len(towns.geonameid)))
    keep = np.array([not g.is_empty for g in geometry], dtype=bool)
    geometry = geometry[keep]
    return Footprints(towns.geonameid[keep], geometry, areas[keep], shapely.STRtree(geometry))


def shares(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """The share of each footprint that lies inside a polygon.

    Only the footprints of the towns near the polygon's edge are built (on first need, then
    kept): a town whose box lies wholly inside the polygon is wholly inside, one whose box
    misses it is not inside at all.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat polygon(s).

    Returns
    -------
    (numpy.ndarray of int, numpy.ndarray of float)
        The ``geonameid`` of every footprint the polygon touches and the share of its area
        (geodesic km², 0–1) inside the polygon, in the order of :func:`town_ids`.
    """
    towns = _towns()
    if geom is None or geom.is_empty:
        return towns.geonameid[:0], np.zeros(0)
    near = towns.tree.query(geom, predicate="intersects")
    boxed = np.isin(near, towns.tree.query(geom, predicate="contains"))
    edge = near[~boxed]
    geometry, area = _built(edge)
    solid = area > 0
    edge, geometry, area = edge[solid], geometry[solid], area[solid]
    touched = shapely.intersects(geom, geometry)
    edge, geometry, area = edge[touched], geometry[touched], area[touched]
    inside = shapely.contains(geom, geometry)
    share = np.ones(len(edge))
    if (~inside).any():
        cut = shapely.intersection(geometry[~inside], geom)
        share[~inside] = np.array([area_km2(g) for g in cut]) / area[~inside]
    # slivers of rounding where a polygon's edge runs along a footprint's (a bank, a border)
    share = np.where(share < _SLIVER, 0.0, np.where(share > 1.0 - _SLIVER, 1.0, share))
    index = np.concatenate([near[boxed], edge])
    share = np.concatenate([np.ones(int(boxed.sum())), share])
    order = np.argsort(index, kind="stable")
    index, share = index[order], share[order]
    keep = share > 0
    return towns.geonameid[index[keep]], share[keep]
