"""First-level population totals (``data/sources/population_admin1.csv``) against published figures.

Each country's units are summed and compared with the national total its statistics office
published for the same date; the figures below come from those publications, not from the
table under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo import data
from geo.population import unit_groups
from tests.references import ESTONIAN_COUNTIES_2023

#: National totals published for the date of the units' figures, with their source.
#: Ukraine: Ukrstat, present population 1 Jan 2022 without Crimea and Sevastopol (41,167,335).
#: Belarus: Belstat, 1 Jan 2024 (9,155,978, as reported by BelTA).
#: Norway: SSB, 1 Jan 2017 (5,258,317; SSB's release "Population of 5 258 000 at year start":
#: 2,649,100 men + 2,609,200 women).
#: Slovakia: Statistical Office of the Slovak Republic, permanently resident population on
#: 31 Dec 2023 (5,424,687; the same figure Eurostat gives for 1 Jan 2024).
#: Poland: Statistics Poland (GUS), 31 Dec 2023 (37,636,508; "37 mln 637 tys." in GUS's report as
#: carried by PAP). West Pomerania's row is this total minus the other 15, so for Poland this sum
#: checks the entry only; the figures themselves are checked against the 2021 census below.
NATIONAL = {
    "UA": (41_167_335, 25, "2022-01-01"),
    "BY": (9_155_978, 7, "2024-01-01"),
    "NO": (5_258_317, 19, "2017-01-01"),
    "SK": (5_424_687, 8, "2023-12-31"),
    "PL": (37_636_508, 16, "2023-12-31"),
}

#: GUS, 2021 census (31 Mar 2021), final results by voivodeship, as tabulated by citypopulation.de
#: from GUS (Mazowieckie also in GUS Warsaw's release: 5,514.7 thousand); West Pomerania is not in
#: the stored table. National total 38,036,118 (GUS president, 20 Sep 2022, as reported by Sputnik).
PL_CENSUS_2021 = {
    "PL-02": 2_904_894, "PL-04": 2_027_261, "PL-06": 2_052_340, "PL-08": 991_213, "PL-10": 2_410_286,
    "PL-12": 3_432_295, "PL-14": 5_514_699, "PL-16": 954_133, "PL-18": 2_093_360, "PL-20": 1_154_283,
    "PL-22": 2_357_320, "PL-24": 4_402_950, "PL-26": 1_196_557, "PL-28": 1_382_232, "PL-30": 3_504_579,
}
PL_CENSUS_2021_NATIONAL = 38_036_118
#: GUS Szczecin: West Pomerania had 1,688.0 thousand people on 31 Dec 2020 (register-based, before
#: the census revised every voivodeship down).
PL_32_END_2020 = 1_688_000

#: Statistical Office of the Slovak Republic, 2021 census (1 Jan 2021), regions as reported by
#: SITA ("Slovensko má temer 5,5 miliónov obyvateľov"): the three regions it gives to the person.
SK_CENSUS_2021 = {"SK-ZI": 691_613, "SK-BC": 625_601, "SK-TA": 566_008}

#: Statistics Norway, population on 1 Jan 2018 by county, and the change since 1 Jan 2017 in
#: per cent as SSB published it (one decimal), for the 17 counties the 2018 merger of the two
#: Trøndelag counties left unchanged.
SSB_2018 = {
    "NO-01": (295_420, 0.9), "NO-02": (614_026, 1.6), "NO-03": (673_469, 1.0), "NO-04": (196_966, 0.4),
    "NO-05": (189_870, 0.2), "NO-06": (281_769, 0.7), "NO-07": (249_058, 0.8), "NO-08": (173_391, 0.0),
    "NO-09": (117_222, 0.5), "NO-10": (186_532, 1.3), "NO-11": (473_526, 0.3), "NO-12": (522_539, 0.5),
    "NO-14": (110_230, 0.0), "NO-15": (266_856, 0.2), "NO-18": (243_335, 0.2), "NO-19": (166_499, 0.5),
    "NO-20": (76_167, 0.0),
}
#: SSB: Trøndelag (Sør- and Nord-Trøndelag merged) on 1 Jan 2018.
TRONDELAG_2018 = 458_744


def _totals():
    return data.population_admin1()


def test_every_unit_code_exists_once_in_the_embedded_admin1_data() -> None:
    totals = _totals()
    assert not totals["iso_3166_2"].duplicated().any()
    embedded = data.admin1()["iso_3166_2"].dropna()
    assert not embedded.duplicated().any()
    missing = sorted(set(totals["iso_3166_2"]) - set(embedded))
    assert missing == []


@pytest.mark.parametrize(("prefix", "published"), sorted(NATIONAL.items()))
def test_units_sum_to_the_published_national_total(prefix: str, published: tuple[int, int, str]) -> None:
    total, count, date = published
    totals = _totals()
    units = totals[totals["iso_3166_2"].str.startswith(prefix + "-")
                   & ~totals["iso_3166_2"].isin(["UA-43", "UA-40"])]  # Crimea, Sevastopol: 2014 figures
    assert len(units) == count
    assert set(units["reference_date"]) == {date}
    assert int(units["population"].sum()) == total


@pytest.mark.parametrize(("iso_a3", "count"), [("NOR", 19), ("SVK", 8), ("POL", 16), ("LTU", 10), ("DEU", 16)])
def test_country_covers_every_embedded_unit(iso_a3: str, count: int) -> None:
    embedded = data.admin1()
    units = set(embedded.loc[embedded["iso_a3"] == iso_a3, "iso_3166_2"])
    assert len(units) == count
    assert units <= set(_totals()["iso_3166_2"])


@pytest.mark.parametrize("code", sorted(SK_CENSUS_2021))
def test_slovak_region_is_near_its_2021_census_figure(code: str) -> None:
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    # three years of change: Slovakia as a whole went from 5,449,270 to 5,424,687 (-0.5 %);
    # a figure typed into the wrong region would be off by 10 % or more
    assert abs(ours / SK_CENSUS_2021[code] - 1) < 0.025


@pytest.mark.parametrize("code", sorted(SSB_2018))
def test_norwegian_county_grows_to_its_2018_figure_as_ssb_published(code: str) -> None:
    figure_2018, change_pct = SSB_2018[code]
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    # SSB rounds the change to 0.1 point: a wrong 2017 figure of more than ~0.05 % shows here
    assert (figure_2018 / ours - 1) * 100 == pytest.approx(change_pct, abs=0.05)


def test_the_two_trondelag_counties_add_up_to_the_merged_county_a_year_later() -> None:
    totals = _totals().set_index("iso_3166_2")["population"]
    both = int(totals["NO-16"] + totals["NO-17"])
    # one year of growth: the rest of Norway grew 0.7 % from 2017 to 2018
    assert 0.0 < (TRONDELAG_2018 / both - 1) * 100 < 1.5


@pytest.mark.parametrize("code", sorted(PL_CENSUS_2021))
def test_polish_voivodeship_is_near_its_2021_census_figure(code: str) -> None:
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    # 2.75 years after the census Poland as a whole had lost 1.05 % (38,036,118 -> 37,636,508);
    # no voivodeship moves 3 %, a figure typed into the wrong row would be off by 10 % or more
    assert abs(ours / PL_CENSUS_2021[code] - 1) < 0.03


def test_west_pomerania_derived_from_both_national_totals_agrees() -> None:
    """West Pomerania is a remainder; the same remainder from the census must be close to it.

    A typo in any of the 30 figures on either side (15 of 2023, 15 of the census) of more than
    about 1.5 % of West Pomerania's people moves the two remainders apart.
    """
    ours = int(_totals().set_index("iso_3166_2").loc["PL-32", "population"])
    census = PL_CENSUS_2021_NATIONAL - sum(PL_CENSUS_2021.values())
    assert census < PL_32_END_2020  # the census lowered every voivodeship's register figure
    assert PL_32_END_2020 / census - 1 < 0.03  # Śląskie: 4,492,330 on 31 Dec 2020 -> 4,402,950 (-2.0 %)
    # the change 2021 -> 2023 like its neighbours': Lubusz -1.6 %, Warmia-Masuria -1.8 %, Pomerania +0.1 %
    assert -0.025 < ours / census - 1 < 0.0


#: Statistics Lithuania: permanent residents at the beginning of 2023, 2,857,279 (osp.stat.gov.lt,
#: "Lietuva skaičiais 2023": 2 mln. 857,3 tūkst.; exact figure as quoted by mapijoziai.lt).
LT_START_2023 = 2_857_279
#: The same source table's 2020 column (beginning of 2020), which sums to Statistics Lithuania's
#: 2,794.3 thousand for 1 Jan 2020 (ELTA via diena.lt).
LT_2020 = {
    "LT-AL": 134_055, "LT-KU": 562_891, "LT-KL": 320_014, "LT-MR": 136_657, "LT-PN": 211_162,
    "LT-SA": 261_429, "LT-TA": 91_802, "LT-TE": 130_629, "LT-UT": 124_965, "LT-VL": 820_725,
}


def test_lithuanian_counties_sum_to_the_published_total_within_the_tolerance() -> None:
    totals = _totals()
    units = totals[totals["iso_3166_2"].str.startswith("LT-")]
    assert len(units) == 10
    assert set(units["reference_date"]) == {"2023-01-01"}
    # the table's "2023" column is 0.10 % above the 1 January figure (a later month, or rounding
    # in the republication); more than 0.5 % would leave Lithuania out (issue 14)
    assert int(units["population"].sum()) == pytest.approx(LT_START_2023, rel=0.002)
    assert sum(LT_2020.values()) == pytest.approx(2_794_300, abs=50)


@pytest.mark.parametrize("code", sorted(LT_2020))
def test_lithuanian_county_changed_from_2020_as_a_county_can(code: str) -> None:
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    # 2020 -> 2023: Lithuania +2.3 % with the refugees from Ukraine; no county moved 6 %, a
    # figure typed into the wrong row would be off by 20 % or more
    assert abs(ours / LT_2020[code] - 1) < 0.06


#: Germany: the 2022 census (15 May 2022), first results of 25 Jun 2024. National total
#: 82,720,048 as given in Statistisches Landesamt Baden-Württemberg's release (infopress24.de);
#: IT.NRW and the Statistisches Amt Mecklenburg-Vorpommern quote 82,728,306 (0.01 % apart).
#: Hesse, Rhineland-Palatinate and Saxony are entered as their releases round them (6.21 M,
#: 4.09 M, 4.038 M: together at most 10,500 people off).
DE_CENSUS_2022 = 82_720_048
DE_ROUNDED = 10_500

#: Each Land's release also gives the 2011-based estimate the census replaced and the correction
#: (people); the census figure is the one plus the other. Sources as in population_admin1.csv:
#: Baden-Württemberg 11,236,075 (30 Jun 2022) and -131,344; Hamburg 1,875,180 and -63,837
#: (Hamburger Abendblatt); Bremen 680,093 (30 Jun 2022) and +13,111.
DE_ESTIMATE_AND_CORRECTION = {
    "DE-BW": (11_236_075, -131_344), "DE-HH": (1_875_180, -63_837), "DE-HB": (680_093, 13_111),
}
#: Saxony-Anhalt: 2,186,227 in the 2011-based estimate for 30 Jun 2022, "rund 40.000 oder 1,8
#: Prozent weniger" (mdr.de).
DE_ST_ESTIMATE = 2_186_227
#: Corrections in per cent of the 2011-based estimate, one decimal, as published: Destatis
#: (presseportal.de, 25 Jun 2024) for Berlin, Hamburg, Mecklenburg-Vorpommern (-3.5), Thuringia
#: (-0.6) and Bremen (+1.9); the Länder's releases for Bavaria (-2.2) and Baden-Württemberg (-1.2).
DE_CORRECTION_PCT = {"DE-BY": -2.2, "DE-MV": -3.5, "DE-BE": -3.5, "DE-HH": -3.5, "DE-TH": -0.6,
                     "DE-HB": 1.9, "DE-BW": -1.2}
#: The corrections in people where the release gives people (the estimate is then ours + it).
DE_CORRECTION_PEOPLE = {"DE-BY": -291_435, "DE-MV": -56_217, "DE-BE": -128_651, "DE-TH": -11_951,
                        "DE-BB": -31_658}


def test_german_lander_sum_to_the_census_total_within_the_rounding_of_three() -> None:
    totals = _totals()
    units = totals[totals["iso_3166_2"].str.startswith("DE-")]
    assert len(units) == 16
    assert set(units["reference_date"]) == {"2022-05-15"}
    assert abs(int(units["population"].sum()) - DE_CENSUS_2022) <= DE_ROUNDED


@pytest.mark.parametrize("code", sorted(DE_ESTIMATE_AND_CORRECTION))
def test_german_land_is_its_former_estimate_plus_the_published_correction(code: str) -> None:
    estimate, correction = DE_ESTIMATE_AND_CORRECTION[code]
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    assert ours == estimate + correction
    if code == "DE-HH":  # the sources disagree: 63,837 of 1,875,180 is -3.40 %, Destatis says -3.5 %
        assert 100 * correction / estimate == pytest.approx(DE_CORRECTION_PCT[code], abs=0.11)
    else:
        assert 100 * correction / estimate == pytest.approx(DE_CORRECTION_PCT[code], abs=0.05)


def test_saxony_anhalt_is_about_40000_below_its_former_estimate() -> None:
    ours = int(_totals().set_index("iso_3166_2").loc["DE-ST", "population"])
    assert DE_ST_ESTIMATE - ours == pytest.approx(40_000, abs=500)
    assert 100 * (DE_ST_ESTIMATE - ours) / DE_ST_ESTIMATE == pytest.approx(1.8, abs=0.05)


@pytest.mark.parametrize("code", sorted(DE_CORRECTION_PEOPLE))
def test_german_land_correction_in_people_and_per_cent_agree(code: str) -> None:
    """The release's correction in people, applied to our figure, gives its correction in per cent."""
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    correction = DE_CORRECTION_PEOPLE[code]
    pct = DE_CORRECTION_PCT.get(code)
    if pct is None:  # Brandenburg's release gives no per cent: the correction stays small
        assert abs(correction) / (ours - correction) < 0.035
        return
    assert 100 * correction / (ours - correction) == pytest.approx(pct, abs=0.05)


