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
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo import data, loc_history
from geo._errors import InputError, ParameterError
from geo.contact import facing_edge
from geo.loc_history import STALE_AFTER_DAYS
from geo.loc_readers import read_line_file

__all__ = [
    "BUILTIN_SOURCE",
    "STALE_AFTER_DAYS",
    "Frontline",
    "available_dates",
    "contact_line",
    "frontline_from_file",
    "frontline_of",
    "frontline_on",
]

BUILTIN_SOURCE = (
    "Buffer-zone mapper's own approximate digitisation of the line of contact from the "
    "positions of settlements on it (data/sources/frontline/METHOD.md); not an authoritative line."
)


@dataclass(frozen=True)
class Frontline:
    """Who holds what across the line of contact on one date, and where that comes from.

    Attributes
    ----------
    date : datetime.date
        The date the data describes (the snapshot's date: on or before the one asked).
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
    source_key : str
        ``builtin``, ``deepstatemap`` or ``file`` (see :mod:`geo.loc_history`).
    content_hash : str
        The snapshot's content hash ("" for a file read directly, not from the history).
    attribution : str
        Who made the data.
    fetched_at : str or None
        When the line was loaded or fetched (ISO 8601, UTC), if it was.
    as_of : datetime.date or None
        The date asked for; the line is :attr:`age_days` older.
    notes : tuple of str
        What the reader took, repaired or assumed.
    """

    date: dt.date
    occupied: BaseGeometry
    ua_held_russia: BaseGeometry
    source: str
    approximate: bool
    occupied_as_drawn: BaseGeometry | None = None
    source_key: str = "builtin"
    content_hash: str = ""
    attribution: str = ""
    fetched_at: str | None = None
    as_of: dt.date | None = None
    notes: tuple[str, ...] = ()

    @property
    def age_days(self) -> int:
        """Days from the line's date to the as-of date (0 when no as-of date was given)."""
        return (self.as_of - self.date).days if self.as_of else 0

    @property
    def stale(self) -> bool:
        """True when the line is more than :data:`STALE_AFTER_DAYS` days older than the as-of date."""
        return self.age_days > STALE_AFTER_DAYS

    @property
    def reference(self) -> str:
        """``source:date:hash`` of the snapshot ("" for a file read directly)."""
        return f"{self.source_key}:{self.date.isoformat()}:{self.content_hash}" if self.content_hash else ""

    def properties(self) -> dict[str, Any]:
        """What every exported feature built on this line carries: ``loc_date``, ``loc_source``, ``loc_age_days``...

        Examples
        --------
        >>> import shapely, datetime as dt
        >>> f = Frontline(dt.date(2026, 11, 1), shapely.Polygon(), shapely.Polygon(), "x", False,
        ...               as_of=dt.date(2026, 11, 30))
        >>> f.properties()["loc_age_days"], f.properties()["loc_stale"]
        (29, True)
        """
        return {"loc_date": self.date.isoformat(), "loc_source": self.source, "loc_source_key": self.source_key,
                "loc_reference": self.reference, "loc_age_days": self.age_days, "loc_stale": self.stale,
                "loc_attribution": self.attribution, "loc_as_of": self.as_of.isoformat() if self.as_of else None}

    def staleness_note(self) -> str | None:
        """One sentence when the line is stale (or later than the as-of date), else None."""
        if self.as_of is None:
            return None
        if self.stale:
            return (f"Stale line of contact: the line used is of {self.date.isoformat()}, {self.age_days} days "
                    f"older than the as-of date {self.as_of.isoformat()} ({self.source_label}). Fetch a newer one "
                    "(bufferzone loc fetch) or load a file (bufferzone loc import FILE).")
        if self.age_days < 0:
            return (f"The line of contact used is of {self.date.isoformat()}, {-self.age_days} days after the "
                    f"as-of date {self.as_of.isoformat()} (chosen explicitly).")
        return None

    @property
    def source_label(self) -> str:
        """Short name of the source: built-in (approximate), DeepStateMap, or the file."""
        return {"builtin": "built-in approximate digitisation", "deepstatemap": "DeepStateMap"}.get(
            self.source_key, "user file")


