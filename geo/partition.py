"""The embedded land cut into small pieces, each in one country and at most one unit.

Every figure of an area (its km² per country and per first-level unit, and through them its
people) comes from one question: how much of the area lies in each country and unit? Asking
it of whole countries means intersecting the area with polygons of tens of thousands of
vertices, once per country and once more per unit. Here the land is cut once, on first use,
into *pieces*: each country's outline is split along its first-level units (every unit
clipped to its country, the country's land outside its shipped units kept as one more part)
and along a 1° grid, so no piece is large. Then :func:`split` answers the question with one
spatial-index query, the exact areas of the pieces wholly inside, and small intersections for
the pieces on the area's edge.

Because the pieces of a country tile its outline exactly, the per-unit areas of an area add
up to its per-country area, which add up to its land area.

Edges: intersections read an edge as a straight lon/lat line (as RFC 7946 does), while
:func:`geo.area_km2` reads it as a geodesic. The two agree on short edges, which is why
pieces and split polygons are given points every 0.05°; but a hand-drawn polygon with edges
hundreds of km long has a total area (geodesic) that can differ from the sum of its
breakdown by about 0.1 %. Buffers and the embedded outlines have short edges.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data, derived
from geo.geodesy import area_km2, polygon_parts
from geo.settings import THREADS

__all__ = ["TILE_DEGREES", "Cover", "cover", "land_by_unit", "piece_at", "split"]

#: Grid spacing (degrees of longitude and latitude) along which the land is cut.
TILE_DEGREES = 1.0
#: Longest edge (degrees) of a piece and of a polygon being split. Areas are computed with
#: edges as geodesics, intersections cut edges as straight lon/lat lines; on edges this short
#: the two readings differ by under 0.001 km², so a piece's area does not depend on where an
#: intersection cuts it. (Long edges are read as straight lon/lat lines, as geo.buffer does.)
MAX_EDGE_DEGREES = 0.05


@dataclass(frozen=True)
class _Pieces:
    iso_a3: np.ndarray
    adm1_code: np.ndarray  # object; None for a country's land outside its shipped units
    area_km2: np.ndarray
    geometry: np.ndarray
    tree: shapely.STRtree


def _tiles(geom: BaseGeometry) -> list[BaseGeometry]:
    """``geom`` cut along the 1° grid (polygonal parts only)."""
    x0, y0, x1, y1 = geom.bounds
    xs = np.arange(np.floor(x0 / TILE_DEGREES), np.ceil(x1 / TILE_DEGREES)) * TILE_DEGREES
    ys = np.arange(np.floor(y0 / TILE_DEGREES), np.ceil(y1 / TILE_DEGREES)) * TILE_DEGREES
    if len(xs) * len(ys) <= 1:
        return [geom]
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + TILE_DEGREES, gy.ravel() + TILE_DEGREES)
    shapely.prepare(geom)
    cells = cells[shapely.intersects(geom, cells)]
    out = []
    for part in shapely.intersection(geom, cells):
        out.extend(polygon_parts(part))
    return out


@functools.cache
def _pieces() -> _Pieces:
    frame = derived.table("pieces")
    if frame is None:  # no up-to-date data/derived: cut the land now (a few CPU-seconds)
        frame = pieces_table()
    geometry = shapely.segmentize(shapely.from_wkb(frame["geometry"].to_numpy()), MAX_EDGE_DEGREES)
    adm1 = frame["adm1_code"].to_numpy(dtype=object)
    adm1[pd.isna(adm1)] = None
    return _Pieces(frame["iso_a3"].to_numpy(dtype=object), adm1, frame["area_km2"].to_numpy(dtype=float),
                   geometry, shapely.STRtree(geometry))


def pieces_table() -> pd.DataFrame:
    """The land partition computed from the embedded data (what ``data/derive.py`` stores).

    Returns
    -------
    pandas.DataFrame
        One row per piece: ``iso_a3``, ``adm1_code`` (``None`` for a country's land outside
        its shipped units), ``area_km2`` (geodesic, of the piece with points every
        ``MAX_EDGE_DEGREES``, km², > 0) and ``geometry`` (WKB, before those points are added).
    """
    countries = data.countries()
    units = data.admin1()
    iso, codes, tiles = [], [], []

    def add(country: str, code: str | None, geom: BaseGeometry) -> None:
        for part in polygon_parts(geom):
            for tile in _tiles(part):
                iso.append(country)
                codes.append(code)
                tiles.append(tile)

    for country in countries.itertuples():
        own = units[units["iso_a3"] == country.iso_a3]
        outline = country.geometry
        for code, unit in zip(own["adm1_code"], own.geometry, strict=True):
            add(country.iso_a3, code, shapely.intersection(unit, outline))
        rest = shapely.difference(outline, shapely.union_all(own.geometry.values)) if len(own) else outline
        add(country.iso_a3, None, rest)
    raw = np.array(tiles, dtype=object)
    areas = np.array([area_km2(g) for g in shapely.segmentize(raw, MAX_EDGE_DEGREES)])
    keep = areas > 0
    return pd.DataFrame({"iso_a3": np.array(iso, dtype=object)[keep], "adm1_code": np.array(codes, dtype=object)[keep],
                         "area_km2": areas[keep], "geometry": shapely.to_wkb(raw[keep])})


@dataclass(frozen=True)
class Cover:
    """The pieces of the partition a polygon touches.

    Attributes
    ----------
    touched : numpy.ndarray
        Indices of the pieces the polygon intersects.
    inside : numpy.ndarray
        Boolean, one per ``touched``: the piece lies wholly inside the polygon.
    polygon : shapely geometry
        The polygon with points every ``MAX_EDGE_DEGREES`` along its edges (as the pieces
        have), prepared for repeated predicates.
    """

    touched: np.ndarray
    inside: np.ndarray
    polygon: BaseGeometry

    def state(self) -> np.ndarray:
        """Per piece of the partition: 0 outside the polygon, 1 on its edge, 2 wholly inside."""
        out = np.zeros(len(_pieces().area_km2), dtype=np.int8)
        out[self.touched] = np.where(self.inside, 2, 1)
        return out


@functools.lru_cache(maxsize=16)
def cover(geom: BaseGeometry) -> Cover:
    """The pieces a lon/lat polygon touches and those wholly inside it (one spatial-index query).

    Cached on the exact geometry: :func:`split` and :func:`geo.population.settlements_within`
    of the same polygon share it.
    """
    pieces = _pieces()
    polygon = shapely.segmentize(geom, MAX_EDGE_DEGREES)
    shapely.prepare(polygon)
    touched = pieces.tree.query(polygon, predicate="intersects")
    inside = np.isin(touched, pieces.tree.query(polygon, predicate="contains"))
    return Cover(touched, inside, polygon)


def piece_at(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The piece each point lies strictly inside (``-1`` on a piece's edge or off the land).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Degrees.

    Returns
    -------
    numpy.ndarray of int
        Index of the piece (pieces do not overlap, so there is at most one).
    """
    out = np.full(len(lon), -1, dtype=np.intp)
    point, piece = _pieces().tree.query(shapely.points(lon, lat), predicate="within")
    out[point] = piece
    return out


