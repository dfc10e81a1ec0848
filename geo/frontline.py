"""The line of contact as of a date: held areas, the line itself, and user-supplied files.

The built-in data is an approximate digitisation (``data/sources/frontline/METHOD.md``);
a user may instead load an authoritative occupied-area file (a DeepStateMap GeoJSON export,
an ISW KMZ or shapefile), and everything downstream recomputes from it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from os import PathLike

import shapely
from shapely.geometry.base import BaseGeometry

from geo import data
from geo._errors import InputError, ParameterError
from geo.contact import facing_edge
from geo.geodesy import polygon_parts
from geo.io import read_vector

__all__ = ["BUILTIN_SOURCE", "Frontline", "available_dates", "contact_line", "frontline_from_file", "frontline_on"]

BUILTIN_SOURCE = (
    "Buffer-zone mapper's own approximate digitisation of the line of contact from the "
    "positions of settlements on it (data/sources/frontline/METHOD.md); not an authoritative line."
)


@dataclass(frozen=True)
class Frontline:
    """Who holds what across the line of contact on one date.

    Attributes
    ----------
    date : datetime.date
        The date the data describes (the latest digitised date on or before the one asked).
    occupied : shapely geometry
        Ukrainian land held by Russia (Crimea and Sevastopol included), lon/lat.
    ua_held_russia : shapely geometry
        Russian land held by Ukraine (e.g. part of Kursk oblast in 2024–25); may be empty.
    source : str
    approximate : bool
    occupied_as_drawn : shapely geometry or None
        The source's occupied polygons as it draws them, before they are cut to the embedded
        land (its own coast, parts at sea or over the border); None for the built-in line,
        which is drawn on the embedded land. Only ``occupied_km2_as_drawn`` figures use it.
    """

    date: dt.date
    occupied: BaseGeometry
    ua_held_russia: BaseGeometry
    source: str
    approximate: bool
    occupied_as_drawn: BaseGeometry | None = None


def available_dates() -> list[dt.date]:
    """Dates of the built-in digitisation, oldest first."""
    return sorted({dt.date.fromisoformat(d) for d in data.frontline()["date"]})


def frontline_on(as_of: dt.date) -> Frontline:
    """The built-in line of contact in force on ``as_of`` (latest digitised date not after it).

    Parameters
    ----------
    as_of : datetime.date

    Raises
    ------
    ParameterError
        If ``as_of`` is before the first digitised date (2022-02-23).
    """
    dates = [d for d in available_dates() if d <= as_of]
    if not dates:
        raise ParameterError(
            f"no line of contact is digitised on or before {as_of.isoformat()}; the first date is "
            f"{available_dates()[0].isoformat()}"
        )
    chosen = dates[-1]
    rows = data.frontline()
    rows = rows[rows["date"] == chosen.isoformat()].set_index("holder").geometry
    empty = shapely.Polygon()
    return Frontline(chosen, rows.get("RU", empty), rows.get("UA", empty), BUILTIN_SOURCE, True)


def frontline_from_file(path: str | PathLike[str] | bytes, *, filename: str | None = None, as_of: dt.date) -> Frontline:
    """An occupied-area file supplied by the user (every polygon in it counts as occupied).

    Polygons are cut to Ukraine's land; parts inside Russia are ignored.

    Parameters
    ----------
    path : path or bytes
        GeoJSON (e.g. a DeepStateMap export), KML/KMZ, zipped Shapefile or GeoPackage.
    filename : str, optional
        Name of an uploaded file (for bytes).
    as_of : datetime.date
        The date the file describes, as the user states it.
    """
    loaded = read_vector(path, filename=filename)
    polygons = [p for g in loaded.frame.geometry for p in polygon_parts(g)]
    if not polygons:
        raise InputError("the occupied-area file holds no polygons (expected the occupied areas as polygons)")
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    drawn = shapely.union_all(polygons)
    occupied = shapely.intersection(drawn, ukraine)
    if occupied.is_empty:
        raise InputError("none of the file's polygons lies in Ukraine: is it in lon/lat, and the right file?")
    name = filename or str(path) if not isinstance(path, bytes) else filename or "uploaded file"
    return Frontline(as_of, occupied, shapely.Polygon(), f"User-supplied file {name}", False, occupied_as_drawn=drawn)


def contact_line(front: Frontline) -> BaseGeometry:
    """The line of contact: the edge of each side's held area that faces the other side's land.

    Never a coast or an international border, whatever the source's own coastline looks like:
    see :mod:`geo.contact` for the method (slivers between a source's coast and the embedded
    one are not the other side; fronts across the Dnieper face the other bank).

    Returns
    -------
    shapely.MultiLineString or LineString
        Lon/lat; includes the Dnieper where the river is the front.
    """
    return _contact_line(front.occupied, front.ua_held_russia)


@functools.lru_cache(maxsize=16)
def _contact_line(occupied: BaseGeometry, ua_held_russia: BaseGeometry) -> BaseGeometry:
    """Cached on the exact geometries: the same front always gives the same line."""
    countries = data.countries().set_index("iso_a3").geometry
    ukraine, russia = countries["UKR"], countries["RUS"]
    outline = _outline()
    edges = [facing_edge(occupied, shapely.union_all([shapely.difference(ukraine, occupied), ua_held_russia]),
                         outline)]
    if not ua_held_russia.is_empty:
        edges.append(facing_edge(ua_held_russia, shapely.union_all([shapely.difference(russia, ua_held_russia),
                                                                    occupied]), outline))
    return shapely.line_merge(shapely.union_all(edges))


@functools.cache
def _outline() -> BaseGeometry:
    """Ukraine's and Russia's outlines: their coasts and international borders."""
    countries = data.countries().set_index("iso_a3").geometry
    return shapely.union_all([countries["UKR"].boundary, countries["RUS"].boundary])
