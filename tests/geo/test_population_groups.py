"""Totals that cover several embedded units together (Latvia's statistical regions)."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

import layers
from geo import DataFileError, data
from geo.population import check_groups, estimate_population, unit_groups, zones

#: Latgale (NUTS 2021 LV005) on 1 January 2021: CSB via Eurostat (data/sources/population_groups.csv).
LATGALE_2021 = 252_682


@pytest.fixture(scope="module")
def latgale() -> pd.Series:
    groups = unit_groups().set_index("code")
    return groups.loc["LV005"]


def test_latgale_is_two_state_cities_and_nineteen_municipalities(latgale) -> None:
    units = data.admin1().set_index("adm1_code")
    names = set(units.loc[list(latgale["members"]), "name"])
    assert len(latgale["members"]) == 21
    assert {"Daugavpils", "Rēzekne", "Ludza Municipality", "Zilupe Municipality", "Balvi Municipality"} <= names
    assert "Riga" not in names and "Alūksne Municipality" not in names  # Riga region, Vidzeme


def test_the_group_gets_exactly_its_total_and_latvia_its_own(latgale) -> None:
    units = data.admin1().set_index("adm1_code").geometry
    region = shapely.union_all(units[list(latgale["members"])].values)
    assert estimate_population(region).population == pytest.approx(LATGALE_2021, rel=1e-5)
    latvia = data.countries().set_index("iso_a3").geometry["LVA"]
    official = data.population_countries().set_index("iso_a3")["population"]["LVA"]
    assert estimate_population(latvia).population == pytest.approx(official, rel=1e-5)


def test_every_member_takes_the_groups_density_and_the_rest_of_latvia_its_own(latgale) -> None:
    z = zones().set_index("zone_id")
    group, rest = z.loc["LV005"], z.loc["LVA-rest"]
    assert group["population_total"] == LATGALE_2021
    assert group["rural_population"] == pytest.approx(LATGALE_2021 - group["settlement_population"])
    official = data.population_countries().set_index("iso_a3")["population"]["LVA"]
    assert rest["population_total"] == official - LATGALE_2021
    # a field in Zilupe municipality (a member, on the Russian border) and one west of Riga
    zilupe, kurzeme = shapely.box(28.15, 56.25, 28.17, 56.26), shapely.box(22.50, 56.90, 22.52, 56.91)
    assert data.admin1().set_index("adm1_code").geometry["LVA-5746"].contains(zilupe)
    for box, zone in ((zilupe, group), (kurzeme, rest)):
        est = estimate_population(box)
        assert est.settled == 0
        assert est.rural == pytest.approx(zone["rural_density_km2"] * est.parts["area_km2"].sum(), rel=1e-9)
    assert group["rural_density_km2"] != pytest.approx(rest["rural_density_km2"], rel=0.05)


def test_latvias_part_of_the_buffer_zone_says_latgales_total_is_of_2021() -> None:
    part = next(f for f in layers.build("buffer-zone").features if f.id == "buffer-zone:LVA").export_properties()
    # before the group, all of Latvia's rural people were spread at its national average: 416,693
    # (261,431-804,850); with Latgale's own total the range narrows
    assert part["population_high"] - part["population_low"] < 804_850 - 261_431
    assert any("Latgale" in b and "2021" in b for b in part["population_basis"])


UNITS = pd.Series({"A-1": "AAA", "A-2": "AAA", "A-3": "AAA", "B-1": "BBB"})


@pytest.mark.parametrize(("groups", "says"), [
    ([("G1", "AAA", ("A-1", "X-9"))], "X-9, which is not an embedded unit"),
    ([("G1", "AAA", ("A-1", "B-1"))], "B-1, which is in BBB, not AAA"),
    ([("G1", "AAA", ("A-1",)), ("G2", "AAA", ("A-1", "A-2"))], "A-1, which is in two groups"),
    ([("G1", "AAA", ("A-2", "A-3"))], "A-3, which has a total of its own"),
    ([("G1", "AAA", ())], "group G1 lists no unit"),
])
def test_a_group_that_would_count_people_twice_or_nowhere_is_refused(groups, says) -> None:
    frame = pd.DataFrame(groups, columns=["code", "iso_a3", "members"])
    with pytest.raises(DataFileError, match=says):
        check_groups(frame, UNITS, own_total={"A-3"})


#: Moldova's 2024 census (BNS, final results, 8 Apr 2024): 2,409,200 usually resident, on the
#: territory under the constitutional authorities, without Transnistria and Bender.
MD_CENSUS_2024 = 2_409_200
#: Natural Earth's units of the left bank and Bender, which the census did not count.
MD_LEFT_BANK = ("MDA-1628", "MDA-1637", "MDA-1638", "MDA-1645", "MDA-1652", "MDA-1650")


def test_moldovas_census_people_stay_on_the_land_the_census_counted() -> None:
    # before the two groups, the census total was spread over all of Moldova's land with
    # Transnistria's towns inside it: the right bank got 1,920,888 (-20 %), the left 488,312
    units = data.admin1().set_index("adm1_code")
    moldova = units[units["iso_a3"] == "MDA"]
    left = moldova.index.isin(MD_LEFT_BANK)
    right_bank = estimate_population(shapely.union_all(moldova.geometry[~left].to_numpy()))
    left_bank = estimate_population(shapely.union_all(moldova.geometry[left].to_numpy()))
    assert right_bank.population == pytest.approx(MD_CENSUS_2024, abs=5)
    assert int(data.population_countries().set_index("iso_a3")["population"]["MDA"]) == MD_CENSUS_2024
    assert any("de facto authorities" in b for b in left_bank.basis)
    assert not any("de facto" in b for b in right_bank.basis if b.startswith("Moldova"))
