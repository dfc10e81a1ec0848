"""Layers on the line of contact use the history: which snapshot, its date, source and age on every output."""

from __future__ import annotations

import datetime as dt

import pytest

import layers
from geo import ParameterError
from geo import loc_history as lh
from geo.loc_readers import read_line_file
from tests import _loc

from ._helpers import geodesic_area_km2

FRONT_LAYERS = ("frozen-line", "trans-dnieper")


@pytest.mark.parametrize("name", FRONT_LAYERS)
def test_every_feature_says_which_line_and_how_old(name) -> None:
    result = layers.build(name, {"as_of": "2026-11-30"})
    for f in result.geojson()["features"]:
        p = f["properties"]
        assert (p["loc_date"], p["loc_source_key"], p["loc_age_days"], p["loc_stale"]) == \
            ("2025-02-12", "builtin", 656, True)
        assert p["loc_reference"].startswith("builtin:2025-02-12:")
        assert any("own approximate digitisation" in c for c in p["sources"])
    assert "656 days older" in result.notes[0]
    frame = result.figures()
    assert set(frame["loc_age_days"]) == {656}


@pytest.mark.parametrize("name", FRONT_LAYERS)
def test_a_fresh_line_is_not_called_stale(name) -> None:
    result = layers.build(name, {"as_of": "2025-02-15"})
    assert not any("Stale" in n for n in result.notes)
    assert result.geojson()["features"][0]["properties"]["loc_age_days"] == 3


def test_a_loaded_line_is_used_and_labelled_with_its_own_date(tmp_path) -> None:
    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=2)))
    result = layers.build("frozen-line", {"as_of": "2026-11-30", "dmz_km": 0})
    occupied = next(f for f in result.features if f.id.endswith(":occupied"))
    assert "2026-11-28" in occupied.name and "DeepStateMap" in occupied.name and "2025" not in occupied.name
    assert occupied.figures.area_km2 == pytest.approx(
        geodesic_area_km2(occupied.geometry), rel=1e-4)
    common = result.common_properties()
    assert (common["loc_date"], common["loc_age_days"], common["loc_stale"]) == ("2026-11-28", 2, False)
    assert "DeepStateMap" in common["loc_attribution"]
    assert not result.approximate
    # cited: the line actually used, not the built-in digitisation
    assert not any("own approximate digitisation" in c for c in common["sources"])
    assert any("DeepStateMap" in c and common["loc_reference"] in c for c in common["sources"])
    assert any("Korybko" in c for c in common["sources"])
    # the short form the images print is carried by the Source, not looked up in the registry
    used = next(s for s in result.sources if s.key == "line-of-contact")
    assert used.short == common["loc_attribution"] and "DeepStateMap" in used.short


def test_an_unresolvable_snapshot_is_an_error_not_a_silent_fallback() -> None:
    with pytest.raises(ParameterError, match="not in this history"):
        layers.build("trans-dnieper", {"as_of": "2026-11-30", "snapshot": "file:2026-11-30:0123456789abcdef"})


def test_an_occupied_file_is_labelled_with_its_own_date(tmp_path) -> None:
    path = _loc.daily_file(tmp_path, dt.date(2026, 10, 1))
    result = layers.build("frozen-line", {"occupied_file": str(path), "as_of": "2026-11-30", "dmz_km": 0})
    occupied = next(f for f in result.features if f.id.endswith(":occupied"))
    assert "2026-10-01" in occupied.name
    assert result.common_properties()["loc_age_days"] == 60
    assert any("Stale" in n for n in result.notes)


def test_what_changed_hands_uses_the_history_and_says_how_old_each_line_is(tmp_path) -> None:
    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=2)))
    result = layers.build("loc-change", {"from": "2025-02-12", "to": "2026-12-20"})
    common = result.common_properties()
    assert (common["loc_date"], common["loc_source_key"], common["loc_age_days"], common["loc_stale"]) == \
        ("2026-11-28", "deepstatemap", 22, True)
    assert (common["loc_from_date"], common["loc_from_age_days"], common["loc_from_stale"]) == ("2025-02-12", 0, False)
    assert result.notes[0].startswith("Stale line of contact: the line used is of 2026-11-28, 22 days older")
