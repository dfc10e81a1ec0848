"""Settlements as areas: towns of 10,000+ count by the share of their footprint inside."""

from __future__ import annotations

import math

import pytest
import shapely

from geo import area_km2, data
from geo.footprint import DENSITY_KM2, disc, footprints, shares
from geo.population import estimate_population, settlements_within


def _town(name: str, iso_a3: str = "UKR") -> tuple[int, float, float, int]:
    row = data.settlements().query("name == @name and iso_a3 == @iso_a3").iloc[0]
    return int(row["geonameid"]), row.geometry.x, row.geometry.y, int(row["population"])


@pytest.mark.parametrize("lat", [0.0, 48.0, 69.5])
def test_a_disc_has_the_area_it_is_asked_for(lat: float) -> None:
    # the disc's radius comes from the planar area of a regular n-gon, (n/2) r² sin(2π/n); its
    # geodesic area, measured independently on the ellipsoid, must match the request (a 10 km
    # disc's curvature changes it by well under 0.1 %)
    shape = disc(30.0, lat, 314.0)
    assert area_km2(shape) == pytest.approx(314.0, rel=1e-3)


def test_a_footprint_is_sized_by_its_people_and_stays_on_its_units_land() -> None:
    fp = footprints()
    gid, lon, lat, people = _town("Poltava")
    at = list(fp.geonameid).index(gid)
    assert fp.area_km2[at] == pytest.approx(people / DENSITY_KM2, rel=2e-3)  # wholly inland, far from borders
    # Irpin (Kyiv Oblast) borders Kyiv's city limits: its footprint is cut to the oblast's land,
    # none of it in the city, however close the disc reaches
    gid, *_ = _town("Irpin")
    units = data.admin1().set_index("iso_3166_2").geometry
    shape = fp.geometry[list(fp.geonameid).index(gid)]
    assert area_km2(shapely.difference(shape, units["UA-32"])) < 1e-3 * area_km2(shape)
    assert area_km2(shapely.intersection(shape, units["UA-30"])) < 1e-3 * area_km2(shape)


def test_a_meridian_through_a_city_divides_its_people() -> None:
    gid, lon, lat, people = _town("Poltava")
    west = shapely.box(lon - 1.0, lat - 1.0, lon, lat + 1.0)
    east = shapely.box(lon, lat - 1.0, lon + 1.0, lat + 1.0)
    w = settlements_within(west).set_index("geonameid").loc[gid]
    e = settlements_within(east).set_index("geonameid").loc[gid]
    # the disc is symmetric about its centre's meridian to the precision of the geodesic fwd
    assert w["share"] == pytest.approx(0.5, abs=0.01) and e["share"] == pytest.approx(0.5, abs=0.01)
    assert w["share"] + e["share"] == pytest.approx(1.0, abs=1e-6)
    # with the range widened where the town is cut
    est = estimate_population(west)
    assert est.low < est.population < est.high


def test_a_narrow_band_through_a_city_takes_the_share_its_width_gives() -> None:
    # a band 2 km wide through the centre of a disc of radius r takes, analytically,
    # (2/π)(θ + sin θ cos θ) of it, θ = asin(1 km / r) (chord-segment area of a circle)
    gid, lon, lat, people = _town("Poltava")
    r = math.sqrt(people / DENSITY_KM2 / math.pi)
    half = 1.0 / (111.32 * math.cos(math.radians(lat)))  # 1 km of longitude, degrees
    band = shapely.box(lon - half, lat - 1.0, lon + half, lat + 1.0)
    share = settlements_within(band).set_index("geonameid").loc[gid, "share"]
    theta = math.asin(1.0 / r)
    assert share == pytest.approx(2 / math.pi * (theta + math.sin(theta) * math.cos(theta)), rel=0.02)


def test_each_bank_part_of_a_river_city_stays_on_its_bank() -> None:
    from layers.trans_dnieper import east_of_dnieper

    east = east_of_dnieper()
    s = data.settlements()
    for city in ("Kyiv", "Dnipro", "Zaporizhzhia"):
        for bank, expected in (("left", 1.0), ("right", 0.0)):
            gid = int(s.loc[s["name"] == f"{city} ({bank} bank)", "geonameid"].iloc[0])
            ids, share = shares(east)
            got = dict(zip(ids.tolist(), share.tolist(), strict=True)).get(gid, 0.0)
            assert got == pytest.approx(expected, abs=0.01), (city, bank)


def test_a_footprint_at_a_border_stays_in_its_own_country() -> None:
    # Narva faces Ivangorod across the Narva river, the Estonian-Russian border: a disc of
    # ~23 km² round Narva's point reaches into Russia, its footprint must not
    fp = footprints()
    gid, lon, lat, people = _town("Narva", "EST")
    shape = fp.geometry[list(fp.geonameid).index(gid)]
    russia = data.countries().set_index("iso_a3").geometry["RUS"]
    assert area_km2(shapely.intersection(shape, russia)) < 1e-3 * area_km2(shape)
    assert area_km2(disc(lon, lat, people / DENSITY_KM2)) > area_km2(shape)  # the border did cut it


def test_a_measurement_lists_the_share_of_a_town_it_cuts() -> None:
    from geo import measure

    gid, lon, lat, people = _town("Poltava")
    m = measure(shapely.box(lon - 1.0, lat - 1.0, lon, lat + 1.0))
    row = m.settlements.set_index("name").loc["Poltava"]
    assert row["population"] == people and row["share"] == pytest.approx(0.5, abs=0.01)
