"""From what a file says to valid lon/lat features: CRS, axis order, collections, repairs.

Each step either leaves the data alone, changes it and says so in a note, or refuses it with
a reason; none changes what the data means without saying so:

* coordinates are brought to lon/lat (EPSG:4326). A legacy ``urn:ogc:def:crs:EPSG::4326``
  declares latitude first and is read that way unless the values only make sense the other
  way round; a projected CRS whose values all look like degrees is refused (the declaration
  is wrong), as are values outside the CRS's valid area (checked by a round trip);
* a GeometryCollection is split into its polygons, lines and points (one feature each), so
  that each is buffered and measured by its own rule;
* invalid polygons are repaired with ``make_valid(method="structure")``, which keeps them
  polygons: overlapping or touching parts are merged, a hole outside its shell is removed,
  spikes and zero-area rings are dropped.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo._errors import InputError
from geo.settings import EUROPE_BBOX

__all__ = ["clean_frame"]

_LAT_FIRST_NAMES = ("urn:ogc:def:crs:epsg:", "http://www.opengis.net/def/crs/epsg/")
_LONLAT = CRS.from_epsg(4326)
_CRS84 = CRS.from_user_input("OGC:CRS84")


def clean_frame(frame: gpd.GeoDataFrame, name: str, notes: list[str], *, crs_name: str | None = None,
                dropped_dimensions: bool = False) -> gpd.GeoDataFrame:
    """Validated, 2-D, lon/lat features of one file.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        As read, in the file's CRS (or none).
    name : str
        The file's name for messages.
    notes : list of str
        Receives one sentence per change.
    crs_name : str, optional
        The CRS name exactly as the file wrote it (decides the axis order of EPSG URNs).
    dropped_dimensions : bool
        Whether the reader already dropped Z/M values (noted here once).

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    InputError
    """
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.all():
        raise InputError(f"{name} has no non-empty geometry")
    if missing.any():
        notes.append(f"Dropped {int(missing.sum())} feature(s) with empty or missing geometry.")
        frame = frame[~missing].reset_index(drop=True)
    if not np.isfinite(shapely.get_coordinates(frame.geometry.values)).all():
        raise InputError(f"{name} has NaN or infinite coordinates")
    if dropped_dimensions or shapely.has_z(frame.geometry.values).any():
        frame = frame.set_geometry(shapely.force_2d(frame.geometry.values), crs=frame.crs)
        notes.append("Dropped Z (height) values: all measures are on the ellipsoid surface.")
    frame = _to_lonlat(frame, name, notes, crs_name)
    _note_antimeridian_jumps(frame, name, notes)
    frame = _split_collections(frame, notes)
    frame = _repair(frame, notes)
    frame.columns = [str(c) for c in frame.columns]
    return frame


# ----------------------------------------------------------------------------- CRS and axis order


def _lonlat_ok(xy: np.ndarray) -> bool:
    return bool((np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all())


def _swap(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    swapped = shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1])
    return frame.set_geometry(swapped, crs="EPSG:4326")


def _to_lonlat(frame: gpd.GeoDataFrame, name: str, notes: list[str], crs_name: str | None) -> gpd.GeoDataFrame:
    xy = shapely.get_coordinates(frame.geometry.values)
    in_range = _lonlat_ok(xy)
    if frame.crs is None:
        if not in_range:
            raise InputError(
                f"{name} has no CRS and its coordinates are not lon/lat degrees (values up to "
                f"{np.abs(xy).max():,.0f}); it looks projected: add its .prj / CRS, or export as EPSG:4326"
            )
        notes.append("No CRS given: coordinates read as lon/lat degrees (EPSG:4326).")
        return _check_axis_order(frame.set_crs("EPSG:4326"), name, notes)
    crs = CRS.from_user_input(frame.crs)
    if not (crs.is_geographic or crs.is_projected):  # geocentric, vertical, engineering...
        raise InputError(f"{name}: its CRS {crs.name[:80]} is not a lon/lat or projected map CRS")
    if crs.equals(_LONLAT) or crs.equals(_CRS84):
        lat_first = bool(crs_name) and crs_name.strip().lower().startswith(_LAT_FIRST_NAMES)
        if lat_first:
            return _lat_first(frame, name, notes, crs_name or "", xy)
        if not in_range:
            swapped = _lonlat_ok(xy[:, ::-1])
            hint = " It looks like latitude/longitude order: GeoJSON is longitude first." if swapped else (
                " They look like projected metres: set the file's real CRS."
            )
            raise InputError(f"{name} says lon/lat but has coordinates outside ±180/±90.{hint}")
        return _check_axis_order(frame.set_crs("EPSG:4326", allow_override=True), name, notes)
    label = _crs_label(crs)
    if crs.is_projected and in_range:
        raise InputError(
            f"{name} declares {label}, a projected CRS in metres, but all its coordinates lie within ±180/±90 "
            "like degrees: the declared CRS is probably wrong (remove it if the data is lon/lat)"
        )
    try:
        out = frame.to_crs("EPSG:4326")
        back = shapely.get_coordinates(out.to_crs(crs).geometry.values)
    except Exception as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(f"{name}: cannot convert from {label} to lon/lat ({reason})") from None
    out_xy = shapely.get_coordinates(out.geometry.values)
    scale = np.maximum(np.abs(xy), 1.0)
    if not np.isfinite(out_xy).all() or not _lonlat_ok(out_xy) or not np.isfinite(back).all() or \
            (np.abs(back - xy) / scale > 1e-6).any():
        raise InputError(f"{name}: coordinates fall outside the valid area of {label} (values up to "
                         f"{np.abs(xy).max():,.0f})")
    notes.append(f"Reprojected from {label} to lon/lat (EPSG:4326).")
    return _check_axis_order(out, name, notes)


def _crs_label(crs: CRS) -> str:
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else crs.name[:80]


def _lat_first(frame: gpd.GeoDataFrame, name: str, notes: list[str], crs_name: str,
               xy: np.ndarray) -> gpd.GeoDataFrame:
    as_declared = _lonlat_ok(xy[:, ::-1])
    if as_declared:
        notes.append(f"{name} declares {crs_name[:60]}, whose axis order is latitude, longitude: read that way.")
        return _swap(frame)
    if _lonlat_ok(xy):
        notes.append(f"{name} declares {crs_name[:60]} (latitude first) but its values only make sense as "
                     "longitude, latitude: read that way.")
        return frame.set_crs("EPSG:4326", allow_override=True)
    raise InputError(f"{name} has coordinates outside ±180/±90 in either axis order")


def _check_axis_order(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Warn when lon/lat data lies outside the embedded data but would lie inside it swapped."""
    west, south, east, north = EUROPE_BBOX
    minx, miny, maxx, maxy = frame.total_bounds

    def covered(x0: float, y0: float, x1: float, y1: float) -> bool:
        return x0 < east and x1 > west and y0 < north and y1 > south

    if not covered(minx, miny, maxx, maxy) and covered(miny, minx, maxy, maxx):
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        notes.append(
            f"Check the axis order: {name} lies around {_deg(cx, 'E', 'W')} {_deg(cy, 'N', 'S')}, outside the area "
            f"the embedded data covers (so no population); read as latitude, longitude it would lie around "
            f"{_deg(cy, 'E', 'W')} {_deg(cx, 'N', 'S')}. GeoJSON is longitude first: swap the coordinates if "
            "that is what you meant."
        )
    return frame


