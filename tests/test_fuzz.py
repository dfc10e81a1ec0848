"""Robustness under hostile or odd input, property-based (hypothesis), seeded and quick.

Whatever a user uploads, links to or loads, the readers either return something valid or
refuse it with a :class:`~geo.BufferZoneError` whose message is one non-empty line; no other
exception may escape. Three entry points are fuzzed:

* :func:`geo.io.read_vector` (uploads): random bytes; mutated valid GeoJSON; JSON values of
  every type; GeoJSON geometries with odd coordinates (out of range, NaN, 3-D/4-D, empty or
  unclosed rings, bow-ties) and legacy CRSs; ZIP/KMZ archives with hostile member names and
  contents; mutated GeoPackage, KML and zipped-Shapefile files.
* :meth:`Scenario.from_query` (page URLs): never raises, keeps only registered layers and
  parameters that validate.
* :meth:`Scenario.from_json` (scenario files): returns a scenario or raises InputError.

Every run is the same (``derandomize=True``, no example database). ``FUZZ_COLLECT=1`` records
crashes instead of failing at the first one, so all of them can be counted in one run; the
last test prints the totals (and fails if anything crashed).
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import os
import re
import string
import tempfile
import traceback
import warnings
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layers
from bufferzone.webapp.scenario import VIEWS, Scenario
from geo._errors import InputError, ParameterError
from geo.io import LoadedVector, feature_collection, read_vector
from geo.output import for_output
from layers._base import AS_OF
from tests._valid import written_problem

COLLECT = os.environ.get("FUZZ_COLLECT") == "1"
#: Examples run per test, and the crashes seen (only kept going past in FUZZ_COLLECT mode).
COUNTS: collections.Counter[str] = collections.Counter()
CRASHES: list[tuple[str, str, str]] = []
DETAILS: dict[str, str] = {}  # first traceback of each crash kind (FUZZ_COLLECT mode)
REPORT = Path("/tmp/robust_work/fuzz_report.txt")


def fuzz(n: int) -> Any:
    """Reproducible settings: ``n`` examples, no deadline, no example database."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.large_base_example])


def shown(value: Any, limit: int = 1500) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def crash(test: str, kind: str, value: Any, detail: str = "") -> None:
    """Record a contract violation; fail at once unless collecting."""
    kind = re.sub(r"/tmp/bufferzone-\w+/", "<tmp>/", kind)
    CRASHES.append((test, kind, shown(value, 300)))
    DETAILS.setdefault(f"{test}: {kind}", f"input: {shown(value)}\n{detail}")
    if not COLLECT:
        raise AssertionError(f"{test}: {kind}\ninput: {shown(value)}\n{detail}")


def one_line(message: str) -> bool:
    return bool(message.strip()) and len(message.splitlines()) == 1


# ----------------------------------------------------------------------------- read_vector contract


def check_read(test: str, content: bytes, filename: str | None) -> None:
    """read_vector returns a valid LoadedVector or raises a one-line BufferZoneError."""
    COUNTS[test] += 1
    case = {"filename": filename, "content": content}
    try:
        # warnings are recorded, not raised: GDAL's come through a C callback, where raising
        # them would only give pytest an "unraisable exception" to fail the whole test with
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("ignore", DeprecationWarning)  # as pyproject.toml
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            loaded = read_vector(content, filename=filename)
    except (InputError, ParameterError) as exc:
        if not one_line(str(exc)):
            crash(test, f"{type(exc).__name__} message not one line", case, repr(str(exc)))
        loaded = None
    except Exception as exc:  # any other type
        crash(test, f"{type(exc).__name__}: {str(exc)[:80]}", case, traceback.format_exc())
        return
    for w in caught:
        crash(test, f"{w.category.__name__} warning: {str(w.message)[:80]}", case, f"{w.filename}:{w.lineno}")
    if loaded is None:
        return
    problem = invalid_result(loaded) or unclean_export(loaded)
    if problem:
        crash(test, f"invalid result: {problem}", case)


