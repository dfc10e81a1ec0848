"""Reading untrusted vector files (uploads, CLI inputs) into validated lon/lat features.

One entry point, :func:`read_vector`, for GeoJSON, KML, KMZ, zipped Shapefiles and
GeoPackages, from a path or from bytes. The format is recognised from the content
(:mod:`~geo.reading.sniff`), limits are enforced while parsing (:mod:`~geo.reading.limits`),
GDAL is reached only for the three formats that need it and only in a locked-down way
(:mod:`~geo.reading.gdal`), and every repair or conversion is reported in ``notes``
(:mod:`~geo.reading.clean`). Anything unusable raises :class:`~geo.InputError` with a
one-line reason that names the file, never a server path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo._errors import InputError
from geo.reading.archive import documents_in_zip
from geo.reading.clean import clean_frame
from geo.reading.gdal import read_with_gdal
from geo.reading.geojson import parse_geojson
from geo.reading.limits import DEFAULT_LIMITS, Limits
from geo.reading.sniff import Format, sniff

__all__ = ["DEFAULT_LIMITS", "Format", "Limits", "LoadedVector", "read_vector"]


@dataclass(frozen=True)
class LoadedVector:
    """A user file read into lon/lat features, with what was repaired on the way.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Features in EPSG:4326, 2-D, valid, non-empty. Property columns kept as given.
    notes : tuple of str
        One sentence per repair or conversion (reprojection, Z dropped, polygons fixed...).
    """

    frame: gpd.GeoDataFrame
    notes: tuple[str, ...]


def read_vector(source: str | Path | bytes, *, filename: str | None = None,
                limits: Limits = DEFAULT_LIMITS) -> LoadedVector:
    """Read a vector file (path or uploaded bytes) into validated lon/lat features.

    Parameters
    ----------
    source : path or bytes
        The file, or its content.
    filename : str, optional
        The name shown in messages (an upload's name); it does not decide the format.
    limits : Limits
        Upper bounds on the input (:data:`DEFAULT_LIMITS`).

    Returns
    -------
    LoadedVector

    Raises
    ------
    InputError
        With a one-line reason when the content cannot be used.

    Examples
    --------
    >>> loaded = read_vector(b'{"type": "Point", "coordinates": [30.52, 50.45]}', filename="kyiv.geojson")
    >>> loaded.frame.geometry.iloc[0].wkt
    'POINT (30.52 50.45)'
    """
    if isinstance(source, bytes | bytearray):
        content = bytes(source)
        name = filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise InputError(f"{_one_line(name)} does not exist or is not a file")
        _check_size(path.stat().st_size, _one_line(name), limits)
        content = path.read_bytes()
    name = _one_line(name)
    _check_size(len(content), name, limits)
    if not content.strip():
        raise InputError(f"{name} is empty")
    fmt, note = sniff(content, name)
    notes = [note] if note else []
    if fmt is Format.GEOJSON:
        parsed = parse_geojson(content, name, limits)
        notes += parsed.notes
        frame = clean_frame(parsed.frame, name, notes, crs_name=parsed.crs_name,
                            dropped_dimensions=parsed.dropped_dimensions)
        return LoadedVector(frame, tuple(notes))
    if fmt is Format.ZIP:
        documents = documents_in_zip(content, name, limits)
        if len(documents) > 1:
            notes.append(f"{name} holds {len(documents)} documents, all read: "
                         + ", ".join(d.label for d in documents[:10]) + ("…" if len(documents) > 10 else "") + ".")
        parts = [_read_document(d.files, d.format, f"{name}/{d.label}", limits, notes) for d in documents]
    else:
        parts = [_read_document({".kml" if fmt is Format.KML else ".gpkg": content}, fmt, name, limits, notes)]
    frames = [f for group in parts for f in group if len(f)]
    if not frames:
        raise InputError(f"{name} holds no features")
    crs = frames[0].crs
    frames = [f.to_crs(crs) if f.crs and crs and f.crs != crs else f for f in frames]
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    if len(frame) > limits.max_features:
        raise InputError(f"{name} has {len(frame):,} features; the limit is {limits.max_features:,}")
    return LoadedVector(clean_frame(frame, name, notes), tuple(notes))


def _read_document(files: dict[str, bytes], fmt: Format | None, name: str, limits: Limits,
                   notes: list[str]) -> list[gpd.GeoDataFrame]:
    if fmt is Format.GEOJSON:
        parsed = parse_geojson(next(iter(files.values())), name, limits)
        notes += parsed.notes
        return [parsed.frame]
    return read_with_gdal(files, fmt, name, limits, notes)


def _one_line(name: str) -> str:
    return " ".join(str(name).split())[:120] or "upload"


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise InputError(f"{name} is {size:,} bytes ({limits.mb(size)}); the limit is {limits.max_bytes:,} bytes "
                         f"({limits.mb(limits.max_bytes)}). Simplify or clip it first.")
