"""The dated history of the line of contact: the built-in dates plus every line the user loaded.

A :class:`Snapshot` is one dated occupied area, referred to by source, date and content hash
(:attr:`Snapshot.reference`, e.g. ``deepstatemap:2026-11-30:3f2a9c0d41b7e655``). The built-in
digitisation's dates are always there; loaded lines are kept in the user's cache directory
(:func:`history_dir`: ``platformdirs``' user cache folder, or ``$BUFFERZONE_CACHE_DIR``), one
small metadata file and one WKB geometry per snapshot, so a new session starts with them and
two sessions adding lines at once never overwrite each other's.

The as-of date picks the snapshot on or before it (:func:`pick`); on a date with several,
a loaded line is preferred to the built-in approximation, then the latest loaded.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data
from geo._errors import DataFileError, ParameterError
from geo.geodesy import area_km2
from geo.loc_readers import AreaPoint, ReadLine

__all__ = [
    "BUILTIN_KEY",
    "STALE_AFTER_DAYS",
    "Snapshot",
    "add",
    "add_areas",
    "area_series",
    "content_hash",
    "history",
    "history_dir",
    "occupied_of",
    "parse_reference",
    "pick",
    "resolve",
]

#: A snapshot more than this many days older than the as-of date is stale, and every output says so.
STALE_AFTER_DAYS = 7
BUILTIN_KEY = "builtin"
_SOURCE_KEYS = (BUILTIN_KEY, "deepstatemap", "file")
_REFERENCE = re.compile(r"^(builtin|deepstatemap|file):(\d{4}-\d\d-\d\d):([0-9a-f]{16})$")
_LABELS = {BUILTIN_KEY: "Built-in (approximate)", "deepstatemap": "DeepStateMap", "file": "File"}


@dataclass(frozen=True)
class Snapshot:
    """One dated occupied area in the history (metadata; the geometry is read on demand).

    Attributes
    ----------
    date : datetime.date
        The date the area describes.
    source_key : {"builtin", "deepstatemap", "file"}
    source : str
        One line naming the data (file, format, day).
    attribution : str
        Who made the data.
    content_hash : str
        16 hex digits of the SHA-256 of the geometry's normalised WKB.
    area_km2 : float
        Geodesic km² of the occupied area as the source draws it (not clipped).
    approximate : bool
        True for the built-in digitisation.
    added : str or None
        When it was loaded or fetched (ISO 8601, UTC); None for the built-in dates.
    url : str or None
        Where it was fetched from, if it was.
    notes : tuple of str
        What the reader took, repaired or assumed.
    """

    date: dt.date
    source_key: str
    source: str
    attribution: str
    content_hash: str
    area_km2: float
    approximate: bool = False
    added: str | None = None
    url: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        """``source:date:hash``, the form scenarios and links carry."""
        return f"{self.source_key}:{self.date.isoformat()}:{self.content_hash}"

    @property
    def label(self) -> str:
        """Short human label: ``DeepStateMap 2026-11-30 · 3f2a9c0d``."""
        return f"{_LABELS.get(self.source_key, self.source_key)} {self.date.isoformat()} · {self.content_hash[:8]}"

    def age_days(self, as_of: dt.date) -> int:
        """Days from the snapshot's date to ``as_of`` (negative if the snapshot is later)."""
        return (as_of - self.date).days


def parse_reference(text: str) -> tuple[str, dt.date, str]:
    """Split a reference ``source:YYYY-MM-DD:hash`` into its parts.

    Raises
    ------
    ParameterError
        If it is not of that form.

    Examples
    --------
    >>> parse_reference("deepstatemap:2026-11-30:3f2a9c0d41b7e655")
    ('deepstatemap', datetime.date(2026, 11, 30), '3f2a9c0d41b7e655')
    """
    match = _REFERENCE.match(str(text).strip())
    if not match:
        raise ParameterError(f"a line-of-contact reference is source:YYYY-MM-DD:hash (source one of "
                             f"{', '.join(_SOURCE_KEYS)}; 16 hex digits), got {str(text)[:80]!r}")
    try:
        day = dt.date.fromisoformat(match.group(2))
    except ValueError:
        raise ParameterError(f"the date in the line-of-contact reference {text!r} is not a real date") from None
    return match.group(1), day, match.group(3)


