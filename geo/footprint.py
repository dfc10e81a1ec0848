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

__all__ = ["DENSITY_KM2", "MIN_POPULATION", "SHARE_SPREAD", "Footprints", "disc", "footprints", "shares"]

#: People per km² a footprint is sized at (see the module's *The density*).
DENSITY_KM2 = 2_500.0
#: Towns with at least this many people get a footprint; smaller ones stay points.
MIN_POPULATION = 10_000
#: Where an area takes only part of a town's footprint (share s, 0 < s < 1), the range of
#: the people it takes is s ± SHARE_SPREAD × min(s, 1 − s) of the town: the share of a disc is
#: not the share of a town (its outline is not a disc, its centre denser than its edge). A
#: judgement, not a statistical interval; a town wholly in or out has no range.
SHARE_SPREAD = 0.4
#: Shares closer than this to 0 or 1 are rounding where edges coincide, and are taken as 0 or 1.
_SLIVER = 1e-9
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


@functools.cache
def footprints() -> Footprints:
    """The footprint of every settlement of :data:`MIN_POPULATION` people or more on the land.

    Returns
    -------
    Footprints
    """
    s = data.settlements()
    s = s[s["population"] >= MIN_POPULATION]
    lon, lat = s.geometry.x.to_numpy(), s.geometry.y.to_numpy()
    piece = partition.piece_at(lon, lat)
    river = data.dnieper().geometry.iloc[0]
    shapely.prepare(river)
    west = _west_of_dnieper()
    discs = _discs(lon, lat, s["population"].to_numpy(dtype=float) / DENSITY_KM2)
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
    return Footprints(np.array(ids, dtype=np.int64), geometry, areas, shapely.STRtree(geometry))


def shares(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """The share of each footprint that lies inside a polygon.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat polygon(s).

    Returns
    -------
    (numpy.ndarray of int, numpy.ndarray of float)
        The ``geonameid`` of every footprint the polygon touches and the share of its area
        (geodesic km², 0–1) inside the polygon.
    """
    fp = footprints()
    if geom is None or geom.is_empty:
        return fp.geonameid[:0], np.zeros(0)
    touched = fp.tree.query(geom, predicate="intersects")
    inside = np.isin(touched, fp.tree.query(geom, predicate="contains"))
    share = np.ones(len(touched))
    edge = touched[~inside]
    if len(edge):
        cut = shapely.intersection(fp.geometry[edge], geom)
        share[~inside] = np.array([area_km2(g) for g in cut]) / fp.area_km2[edge]
    # slivers of rounding where a polygon's edge runs along a footprint's (a bank, a border)
    share = np.where(share < _SLIVER, 0.0, np.where(share > 1.0 - _SLIVER, 1.0, share))
    keep = share > 0
    return fp.geonameid[touched][keep], share[keep]