def _checked_units(prefix: str, count: int, total: int, second_page: dict[str, int],
                   date: str | None = None, replaces: str | None = None) -> pd.DataFrame:
    """A country's entered units (codes with ``prefix``), checked as one transcribed set.

    Their number, one reference date (``date`` where given), their sum against the published
    total, the units read again on a second page, and (``replaces``: ISO alpha-3) that the
    national figure they replace in ``population_countries.csv`` is that same total.
    """
    units = _totals().set_index("iso_3166_2").filter(like=prefix, axis=0)
    assert len(units) == count
    assert units["reference_date"].nunique() == 1 and date in (None, units["reference_date"].iloc[0])
    assert int(units["population"].sum()) == total
    for code, people in second_page.items():
        if code.startswith(prefix):
            assert units.loc[code, "population"] == people, code
    if replaces is not None:
        assert int(data.population_countries().set_index("iso_a3").loc[replaces, "population"]) == total
    return units


#: Bulgaria: the 2021 census total, 7 Sep 2021 (NSI; stored NSI regional-office page and bnr.bg).
BG_CENSUS_2021 = 6_519_789
#: Provinces read on pages other than the table the data were transcribed from: Plovdiv
#: (citypopulation.de, bnr.bg), Smolyan (smolyannews.com), Sofia City (NSI regional office),
#: Sofia Province (botevgrad.com), all "final data".
BG_SECOND_PAGE = {"BG-16": 634_497, "BG-21": 96_284, "BG-22": 1_274_290, "BG-23": 231_989}
#: The 2011 census (1 Feb 2011) by province, typed from the same table's 2011 column and agreeing
#: with the stored English-language tables of the 2011 census (familypedia, an archived encyclopaedia).
BG_CENSUS_2011 = {
    "BG-01": 323_552, "BG-02": 415_817, "BG-03": 475_074, "BG-04": 258_494, "BG-05": 101_018,
    "BG-06": 186_848, "BG-07": 122_702, "BG-08": 189_677, "BG-09": 152_808, "BG-10": 136_686,
    "BG-11": 141_422, "BG-12": 148_098, "BG-13": 275_548, "BG-14": 133_530, "BG-15": 269_752,
    "BG-16": 683_027, "BG-17": 125_190, "BG-18": 235_252, "BG-19": 119_474, "BG-20": 197_473,
    "BG-21": 121_752, "BG-22": 1_291_591, "BG-23": 247_489, "BG-24": 333_265, "BG-25": 120_818,
    "BG-26": 246_238, "BG-27": 180_528, "BG-28": 131_447,
}