def _note_antimeridian_jumps(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> None:
    """Say how an edge that jumps more than 180° of longitude is read (RFC 7946: the long way)."""
    rings = shapely.get_rings(shapely.get_parts(frame.geometry.values))
    lines = shapely.get_parts(frame.geometry.values)
    paths = [*rings, *lines[np.isin(shapely.get_type_id(lines), (1, 2))]]
    if any((np.abs(np.diff(shapely.get_coordinates(p)[:, 0])) > 180).any() for p in paths):
        notes.append(
            f"{name} has an edge that jumps more than 180° of longitude: read as RFC 7946 says, the long way round "
            "(straight in lon/lat). If it is meant to cross the antimeridian, split it at ±180° first."
        )


def _deg(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.2f}°{positive if value >= 0 else negative}"


# ----------------------------------------------------------------------------- collections and repairs


def _split_collections(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    geoms = frame.geometry.values
    is_collection = shapely.get_type_id(geoms) == 7
    if not is_collection.any():
        return frame
    rows, out = [], []
    for i, (geom, collection) in enumerate(zip(geoms, is_collection, strict=True)):
        if not collection:
            rows.append(i)
            out.append(geom)
            continue
        parts = shapely.get_parts(_flatten(geom))
        kinds = shapely.get_type_id(parts)
        for type_ids, make in (((3, 6), shapely.MultiPolygon), ((1, 2, 5), shapely.MultiLineString),
                               ((0, 4), shapely.MultiPoint)):
            chosen = parts[np.isin(kinds, type_ids)]
            if len(chosen):
                rows.append(i)
                out.append(make(list(shapely.get_parts(chosen))))
    notes.append(f"Split {int(is_collection.sum())} GeometryCollection(s) into their polygons, lines and points "
                 "(one feature each, so each is buffered and measured by its own rule).")
    split = frame.iloc[rows].reset_index(drop=True)
    return split.set_geometry(gpd.GeoSeries(out, crs=frame.crs).values, crs=frame.crs)


def _flatten(geom: shapely.Geometry) -> shapely.Geometry:
    parts = list(shapely.get_parts(geom))
    while any(p.geom_type == "GeometryCollection" for p in parts):
        parts = [q for p in parts for q in (shapely.get_parts(p) if p.geom_type == "GeometryCollection" else [p])]
    return shapely.GeometryCollection([p for p in parts if not p.is_empty])


def _repair(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return frame
    reasons = {shapely.is_valid_reason(g).split("[")[0] for g in geoms[invalid]}
    repaired = np.array(geoms, dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6)) & invalid
    repaired[polygonal] = shapely.make_valid(geoms[polygonal], method="structure", keep_collapsed=False)
    other = invalid & ~polygonal
    repaired[other] = shapely.make_valid(geoms[other])
    keep = ~shapely.is_empty(repaired.astype(object))
    frame = frame.set_geometry(pd.Series(list(repaired), index=frame.index).values, crs=frame.crs)
    notes.append(
        f"Repaired {int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
        f"({', '.join(sorted(reasons))}) with make_valid; polygons stay polygons (overlapping or touching parts "
        "merged, spikes and zero-area rings dropped)."
    )
    if not keep.all():
        notes.append(f"Dropped {int((~keep).sum())} feature(s) that had no area or length left after repair.")
        frame = frame[keep].reset_index(drop=True)
        if frame.empty:
            raise InputError("nothing is left of the file's geometry after repairing it")
    return frame