def unclean_export(loaded: LoadedVector) -> str:
    """Why what was read, once written (GeoJSON at 6 decimals, or at full precision), is not clean.

    Not clean: invalid, a ring of zero area, a ring wound the wrong way; '' when it is clean.
    """
    doc = json.loads(json.dumps(feature_collection((g, {}) for g in loaded.frame.geometry.values)))
    for k, (feat, geom) in enumerate(zip(doc["features"], loaded.frame.geometry.values, strict=True)):
        problem = written_problem(feat["geometry"]) or written_problem(for_output(geom))
        if problem:
            return f"feature {k} exported: {problem}"
    return ""


def invalid_result(loaded: Any) -> str:
    """Why a read result breaks the LoadedVector promise ('' when it keeps it)."""
    if not isinstance(loaded, LoadedVector) or not isinstance(loaded.frame, gpd.GeoDataFrame):
        return f"returned {type(loaded).__name__}"
    frame = loaded.frame
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        return f"CRS {frame.crs}"
    geoms = frame.geometry.values
    if len(geoms) == 0:
        return "no features"
    if (shapely.is_missing(geoms) | shapely.is_empty(geoms)).any():
        return "missing or empty geometry"
    if not shapely.is_valid(geoms).all():
        return "invalid geometry"
    if shapely.has_z(geoms).any():
        return "Z values kept"
    xy = shapely.get_coordinates(geoms)
    if not np.isfinite(xy).all():
        return "non-finite coordinates"
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        return f"coordinates outside ±180/±90 (up to {np.abs(xy).max(axis=0).tolist()})"
    if not all(isinstance(n, str) and one_line(n) for n in loaded.notes):
        return f"notes {loaded.notes!r}"
    return ""


SUFFIXES = [".geojson", ".json", ".kml", ".kmz", ".zip", ".gpkg", ".GeoJSON", ".txt", ""]
stems = st.one_of(
    st.text(string.ascii_letters + string.digits + "-_ .", max_size=12),
    st.sampled_from(["Київ", "zone (1)", "a.b.c", "..", "x" * 200, "a\nb", "tab\there", "name\u2028x"]),
    st.text(max_size=10),
)
filenames = st.one_of(st.none(), st.builds(lambda stem, suffix: stem + suffix, stems, st.sampled_from(SUFFIXES)))


@fuzz(200)
@given(content=st.binary(max_size=600), filename=filenames)
def test_read_vector_random_bytes(content: bytes, filename: str | None) -> None:
    check_read("read_vector random bytes", content, filename)


@fuzz(80)
@given(head=st.sampled_from([b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18, b"SQLite format 3\0", b"{", b"[",
                             b"<kml>", b"\xef\xbb\xbf{", b"  \n{"]),
       tail=st.binary(max_size=300), filename=filenames)
def test_read_vector_random_bytes_with_magic(head: bytes, tail: bytes, filename: str | None) -> None:
    check_read("read_vector magic bytes", head + tail, filename)


# ----------------------------------------------------------------------------- mutated GeoJSON

SQUARE = [[[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]]]
SEEDS: list[Any] = [
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "square", "n": 1},
         "geometry": {"type": "Polygon", "coordinates": SQUARE}},
        {"type": "Feature", "properties": {"name": "line"},
         "geometry": {"type": "LineString", "coordinates": [[22.0, 44.0], [25.0, 48.0], [30.0, 52.0]]}},
        {"type": "Feature", "properties": None, "geometry": {"type": "Point", "coordinates": [30.52, 50.45]}},
    ]},
    {"type": "Feature", "properties": {"a": [1, 2], "b": {"c": None}},
     "geometry": {"type": "MultiPolygon", "coordinates": [SQUARE, [[[32, 50], [33, 50], [33, 51], [32, 50]]]]}},
    {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [20.5, 54.7, 12.0]},
        {"type": "MultiLineString", "coordinates": [[[20, 54], [21, 55]], [[22, 54], [23, 55]]]}]},
    {"type": "MultiPoint", "coordinates": [[30, 50], [31, 51]]},
    {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}, "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [3339584.7, 6446275.8]}}]},
]
ODD_VALUES = [
    None, True, False, 0, -1, 1e308, -1e308, float("nan"), float("inf"), -float("inf"), 10**400, -(10**200),
    "NaN", "Infinity", "1e999", "", "30", "Point", "Feature", "FeatureCollection", "Polygon", [], {}, [[]], [[[]]],
    [float("nan"), 1], ["30", "50"], {"type": "Point"}, {"type": None}, ["Point"], {"type": ["Polygon"]},
    {"type": {"a": 1}}, {"type": "Point", "coordinates": [1e300, 1e300]}, {"type": "Point", "coordinates": []},
    {"type": "Feature"}, {"type": "Feature", "geometry": [], "properties": []},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {"geometry": 5}},
    {"crs": {"type": "name", "properties": {"name": "EPSG:4258"}}}, "\u0000", "\ud7ff\U0001f600",
]


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                        st.sampled_from(["Point", "Feature", "FeatureCollection", "Polygon", "type", "NaN"]))
    return st.recursive(scalars,
                        lambda c: st.lists(c, max_size=5) | st.dictionaries(st.text(max_size=10), c, max_size=5),
                        max_leaves=max_leaves)


