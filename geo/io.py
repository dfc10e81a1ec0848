"""Reading user vector files safely and writing RFC 7946 GeoJSON.

Reading accepts GeoJSON, KML, KMZ, zipped Shapefiles and GeoPackages, from a path or from
bytes (an upload). Everything is checked before it is trusted: size and vertex limits
(enforced before parsing), archive entries (no path traversal, nested archives or
decompression bombs), JSON structure, CRS (reprojected to lon/lat, or refused when
coordinates cannot be lon/lat), swapped coordinates, Z/M values, empty and invalid
geometries (repaired with ``make_valid``). Each repair is reported in ``notes`` so the user
is told what was changed; anything unusable raises :class:`~geo.InputError` with a
one-line reason.
"""

from __future__ import annotations

import io
import json
import lzma
import math
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError

__all__ = [
    "MAX_FEATURES",
    "MAX_INPUT_BYTES",
    "MAX_UNZIPPED_BYTES",
    "MAX_VERTICES",
    "LoadedVector",
    "feature_collection",
    "read_vector",
    "write_geojson",
]

#: Largest file accepted, bytes (checked before parsing).
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: Largest total size of an archive's contents, bytes, and largest compression ratio.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
#: Most features and vertices accepted in one file.
MAX_FEATURES = 50_000
MAX_VERTICES = 2_000_000

_GEOJSON_GEOMETRY_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
}
_SUFFIXES = {
    ".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".kmz": "kmz", ".zip": "zip",
    ".gpkg": "gpkg",
}
#: What a damaged archive can raise while being opened or read.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
               OSError, ValueError)


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


def read_vector(source: str | Path | bytes, *, filename: str | None = None) -> LoadedVector:
    """Read a vector file (path or uploaded bytes) into validated lon/lat features.

    Parameters
    ----------
    source : path or bytes
        The file, or its content.
    filename : str, optional
        Name used to recognise the format when ``source`` is bytes (its suffix:
        ``.geojson``/``.json``, ``.kml``, ``.kmz``, ``.zip`` (Shapefile), ``.gpkg``).

    Returns
    -------
    LoadedVector

    Raises
    ------
    InputError
        With a one-line reason when the content cannot be used.
    """
    if isinstance(source, bytes | bytearray):
        content = bytes(source)
        name = filename or "upload"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{path} does not exist or is not a file")
        size = path.stat().st_size
        _check_size(size, path.name)
        content = path.read_bytes()
        name = filename or path.name
    name = " ".join(name.split()) or "upload"  # one line in every message
    _check_size(len(content), name)
    if not content.strip():
        raise InputError(f"{name} is empty")
    kind = _kind(name, content)
    notes: list[str] = []
    if kind == "geojson":
        frame = _read_geojson(content, name, notes)
    else:
        frame = _read_with_gdal(content, name, kind)
    return LoadedVector(*_clean(frame, name, notes))


# ----------------------------------------------------------------------------- detection


def _check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{name} is {size / 1e6:.1f} MB; the limit is {MAX_INPUT_BYTES / 1e6:.0f} MB. "
            "Simplify or clip it first."
        )


def _kind(name: str, content: bytes) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = content[:512].lstrip()
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith((b"{", b"[")):
        return "geojson"
    if head.startswith(b"<") and b"kml" in head.lower():
        return "kml"
    if content.startswith(b"SQLite format 3"):
        return "gpkg"
    raise InputError(
        f"cannot tell the format of {name}: use GeoJSON (.geojson), KML (.kml), KMZ (.kmz), "
        "a zipped Shapefile (.zip) or a GeoPackage (.gpkg)"
    )


# ----------------------------------------------------------------------------- GeoJSON