def test_bulgarian_provinces_sum_to_the_2021_census_total() -> None:
    _checked_units("BG-", 28, BG_CENSUS_2021, BG_SECOND_PAGE, "2021-09-07")
    assert sum(BG_CENSUS_2011.values()) == 7_364_570  # the 2011 column, as typed, is the 2011 census total


@pytest.mark.parametrize("code", sorted(BG_CENSUS_2011))
def test_bulgarian_province_changed_from_2011_as_a_province_can(code: str) -> None:
    ours = int(_totals().set_index("iso_3166_2").loc[code, "population"])
    # Bulgaria lost 11.5 % in ten years; every province lost people, none more than Vidin's
    # quarter: a figure typed into the wrong row would fall outside
    assert -0.27 < ours / BG_CENSUS_2011[code] - 1 < 0.0


#: Romania: the 2021 census total (INS, resident population, 1 Dec 2021), as printed on stored
#: pages (citypopulation.de, ziare.com); Neamț's own figure was not found and is entered as this
#: total less the other 41 counties.
RO_CENSUS_2021 = 19_053_815
#: Counties whose final census results were reported on pages other than the ones transcribed:
#: Dolj (Agerpres via stiripesurse.ro, 13 Jun 2023), Giurgiu (ziare.com, "definitive"), Brașov
#: (an en-Wikipedia mirror beside the ADZ report).
RO_SECOND_PAGE = {"RO-DJ": 599_442, "RO-GR": 262_066, "RO-BV": 546_615}
#: Neamț at the 2011 census (20 Oct 2011; stored pages on the county).
RO_NT_2011 = 470_766