def paths(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(paths(v, (*path, i)))
    return out


def get_at(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def mutate(data: st.DataObject, doc: Any) -> Any:
    """Apply 1–4 structural mutations at random nodes (replace, delete, duplicate, nest, retype)."""
    doc = json.loads(json.dumps(doc))
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        where = data.draw(st.sampled_from(paths(doc)), label="path")
        node = get_at(doc, where)
        op = data.draw(st.sampled_from(["replace", "random", "delete", "duplicate", "nest", "retype", "add-key"]),
                       label="op")
        if op == "replace":
            new = data.draw(st.sampled_from(ODD_VALUES), label="odd")
        elif op == "random":
            new = data.draw(json_values(), label="value")
        elif op == "nest":
            new = node
            for _ in range(data.draw(st.integers(1, 60), label="depth")):
                new = [new]
        elif op == "retype":
            new = ({str(i): v for i, v in enumerate(node)} if isinstance(node, list)
                   else list(node.values()) if isinstance(node, dict)
                   else str(node) if not isinstance(node, str) else [node])
        elif op == "add-key" and isinstance(node, dict):
            key = data.draw(st.sampled_from(["type", "coordinates", "geometry", "geometries", "features",
                                             "properties", "crs", "bbox", "id"]), label="key")
            node[key] = data.draw(st.sampled_from(ODD_VALUES) | json_values(), label="value")
            continue
        else:
            new = node
        if not where:
            doc = new
            continue
        parent, last = get_at(doc, where[:-1]), where[-1]
        if op == "delete":
            del parent[last]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(node)))
        else:
            parent[last] = new
    return doc


def mutate_text(data: st.DataObject, text: str) -> str:
    """Character-level damage: cut, drop, duplicate or insert characters."""
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if not text:
            break
        i = data.draw(st.integers(0, len(text) - 1), label="at")
        j = min(len(text), i + data.draw(st.integers(1, 12), label="span"))
        op = data.draw(st.sampled_from(["truncate", "drop", "duplicate", "insert"]), label="text-op")
        if op == "truncate":
            text = text[:i]
        elif op == "drop":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + data.draw(st.text('{}[]",:.-+eE0123456789 NaInfty\\u\n', max_size=6)) + text[i:]
    return text


@fuzz(250)
@given(data=st.data(), seed=st.sampled_from(SEEDS), filename=filenames)
def test_read_vector_mutated_geojson(data: st.DataObject, seed: Any, filename: str | None) -> None:
    doc = mutate(data, seed)
    text = json.dumps(doc, allow_nan=True)
    if data.draw(st.booleans(), label="text damage"):
        text = mutate_text(data, text)
    check_read("read_vector mutated GeoJSON", text.encode("utf-8", "surrogatepass"), filename)


@fuzz(20)
@given(depth=st.integers(1, 5000), where=st.sampled_from(["coordinates", "document", "properties"]),
       filename=st.sampled_from(["deep.geojson", None]))
def test_read_vector_deeply_nested(depth: int, where: str, filename: str | None) -> None:
    nested = "[" * depth + "30, 50" + "]" * depth
    text = {
        "coordinates": f'{{"type": "Point", "coordinates": {nested}}}',
        "document": nested,
        "properties": '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]}, '
                      f'"properties": {{"p": {nested}}}}}',
    }[where]
    check_read("read_vector deep nesting", text.encode(), filename)


