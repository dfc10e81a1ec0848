"""GeoJSON (RFC 7946, and the legacy ``crs`` member) parsed in Python, limits checked on the way.

Geometries are built here from the parsed JSON (no second serialisation), so every limit —
features, vertices, parts per feature, property names, nesting depth — is counted while the
document is walked and refused before any geometry work. Positions with more than two
values (Z, M) are accepted and reduced to lon/lat.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError
from geo.reading.limits import Limits

__all__ = ["GEOMETRY_TYPES", "ParsedGeoJSON", "parse_geojson"]

GEOMETRY_TYPES = frozenset({
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
})
_MAX_COLLECTION_DEPTH = 8
_LONE_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


@dataclass(frozen=True)
class ParsedGeoJSON:
    """A GeoJSON document as a frame, with the facts the cleaning step needs.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        One row per feature, in the document's CRS.
    crs_name : str or None
        The legacy ``crs`` member's name as written, if any.
    dropped_dimensions : bool
        Whether some positions had Z or M values (dropped).
    notes : tuple of str
    """

    frame: gpd.GeoDataFrame
    crs_name: str | None
    dropped_dimensions: bool
    notes: tuple[str, ...]


def parse_geojson(content: bytes, name: str, limits: Limits) -> ParsedGeoJSON:
    """Parse GeoJSON bytes into features, enforcing ``limits`` while walking the document.

    Parameters
    ----------
    content : bytes
        UTF-8 text (a byte-order mark is allowed).
    name : str
        File name for messages.
    limits : Limits

    Returns
    -------
    ParsedGeoJSON

    Raises
    ------
    InputError
        Invalid JSON, not GeoJSON, malformed geometry, or a limit passed.
    """
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
    notes: list[str] = []
    crs = _legacy_crs(doc, name)
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise InputError(f"{name}: a FeatureCollection needs a \"features\" array")
    elif kind == "Feature":
        feats = [doc]
    elif isinstance(kind, str) and kind in GEOMETRY_TYPES:
        feats = [{"type": "Feature", "geometry": doc, "properties": {}}]
    else:
        raise InputError(
            f"{name}: unknown GeoJSON type {str(kind)[:40]!r}; expected FeatureCollection, Feature or a geometry"
        )
    if len(feats) > limits.max_features:
        raise InputError(f"{name} has {len(feats):,} features; the limit is {limits.max_features:,}")
    builder = _GeometryBuilder(name, limits)
    geoms: list[BaseGeometry | None] = []
    props: list[dict[str, Any]] = []
    keys: set[str] = set()
    for i, feat in enumerate(feats):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise InputError(f"{name}: feature {i} is not a GeoJSON Feature object")
        geoms.append(builder.feature_geometry(feat.get("geometry"), i))
        p = feat.get("properties")
        p = p if isinstance(p, dict) else {}
        keys.update(p)
        if len(keys) > limits.max_property_keys:
            raise InputError(
                f"{name} has more than {limits.max_property_keys:,} distinct property names; keep the columns "
                "you need and try again"
            )
        _check_nesting(p, name, i, limits.max_nesting)
        props.append(p)
    if _LONE_SURROGATE_ESCAPE.search(content):
        props, replaced = _replace_lone_surrogates(props)
        if replaced:
            notes.append(f"Replaced {replaced} invalid Unicode escape(s) (lone surrogates) in properties with U+FFFD.")
    props, cut = _truncate_long_text(props, limits.max_text_chars)
    if cut:
        notes.append(f"Shortened {cut} property value(s) longer than {limits.max_text_chars:,} characters.")
    frame = gpd.GeoDataFrame(pd.DataFrame(props, index=range(len(props))), geometry=geoms,
                             crs=crs or "EPSG:4326")
    crs_name = doc["crs"]["properties"]["name"] if crs else None
    return ParsedGeoJSON(frame, crs_name, builder.dropped_dimensions, tuple(notes))


def _legacy_crs(doc: Mapping[str, Any], name: str) -> str | None:
    crs = doc.get("crs")
    if crs is None:
        return None
    try:
        value = crs["properties"]["name"]
        if not isinstance(value, str) or len(value) > 200:
            raise TypeError
        parsed = CRS.from_user_input(value)
    except Exception:
        raise InputError(f"{name}: its \"crs\" member is not a CRS this tool understands") from None
    if parsed.equals(CRS.from_user_input("OGC:CRS84")):
        return "EPSG:4326"
    return parsed.to_wkt()


class _GeometryBuilder:
    """Builds shapely geometries from GeoJSON geometry objects, counting as it goes."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.vertices = 0
        self.parts = 0
        self.total_parts = 0
        self.dropped_dimensions = False
        self.where = ""

    def feature_geometry(self, value: Any, index: int) -> BaseGeometry | None:
        if value is None:
            return None
        self.parts = 0
        self.where = f"{self.name}: feature {index}"
        kind = value.get("type") if isinstance(value, dict) else type(value).__name__
        if not isinstance(value, dict) or not isinstance(kind, str) or kind not in GEOMETRY_TYPES:
            raise InputError(f"{self.where} has an unknown geometry type {str(kind)[:40]!r}")
        return self._geometry(value, 0)

    def _geometry(self, value: Any, depth: int) -> BaseGeometry:
        kind = value.get("type") if isinstance(value, dict) else None
        if kind == "GeometryCollection":
            members = value.get("geometries")
            if not isinstance(members, list):
                raise InputError(f"{self.where} has a malformed GeometryCollection (\"geometries\" must be an array)")
            if depth >= _MAX_COLLECTION_DEPTH:
                raise InputError(f"{self.where} nests GeometryCollections more than {_MAX_COLLECTION_DEPTH} deep")
            for m in members:
                if not isinstance(m, dict) or not isinstance(m.get("type"), str) or m["type"] not in GEOMETRY_TYPES:
                    got = m.get("type") if isinstance(m, dict) else type(m).__name__
                    raise InputError(f"{self.where} has an unknown geometry type {str(got)[:40]!r} in a collection")
            return shapely.GeometryCollection([self._geometry(m, depth + 1) for m in members])
        coords = value.get("coordinates")
        try:
            return self._build(kind, coords)
        except _Malformed as exc:
            raise InputError(f"{self.where} has a malformed {kind} ({exc})") from None

    def _count(self, vertices: int, parts: int) -> None:
        self.vertices += vertices
        self.parts += parts
        self.total_parts += parts
        if self.total_parts > self.limits.max_total_parts:
            raise InputError(f"{self.name} has more than {self.limits.max_total_parts:,} polygons, lines, points and "
                             "holes in all; merge or simplify them first")
        if self.vertices > self.limits.max_vertices:
            raise InputError(f"{self.name} has more than {self.limits.max_vertices:,} vertices; simplify it first")
        if self.parts > self.limits.max_parts:
            raise InputError(
                f"{self.where} has more than {self.limits.max_parts:,} parts and holes; the limit is "
                f"{self.limits.max_parts:,} per feature: split or simplify it"
            )

    def _positions(self, value: Any, minimum: int) -> np.ndarray:
        """An (n, 2) array of finite lon/lat from a list of positions."""
        if not isinstance(value, list):
            raise _Malformed("coordinates must be an array of positions")
        if len(value) < minimum:
            raise _Malformed(f"needs at least {minimum} positions, got {len(value)}")
        if not value:
            return np.empty((0, 2))
        self._count(len(value), 0)
        try:
            arr = np.asarray(value, dtype=float)
        except (ValueError, TypeError):  # ragged (2-D mixed with 3-D) or not numbers
            arr = np.array([self._position(p) for p in value], dtype=float)
        if arr.ndim != 2 or arr.shape[1] < 2:
            raise _Malformed("a position must be an array of two or more numbers")
        if arr.shape[1] > 2:
            self.dropped_dimensions = True
            arr = arr[:, :2]
        if not np.isfinite(arr).all():
            raise InputError(f"{self.name} has NaN or infinite coordinates")
        return arr

    def _position(self, value: Any) -> list[float]:
        if not isinstance(value, list) or len(value) < 2 or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            raise _Malformed("a position must be an array of two or more numbers")
        try:
            out = [float(v) for v in value]
        except OverflowError:  # an integer too large for a float
            raise InputError(f"{self.name} has NaN or infinite coordinates") from None
        if len(out) > 2:
            self.dropped_dimensions = True
        return out[:2]

    def _ring(self, value: Any) -> np.ndarray:
        arr = self._positions(value, 4)
        if not (arr[0] == arr[-1]).all():
            raise _Malformed("a linear ring must end where it starts")
        return arr

    def _polygon(self, value: Any) -> shapely.Polygon:
        if not isinstance(value, list):
            raise _Malformed("a Polygon's coordinates must be an array of rings")
        if not value:
            return shapely.Polygon()
        rings = [self._ring(r) for r in value]
        self._count(0, len(rings))
        return shapely.Polygon(rings[0], rings[1:])

    def _build(self, kind: str | None, coords: Any) -> BaseGeometry:
        if kind == "Point":
            if coords == []:
                return shapely.Point()
            self._count(1, 1)
            return shapely.Point(self._position(coords))
        if not isinstance(coords, list):
            raise _Malformed("coordinates must be an array")
        if kind == "MultiPoint":
            self._count(0, len(coords))
            return shapely.MultiPoint(self._positions(coords, 0)) if coords else shapely.MultiPoint()
        if kind == "LineString":
            if not coords:
                return shapely.LineString()
            self._count(0, 1)
            return shapely.LineString(self._positions(coords, 2))
        if kind == "MultiLineString":
            self._count(0, len(coords))
            return shapely.MultiLineString([self._positions(line, 2) for line in coords])
        if kind == "Polygon":
            return self._polygon(coords)
        if kind == "MultiPolygon":
            polygons = [self._polygon(p) for p in coords]
            return shapely.MultiPolygon([p for p in polygons if not p.is_empty])
        raise _Malformed(f"unknown type {str(kind)[:40]!r}")