def _read_geojson(content: bytes, name: str, notes: list[str]) -> gpd.GeoDataFrame:
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text, so it cannot be GeoJSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to be GeoJSON") from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise InputError(f"{name} is not valid JSON: a number has too many digits") from None
    if not isinstance(doc, dict) or "type" not in doc:
        raise InputError(f"{name} is JSON but not GeoJSON: expected an object with a \"type\" member")
    crs = _legacy_crs(doc, name)
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise InputError(f"{name}: a FeatureCollection needs a \"features\" array")
    elif kind == "Feature":
        feats = [doc]
    elif isinstance(kind, str) and kind in _GEOJSON_GEOMETRY_TYPES:
        feats = [{"type": "Feature", "geometry": doc, "properties": {}}]
    else:
        raise InputError(
            f"{name}: unknown GeoJSON type {str(kind)[:40]!r}; expected FeatureCollection, Feature or a geometry"
        )
    if len(feats) > MAX_FEATURES:
        raise InputError(f"{name} has {len(feats):,} features; the limit is {MAX_FEATURES:,}")
    _count_vertices(feats, name)
    geoms, props = [], []
    for i, feat in enumerate(feats):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise InputError(f"{name}: feature {i} is not a GeoJSON Feature object")
        geoms.append(_geometry(feat.get("geometry"), name, i))
        p = feat.get("properties")
        props.append(p if isinstance(p, dict) else {})
    # a legacy "crs" other than lon/lat is reprojected (and noted once) by _to_lonlat
    return gpd.GeoDataFrame(pd.DataFrame(props), geometry=geoms, crs=crs or "EPSG:4326")


def _legacy_crs(doc: Mapping[str, Any], name: str) -> str | None:
    crs = doc.get("crs")
    if crs is None:
        return None
    try:
        value = crs["properties"]["name"]
        parsed = CRS.from_user_input(value)
    except Exception:
        raise InputError(f"{name}: its \"crs\" member is not a CRS this tool understands") from None
    if parsed.equals(CRS.from_user_input("OGC:CRS84")):
        return "EPSG:4326"
    return parsed.to_string()


