"""The population model against independent figures it does not contain.

Each reference below is a sum of official figures for smaller areas (municipalities,
districts) that the embedded data do not hold, with its source; the model only holds
first-level totals and GeoNames points. The measured errors are listed in the README
(*How the figures are made*, population validation).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import layers
from geo import data
from geo.geodesy import area_km2
from tests.references import ESTONIA_2023, ESTONIAN_COUNTIES_2023

#: Norwegian municipalities of east Finnmark that lie (almost) wholly within 100 km of the
#: Russian border, 1 January 2017: Statistics Norway (SSB), as listed by Altaposten on
#: 24 Feb 2017 ("Veksten fortsetter"). Båtsfjord (2,267; its town ~100 km from the border)
#: and Berlevåg are left out, Tana (mostly inside) is counted whole.
EAST_FINNMARK_2017 = {"Sør-Varanger": 10_199, "Vadsø": 6_154, "Vardø": 2_104, "Nesseby": 951, "Tana": 2_911}


@pytest.fixture(scope="module")
def buffer_zone() -> layers.LayerResult:
    return layers.build("buffer-zone")  # default parameters: 100 km, both sides


def test_norways_part_of_the_buffer_zone_is_within_30_percent_of_its_municipalities(buffer_zone) -> None:
    reference = sum(EAST_FINNMARK_2017.values())  # 22,319
    part = next(f for f in buffer_zone.features if f.id == "buffer-zone:NOR").export_properties()
    # before Finnmark had its own total the model said 57,710 (2.6 times the reference)
    assert part["population"] == pytest.approx(reference, rel=0.30)
    assert part["population_low"] <= reference <= part["population_high"]
    assert any("2017" in b and "Finnmark" in b for b in part["population_basis"])




def test_the_estonian_county_reference_adds_up_to_the_national_figure() -> None:
    assert sum(ESTONIAN_COUNTIES_2023.values()) == ESTONIA_2023


def test_estonias_part_of_the_buffer_zone_is_within_10_percent_of_its_counties(buffer_zone) -> None:
    # The band takes Ida-Viru, Jõgeva, Tartu, Põlva and Võru whole and cuts Valga, Lääne-Viru,
    # Järva and Viljandi: those four enter the reference by the share of their land inside
    # (measured on Natural Earth's pre-2017 outlines; the 2017 reform moved land between
    # counties mostly inside the band). Their towns do not follow that share (Rakvere and Tapa
    # inside, Viljandi and Paide outside), so the reference itself is uncertain by a few
    # per cent. Before this test the model said 495,625; the target is 30 %.
    part = next(f for f in buffer_zone.features if f.id == "buffer-zone:EST")
    counties = data.admin1().query("iso_a3 == 'EST' and iso_3166_2 in @ESTONIAN_COUNTIES_2023")
    reference = 0.0
    for code, outline in zip(counties["iso_3166_2"], counties.geometry, strict=True):
        share = area_km2(outline.intersection(part.geometry)) / area_km2(outline)
        reference += share * ESTONIAN_COUNTIES_2023[code]
    assert 470_000 < reference < 490_000  # the five whole counties alone hold 381,840
    people = part.figures.people
    assert people.value == pytest.approx(reference, rel=0.10)
    assert people.low <= reference <= people.high


#: Latvia's 119 units of 2009-2021 on 1 Jan 2020 (CSP table ISG020; tests/data/README.md).
LATVIA_2020 = Path(__file__).resolve().parents[1] / "data" / "latvia_municipalities_2020.csv"


@pytest.fixture(scope="module")
def latvian_municipalities() -> pd.DataFrame:
    return pd.read_csv(LATVIA_2020).set_index("adm1_code")


def test_the_latvian_municipal_reference_adds_up_to_the_national_figure(latvian_municipalities) -> None:
    units = data.admin1().query("iso_a3 == 'LVA'")["adm1_code"]
    assert sorted(latvian_municipalities.index) == sorted(units)
    assert latvian_municipalities["population"].sum() == 1_907_675  # CSP, beginning of 2020
    # 57 figures were read on pages, 62 only in a data script: the exact national sum vouches for them


def test_latvias_part_of_the_buffer_zone_is_within_10_percent_of_its_municipalities(
        buffer_zone, latvian_municipalities) -> None:
    # Each unit enters by the share of its land inside the band (the band takes 28 whole, holding
    # 302,778; it cuts Madona, Valka, Krustpils, Viesīte, Rauna and others). The model holds its six
    # statistical regions (1 Jan 2019), not these units: within each region the band crosses (all of
    # Latgale, parts of Vidzeme and Zemgale, a sliver of Kurzeme) it spreads the countryside at the
    # region's density. +6.8 % against the 2020 units (a year younger); with one national density
    # it was +16 %, with Latgale alone (2021) +10 %; the target is 30 %.
    part = next(f for f in buffer_zone.features if f.id == "buffer-zone:LVA")
    units = data.admin1().query("iso_a3 == 'LVA'").set_index("adm1_code")
    reference = 0.0
    for code, outline in units.geometry.items():
        share = area_km2(outline.intersection(part.geometry)) / area_km2(outline)
        reference += share * latvian_municipalities.loc[code, "population"]
    assert 340_000 < reference < 380_000
    people = part.figures.people
    assert people.value == pytest.approx(reference, rel=0.10)
    assert people.low <= reference <= people.high


#: Dnipro's districts by bank (figures as tabulated in a republished article of about 2016; see
#: data/sources/settlement_population.csv): the model places each bank's share on that bank.
DNIPRO_RIGHT_BANK = 164_029 + 159_709 + 142_119 + 114_171 + 58_852  # Novokodatskyi ... Tsentralnyi
DNIPRO_LEFT_BANK = 144_852 + 126_665 + 73_429  # Amur-Nyzhnodniprovskyi, Industrialnyi, Samarskyi


def test_river_cities_are_counted_on_the_bank_their_districts_are_on() -> None:
    from geo.population import settlements_within
    from layers.trans_dnieper import east_of_dnieper

    east = settlements_within(east_of_dnieper())
    people = east.groupby(east["name"].str.replace(r" \((left|right) bank\)$", "", regex=True))["population"].sum()
    # Dnipro: the left-bank districts' share of the city, not all of it (before: 968,502 east)
    share = DNIPRO_LEFT_BANK / (DNIPRO_LEFT_BANK + DNIPRO_RIGHT_BANK)
    assert people["Dnipro"] == pytest.approx(968_502 * share, rel=0.01)
    # Kherson and Kaniv stand on the right bank: none of their people east of the river
    assert "Kherson" not in people.index and "Kaniv" not in people.index
    # Zaporizhzhia: at least its right-bank Khortytskyi district (15 % at the 2001 census) is west
    assert people["Zaporizhzhia"] <= 710_052 * (1 - 122_575 / 815_256) * 1.001


#: Kyiv's three left-bank districts (Darnytskyi, Desnianskyi, Dniprovskyi): 1,074,841 residents,
#: Main Statistics Office in Kyiv, as published by the Darnytskyi district administration on
#: 7 Oct 2020 (reported by kyiv24.news). The model holds only the city's total (Ukrstat, 1 Jan 2022),
#: spread over Natural Earth's city unit.
KYIV_LEFT_BANK_2020 = 1_074_841


def test_kyivs_left_bank_is_within_4_percent_of_its_districts() -> None:
    result = layers.build("trans-dnieper")  # default: Kyiv's left bank under its own regime
    left = next(f for f in result.features if f.id == "trans-dnieper:kyiv-left-bank").export_properties()
    assert left["population"] == pytest.approx(KYIV_LEFT_BANK_2020, rel=0.04)
    assert left["population_low"] <= KYIV_LEFT_BANK_2020 <= left["population_high"]


def test_a_polygon_the_size_of_kyivs_city_limits_gets_the_citys_people() -> None:
    # Kyiv's city limits enclose about 839 km²; with no outline of them in the data, a geodesic
    # disc of that area round the centre stands in for the user's polygon. Natural Earth's
    # "Kiev City" is 1,642 km²: spreading the city evenly over it gave such a polygon ~1.5 M.
    # (The data build now cuts that unit to a disc of the same centre less Kyiv Oblast's places,
    # so this polygon differs from the unit only by those places: it checks they stay out.)
    import shapely

    from geo import buffer
    from geo.population import estimate_population

    disc = buffer(shapely.Point(30.524, 50.450), (839.0 / 3.141592653589793) ** 0.5)
    official = 2_952_301  # Ukrstat, present population of Kyiv, 1 Jan 2022
    est = estimate_population(disc)
    assert est.population == pytest.approx(official, rel=0.10)
    assert est.low <= official <= est.high


def test_a_city_split_by_bank_is_one_capital_and_one_map_label() -> None:
    from bufferzone.webapp.mapview import _context_texts

    ring = layers.build("range-rings", {"site": "custom", "lon": 30.52, "lat": 50.45, "preset": "custom",
                                        "range_km": 50.0})
    disc = next(f for f in ring.features if f.role == "ring").export_properties()
    assert disc["capitals_within"] == ["Kyiv"]
    places = [f["properties"]["name"] for f in json.loads(_context_texts()[2])["features"]]
    assert places.count("Kyiv") == 1 and not any("bank)" in p for p in places)


def test_finlands_part_of_the_buffer_zone_has_a_range(buffer_zone) -> None:
    # Finland has no first-level totals and its GeoNames points add up to more than its national
    # total (municipal figures on their centres' points): the model has no rural remainder there,
    # and its range used to collapse to the figure itself (720,281 - 720,281). The points it
    # counts for a part of such a zone are as uncertain as a rural spread and widen the range.
    part = next(f for f in buffer_zone.features if f.id == "buffer-zone:FIN").figures.people
    assert part.low < part.value < part.high
    assert part.high - part.low > 0.2 * part.value


#: Ukrstat's hromada totals (present population, 1 Jan 2022) for the eight oblasts the Dnieper
#: or the line of contact divides, each at its hromada centre: tests/data/README.md.
HROMADAS = Path(__file__).parents[1] / "data" / "ukraine_hromadas_2022.csv"
#: Ukrstat's oblast totals, 1 Jan 2022 (the same booklet), and the oblast each KATOTTG code opens with.
HROMADA_OBLASTS = {"UA12": ("UA-12", 3_096_485), "UA14": ("UA-14", 4_059_372), "UA23": ("UA-23", 1_638_462),
                   "UA32": ("UA-32", 1_795_079), "UA44": ("UA-09", 2_102_921), "UA63": ("UA-63", 2_598_961),
                   "UA65": ("UA-65", 1_001_598), "UA71": ("UA-71", 1_160_744)}
#: Oblasts wholly east of the Dnieper and held by Ukraine on the built-in line's date (12 Feb 2025):
#: they enter the reference at their Ukrstat totals.
WHOLLY_EAST = {"UA-74": 959_315, "UA-59": 1_035_772, "UA-53": 1_352_283}  # Chernihiv, Sumy, Poltava
#: The two hromadas the river runs through, and the part of each on the left bank from its
#: district figures (see the Dnipro and Zaporizhzhia constants above): Dnipro's hromada is the
#: city plus Aviatorske (right bank); Zaporizhzhia's is the city alone.
LEFT_BANK_OF = {"UA12020010000033698": 968_502 * DNIPRO_LEFT_BANK / (DNIPRO_LEFT_BANK + DNIPRO_RIGHT_BANK),
                "UA23060070000082704": 710_052 * (1 - 122_575 / 815_256)}


@pytest.fixture(scope="module")
def hromadas() -> pd.DataFrame:
    table = pd.read_csv(HROMADAS, dtype={"hromada_code": str})
    return table.assign(oblast=table["hromada_code"].str[:4])


def test_the_hromada_reference_adds_up_to_ukrstats_oblast_totals(hromadas) -> None:
    # every hromada of the eight oblasts, each oblast's sum exactly Ukrstat's total
    sums = hromadas.groupby("oblast")["population"].sum()
    assert sums.to_dict() == {code: total for code, (_, total) in HROMADA_OBLASTS.items()}
    assert hromadas["hromada_code"].is_unique


def test_each_hromada_centre_lies_in_its_own_oblast(hromadas) -> None:
    import shapely

    from geo import data

    units = data.admin1().set_index("iso_3166_2").geometry
    for row in hromadas.itertuples():
        if row.hromada == "Славутицька":  # Slavutych: Kyiv Oblast's exclave inside Chernihiv Oblast
            continue
        unit = units[HROMADA_OBLASTS[row.oblast][0]]
        assert unit.distance(shapely.Point(row.lon, row.lat)) < 0.05, row.hromada  # ~4 km: Kyiv's edge


def test_trans_dnieper_is_within_4_percent_of_its_hromadas(hromadas) -> None:
    import shapely

    result = layers.build("trans-dnieper")  # default: the built-in line of 12 Feb 2025, Kyiv's left bank apart
    region = next(f for f in result.features if f.id == "trans-dnieper:region")
    inside = hromadas[shapely.contains_xy(region.geometry, hromadas["lon"], hromadas["lat"])]
    people = inside["population"].astype(float)
    people = people.where(~inside["hromada_code"].isin(LEFT_BANK_OF), inside["hromada_code"].map(LEFT_BANK_OF))
    reference = float(people.sum()) + sum(WHOLLY_EAST.values())  # 9,059,101
    shares = {s.code: s for s in region.figures.by_admin1}
    assert all(shares[code].share_pct > 98.5 for code in WHOLLY_EAST)
    # before towns were areas and Kyiv had its own extent the model said 10,149,329 (+12 %)
    assert region.figures.people.value == pytest.approx(reference, rel=0.04)
    assert region.figures.people.low <= reference <= region.figures.people.high
    # and each oblast the river or the front divides, where the reference holds 100,000 or more
    by_oblast = people.groupby(inside["oblast"]).sum()
    for oblast, (code, _) in HROMADA_OBLASTS.items():
        if by_oblast.get(oblast, 0) >= 100_000:
            assert shares[code].people == pytest.approx(by_oblast[oblast], rel=0.10), code