@fuzz(100)
@given(value=json_values(20), filename=filenames)
def test_read_vector_json_values(value: Any, filename: str | None) -> None:
    check_read("read_vector JSON values", json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass"), filename)


# ----------------------------------------------------------------------------- odd geometries

numbers = st.one_of(
    st.floats(-180, 180), st.floats(-180, 180), st.floats(-90, 90), st.integers(-200, 200),
    st.floats(), st.integers(-(10**30), 10**30),
    st.sampled_from([float("nan"), float("inf"), "NaN", "1e999", None, True, "", "12.5", 10**400, 180.0000001, -90.5]),
)
positions = st.one_of(st.lists(st.floats(-90, 90), min_size=2, max_size=2), st.lists(numbers, max_size=5))
rings = st.one_of(
    st.lists(positions, max_size=7).map(lambda r: r + r[:1] if r and r[0] != r[-1] else r),  # closed
    st.lists(positions, max_size=7),  # possibly unclosed
    st.sampled_from([[], [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]],  # bow-tie
                     [[0, 0], [0, 0], [0, 0], [0, 0]], [[0, 0], [1, 1], [2, 2], [0, 0]],
                     [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]],
                     [[30.5, 50.2], [30.5, 50.8], [30.7, 50.5], [30.5, 50.2]]]),
)


def geometries() -> st.SearchStrategy[dict[str, Any]]:
    simple = st.one_of(
        st.builds(lambda c: {"type": "Point", "coordinates": c}, positions),
        st.builds(lambda c: {"type": "MultiPoint", "coordinates": c}, st.lists(positions, max_size=4)),
        st.builds(lambda c: {"type": "LineString", "coordinates": c}, st.lists(positions, max_size=5)),
        st.builds(lambda c: {"type": "MultiLineString", "coordinates": c},
                  st.lists(st.lists(positions, max_size=4), max_size=3)),
        st.builds(lambda c: {"type": "Polygon", "coordinates": c}, st.lists(rings, max_size=3)),
        st.builds(lambda c: {"type": "MultiPolygon", "coordinates": c},
                  st.lists(st.lists(rings, max_size=2), max_size=3)),
        st.builds(lambda t, c: {"type": t, "coordinates": c},
                  st.sampled_from(["Point", "Polygon", "Circle", "polygon", "", "LinearRing"]),
                  st.lists(rings, max_size=2)),
    )
    return st.recursive(simple, lambda c: st.builds(lambda g: {"type": "GeometryCollection", "geometries": g},
                                                    st.lists(c, max_size=3)), max_leaves=4)


CRS_NAMES = ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:3857", "EPSG:4258",
             "EPSG:4978", "EPSG:5773", "EPSG:32635", "EPSG:2180", "EPSG:4269", "ESRI:54009",
             "+proj=longlat +datum=WGS84", "+proj=tmerc +lat_0=0 +lon_0=0 +k=1 +x_0=0 +y_0=0 +ellps=WGS84", "nonsense",
             "", 4326, 3857, None, {"a": 1}, [4326]]


@fuzz(260)
@given(geoms=st.lists(geometries(), min_size=1, max_size=3), wrap=st.sampled_from(["collection", "feature", "bare"]),
       crs=st.none() | st.sampled_from(CRS_NAMES), filename=st.sampled_from(["g.geojson", "g.json", None, "g.GEOJSON"]))
def test_read_vector_odd_geometries(geoms: list[dict[str, Any]], wrap: str, crs: Any, filename: str | None) -> None:
    feats = [{"type": "Feature", "properties": {"i": i}, "geometry": g} for i, g in enumerate(geoms)]
    doc: dict[str, Any] = {"collection": {"type": "FeatureCollection", "features": feats},
                           "feature": feats[0], "bare": geoms[0]}[wrap]
    if crs is not None:
        doc = {**doc, "crs": {"type": "name", "properties": {"name": crs}}}
    check_read("read_vector odd geometries", json.dumps(doc, allow_nan=True).encode(), filename)


# ----------------------------------------------------------------------------- archives and GDAL formats

KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Folder><name>one</name><Placemark><name>p</name><ExtendedData><Data name="n"><value>1</value></Data></ExtendedData>
<Point><coordinates>30,50</coordinates></Point></Placemark></Folder>
<Folder><name>two</name><Placemark><name>q</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>30,50 31,50 31,51 30,51 30,50</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>
<Folder><name>empty</name></Folder>
</Document></kml>"""


@cache
def gdal_seeds() -> dict[str, bytes]:
    """Small valid files written by GDAL: GeoPackages, a Shapefile's parts, GeoJSON, KML."""
    frame = gpd.GeoDataFrame({"name": ["a", "b"], "n": [1, 2]},
                             geometry=[shapely.box(30, 50, 31, 51), shapely.box(20, 50, 21, 51)], crs="EPSG:4326")
    out: dict[str, bytes] = {"doc.kml": KML}
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = Path(tmp)
        frame.to_file(d / "plain.gpkg", layer="areas")
        frame.to_crs("EPSG:2180").to_file(d / "two.gpkg", layer="projected")
        frame.to_file(d / "two.gpkg", layer="lonlat")
        frame.to_file(d / "attrs.gpkg", layer="areas")
        pyogrio.write_dataframe(pd.DataFrame({"a": [1, 2]}), d / "attrs.gpkg", layer="table")  # no geometry
        frame.to_crs("EPSG:32635").to_file(d / "s.shp")
        frame.to_file(d / "x.geojson")
        for p in sorted(d.iterdir()):
            out[p.name] = p.read_bytes()
    return out


def make_zip(entries: list[tuple[str, bytes]], method: int) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():  # duplicate names are part of the test
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, data in entries:
                zf.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


MEMBER_NAMES = ["../evil.kml", "/abs/x.shp", "a/../../b.kml", "C:\\x.kml", "..\\x.kml", "c:x.geojson", "nested.zip",
                "in.kmz", "doc.kml", "s.shp", "s.shx", "s.dbf", "s.prj", "dir/", "", "a", "a/", "a/b.geojson",
                "x.tar", "x.gz", "😀.kml", "a" * 300 + ".kml", "a\nb.kml", "a\nb.zip", "x.geojson", "x.json", "d.gpkg",
                "deep/er/s.shp", "./doc.kml", "a//b.kml"]
member_names = st.one_of(st.sampled_from(MEMBER_NAMES),
                         st.builds(lambda s, x: s + x, st.text(max_size=20),
                                   st.sampled_from([".kml", ".shp", ".geojson", ".gpkg", ".zip", "", "/"])))


def member_contents(data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["seed", "seed", "random", "nested", "geojson"]), label="member kind")
    if kind == "seed":
        return gdal_seeds()[data.draw(st.sampled_from(sorted(gdal_seeds())), label="seed")]
    if kind == "nested":
        return make_zip([("doc.kml", KML)], zipfile.ZIP_DEFLATED)
    if kind == "geojson":
        return json.dumps(mutate(data, data.draw(st.sampled_from(SEEDS))), allow_nan=True).encode()
    return data.draw(st.binary(max_size=200), label="random member")


def damage(data: st.DataObject, blob: bytes) -> bytes:
    """Flip, drop or truncate a few bytes (or leave the file alone)."""
    blob = bytearray(blob)
    for _ in range(data.draw(st.integers(0, 3), label="damage")):
        if not blob:
            break
        i = data.draw(st.integers(0, len(blob) - 1), label="byte")
        op = data.draw(st.sampled_from(["flip", "drop", "truncate", "zero"]), label="byte-op")
        if op == "flip":
            blob[i] ^= data.draw(st.integers(1, 255), label="mask")
        elif op == "drop":
            del blob[i:i + data.draw(st.integers(1, 64), label="span")]
        elif op == "truncate":
            del blob[i:]
        else:
            blob[i:i + 8] = bytes(min(8, len(blob) - i))
    return bytes(blob)


