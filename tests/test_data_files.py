"""The vendored data set is exactly what data/build.py recorded, small, and loads cleanly."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo import data, settings
from geo._errors import DataFileError
from geo.population import unit_groups

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


@pytest.mark.parametrize("loader", [data.population_admin1, data.population_countries], ids=lambda f: f.__name__)
def test_a_figure_whose_date_is_not_a_date_is_refused(tmp_path, monkeypatch, loader) -> None:
    # a row with its reference_date left out shifts the source into the date column
    shutil.copytree(DATA / "sources", tmp_path / "sources")
    name = {"population_admin1": "population_admin1.csv", "population_countries": "population_countries.csv"}
    path = tmp_path / "sources" / name[loader.__name__]
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    lines[3] = ",".join(fields[:3] + ['"Some statistics office"', '"a note"'])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    data._read_csv.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"reference_date of row 3 is 'Some statistics office', not a date"):
            loader()
    finally:
        data._read_csv.cache_clear()


@pytest.mark.parametrize("written", ["2024-1-1", "1/1/2024", "2024-01-01T00:00"])
def test_a_date_not_written_yyyy_mm_dd_is_refused(written: str) -> None:
    frame = pd.DataFrame({"reference_date": ["2024-01-01", written]})
    with pytest.raises(DataFileError, match=rf"reference_date of row 2 is '{re.escape(written)}'"):
        data.check_dates(frame, "example.csv", "reference_date")
    data.check_dates(frame.iloc[:1], "example.csv", "reference_date")  # the well-written row passes


def test_every_shipped_figure_has_a_date() -> None:
    for loader in (data.population_admin1, data.population_countries, unit_groups):
        dates = pd.to_datetime(loader()["reference_date"], format="%Y-%m-%d")
        assert dates.between("2001-01-01", "2026-12-31").all(), loader.__name__
