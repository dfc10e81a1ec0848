"""The vendored data set is exactly what data/build.py recorded, small, and loads cleanly."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from geo import data, settings
from geo._errors import DataFileError

DATA = Path(__file__).resolve().parent.parent / "data"
LOADERS = [data.countries, data.admin1, data.settlements, data.dnieper, data.reservoirs]


def _recorded_outputs() -> dict[str, str]:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## Vendored outputs", 1)[1]
    return dict(re.findall(r"\| `([\w.]+\.parquet)` \| \d+ \| \d+ \| `([0-9a-f]{64})` \|", section))


def test_every_vendored_file_matches_the_checksum_the_build_recorded() -> None:
    recorded = _recorded_outputs()
    on_disk = sorted(p.name for p in DATA.glob("*.parquet"))
    assert sorted(recorded) == on_disk
    for name, digest in recorded.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_hand_entered_tables_match_their_recorded_checksums() -> None:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `(sources/[^`]+)` \| `([0-9a-f]{64})` \|", text)
    assert len(rows) >= 5
    for rel, digest in rows:
        assert hashlib.sha256((DATA / rel).read_bytes()).hexdigest() == digest, rel


def test_data_set_is_well_under_ten_megabytes() -> None:
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 10 * 1024 * 1024


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_loaders_return_valid_lonlat_frames(loader) -> None:
    gdf = loader()
    assert len(gdf) > 0
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    xmin, ymin, xmax, ymax = gdf.total_bounds
    assert -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90


def test_loaders_return_independent_copies() -> None:
    first = data.countries()
    first.loc[:, "name"] = "changed"
    assert (data.countries()["name"] != "changed").all()


def test_missing_file_gives_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    data._read_geo.cache_clear()
    try:
        with pytest.raises(DataFileError, match="not found.*git checkout -- data"):
            data.countries()
    finally:
        data._read_geo.cache_clear()


def test_corrupt_file_gives_a_clear_error(tmp_path, monkeypatch) -> None:
    shutil.copytree(DATA / "sources", tmp_path / "sources")
    (tmp_path / "countries.parquet").write_bytes(b"PAR1 this is not parquet")
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    data._read_geo.cache_clear()
    try:
        with pytest.raises(DataFileError, match="cannot be read"):
            data.countries()
    finally:
        data._read_geo.cache_clear()