def history_dir() -> Path:
    """Folder of the loaded lines: ``$BUFFERZONE_CACHE_DIR/loc`` or the user cache's ``bufferzone/loc``."""
    root = os.environ.get("BUFFERZONE_CACHE_DIR") or platformdirs.user_cache_dir("bufferzone", appauthor=False)
    return Path(root) / "loc"


def content_hash(*geometries: BaseGeometry) -> str:
    """16 hex digits of the SHA-256 of the geometries' normalised WKB (same shape, same hash)."""
    digest = hashlib.sha256()
    for geom in geometries:
        digest.update(shapely.to_wkb(shapely.normalize(geom), output_dimension=2))
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------- the built-in dates


@functools.cache
def _builtin() -> tuple[Snapshot, ...]:
    from geo.frontline import BUILTIN_SOURCE

    rows = data.frontline()
    empty = shapely.Polygon()
    snapshots = []
    for day in sorted(set(rows["date"])):
        held = rows[rows["date"] == day].set_index("holder").geometry
        ru, ua = held.get("RU", empty), held.get("UA", empty)
        snapshots.append(Snapshot(dt.date.fromisoformat(day), BUILTIN_KEY, BUILTIN_SOURCE,
                                  "Buffer-zone mapper (own digitisation).", content_hash(ru, ua), area_km2(ru),
                                  approximate=True))
    return tuple(snapshots)


def builtin_geometries(day: dt.date) -> tuple[BaseGeometry, BaseGeometry]:
    """The built-in (occupied, held by Ukraine in Russia) areas of one digitised date."""
    rows = data.frontline()
    held = rows[rows["date"] == day.isoformat()].set_index("holder").geometry
    empty = shapely.Polygon()
    return held.get("RU", empty), held.get("UA", empty)


# ----------------------------------------------------------------------------- loaded lines


def _stored() -> list[Snapshot]:
    folder = history_dir()
    if not folder.is_dir():
        return []
    found = []
    for meta in sorted(folder.glob("*.json")):
        if meta.name == "areas.json":
            continue
        try:
            doc = json.loads(meta.read_text("utf-8"))
            doc["date"] = dt.date.fromisoformat(doc["date"])
            doc["notes"] = tuple(doc.get("notes", ()))
            snap = Snapshot(**doc)
        except (OSError, ValueError, TypeError, KeyError):
            continue  # a damaged or foreign file in the cache is skipped, never trusted
        if (folder / f"{snap.content_hash}.wkb").is_file():
            found.append(snap)
    return found


def history() -> list[Snapshot]:
    """Every snapshot, oldest first; on one date the built-in line first, then loaded ones by load time."""
    everything = [*_builtin(), *_stored()]
    return sorted(everything, key=lambda s: (s.date, s.source_key != BUILTIN_KEY, s.added or ""))


