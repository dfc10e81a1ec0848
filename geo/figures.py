"""One entry point for the figures of an area: km², people, breakdowns, largest towns.

:func:`measure` is what every layer, the CLI and the app call, so every figure the
product shows comes from here and names its method.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data, partition
from geo._errors import InputError
from geo.geodesy import area_km2, polygon_parts
from geo.population import PopulationEstimate, estimate_population

__all__ = ["AREA_METHOD", "NO_DATA", "Measurement", "measure", "overlap", "people_text", "rank_settlements"]

AREA_METHOD = "Geodesic area on the WGS84 ellipsoid (pyproj.Geod, Karney 2013)."
#: How an unknown population is shown (never as 0).
NO_DATA = "no data"


def people_text(population: int | None, *, low: int | None = None, high: int | None = None,
                coverage: float = 1.0) -> str:
    """A population figure in words: the number, its range, and how much of the area has data.

    Parameters
    ----------
    population : int or None
        People; ``None`` where unknown.
    low, high : int, optional
        Range of the estimate (shown when it differs from the figure).
    coverage : float
        Share (0–1) of the area with data.

    Returns
    -------
    str

    Examples
    --------
    >>> people_text(None)
    'no data'
    >>> people_text(23_410, low=18_000, high=29_100)
    '23,410 (18,000–29,100)'
    >>> people_text(1_200, coverage=0.4)
    '1,200 (data for 40 % of the area)'
    """
    if population is None:
        return NO_DATA
    text = f"{int(population):,}"
    if low is not None and high is not None and not low == population == high:
        text += f" ({int(low):,}–{int(high):,})"
    if coverage < 0.999:
        text += f" (data for {100 * coverage:.0f} % of the area)"
    return text


@dataclass(frozen=True)
class Measurement:
    """The figures of one area.

    Attributes
    ----------
    area_km2 : float
        Geodesic area, km².
    population : int or None
        Estimated people; ``None`` where the area lies wholly outside the embedded data
        (unknown, not zero).
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
        ``name``, ``iso_a3``, ``population`` (GeoNames, the whole town), ``inside`` (its people
        inside the area: ``population`` × ``share``), ``share`` (of the town inside the area,
        0–1: of its footprint for towns of 10,000+, see :mod:`geo.footprint`), ``lon``,
        ``lat``; most people inside first, towns with under 1 % of their footprint inside left out.
    settlements : pandas.DataFrame
        Every settlement counted, in the same columns, most people inside first (not exported by
        :meth:`to_dict`; it lets :meth:`within` list the largest of a part).
    population_low, population_high : int or None
        Range of ``population`` where the model is weakest (rural people of units the area
        takes only part of; :mod:`geo.population`, *Range*).
    population_coverage : float
        Share of the area (km², 0–1) inside the embedded data: ``population`` counts that part.
    population_basis : tuple of str
        What the figure is: each contributing source with its time basis ("residents,
        1 Jan 2022 estimate, before the full-scale invasion", "2021 census", ...).
    estimate : geo.population.PopulationEstimate or None
        The model's estimate behind the figures (its slim form), ``None`` for a raster's.
    """

    area_km2: float
    population: int | None
    population_method: str
    population_notes: tuple[str, ...] = ()
    by_country: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_admin1: pd.DataFrame = field(default_factory=pd.DataFrame)
    largest_settlements: pd.DataFrame = field(default_factory=pd.DataFrame)
    settlements: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    population_low: int | None = None
    population_high: int | None = None
    population_coverage: float = 1.0
    population_basis: tuple[str, ...] = ()
    #: so that a part of the area (:meth:`within`) says only the notes and basis that apply to it
    estimate: PopulationEstimate | None = field(default=None, repr=False, compare=False)

    def people(self) -> str:
        """The population in words (:func:`people_text`): "no data" where unknown."""
        return people_text(self.population, low=self.population_low, high=self.population_high,
                           coverage=self.population_coverage)

    def within(self, countries: Collection[str], *, top_settlements: int = 10) -> Measurement:
        """The figures of the part of this area that lies in some countries.

        Derived from the breakdowns, with no geometry work: area and people are the sums of
        the countries' rows, so the part of a land area in country X measures the same as
        ``measure(area ∩ X)``. Needs a measurement made with ``breakdown=True``.

        Parameters
        ----------
        countries : collection of str
            ISO 3166-1 alpha-3 codes.
        top_settlements : int
            How many of the part's largest settlements to list.

        Returns
        -------
        Measurement
            ``area_km2`` counts land only (the countries' parts).
        """
        if self.area_km2 > 0 and self.by_country.empty:
            raise ValueError("within() needs a measurement with its breakdown (breakdown=True)")
        keep = set(countries)
        rows = self.by_country[self.by_country["iso_a3"].isin(keep)].reset_index(drop=True)
        towns = self.settlements[self.settlements["iso_a3"].isin(keep)].reset_index(drop=True)

        def total(col: str) -> int | None:
            return int(rows[col].sum()) if col in rows else None

        notes, basis = self.population_notes, self.population_basis
        if self.estimate is not None:
            notes, basis = self.estimate.described_within(keep)
        return Measurement(
            float(rows["area_km2"].sum()), int(rows["population"].sum()), self.population_method,
            notes, rows, self.by_admin1[self.by_admin1["iso_a3"].isin(keep)].reset_index(drop=True),
            _largest(towns, top_settlements), towns, total("population_low"), total("population_high"), 1.0,
            basis,
        )

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
            "population": None if self.population is None else int(self.population),
            "population_low": self.population_low,
            "population_high": self.population_high,
            "population_coverage": round(self.population_coverage, 4),
            "population_basis": list(self.population_basis),
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
        Model results are cached on the geometry (exact coordinates) and options, so the
        same polygon is measured once: treat the returned tables as read-only.

    Raises
    ------
    InputError
        If ``geom`` is not a shapely geometry or has no area (a point or a line).

    Examples
    --------
    >>> from geo import data
    >>> m = measure(data.admin1().set_index("iso_3166_2").geometry["UA-30"])
    >>> m.largest_settlements["name"].iloc[0]
    'Kyiv (right bank)'
    """
    if not isinstance(geom, BaseGeometry):
        raise InputError(f"expected a shapely geometry, got {type(geom).__name__}")
    if raster is None:
        return _modelled(geom, top_settlements, breakdown)
    return _measure(geom, raster, top_settlements, breakdown)


@functools.lru_cache(maxsize=256)
def _modelled(geom: BaseGeometry, top_settlements: int, breakdown: bool) -> Measurement:
    return _measure(geom, None, top_settlements, breakdown)


def _measure(
    geom: BaseGeometry, raster: str | PathLike[str] | None, top_settlements: int, breakdown: bool
) -> Measurement:
    geom = _polygonal(geom)
    if geom.is_empty:
        return Measurement(0.0, 0, "empty area", by_country=_empty_countries(), by_admin1=_empty_admin1(),
                           population_low=0, population_high=0,
                           largest_settlements=_empty_settlements(), settlements=_empty_settlements())
    est = estimate_population(geom, parts=partition.split(geom))
    if raster is not None:
        from geo.raster import raster_coverage, raster_method, raster_population

        method = raster_method(raster)
        per_piece = _raster_breakdown(geom, raster) if breakdown else {"total": raster_population(geom, raster)}
        population: int | None = int(per_piece["total"])
        notes: tuple[str, ...] = ()
        coverage, basis = raster_coverage(geom, raster), (f"raster: {Path(raster).name} (its own date and definition)",)
        if coverage <= 0:
            population = None
            notes = (f"No population data here: the area lies outside the raster {Path(raster).name}.",)
        elif coverage < 0.999:
            notes = (f"Only {100 * coverage:.1f} % of the area lies within the raster {Path(raster).name}: "
                     "the figure counts that part; people in the rest are unknown, not zero.",)
        low = high = population
    else:
        method, notes, population, per_piece = est.method, est.notes, est.population, None
        low, high, coverage, basis = est.low, est.high, est.coverage, est.basis

    by_country = _by_country(est, per_piece) if breakdown else _empty_countries()
    by_admin1 = _by_admin1(est, per_piece) if breakdown else _empty_admin1()
    counted = rank_settlements(est.settlements)
    return Measurement(area_km2(geom), population, method, notes, by_country, by_admin1,
                       _largest(counted, top_settlements), counted, low, high, coverage, basis,
                       est.slim() if raster is None else None)


def rank_settlements(towns: pd.DataFrame) -> pd.DataFrame:
    """Settlements counted in an area, most people inside first (:attr:`Measurement.settlements`).

    ``inside`` is the town's people inside the area (``population`` × ``share``): a city
    whose footprint the area only grazes (Cherkasy across the Dnieper from the Trans-Dnieper
    region, 0.001 % of it) ranks by the few people it adds, not by its size.

    Parameters
    ----------
    towns : pandas.DataFrame
        ``name``, ``iso_a3``, ``population`` (people, the whole town), ``share`` (0–1 of it
        inside), ``lon``, ``lat``; other columns are dropped.

    Returns
    -------
    pandas.DataFrame
        The same columns with ``inside`` (people) after ``population``.
    """
    out = towns[["name", "iso_a3", "population", "share", "lon", "lat"]].copy()
    out.insert(3, "inside", (out["population"] * out["share"]).round().astype("int64"))
    return out.sort_values(["inside", "population"], ascending=False, kind="stable").reset_index(drop=True)


#: A town with less than this share of its footprint inside is grazed by the area's edge, not in it:
#: it still counts its people inside, but is not listed among the area's towns.
GRAZED_SHARE = 0.01


def _largest(counted: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` settlements with most people inside, leaving out towns the edge only grazes."""
    keep = (counted["inside"] >= 1) & (counted["share"] >= GRAZED_SHARE)
    return counted[keep].head(n).reset_index(drop=True)


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


def _by_country(est: PopulationEstimate, raster: dict[str, Any] | None) -> pd.DataFrame:
    countries = data.countries().set_index("iso_a3")
    parts = est.parts.groupby("iso_a3")[["area_km2", "rural", "low", "high"]].sum()
    towns = est.settlements
    settled = (towns["population"] * towns["weight"]).groupby(towns["iso_a3"]).sum().reindex(parts.index,
                                                                                           fill_value=0)
    if raster:
        people = low = high = _raster_people(raster, "country", parts.index)
    else:
        people, low, high = settled + parts["rural"], settled + parts["low"], settled + parts["high"]
    whole = countries["area_km2"].reindex(parts.index)
    frame = pd.DataFrame({
        "iso_a3": parts.index, "name": countries["name"].reindex(parts.index).to_numpy(),
        "area_km2": parts["area_km2"].to_numpy(),
        "share_pct": (100.0 * parts["area_km2"] / whole.where(whole > 0)).to_numpy(),
        "population": np.round(people.to_numpy()).astype(int),
        "population_low": np.round(low.to_numpy()).astype(int),
        "population_high": np.round(high.to_numpy()).astype(int),
    }, columns=_empty_countries().columns)
    return frame.sort_values("area_km2", ascending=False, ignore_index=True)


def _by_admin1(est: PopulationEstimate, raster: dict[str, Any] | None) -> pd.DataFrame:
    units = data.admin1().set_index("adm1_code")
    inside = est.parts[est.parts["adm1_code"].notna()]
    parts = inside.groupby("adm1_code")[["area_km2", "rural"]].sum()
    towns = est.settlements
    settled = (towns["population"] * towns["weight"]).groupby(towns["adm1_code"]).sum()
    people = (_raster_people(raster, "admin1", parts.index) if raster
              else settled.reindex(parts.index, fill_value=0) + parts["rural"])
    unit = units.reindex(parts.index)
    frame = pd.DataFrame({
        "adm1_code": parts.index, "iso_3166_2": unit["iso_3166_2"].to_numpy(), "name": unit["name"].to_numpy(),
        "iso_a3": unit["iso_a3"].to_numpy(), "area_km2": parts["area_km2"].to_numpy(),
        "share_pct": (100.0 * parts["area_km2"] / unit["area_km2"].where(unit["area_km2"] > 0)).to_numpy(),
        "population": np.round(people.to_numpy()).astype(int),
    }, columns=_empty_admin1().columns)
    return frame.sort_values("area_km2", ascending=False, ignore_index=True)


def _raster_people(raster: dict[str, Any], kind: str, codes: pd.Index) -> pd.Series:
    """People per country or unit summed from a raster (0 where the raster has none)."""
    return pd.Series([raster[kind].get(code, 0.0) for code in codes], index=codes, dtype=float)


def _empty_countries() -> pd.DataFrame:
    return pd.DataFrame(columns=["iso_a3", "name", "area_km2", "share_pct", "population", "population_low",
                                 "population_high"])


def _empty_admin1() -> pd.DataFrame:
    return pd.DataFrame(columns=["adm1_code", "iso_3166_2", "name", "iso_a3", "area_km2", "share_pct", "population"])


def _empty_settlements() -> pd.DataFrame:
    return pd.DataFrame(columns=["name", "iso_a3", "population", "inside", "share", "lon", "lat"])
