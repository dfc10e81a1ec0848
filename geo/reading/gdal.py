"""KML, GeoPackage and Shapefile documents opened with GDAL (pyogrio), safely.

GDAL can open hundreds of formats, several of which read other files or URLs named inside
them (OGR VRT, KML NetworkLinks, SQLite virtual tables). An upload reaches GDAL only after
:func:`geo.reading.sniff.sniff` has recognised it by content as one of three formats, and
then:

* it is written under a fixed name in a fresh temporary folder, alone;
* a KML document is parsed first with :mod:`defusedxml` (no DTD, no entities), must have a
  ``<kml>`` root, and loses its ``NetworkLink`` elements (links to other documents), which
  are never followed;
* a GeoPackage is inspected first with :mod:`sqlite3`, read-only and immutable: virtual
  tables other than the R-tree spatial index (which could open other files) and views are
  refused;
* GDAL's options that could reach other files or the network are set off, once, the first
  time a file is opened (:data:`GDAL_SAFETY_OPTIONS`);
* the driver GDAL chose is checked against the one the format allows before any feature is
  read, and feature counts against the limits.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import tempfile
import warnings
from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from geo._errors import InputError
from geo.reading.limits import Limits
from geo.reading.sniff import Format

__all__ = ["GDAL_SAFETY_OPTIONS", "read_with_gdal"]

#: GDAL configuration set before the first upload is opened: no SQLite access to other files,
#: no Python in VRTs, no /vsicurl/ URL allowed, no external KML styles.
GDAL_SAFETY_OPTIONS = {
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/vsicurl/disallowed",
    "GDAL_HTTP_MAX_RETRY": "0",
    "LIBKML_RESOLVE_STYLE": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
}
_ALLOWED_DRIVERS = {Format.KML: {"KML", "LIBKML"}, Format.GPKG: {"GPKG"}, None: {"ESRI Shapefile"}}
_SAFE_VIRTUAL_TABLE = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+\S+\s+USING\s+rtree\s*\(", re.I)


@functools.cache
def _configure_gdal() -> None:
    pyogrio.set_gdal_config_options(GDAL_SAFETY_OPTIONS)


def read_with_gdal(files: dict[str, bytes], fmt: Format | None, name: str, limits: Limits,
                   notes: list[str]) -> list[gpd.GeoDataFrame]:
    """Read one KML, GeoPackage or Shapefile document into frames (one per geometry layer).

    Parameters
    ----------
    files : dict
        Suffix → content (``{".kml": ...}``; a shapefile's ``.shp``, ``.shx``, ``.dbf``...).
    fmt : Format or None
        :data:`Format.KML` or :data:`Format.GPKG`; ``None`` for a shapefile.
    name : str
        How the document is called in messages.
    limits : Limits
    notes : list of str
        Receives a sentence for each thing changed on the way (NetworkLinks dropped).

    Returns
    -------
    list of geopandas.GeoDataFrame
        In the file's CRS (none for a shapefile without ``.prj``).

    Raises
    ------
    InputError
    """
    _configure_gdal()
    if fmt is Format.KML:
        files = {".kml": _safe_kml(files[".kml"], name, notes)}
    with tempfile.TemporaryDirectory(prefix="bufferzone-") as tmp:
        for suffix, data in files.items():
            (Path(tmp) / f"input{suffix}").write_bytes(data)
        target = Path(tmp) / ("input.shp" if fmt is None else f"input{next(iter(files))}")
        if fmt is Format.GPKG:
            _check_geopackage(target, name)
        try:
            with warnings.catch_warnings():  # GDAL's warnings (odd extension, bad header...) are noise here
                warnings.simplefilter("ignore", RuntimeWarning)
                return _read_layers(target, fmt, name, limits)
        except InputError:
            raise
        except Exception as exc:
            reason = str(exc).splitlines()[0].replace(str(target), target.name).replace(tmp, "")[:160]
            what = "a shapefile" if fmt is None else fmt.value
            raise InputError(f"{name} cannot be read as {what}: {reason}") from None


def _read_layers(target: Path, fmt: Format | None, name: str, limits: Limits) -> list[gpd.GeoDataFrame]:
    # layers without geometry (GeoPackage attribute tables) are not map layers
    layers = [str(layer) for layer, geometry in pyogrio.list_layers(target) if geometry is not None]
    if not layers:
        raise InputError(f"{name} holds no vector layer")
    infos = [pyogrio.read_info(target, layer=layer) for layer in layers]
    for info in infos:
        if info["driver"] not in _ALLOWED_DRIVERS[fmt]:
            raise InputError(f"{name} was recognised as another format ({info['driver']}) when opened: refused")
    count = sum(max(int(info["features"]), 0) for info in infos)
    if count > limits.max_features:
        raise InputError(f"{name} has {count:,} features; the limit is {limits.max_features:,}")
    frames = [pyogrio.read_dataframe(target, layer=layer) for layer in layers]
    for frame in frames:
        _check_geometry_counts(frame, name, limits)
    return frames


def _check_geometry_counts(frame: gpd.GeoDataFrame, name: str, limits: Limits) -> None:
    geoms = frame.geometry.values
    if shapely.get_num_coordinates(geoms).sum() > limits.max_vertices:
        raise InputError(f"{name} has more than {limits.max_vertices:,} vertices; simplify it first")
    parts, index = shapely.get_parts(geoms, return_index=True)
    rings = np.where(shapely.get_type_id(parts) == 3, shapely.get_num_interior_rings(parts) + 1, 1)
    per_feature = np.bincount(index, weights=rings, minlength=len(geoms)) if len(parts) else np.zeros(1)
    if per_feature.sum() > limits.max_total_parts:
        raise InputError(f"{name} has more than {limits.max_total_parts:,} polygons, lines, points and holes in all; "
                         "merge or simplify them first")
    if per_feature.max(initial=0) > limits.max_parts:
        raise InputError(
            f"{name}: feature {int(per_feature.argmax())} has more than {limits.max_parts:,} parts and holes; "
            f"the limit is {limits.max_parts:,} per feature: split or simplify it"
        )


def _safe_kml(content: bytes, name: str, notes: list[str]) -> bytes:
    try:
        root = SafeET.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(f"{name} declares a DTD or entities, which KML does not use: refused") from None
    except ElementTree.ParseError as exc:
        raise InputError(f"{name} is not well-formed XML ({str(exc)[:120]})") from None
    namespace, _, local = root.tag.rpartition("}")
    if local != "kml":
        raise InputError(f"{name} is XML with root element <{local[:60]}>, not KML (<kml>): refused")
    dropped = 0
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "NetworkLink":
                parent.remove(child)
                dropped += 1
    if not dropped:
        return content
    notes.append(f"{name}: {dropped} NetworkLink(s) (links to other documents) were not followed; "
                 "download what they point to and load it separately if you need it.")
    return ElementTree.tostring(root, encoding="utf-8", default_namespace=namespace.lstrip("{") or None)


def _check_geopackage(path: Path, name: str) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        raise InputError(f"{name} is not a readable GeoPackage") from None
    try:
        rows = con.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        tables = {r[1] for r in rows if r[0] == "table"}
        if "gpkg_contents" not in tables:
            raise InputError(f"{name} is an SQLite database without gpkg_contents: not a GeoPackage")
        for kind, table, sql in rows:
            if kind == "table" and sql and sql.lstrip().upper().startswith("CREATE VIRTUAL") and \
                    not _SAFE_VIRTUAL_TABLE.match(sql):
                raise InputError(f"{name} contains a virtual table ({table[:40]!r}), which can read other files: "
                                 "refused")
            if kind == "view":
                raise InputError(f"{name} contains an SQL view ({table[:40]!r}); export its layers as tables")
        listed = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents").fetchall()}
        unknown = sorted(t for t in listed if t not in tables)
        if unknown:
            raise InputError(f"{name} lists layers that are not tables of the file ({unknown[0][:40]!r}): refused")
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{name} is not a valid GeoPackage ({str(exc)[:80]})") from None
    finally:
        con.close()
