"""The app's line-of-contact section: the snapshot in use, stale warnings with the fetch action,
loading and fetching (from a loopback server), links to lines the recipient lacks, the area chart.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pytest

import layers
from geo import loc_history as lh
from geo.loc_readers import read_line_file
from tests import _loc
from tests.app.conftest import figures_frame, open_app, run
from tests.app.test_app import assert_matches, shown_figures, unescape, upload


def _chart_data(tab) -> pd.DataFrame:
    """The rows the app sent to the occupied-area chart (the Arrow dataset of its Vega-Lite element)."""
    proto = tab.get("vega_lite_chart")[0].proto
    return pa.ipc.open_stream(proto.datasets[0].data.data).read_all().to_pandas()


def _texts(elements) -> list[str]:
    return [unescape(e.value) for e in elements]


def test_a_stale_line_is_warned_with_date_age_and_the_fetch_action() -> None:
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
    assert any("Stale line of contact: 2025-02-12, 656 days older than the as-of date 2026-11-30" in w
               for w in _texts(at.warning))
    assert any("Stale: the line in use is of 2025-02-12, 656 days older" in w for w in _texts(at.sidebar.warning))
    assert at.button(key="fetch:frozen-line").label == "Fetch the newest DeepStateMap line"
    assert at.button(key="w:loc_fetch").label == "Fetch the newest DeepStateMap line"


def test_a_current_line_is_not_warned() -> None:
    at = run(open_app({"layers": "frozen-line", "date": "2025-02-14"}))
    assert not any("Stale" in w for w in _texts(at.warning) + _texts(at.sidebar.warning))
    assert any("2 day(s) before the as-of date" in c for c in _texts(at.caption))


def test_fetch_from_a_loopback_mirror_moves_to_the_newest_line(tmp_path, monkeypatch) -> None:
    root = tmp_path / "served"
    root.mkdir()
    _loc.history_gz(root, days=25, first=dt.date(2026, 11, 6))  # up to 30 Nov 2026
    with _loc.serve(root) as base:
        monkeypatch.setenv("BUFFERZONE_LOC_MIRROR", base)
        at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
        at.button(key="w:loc_fetch").click()
        run(at)
    assert any("Fetched DeepStateMap 2026-11-30" in c for c in _texts(at.sidebar.caption))
    assert not any("Stale" in w for w in _texts(at.warning))
    expected = layers.build("frozen-line", {"as_of": "2026-11-30"})
    assert expected.common_properties()["loc_source_key"] == "deepstatemap"
    assert_matches(shown_figures(at.tabs[0]), expected)
    assert at.query_params["loc"].startswith("deepstatemap:2026-11-30:")


def test_fetch_offline_says_so_and_changes_nothing(monkeypatch) -> None:
    monkeypatch.setenv("BUFFERZONE_LOC_MIRROR", "http://127.0.0.1:9/")  # nothing listens on port 9
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
    before = shown_figures(at.tabs[0])
    at.button(key="w:loc_fetch").click()
    run(at)
    errors = _texts(at.sidebar.error)
    assert len(errors) == 1 and "offline?" in errors[0]
    assert shown_figures(at.tabs[0]) == before and [s.source_key for s in lh.history()] == ["builtin"] * 3


def test_a_link_to_a_line_the_recipient_lacks_says_so_and_offers_to_load_it(tmp_path) -> None:
    daily = _loc.daily_file(tmp_path, dt.date(2026, 11, 28), i=4)
    ref = "deepstatemap:2026-11-28:" + lh.content_hash(_loc.occupied(4))
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30", "loc": ref}))
    assert any("not in your history" in w for w in _texts(at.warning) + _texts(at.sidebar.warning))
    assert any("not in this history" in e for e in _texts(at.error))  # no figures from another line
    assert not at.metric
    upload(at, "w:front_file", daily.name, daily.read_bytes())
    assert not at.error
    assert_matches(shown_figures(at.tabs[0]), layers.build("frozen-line", {"as_of": "2026-11-30", "snapshot": ref}))


def test_an_uploaded_line_is_labelled_with_its_own_date(tmp_path) -> None:
    daily = _loc.daily_file(tmp_path, dt.date(2026, 10, 1))
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
    upload(at, "w:front_file", daily.name, daily.read_bytes())
    table = figures_frame(at.tabs[0]).reset_index()
    assert any("2026-10-01" in name for name in table["feature"]) and not any("2025" in n for n in table["feature"])
    assert any("Stale line of contact: 2026-10-01, 60 days" in w for w in _texts(at.warning))


@pytest.mark.parametrize("name", ["frozen-line", "trans-dnieper"])
def test_the_occupied_area_chart_renders(name) -> None:
    at = run(open_app({"layers": name}))
    assert any(e.label == "Occupied area over time (the history)" for e in at.tabs[0].expander)
    charts = at.tabs[0].get("vega_lite_chart")
    assert len(charts) == 1 and "km²" in json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)


def test_an_uploaded_history_feeds_the_chart_and_uses_its_latest_day(tmp_path) -> None:
    history = _loc.history_gz(tmp_path, days=12, first=dt.date(2026, 11, 19))  # to 30 Nov 2026
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
    upload(at, "w:front_file", history.name, history.read_bytes())
    assert not any("Stale" in w for w in _texts(at.warning))
    assert len([r for r in lh.area_series() if r[1] == "DeepStateMap"]) == 12
    shown = _chart_data(at.tabs[0])
    dsm = shown[shown["source"] == "DeepStateMap"].sort_values("date")
    assert len(dsm) == 12
    assert dsm["km²"].iloc[-1] == pytest.approx(_loc.geodesic_km2(_loc.occupied(11)), abs=0.1)
    assert at.query_params["loc"].startswith("deepstatemap:2026-11-30:")


def test_two_clicks_from_a_fresh_page_to_the_dmz_along_the_newest_line(tmp_path, monkeypatch) -> None:
    root = tmp_path / "served"
    root.mkdir()
    _loc.history_gz(root, days=5, first=dt.date(2026, 11, 26))  # to 30 Nov 2026
    with _loc.serve(root) as base:
        monkeypatch.setenv("BUFFERZONE_LOC_MIRROR", base)
        at = run(open_app())
        at.multiselect(key="w:layers").set_value(["frozen-line"])  # click 1: the proposal
        run(at)
        at.button(key="fetch:frozen-line").click()  # click 2: the newest line (not stale, still offered)
        run(at)
    assert at.date_input(key="w:as_of").value == dt.date(2026, 11, 30)
    expected = layers.build("frozen-line", {"as_of": "2026-11-30"})
    table = figures_frame(at.tabs[0]).reset_index()
    for side in ("dmz-ua", "dmz-ru"):
        f = next(f for f in expected.features if f.id.endswith(side))
        row = table[table["feature"] == f.name].iloc[0]
        people, km2 = (float(str(row[c]).split(" ")[0].replace(",", "")) for c in ("people", "km²"))
        assert people == f.figures.people.value and km2 == pytest.approx(f.figures.area_km2)
    assert expected.common_properties()["loc_date"] == "2026-11-30"


def test_the_page_credits_the_line_in_use(tmp_path) -> None:
    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))
    at = run(open_app({"layers": "frozen-line", "date": "2026-11-30"}))
    footer = next(c for c in _texts(at.main.caption) if c.startswith("Natural Earth"))
    assert "DeepStateMap (deepstatemap.live)" in footer and "approximate own digitisation" not in footer
    at = run(open_app({"layers": "frozen-line", "date": "2025-02-12"}))
    assert "approximate own digitisation" in next(c for c in _texts(at.main.caption) if c.startswith("Natural Earth"))


def test_what_changed_hands_is_rebuilt_when_a_line_is_loaded(tmp_path) -> None:
    query = {"layers": "loc-change", "loc-change.from": "2022-11-12", "loc-change.to": "2026-11-30"}
    at = run(open_app(query))
    assert any("2025-02-12" in name for name in figures_frame(at.tabs[0]).reset_index()["feature"])
    lh.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))  # as another session would
    run(at)
    expected = layers.build("loc-change", {"from": "2022-11-12", "to": "2026-11-30"})
    table = figures_frame(at.tabs[0]).reset_index()
    assert set(table["feature"]) == {f.name for f in expected.features}
    assert any("2026-11-28" in name for name in table["feature"])