class _Malformed(Exception):
    """A geometry's coordinates do not have the shape its type requires."""


def _check_nesting(props: Mapping[str, Any], name: str, index: int, limit: int) -> None:
    stack: list[tuple[Any, int, str]] = [(v, 1, str(k)) for k, v in props.items() if isinstance(v, dict | list)]
    while stack:
        value, depth, key = stack.pop()
        if depth > limit:
            raise InputError(
                f"{name}: feature {index}'s property {key[:40]!r} is nested more than {limit} levels deep; "
                f"the limit is {limit}"
            )
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, depth + 1, key) for c in children if isinstance(c, dict | list))


def _fix_text(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value, 0
        except UnicodeEncodeError:
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace"), 1
    if isinstance(value, dict):
        pairs = [(_fix_text(k), _fix_text(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, sum(a + b for (_, a), (_, b) in pairs)
    if isinstance(value, list):
        fixed = [_fix_text(v) for v in value]
        return [v for v, _ in fixed], sum(n for _, n in fixed)
    return value, 0


def _replace_lone_surrogates(props: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    fixed = [_fix_text(p) for p in props]
    return [p for p, _ in fixed], sum(n for _, n in fixed)


def _truncate_long_text(props: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], int]:
    cut = 0
    out = []
    for p in props:
        if any(isinstance(v, str) and len(v) > limit for v in p.values()):
            p = {k: (v[:limit] + "…" if isinstance(v, str) and len(v) > limit else v) for k, v in p.items()}
            cut += 1
        out.append(p)
    return out, cut