def _count_vertices(feats: Iterable[Any], name: str) -> None:
    total = 0
    stack: list[Any] = [f.get("geometry") for f in feats if isinstance(f, dict)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "coordinates" in item:
                stack.append(item["coordinates"])
            stack.extend(item.get("geometries", []) if isinstance(item.get("geometries"), list) else [])
        elif isinstance(item, list):
            if item and all(isinstance(v, int | float) for v in item):
                try:
                    finite = all(math.isfinite(v) for v in item)
                except OverflowError:  # an integer too large for a float
                    finite = False
                if not finite:
                    raise InputError(f"{name} has NaN or infinite coordinates")
                total += 1
                if total > MAX_VERTICES:
                    raise InputError(f"{name} has more than {MAX_VERTICES:,} vertices; simplify it first")
            else:
                stack.extend(item)


def _geometry(value: Any, name: str, index: int) -> BaseGeometry | None:
    if value is None:
        return None
    kind = value.get("type") if isinstance(value, dict) else type(value).__name__
    if not isinstance(value, dict) or not isinstance(kind, str) or kind not in _GEOJSON_GEOMETRY_TYPES:
        raise InputError(f"{name}: feature {index} has an unknown geometry type {str(kind)[:40]!r}")
    try:
        return shapely.from_geojson(json.dumps(value))
    except Exception as exc:
        reason = str(exc).splitlines()[0][:160]
        raise InputError(f"{name}: feature {index} has a malformed {value['type']} ({reason})") from None


# ----------------------------------------------------------------------------- other formats via GDAL


def _read_with_gdal(content: bytes, name: str, kind: str) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory(prefix="bufferzone-") as tmp:
        tmpdir = Path(tmp)
        if kind in ("zip", "kmz"):
            target = _safe_unzip(content, name, tmpdir, kind)
        else:
            target = tmpdir / f"input.{kind}"
            target.write_bytes(content)
        try:
            with warnings.catch_warnings():  # GDAL's warnings (odd extension, bad header...) are noise here
                warnings.simplefilter("ignore", RuntimeWarning)
                # layers without geometry (GeoPackage attribute tables) are not map layers
                layers = [layer for layer, geometry in pyogrio.list_layers(target) if geometry is not None]
                if len(layers) == 0:
                    raise InputError(f"{name} holds no vector layer")
                frames = [pyogrio.read_dataframe(target, layer=str(layer)) for layer in layers]
        except InputError:
            raise
        except Exception as exc:
            reason = str(exc).splitlines()[0].replace(str(target), target.name)[:160]
            raise InputError(f"{name} cannot be read as {kind.upper()}: {reason}") from None
    frames = [f for f in frames if len(f)]
    if not frames:
        raise InputError(f"{name} holds no features")
    crs = frames[0].crs
    frames = [f.to_crs(crs) if f.crs and crs and f.crs != crs else f for f in frames]
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    if len(frame) > MAX_FEATURES:
        raise InputError(f"{name} has {len(frame):,} features; the limit is {MAX_FEATURES:,}")
    if shapely.get_num_coordinates(frame.geometry.values).sum() > MAX_VERTICES:
        raise InputError(f"{name} has more than {MAX_VERTICES:,} vertices; simplify it first")
    return frame


def _safe_unzip(content: bytes, name: str, tmpdir: Path, kind: str) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except _ZIP_ERRORS:
        raise InputError(f"{name} is not a valid ZIP/KMZ archive") from None
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(max(i.compress_size, 1) for i in infos)
    if total > MAX_UNZIPPED_BYTES or total / max(packed, 1) > MAX_ZIP_RATIO:
        raise InputError(
            f"{name} unpacks to {total / 1e6:.0f} MB (ratio {total / max(packed, 1):.0f}:1): refused as a "
            f"possible decompression bomb (limits {MAX_UNZIPPED_BYTES / 1e6:.0f} MB, {MAX_ZIP_RATIO}:1)"
        )
    for info in infos:
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if not member.parts or member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InputError(f"{name} contains an unsafe path {info.filename[:80]!r}: refused")
        if member.suffix.lower() in (".zip", ".kmz", ".gz", ".tar", ".7z", ".rar"):
            raise InputError(f"{name} contains a nested archive ({' '.join(member.name.split())[:80]}); "
                             "unpack it first")
    out = tmpdir / "unzipped"
    for info in infos:
        if info.is_dir():
            continue
        dest = out / PurePosixPath(info.filename.replace("\\", "/"))
        try:
            with archive.open(info) as src:
                data = src.read(MAX_UNZIPPED_BYTES + 1)
        except _ZIP_ERRORS as exc:
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
            raise InputError(f"{name} is a corrupt or unsupported archive ({info.filename[:80]!r}: {reason})") from None
        if len(data) > info.file_size:  # the header lied about the size
            raise InputError(f"{name}: an archive entry is larger than declared; refused")
        try:  # a name too long, or both a file and a folder
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{name}: cannot unpack {info.filename[:80]!r} ({exc.strerror})") from None
    wanted = (".kml",) if kind == "kmz" else (".shp", ".gpkg", ".geojson", ".json", ".kml")
    found = sorted(p for p in out.rglob("*") if p.suffix.lower() in wanted)
    if not found:
        what = "a .kml document" if kind == "kmz" else "a .shp (with .shx/.dbf/.prj), .gpkg, .geojson or .kml"
        raise InputError(f"{name} does not contain {what}")
    return found[0]  # a shapefile without .prj gets no CRS: _to_lonlat decides what it can be


# ----------------------------------------------------------------------------- cleaning


def _clean(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    frame = frame.copy()
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.all():
        raise InputError(f"{name} has no non-empty geometry")
    if missing.any():
        notes.append(f"Dropped {int(missing.sum())} feature(s) with empty or missing geometry.")
        frame = frame[~missing].reset_index(drop=True)
    coords = shapely.get_coordinates(frame.geometry.values, include_z=True)
    if not np.isfinite(coords[:, :2]).all():
        raise InputError(f"{name} has NaN or infinite coordinates")
    if shapely.has_z(frame.geometry.values).any():
        frame = frame.set_geometry(shapely.force_2d(frame.geometry.values), crs=frame.crs)
        notes.append("Dropped Z (height) values: all measures are on the ellipsoid surface.")
    frame = _to_lonlat(frame, name, notes)
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = {shapely.is_valid_reason(g).split("[")[0] for g in geoms[invalid]}
        frame = frame.set_geometry(
            [shapely.make_valid(g) if bad else g for g, bad in zip(geoms, invalid, strict=True)], crs=frame.crs
        )
        notes.append(
            f"Repaired {int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
            f"({', '.join(sorted(reasons))}) with make_valid."
        )
    frame.columns = [str(c) for c in frame.columns]
    return frame, tuple(notes)


def _to_lonlat(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> gpd.GeoDataFrame:
    xy = shapely.get_coordinates(frame.geometry.values)
    in_range = (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    if frame.crs is None:
        if not in_range:
            raise InputError(
                f"{name} has no CRS and its coordinates are not lon/lat degrees (values up to "
                f"{np.abs(xy).max():,.0f}); it looks projected: add its .prj / CRS, or export as EPSG:4326"
            )
        notes.append("No CRS given: coordinates read as lon/lat degrees (EPSG:4326).")
        return frame.set_crs("EPSG:4326")
    crs = CRS.from_user_input(frame.crs)
    if not (crs.is_geographic or crs.is_projected):  # geocentric, vertical, engineering...
        raise InputError(f"{name}: its CRS {crs.to_string()[:80]} is not a lon/lat or projected map CRS")
    if crs.equals(CRS.from_epsg(4326)) or crs.equals(CRS.from_user_input("OGC:CRS84")):
        if not in_range:
            swapped = (np.abs(xy[:, 0]) <= 90).all() and (np.abs(xy[:, 1]) <= 180).all()
            hint = " It looks like latitude/longitude order: GeoJSON is longitude first." if swapped else (
                " They look like projected metres: set the file's real CRS."
            )
            raise InputError(f"{name} says lon/lat but has coordinates outside ±180/±90.{hint}")
        return frame.set_crs("EPSG:4326", allow_override=True)
    try:
        out = frame.to_crs("EPSG:4326")
    except Exception as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(f"{name}: cannot convert from {crs.to_string()} to lon/lat ({reason})") from None
    out_xy = shapely.get_coordinates(out.geometry.values)
    if not np.isfinite(out_xy).all() or (np.abs(out_xy[:, 0]) > 180).any() or (np.abs(out_xy[:, 1]) > 90).any():
        raise InputError(f"{name}: coordinates fall outside the valid area of {crs.to_string()}")
    notes.append(f"Reprojected from {crs.to_string()} to lon/lat (EPSG:4326).")
    return out


# ----------------------------------------------------------------------------- writing


def _rounded(value: Any) -> Any:
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _rfc7946_geometry(geom: BaseGeometry, precision: int) -> dict[str, Any]:
    """Geometry dict with exteriors counter-clockwise and holes clockwise (right-hand rule)."""
    if isinstance(geom, shapely.Polygon):
        geom = shapely.geometry.polygon.orient(geom, sign=1.0)
    elif isinstance(geom, shapely.MultiPolygon):
        geom = shapely.MultiPolygon([shapely.geometry.polygon.orient(p, sign=1.0) for p in geom.geoms])
    elif isinstance(geom, shapely.GeometryCollection):
        return {"type": "GeometryCollection",
                "geometries": [_rfc7946_geometry(g, precision) for g in geom.geoms]}
    geom = shapely.set_precision(geom, 10.0**-precision, mode="pointwise")
    return json.loads(shapely.to_geojson(geom))


def feature_collection(features: Iterable[tuple[BaseGeometry, Mapping[str, Any]]], *, precision: int = 6,
                       **members: Any) -> dict[str, Any]:
    """Build an RFC 7946 FeatureCollection dict (lon/lat, right-hand rule, no ``crs``).

    Parameters
    ----------
    features : iterable of (geometry, properties)
        Geometries in lon/lat; properties as JSON-compatible mappings (an ``id`` key, if
        present, becomes the feature's ``id``).
    precision : int
        Decimal places kept (6 is about 0.1 m).
    **members
        Extra top-level members (e.g. ``name``, ``as_of``).

    Returns
    -------
    dict
    """
    out = []
    for geom, props in features:
        props = _rounded(dict(props))
        feat: dict[str, Any] = {"type": "Feature"}
        if props.get("id") is not None:
            feat["id"] = props["id"]
        feat["geometry"] = _rfc7946_geometry(geom, precision) if geom is not None and not geom.is_empty else None
        feat["properties"] = props
        out.append(feat)
    return {"type": "FeatureCollection", **_rounded(members), "features": out}


def write_geojson(collection: Mapping[str, Any], path: str | Path) -> None:
    """Write a FeatureCollection dict as UTF-8 GeoJSON (``.geojson``).

    Parameters
    ----------
    collection : mapping
        From :func:`feature_collection`.
    path : path
    """
    Path(path).write_text(json.dumps(collection, ensure_ascii=False, allow_nan=False), encoding="utf-8")