def split(geom: BaseGeometry) -> pd.DataFrame:
    """The area of a polygon in each country and first-level unit of the embedded data.

    Parameters
    ----------
    geom : shapely geometry
        Valid lon/lat Polygon or MultiPolygon.

    Returns
    -------
    pandas.DataFrame
        One row per (country, unit) the polygon covers, with ``iso_a3``, ``adm1_code``
        (missing for the country's land outside its shipped units, and for countries
        shipped without units) and ``area_km2`` (geodesic, km², > 0). Sea and land outside
        the embedded countries are in no row.
    """
    columns = ["iso_a3", "adm1_code", "area_km2"]
    if geom is None or geom.is_empty:
        return pd.DataFrame(columns=columns)
    pieces = _pieces()
    found = cover(geom)
    touched, inside = found.touched, found.inside
    areas = np.zeros(len(touched))
    areas[inside] = pieces.area_km2[touched[inside]]
    edge = np.array_split(touched[~inside], THREADS)  # GEOS releases the GIL: cut in parallel
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        cut = pool.map(lambda idx: [area_km2(g) for g in shapely.intersection(pieces.geometry[idx], found.polygon)],
                       edge)
        areas[~inside] = [a for chunk in cut for a in chunk]
    frame = pd.DataFrame({"iso_a3": pieces.iso_a3[touched], "adm1_code": pieces.adm1_code[touched], "area_km2": areas})
    return _summed(frame[frame["area_km2"] > 0])


@functools.cache
def _land_by_unit() -> pd.DataFrame:
    pieces = _pieces()
    frame = pd.DataFrame({"iso_a3": pieces.iso_a3, "adm1_code": pieces.adm1_code, "area_km2": pieces.area_km2})
    return _summed(frame)


def land_by_unit() -> pd.DataFrame:
    """The embedded land of each country and first-level unit, as :func:`split` counts it.

    Returns
    -------
    pandas.DataFrame
        ``iso_a3``, ``adm1_code`` (missing for land outside the shipped units), ``area_km2``
        (geodesic, km²; of the data set's land, so cut at its 60°E edge).
    """
    return _land_by_unit().copy()


def _summed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.groupby(["iso_a3", "adm1_code"], dropna=False, sort=True)["area_km2"].sum().reset_index()
    out["adm1_code"] = out["adm1_code"].astype(object).where(out["adm1_code"].notna(), None)
    return out[["iso_a3", "adm1_code", "area_km2"]]


def unit_land_within(piece: int, geom: BaseGeometry) -> BaseGeometry:
    """The part of ``geom`` on the land of the unit a piece of the partition belongs to.

    Parameters
    ----------
    piece : int
        Index of a piece (as :func:`piece_at` returns); its unit is its (country,
        first-level unit) pair, or the country's land outside its units.
    geom : shapely geometry
        Lon/lat polygon(s).

    Returns
    -------
    shapely geometry
        ``geom`` ∩ that unit's land (possibly empty).
    """
    pieces = _pieces()
    if shapely.contains(pieces.geometry[piece], geom):  # the usual case: wholly inside its own piece
        return geom
    near = pieces.tree.query(geom, predicate="intersects")
    same = near[(pieces.iso_a3[near] == pieces.iso_a3[piece])
                & (pieces.adm1_code[near] == pieces.adm1_code[piece])]
    if not len(same):
        return shapely.Polygon()
    return shapely.intersection(geom, shapely.union_all(pieces.geometry[same]))
