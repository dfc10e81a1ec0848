"""Writing RFC 7946 GeoJSON; reading is :mod:`geo.reading` (re-exported here).

:func:`read_vector` and :class:`LoadedVector` live in :mod:`geo.reading`, which reads
untrusted files safely; they are imported here so ``from geo.io import read_vector`` keeps
working.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.output import for_output
from geo.reading import DEFAULT_LIMITS, LoadedVector, read_vector

__all__ = [
    "MAX_INPUT_BYTES",
    "LoadedVector",
    "feature_collection",
    "read_vector",
    "write_geojson",
]

#: Largest file accepted, bytes (:class:`geo.reading.Limits` holds all the limits).
MAX_INPUT_BYTES = DEFAULT_LIMITS.max_bytes


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


def _rfc7946_geometry(geom: BaseGeometry, precision: int) -> dict[str, Any] | None:
    """Geometry dict, valid at ``precision`` decimals, right-hand rule (see :mod:`geo.output`)."""
    geom = for_output(geom, precision=precision)
    return None if geom is None else json.loads(shapely.to_geojson(geom))


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
        feat["geometry"] = _rfc7946_geometry(geom, precision) if geom is not None else None
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
