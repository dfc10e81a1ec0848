"""Countries where only some units have a total: the rest of the country holds what is left.

The references are published figures the model does not hold as such (a region's total where
the model holds its counties less their cities, a national total where it holds units), and a
second count of the settlements each remainder zone holds.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo import data
from geo.population import estimate_population, unit_groups, zones
from tests.geo.test_population_totals import ALAND_2023, EE_2017, FI_2023, HU_2024, HU_CENSUS_2022


def _units(iso_3166_2: tuple[str, ...]) -> shapely.Geometry:
    units = data.admin1().set_index("iso_3166_2").geometry
    return shapely.union_all(units[list(iso_3166_2)].values)


def test_hungarys_southern_great_plain_holds_the_rest_of_hungary_near_its_census_figure() -> None:
    # Bács-Kiskun, Békés and Csongrád-Csanád with their cities with county rights have no 2024 figure:
    # they are what Budapest and the other sixteen counties leave of the national total
    region = _units(("HU-BK", "HU-BE", "HU-CS", "HU-KM", "HU-SD", "HU-HV", "HU-BC"))
    est = estimate_population(region)
    groups = unit_groups().query("iso_a3 == 'HUN'")["population"].sum()
    entered = groups + data.population_admin1().set_index("iso_3166_2").loc["HU-BU", "population"]
    assert est.population == pytest.approx(HU_2024 - entered, rel=1e-4)
    census = sum(HU_CENSUS_2022[c] for c in ("HU-BK", "HU-BE", "HU-CS"))  # 1,201,724 on 1 Oct 2022
    assert est.population == pytest.approx(census, rel=0.02)
    assert any("1 Jan 2024" in b for b in est.basis)


def test_finlands_nine_regions_without_a_figure_hold_the_rest_of_finland() -> None:
    entered = data.population_admin1().query("iso_3166_2.str.startswith('FI-')")
    missing = tuple(sorted(set(data.admin1().query("iso_a3 == 'FIN'")["iso_3166_2"]) - set(entered["iso_3166_2"])))
    assert len(missing) == 9  # Lapland entered in December 2026
    est = estimate_population(_units(missing))
    assert est.population == pytest.approx(FI_2023 - ALAND_2023 - entered["population"].sum(), rel=1e-4)


def test_estonia_is_its_2017_counties_and_says_so() -> None:
    estonia = data.countries().set_index("iso_a3").geometry["EST"]
    est = estimate_population(estonia)
    assert est.population == pytest.approx(EE_2017, rel=1e-4)
    assert any("1 Jan 2017" in b for b in est.basis)


@pytest.mark.parametrize("iso_a3", ["HUN", "FIN", "LVA", "NOR"])
def test_a_remainder_zone_holds_exactly_the_settlements_inside_it(iso_a3: str) -> None:
    # counted again here from the points: a capital whose unit is spread evenly (Budapest,
    # Moscow) must not leave its people among the remainder's settlements, where they would
    # scale every town of the rest of the country down
    z = zones().set_index("zone_id")
    rest = z[(z["iso_a3"] == iso_a3) & z["adm1_code"].isna()]
    zone = rest.iloc[0]
    towns = data.settlements().query("iso_a3 == @iso_a3")
    geom = zone["geometry"]
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, towns.geometry.x.to_numpy(), towns.geometry.y.to_numpy())
    assert zone["settlement_population"] == pytest.approx(towns["population"].to_numpy()[inside].sum(), rel=0.01)
    assert zone["settlement_scale"] <= 1.0 and np.isfinite(zone["rural_density_km2"])


def test_russia_beyond_the_data_is_mostly_urban_not_over_counted() -> None:
    # the rest of Russia (beyond the units with totals, mostly east of the data's 60°E edge) holds
    # the settlements the data do not draw; with Moscow's and Saint Petersburg's points wrongly
    # left among them (about 18 M), they added up to 146 % of its total and every town there was
    # scaled down to 69 %. Russia is about three-quarters urban (Rosstat); GeoNames' towns of 500+
    # take in some villages too
    rest = zones().set_index("zone_id").loc["RUS-rest"]
    assert 0.6 < rest["settlement_population"] / rest["population_total"] < 0.95
    assert rest["settlement_scale"] == 1.0
