"""nato-enlargement: members by date against NATO's published accession dates, and figures
against published areas and populations.
"""

from __future__ import annotations

import pytest

from geo import data
from tests.references import NATO_ACCESSIONS

from ._helpers import by_id

NAME = "nato-enlargement"

#: Accession dates after the Founding Act of 27 May 1997, and the 16 members of 1982–1999.
POST_1997 = {day: members for day, members in NATO_ACCESSIONS.items() if day > "1997-05-27"}
BEFORE_1999 = set().union(*(members for day, members in NATO_ACCESSIONS.items() if day < "1997-05-27"))
OFF_MAP = {"USA", "CAN"}  # members outside the European map; counted in the notes, not drawn

#: Total area in km² as published (CIA World Factbook / national statistics), for the 16 post-1997 members.
PUBLISHED_AREA = {
    "CZE": 78_871, "HUN": 93_030, "POL": 312_679, "BGR": 110_994, "EST": 45_339, "LVA": 64_589,
    "LTU": 65_300, "ROU": 238_397, "SVK": 49_035, "SVN": 20_271, "ALB": 28_748, "HRV": 56_594,
    "MNE": 13_812, "MKD": 25_713, "FIN": 338_455, "SWE": 450_295,
}
#: Population in millions (Eurostat 1 Jan 2024; Albania and North Macedonia: latest censuses 2023/2021).
PUBLISHED_POPULATION_M = {
    "CZE": 10.90, "HUN": 9.58, "POL": 36.62, "BGR": 6.45, "EST": 1.37, "LVA": 1.87, "LTU": 2.89,
    "ROU": 19.06, "SVK": 5.42, "SVN": 2.12, "ALB": 2.40, "HRV": 3.86, "MNE": 0.62, "MKD": 1.84,
    "FIN": 5.60, "SWE": 10.55,
}


def post_1997_on(date: str) -> set[str]:
    return set().union(*(members for joined, members in POST_1997.items() if joined <= date))


def members_on(date: str) -> set[str]:
    return BEFORE_1999 | post_1997_on(date)


def zone_iso3(feature) -> set[str]:
    """The zone's member names mapped to ISO codes through the country table."""
    iso = dict(zip(data.countries()["name"], data.countries()["iso_a3"], strict=True))
    return {iso[n] for n in feature.attributes["members"]}


@pytest.mark.parametrize(("date", "total", "post"), [
    ("2021-12-17", 30, 14),  # Russia's draft agreement
    ("2025-02-12", 32, 16),  # talks agreed; Finland and Sweden in
    ("1999-03-11", 16, 0),   # the eve of the 1999 wave
    ("1999-03-12", 19, 3),
])
def test_members_by_date(build, date, total, post) -> None:
    assert len(members_on(date)) == total and len(post_1997_on(date)) == post  # the typed lists agree with NATO
    result = build(NAME, as_of=date)
    drawn = {f.attributes["iso_a3"] for f in result.features if f.role == "member"}
    assert drawn == members_on(date) - OFF_MAP
    assert f"{post} of {total} members" in " ".join(result.notes)
    assert "Canada" in result.notes[-1] and "United States" in result.notes[-1]
    flagged = {f.attributes["iso_a3"] for f in result.features
               if f.role == "member" and f.attributes["joined_after_founding_act"]}
    assert flagged == post_1997_on(date)
    zone = by_id(result).get("article-4-zone")
    if post:
        assert zone_iso3(zone) == post_1997_on(date) and zone.attributes["member_count"] == post
    else:
        assert zone is None


def test_post_1997_view_shows_only_the_art_4_zone_states(build) -> None:
    result = build(NAME, show="post-1997", as_of="2021-12-17")
    assert {f.attributes["iso_a3"] for f in result.features if f.role == "member"} == post_1997_on("2021-12-17")


def test_poland_against_published_figures(build) -> None:
    poland = by_id(build(NAME))["POL"]
    assert 36_600_000 <= poland.figures.people.value <= 37_600_000  # GUS/Eurostat 2023–24: 36.6–37.6 M
    assert poland.figures.area_km2 == pytest.approx(312_679, rel=0.01)  # GUS: 312,679 km²
    assert poland.attributes["accession_date"] == "1999-03-12"


def test_art_4_zone_figures_add_up_to_the_published_country_figures(build) -> None:
    zone = by_id(build(NAME))["article-4-zone"]
    assert zone.figures.area_km2 == pytest.approx(sum(PUBLISHED_AREA.values()), rel=0.015)
    assert zone.figures.people.value == pytest.approx(sum(PUBLISHED_POPULATION_M.values()) * 1e6, rel=0.03)