@fuzz(170)
@given(data=st.data(), filename=st.sampled_from(["up.zip", "up.kmz", "up.ZIP", None, "up.geojson", "up.gpkg"]),
       method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
def test_read_vector_archives(data: st.DataObject, filename: str | None, method: int) -> None:
    names = data.draw(st.lists(member_names, min_size=1, max_size=5), label="names")
    if data.draw(st.booleans(), label="shapefile"):  # a complete shapefile next to the odd members
        names += ["s.shp", "s.shx", "s.dbf", "s.prj"]
    entries = [(n, gdal_seeds()[n] if n in gdal_seeds() else member_contents(data)) for n in names]
    blob = make_zip(entries, method)
    if data.draw(st.integers(0, 3), label="damage?") == 0:
        blob = damage(data, blob)
    check_read("read_vector archives", blob, filename)


@fuzz(120)
@given(data=st.data(),
       seed=st.sampled_from(["plain.gpkg", "two.gpkg", "attrs.gpkg", "doc.kml", "x.geojson", "kmz", "shpzip"]),
       rename=st.booleans())
def test_read_vector_gdal_files(data: st.DataObject, seed: str, rename: bool) -> None:
    seeds = gdal_seeds()
    if seed == "kmz":
        blob, name = make_zip([("doc.kml", KML)], zipfile.ZIP_DEFLATED), "up.kmz"
    elif seed == "shpzip":
        parts = [p for p in ("s.shp", "s.shx", "s.dbf", "s.prj", "s.cpg") if p in seeds]
        keep = data.draw(st.lists(st.sampled_from(parts), min_size=1, unique=True), label="parts")
        blob, name = make_zip([(p, seeds[p]) for p in keep], zipfile.ZIP_DEFLATED), "up.zip"
    else:
        blob, name = seeds[seed], seed
    if data.draw(st.booleans(), label="damage?"):
        blob = damage(data, blob)
    if rename:
        name = data.draw(filenames, label="name")
    check_read("read_vector GDAL files", blob, name)


# ----------------------------------------------------------------------------- crashes found, kept as examples


def regression_zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED, flip: int = 0) -> bytes:
    """An archive; ``flip`` XORs 20 bytes of the first member's data (a corrupt stream)."""
    blob = bytearray(make_zip(entries, method))
    if flip:
        start = 30 + len(entries[0][0].encode()) + flip
        blob[start:start + 20] = bytes(b ^ 0xFF for b in blob[start:start + 20])
    return bytes(blob)


POINT = b'{"type": "Point", "coordinates": [30, 50]}'
REGRESSIONS = {  # each crashed (or returned out-of-range lon/lat) before geo/io.py was fixed
    "integer too large for a float": (b'{"type": "Point", "coordinates": [1%s, 50]}' % (b"0" * 400), "x.geojson"),
    "integer longer than 4300 digits": (b'{"type": "Point", "coordinates": [%s, 50]}' % (b"1" * 5000), "x.geojson"),
    "list as the document type": (b'{"type": ["Point"], "coordinates": [30, 50]}', "x.geojson"),
    "object as the geometry type": (b'{"type": "Feature", "properties": {}, "geometry": {"type": {"a": 1}}}', None),
    "newline in the file name": (b"{", "a\nb.geojson"),
    "line separator in the file name": (b"[]", "a\u2028b.json"),
    "empty member name": (regression_zip([("", b"x"), ("a.geojson", POINT)]), "a.zip"),
    "member both file and folder": (regression_zip([("a", b"x"), ("a/b.geojson", POINT)]), "a.zip"),
    "member folder then file": (regression_zip([("a/b.geojson", POINT), ("a", b"x")]), "a.zip"),
    "member name too long": (regression_zip([("a" * 300 + ".geojson", POINT)]), "a.zip"),
    "newline in a nested archive name": (regression_zip([("a\nb.zip", POINT)]), "a.zip"),
    "corrupt LZMA member": (regression_zip([("a.geojson", POINT * 50)], zipfile.ZIP_LZMA, flip=10), "a.zip"),
    "corrupt BZIP2 member": (regression_zip([("a.geojson", POINT * 50)], zipfile.ZIP_BZIP2, flip=4), "a.zip"),
    "lon/lat CRS, longitude 500": (b'{"type": "Point", "coordinates": [500, 2], '
                                   b'"crs": {"type": "name", "properties": {"name": "EPSG:4258"}}}', "x.geojson"),
    "geocentric CRS": (b'{"type": "Point", "coordinates": [5, 2], '
                       b'"crs": {"type": "name", "properties": {"name": "EPSG:4978"}}}', "x.geojson"),
    "vertical CRS (axes swapped)": (b'{"type": "Point", "coordinates": [5, 2], '
                                    b'"crs": {"type": "name", "properties": {"name": "EPSG:5773"}}}', "x.geojson"),
}


@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_read_vector_regressions(case: str) -> None:
    content, filename = REGRESSIONS[case]
    check_read("read_vector regressions", content, filename)


