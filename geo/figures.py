"""One entry point for the figures of an area: km², people, breakdowns, largest towns.

:func:`measure` is what every layer, the CLI and the app call, so every figure the
product shows comes from here and names its method.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data
from geo._errors import InputError
from geo.geodesy import area_km2, polygon_parts
from geo.population import clipped_intersection, estimate_population

__all__ = ["AREA_METHOD", "Measurement", "measure", "overlap"]

AREA_METHOD = "Geodesic area on the WGS84 ellipsoid (pyproj.Geod, Karney 2013)."


@dataclass(frozen=True)
class Measurement:
    """The figures of one area.

    Attributes
    ----------
    area_km2 : float
        Geodesic area, km².
    population : int
        Estimated people.
    population_method : str
        How ``population`` was estimated.
    population_notes : tuple of str
        Caveats that apply to this area.
    by_country : pandas.DataFrame
        ``iso_a3``, ``name``, ``area_km2``, ``share_pct`` (of the country's own land),
        ``population``; largest area first.
    by_admin1 : pandas.DataFrame
        ``adm1_code``, ``iso_3166_2``, ``name``, ``iso_a3``, ``area_km2``, ``share_pct``,
        ``population``, for the units shipped in the data set.
    largest_settlements : pandas.DataFrame
        ``name``, ``iso_a3``, ``population`` (GeoNames), ``lon``, ``lat``; largest first.
    """

    area_km2: float
    population: int
    population_method: str
    population_notes: tuple[str, ...] = ()
    by_country: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_admin1: pd.DataFrame = field(default_factory=pd.DataFrame)
    largest_settlements: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (numbers rounded: km² to 0.1, people to 1)."""
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            out = frame.copy()
            for col in out.columns:
                if col == "area_km2":
                    out[col] = out[col].round(1)
                elif col in ("lon", "lat"):
                    out[col] = out[col].round(5)
                elif col == "share_pct":
                    out[col] = out[col].round(3)
            return [
                {k: (None if isinstance(v, float) and np.isnan(v) else _plain(v)) for k, v in row.items()}
                for row in out.to_dict(orient="records")
            ]

        return {
            "area_km2": round(self.area_km2, 1),
            "area_method": AREA_METHOD,
            "population": int(self.population),
            "population_method": self.population_method,
            "population_notes": list(self.population_notes),
            "by_country": records(self.by_country),
            "by_admin1": records(self.by_admin1),
            "largest_settlements": records(self.largest_settlements),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if not isinstance(geom, BaseGeometry):
        raise InputError(f"expected a shapely geometry, got {type(geom).__name__}")
    parts = polygon_parts(shapely.make_valid(geom)) if not geom.is_empty else []
    if not geom.is_empty and not parts:
        raise InputError(
            f"a {geom.geom_type} has no area: buffer it first (geo.buffer) to measure the land around it"
        )
    return shapely.union_all(parts) if parts else shapely.Polygon()


def measure(
    geom: BaseGeometry,
    *,
    raster: str | PathLike[str] | None = None,
    top_settlements: int = 10,
    breakdown: bool = True,
) -> Measurement:
    """Area, population and breakdowns of a lon/lat polygon.

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon in lon/lat (EPSG:4326). Invalid polygons are repaired.
    raster : path, optional
        A population-count GeoTIFF (people per cell; WorldPop, GHS-POP, LandScan...). When
        given, people are summed from it with exact cell-coverage weights instead of the
        dasymetric model.
    top_settlements : int
        How many of the largest settlements inside to list.

    Returns
    -------
    Measurement

    Raises
    ------
    InputError
        If ``geom`` is not a shapely geometry or has no area (a point or a line).

    Examples
    --------
    >>> from geo import data
    >>> m = measure(data.admin1().set_index("iso_3166_2").geometry["UA-30"])
    >>> m.largest_settlements["name"].iloc[0]
    'Kyiv'
    """
    geom = _polygonal(geom)
    if geom.is_empty:
        return Measurement(0.0, 0, "empty area", by_country=_empty_countries(),
                           by_admin1=_empty_admin1(), largest_settlements=_empty_settlements())
    est = estimate_population(geom)
    if raster is not None:
        from geo.raster import raster_method, raster_population

        method = raster_method(raster)
        per_piece = _raster_breakdown(geom, raster) if breakdown else {"total": raster_population(geom, raster)}
        population = per_piece["total"]
        notes: tuple[str, ...] = ()
    else:
        method, notes, population, per_piece = est.method, est.notes, est.population, None

    by_country = _by_country(geom, est, per_piece) if breakdown else _empty_countries()
    by_admin1 = _by_admin1(geom, est, per_piece) if breakdown else _empty_admin1()
    towns = est.settlements.head(top_settlements)
    largest = pd.DataFrame({
        "name": towns["name"].to_numpy(),
        "iso_a3": towns["iso_a3"].to_numpy(),
        "population": towns["population"].to_numpy(),
        "lon": towns.geometry.x.to_numpy(),
        "lat": towns.geometry.y.to_numpy(),
    })
    return Measurement(area_km2(geom), int(population), method, notes, by_country, by_admin1, largest)


def overlap(a: BaseGeometry, b: BaseGeometry, **kwargs: Any) -> Measurement:
    """Figures of the area two geometries share (km² and people in both).

    Parameters
    ----------
    a, b : shapely geometry
        Lon/lat polygons.
    **kwargs
        Passed to :func:`measure`.

    Returns
    -------
    Measurement
    """
    return measure(shapely.intersection(_polygonal(a), _polygonal(b)), **kwargs)


def _raster_breakdown(geom: BaseGeometry, raster: str | PathLike[str]) -> dict[str, Any]:
    from geo.raster import raster_population

    countries = data.countries()
    units = data.admin1()
    pieces: dict[str, Any] = {"total": raster_population(geom, raster), "country": {}, "admin1": {}}
    for key, table, col in (("country", countries, "iso_a3"), ("admin1", units, "adm1_code")):
        hit = table[table.intersects(geom)]
        for code, g in zip(hit[col], hit.geometry, strict=True):
            pieces[key][code] = raster_population(shapely.intersection(geom, g), raster)
    return pieces


@functools.cache
def _indexed(kind: str) -> tuple[pd.DataFrame, shapely.STRtree, np.ndarray]:
    """Countries or first-level units with a spatial index and their stored geometries' areas."""
    table = data.countries() if kind == "country" else data.admin1()
    return table, shapely.STRtree(table.geometry.values), table.geometry.map(area_km2).to_numpy()


def _part_areas(geom: BaseGeometry, kind: str) -> list[tuple[Any, float]]:
    """(row, km² of ``geom`` inside it) for every country or unit ``geom`` touches."""
    table, tree, full = _indexed(kind)
    shapely.prepare(geom)
    inside = set(tree.query(geom, predicate="contains").tolist())
    holders = tree.query(geom, predicate="within")
    out = []
    for i in sorted(tree.query(geom, predicate="intersects").tolist()):
        if i in inside:
            part = full[i]
        elif len(holders) == 1 and holders[0] == i:
            part = area_km2(geom)
        else:
            part = area_km2(clipped_intersection(geom, table.geometry.iat[i]))
        if part > 0:
            out.append((table.iloc[i], float(part)))
    return out


def _by_country(geom: BaseGeometry, est: Any, raster: dict[str, Any] | None) -> pd.DataFrame:
    rural = est.zones.groupby("iso_a3")["rural"].sum()
    towns = est.settlements
    settled = (towns["population"] * towns["weight"]).groupby(towns["iso_a3"]).sum()
    rows = []
    for c, part in _part_areas(geom, "country"):
        people = raster["country"][c.iso_a3] if raster else settled.get(c.iso_a3, 0) + rural.get(c.iso_a3, 0.0)
        rows.append({"iso_a3": c.iso_a3, "name": c["name"], "area_km2": part,
                     "share_pct": 100.0 * part / c.area_km2 if c.area_km2 else np.nan,
                     "population": int(round(people))})
    frame = pd.DataFrame(rows, columns=_empty_countries().columns)
    return frame.sort_values("area_km2", ascending=False, ignore_index=True)


def _by_admin1(geom: BaseGeometry, est: Any, raster: dict[str, Any] | None) -> pd.DataFrame:
    from geo.population import zones

    z = zones()
    unit_density = z.set_index("adm1_code")["rural_density_km2"].dropna()
    rest_density = z[z["adm1_code"].isna()].set_index("iso_a3")["rural_density_km2"]
    towns = est.settlements
    settled = (towns["population"] * towns["weight"]).groupby(towns["adm1_code"]).sum()
    rows = []
    for u, part in _part_areas(geom, "admin1"):
        if raster:
            people = raster["admin1"][u.adm1_code]
        else:
            density = unit_density.get(u.adm1_code, rest_density.get(u.iso_a3, 0.0))
            people = settled.get(u.adm1_code, 0) + density * part
        rows.append({"adm1_code": u.adm1_code, "iso_3166_2": u.iso_3166_2, "name": u["name"],
                     "iso_a3": u.iso_a3, "area_km2": part,
                     "share_pct": 100.0 * part / u.area_km2 if u.area_km2 else np.nan,
                     "population": int(round(people))})
    frame = pd.DataFrame(rows, columns=_empty_admin1().columns)
    return frame.sort_values("area_km2", ascending=False, ignore_index=True)


def _empty_countries() -> pd.DataFrame:
    return pd.DataFrame(columns=["iso_a3", "name", "area_km2", "share_pct", "population"])


def _empty_admin1() -> pd.DataFrame:
    return pd.DataFrame(columns=["adm1_code", "iso_3166_2", "name", "iso_a3", "area_km2", "share_pct", "population"])


def _empty_settlements() -> pd.DataFrame:
    return pd.DataFrame(columns=["name", "iso_a3", "population", "lon", "lat"])
