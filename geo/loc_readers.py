"""Readers for the occupied-area files users have: DeepStateMap's formats, ISW's, any polygon file.

Each reader returns :class:`ReadLine` objects: the occupied area as the source draws it
(lon/lat, not clipped to any outline), the date it describes (or ``None`` when neither the
file nor the user gives one), the source and its attribution, and what was done on the way.

Formats
-------
- a DeepStateMap daily file as mirrored on GitHub (``cyterat/deepstate-map-data``,
  ``data/deepstatemap_data_YYYYMMDD.geojson``): one feature, a MultiPolygon, a legacy
  ``crs`` member; the date comes from the name unless the user gives one;
- the mirror's unified history (``deepstate-map-data.geojson.gz``): one feature per day with
  a ``date`` property. It is *streamed* (:mod:`ijson` over :mod:`gzip`): only the days asked
  for are turned into geometries, and each day's occupied km² can be collected on the way
  (for a chart) without keeping its polygons;
- DeepStateMap's own history JSON (``{"id", "datetime", "map": FeatureCollection}``): the
  occupied polygons are those whose English name (the part after ``///``) is one of
  :data:`DEEPSTATE_OCCUPIED_NAMES`; the names taken and left are reported;
- anything else :func:`geo.io.read_vector` reads (ISW KMZ/KML, zipped Shapefiles,
  GeoPackages, GeoJSON): every polygon counts as occupied.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import IO, Any

import ijson
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError
from geo.geodesy import area_km2, polygon_parts
from geo.io import MAX_INPUT_BYTES, read_vector

__all__ = [
    "DEEPSTATE_ATTRIBUTION",
    "DEEPSTATE_OCCUPIED_NAMES",
    "MAX_HISTORY_DAYS",
    "MAX_HISTORY_UNZIPPED_BYTES",
    "AreaPoint",
    "ReadLine",
    "date_from_name",
    "iter_deepstate_history",
    "read_deepstate_api",
    "read_deepstate_daily",
    "read_line_file",
]

DEEPSTATE_ATTRIBUTION = (
    "Occupied area: DeepStateMap (deepstatemap.live), daily copies from the public mirror "
    "github.com/cyterat/deepstate-map-data."
)
#: English names of DeepStateMap's occupied-area polygons (the mirror's own selection):
#: the areas occupied since 2022, the "CADR and CALR" held since 2014, and Crimea.
DEEPSTATE_OCCUPIED_NAMES = ("Occupied", "CADR and CALR", "Occupied Crimea")
#: Most bytes a streamed history may decompress to (the mirror's is a few hundred MB at most).
MAX_HISTORY_UNZIPPED_BYTES = 2 * 1024 ** 3
#: Most days a history may hold (the mirror adds one a day since 2024-07-08).
MAX_HISTORY_DAYS = 20_000
_MAX_RATIO = 100
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d)-?([01]\d)-?([0-3]\d)(?!\d)")


@dataclass(frozen=True)
class ReadLine:
    """One dated occupied area read from a file.

    Attributes
    ----------
    date : datetime.date or None
        The date the area describes; ``None`` if neither the file nor the user gave one.
    occupied : shapely geometry
        The occupied area as the source draws it (lon/lat; not clipped to any outline).
    source_key : {"deepstatemap", "file"}
        What kind of source it is (DeepStateMap's data, or any other file).
    source : str
        One line naming the file and its format.
    attribution : str
        Who made the data, to show beside every figure drawn from it.
    notes : tuple of str
        What was taken, repaired or assumed on the way.
    """

    date: dt.date | None
    occupied: BaseGeometry
    source_key: str
    source: str
    attribution: str
    notes: tuple[str, ...] = ()

    @property
    def area_km2(self) -> float:
        """Geodesic area of the occupied area as drawn, km²."""
        return area_km2(self.occupied)


@dataclass(frozen=True)
class AreaPoint:
    """A day's occupied area in a history, km² as the source draws it (for a chart)."""

    date: dt.date
    area_km2: float


def date_from_name(name: str) -> dt.date | None:
    """The date written in a file name (``..._20261130.geojson``, ``..._2026-11-30.kmz``), if any.

    Examples
    --------
    >>> date_from_name("deepstatemap_data_20261130.geojson")
    datetime.date(2026, 11, 30)
    >>> date_from_name("occupied.geojson") is None
    True
    """
    for match in _DATE_IN_NAME.finditer(Path(name).name):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


# ----------------------------------------------------------------------------- daily file, any polygon file


def read_deepstate_daily(source: str | PathLike[str] | bytes, *, filename: str | None = None,
                         date: dt.date | None = None) -> ReadLine:
    """A DeepStateMap daily file from the mirror (``deepstatemap_data_YYYYMMDD.geojson``).

    Parameters
    ----------
    source : path or bytes
    filename : str, optional
        Name of uploaded bytes (it carries the date).
    date : datetime.date, optional
        The date the file describes; by default the one in its name.

    Raises
    ------
    InputError
        If the file holds no polygon, or is not GeoJSON.
    """
    line = _read_polygons(source, filename=filename, date=date)
    return ReadLine(line.date, line.occupied, "deepstatemap", f"DeepStateMap daily file {_name(source, filename)}",
                    DEEPSTATE_ATTRIBUTION, line.notes)


def _read_polygons(source: str | PathLike[str] | bytes, *, filename: str | None, date: dt.date | None) -> ReadLine:
    loaded = read_vector(source, filename=filename)
    polygons = [p for g in loaded.frame.geometry for p in polygon_parts(g)]
    name = _name(source, filename)
    if not polygons:
        raise InputError(f"{name} holds no polygons (expected the occupied areas as polygons)")
    notes = list(loaded.notes)
    skipped = len(loaded.frame) - sum(1 for g in loaded.frame.geometry if polygon_parts(g))
    if skipped:
        notes.append(f"{skipped} feature(s) of {name} without polygons (points, lines) were left out.")
    when = date or date_from_name(name)
    if when is None:
        notes.append(f"{name} carries no date (none in its name): give the date it describes.")
    occupied = shapely.union_all(polygons)
    return ReadLine(when, occupied, "file", f"File {name}", f"Occupied area from {name} (user-supplied).",
                    tuple(notes))


def _name(source: str | PathLike[str] | bytes, filename: str | None) -> str:
    if filename:
        return " ".join(Path(filename).name.split())
    if isinstance(source, bytes | bytearray):
        return "uploaded file"
    return Path(source).name


# ----------------------------------------------------------------------------- DeepStateMap's own API JSON


def read_deepstate_api(source: str | PathLike[str] | bytes | dict[str, Any], *, filename: str | None = None,
                       date: dt.date | None = None) -> ReadLine:
    """DeepStateMap's own history JSON (``{"id", "datetime", "map": FeatureCollection}``).

    The occupied polygons are the features whose English name (after ``///``) is one of
    :data:`DEEPSTATE_OCCUPIED_NAMES`; points and other areas (liberated, contested, unknown)
    are left out, and the notes say which names were taken and which were not.

    Parameters
    ----------
    source : path, bytes or parsed dict
    filename : str, optional
    date : datetime.date, optional
        Overrides the document's ``datetime``.
    """
    name = _name(source, filename) if not isinstance(source, dict) else (filename or "DeepStateMap JSON")
    doc = source if isinstance(source, dict) else _load_json(source, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("map"), dict):
        raise InputError(f'{name} is not DeepStateMap history JSON: expected an object with a "map" FeatureCollection')
    features = doc["map"].get("features")
    if not isinstance(features, list):
        raise InputError(f'{name}: its "map" needs a "features" array')
    taken: dict[str, int] = {}
    left: dict[str, int] = {}
    keep = []
    for feat in features:
        if not isinstance(feat, dict):
            continue
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        parts = [p.strip() for p in str(props.get("name", "")).split("///")]
        english = parts[1] if len(parts) > 1 else parts[0]
        geometry = feat.get("geometry") if isinstance(feat.get("geometry"), dict) else {}
        polygonal = geometry.get("type") in ("Polygon", "MultiPolygon")
        label = " ".join(english.split())[:60] or "(no name)"
        if polygonal and english in DEEPSTATE_OCCUPIED_NAMES:
            taken[label] = taken.get(label, 0) + 1
            keep.append({"type": "Feature", "properties": {}, "geometry": geometry})
        else:
            kind = geometry.get("type", "no geometry")
            left[f"{label} ({kind})"] = left.get(f"{label} ({kind})", 0) + 1
    if not keep:
        raise InputError(f"{name} has no occupied-area polygons (expected names ending in "
                         f"{' / '.join(DEEPSTATE_OCCUPIED_NAMES)} after '///')")
    when = date or _api_date(doc.get("datetime")) or date_from_name(name)
    collection = json.dumps({"type": "FeatureCollection", "features": keep}).encode()
    line = _read_polygons(collection, filename=f"{name}.geojson", date=when)
    notes = [f"Taken as occupied: {_counted(taken)}."]
    if left:
        notes.append(f"Left out: {_counted(left)}.")
    notes += [n for n in line.notes if "carries no date" not in n]
    if when is None:
        notes.append(f"{name} carries no date: give the date it describes.")
    ident = doc.get("id")
    label = f" (id {str(ident)[:20]})" if ident is not None else ""
    return ReadLine(when, line.occupied, "deepstatemap", f"DeepStateMap history JSON {name}{label}",
                    "Occupied area: DeepStateMap (deepstatemap.live).", tuple(notes))


def _api_date(value: Any) -> dt.date | None:
    if isinstance(value, int | float) and not isinstance(value, bool):  # epoch seconds or milliseconds
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _counted(names: dict[str, int]) -> str:
    return ", ".join(f"{n} ×{c}" if c > 1 else n for n, c in sorted(names.items()))


def _load_json(source: str | PathLike[str] | bytes, name: str) -> Any:
    content = source if isinstance(source, bytes | bytearray) else _read_bytes(Path(source))
    try:
        return json.loads(bytes(content).decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except (RecursionError, ValueError):
        raise InputError(f"{name} is not valid JSON") from None


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise InputError(f"{path.name} is {path.stat().st_size / 1e6:.1f} MB; the limit is "
                         f"{MAX_INPUT_BYTES / 1e6:.0f} MB")
    return path.read_bytes()


# ----------------------------------------------------------------------------- the unified history, streamed


class _Counted(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes (a decompression bomb)."""

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        self._raw, self._limit, self._name, self._count = raw, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        self._count += len(data)
        if self._count > self._limit:
            raise InputError(f"{self._name} decompresses to more than {self._limit / 1e6:,.0f} MB; refused")
        buffer[: len(data)] = data
        return len(data)


def iter_deepstate_history(
    source: str | PathLike[str] | bytes,
    *,
    filename: str | None = None,
    keep: Callable[[dt.date], bool] | None = None,
    areas: list[AreaPoint] | None = None,
) -> Iterator[ReadLine]:
    """Stream the mirror's unified history, one day at a time.

    Parameters
    ----------
    source : path or bytes
        ``deepstate-map-data.geojson.gz`` (gzip of one FeatureCollection; plain JSON is read too).
    filename : str, optional
    keep : callable, optional
        ``keep(date) -> bool``: which days to yield as :class:`ReadLine` (default: all).
        Days not kept are parsed one at a time and dropped: their polygons are never built.
    areas : list, optional
        If given, an :class:`AreaPoint` is appended for *every* day (geodesic km² as drawn).

    Yields
    ------
    ReadLine
        The kept days, in file order, each checked like any file (:func:`geo.io.read_vector`).

    Raises
    ------
    InputError
        If the file is not such a history (no ``date`` properties, bad JSON, too large).
    """
    name = _name(source, filename)
    for day, geometry in _raw_days(source, name, areas):
        if keep is None or keep(day):
            yield _day_line(name, day, geometry)


def _day_line(name: str, day: dt.date, geometry: Any) -> ReadLine:
    """A day of the history checked like any polygon file (one day's polygons built, no more)."""
    single = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": geometry}]}).encode()
    line = _read_polygons(single, filename=f"{name} ({day.isoformat()}).geojson", date=day)
    return ReadLine(day, line.occupied, "deepstatemap", f"DeepStateMap history {name}, day {day.isoformat()}",
                    DEEPSTATE_ATTRIBUTION, line.notes)


def _raw_days(source: str | PathLike[str] | bytes, name: str,
              areas: list[AreaPoint] | None) -> Iterator[tuple[dt.date, Any]]:
    """(date, GeoJSON geometry dict) of each day, streamed; the file is never held whole."""
    if isinstance(source, bytes | bytearray):
        size = len(source)
        raw: IO[bytes] = io.BytesIO(bytes(source))
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{path} does not exist or is not a file")
        size = path.stat().st_size
        raw = path.open("rb")
    try:
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{name} is {size / 1e6:.1f} MB; the limit is {MAX_INPUT_BYTES / 1e6:.0f} MB")
        head = raw.read(2)
        raw.seek(0)
        if head == b"\x1f\x8b":
            limit = min(MAX_HISTORY_UNZIPPED_BYTES, max(size, 1) * _MAX_RATIO)
            stream: IO[bytes] = io.BufferedReader(_Counted(gzip.GzipFile(fileobj=raw), limit, name))
        else:
            stream = raw
        count = 0
        for feat in ijson.items(stream, "features.item", use_float=True):
            count += 1
            if count > MAX_HISTORY_DAYS:
                raise InputError(f"{name} has more than {MAX_HISTORY_DAYS:,} days; the limit is {MAX_HISTORY_DAYS:,}")
            props = feat.get("properties") if isinstance(feat, dict) else None
            try:
                day = dt.date.fromisoformat(str((props if isinstance(props, dict) else {}).get("date", ""))[:10])
            except ValueError:
                raise InputError(f"{name}: feature {count - 1} has no valid \"date\" property (YYYY-MM-DD); "
                                 "is it the unified history file?") from None
            geometry = feat.get("geometry")
            if areas is not None:
                areas.append(AreaPoint(day, _area_of(geometry, name, day)))
            yield day, geometry
        if count == 0:
            raise InputError(f"{name} holds no features (expected one feature per day)")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{name} is not a readable gzip/GeoJSON history ({type(exc).__name__})") from None
    except ijson.JSONError as exc:
        raise InputError(f"{name} is not valid JSON ({str(exc).splitlines()[0][:120]})") from None
    finally:
        raw.close()


def _area_of(geometry: Any, name: str, day: dt.date) -> float:
    try:
        return area_km2(shapely.from_geojson(json.dumps(geometry)))
    except Exception:  # malformed geometry: GEOS raises its own error types
        raise InputError(f"{name}: the geometry of {day.isoformat()} is malformed") from None


# ----------------------------------------------------------------------------- any of them


def read_line_file(
    source: str | PathLike[str] | bytes,
    *,
    filename: str | None = None,
    date: dt.date | None = None,
    areas: list[AreaPoint] | None = None,
) -> ReadLine:
    """One dated occupied area from any supported file, its format recognised from the content.

    Parameters
    ----------
    source : path or bytes
    filename : str, optional
        Name of uploaded bytes.
    date : datetime.date, optional
        For a single-date file, the date it describes (overrides the name's); for a history,
        the day wanted (the latest day on or before it). Default: the name's date; the
        history's latest day.
    areas : list, optional
        For a history, filled with every day's occupied km² (see :func:`iter_deepstate_history`).

    Raises
    ------
    InputError
        With a one-line reason.
    """
    name = _name(source, filename)
    head = source[:4096] if isinstance(source, bytes | bytearray) else _head(Path(source))
    if head[:2] == b"\x1f\x8b":
        return _pick_day(source, filename, date, areas)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        sniff = text[:4096]
        if b'"map"' in sniff and (b'"datetime"' in sniff or b'"id"' in sniff):
            return read_deepstate_api(source, filename=filename, date=date)
        if "deepstate-map-data" in name:  # the history, decompressed by the user
            return _pick_day(source, filename, date, areas)
        if re.match(r"deepstatemap_data_\d{8}", name):
            return read_deepstate_daily(source, filename=filename, date=date)
    return _read_polygons(source, filename=filename, date=date)


def _head(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    with path.open("rb") as f:
        return f.read(4096)


def _pick_day(source: str | PathLike[str] | bytes, filename: str | None, date: dt.date | None,
              areas: list[AreaPoint] | None) -> ReadLine:
    """The history's day on or before ``date`` (or its latest); only that day's polygons are built."""
    name = _name(source, filename)
    best: tuple[dt.date, Any] | None = None
    for day, geometry in _raw_days(source, name, areas):
        if (date is None or day <= date) and (best is None or day >= best[0]):
            best = (day, geometry)
    if best is None:
        raise InputError(f"{name} has no day on or before {date.isoformat() if date else '?'}")
    line = _day_line(name, *best)
    note = (f"Day {best[0].isoformat()} taken from the history {name}"
            + (f" (the latest on or before {date.isoformat()})." if date else " (its latest)."))
    return ReadLine(line.date, line.occupied, line.source_key, line.source, line.attribution, (note, *line.notes))
