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