def add(line: ReadLine, *, date: dt.date | None = None, url: str | None = None,
        added: dt.datetime | None = None) -> Snapshot:
    """Keep a loaded line in the history (the cache folder); returns its snapshot.

    The same geometry on the same date is kept once (its metadata refreshed).

    Parameters
    ----------
    line : ReadLine
        What a reader returned.
    date : datetime.date, optional
        The date it describes, if the file did not say.
    url : str, optional
        Where it was fetched from.
    added : datetime.datetime, optional
        When it was loaded (default: now, UTC).

    Raises
    ------
    ParameterError
        If no date is known.
    """
    day = date or line.date
    if day is None:
        raise ParameterError(f"{line.source} carries no date: give the date it describes (e.g. --date YYYY-MM-DD)")
    folder = history_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = content_hash(line.occupied)
    stamp = (added or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    snap = Snapshot(day, line.source_key if line.source_key in _SOURCE_KEYS else "file", line.source,
                    line.attribution, digest, round(line.area_km2, 1), False, stamp, url, line.notes)
    _atomic_write(folder / f"{digest}.wkb", shapely.to_wkb(line.occupied, output_dimension=2))
    doc = {**asdict(snap), "date": day.isoformat(), "notes": list(snap.notes)}
    _atomic_write(folder / f"{day.isoformat()}_{snap.source_key}_{digest}.json",
                  json.dumps(doc, ensure_ascii=False, indent=1).encode())
    return snap


def _atomic_write(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def occupied_of(snapshot: Snapshot) -> tuple[BaseGeometry, BaseGeometry]:
    """The (occupied, held by Ukraine in Russia) areas of a snapshot, as its source draws them.

    Loaded lines hold no Ukrainian-held Russian land (their sources draw only the occupied
    area): that part is empty for them.

    Raises
    ------
    DataFileError
        If a loaded line's geometry file is missing or damaged, or has changed since it was stored.
    """
    if snapshot.source_key == BUILTIN_KEY:
        return builtin_geometries(snapshot.date)
    return _stored_geometry(history_dir() / f"{snapshot.content_hash}.wkb", snapshot.content_hash), shapely.Polygon()


@functools.lru_cache(maxsize=8)
def _stored_geometry(path: Path, digest: str) -> BaseGeometry:
    try:
        geom = shapely.from_wkb(path.read_bytes())
    except (OSError, shapely.errors.GEOSException) as exc:
        raise DataFileError(f"the stored line {path.name} cannot be read ({type(exc).__name__}); "
                            "load it again") from None
    if content_hash(geom) != digest:
        raise DataFileError(f"the stored line {path.name} has changed since it was loaded; load it again")
    return geom


def pick(as_of: dt.date, *, snapshots: list[Snapshot] | None = None) -> Snapshot:
    """The snapshot in force on ``as_of``: the latest dated on or before it (loaded preferred on a tie).

    Raises
    ------
    ParameterError
        If every snapshot is later than ``as_of``.
    """
    everything = history() if snapshots is None else snapshots
    candidates = [s for s in everything if s.date <= as_of]
    if not candidates:
        first = min((s.date for s in everything), default=None)
        raise ParameterError(f"no line of contact is digitised on or before {as_of.isoformat()}; the first date is "
                             f"{first.isoformat() if first else 'unknown (empty history)'}")
    return candidates[-1]


def resolve(reference: str) -> Snapshot | None:
    """The snapshot a reference names, or None if this history does not hold it.

    Raises
    ------
    ParameterError
        If ``reference`` is not of the form ``source:YYYY-MM-DD:hash``.
    """
    key, day, digest = parse_reference(reference)
    for snap in history():
        if snap.source_key == key and snap.date == day and snap.content_hash == digest:
            return snap
    return None


# ----------------------------------------------------------------------------- occupied area over time


def add_areas(points: list[AreaPoint], *, source_key: str) -> None:
    """Keep a history's daily km² (for the chart) beside those kept before.

    Each call writes one new file under ``areas/``, named by its content and never rewritten,
    so two sessions saving at once cannot lose each other's points (no read-modify-write).
    """
    if not points:
        return
    folder = history_dir() / "areas"
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"source_key": source_key,
           "points": sorted({p.date.isoformat(): round(p.area_km2, 1) for p in points}.items())}
    content = json.dumps(doc).encode()
    digest = hashlib.sha256(content).hexdigest()[:16]
    _atomic_write(folder / f"{_safe_name(source_key)}_{digest}.json", content)


def _safe_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", key)[:40] or "source"


def _read_areas() -> dict[str, dict[str, float]]:
    """{source key: {ISO date: km²}} merged over every kept file (later files win on a date)."""
    folder = history_dir()
    merged: dict[str, dict[str, float]] = {}
    legacy = folder / "areas.json"  # written by earlier versions: {source key: [[date, km²], ...]}
    try:
        old = json.loads(legacy.read_text("utf-8"))
    except (OSError, ValueError):
        old = {}
    for key, points in (old.items() if isinstance(old, dict) else ()):
        merged.setdefault(str(key), {}).update(_points(points))
    for path in sorted((folder / "areas").glob("*.json"), key=_mtime):
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue  # a damaged file is skipped, never trusted
        if isinstance(doc, dict) and isinstance(doc.get("source_key"), str):
            merged.setdefault(doc["source_key"], {}).update(_points(doc.get("points")))
    return merged


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _points(points: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in points if isinstance(points, list) else ():
        try:
            day, km2 = item
            out[dt.date.fromisoformat(str(day)).isoformat()] = float(km2)
        except (TypeError, ValueError):
            continue
    return out


def area_series() -> list[tuple[dt.date, str, float]]:
    """(date, source label, km² as drawn) of every snapshot and every kept daily figure, by date."""
    rows: dict[tuple[dt.date, str], float] = {}
    for key, points in _read_areas().items():
        for day, km2 in points.items():
            rows[(dt.date.fromisoformat(day), _LABELS.get(key, key))] = km2
    for snap in history():
        rows[(snap.date, _LABELS.get(snap.source_key, snap.source_key))] = snap.area_km2
    return sorted((d, s, a) for (d, s), a in rows.items())
