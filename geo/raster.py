"""Population from a user-supplied gridded raster (people per cell), with exact coverage weights.

Any GeoTIFF of population counts works: WorldPop, GHS-POP (Mollweide), LandScan, a
rasterised Kontur grid. Each cell counts in proportion to the fraction of its area inside
the polygon (``exactextract``'s ``sum``), and only the window of the raster that the polygon
covers is read. Polygons are reprojected to the raster's CRS after densification, so a
raster in a projected CRS (e.g. ESRI:54009) is measured correctly.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError

try:  # the optional "raster" extra
    import rasterio
    from exactextract import exact_extract
except ImportError:
    raise InputError("population from a raster needs the optional 'raster' extra: "
                     "pip install 'bufferzone[raster]'") from None

__all__ = ["raster_coverage", "raster_method", "raster_population"]


def _open_checked(path: str | PathLike[str]) -> rasterio.io.DatasetReader:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"population raster {str(p)!r} does not exist")
    try:
        ds = rasterio.open(p)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"{p.name} is not a readable raster (GeoTIFF expected): {exc}") from exc
    if ds.crs is None:
        ds.close()
        raise InputError(f"{p.name} has no coordinate reference system; set one (e.g. EPSG:4326) first")
    return ds


def raster_method(path: str | PathLike[str]) -> str:
    """Describe the raster method for a given file (for figures' ``population_method``)."""
    with _open_checked(path) as ds:
        res = f"{abs(ds.res[0]):g} × {abs(ds.res[1]):g} {ds.crs.linear_units or 'units'}"
        return (
            f"Sum of the population raster {Path(path).name} ({ds.crs.to_string()}, cells {res}) "
            "weighted by the exact fraction of each cell inside the area (exactextract)."
        )


def raster_population(geom: BaseGeometry, path: str | PathLike[str]) -> float:
    """People inside a lon/lat polygon according to a population-count raster.

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon in lon/lat (EPSG:4326).
    path : path
        GeoTIFF (or any GDAL raster) whose cells hold people per cell. Nodata cells count 0.

    Returns
    -------
    float
        People (not rounded).

    Raises
    ------
    InputError
        If the file is missing, unreadable or has no CRS.
    """
    if geom is None or geom.is_empty:
        return 0.0
    with _open_checked(path) as ds:
        crs = ds.crs
    shape = gpd.GeoSeries([shapely.segmentize(geom, 0.05)], crs="EPSG:4326")
    if not crs.is_geographic or crs.to_epsg() != 4326:
        shape = shape.to_crs(crs)
    frame = gpd.GeoDataFrame(geometry=shape)
    result = exact_extract(str(path), frame, "sum", output="pandas")
    value = float(result["sum"].iloc[0]) if len(result) else 0.0
    return 0.0 if not np.isfinite(value) else value


def raster_coverage(geom: BaseGeometry, path: str | PathLike[str]) -> float:
    """Share of a lon/lat polygon's area that lies within the raster's extent.

    Outside its extent a raster says nothing (unknown, not zero people).

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon in lon/lat (EPSG:4326).
    path : path
        The raster.

    Returns
    -------
    float
        0 to 1 (geodesic km² inside the extent over the polygon's); 1 for an empty polygon.
    """
    from geo.geodesy import area_km2

    if geom is None or geom.is_empty:
        return 1.0
    with _open_checked(path) as ds:
        crs, bounds = ds.crs, ds.bounds
    footprint = shapely.box(*bounds)
    if not crs.is_geographic or crs.to_epsg() != 4326:
        step = max(bounds.right - bounds.left, bounds.top - bounds.bottom) / 200
        footprint = gpd.GeoSeries([shapely.segmentize(footprint, step)], crs=crs).to_crs("EPSG:4326").iloc[0]
    footprint = shapely.segmentize(shapely.make_valid(footprint), 0.05)
    total = area_km2(geom)
    if total <= 0:
        return 1.0
    return float(min(1.0, area_km2(shapely.intersection(geom, footprint)) / total))
