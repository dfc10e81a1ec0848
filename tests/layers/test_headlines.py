"""Headlines are the figures a proposal is about, and they move with its parameters.

The issue: the frozen line's headline stayed at the occupied area (113,506 km²) through four
parameter changes. References here are independent of the headline code: a band's area
against width × line length (a first-order analytic bound), official population totals summed
by hand from the data file, and sums of the features' own figures.
"""

from __future__ import annotations

import pytest

from geo import data, length_km
from layers import REGISTRY, HeadlineRule


def _by_label(result) -> dict:
    return {h.label: h for h in result.headlines}


def test_every_layer_declares_headlines_and_role_labels() -> None:
    for name, spec in REGISTRY.items():
        assert spec.headline_rules, f"{name} declares no headline"
        assert spec.roles, f"{name} labels no role"


def test_dmz_headline_grows_with_the_width_as_band_area_does(build) -> None:
    narrow, wide = build("frozen-line", {"dmz_km": 2.0}), build("frozen-line", {"dmz_km": 20.0})
    line = next(f for f in wide.features if f.role == "line").geometry
    line_km = length_km(line)
    for side in ("DMZ, Ukrainian-held side", "DMZ, Russian-held side"):
        a2, a20 = _by_label(narrow)[side].area_km2, _by_label(wide)[side].area_km2
        # a one-sided band of width w along a line of length L covers about w·L (less at the
        # coasts and ends where it is clipped to land, more around bends); here within 35 %
        for width, area in ((2.0, a2), (20.0, a20)):
            assert 0.65 * width * line_km < area < 1.35 * width * line_km, (side, width, area, line_km)
        assert a20 == pytest.approx(10 * a2, rel=0.25)


def test_withdrawal_and_swap_headlines_appear_and_go_with_their_switches(build) -> None:
    default = _by_label(build("frozen-line", {}))
    withdrawn = _by_label(build("frozen-line", {"withdraw_donbas": True}))
    no_swap = _by_label(build("frozen-line", {"swap_kharkiv_kursk": False}))
    assert "Withdrawal from Donbas" not in default and "Withdrawal from Donbas" in withdrawn
    assert "Swaps, net to Ukraine" in default and "Swaps, net to Ukraine" not in no_swap
    # the withdrawal is the rest of Donetsk and Luhansk oblasts: less than the two oblasts'
    # whole area (Ukrstat: Donetsk 26,517 km², Luhansk 26,684 km²) and more than 5 % of it
    wd = withdrawn["Withdrawal from Donbas"]
    assert 0.05 * (26_517 + 26_684) < wd.area_km2 < 26_517 + 26_684
    assert wd.people.value and wd.people.value > 100_000


def test_swap_headline_is_the_net_of_the_two_swaps(build) -> None:
    result = build("frozen-line", {})
    areas = {f.id: f.figures.area_km2 for f in result.features}
    net = _by_label(result)["Swaps, net to Ukraine"]
    assert net.area_km2 == pytest.approx(areas["frozen-line:swap-kharkiv"] - areas.get("frozen-line:swap-kursk", 0.0))


def test_nato_art4_zone_is_named_and_its_people_are_the_official_totals(build) -> None:
    result = build("nato-enlargement", {})
    zone = next(h for h in result.headlines if "Art. 4" in h.label)
    members = data.nato_members()
    after = members[members["accession_date"] > "1997-05-27"]["iso_a3"]
    totals = data.population_countries().set_index("iso_a3")["population"]
    drawn = [c for c in after if c in set(data.countries()["iso_a3"])]
    assert zone.people.value == sum(int(totals[c]) for c in drawn)
    # as of 1990 there is no post-1997 member, so no Art. 4 zone headline (not Belgium alone)
    old = build("nato-enlargement", {"as_of": "1990-01-01"})
    assert not any("Art. 4" in h.label for h in old.headlines)
    assert old.headlines[0].area_km2 < result.headlines[0].area_km2


def test_buffer_zone_sides_add_up_to_the_zone_and_move_with_width(build) -> None:
    for width in (50.0, 100.0):
        h = _by_label(build("buffer-zone", {"width_km": width}))
        assert h["NATO side"].area_km2 + h["Russian/Belarusian side"].area_km2 == pytest.approx(
            h["Buffer zone"].area_km2, rel=1e-3)
    assert _by_label(build("buffer-zone", {"width_km": 50.0}))["Buffer zone"].area_km2 < \
        _by_label(build("buffer-zone", {"width_km": 100.0}))["Buffer zone"].area_km2


def test_range_ring_headline_is_the_geodesic_disc_and_says_it_includes_sea(build) -> None:
    import math

    ring = build("range-rings", {"preset": "iskander"}).headlines[0]
    assert ring.note == "includes sea"
    # spherical cap of geodesic radius 500 km on a sphere of the authalic radius 6371.007 km
    r = 6371.007
    cap = 2 * math.pi * r**2 * (1 - math.cos(500 / r))
    assert ring.area_km2 == pytest.approx(cap, rel=5e-3)


def test_trans_dnieper_headline_moves_with_kyiv_regime(build) -> None:
    included = build("trans-dnieper", {"kyiv_regime": "included"}).headlines[0]
    separate = build("trans-dnieper", {}).headlines[0]
    kyiv = next(f for f in build("trans-dnieper", {}).features if f.role == "kyiv").figures.area_km2
    assert included.area_km2 - separate.area_km2 == pytest.approx(kyiv, rel=0.02)


def test_a_rule_without_its_features_gives_nothing() -> None:
    assert HeadlineRule("x", ids=("absent",)).evaluate("layer", []) == ()