def test_romanian_counties_sum_to_the_2021_census_total() -> None:
    units = _checked_units("RO-", 42, RO_CENSUS_2021, RO_SECOND_PAGE, "2021-12-01")
    # the remainder is Neamț's: Romania lost 5.6 % from 2011 to 2021 (20,121,641 -> 19,053,815)
    # and no county of the north-east more than 12 %; a dropped or doubled digit in any county
    # would push the remainder out of that band
    assert -0.12 < units.loc["RO-NT", "population"] / RO_NT_2011 - 1 < 0.0


#: Sweden, 31 Dec 2023 (SCB), and Denmark, 1 Jan 2024 (Statistics Denmark): national totals as
#: quoted on stored pages other than the tables the units were transcribed from (see the rows).
SE_2023, DK_2024 = 10_551_707, 5_961_249
#: Units whose figure a second publisher printed too: Stockholm (Region Stockholm), Uppsala
#: (haboportalen.se), Östergötland (Region Östergötland), Halland (RegionFakta), Örebro (Swedish
#: Wikipedia); Region Zealand (Icelandic Wikipedia, "2024", citing FOLK1A).
NORDIC_SECOND_PAGE = {"SE-AB": 2_454_821, "SE-C": 404_589, "SE-E": 472_298, "SE-N": 343_746,
                      "SE-T": 308_116, "DK-85": 852_953}