def available_dates() -> list[dt.date]:
    """Dates of the built-in digitisation, oldest first."""
    return sorted({dt.date.fromisoformat(d) for d in data.frontline()["date"]})


def frontline_on(as_of: dt.date, *, reference: str | None = None) -> Frontline:
    """The line of contact in force on ``as_of``, from the history (built-in dates plus loaded lines).

    Parameters
    ----------
    as_of : datetime.date
    reference : str, optional
        A snapshot named by ``source:YYYY-MM-DD:hash`` (a scenario's or link's), used instead
        of the latest on or before ``as_of``.

    Raises
    ------
    ParameterError
        If ``as_of`` is before the first date in the history (2022-02-23), or ``reference``
        is malformed or not in this history (the message says how to load it).
    """
    if reference:
        snapshot = loc_history.resolve(reference)
        if snapshot is None:
            key, day, digest = loc_history.parse_reference(reference)
            how = ("fetch it (bufferzone loc fetch --date " + day.isoformat() + ")" if key == "deepstatemap"
                   else "load the file it came from (bufferzone loc import FILE)")
            if key == loc_history.BUILTIN_KEY:
                how = "the built-in line of that date has changed since (a newer version of the data)"
            raise ParameterError(f"the line of contact {reference} (from a scenario or link) is not in this "
                                 f"history: {how}")
    else:
        snapshot = loc_history.pick(as_of)
    return frontline_of(snapshot, as_of=as_of)


def frontline_of(snapshot: loc_history.Snapshot, *, as_of: dt.date | None = None) -> Frontline:
    """The :class:`Frontline` of one snapshot of the history (a loaded line cut to Ukraine's land)."""
    drawn, ua_held = loc_history.occupied_of(snapshot)
    builtin = snapshot.source_key == loc_history.BUILTIN_KEY
    occupied = drawn if builtin else _in_ukraine(drawn, snapshot.source)
    return Frontline(snapshot.date, occupied, ua_held,
                     snapshot.source if snapshot.approximate else f"{snapshot.source} ({snapshot.attribution})",
                     snapshot.approximate, occupied_as_drawn=None if builtin else drawn,
                     source_key=snapshot.source_key, content_hash=snapshot.content_hash,
                     attribution=snapshot.attribution, fetched_at=snapshot.added, as_of=as_of, notes=snapshot.notes)


def _in_ukraine(occupied: BaseGeometry, name: str) -> BaseGeometry:
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    inside = shapely.intersection(occupied, ukraine)
    if inside.is_empty:
        raise InputError(f"none of {name}'s polygons lies in Ukraine: is it in lon/lat, and the right file?")
    return inside


def frontline_from_file(path: str | PathLike[str] | bytes, *, filename: str | None = None,
                        as_of: dt.date) -> Frontline:
    """An occupied-area file supplied by the user (every occupied polygon in it), labelled with its own date.

    Polygons are cut to Ukraine's land; parts inside Russia are ignored. The date is the
    file's own (its name, its ``datetime``, or for a history the latest day on or before
    ``as_of``); a file that gives none is taken as of ``as_of``, and a note says so.

    Parameters
    ----------
    path : path or bytes
        A DeepStateMap daily file, history or JSON, an ISW KMZ/KML, a zipped Shapefile,
        any polygon GeoJSON or GeoPackage (:func:`geo.loc_readers.read_line_file`).
    filename : str, optional
        Name of an uploaded file (for bytes).
    as_of : datetime.date
        The date asked for.
    """
    line = read_line_file(path, filename=filename, date=None)
    if line.date is not None and line.date > as_of and line.source.startswith("DeepStateMap history"):
        line = read_line_file(path, filename=filename, date=as_of)
    notes = list(line.notes)
    day = line.date
    if day is None:
        day = as_of
        notes = [n for n in notes if "carries no date" not in n]
        notes.append(f"{line.source} carries no date: taken as of {as_of.isoformat()}, the as-of date.")
    occupied = _in_ukraine(line.occupied, line.source)
    return Frontline(day, occupied, shapely.Polygon(), f"{line.source} ({line.attribution})", False,
                     occupied_as_drawn=line.occupied, source_key=line.source_key, attribution=line.attribution,
                     as_of=as_of, notes=tuple(notes))


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