def test_eastern_flank_is_the_eight_states_the_commentary_names(build) -> None:
    flank = by_id(build(NAME, eastern_flank=True))["eastern-flank"]
    iso = dict(zip(data.countries()["name"], data.countries()["iso_a3"], strict=True))
    named = {"EST", "LVA", "LTU", "POL", "SVK", "HUN", "ROU", "BGR"}
    assert {iso[n] for n in flank.attributes["members"]} == named
    assert flank.role == "flank"


#: Area of the former GDR including East Berlin, km²: 108,333 (Statistisches Jahrbuch der DDR
#: 1990, as quoted by the Bundeszentrale für politische Bildung); West Berlin 480 km² (Statistisches
#: Landesamt Berlin). The layer leaves out all of Berlin, so today's Germany less West Germany is
#: the GDR plus West Berlin.
GDR_KM2, WEST_BERLIN_KM2 = 108_333, 480


def _germany(as_of: str):
    import layers

    result = layers.build(NAME, {"as_of": as_of})
    return next(f for f in result.features if f.id == f"{NAME}:DEU"), result


def test_germany_before_reunification_is_west_germany_without_the_gdr() -> None:
    """Issue 16: as of 1990-01-01 the map drew today's Germany as the member, unsaid."""
    before, result = _germany("1990-01-01")
    after, _ = _germany("1990-10-03")
    assert after.name == "Germany"
    assert before.name == "West Germany (FRG)"
    removed = after.figures.area_km2 - before.figures.area_km2
    # Natural Earth 10m boundaries: Länder areas agree with the official ones to about 1 %
    assert removed == pytest.approx(GDR_KM2 + WEST_BERLIN_KM2, rel=0.015)
    germany_notes = [n for n in result.notes if "West Germany" in n]
    assert len(germany_notes) == 1
    assert "West Berlin" in germany_notes[0] and f"{WEST_BERLIN_KM2} km²" in germany_notes[0]
    assert before.attributes["population_reference_date"] == "2022-05-15"


def test_west_germanys_people_are_the_model_estimate_of_its_outline() -> None:
    """The ten western Länder's official totals, against the population model on the drawn outline.

    The second method measures the West German polygon with ``geo.population`` (zones from the
    same Länder totals, spread by settlements): the two agree where the outline is the Länder's.
    """
    from geo.population import estimate_population

    before, _ = _germany("1990-01-01")
    after, _ = _germany("1990-10-03")
    estimate = estimate_population(before.geometry)
    assert before.figures.people.value == pytest.approx(estimate.population, rel=0.01)
    # Destatis (as quoted by webhelp.de): "rund 12,5 Millionen" in the five eastern Länder without
    # Berlin; Berlin 3.6 million (2022 census): about 16.1 of 83 million, so the west is about 80 %
    assert 0.78 < before.figures.people.value / after.figures.people.value < 0.83
    assert "western Länder" in before.figures.people.method


def test_without_the_lander_germany_is_drawn_in_todays_borders_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A data set whose first-level units lack Germany's cannot cut the GDR out: the figure must say so."""
    units = data.admin1()
    monkeypatch.setattr(data, "admin1", lambda: units[units["iso_a3"] != "DEU"])
    before, result = _germany("1990-01-01")
    after, _ = _germany("1990-10-03")
    assert before.name == "Germany (today's borders)"
    assert any("today's borders" in n and "3 Oct 1990" in n for n in result.notes), result.notes
    assert before.figures.area_km2 == after.figures.area_km2
    assert before.figures.people.value == after.figures.people.value


def test_the_cut_removes_exactly_the_former_gdr_units(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cut itself, on stand-in units: Germany east of 12° E split into the six former-GDR codes.

    The removed area is checked against pyproj's geodesic area of the stand-in units.
    """
    import geopandas as gpd
    import shapely
    from pyproj import Geod

    germany = data.countries().set_index("iso_a3").loc["DEU"].geometry
    east = shapely.intersection(germany, shapely.box(12.0, 47.0, 16.0, 55.5))
    strips = [shapely.intersection(east, shapely.box(12.0, 47.0 + i * 1.5, 16.0, 48.5 + i * 1.5)) for i in range(6)]
    fake = gpd.GeoDataFrame({"iso_3166_2": ["DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH", "DE-BE"],
                             "iso_a3": "DEU"}, geometry=strips, crs="EPSG:4326")
    monkeypatch.setattr(data, "admin1", lambda: fake)
    before, result = _germany("1990-01-01")
    after, _ = _germany("1990-10-03")
    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(east)[0]) / 1e6
    assert before.name == "West Germany (FRG)"
    assert after.figures.area_km2 - before.figures.area_km2 == pytest.approx(expected, rel=2e-3)
    assert any("Mecklenburg-Vorpommern" in n and "Berlin" in n for n in result.notes)
