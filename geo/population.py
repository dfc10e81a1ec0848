"""Population estimates inside any polygon: a dasymetric model on the embedded data.

The model
---------
Land is partitioned into *zones*: every first-level unit with an official total
(Ukraine's 27 units, Belarus's 7 regions, the Russian regions in
``data/sources/population_admin1.csv``), and, for every country, the rest of its land
(the whole country where no unit has a total). For each zone::

    settled = people in GeoNames settlements strictly inside the zone (whole zone)
    scale   = min(1, official total / settled)
    rural   = official total − scale × settled
    density = rural / zone land (km², geodesic: the zone's pieces in
              :mod:`geo.partition`, units clipped to their country; scaled up to
              the whole zone where the data set is cut at 60°E)

and the estimate for a polygon P is::

    people(P) = Σ scale × share(P) × settlement  +  Σ_zones density(zone) × area(P ∩ zone land)

so a whole zone gets exactly its official total. A town of 10,000 people or more counts by
the share of its *footprint* inside P (:mod:`geo.footprint`: a geodesic disc sized at
2,500 people per km², cut to its own unit's land and, for the bank parts of a river city,
to its bank), so a river, a line or a buffer edge through a town divides its people;
smaller places count where their point lies. Where GeoNames settlements add up to more than the official
total (communes listed beside their own villages in Belgium or Romania, figures older than
the total, e.g. Sevastopol or Saint Petersburg), their people are scaled down by ``scale``
and the estimate says so.

Cities that are first-level units themselves (Sevastopol, Minsk, Moscow, Saint Petersburg)
are *areal*: their official total is spread evenly over the unit and their GeoNames points
are not counted separately, because a single point for a city of millions would put all of
them on one side of any line through it. Kyiv is instead placed on its two banks by its
districts' figures (``data/sources/settlement_population.csv``), as Dnipro and Zaporizhzhia
are, and its unit counts those points plus its remainder spread evenly. Natural Earth's
"Kiev City" covers 1,642 km² against the city's 839 km²; the data build
(``data/build.py``, ``fit_city_extent``) cuts it back to 839 km², an approximation of the
city limits (the unit clipped to a geodesic disc round the centre, less the places of Kyiv
Oblast inside it), and gives the rest, with Irpin, Vyshneve, Vyshhorod and Obukhiv, to Kyiv
Oblast. Where another city unit reaches beyond the city and takes in towns of the
surrounding region (Khimki and Podolsk in Moscow), those towns keep their points and count
as settlements of the region their GeoNames record names: the city unit then holds its
official total plus those towns, the region its total minus them, and the two together
exactly both totals.

Totals for groups of units
--------------------------
Where an office publishes totals only for groups of the units the data set draws (Latvia's
statistical regions, groups of its 2009–2021 municipalities; a Hungarian county with the cities
with county rights Natural Earth draws inside it, whose outlines take in neighbouring towns;
three Estonian counties whose figures are known only together), each group is one zone
(``data/sources/population_groups.csv``, :func:`unit_groups`): its total less its
settlements is spread over all its members' land, and the country's remainder is the
country less its groups.

Known biases
------------
* Rural people are spread evenly over each zone, including forests, marshes and
  mountains: bands through empty land are overestimated, bands through dense farmland
  underestimated. A gridded raster (:func:`geo.raster.raster_population`) avoids this.
* GeoNames populations come from different years (many Ukrainian figures predate 2022);
  official totals have their own reference dates (Ukraine 1 Jan 2022, Crimea and
  Sevastopol 1 Jan 2014, Russia's 2021 census, Belarus 1 Jan 2024). Nothing models war-time
  displacement, which in Ukraine's front-line oblasts is large.
* A settlement whose GeoNames point falls in the sea (10m coastline) is counted only by
  polygons that cover that point.
* A town's footprint is a disc at one density for all towns (:mod:`geo.footprint`), not its
  real outline: an edge through a town takes the disc's share of it.
* Where a country's only total is national (most of Europe), its rural density is a
  national average.

Unknown is not zero
-------------------
The embedded data end at :data:`geo.settings.EUROPE_BBOX`. Outside it nothing is known, so
an area wholly outside has ``population = None`` (not 0), and an area partly outside counts
only its part inside, with ``coverage`` < 1 saying how much of it (by km²) has data.

Range
-----
A zone wholly inside an area gets exactly its total; where an area takes only part of a
zone its rural people are an even spread, which is where the model is weakest. The range
``low``–``high`` widens those partial rural people by :data:`RURAL_RANGE` (a unit's own
density) or :data:`NATIONAL_RURAL_RANGE` (a national average, where no unit total exists);
the people of a town the area cuts through are widened by
:data:`geo.footprint.SHARE_SPREAD`. Where a zone's settlements add up to more than its total
(Finland, Romania: GeoNames gives a municipality's people to its centre's point), the zone
has no rural remainder and its points carry the countryside's people: in a zone the area
takes only part of, the places counted by their point (no footprint) are widened by the
same factors as a rural spread. Other settlements wholly in or out and whole zones are taken
as certain.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data, derived, footprint, partition, settings
from geo.geodesy import area_km2

__all__ = [
    "METHOD",
    "NATIONAL_RURAL_RANGE",
    "RURAL_RANGE",
    "PopulationEstimate",
    "check_groups",
    "data_coverage",
    "describe",
    "estimate_population",
    "settlements_within",
    "unit_groups",
    "zones",
]

METHOD = (
    "Dasymetric estimate: GeoNames settlements (cities500) inside the area (towns of 10,000+ "
    "by the share of their footprint inside: a disc at 2,500 people/km² cut to their unit's "
    "land and river bank), plus each "
    "first-level unit's or country's rural remainder (official total minus its settlements) "
    "spread evenly over the unit's land."
)

#: Territories whose people are already counted in another country's official total.
_INCLUDED_IN = {"ALA": "FIN"}
#: First-level unit types whose total is spread evenly over the unit (cities).
AREAL_UNIT_TYPES = frozenset({"Capital city", "Federal city", "City with special status"})
#: Factors (low, high) on the rural people of a zone an area takes only part of, where the
#: zone is a first-level unit with its own total: rural people are spread evenly over
#: forest, marsh, fell and farmland alike, while they live along coasts, rivers and roads. A
#: judgement calibrated on the independent figures of ``tests/geo/test_population_validation.py``
#: (east Finnmark, where people cluster on the Varanger coast, holds about 2.5 times its
#: county's even spread), not a statistical interval.
RURAL_RANGE = (0.4, 2.5)
#: The same where the zone's density is a national average (no unit total): wider, since a
#: country's mean says little about its empty north or its suburbs (before Finnmark had its
#: own total, Norway's national spread put nearly 5 times too many rural people into the east of it).
NATIONAL_RURAL_RANGE = (0.2, 3.0)
#: How the notes that an area lies (partly) outside the embedded data begin.
_OUTSIDE_NOTES = ("No population data here", "lies inside the embedded data")
#: A zone counts as wholly inside an area when this share of its land is inside.
_WHOLE = 0.999


@dataclass(frozen=True)
class PopulationEstimate:
    """People inside an area, with the parts of the estimate.

    Attributes
    ----------
    population : int
        Estimated people (settled + rural), rounded.
    settled : int
        People in settlements inside: towns of 10,000+ by the share of their footprint
        inside, smaller places by their point (scaled where the model scales them).
    rural : float
        People attributed from rural remainders.
    settlements : pandas.DataFrame
        The settlements counted, largest first (see :func:`settlements_within`).
    parts : pandas.DataFrame
        One row per country and first-level unit touched (:func:`geo.partition.split`):
        ``iso_a3``, ``adm1_code`` (missing outside the shipped units), ``zone_id``,
        ``area_km2`` (of the part inside, km²), ``rural`` (people).
        ``low``/``high`` (people, the rural part's range).
    method : str
    notes : tuple of str
    low, high : int or None
        Range of the estimate (see the module's *Range*); ``None`` with ``population``.
    coverage : float
        Share of the area (km², 0–1) inside the embedded data; the rest is unknown.
    basis : tuple of str
        What the figure is: the time basis of each source that contributes to it.
    """

    population: int | None
    settled: int
    rural: float
    settlements: pd.DataFrame
    parts: pd.DataFrame
    method: str
    notes: tuple[str, ...]
    low: int | None = None
    high: int | None = None
    coverage: float = 1.0
    basis: tuple[str, ...] = ()

    def described_within(self, countries: Collection[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The notes and the basis of this estimate's part in some countries (:func:`describe`).

        Parameters
        ----------
        countries : collection of str
            ISO 3166-1 alpha-3 codes.

        Returns
        -------
        notes, basis : tuple of str
            What applies to the part; where the whole area lies partly outside the embedded
            data, its note saying so is kept (a country's part may be cut by the same edge).
        """
        keep = set(countries)
        notes, basis = describe(self.parts[self.parts["iso_a3"].isin(keep)],
                                self.settlements[self.settlements["iso_a3"].isin(keep)])
        outside = tuple(n for n in self.notes if any(key in n for key in _OUTSIDE_NOTES))
        return notes + outside, basis

    def slim(self) -> PopulationEstimate:
        """The same estimate keeping only the columns :meth:`described_within` reads.

        For caching beside a :class:`geo.figures.Measurement`: a continent-sized area counts
        ~90,000 settlements, and the full table would be held twice.
        """
        return dataclasses.replace(
            self, settlements=self.settlements[["geonameid", "iso_a3", "population", "weight"]],
            parts=self.parts[["iso_a3", "zone_id", "area_km2"]])


@functools.cache
def _zones() -> gpd.GeoDataFrame:
    stored = derived.zones()  # data/derived, while it matches the data set; else computed now
    return zones_computed() if stored is None else stored


def zones_computed() -> gpd.GeoDataFrame:
    """The zones of the model computed from the data set (what ``data/derive.py`` stores; see :func:`zones`)."""
    countries = data.countries()
    units = data.admin1()
    totals_c = data.population_countries().set_index("iso_a3")
    totals_u = data.population_admin1().set_index("iso_3166_2")

    units = units[units["iso_3166_2"].isin(totals_u.index)].copy()
    units["population_total"] = units["iso_3166_2"].map(totals_u["population"]).astype(float)
    units["source"] = units["iso_3166_2"].map(totals_u["source"])
    units["reference_date"] = units["iso_3166_2"].map(totals_u["reference_date"])
    units["zone_id"] = units["adm1_code"]
    # a city unit whose city is placed on its banks by district figures (Kyiv) counts its points
    units["areal"] = units["unit_type"].isin(AREAL_UNIT_TYPES) & ~units["adm1_code"].isin(_split_city_units())
    # the points inside an areal unit are not counted, but they are not the rest of the country's either
    units["points_population"] = units["settlement_population"]
    units.loc[units["areal"], "settlement_population"] = 0
    columns = ["zone_id", "iso_a3", "adm1_code", "name", "population_total", "area_km2",
               "settlement_population", "areal", "clipped", "source", "reference_date", "geometry"]
    # a total covering several units (Latvia's statistical regions) is one zone over all of them
    every = data.admin1().set_index("adm1_code")
    grouped = [{"zone_id": g.code, "iso_a3": g.iso_a3, "adm1_code": g.code, "name": g.name,
                "population_total": float(g.population),
                "area_km2": float(every.loc[list(g.members), "area_km2"].sum()),
                "settlement_population": int(every.loc[list(g.members), "settlement_population"].sum()),
                "points_population": int(every.loc[list(g.members), "settlement_population"].sum()),
                "areal": False, "clipped": bool(every.loc[list(g.members), "clipped"].any()), "source": g.source,
                "reference_date": g.reference_date,
                "geometry": shapely.union_all(every.loc[list(g.members)].geometry.values)}
               for g in unit_groups().itertuples()]
    if grouped:
        units = pd.concat([units, gpd.GeoDataFrame(grouped, crs="EPSG:4326")], ignore_index=True)
    rows = [units[columns]]

    for guest, host in _INCLUDED_IN.items():
        if guest in totals_c.index and host in totals_c.index:
            totals_c.loc[host, "population"] -= totals_c.loc[guest, "population"]

    rest = []
    for c in countries.itertuples():
        own = units[units["iso_a3"] == c.iso_a3]
        total = float(totals_c["population"].get(c.iso_a3, np.nan))
        source = totals_c["source"].get(c.iso_a3, None)
        ref = totals_c["reference_date"].get(c.iso_a3, None)
        geom = c.geometry
        area, settled = c.area_km2, c.settlement_population
        if len(own):
            geom = shapely.difference(geom, shapely.union_all(own.geometry.values))
            area = max(area - own["area_km2"].sum(), 0.0)
            settled = max(settled - int(own["points_population"].sum()), 0)
            covered = area < 0.01 * c.area_km2
            total = np.nan if covered else total - own["population_total"].sum()
            if covered:  # slivers between admin-0 and admin-1 outlines
                source = "units' mean rural density (slivers between country and unit outlines)"
        if geom.is_empty:
            continue
        rest.append({"zone_id": f"{c.iso_a3}-rest" if len(own) else c.iso_a3, "iso_a3": c.iso_a3,
                     "adm1_code": None, "name": c.name, "population_total": total, "areal": False,
                     "clipped": bool(c.clipped), "area_km2": area, "settlement_population": settled, "source": source,
                     "reference_date": ref, "geometry": geom})
    zones = pd.concat(rows + [gpd.GeoDataFrame(rest, crs="EPSG:4326")], ignore_index=True)
    zones = gpd.GeoDataFrame(zones, geometry="geometry", crs="EPSG:4326")

    # a zone's land is its pieces of the partition (units clipped to their country), scaled up
    # where the data set holds only part of the zone (cut at the 60°E edge of the data)
    land = partition.land_by_unit()
    land = land.groupby(_zone_ids(zones, land["iso_a3"], land["adm1_code"]))["area_km2"].sum()
    zones["geometry_area_km2"] = zones.geometry.map(area_km2)
    zones["land_km2"] = zones["zone_id"].map(land).fillna(0.0) * np.where(
        zones["clipped"], zones["area_km2"] / zones["geometry_area_km2"], 1.0)

    # towns that Natural Earth's too-large city units swallow (Khimki in
    # Moscow) count as settlements of the unit their own record names (see _suburbs)
    suburbs = _suburbs()
    moved = suburbs.groupby("home_zone")["population"].sum()
    zones["settlement_population"] += zones["zone_id"].map(moved).fillna(0)
    moved_out = suburbs.groupby("city_zone")["population"].sum()
    zones["settlement_population"] -= np.where(zones["areal"], 0, zones["zone_id"].map(moved_out).fillna(0))
    rural = zones["population_total"] - zones["settlement_population"]
    zones["settlements_exceed_total"] = rural < 0
    zones["settlement_scale"] = (
        zones["population_total"] / zones["settlement_population"].where(rural < 0)
    ).fillna(1.0)
    zones["rural_population"] = rural.clip(lower=0)
    zones["rural_density_km2"] = zones["rural_population"] / zones["land_km2"].where(zones["land_km2"] > 0)
    # slivers of fully divided countries take their units' mean rural density
    for iso3, group in zones.groupby("iso_a3"):
        own = group[group["adm1_code"].notna()]
        fill = own["rural_population"].sum() / own["land_km2"].sum() if len(own) else 0.0
        mask = (zones["iso_a3"] == iso3) & zones["rural_density_km2"].isna() & zones["adm1_code"].isna()
        zones.loc[mask, "rural_density_km2"] = fill if len(own) else 0.0
    zones["rural_density_km2"] = zones["rural_density_km2"].fillna(0.0)
    zones.loc[zones["areal"], "settlement_scale"] = 0.0
    return zones


@functools.cache
def _suburbs() -> pd.DataFrame:
    """Settlements inside an areal city unit whose own GeoNames record names another unit.

    Natural Earth draws some city units far beyond the city (its Moscow takes in Khimki and
    Podolsk; its "Kiev City", 1,642 km², took in Irpin and Vyshneve until the data build cut
    it back to the city's 839 km²). Spreading the city's total over such a unit and
    ignoring the points inside it would drop those towns. Instead each keeps its point and
    counts as a settlement of the unit its record names (matched on GeoNames admin-1 codes),
    whose rural remainder is reduced by it.

    Returns
    -------
    pandas.DataFrame
        ``geonameid``, ``population``, ``home_zone`` (the zone of the unit the record names),
        ``city_zone`` (the city unit holding the point).
    """
    units = data.admin1()
    totals = set(data.population_admin1()["iso_3166_2"])
    code = units["gn_a1_code"].where(~units["gn_a1_code"].astype(str).str.endswith("."))
    unique = code[code.notna() & ~code.duplicated(keep=False)]
    by_code = pd.Series(units.loc[unique.index, "adm1_code"].to_numpy(), index=unique.to_numpy())
    areal = units["unit_type"].isin(AREAL_UNIT_TYPES) & units["iso_3166_2"].isin(totals)
    counted = units["iso_3166_2"].isin(totals) & ~areal
    s = data.settlements()
    inside = s[s["adm1_code"].isin(units.loc[areal, "adm1_code"])]
    home = inside["admin1_geonames"].map(by_code)
    keep = home.notna() & (home != inside["adm1_code"]) & home.isin(units.loc[counted, "adm1_code"])
    return pd.DataFrame({"geonameid": inside.loc[keep, "geonameid"].to_numpy(),
                         "population": inside.loc[keep, "population"].to_numpy(),
                         "home_zone": home[keep].to_numpy(),
                         "city_zone": inside.loc[keep, "adm1_code"].to_numpy()})


#: Totals that cover several embedded units (``data/sources/population_groups.csv``).
GROUPS_FILE = "sources/population_groups.csv"


@functools.cache
def unit_groups() -> pd.DataFrame:
    """Official totals that cover several embedded first-level units together.

    Some offices publish totals only for groups of the units Natural Earth draws (Latvia's
    statistical regions are groups of its 2009–2021 municipalities). Each group is one zone
    of the model: its total, less its settlements, is spread over all its members' land.

    Returns
    -------
    pandas.DataFrame
        ``code`` (the group's statistical code, e.g. the NUTS code), ``name``, ``iso_a3``,
        ``population`` (people), ``reference_date``, ``source``, ``members`` (tuple of
        ``adm1_code``), ``note``; empty where the data set has no such file.

    Raises
    ------
    geo.DataFileError
        If a group names a unit that is not in the data, is in another country, is in two
        groups or has a total of its own.
    """
    columns = ["code", "name", "iso_a3", "population", "reference_date", "source", "members", "note"]
    path = settings.DATA_DIR / GROUPS_FILE
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    from geo._errors import DataFileError

    try:
        frame = pd.read_csv(path, dtype={"population": "int64"}, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(f"data file {GROUPS_FILE!r} cannot be read ({exc}).") from exc
    missing = sorted({"includes", *columns} - {"members"} - set(frame.columns))
    if missing:
        raise DataFileError(f"data file {GROUPS_FILE!r} lacks column(s) {missing}.")
    data.check_dates(frame, GROUPS_FILE, "reference_date")
    frame["members"] = frame["includes"].map(lambda v: tuple(c.strip() for c in str(v).split("|") if c.strip()))
    units = data.admin1()
    own_total = units.loc[units["iso_3166_2"].isin(data.population_admin1()["iso_3166_2"]), "adm1_code"]
    check_groups(frame, units.set_index("adm1_code")["iso_a3"], set(own_total))
    return frame[columns]


def check_groups(groups: pd.DataFrame, unit_country: pd.Series, own_total: set[str]) -> None:
    """Raise a clear error where a group of units does not partition units without totals.

    Parameters
    ----------
    groups : pandas.DataFrame
        ``code``, ``iso_a3``, ``members`` (tuples of ``adm1_code``), as :func:`unit_groups`.
    unit_country : pandas.Series
        ``iso_a3`` of every embedded unit, indexed by ``adm1_code``.
    own_total : set of str
        ``adm1_code`` of the units that have a total of their own.

    Raises
    ------
    geo.DataFileError
        Naming the group and the unit: not an embedded unit, in another country, in two
        groups, or with a total of its own (it would be counted twice).
    """
    from geo._errors import DataFileError

    seen: set[str] = set()
    for row in groups.itertuples():
        if not row.members:
            raise DataFileError(f"data file {GROUPS_FILE!r}: group {row.code} lists no unit.")
        for code in row.members:
            country = unit_country.get(code)
            problem = ("is not an embedded unit" if country is None
                       else f"is in {country}, not {row.iso_a3}" if country != row.iso_a3
                       else "is in two groups" if code in seen
                       else "has a total of its own" if code in own_total else "")
            if problem:
                raise DataFileError(f"data file {GROUPS_FILE!r}: group {row.code} lists unit {code}, which {problem}.")
            seen.add(code)


@functools.cache
def _group_of() -> pd.Series:
    """The group zone (``code``) of each unit that is a member of a group, by ``adm1_code``."""
    groups = unit_groups()
    pairs = [(m, g) for g, members in zip(groups["code"], groups["members"], strict=True) for m in members]
    return pd.Series({m: g for m, g in pairs}, dtype=object)


#: Settlement ids at and above this are the bank parts of a split city (data/build.py).
_SPLIT_ID_BASE = 1_000_000_000


@functools.cache
def _split_city_units() -> frozenset[str]:
    """First-level units holding the bank parts of a city split by district figures (Kyiv)."""
    s = data.settlements()
    return frozenset(s.loc[(s["geonameid"] >= _SPLIT_ID_BASE) & s["adm1_code"].notna(), "adm1_code"])


def _zone_ids(zones: pd.DataFrame, iso_a3: pd.Series, adm1_code: pd.Series) -> pd.Series:
    """The zone of each (country, unit) of the partition.

    The unit's own zone if it has an official total, else its group's if it is a member of
    one (:func:`unit_groups`), else its country's remainder (the whole country if no unit or
    group has one).
    """
    zone_of = _zone_rule(zones)
    codes = [None if pd.isna(a) else a for a in adm1_code]
    return pd.Series([zone_of(i, a) for i, a in zip(iso_a3, codes, strict=True)], index=iso_a3.index, dtype=object)


def _zone_rule(zones: pd.DataFrame) -> Callable[[str, str | None], str]:
    """:func:`_zone_ids` for one (country, unit) pair, memoised: an area touches many pieces of few units."""
    group = _group_of().to_dict()
    with_total = frozenset(zones["adm1_code"].dropna())
    divided = frozenset(zones.loc[zones["adm1_code"].notna(), "iso_a3"])

    @functools.cache
    def zone_of(iso_a3: str, adm1_code: str | None) -> str:
        code = group.get(adm1_code, adm1_code)
        if code is not None and code in with_total:
            return code
        return f"{iso_a3}-rest" if iso_a3 in divided else iso_a3

    return zone_of


def zones() -> gpd.GeoDataFrame:
    """The zones of the dasymetric model (a fresh copy).

    Returns
    -------
    geopandas.GeoDataFrame
        ``zone_id``, ``iso_a3``, ``adm1_code`` (missing for a country's remainder), ``name``,
        ``population_total`` (official, people; missing where none), ``area_km2`` (whole
        zone), ``settlement_population``, ``rural_population``, ``rural_density_km2``
        (people per km²), ``settlements_exceed_total`` (bool), ``settlement_scale``
        (factor applied to its settlements, ≤ 1; 0 for areal city units), ``areal``,
        ``geometry_area_km2`` (of the stored, possibly clipped geometry), ``land_km2`` (the
        land its density is spread over), ``clipped``, ``source``,
        ``reference_date``, ``geometry``.
    """
    return _zones().copy()


@functools.cache
def _zone_tree() -> shapely.STRtree:
    return shapely.STRtree(_zones().geometry.values)


@functools.cache
def _settlement_table() -> pd.DataFrame:
    """Settlements as plain columns (``lon``/``lat``), largest first.

    With the ``weight`` (their zone's settlement scale) the model counts them at and the
    ``piece`` of the land partition they lie strictly inside (-1: on a piece's edge or off
    the land).
    """
    s = data.settlements()
    order = np.argsort(-s["population"].to_numpy(), kind="stable")
    table = pd.DataFrame({
        "geonameid": s["geonameid"].to_numpy(),
        **{col: s[col].to_numpy(dtype=object) for col in ("name", "feature_code", "iso_a3", "adm1_code")},
        "population": s["population"].to_numpy(),
        "lon": s.geometry.x.to_numpy(),
        "lat": s.geometry.y.to_numpy(),
    }).take(order).reset_index(drop=True)
    placed = derived.table("settlements")  # data/derived, row for row, while it matches the data set
    if placed is None or len(placed) != len(table):
        placed = settlement_placement(table)
    table.insert(table.columns.get_loc("lon"), "weight", placed["weight"].to_numpy(dtype=float))
    table["piece"] = placed["piece"].to_numpy(dtype=np.intp)
    table["footprint"] = table["geonameid"].isin(footprint.town_ids())
    return table


def settlement_placement(table: pd.DataFrame) -> pd.DataFrame:
    """Where the model counts each settlement (what ``data/derive.py`` stores).

    Parameters
    ----------
    table : pandas.DataFrame
        ``geonameid``, ``lon``, ``lat`` (degrees) of settlements.

    Returns
    -------
    pandas.DataFrame
        Same rows: ``geonameid``, ``weight`` (the settlement scale of the zone it counts in)
        and ``piece`` (the piece of :mod:`geo.partition` it lies strictly inside, -1 on a
        piece's edge or off the land).
    """
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    hits = _zone_tree().query(shapely.points(lon, lat), predicate="within")
    weight = np.ones(len(table))
    weight[hits[0]] = _zones()["settlement_scale"].to_numpy()[hits[1]]
    suburbs = _suburbs()
    scale = _zones().set_index("zone_id")["settlement_scale"]
    at = pd.Index(table["geonameid"]).get_indexer(suburbs["geonameid"])
    weight[at] = suburbs["home_zone"].map(scale).to_numpy()
    return pd.DataFrame({"geonameid": table["geonameid"].to_numpy(), "weight": weight,
                         "piece": partition.piece_at(lon, lat)})


def settlements_within(geom: BaseGeometry) -> pd.DataFrame:
    """Settlements whose points lie strictly inside ``geom`` (largest first).

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat polygon(s).

    Returns
    -------
    pandas.DataFrame
        ``geonameid``, ``name``, ``feature_code``, ``iso_a3``, ``adm1_code``, ``population``
        (GeoNames, people, the whole town), ``share`` (of the town inside: of its footprint's
        km² for towns with one, else 1), ``weight`` (the factor the model counts its people at:
        its zone's scale × ``share``), ``lon``, ``lat``; sorted by population, descending.
        A town with a footprint is listed when any of its footprint is inside.
    """
    table = _settlement_table()
    columns = ["geonameid", "name", "feature_code", "iso_a3", "adm1_code", "population", "share", "weight",
               "lon", "lat"]
    if geom is None or geom.is_empty:
        return table.assign(share=1.0).loc[:, columns].iloc[0:0].copy()
    # a settlement strictly inside a piece wholly inside geom is inside; those in pieces on
    # geom's edge, or on no piece, get an exact point-in-polygon test
    piece = table["piece"].to_numpy()
    found = partition.cover(geom)
    state = np.where(piece >= 0, found.state()[piece], 1)
    keep = state == 2
    test = np.flatnonzero(state == 1)
    shapely.prepare(geom)
    keep[test] = shapely.contains_xy(geom, table["lon"].to_numpy()[test], table["lat"].to_numpy()[test])
    # towns with a footprint count by the share of it inside, wherever their point is
    has_fp = table["footprint"].to_numpy()
    # measured on the polygon as the land pieces read it (points every MAX_EDGE_DEGREES, edges
    # straight in lon/lat): a long geodesic edge bows off the pieces' edges, and a footprint
    # cut to a unit's pieces would leak past that unit's own outline (Klaipėda: 6 people)
    ids, part = footprint.shares(found.polygon)
    share = np.where(keep, 1.0, 0.0)
    share[has_fp] = 0.0
    share[pd.Index(table["geonameid"]).get_indexer(ids)] = part
    keep = share > 0
    out = table.loc[keep].assign(share=share[keep])
    out["weight"] = out["weight"] * out["share"]
    return out.loc[:, columns].reset_index(drop=True)


@functools.cache
def _extent() -> BaseGeometry:
    """The box the embedded data cover, with points every 0.05° (edges read as in the pieces)."""
    return shapely.segmentize(shapely.box(*settings.EUROPE_BBOX), 0.05)


def data_coverage(geom: BaseGeometry) -> float:
    """Share of a polygon's area (km²) that lies inside the embedded data's extent.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat polygon(s).

    Returns
    -------
    float
        0 (wholly outside :data:`geo.settings.EUROPE_BBOX`) to 1 (wholly inside); 1 for an
        empty geometry (nothing to count, nothing unknown).

    Examples
    --------
    >>> data_coverage(shapely.box(126.0, 37.0, 127.5, 38.0))  # round Seoul
    0.0
    >>> data_coverage(shapely.box(30.0, 50.0, 31.0, 51.0))  # round Kyiv
    1.0
    """
    if geom is None or geom.is_empty:
        return 1.0
    xmin, ymin, xmax, ymax = geom.bounds
    bx0, by0, bx1, by1 = settings.EUROPE_BBOX
    if xmin >= bx0 and ymin >= by0 and xmax <= bx1 and ymax <= by1:
        return 1.0
    if xmax <= bx0 or xmin >= bx1 or ymax <= by0 or ymin >= by1:
        return 0.0
    total = area_km2(geom)
    if total <= 0:
        return 1.0
    return float(min(1.0, area_km2(shapely.intersection(geom, _extent())) / total))


@functools.cache
def _zone_facts() -> dict[str, Any]:
    """The zones' facts that notes and bases are written from, as plain rows by ``zone_id``.

    An area touches a handful of zones: they are looked up one by one, not filtered as a frame.
    """
    columns = ["zone_id", "iso_a3", "adm1_code", "name", "source", "reference_date",
               "settlements_exceed_total", "land_km2"]
    facts = pd.DataFrame(_zones()[columns])
    text = ["zone_id", "iso_a3", "adm1_code", "name", "source", "reference_date"]
    facts[text] = facts[text].astype(object).where(facts[text].notna(), None)
    facts["settlements_exceed_total"] = facts["settlements_exceed_total"].astype(bool)
    facts["order"] = np.arange(len(facts))
    return {str(zone.zone_id): zone for zone in facts.itertuples(index=False)}


def _basis(touched: list[Any], settled: float, towns: pd.DataFrame) -> tuple[str, ...]:
    """What the figure is: one line per contributing source, with its time basis.

    ``touched`` are the zones' rows of :func:`_zone_facts`.
    """
    names = _country_names()
    lines: dict[str, list[str]] = {}
    for row in touched:
        if not isinstance(row.source, str) or row.source.startswith("units' mean"):
            continue  # no total, or a sliver between country and unit outlines
        key = _describe_total(row.iso_a3, row.reference_date, row.source)
        place = row.name if isinstance(row.adm1_code, str) else names.get(row.iso_a3, row.iso_a3)
        if str(row.zone_id).endswith("-rest"):
            place = f"rest of {place}"
        lines.setdefault(key, []).append(str(place))
    out = [f"{_listed(sorted(set(places)), 4)}: {key}" for key, places in lines.items()]
    if settled > 0:
        out.append(_settlement_basis(towns))
    return tuple(sorted(out))


def _where(zones_: list[Any]) -> str:
    """Zones named for a note, at most six places ("…, Belgium and 4 more").

    A country with more than three of the zones is counted ("41 parts of Romania": its units,
    groups of units or its remainder); a country's remainder beside its units is "the rest of" it.
    """
    names = _country_names()
    by_country: dict[str, list[Any]] = {}
    for zone in zones_:
        by_country.setdefault(zone.iso_a3, []).append(zone)
    places: list[str] = []
    for iso_a3, group in by_country.items():
        if len(group) > 3:
            places.append(f"{len(group)} parts of {names.get(iso_a3, iso_a3)}")
            continue
        places += [_zone_label(z) for z in group]
    return _listed(places, 6)


def _zone_label(zone: Any) -> str:
    """A zone as a note names it: a unit or a whole country by its name, a remainder as "the rest of" it."""
    return f"the rest of {zone.name}" if zone.zone_id.endswith("-rest") else str(zone.name)


def _listed(places: list[str], limit: int) -> str:
    """Places joined by commas, at most ``limit`` of them ("A, B and 3 more")."""
    return ", ".join(places[:limit]) + (f" and {len(places) - limit} more" if len(places) > limit else "")


def _settlement_basis(towns: pd.DataFrame) -> str:
    """The settlements' line of a basis: the share of their people on dated official figures.

    ``data/sources/settlement_population.csv`` gives many towns an official figure with its
    date (Ukrstat, GUS, Belstat, the censuses...); the rest keep GeoNames' figure of unstated
    date. The line says which share of the towns' people inside is which, and the official
    figures' span of dates.
    """
    dated = _official_town_dates()
    people = (towns["population"] * towns["weight"]).to_numpy(dtype=float)
    dates = dated.reindex(towns["geonameid"].to_numpy())
    official = dates.notna().to_numpy()
    total = float(people.sum())
    share = float(people[official].sum()) / total if total > 0 else 0.0
    geonames = "GeoNames figures of various years (cities500; each place's own date)"
    if share < 0.005:
        return f"settlements: {geonames}"
    span = f"{dates[official].min()} to {dates[official].max()}"
    span = span if dates[official].nunique() > 1 else str(dates[official].iloc[0])
    if share > 0.995:
        return f"settlements: official town figures ({span})"
    return (f"settlements: {100 * share:.0f} % of their people on official town figures ({span}), "
            f"the rest on {geonames}")


@functools.cache
def _official_town_dates() -> pd.Series:
    """The date of each official town figure, by GeoNames id (towns without one are absent)."""
    towns = data.settlements()
    official = ~towns["population_source"].astype(str).str.startswith("GeoNames")
    return towns.loc[official].set_index("geonameid")["population_date"].astype(str)


@functools.cache
def _country_names() -> pd.Series:
    return data.countries().set_index("iso_a3")["name"]


def _describe_total(iso_a3: str, reference_date: str, source: str) -> str:
    """A total's time basis in words (e.g. "residents, 1 Jan 2022 estimate, before the full-scale invasion")."""
    date = pd.Timestamp(reference_date)
    day = f"{date.day} {date.strftime('%b')} {date.year}"
    kind = "census" if "census" in source.lower() else "estimate"
    text = f"official {kind}, {day}" if kind == "estimate" else f"{date.year} census ({day})"
    if "de facto" in source.lower():  # Transnistria's own statistics service
        text = f"estimate of the de facto authorities, {day}"
    if iso_a3 == "UKR" and date < pd.Timestamp("2022-02-24"):
        text = f"residents, {day} estimate, before the full-scale invasion (war-time displacement not modelled)"
        if date < pd.Timestamp("2014-02-20"):
            text = f"residents, {day} estimate, before the occupation of 2014"
    return text


def estimate_population(geom: BaseGeometry, *, parts: pd.DataFrame | None = None) -> PopulationEstimate:
    """Estimate the people living inside a lon/lat polygon with the dasymetric model.

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon in lon/lat (EPSG:4326).
    parts : pandas.DataFrame, optional
        ``geo.partition.split(geom)`` if already computed.

    Returns
    -------
    PopulationEstimate
        ``population`` is ``None`` where the area lies wholly outside the embedded data;
        partly outside, it counts the part inside and ``coverage`` says how much that is.

    Examples
    --------
    >>> from geo import data
    >>> poltava_oblast = data.admin1().set_index("iso_3166_2").geometry["UA-53"]
    >>> estimate_population(poltava_oblast).population  # equals the official 1 Jan 2022 total
    1352283
    >>> estimate_population(shapely.box(126.0, 37.0, 127.5, 38.0)).population is None  # Seoul
    True
    """
    zones_ = _zones()
    by_zone = zones_.set_index("zone_id")
    town = settlements_within(geom)
    parts = partition.split(geom) if parts is None else parts.copy()
    parts["zone_id"] = _zone_ids(zones_, parts["iso_a3"], parts["adm1_code"])
    parts["rural"] = parts["area_km2"] * parts["zone_id"].map(by_zone["rural_density_km2"]).fillna(0.0)
    # rural people of zones the area takes only part of are uncertain (see *Range*)
    share = parts.groupby("zone_id")["area_km2"].transform("sum") / parts["zone_id"].map(by_zone["land_km2"])
    partial = ~(share >= _WHOLE)
    national = parts["zone_id"].map(by_zone["adm1_code"]).isna()
    (lo_n, hi_n), (lo_u, hi_u) = NATIONAL_RURAL_RANGE, RURAL_RANGE
    lo = np.where(national, NATIONAL_RURAL_RANGE[0], RURAL_RANGE[0])
    hi = np.where(national, NATIONAL_RURAL_RANGE[1], RURAL_RANGE[1])
    parts["low"] = parts["rural"] * np.where(partial, lo, 1.0)
    parts["high"] = parts["rural"] * np.where(partial, hi, 1.0)
    settled_f = float((town["population"] * town["weight"]).sum())
    # the people of towns an area takes only part of are uncertain (geo.footprint.SHARE_SPREAD)
    scale = town["weight"] / town["share"]
    spread = float((footprint.SHARE_SPREAD * np.minimum(town["share"], 1 - town["share"]) * scale
                    * town["population"]).sum())
    # where a zone's settlements add up to more than its total (Finland, Romania: GeoNames gives
    # a municipality's people to its centre's point), those points carry the countryside's
    # people; in a zone the area takes only part of, places counted by their point are as
    # uncertain as a rural spread and are widened by the zone's rural range
    zone = _zone_ids(zones_, town["iso_a3"], town["adm1_code"])
    zone_share = (zone.map(parts.groupby("zone_id")["area_km2"].sum()).astype(float)
                  / zone.map(by_zone["land_km2"]).astype(float))
    exceeds = zone.map(by_zone["settlements_exceed_total"]).fillna(False).astype(bool)
    pointlike = (~town["geonameid"].isin(footprint.town_ids()) & exceeds & ~(zone_share >= _WHOLE)).to_numpy()
    zone_national = zone.map(by_zone["adm1_code"]).isna().to_numpy()
    people = (town["population"] * town["weight"]).to_numpy(dtype=float)
    # carried on the zone's parts (by area), so each country's range in a breakdown includes it
    by_zone_of = zone.to_numpy()
    crowd_lo = pd.Series(people * pointlike * (1 - np.where(zone_national, lo_n, lo_u))).groupby(by_zone_of).sum()
    crowd_hi = pd.Series(people * pointlike * (np.where(zone_national, hi_n, hi_u) - 1)).groupby(by_zone_of).sum()
    by_area = parts["area_km2"] / parts.groupby("zone_id")["area_km2"].transform("sum")
    parts["low"] -= parts["zone_id"].map(crowd_lo).fillna(0.0) * by_area
    parts["high"] += parts["zone_id"].map(crowd_hi).fillna(0.0) * by_area
    settled = int(round(settled_f))
    rural = float(parts["rural"].sum())
    coverage = data_coverage(geom)
    population: int | None = int(round(settled_f + rural))
    low: int | None = int(round(settled_f - spread + parts["low"].sum()))
    high: int | None = int(round(settled_f + spread + parts["high"].sum()))
    if coverage <= 0:
        population = low = high = None
    parts = parts[["iso_a3", "adm1_code", "zone_id", "area_km2", "rural", "low", "high"]]
    notes, basis = describe(parts, town, coverage)
    return PopulationEstimate(
        population=population, settled=settled, rural=rural, settlements=town, parts=parts, method=METHOD,
        notes=notes, low=low, high=high, coverage=coverage, basis=basis,
    )


def describe(
    parts: pd.DataFrame, towns: pd.DataFrame, coverage: float = 1.0
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The notes and the basis of an estimate made of some zones' parts and settlements.

    A pure function of what the estimate counted, so that any subset of it (one country's
    part of an area, :meth:`PopulationEstimate.described_within`) says only what applies to that subset.

    Parameters
    ----------
    parts : pandas.DataFrame
        ``zone_id`` and ``area_km2`` (km²) of each piece counted (:attr:`PopulationEstimate.parts`).
    towns : pandas.DataFrame
        The settlements counted (:attr:`PopulationEstimate.settlements`): ``geonameid``,
        ``population`` (people) and ``weight`` (0–1).
    coverage : float
        Share of the area (km², 0–1) inside the embedded data.

    Returns
    -------
    notes, basis : tuple of str
        The caveats that apply, and each contributing source with its time basis.
    """
    facts = _zone_facts()
    ids, where = np.unique(parts["zone_id"].to_numpy(dtype=object).astype(str), return_inverse=True)
    inside = np.bincount(where, weights=parts["area_km2"].to_numpy(dtype=float), minlength=len(ids))
    known = [(facts[i], km2) for i, km2 in zip(ids, inside, strict=True) if i in facts]
    partial = {zone.zone_id for zone, km2 in known if not km2 / zone.land_km2 >= _WHOLE}
    touched = sorted((zone for zone, _ in known), key=lambda zone: zone.order)  # a handful of zones
    notes = []
    flagged = [z for z in touched if z.settlements_exceed_total]
    if flagged:
        notes.append(
            "In " + _where(flagged) + " the GeoNames settlements add up to more than "
            "the official total: their people are scaled down to it and no rural remainder is added."
        )
    no_total = [z for z in touched if z.source is None]
    if no_total:
        notes.append("No official total for " + _where(no_total) + ": settlements only.")
    national = [z for z in touched if z.zone_id in partial and z.adm1_code is None and z.source is not None
                and not z.source.startswith("units' mean")]
    low, high = NATIONAL_RURAL_RANGE
    for exceeds, consequence in (
        (False, "rural people there are spread at that whole area's average density"),
        # no rural remainder to spread there: the points carry the countryside's people
        (True, "the places there counted by their point carry the countryside's people, and their "
               f"range is as wide as a national rural spread's (×{low:g}–{high:g})"),
    ):
        averaged = [z for z in national if z.settlements_exceed_total == exceeds]
        if averaged:
            named = sorted(_zone_label(z) for z in averaged)
            notes.append("No first-level totals for " + ", ".join(named) + ": " + consequence + ".")
    if coverage <= 0:
        notes.append("No population data here: the embedded data cover Europe only "
                     f"(lon {settings.EUROPE_BBOX[0]:g}…{settings.EUROPE_BBOX[2]:g}°, "
                     f"lat {settings.EUROPE_BBOX[1]:g}…{settings.EUROPE_BBOX[3]:g}°); "
                     "load a population raster to count people elsewhere.")
    elif coverage < _WHOLE:
        notes.append(f"Only {100 * coverage:.1f} % of the area lies inside the embedded data (Europe): "
                     "the figure counts that part; people in the rest are unknown, not zero.")
    settled = float((towns["population"] * towns["weight"]).sum())
    return tuple(notes), _basis(touched, settled, towns)
