"""The dated history of the line of contact: built-in dates plus loaded lines, kept in the cache."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import DataFileError, ParameterError
from geo import loc_history as lh
from geo.frontline import frontline_on
from geo.loc_readers import read_line_file
from tests import _loc

BUILTIN_DATES = [dt.date(2022, 2, 23), dt.date(2022, 11, 12), dt.date(2025, 2, 12)]


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BUFFERZONE_CACHE_DIR", str(tmp_path))
    assert lh.history_dir() == tmp_path / "loc"
    monkeypatch.delenv("BUFFERZONE_CACHE_DIR")
    import platformdirs

    assert lh.history_dir() == Path(platformdirs.user_cache_dir("bufferzone", appauthor=False)) / "loc"


def test_a_fresh_history_is_the_built_in_dates() -> None:
    snaps = lh.history()
    assert [s.date for s in snaps] == BUILTIN_DATES
    assert all(s.approximate and s.source_key == "builtin" for s in snaps)


@pytest.mark.parametrize(("as_of", "date", "age"), [
    ("2022-03-15", "2022-02-23", 20),  # between snapshots: the older one, and how old it is
    ("2025-02-12", "2025-02-12", 0),
    ("2026-11-30", "2025-02-12", 656),
])
def test_the_as_of_date_picks_the_snapshot_on_or_before_it_and_says_its_age(as_of, date, age) -> None:
    front = frontline_on(dt.date.fromisoformat(as_of))
    assert front.date.isoformat() == date
    assert front.age_days == (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(date)).days == age
    assert front.stale == (age > 7)
    assert (front.staleness_note() is not None) == (age > 7)


def test_a_loaded_line_joins_the_history_and_a_new_session_sees_it(tmp_path) -> None:
    snap = lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=3)))
    assert snap.source_key == "deepstatemap" and snap.date == dt.date(2026, 11, 28)
    assert snap.area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(3)), abs=0.1)
    # a new interpreter with the same cache folder starts with it
    out = subprocess.run([sys.executable, "-c", "from geo import loc_history as h; "
                          "print([s.reference for s in h.history()][-1])"],
                         capture_output=True, text=True, check=True, env=os.environ.copy(),
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == snap.reference
    front = frontline_on(dt.date(2026, 11, 30))
    assert (front.date, front.source_key, front.age_days, front.stale) == (dt.date(2026, 11, 28), "deepstatemap", 2,
                                                                           False)
    assert front.properties()["loc_reference"] == snap.reference
    later = frontline_on(dt.date(2026, 12, 20))
    assert later.stale and "22 days older" in later.staleness_note()


def test_a_loaded_line_wins_over_the_built_in_one_on_the_same_date(tmp_path) -> None:
    snap = lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2025, 2, 12))))
    assert lh.pick(dt.date(2025, 3, 1)) == snap
    assert frontline_on(dt.date(2025, 2, 12)).source_key == "deepstatemap"


def test_adding_the_same_line_twice_keeps_one(tmp_path) -> None:
    path = _loc.daily_file(tmp_path, dt.date(2026, 11, 28))
    lh.add(read_line_file(path))
    lh.add(read_line_file(path))
    assert len([s for s in lh.history() if s.source_key == "deepstatemap"]) == 1


def test_references_resolve_and_unknown_ones_are_said_so(tmp_path) -> None:
    snap = lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))
    assert lh.resolve(snap.reference) == snap
    assert frontline_on(dt.date(2025, 1, 1), reference=snap.reference).date == dt.date(2026, 11, 28)
    missing = "deepstatemap:2026-11-30:0123456789abcdef"
    assert lh.resolve(missing) is None
    with pytest.raises(ParameterError, match=r"not in this history: fetch it \(bufferzone loc fetch --date 2026-11-30"):
        frontline_on(dt.date(2026, 11, 30), reference=missing)
    with pytest.raises(ParameterError, match="source:YYYY-MM-DD:hash"):
        lh.parse_reference("deepstatemap:2026-11-30")


def test_the_built_in_reference_is_stable_and_resolves() -> None:
    ref = frontline_on(dt.date(2025, 2, 12)).reference
    assert ref.startswith("builtin:2025-02-12:") and lh.resolve(ref) is not None


def test_content_hash_ignores_vertex_order_but_not_shape() -> None:
    a = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    rotated = shapely.Polygon([(1, 1), (0, 1), (0, 0), (1, 0)])
    reversed_ = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    assert lh.content_hash(a) == lh.content_hash(rotated) == lh.content_hash(reversed_)
    assert lh.content_hash(a) != lh.content_hash(shapely.box(0, 0, 1, 1.0001))


def test_a_tampered_stored_line_is_refused(tmp_path) -> None:
    snap = lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))
    (lh.history_dir() / f"{snap.content_hash}.wkb").write_bytes(shapely.to_wkb(shapely.box(37, 47, 38, 48)))
    with pytest.raises(DataFileError, match="has changed since it was loaded"):
        lh.occupied_of(snap)


def test_a_line_without_a_date_is_not_added(tmp_path) -> None:
    path = tmp_path / "occupied.geojson"
    path.write_text(_loc.json.dumps({"type": "Feature", "properties": {},
                                     "geometry": shapely.geometry.mapping(shapely.box(37, 47, 38, 48))}))
    with pytest.raises(ParameterError, match="carries no date"):
        lh.add(read_line_file(path))
    assert lh.add(read_line_file(path), date=dt.date(2026, 1, 5)).date == dt.date(2026, 1, 5)


def test_damaged_metadata_in_the_cache_is_skipped(tmp_path) -> None:
    lh.history_dir().mkdir(parents=True)
    (lh.history_dir() / "2026-01-01_file_0123456789abcdef.json").write_text("{not json")
    assert [s.date for s in lh.history()] == BUILTIN_DATES


def test_area_series_merges_daily_figures_and_snapshots(tmp_path) -> None:
    areas: list = []
    read_line_file(_loc.history_gz(tmp_path, days=10), areas=areas)
    lh.add_areas(areas, source_key="deepstatemap")
    series = lh.area_series()
    dsm = [(d, a) for d, s, a in series if s == "DeepStateMap"]
    assert len(dsm) == 10
    assert dsm[4][1] == pytest.approx(_loc.geodesic_km2(_loc.occupied(4)), abs=0.1)
    assert sum(1 for _, s, _ in series if s.startswith("Built-in")) == 3


def test_two_sessions_saving_daily_figures_at_once_lose_nothing() -> None:
    """Each save is its own file: saves racing from threads keep every point (no read-modify-write)."""
    import json
    import threading

    from geo.loc_readers import AreaPoint

    start = dt.date(2025, 1, 1)
    batches = [[AreaPoint(start + dt.timedelta(days=10 * i + k), 1000.0 * i + k) for k in range(10)]
               for i in range(8)]
    barrier = threading.Barrier(len(batches))

    def save(batch: list) -> None:
        barrier.wait()
        lh.add_areas(batch, source_key="deepstatemap")

    threads = [threading.Thread(target=save, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = {d: a for d, s, a in lh.area_series() if s == "DeepStateMap"}
    assert kept == {p.date: p.area_km2 for b in batches for p in b}
    # a chart file written by an earlier version is still read
    (lh.history_dir() / "areas.json").write_text(json.dumps({"deepstatemap": [["2024-06-01", 7.5]]}))
    assert {d: a for d, s, a in lh.area_series() if s == "DeepStateMap"}[dt.date(2024, 6, 1)] == 7.5


def _snap(day: dt.date, key: str, added: str) -> lh.Snapshot:
    return lh.Snapshot(day, key, "s", "a", f"{abs(hash((day, key, added))) % 16**16:016x}", 1.0,
                       key == "builtin", added or None)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(rows=st.lists(st.tuples(st.dates(dt.date(2022, 1, 1), dt.date(2027, 1, 1)),
                               st.sampled_from(["builtin", "deepstatemap", "file"]),
                               st.sampled_from(["", "2026-01-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"])),
                     min_size=1, max_size=12),
       as_of=st.dates(dt.date(2021, 6, 1), dt.date(2027, 6, 1)))
def test_pick_is_the_latest_on_or_before_with_loaded_lines_first_on_a_tie(rows, as_of) -> None:
    snaps = sorted((_snap(*r) for r in rows), key=lambda s: (s.date, s.source_key != "builtin", s.added or ""))
    eligible = [s for s in snaps if s.date <= as_of]
    if not eligible:
        with pytest.raises(ParameterError, match="no line of contact"):
            lh.pick(as_of, snapshots=snaps)
        return
    chosen = lh.pick(as_of, snapshots=snaps)
    latest = max(s.date for s in eligible)
    assert chosen.date == latest and chosen.age_days(as_of) == (as_of - latest).days >= 0
    same_day = [s for s in eligible if s.date == latest]
    if any(s.source_key != "builtin" for s in same_day):
        assert chosen.source_key != "builtin"
        assert (chosen.added or "") == max(s.added or "" for s in same_day if s.source_key != "builtin")


def test_a_loaded_line_keeps_its_area_as_drawn_beside_the_clipped_one(tmp_path) -> None:
    from geo.geodesy import area_km2

    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=6)))
    front = frontline_on(dt.date(2026, 11, 30))
    assert area_km2(front.occupied_as_drawn) == pytest.approx(_loc.geodesic_km2(_loc.occupied(6)), rel=1e-6)
    assert area_km2(front.occupied) < area_km2(front.occupied_as_drawn)  # Crimea's box reaches into the sea
    assert frontline_on(dt.date(2025, 2, 12)).occupied_as_drawn is None  # the built-in line is drawn on the land
