"""The shipped ``data/derived/`` is up to date with the data set and equals what the modules compute.

``geo.derived`` hands the stored land partition, zone table and settlement placement to
:mod:`geo.partition` and :mod:`geo.population` only while its manifest matches the data.
These tests fail when ``data/*.parquet`` or the population tables changed without
``python data/derive.py`` (the shipped cache would then be ignored and every process cold),
and compare the stored tables with a fresh computation from the data set (the second method:
the modules' own code path without the cache).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo import derived, partition, population

DATA = Path(__file__).resolve().parent.parent / "data"
DERIVED = DATA / "derived"


def _manifest() -> dict:
    return json.loads((DERIVED / derived.MANIFEST).read_text(encoding="utf-8"))


def test_the_manifest_matches_the_data_set_run_data_derive_py_if_not() -> None:
    manifest = _manifest()
    now = {name: hashlib.sha256((DATA / name).read_bytes()).hexdigest() for name in derived.INPUTS}
    assert manifest["inputs"] == now, "data changed since data/derive.py ran: run `python data/derive.py`"
    assert manifest["parameters"] == derived.parameters(), "settings changed: run `python data/derive.py`"
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((DERIVED / name).read_bytes()).hexdigest() == digest, name


def test_every_stored_table_is_in_use() -> None:
    for name in ("pieces", "zones", "settlements"):
        assert derived.table(name) is not None, name


def test_stored_pieces_are_the_computed_partition() -> None:
    stored, computed = derived.table("pieces"), partition.pieces_table()
    assert len(stored) == len(computed) > 1000
    assert (stored["iso_a3"].to_numpy() == computed["iso_a3"].to_numpy()).all()
    assert pd.Series(stored["adm1_code"]).fillna("-").tolist() == pd.Series(computed["adm1_code"]).fillna("-").tolist()
    np.testing.assert_array_equal(stored["area_km2"].to_numpy(), computed["area_km2"].to_numpy())
    # geometry: every 50th piece compared exactly (WKB is lossless), all of them by area
    sample = slice(None, None, 50)
    a = shapely.from_wkb(stored["geometry"].to_numpy()[sample])
    b = shapely.from_wkb(computed["geometry"].to_numpy()[sample])
    assert shapely.equals_exact(a, b, tolerance=0).all()


def test_stored_zones_are_the_computed_zones() -> None:
    stored, computed = derived.zones(), population.zones_computed()
    pd.testing.assert_frame_equal(stored.drop(columns="geometry"), computed.drop(columns="geometry"))
    assert shapely.equals_exact(stored.geometry.values, computed.geometry.values, tolerance=0).all()


def test_stored_settlement_placement_is_the_computed_one() -> None:
    table = population._settlement_table()
    stored = derived.table("settlements")  # row for row with the table (largest first)
    assert len(stored) == len(table) > 80_000
    sample = table.sample(2000, random_state=17)
    fresh = population.settlement_placement(sample)
    np.testing.assert_array_equal(stored["weight"].to_numpy()[sample.index], fresh["weight"].to_numpy())
    np.testing.assert_array_equal(stored["piece"].to_numpy()[sample.index], fresh["piece"].to_numpy())
    assert (stored["weight"] < 1).any() and (stored["piece"] >= 0).mean() > 0.9  # the sample tests something


def test_a_stale_manifest_is_not_used(tmp_path, monkeypatch) -> None:
    """Changed data (here: one population total) makes the stored tables stale; they are then ignored."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("geo.settings.DATA_DIR", copy)
    derived._manifest_ok.cache_clear()
    try:
        assert derived.table("zones") is not None
        csv = copy / "sources" / "population_admin1.csv"
        csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        derived._manifest_ok.cache_clear()
        assert derived.table("zones") is None and derived.zones() is None
    finally:
        derived._manifest_ok.cache_clear()
