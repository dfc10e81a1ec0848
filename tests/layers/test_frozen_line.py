"""frozen-line: who holds which city on which date, occupied areas against public tracker totals,
the DMZ against length × width, swaps and withdrawal areas recomputed independently, and a
user-supplied occupied-area file.
"""

from __future__ import annotations

import json

import pytest
import shapely

from geo import ParameterError, area_km2, data

from ._helpers import by_id, geodesic_area_km2, geodesic_length_km, point

NAME = "frozen-line"


@pytest.fixture(scope="module")
def feb_2025(build):
    """12 Feb 2025 with every option on and a 5 km DMZ (the defaults give 2 km)."""
    return by_id(build(NAME, dmz_km=5, withdraw_donbas=True, referendum_area=True))


@pytest.fixture(scope="module")
def eve_of_invasion(build):
    return build(NAME, as_of="2022-02-23")


@pytest.fixture(scope="module")
def units():
    return data.admin1().set_index("iso_3166_2").geometry


@pytest.mark.parametrize("city", ["Donetsk", "Mariupol", "Melitopol", "Sevastopol"])
def test_held_by_russia_in_february_2025(feb_2025, city) -> None:
    assert feb_2025["occupied"].geometry.contains(point(city))


@pytest.mark.parametrize("city", ["Kharkiv", "Zaporizhzhia", "Kherson", "Kramatorsk"])
def test_held_by_ukraine_in_february_2025(feb_2025, city) -> None:
    assert not feb_2025["occupied"].geometry.contains(point(city))


def test_on_the_eve_of_the_invasion_only_crimea_and_part_of_donbas_were_held(eve_of_invasion) -> None:
    occupied = by_id(eve_of_invasion)["occupied"].geometry
    assert occupied.contains(point("Donetsk")) and occupied.contains(point("Sevastopol"))
    assert not occupied.contains(point("Mariupol")) and not occupied.contains(point("Melitopol"))


def test_occupied_areas_match_the_public_trackers(feb_2025, eve_of_invasion) -> None:
    # DeepStateMap, mid-Feb 2025: ≈ 112,000 km² held by Russia, Crimea included.
    assert feb_2025["occupied"].figures.area_km2 == pytest.approx(112_000, rel=0.02)
    # 23 Feb 2022: Crimea and Sevastopol (27,000 km²) and part of Donetsk and Luhansk oblasts (≈ 16,000 km²).
    assert by_id(eve_of_invasion)["occupied"].figures.area_km2 == pytest.approx(43_000, rel=0.05)


def test_the_built_in_line_is_flagged_approximate(eve_of_invasion) -> None:
    assert eve_of_invasion.approximate and "(approximate)" in by_id(eve_of_invasion)["occupied"].name


def test_nothing_to_swap_on_the_eve_of_the_invasion_gives_no_empty_features(eve_of_invasion) -> None:
    # Russia held none of Kharkiv oblast and Ukraine none of Kursk oblast on 2022-02-23.
    assert eve_of_invasion.parameters["swap_kharkiv_kursk"] is True
    assert not {"swap-kharkiv", "swap-kursk", "ua-held-russia"} & set(by_id(eve_of_invasion))
    assert all(not f.geometry.is_empty and f.geometry.is_valid for f in eve_of_invasion.features)


@pytest.mark.parametrize("width", [2.0, 5.0])
def test_dmz_on_each_side_is_line_length_times_width(build, feb_2025, width) -> None:
    parts = by_id(build(NAME)) if width == 2.0 else feb_2025
    assert build(NAME).parameters["dmz_km"] == 2.0
    length = geodesic_length_km(parts["line"].geometry)  # pyproj on the line feature
    assert 700 < length < 1_500  # the ≈ 1,000 km front, generalised
    # Each side of a band W wide along a line of length L covers L·W. The DMZ is cut to land (the
    # Dnieper's banks count as land), bends overlap on their inner side, and the ends of the line on
    # the state border add half-caps: within 10 %.
    for side in ("dmz-ua", "dmz-ru"):
        assert parts[side].figures.area_km2 == pytest.approx(length * width, rel=0.10), side
    ua, ru = parts["dmz-ua"].geometry, parts["dmz-ru"].geometry
    assert area_km2(shapely.intersection(ua, ru)) < 1e-3 * area_km2(ua)
    assert area_km2(shapely.intersection(ua, parts["occupied"].geometry)) < 1e-3 * area_km2(ua)


def test_swaps_are_the_held_parts_of_kharkiv_and_kursk_oblasts(build, units) -> None:
    parts = by_id(build(NAME))
    kharkiv = area_km2(shapely.intersection(parts["occupied"].geometry, units["UA-63"]))
    kursk = area_km2(shapely.intersection(parts["ua-held-russia"].geometry, units["RU-KRS"]))
    assert kharkiv > 100 and kursk > 100
    assert parts["swap-kharkiv"].figures.area_km2 == pytest.approx(kharkiv, abs=0.1)
    assert parts["swap-kursk"].figures.area_km2 == pytest.approx(kursk, abs=0.1)
    assert parts["swap-kharkiv"].geometry.within(units["UA-63"].buffer(1e-9))


def test_referendum_area_holds_zaporizhzhia_and_kherson_cities(feb_2025, units) -> None:
    referendum = feb_2025["referendum"]
    assert referendum.geometry.contains(point("Zaporizhzhia")) and referendum.geometry.contains(point("Kherson"))
    assert referendum.figures.people.value > 700_000  # Zaporizhzhia alone: "a city of over 700,000"
    assert area_km2(shapely.intersection(referendum.geometry, feb_2025["occupied"].geometry)) < 1.0
    outside = shapely.difference(referendum.geometry, shapely.union_all([units["UA-23"], units["UA-65"]]))
    assert area_km2(outside) < 1.0


def test_withdrawal_area_holds_kramatorsk_and_sloviansk(feb_2025) -> None:
    withdrawal = feb_2025["withdrawal"].geometry
    assert withdrawal.contains(point("Kramatorsk")) and withdrawal.contains(point("Sloviansk"))
    assert not withdrawal.contains(point("Donetsk"))  # already held


def test_an_occupied_area_file_replaces_the_built_in_line(build, tmp_path) -> None:
    # A box around Donetsk reaching over the state border into Russia's Rostov oblast.
    box = shapely.box(37.3, 47.7, 40.3, 48.4)
    path = tmp_path / "occupied.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]}))
    result = build(NAME, as_of="2024-06-01", occupied_file=str(path))
    occupied = by_id(result)["occupied"]
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    expected = geodesic_area_km2(shapely.intersection(box, ukraine))  # pyproj directly
    assert expected < 0.9 * geodesic_area_km2(box)  # the box does reach into Russia
    assert occupied.figures.area_km2 == pytest.approx(expected, rel=1e-3)
    assert not result.approximate and "(approximate)" not in occupied.name
    assert result.as_of.isoformat() == "2024-06-01"
    line = by_id(result)["line"].geometry
    assert line.distance(point("Donetsk")) > 0.2  # the line is the file's edge, not the built-in front


@pytest.mark.parametrize("date", ["2022-02-22", "2014-03-18"])
def test_dates_before_the_first_digitised_line_are_refused(date) -> None:
    import layers

    with pytest.raises(ParameterError, match="2022-02-23"):
        layers.build(NAME, {"as_of": date})