def test_read_vector_geopackage_attribute_table_is_skipped() -> None:
    """A GeoPackage with a table without geometry (pyogrio reads it as a plain DataFrame)."""
    check_read("read_vector regressions", gdal_seeds()["attrs.gpkg"], "attrs.gpkg")
    loaded = read_vector(gdal_seeds()["attrs.gpkg"], filename="attrs.gpkg")
    assert len(loaded.frame) == 2 and "a" not in loaded.frame.columns


@pytest.mark.parametrize("crs", ["EPSG:4978", "EPSG:5773"])
def test_read_vector_refuses_crs_that_are_not_map_crs(crs: str) -> None:
    """Geocentric or vertical: reprojection gave in-range but meaningless lon/lat (lat 90, axes swapped)."""
    doc = {"type": "Point", "coordinates": [5, 2], "crs": {"type": "name", "properties": {"name": crs}}}
    with pytest.raises(InputError, match="not a lon/lat or projected map CRS"):
        read_vector(json.dumps(doc).encode(), filename="x.geojson")


def test_scenario_from_json_integer_with_too_many_digits() -> None:
    # json.loads raises a plain ValueError for an integer of more than 4,300 digits: the
    # scenario loader must turn it into an InputError the app can show

    doc = b'{"type": "bufferzone-scenario", "version": 1, "layers": [{"name": "buffer-zone", ' \
          b'"parameters": {"width_km": %s}}]}' % (b"9" * 5000)
    with pytest.raises(InputError, match="not valid JSON"):
        Scenario.from_json(doc)


def test_scenario_file_with_a_utf8_byte_order_mark_is_read() -> None:
    scenario, problems = Scenario.from_json(b"\xef\xbb\xbf" + Scenario().to_json().encode("utf-8"))
    assert list(scenario.layers) == ["buffer-zone"] and not problems


# ----------------------------------------------------------------------------- Scenario.from_query

PARAM_KEYS = [f"{n}.{p.name}" for n, spec in layers.REGISTRY.items() for p in spec.parameters]
query_keys = st.one_of(
    st.sampled_from(["layers", "date", "view", *PARAM_KEYS, "nope.width_km", "buffer-zone.nope", "buffer-zone.",
                     ".width_km", "buffer-zone.width_km.x", "custom.geometry", "frozen-line.occupied_file"]),
    st.text(max_size=30),
    st.builds(lambda n, p: f"{n}.{p}", st.sampled_from(list(layers.REGISTRY)), st.text(max_size=15)),
)
query_values = st.one_of(
    st.text(max_size=60),
    st.text(max_size=400),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e309", "-1e309", "0", "-0", "1", "100", "500", "500.0000001",
                     "1_000", " 50 ", "true", "false", "yes", "on", "2", "both", "nato", "custom", "kaliningrad",
                     "2025-02-12", "1949-04-03", "2030-12-31", "2031-01-01", "2025-02-30", "20250212", "2025-W07-3",
                     "2025-02-12T10:00", "../../etc/passwd", "/etc/passwd", "C:\\x.geojson",
                     '{"type": "Point", "coordinates": [30, 50]}', "[", "{" * 300, "9" * 5000, "x" * 4001,
                     *VIEWS, ",".join(layers.REGISTRY), "buffer-zone,buffer-zone,,nope", "\u0000", "\ud7ff",
                     "\n" * 3]),
    st.builds(str, st.floats()),
    st.builds(lambda d: d.isoformat(), st.dates()),
    st.builds(lambda xs: ",".join(xs),
              st.lists(st.sampled_from([*layers.REGISTRY, "nope", " custom ", ""]) | st.text(max_size=8), max_size=14)),
)


def check_scenario(test: str, scenario: Any, problems: Any, case: Any) -> None:
    """A returned scenario keeps only registered layers and parameters that validate."""
    if not isinstance(scenario, Scenario) or not isinstance(problems, list):
        crash(test, f"returned {type(scenario).__name__}, {type(problems).__name__}", case)
        return
    if not all(isinstance(p, str) and p.strip() for p in problems):
        crash(test, "a problem that is not a non-empty string", case, repr(problems))
    if scenario.view not in VIEWS:
        crash(test, f"view {scenario.view!r}", case)
    if not isinstance(scenario.as_of, dt.date) or not AS_OF.minimum <= scenario.as_of <= AS_OF.maximum:
        crash(test, f"as_of {scenario.as_of!r}", case)
    for name, values in scenario.layers.items():
        if name not in layers.REGISTRY:
            crash(test, f"unregistered layer {name!r}", case)
            continue
        if {"occupied_file", "as_of"} & set(values):
            crash(test, "a file path or as_of taken from outside", case, repr(values))
        try:
            scenario.parameters(name)  # custom validates without geometry: only building needs it
        except Exception as exc:
            crash(test, f"parameters({name!r}) raised {type(exc).__name__}", case, traceback.format_exc())


