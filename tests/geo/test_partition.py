"""The land partition behind every breakdown: checked against direct intersections of the
country and unit outlines (a second method) and against whole-country areas.
"""

from __future__ import annotations

import pytest
import shapely

from geo import area_km2, data, measure
from geo.partition import land_by_unit, split

#: A 3°×2° box over the Poland–Belarus–Ukraine tripoint, typed here, with points every 0.01°
#: along its edges: on edges that short the geodesic reading (geo.area_km2) and the straight
#: lon/lat reading (RFC 7946, intersections) of the box agree.
TRIPOINT = shapely.segmentize(shapely.box(22.5, 50.5, 25.5, 52.5), 0.01)


def test_split_equals_direct_intersection_with_each_country_and_unit() -> None:
    parts = split(TRIPOINT)
    countries = data.countries().set_index("iso_a3").geometry
    by_country = parts.groupby("iso_a3")["area_km2"].sum()
    assert set(by_country.index) == {"POL", "BLR", "UKR"}
    for iso3, km2 in by_country.items():
        assert km2 == pytest.approx(area_km2(shapely.intersection(TRIPOINT, countries[iso3])), rel=1e-4), iso3
    units = data.admin1().set_index("adm1_code")
    for row in parts.dropna(subset=["adm1_code"]).itertuples():
        direct = shapely.intersection(shapely.intersection(TRIPOINT, units.geometry[row.adm1_code]),
                                      countries[row.iso_a3])
        assert row.area_km2 == pytest.approx(area_km2(direct), rel=1e-4, abs=0.05), row.adm1_code


def test_pieces_tile_every_country_exactly() -> None:
    land = land_by_unit().groupby("iso_a3")["area_km2"].sum()
    countries = data.countries().set_index("iso_a3").geometry
    for iso3 in ("POL", "UKR", "EST", "LVA", "BLR", "FIN"):
        assert land[iso3] == pytest.approx(area_km2(countries[iso3]), rel=1e-5), iso3


def test_breakdowns_add_up_and_a_countrys_part_measures_like_its_own_polygon() -> None:
    m = measure(TRIPOINT)
    assert m.by_admin1.groupby("iso_a3")["area_km2"].sum().to_dict() == pytest.approx(
        m.by_country.set_index("iso_a3")["area_km2"].to_dict(), rel=1e-9)
    assert m.by_country["population"].sum() == pytest.approx(m.population, abs=len(m.by_country))
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    part, direct = m.within(["UKR"]), measure(shapely.intersection(TRIPOINT, ukraine))
    assert part.area_km2 == pytest.approx(direct.area_km2, rel=1e-4)
    assert part.population == pytest.approx(direct.population, rel=1e-4)
    assert list(part.largest_settlements["name"]) == list(direct.largest_settlements["name"])


#: A 6°×2° box over the Gulf of Finland and the Narva, typed here: Finland (no first-level totals,
#: its GeoNames points above its total), Estonia (one county with a total, the rest national)
#: and Russia (Leningrad Oblast's census total) each bring notes and a basis of their own.
NARVA = shapely.segmentize(shapely.box(24.0, 58.5, 30.0, 60.5), 0.01)


@pytest.mark.parametrize("iso3", ["FIN", "EST", "RUS"])
def test_a_countrys_part_says_what_its_own_polygon_says(iso3: str) -> None:
    # the second method measures the country's part of the box as a polygon of its own, drawn
    # 0.01° inside the border so that no sliver of the neighbour's outline comes with it (the
    # shrunken coast loses a few towns, so the settlements' line differs in its shares only)
    countries = data.countries().set_index("iso_a3")
    part = measure(NARVA).within([iso3])
    direct = measure(shapely.intersection(NARVA, countries.geometry[iso3]).buffer(-0.01))
    assert part.population_notes == direct.population_notes

    def totals(basis: tuple[str, ...]) -> list[str]:
        return [line for line in basis if not line.startswith("settlements:")]

    assert totals(part.population_basis) == totals(direct.population_basis)
    assert len(part.population_basis) == len(direct.population_basis)
    others = {"Finland", "Estonia", "Russia", "Leningrad", "Ida-Viru"} - {countries.name[iso3]}
    named = [o for o in others if any(o in text for text in part.population_notes + part.population_basis)]
    assert named == {"FIN": [], "EST": ["Ida-Viru"], "RUS": ["Leningrad"]}[iso3]
