"""buffer-zone: the band along the NATO–Russia/Belarus land border, checked against which side
of the border each part lies on, the band-area ≈ length × width rule, and distances of cities
to the border measured independently with pyproj.
"""

from __future__ import annotations

import pytest
import shapely

from geo import area_km2, data

from ._helpers import PLACES, by_id, distance_to_km, geodesic_length_km, point

NAME = "buffer-zone"
#: NATO members with a land border with Russia or Belarus on 2025-02-12 (Finland since 4 Apr 2023).
BORDER_STATES = {"NOR", "FIN", "EST", "LVA", "LTU", "POL"}


@pytest.fixture(scope="module")
def countries():
    return data.countries().set_index("iso_a3").geometry


def test_nato_side_lies_in_nato_countries_only(build, countries) -> None:
    result = build(NAME, side="nato", width_km=10)
    zone = by_id(result)["zone"].geometry
    other = shapely.union_all([countries["RUS"], countries["BLR"]])
    assert area_km2(shapely.intersection(zone, other)) <= 1e-4 * area_km2(zone)
    bands = {f.attributes["iso_a3"] for f in result.features if f.role == "band"}
    assert bands == BORDER_STATES


def test_russian_side_lies_in_russia_and_belarus_only(build, countries) -> None:
    result = build(NAME, side="russia", width_km=10)
    zone = by_id(result)["zone"].geometry
    nato = shapely.union_all([countries[c] for c in BORDER_STATES])
    assert area_km2(shapely.intersection(zone, nato)) <= 1e-4 * area_km2(zone)
    assert {f.attributes["iso_a3"] for f in result.features if f.role == "band"} == {"RUS", "BLR"}


def test_both_sides_are_the_two_sides_together(build) -> None:
    both, nato, russia = (by_id(build(NAME, side=s, width_km=10))["zone"].figures.area_km2
                          for s in ("both", "nato", "russia"))
    assert both == pytest.approx(nato + russia, rel=1e-3)


@pytest.mark.parametrize("side", ["nato", "russia"])
def test_narrow_band_area_is_border_length_times_width(build, side) -> None:
    width = 10.0
    result = by_id(build(NAME, side=side, width_km=width))
    border = result["border"]
    length = geodesic_length_km(border.geometry)  # pyproj, not the layer's own length_km
    # Published: NOR 196 + FIN 1,340 + EST 294 + LVA 214 + 173 + LTU 227 + 680 + POL 210 + 418 ≈ 3,750 km,
    # measured along detailed lines; generalised (Natural Earth 10m) lines measure 10–20 % less, and a
    # missing border (Finland's is 1,340 km) would take the total below 3,000 km.
    assert 0.8 * 3_750 < length < 3_750
    assert border.figures.length_km == pytest.approx(length, rel=1e-3)
    # A band W wide on one side of a line of length L covers L·W, less where a wiggly border's
    # bends overlap on their inner side and where the band meets the sea near the border's coastal
    # ends, more at the corners of the end caps: within 10 % for W = 10 km.
    assert result["zone"].figures.area_km2 == pytest.approx(length * width, rel=0.10)


def test_width_is_monotone(build) -> None:
    areas = [by_id(build(NAME, side="nato", width_km=w))["zone"].figures.area_km2 for w in (10, 50)]
    both = [by_id(build(NAME, side="both", width_km=w))["zone"].figures.area_km2 for w in (10, 100)]
    assert areas[0] < areas[1] and both[0] < both[1]
    zone10, zone50 = (by_id(build(NAME, side="nato", width_km=w))["zone"].geometry for w in (10, 50))
    assert area_km2(shapely.difference(zone10, zone50)) < 1e-4 * area_km2(zone10)  # nested, not just smaller


def test_cities_in_and_out_of_a_50_km_zone(build, countries) -> None:
    # distances to the border measured first, independently (pyproj on the country outlines)
    assert distance_to_km(PLACES["Narva"], countries["RUS"]) < 5  # on the Narva river
    assert distance_to_km(PLACES["Tallinn"], countries["RUS"]) > 120
    assert min(distance_to_km(PLACES["Warsaw"], countries[c]) for c in ("RUS", "BLR")) > 140
    zone = by_id(build(NAME, side="nato", width_km=50))["zone"].geometry
    assert zone.contains(point("Narva"))
    assert not zone.contains(point("Tallinn")) and not zone.contains(point("Warsaw"))


def test_vilnius_is_in_the_zone_only_when_belarus_counts(build, countries) -> None:
    assert distance_to_km(PLACES["Vilnius"], countries["BLR"]) < 35  # ≈ 30 km from Belarus
    assert distance_to_km(PLACES["Vilnius"], countries["RUS"]) > 100  # Kaliningrad is ≈ 150 km away
    with_belarus = by_id(build(NAME, side="nato", width_km=50))["zone"].geometry
    without = by_id(build(NAME, side="nato", width_km=50, include_belarus=False))["zone"].geometry
    assert with_belarus.contains(point("Vilnius"))
    assert not without.contains(point("Vilnius"))
    assert area_km2(without) < area_km2(with_belarus)


def test_no_finnish_band_before_finland_joined(build, countries) -> None:
    before = build(NAME, side="nato", width_km=10, as_of="2023-01-01")  # Finland joined 2023-04-04
    assert "FIN" not in by_id(before)
    assert area_km2(shapely.intersection(by_id(before)["zone"].geometry, countries["FIN"])) < 0.01  # slivers only
    after = build(NAME, side="nato", width_km=10)
    assert by_id(after)["FIN"].figures.area_km2 > 0.2 * 1_340 * 10  # the 1,340 km Finnish border
    # the Finnish–Russian border is gone from the line, so the line is shorter by roughly its length
    lengths = [geodesic_length_km(by_id(r)["border"].geometry) for r in (after, before)]
    drop = lengths[0] - lengths[1]
    assert 1_000 < drop < 1_500