@fuzz(300)
@given(query=st.dictionaries(query_keys, query_values, max_size=12))
def test_scenario_from_query_never_raises(query: dict[str, str]) -> None:
    test = "Scenario.from_query"
    COUNTS[test] += 1
    try:
        scenario, problems = Scenario.from_query(query)
    except Exception as exc:
        crash(test, f"{type(exc).__name__}: {str(exc)[:80]}", query, traceback.format_exc())
        return
    check_scenario(test, scenario, problems, query)


# ----------------------------------------------------------------------------- Scenario.from_json

VALID_SCENARIO = json.loads(Scenario(
    layers={"buffer-zone": {"width_km": 50.0, "side": "nato"},
            "range-rings": {"site": "custom", "lon": 30.0, "lat": 50.0},
            "custom": {"geometry": '{"type": "Point", "coordinates": [30, 50]}', "label": "x"}},
    as_of=dt.date(2024, 4, 4), view="baltics").to_json())


def check_from_json(test: str, content: bytes) -> None:
    COUNTS[test] += 1
    try:
        scenario, problems = Scenario.from_json(content)
    except InputError as exc:
        if not one_line(str(exc)):
            crash(test, "InputError message not one line", content, repr(str(exc)))
        return
    except Exception as exc:
        crash(test, f"{type(exc).__name__}: {str(exc)[:80]}", content, traceback.format_exc())
        return
    check_scenario(test, scenario, problems, content)


@fuzz(200)
@given(data=st.data(), kind=st.sampled_from(["mutated", "mutated", "mutated", "json", "bytes"]))
def test_scenario_from_json(data: st.DataObject, kind: str) -> None:
    if kind == "bytes":
        content = data.draw(st.binary(max_size=300), label="bytes")
    elif kind == "json":
        content = json.dumps(data.draw(json_values(20), label="json"), allow_nan=True).encode("utf-8", "surrogatepass")
    else:
        text = json.dumps(mutate(data, VALID_SCENARIO), allow_nan=True)
        if data.draw(st.integers(0, 3), label="text damage?") == 0:
            text = mutate_text(data, text)
        content = text.encode("utf-8", "surrogatepass")
    check_from_json("Scenario.from_json", content)


# ----------------------------------------------------------------------------- totals (keep last)


def test_zz_fuzz_totals() -> None:
    """At least 1,000 generated inputs ran, and none crashed (printed with ``-s``)."""
    expected = {"read_vector random bytes", "read_vector magic bytes", "read_vector mutated GeoJSON",
                "read_vector deep nesting", "read_vector JSON values", "read_vector odd geometries",
                "read_vector archives", "read_vector GDAL files", "read_vector regressions", "Scenario.from_query",
                "Scenario.from_json"}
    if set(COUNTS) != expected:
        pytest.skip("only part of the fuzz module ran")
    kinds = collections.Counter(f"{test}: {kind}" for test, kind, _ in CRASHES)
    lines = [f"{k:32s} {v:5d} inputs" for k, v in sorted(COUNTS.items())]
    lines += [f"{'total':32s} {sum(COUNTS.values()):5d} inputs, {len(CRASHES)} crashed"]
    lines += [f"  {v:4d} × {k}" for k, v in kinds.most_common()]
    lines += [f"  e.g. {test}: {kind}: {value}" for test, kind, value in
              {(t, k): (t, k, v) for t, k, v in CRASHES}.values()]
    report = "\n".join(lines)
    print("\n" + report)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report + "\n", encoding="utf-8")
    if DETAILS:
        REPORT.with_name("fuzz_crashes.txt").write_text(
            "\n\n".join(f"== {k}\n{v}" for k, v in DETAILS.items()), encoding="utf-8")
    assert sum(COUNTS.values()) >= 1000, report
    assert not CRASHES, report