@pytest.mark.parametrize(("prefix", "count", "total"), [("SE-", 21, SE_2023), ("DK-", 5, DK_2024)])
def test_swedish_counties_and_danish_regions_sum_to_their_national_totals(prefix: str, count: int, total: int) -> None:
    # the national figures they replace are Eurostat's for 1 Jan 2024
    _checked_units(prefix, count, total, NORDIC_SECOND_PAGE, replaces={"SE-": "SWE", "DK-": "DNK"}[prefix])


#: Türkiye, 31 Dec 2023: TurkStat's ADNKS national total (population_countries.csv; the 2023 release
#: as quoted by politikam.com and citypopulation.de).
TR_ADNKS_2023 = 85_372_377
#: Provinces whose figure a second publisher printed too (the rows name the first): politikam.com's
#: list of the 2023 release (Ankara, İstanbul, İzmir, Bursa, Antalya, Gümüşhane, Tunceli, Bayburt,
#: Ardahan, Kilis), gazetetrakya.com (Kırklareli), 2mart.com.tr (Rize), vezirkopruozlem.net (Samsun),
#: karadenizgazete.com.tr (Tokat), imzagazetesi.com (Zonguldak), manisakulishaber.com
#: (Afyonkarahisar); Isparta (haber32.com.tr) and Yozgat (yozgatolay.com) were read on a page and
#: again in the stored copy of TurkStat's portal export DF_ADNKS_T30.
TR_SECOND_PAGE = {"TR-06": 5_803_482, "TR-34": 15_655_924, "TR-35": 4_479_525, "TR-16": 3_214_571,
                  "TR-07": 2_696_249, "TR-29": 148_539, "TR-62": 89_317, "TR-69": 86_047,
                  "TR-75": 92_819, "TR-79": 155_179, "TR-39": 377_156, "TR-53": 350_506,
                  "TR-55": 1_377_546, "TR-60": 606_934, "TR-67": 591_492, "TR-03": 751_344,
                  "TR-66": 420_699, "TR-32": 449_777}


