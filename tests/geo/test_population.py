"""The dasymetric population model and the raster alternative."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from geo import InputError, data, measure
from geo.population import estimate_population, zones
from geo.raster import raster_population


def test_every_whole_unit_gets_exactly_its_official_total() -> None:
    # exact but for floating-point noise in the intersections with the partition's pieces
    # (~1e-6 of the area: a few people in a city unit of millions on ~1,400 km²)
    units = data.admin1().set_index("iso_3166_2")
    totals = data.population_admin1().set_index("iso_3166_2")["population"]
    # city units that Natural Earth draws over their suburbs, and the regions those belong to
    # (checked together in the next test)
    paired = {c for pair in CITY_AND_REGION for c in pair}
    whole = [c for c in totals.index if c in units.index and not units.loc[c, "clipped"] and c not in paired]
    assert len(whole) >= 75
    for code in whole:
        assert (estimate_population(units.geometry[code]).population
                == pytest.approx(totals[code], rel=1e-5, abs=1)), code


def test_a_coastal_towns_footprint_stays_wholly_in_its_unit() -> None:
    # Klaipėda's footprint is cut to LT-KL's land pieces, whose long coastal edges carry points
    # every 0.05°; measured against the unit's raw outline (edges read as geodesics) it kept
    # 0.999966 of it, and the county got 6 people fewer than its total. Both now read the same edges.
    units = data.admin1().set_index("iso_3166_2").geometry
    est = estimate_population(units["LT-KL"])
    town = est.settlements.set_index("name").loc["Klaipėda"]
    assert town["share"] == 1.0
    assert est.population == int(data.population_admin1().set_index("iso_3166_2")["population"]["LT-KL"])


#: Cities whose Natural Earth unit reaches past the city limits into towns of the region around
CITY_AND_REGION = [("UA-30", "UA-32"), ("RU-MOW", "RU-MOS"), ("RU-SPE", "RU-LEN"), ("BY-HM", "BY-MI"),
                   ("UA-40", "UA-43")]


@pytest.mark.parametrize(("city", "region"), CITY_AND_REGION)
def test_a_city_and_its_region_together_get_exactly_both_totals(city: str, region: str) -> None:
    units = data.admin1().set_index("iso_3166_2").geometry
    totals = data.population_admin1().set_index("iso_3166_2")["population"]
    both = estimate_population(shapely.union_all([units[city], units[region]])).population
    assert both == pytest.approx(totals[city] + totals[region], rel=1e-5, abs=1)


def test_kyiv_has_its_own_area_and_the_towns_round_it_count_in_kyiv_oblast() -> None:
    # Kyiv's city limits enclose 839 km²; Natural Earth's "Kiev City" (1,642 km²) also took in
    # Irpin, Vyshneve, Vyshhorod and Obukhiv, towns of Kyiv Oblast. The data build cuts the unit
    # back to 839 km² round the centre, less those towns, and gives the rest to the oblast.
    from geo import area_km2

    units = data.admin1().set_index("iso_3166_2").geometry
    totals = data.population_admin1().set_index("iso_3166_2")["population"]
    assert area_km2(units["UA-30"]) == pytest.approx(839.0, rel=0.002)
    city, oblast = estimate_population(units["UA-30"]), estimate_population(units["UA-32"])
    assert city.population == pytest.approx(totals["UA-30"], rel=1e-5)
    assert oblast.population == pytest.approx(totals["UA-32"], rel=1e-5)
    towns = ("Irpin", "Vyshneve", "Vyshhorod", "Obukhiv", "Brovary", "Boryspil")
    in_oblast = oblast.settlements.drop_duplicates("name").set_index("name")  # largest of a name first
    for town in towns:
        assert in_oblast.loc[town, "share"] == pytest.approx(1.0, abs=0.02), town
        assert in_oblast.loc[town, "population"] >= 20_000, town  # the town, not a village of its name
    in_city = set(city.settlements.loc[city.settlements["population"] >= 20_000, "name"])
    assert not in_city & set(towns)


def test_halves_add_up_to_the_whole() -> None:
    unit = data.admin1().set_index("iso_3166_2").geometry["UA-63"]  # Kharkiv oblast
    xmin, ymin, xmax, ymax = unit.bounds
    mid = (xmin + xmax) / 2
    west = unit.intersection(shapely.box(xmin - 1, ymin - 1, mid, ymax + 1))
    east = unit.intersection(shapely.box(mid, ymin - 1, xmax + 1, ymax + 1))
    whole = estimate_population(unit).population
    assert estimate_population(west).population + estimate_population(east).population == pytest.approx(whole, abs=2)


def test_a_city_counts_by_the_share_of_its_footprint_and_rural_land_by_area() -> None:
    from geo import buffer
    from geo.footprint import DENSITY_KM2

    town = data.settlements().query("name == 'Kharkiv' and iso_a3 == 'UKR'").iloc[0]
    # a disc of 40 km radius holds all of Kharkiv's footprint (about 570 km², radius ~13.5 km)
    assert estimate_population(buffer(town.geometry, 40.0)).settled >= town["population"]
    # a 2 km disc round its centre takes the city's people by area: 4π km² at 2,500 per km²
    small = estimate_population(buffer(town.geometry, 2.0))
    assert small.settled == pytest.approx(4 * np.pi * DENSITY_KM2, rel=0.02)
    empty_field = shapely.box(35.0, 49.5, 35.01, 49.51)
    field = estimate_population(empty_field)
    z = zones()
    density = z[z.contains(empty_field)]["rural_density_km2"].item()
    from geo import area_km2

    assert field.settled == 0
    assert field.rural == pytest.approx(density * area_km2(empty_field), rel=1e-9)


def test_double_counted_settlements_are_scaled_and_flagged() -> None:
    belgium = data.countries().set_index("iso_a3").geometry["BEL"]
    est = estimate_population(belgium)
    official = data.population_countries().set_index("iso_a3")["population"]["BEL"]
    assert est.population == pytest.approx(official, rel=1e-6)
    assert any("scaled" in n for n in est.notes)


def test_measure_breaks_down_by_country_and_unit_and_lists_largest_towns() -> None:
    # a box across the Ukraine–Belarus border near Chernihiv
    box = shapely.box(30.6, 51.2, 31.4, 52.2)
    m = measure(box)
    assert set(m.by_country["iso_a3"]) == {"UKR", "BLR"}
    assert m.by_country["area_km2"].sum() == pytest.approx(m.area_km2, rel=1e-3)
    assert m.by_country["population"].sum() == pytest.approx(m.population, rel=1e-3)
    assert "Chernihiv" in set(m.largest_settlements["name"])
    inside = m.largest_settlements["inside"]
    assert list(inside) == sorted(inside, reverse=True)
    assert (inside <= m.largest_settlements["population"]).all()


def test_a_city_the_area_only_grazes_is_not_among_its_largest_towns() -> None:
    # Cherkasy (272,651) stands on the right bank; Ukraine's land east of the Dnieper takes a
    # sliver of its footprint across the reservoir. Listed by its whole size it came 6th of the
    # Trans-Dnieper region's "largest settlements"; by its people inside it adds a handful.
    from layers.trans_dnieper import east_of_dnieper

    m = measure(east_of_dnieper(), top_settlements=25)
    towns = m.largest_settlements
    assert "Cherkasy" not in set(towns["name"])
    cherkasy = m.settlements[m.settlements["name"] == "Cherkasy"]
    assert cherkasy.empty or int(cherkasy["inside"].iloc[0]) < 0.01 * 272_651
    # a town the edge cuts is listed by its part: Kamianka-Dniprovska's footprint is cut by the river
    assert (towns["inside"] <= towns["population"]).all()


def test_kyivs_left_bank_lists_no_part_of_the_right_bank() -> None:
    # the right bank's footprint used to touch the left bank's polygon (9 of its 1,783,440 people, a
    # sliver of two readings of the bank now taken as none)
    import layers

    left = next(f for f in layers.build("trans-dnieper").features if f.id == "trans-dnieper:kyiv-left-bank")
    assert [t.name for t in left.figures.towns] == ["Kyiv (left bank)"]


def _write_raster(path, values: np.ndarray, *, crs: str = "EPSG:4326", origin=(30.0, 51.0), cell=0.01) -> None:
    transform = from_origin(origin[0], origin[1], cell, cell)
    with rasterio.open(path, "w", driver="GTiff", height=values.shape[0], width=values.shape[1], count=1,
                       dtype="float32", crs=crs, transform=transform, nodata=-1) as dst:
        dst.write(values.astype("float32"), 1)


def test_raster_sum_uses_exact_cell_coverage(tmp_path) -> None:
    values = np.arange(100 * 100, dtype=float).reshape(100, 100)
    path = tmp_path / "pop.tif"
    _write_raster(path, values)
    # whole cells: rows 20..29, cols 10..19 → x 30.10–30.20, y 50.80–50.70
    assert raster_population(shapely.box(30.10, 50.70, 30.20, 50.80), path) == pytest.approx(values[20:30, 10:20].sum())
    # half of each cell in the first column
    half = raster_population(shapely.box(30.105, 50.70, 30.11, 50.80), path)
    assert half == pytest.approx(0.5 * values[20:30, 10].sum())


def test_raster_nodata_counts_zero_and_outside_is_zero(tmp_path) -> None:
    values = np.full((50, 50), 7.0)
    values[:10] = -1
    path = tmp_path / "pop.tif"
    _write_raster(path, values)
    assert raster_population(shapely.box(30.0, 50.9, 30.5, 51.0), path) == pytest.approx(0.0)
    assert raster_population(shapely.box(40.0, 40.0, 41.0, 41.0), path) == pytest.approx(0.0)


def test_raster_in_a_projected_crs_is_measured_after_reprojection(tmp_path) -> None:
    # 1 person per km² on a Mollweide grid (ESRI:54009, as GHS-POP) of 1 km cells
    path = tmp_path / "moll.tif"
    # the box's centre (30.75°E, 50.4°N) is at about x = 2,326 km, y = 5,915 km in Mollweide
    _write_raster(path, np.ones((400, 400)), crs="ESRI:54009", origin=(2_100_000, 6_100_000), cell=1000)
    box = shapely.box(30.5, 50.2, 31.0, 50.6)
    from geo import area_km2

    assert raster_population(box, path) == pytest.approx(area_km2(box), rel=5e-3)


def test_measure_with_a_raster_names_it(tmp_path) -> None:
    path = tmp_path / "pop.tif"
    _write_raster(path, np.full((100, 100), 3.0))
    m = measure(shapely.box(30.2, 50.2, 30.4, 50.4), raster=path)
    assert m.population == 3 * 20 * 20
    assert "pop.tif" in m.population_method


def test_missing_or_bad_raster_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        raster_population(shapely.box(0, 0, 1, 1), tmp_path / "nope.tif")
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"not a tiff")
    with pytest.raises(InputError, match="not a readable raster"):
        raster_population(shapely.box(0, 0, 1, 1), bad)


def test_the_basis_says_how_the_towns_figures_are_dated() -> None:
    from geo.footprint import disc

    # Lublin carries Statistics Poland's 31 Dec 2023 figure; Kraków (outside the layers' areas)
    # keeps GeoNames' figure of unstated date
    lublin = [b for b in estimate_population(disc(22.5667, 51.25, 30.0)).basis if b.startswith("settlements:")]
    krakow = [b for b in estimate_population(disc(19.9368, 50.0614, 30.0)).basis if b.startswith("settlements:")]
    assert len(lublin) == 1 and "official town figures (2023-12-31)" in lublin[0]
    assert krakow == ["settlements: GeoNames figures of various years (cities500; each place's own date)"]


def test_a_note_counts_a_countrys_units_instead_of_listing_forty_of_them() -> None:
    # GeoNames lists Romania's communes beside their own villages, so nearly every county's
    # settlements exceed its census total; the note said so by naming 41 counties (1,065 characters)
    romania = data.countries().set_index("iso_a3").geometry["ROU"]
    note = next(n for n in estimate_population(romania).notes if "add up to more than" in n)
    assert "parts of Romania" in note and "Dolj" not in note
    assert len(note) < 300
