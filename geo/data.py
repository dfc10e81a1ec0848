"""Loaders for the embedded data set in ``data/`` (read only; nothing is downloaded).

Each loader reads one file once per process, validates it (columns, CRS, geometry
validity) and returns a fresh copy, so callers may modify what they get without
affecting anyone else. A missing or corrupt file raises :class:`~geo.DataFileError`
with a message that says how to restore it.

The files are written by ``data/build.py``; ``data/SOURCES.md`` says where each comes from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo._errors import DataFileError
from geo.edges import densify_many

__all__ = [
    "admin1",
    "check_dates",
    "countries",
    "dnieper",
    "frontline",
    "land",
    "nato_members",
    "population_admin1",
    "population_countries",
    "reservoirs",
    "settlements",
]

_RESTORE_HINT = (
    "The embedded data set in {dir} is incomplete or damaged: restore it from the repository "
    "(git checkout -- data) or rebuild it with `python data/build.py`."
)


def _path(name: str) -> Path:
    path = settings.DATA_DIR / name
    if not path.is_file():
        raise DataFileError(
            f"data file {name!r} not found in {settings.DATA_DIR}. "
            + _RESTORE_HINT.format(dir=settings.DATA_DIR)
        )
    return path


def _check_columns(frame: pd.DataFrame, name: str, required: Iterable[str]) -> None:
    missing = sorted(set(required) - set(frame.columns))
    if missing:
        raise DataFileError(
            f"data file {name!r} lacks column(s) {missing}. "
            + _RESTORE_HINT.format(dir=settings.DATA_DIR)
        )


def check_dates(frame: pd.DataFrame, name: str, column: str) -> None:
    """Raise a clear error where a data file's date column holds anything but a YYYY-MM-DD date.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file as read.
    name : str
        The file's name, for the message.
    column : str
        The date column.

    Raises
    ------
    geo.DataFileError
        Naming the file, the column, the first bad row (1 = the first data row) and its value.
    """
    text = frame[column].astype(str)
    written = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")  # to_datetime alone takes "2024-1-1"
    parsed = pd.to_datetime(text.where(written), format="%Y-%m-%d", errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad):
        raise DataFileError(
            f"data file {name!r}: {column} of row {bad[0] + 1} is {frame[column].iloc[bad[0]]!r}, "
            "not a date written YYYY-MM-DD."
        )


@functools.cache
def _read_geo(name: str, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    path = _path(name)
    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise DataFileError(
            f"data file {name!r} cannot be read ({exc}). " + _RESTORE_HINT.format(dir=settings.DATA_DIR)
        ) from exc
    _check_columns(gdf, name, required)
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataFileError(f"data file {name!r} is in {gdf.crs}, expected EPSG:4326.")
    if not gdf.geometry.is_valid.all():
        raise DataFileError(
            f"data file {name!r} holds invalid geometries. " + _RESTORE_HINT.format(dir=settings.DATA_DIR)
        )
    # the embedded data's edges mean what files' edges mean (straight in lon/lat); densified
    # once, so that Geod's areas (geodesic edges) and the buffers (straight) measure one shape
    if (shapely.get_type_id(gdf.geometry.values) != 0).any():  # points have no edges (settlements: 90k)
        gdf = gdf.set_geometry(gpd.GeoSeries(densify_many(gdf.geometry.to_numpy()), index=gdf.index, crs=gdf.crs))
    return gdf


@functools.cache
def _read_csv(name: str, required: tuple[str, ...], dtypes: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    path = _path(name)
    try:
        frame = pd.read_csv(path, dtype=dict(dtypes), keep_default_na=False, na_values=[""])
    except Exception as exc:
        raise DataFileError(f"data file {name!r} cannot be read ({exc}).") from exc
    _check_columns(frame, name, required)
    if "reference_date" in required:
        check_dates(frame, name, "reference_date")
    return frame


def _fresh(loader: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """Wrap a cached loader so that every call returns an independent copy."""

    @functools.wraps(loader)
    def wrapper() -> pd.DataFrame:
        return loader().copy()

    return wrapper


@_fresh
def countries() -> gpd.GeoDataFrame:
    """Countries and territories touching Europe (Natural Earth 10m, German point of view).

    Crimea and Sevastopol are part of Ukraine. Geometries are clipped to
    :data:`geo.settings.EUROPE_BBOX`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso_a3``, ``iso_a2``, ``adm0_a3``, ``name`` (English), ``name_long``,
        ``sovereign_a3``, ``area_km2`` (geodesic, whole country before clipping, km²),
        ``settlement_population`` (people in GeoNames settlements inside the whole country),
        ``clipped`` (bool), ``geometry`` (EPSG:4326).
    """
    return _read_geo(
        "countries.parquet",
        ("iso_a3", "iso_a2", "name", "area_km2", "settlement_population", "clipped", "geometry"),
    )


def land(iso3: Iterable[str]) -> BaseGeometry:
    """The union of some countries' outlines (as :func:`countries` holds them).

    Parameters
    ----------
    iso3 : iterable of str
        ISO 3166-1 alpha-3 codes of countries in :func:`countries`.

    Returns
    -------
    shapely geometry
        Lon/lat; cached on the set of codes (layers ask for the same unions on every build).
    """
    return _land(tuple(sorted(set(iso3))))


@functools.lru_cache(maxsize=32)
def _land(iso3: tuple[str, ...]) -> BaseGeometry:
    outlines = countries().set_index("iso_a3").geometry
    return shapely.union_all(outlines.loc[list(iso3)].values)


@_fresh
def admin1() -> gpd.GeoDataFrame:
    """First-level units (oblasts, regions, voivodeships...) of Ukraine, Belarus, Russia and neighbours.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm1_code`` (Natural Earth), ``iso_3166_2``, ``iso_a3``, ``name`` (modern
        English, e.g. "Zaporizhzhia Oblast"), ``name_alt`` (old spellings, ``|``-separated),
        ``unit_type`` (Oblast, Region, Federal city...), ``gn_a1_code`` (GeoNames admin-1 code,
        e.g. ``UA.13``), ``area_km2`` (geodesic, whole unit, km²),
        ``settlement_population``
        (people), ``clipped``, ``geometry``.
    """
    return _read_geo(
        "admin1.parquet",
        ("adm1_code", "iso_3166_2", "iso_a3", "name", "name_alt", "unit_type", "area_km2",
         "settlement_population", "geometry"),
    )


@_fresh
def settlements() -> gpd.GeoDataFrame:
    """Populated places from GeoNames cities500 inside the Europe box, city districts removed.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``geonameid``, ``name`` (modern English where it differs from GeoNames),
        ``name_geonames``, ``feature_code``, ``country_code`` (GeoNames, ISO alpha-2),
        ``iso_a3`` (country polygon that contains it, or missing), ``adm1_code``,
        ``population`` (people: GeoNames, or a fresher official figure from
        ``data/sources/settlement_population.csv``), ``population_date``, ``population_source``,
        ``admin1_geonames`` (the unit the GeoNames record names, e.g. ``UA.13``), ``city`` and
        ``primary_part`` (a city split by bank is one row per bank, e.g. "Kyiv (left bank)"; its
        ``city`` is "Kyiv", missing for every other place, and the largest part, the one maps
        label, is ``primary_part``),
        ``modification_date``, ``relocated_km``, ``geometry`` (points).
    """
    return _read_geo(
        "settlements.parquet",
        ("geonameid", "name", "city", "primary_part", "feature_code", "iso_a3", "adm1_code", "population",
         "geometry"),
    )


@_fresh
def dnieper() -> gpd.GeoDataFrame:
    """The Dnieper as one line from Russia through Belarus and Ukraine to the Black Sea.

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``name``, ``length_km`` (geodesic, km), ``geometry`` (LineString running
        downstream, north to south, ending in the open sea past the Kinburn spit).
    """
    return _read_geo("dnieper.parquet", ("name", "length_km", "geometry"))


@_fresh
def reservoirs() -> gpd.GeoDataFrame:
    """Five reservoirs of the Dnieper cascade (Natural Earth 10m lakes; the narrow Dnipro reservoir is not one).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``status`` (the Kakhovka reservoir is drained since June 2023),
        ``area_km2``, ``geometry``.
    """
    return _read_geo("reservoirs.parquet", ("name", "status", "area_km2", "geometry"))


@_fresh
def frontline() -> gpd.GeoDataFrame:
    """Dated, **approximate** areas held across the line of contact (own digitisation).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``date`` (YYYY-MM-DD string), ``holder`` (``RU``: Ukrainian land held by
        Russia, Crimea included; ``UA``: Russian land held by Ukraine), ``ring``,
        ``waypoints``, ``area_km2``, ``geometry``. Method: ``data/sources/frontline/METHOD.md``.
    """
    return _read_geo("frontline.parquet", ("date", "holder", "waypoints", "area_km2", "geometry"))


@_fresh
def nato_members() -> pd.DataFrame:
    """The 32 NATO member states and their accession dates.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso_a3``, ``name``, ``accession_date`` (``datetime64``), ``wave``, ``note``.
        Source: NATO, *Member countries*; dates of deposit of the instruments of accession.
    """
    frame = _read_csv(
        "sources/nato_members.csv",
        ("iso_a3", "name", "accession_date", "wave"),
        (("iso_a3", "str"), ("name", "str"), ("wave", "str"), ("note", "str")),
    ).copy()
    frame["accession_date"] = pd.to_datetime(frame["accession_date"], format="%Y-%m-%d")
    return frame


@_fresh
def population_countries() -> pd.DataFrame:
    """Official population per country, one row per country with its date and source.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso_a3``, ``name``, ``population`` (people), ``reference_date``,
        ``source``, ``note``.
    """
    return _read_csv(
        "sources/population_countries.csv",
        ("iso_a3", "population", "reference_date", "source"),
        (("iso_a3", "str"), ("population", "int64"), ("reference_date", "str"), ("source", "str")),
    )


@_fresh
def population_admin1() -> pd.DataFrame:
    """Official population per first-level unit (Ukraine 1 Jan 2022, Belarus, Russian regions, Finnmark).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso_3166_2``, ``name``, ``population`` (people), ``reference_date``,
        ``source``, ``note``.
    """
    return _read_csv(
        "sources/population_admin1.csv",
        ("iso_3166_2", "population", "reference_date", "source"),
        (("iso_3166_2", "str"), ("population", "int64"), ("reference_date", "str"), ("source", "str")),
    )
