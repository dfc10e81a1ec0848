"""Readers of occupied-area files: DeepStateMap's daily file, streamed history and own JSON; ISW files."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
import shapely

from geo import InputError
from geo import loc_readers as lr
from tests import _loc


def test_daily_file_dated_by_its_name_and_measured_as_drawn(tmp_path) -> None:
    path = _loc.daily_file(tmp_path, dt.date(2026, 11, 30), i=5)
    line = lr.read_deepstate_daily(path)
    assert line.date == dt.date(2026, 11, 30)
    assert line.source_key == "deepstatemap" and "deepstatemap_data_20261130" in line.source
    assert "DeepStateMap" in line.attribution
    assert line.area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(5)), rel=1e-6)


def test_daily_file_date_given_by_the_user_wins(tmp_path) -> None:
    path = _loc.daily_file(tmp_path, dt.date(2026, 11, 30))
    assert lr.read_deepstate_daily(path.read_bytes(), filename="x.geojson", date=dt.date(2026, 1, 2)).date == \
        dt.date(2026, 1, 2)
    assert lr.read_deepstate_daily(path.read_bytes(), filename="upload.geojson").date is None


@pytest.mark.parametrize(("name", "expected"), [
    ("deepstatemap_data_20250212.geojson", dt.date(2025, 2, 12)),
    ("isw-control-2025-11-30.kmz", dt.date(2025, 11, 30)),
    ("occupied.geojson", None),
    ("deepstatemap_data_20251340.geojson", None),  # no 40th of a 13th month
])
def test_date_from_name(name, expected) -> None:
    assert lr.date_from_name(name) == expected


def test_history_is_streamed_and_only_kept_days_become_polygons(tmp_path, monkeypatch) -> None:
    path = _loc.history_gz(tmp_path, days=40)
    built = []
    real = lr._read_polygons
    monkeypatch.setattr(lr, "_read_polygons", lambda *a, **k: built.append(k.get("date")) or real(*a, **k))
    wanted = {dt.date(2024, 7, 10), dt.date(2024, 8, 1)}
    areas: list[lr.AreaPoint] = []
    lines = list(lr.iter_deepstate_history(path, keep=wanted.__contains__, areas=areas))
    assert [line.date for line in lines] == sorted(wanted)
    assert sorted(built) == sorted(wanted)  # the other 38 days were never turned into checked polygons
    assert len(areas) == 40  # but every day's km² was collected for the chart
    for i in (0, 17, 39):
        assert areas[i].date == _loc.FIRST_DAY + dt.timedelta(days=i)
        assert areas[i].area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(i)), rel=1e-6)
    assert lines[1].area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(24)), rel=1e-6)


def test_history_picks_the_latest_day_or_the_one_on_or_before_a_date(tmp_path) -> None:
    path = _loc.history_gz(tmp_path, days=30)
    latest = lr.read_line_file(path)
    assert latest.date == _loc.FIRST_DAY + dt.timedelta(days=29)
    assert latest.area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(29)), rel=1e-6)
    on = lr.read_line_file(path, date=dt.date(2024, 7, 20))
    assert on.date == dt.date(2024, 7, 20) and "latest on or before 2024-07-20" in on.notes[0]
    with pytest.raises(InputError, match="no day on or before 2024-01-01"):
        lr.read_line_file(path, date=dt.date(2024, 1, 1))


def test_history_without_dates_is_refused_on_one_line(tmp_path) -> None:
    doc = _loc.history_doc(3)
    del doc["features"][1]["properties"]["date"]
    path = tmp_path / "deepstate-map-data.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    with pytest.raises(InputError, match=r"feature 1 has no valid \"date\"") as err:
        lr.read_line_file(path)
    assert "\n" not in str(err.value)


def test_history_decompression_bomb_is_refused(tmp_path) -> None:
    path = tmp_path / "deepstate-map-data.geojson.gz"
    path.write_bytes(gzip.compress(b'{"type": "FeatureCollection", "features": [' + b" " * 5_000_000 + b"]}"))
    assert path.stat().st_size * 100 < 5_000_000  # a ratio far over 100:1
    with pytest.raises(InputError, match="decompresses to more than"):
        lr.read_line_file(path)


def test_truncated_history_is_an_input_error(tmp_path) -> None:
    full = gzip.compress(json.dumps(_loc.history_doc(5)).encode())
    path = tmp_path / "deepstate-map-data.geojson.gz"
    path.write_bytes(full[: len(full) // 2])
    with pytest.raises(InputError):
        lr.read_line_file(path)


def test_deepstate_api_json_takes_the_occupied_polygons_and_says_which(tmp_path) -> None:
    path = tmp_path / "history-last.json"
    path.write_text(json.dumps(_loc.api_doc(dt.date(2026, 11, 30))), encoding="utf-8")
    line = lr.read_line_file(path)
    assert line.date == dt.date(2026, 11, 30) and line.source_key == "deepstatemap"
    assert line.area_km2 == pytest.approx(_loc.geodesic_km2(_loc.api_occupied()), rel=1e-6)
    taken, left = line.notes[0], line.notes[1]
    assert all(n in taken for n in ("Occupied", "CADR and CALR", "Occupied Crimea"))
    assert all(n in left for n in ("Liberated", "Unknown", "Bakhmut (Point)"))
    assert "Liberated" not in taken


def test_deepstate_api_json_without_occupied_areas_is_refused() -> None:
    doc = _loc.api_doc(dt.date(2026, 11, 30))
    doc["map"]["features"] = doc["map"]["features"][3:]
    with pytest.raises(InputError, match="no occupied-area polygons"):
        lr.read_deepstate_api(json.dumps(doc).encode(), filename="last.json")


def test_epoch_datetime_in_api_json() -> None:
    doc = _loc.api_doc(dt.date(2026, 11, 30))
    doc["datetime"] = int(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC).timestamp() * 1000)
    assert lr.read_deepstate_api(doc).date == dt.date(2026, 11, 30)


def test_isw_kmz_and_zipped_shapefile_are_read_with_the_date_in_their_name(tmp_path) -> None:
    box = shapely.box(36.5, 47.0, 39.0, 48.8)
    for path in (_loc.kmz(tmp_path, "isw_control_2025-11-30.kmz", box),
                 _loc.zipped_shapefile(tmp_path, "isw_control_20251130.zip", box)):
        line = lr.read_line_file(path)
        assert line.date == dt.date(2025, 11, 30), path.name
        assert line.source_key == "file"
        assert line.area_km2 == pytest.approx(_loc.geodesic_km2(box), rel=1e-6)


def test_any_polygon_file_without_a_date_says_so(tmp_path) -> None:
    path = tmp_path / "occupied.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {},
                                "geometry": shapely.geometry.mapping(shapely.box(37, 47, 38, 48))}))
    line = lr.read_line_file(path)
    assert line.date is None and any("carries no date" in n for n in line.notes)


def test_a_file_of_points_only_is_refused(tmp_path) -> None:
    path = tmp_path / "points_20250101.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                                                 "coordinates": [37, 48]}}))
    with pytest.raises(InputError, match="holds no polygons"):
        lr.read_line_file(path)