def test_turkish_provinces_sum_to_turkstats_national_total() -> None:
    _checked_units("TR-", 81, TR_ADNKS_2023, TR_SECOND_PAGE, "2023-12-31", replaces="TUR")
    # the same release as the national figure they replace: Türkiye's basis is unchanged
    assert data.population_countries().set_index("iso_a3").loc["TUR", "reference_date"] == "2023-12-31"


#: Hungary, KSH, 1 Jan 2024 (STADAT fol0007): the national total (also Eurostat's, in
#: population_countries.csv).
HU_2024 = 9_584_627
#: KSH's 2022 census (1 Oct 2022) by county, its cities with county rights included, and Budapest,
#: as printed by hu.wikipedia's county articles and en.wikipedia's list of cities and towns of Hungary
#: (docs/population-candidates/hungary_2022census.csv); no stored census figure for Zala.
HU_CENSUS_2022 = {
    "HU-BU": 1_685_342, "HU-PE": 1_333_533, "HU-FE": 419_589, "HU-KE": 300_631, "HU-VE": 335_361,
    "HU-GS": 465_945, "HU-VA": 249_513, "HU-BA": 354_022, "HU-SO": 293_470, "HU-TO": 207_931,
    "HU-BZ": 623_024, "HU-HE": 285_892, "HU-NO": 182_459, "HU-HB": 519_141, "HU-JN": 355_809,
    "HU-SZ": 529_381, "HU-BK": 495_318, "HU-BE": 315_222, "HU-CS": 391_184,
}
#: The cities with county rights that Natural Earth draws as units inside each county outside the
#: Southern Great Plain (Bács-Kiskun, Békés, Csongrád-Csanád: Hungary's remainder).
HU_COUNTY_CITIES = {
    "HU-PE": ("HU-ER",), "HU-FE": ("HU-SF", "HU-DU"), "HU-KE": ("HU-TB",), "HU-VE": ("HU-VM",),
    "HU-GS": ("HU-GY", "HU-SN"), "HU-VA": ("HU-SH",), "HU-ZA": ("HU-ZE", "HU-NK"), "HU-BA": ("HU-PS",),
    "HU-SO": ("HU-KV",), "HU-TO": ("HU-SS",), "HU-BZ": ("HU-MI",), "HU-HE": ("HU-EG",), "HU-NO": ("HU-ST",),
    "HU-HB": ("HU-DE",), "HU-JN": ("HU-SK",), "HU-SZ": ("HU-NY",),
}


def test_hungarian_counties_are_entered_whole_with_their_cities_and_near_the_census() -> None:
    # Natural Earth's city outlines take in neighbouring towns (Békéscsaba's 266 km² against 194 km²
    # within its limits): a city's own figure on them would scale its neighbours down, so each county
    # and its cities are one zone at the county's figure
    groups = unit_groups().query("iso_a3 == 'HUN'").set_index("code")
    adm1 = data.admin1().query("iso_a3 == 'HUN'").set_index("iso_3166_2")["adm1_code"]
    assert len(groups) == len(HU_COUNTY_CITIES) and set(groups["reference_date"]) == {"2024-01-01"}
    for county, cities in HU_COUNTY_CITIES.items():
        group = groups.loc[f"{county}-COUNTY"]
        assert set(group["members"]) == {adm1[c] for c in (county, *cities)}
        if county in HU_CENSUS_2022:  # 15 months after the census; a county changes by under 1.5 % a year
            assert group["population"] == pytest.approx(HU_CENSUS_2022[county], rel=0.02), county
    units = _checked_units("HU-", 1, 1_686_222, {}, "2024-01-01")  # Budapest, the only unit of its own
    assert units.index.tolist() == ["HU-BU"]
    assert units["population"].iloc[0] == pytest.approx(HU_CENSUS_2022["HU-BU"], rel=0.01)


