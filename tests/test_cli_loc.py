"""``bufferzone loc list | fetch | import | show`` and fetching from a loopback HTTP server (no internet)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo import loc_history as lh
from tests import _loc
from tests._cli import run


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server serving a folder; yields (base URL, folder)."""
    root = tmp_path / "served"
    (root / "data").mkdir(parents=True)
    with _loc.serve(root) as base:
        yield base, root


def test_list_shows_the_built_in_dates(capsys) -> None:
    code, out, err = run(["loc", "list", "--json"], capsys)
    assert code == 0 and not err
    rows = json.loads(out)
    assert [r["date"] for r in rows] == ["2022-02-23", "2022-11-12", "2025-02-12"]
    assert all(r["approximate"] and r["reference"].startswith("builtin:") for r in rows)


def test_show_says_date_source_and_age_and_warns_when_stale(capsys) -> None:
    code, out, err = run(["loc", "show", "2026-11-30", "--json"], capsys)
    assert code == 0
    info = json.loads(out)
    assert (info["date"], info["age_days"], info["stale"]) == ("2025-02-12", 656, True)
    assert err.startswith("note: Stale line of contact") and err.count("\n") == 1
    code, out, err = run(["loc", "show", "2025-02-14"], capsys)
    assert code == 0 and "2 day(s) before" in out and not err


@pytest.mark.parametrize(("argv", "message"), [
    (["loc", "show", "2021-06-01"], "first date is 2022-02-23"),
    (["loc", "show", "30.11.2026"], "DATE expects a date YYYY-MM-DD"),
    (["loc", "import", "missing.geojson"], "does not exist"),
    (["loc", "import", "x.geojson", "--date", "yesterday"], "--date expects a date"),
    (["loc", "fetch", "--url", "file:///etc/passwd"], "must start with http"),
    (["loc"], "required"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_import_adds_to_the_history_and_build_uses_it(tmp_path, capsys) -> None:
    path = _loc.daily_file(tmp_path, dt.date(2026, 11, 28))
    code, out, err = run(["loc", "import", str(path)], capsys)
    assert code == 0 and "added DeepStateMap 2026-11-28" in out
    reference = out.split("reference: ")[1].split()[0]
    assert lh.resolve(reference) is not None
    code, out, _ = run(["loc", "show", "2026-11-30"], capsys)
    assert reference in out and "2 day(s) before" in out
    target = tmp_path / "front.geojson"
    code, _, err = run(["build", "frozen-line", "--date", "2026-11-30", "--set", "dmz_km=0", "-o", str(target)],
                       capsys)
    assert code == 0 and "Stale" not in err
    props = json.loads(target.read_text())["features"][0]["properties"]
    assert (props["loc_date"], props["loc_source_key"], props["loc_age_days"]) == ("2026-11-28", "deepstatemap", 2)


def test_import_of_an_undated_file_asks_for_the_date(tmp_path, capsys) -> None:
    path = tmp_path / "occupied.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[37, 47], [38, 47], [38, 48], [37, 48], [37, 47]]]}}))
    code, _, err = run(["loc", "import", str(path)], capsys)
    assert code == 2 and "carries no date" in err.splitlines()[-1]
    code, out, _ = run(["loc", "import", str(path), "--date", "2026-06-01"], capsys)
    assert code == 0 and "File 2026-06-01" in out


def test_build_on_a_stale_line_notes_it_on_stderr(tmp_path, capsys) -> None:
    target = tmp_path / "region.geojson"
    code, _, err = run(["build", "trans-dnieper", "--date", "2026-11-30", "-o", str(target)], capsys)
    assert code == 0 and "note: Stale line of contact" in err and "656 days older" in err
    assert all(f["properties"]["loc_stale"] for f in json.loads(target.read_text())["features"])


def test_fetch_the_history_from_a_loopback_server(server, monkeypatch, capsys) -> None:
    base, root = server
    _loc.history_gz(root, days=25, first=dt.date(2026, 11, 6))  # 6 Nov .. 30 Nov 2026
    monkeypatch.setenv("BUFFERZONE_LOC_MIRROR", base)
    code, out, err = run(["loc", "fetch"], capsys)
    assert code == 0, err
    assert "added DeepStateMap 2026-11-30" in out and "25 days' km²" in out and "DeepStateMap" in out
    snap = lh.pick(dt.date(2026, 11, 30))
    assert snap.source_key == "deepstatemap" and snap.url == base + "deepstate-map-data.geojson.gz"
    assert snap.area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(24)), abs=0.1)
    assert len([a for a in lh.area_series() if a[1] == "DeepStateMap"]) == 25


def test_fetch_a_day_from_a_loopback_server(server, monkeypatch, capsys) -> None:
    base, root = server
    _loc.daily_file(root / "data", dt.date(2026, 11, 30), i=7)
    monkeypatch.setenv("BUFFERZONE_LOC_MIRROR", base)
    code, out, err = run(["loc", "fetch", "--date", "2026-11-30"], capsys)
    assert code == 0, err
    assert lh.pick(dt.date(2026, 12, 1)).area_km2 == pytest.approx(_loc.geodesic_km2(_loc.occupied(7)), abs=0.1)
    code, out, err = run(["loc", "fetch", "--date", "2026-12-01"], capsys)  # not served
    assert code == 2 and "HTTP 404" in err and "nothing was changed" in err and err.count("\n") == 1


def test_fetch_offline_is_one_line_and_changes_nothing(server, capsys) -> None:
    base, _ = server
    before = lh.history()
    dead = "http://127.0.0.1:9/deepstate-map-data.geojson.gz"  # port 9 (discard): nothing listens
    code, out, err = run(["loc", "fetch", "--url", dead], capsys)
    assert code == 2 and "offline?" in err and err.count("\n") == 1 and not out
    assert lh.history() == before and not lh.history_dir().exists()


def test_fetch_of_something_that_is_not_a_line_changes_nothing(server, capsys) -> None:
    base, root = server
    (root / "page.html").write_text("<html>not a line</html>")
    code, _, err = run(["loc", "fetch", "--url", base + "page.html"], capsys)
    assert code == 2 and "not a line-of-contact file" in err and err.count("\n") == 1
    assert [s.source_key for s in lh.history()] == ["builtin"] * 3


def test_scenario_naming_a_line_this_history_lacks_exits_2_and_says_so(tmp_path, capsys) -> None:
    doc = {"type": "bufferzone-scenario", "version": 1, "as_of": "2026-11-30", "view": "front",
           "loc": "deepstatemap:2026-11-30:0123456789abcdef", "layers": [{"name": "frozen-line", "parameters": {}}]}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    code, out, err = run(["scenario", str(path), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and "not in your history" in err and "bufferzone loc fetch --date 2026-11-30" in err
    assert "Traceback" not in err and not (tmp_path / "out" / "frozen-line.geojson").exists()


def test_fetch_refuses_a_redirect_away_from_http(tmp_path, capsys) -> None:
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/deepstate-map-data.geojson.gz")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        code, _, err = run(["loc", "fetch", "--url", f"http://127.0.0.1:{httpd.server_address[1]}/x.gz"], capsys)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert code == 2 and "not http(s)" in err and err.count("\n") == 1