#: Finland, 31 Dec 2023: Statistics Finland's total (stat.fi "Suomi lukuina 2024"; Eurostat's
#: 1 Jan 2024 figure in population_countries.csv), and Åland's (ÅSUB), which Finland's includes.
FI_2023, ALAND_2023 = 5_603_851, 30_541
#: Statistics Finland, 31 Dec 2021, for six of the nine regions entered (Southwest Finland, Ostrobothnia,
#: North Karelia, North Ostrobothnia, Kymenlaakso, Päijät-Häme), and Lapland's for 31 Dec 2022 (the
#: Regional Council of Lapland's portal, lapinluotsi.fi, citing Statistics Finland).
FI_2021 = {"FI-19": 483_477, "FI-12": 176_041, "FI-13": 163_281, "FI-14": 415_603, "FI-09": 161_391,
           "FI-16": 205_124}
FI_2022 = {"FI-10": 175_795}


def test_finnish_regions_are_one_date_and_leave_a_plausible_remainder() -> None:
    units = _checked_units("FI-", 9, 3_678_241, {"FI-13": 162_321}, "2023-12-31")
    # seven of them read again for an earlier year on other stored pages (docs/population-candidates,
    # finland_2021.csv; Lapland's council): a region changes by under 1 % a year, so a mistyped digit shows
    for code, people_earlier in (FI_2021 | FI_2022).items():
        assert units.loc[code, "population"] == pytest.approx(people_earlier, rel=0.02), code
    countries = data.population_countries().set_index("iso_a3")["population"]
    assert countries["FIN"] == FI_2023 and countries["ALA"] == ALAND_2023
    # the nine regions without a figure hold the rest. Five of them have Statistics Finland figures for
    # 31 Dec 2021 and two for 31 Dec 2022 on stored pages (docs/population-candidates: North Savo,
    # Central Finland, Kainuu, Pirkanmaa, South Karelia; Satakunta, South Ostrobothnia); regions
    # change by under 1 % a year, so what is left is the two with no figure of any date, Kanta-Häme and
    # Central Ostrobothnia, each a region of between 50,000 and 200,000 people
    remainder = FI_2023 - ALAND_2023 - int(units["population"].sum())
    other_years = (248_363 + 272_683 + 71_255 + 527_478 + 126_107) + (212_653 + 190_774)
    assert 2 * 50_000 < remainder - other_years < 2 * 200_000


#: Estonia, 1 Jan 2017: Statistics Estonia's national total (1,315,635, as printed by
#: lounaeestlane.ee and Saarte Hääl, both citing Statistics Estonia).
EE_2017 = 1_315_635
#: Saare County, 1 Jan 2017, as Saarte Hääl printed it from Statistics Estonia (16,378 men and
#: 16,929 women).
EE_SECOND_PAGE = {"EE-74": 33_307}


def test_estonian_counties_and_the_three_together_add_up_to_the_2017_total() -> None:
    group = unit_groups().set_index("code").loc["EE-2017-REST"]
    assert len(group["members"]) == 3 and group["reference_date"] == "2017-01-01"
    # the group is entered as the national total less the twelve counties (none of the three was
    # found for 2017), so this sum holds by construction once the twelve are right ...
    _checked_units("EE-", 12, EE_2017 - int(group["population"]), EE_SECOND_PAGE, "2017-01-01")
    # ... and what can fail is the group against the same three counties on 1 Jan 2023 (Statistics
    # Estonia, on the borders of the 2017 reform, which moved little land between them and their
    # neighbours; 139,562): a mistyped county among the twelve would show here
    later = sum(ESTONIAN_COUNTIES_2023[c] for c in ("EE-60", "EE-87", "EE-84"))
    assert group["population"] == pytest.approx(later, rel=0.05)
