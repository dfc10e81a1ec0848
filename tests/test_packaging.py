"""The built wheel is a working package: every CLI command runs from it, the core without the
app's or the raster's extras, and ``bufferzone app`` serves the web app shipped inside it.

Before: the wheel had no ``data/`` and no ``static/``, so ``bufferzone build`` from an
installed package exited 2 with "data file 'settlements.parquet' not found"; and the web app
(``app.py`` at the checkout's root) was not in the wheel at all. An sdist is built from this
checkout, the wheel from the sdist (the path ``python -m build`` takes), installed into a
fresh folder once for this module, and run from a folder that is not the checkout, with its
own HOME and cache folder. The core run has Streamlit, rasterio and exactextract made
unimportable; the installed package must use its shipped ``data/derived`` tables.

The commands run are the ones the installed CLI's own argparse parser declares, so a new
command without a check here fails :func:`test_every_command_of_the_installed_cli_has_a_check`.
Every command of the core runs in one process; each check compares with an independent
reference (pyproj directly, the layer modules' own names, the synthetic line's area).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib
import json
import math
import os
import pkgutil
import re
import signal
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyogrio
import pytest
import shapely
from pyproj import Geod

from tests import _loc
from tests._server import free_port

ROOT = Path(__file__).resolve().parent.parent
GEOD = Geod(ellps="WGS84")
EXTRAS = ("streamlit", "streamlit_folium", "altair", "rasterio", "exactextract")

#: Runs a plan of CLI invocations in one process of the installed package and writes what each
#: printed; first checks that the package (not this checkout) is imported and its derived tables used.
DRIVER = r"""
import argparse, contextlib, io, json, sys
site, plan, blocked, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
for name in filter(None, blocked.split(",")):
    sys.modules[name] = None
import geo
assert geo.__file__.startswith(site), geo.__file__
from geo import derived
assert all(derived.table(n) is not None for n in ("pieces", "zones", "settlements")), "derived tables unused"
from bufferzone import cli

def paths(parser, prefix=()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [" ".join(prefix)]
    return [p for a in subs for name, sub in a.choices.items() for p in paths(sub, prefix + (name,))]

runs = []
for argv in json.loads(open(plan, encoding="utf-8").read()):
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    runs.append({"argv": argv, "code": code, "out": stdout.getvalue(), "err": stderr.getvalue()})
json.dump({"commands": paths(cli._parser()), "runs": runs}, open(out, "w", encoding="utf-8"))
"""


def test_every_code_package_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for top in ("geo", "layers", "bufferzone")
             for p in (ROOT / top).rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


#: Build the source distribution with the project's own build backend (as ``python -m build`` does first).
BUILD_SDIST = "import sys\nfrom setuptools import build_meta\nprint(build_meta.build_sdist(sys.argv[1]))\n"


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-c", BUILD_SDIST, str(out)], cwd=ROOT, check=True, capture_output=True)
    (archive,) = out.glob("bufferzone-*.tar.gz")
    return archive


@pytest.fixture(scope="module")
def wheel(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the sdist (as ``python -m build`` does)."""
    wheels = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(sdist),
                    "-w", str(wheels)], check=True, capture_output=True)
    (built,) = wheels.glob("bufferzone-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a fresh folder."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return site


def test_the_sdist_holds_the_data_the_derived_tables_the_assets_the_app_and_the_tests(sdist) -> None:
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "data").glob("*.parquet")}
    shipped |= {str(p.relative_to(ROOT)) for p in (ROOT / "data" / "derived").iterdir()}
    assert shipped <= names, sorted(shipped - names)
    assert {"app.py", "bufferzone/webapp/streamlit_app.py", "data/derive.py", "static/vendor/leaflet/leaflet.js",
            "tests/test_packaging.py"} <= names


def test_the_wheel_ships_the_data_and_the_front_end_with_its_assets_beside_it(installed) -> None:
    assert (installed / "bufferzone_data" / "settlements.parquet").is_file()
    webapp = installed / "bufferzone" / "webapp"
    assert (webapp / "streamlit_app.py").is_file()
    # Streamlit serves static/ beside the script it runs: the vendored files must be there, byte for byte
    for rel in ("vendor/leaflet/leaflet.js", "vendor/README.md", "context/land.geojson"):
        assert (webapp / "static" / rel).read_bytes() == (ROOT / "static" / rel).read_bytes(), rel


def _env(site: Path, home: Path, **extra: str) -> dict[str, str]:
    """The installed package first on the path, and a HOME and cache of its own (never the user's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUFFERZONE_")}
    return env | {"PYTHONPATH": str(site), "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                  "XDG_CONFIG_HOME": str(home / ".config"), "MPLCONFIGDIR": str(home / "mpl"),
                  "BUFFERZONE_CACHE_DIR": str(home / "bufferzone-cache")} | extra


def _drive(site: Path, work: Path, plan: list[list[str]], *, blocked: tuple[str, ...],
           **env: str) -> dict:
    """Run ``plan`` (CLI argument vectors) in one process of the installed package, from ``work``."""
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(site), str(work / "plan.json"), ",".join(blocked),
                           str(work / "runs.json")], cwd=work, env=_env(site, work / "home", **env),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((work / "runs.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the core: every command in one process

CENTRE, RADIUS_KM = (30.0, 50.0), 10.0
FETCHED_DAY, IMPORTED_DAY = dt.date(2026, 11, 30), dt.date(2026, 11, 28)
BUILT_IN_DAYS = ["2022-02-23", "2022-11-12", "2025-02-12"]  # tests/test_cli_loc.py
SCENARIO_FILES = {"buffer-zone.geojson", "all-layers.geojson", "figures.csv", "layers.gpkg", "map.html",
                  "briefing.png", "briefing.pdf"}

#: (command, argument vector) in the order run: loc list runs before and after the line is loaded.
PLAN = [
    ("layers", ["layers", "--json"]),
    ("buffer", ["buffer", "point.geojson", "--width-km", str(RADIUS_KM), "-o", "circle.geojson"]),
    ("measure", ["measure", "box.geojson", "--json"]),
    ("build", ["build", "buffer-zone", "--set", "width_km=50", "-o", "zone.geojson"]),
    ("scenario", ["scenario", "scenario.json", "-o", "out"]),
    ("loc list", ["loc", "list", "--json"]),
    ("loc import", ["loc", "import", f"deepstatemap_data_{IMPORTED_DAY:%Y%m%d}.geojson"]),
    ("loc fetch", ["loc", "fetch", "--date", FETCHED_DAY.isoformat()]),
    ("loc show", ["loc", "show", "2026-12-01", "--json"]),
    ("loc list", ["loc", "list", "--json"]),
    ("app", ["app", "--dry-run"]),
]


@pytest.fixture(scope="module")
def core(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every command of :data:`PLAN` run by the installed core; the mirror a loopback server."""
    work = tmp_path_factory.mktemp("core")
    (work / "point.geojson").write_text(json.dumps({"type": "Point", "coordinates": list(CENTRE)}))
    (work / "box.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}))
    (work / "scenario.json").write_text(json.dumps({
        "type": "bufferzone-scenario", "version": 1, "as_of": "2025-02-12",
        "layers": [{"name": "buffer-zone", "parameters": {"width_km": 50}}]}))
    _loc.daily_file(work, IMPORTED_DAY, i=0)
    served = work / "served"
    (served / "data").mkdir(parents=True)
    _loc.daily_file(served / "data", FETCHED_DAY, i=5)
    with _loc.serve(served) as base:
        result = _drive(installed, work, [argv for _, argv in PLAN], blocked=EXTRAS, BUFFERZONE_LOC_MIRROR=base)
    runs: dict[str, list[dict]] = {}
    for (command, _), run in zip(PLAN, result["runs"], strict=True):
        runs.setdefault(command, []).append(run)
    return {"commands": result["commands"], "runs": runs, "work": work, "base": base, "site": installed}


def _ok(run: dict) -> dict:
    assert run["code"] == 0, f"{run['argv']}: {run['err']}"
    return run


def _area_km2(geom: shapely.Geometry) -> float:
    return sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(geom)) / 1e6


def _check_layers(core: dict) -> None:
    specs = json.loads(_ok(core["runs"]["layers"][0])["out"])
    # the names as the layer modules of this checkout declare them (one NAME per module), not the registry
    import layers as package

    modules = [importlib.import_module(f"layers.{i.name}") for i in pkgutil.iter_modules(package.__path__)]
    names = {m.NAME for m in modules if isinstance(getattr(m, "NAME", None), str)}
    assert len(names) >= 7 and {s["name"] for s in specs} == names
    assert all(s["parameters"] and s["title"] for s in specs)


def _check_buffer(core: dict) -> None:
    assert "wrote 1 feature(s)" in _ok(core["runs"]["buffer"][0])["out"]
    (feature,) = json.loads((core["work"] / "circle.geojson").read_text())["features"]
    circle = shapely.geometry.shape(feature["geometry"])
    # reference: the geodesic circle itself, 3,600 points at 10 km from the centre by pyproj's direct problem
    lons, lats, _ = GEOD.fwd([CENTRE[0]] * 3600, [CENTRE[1]] * 3600, [i / 10 for i in range(3600)],
                             [RADIUS_KM * 1000] * 3600)
    reference = _area_km2(shapely.Polygon(zip(lons, lats, strict=True)))
    assert reference == pytest.approx(math.pi * RADIUS_KM**2, rel=1e-3)  # a 10 km circle is nearly flat
    assert feature["properties"]["area_km2"] == pytest.approx(reference, rel=2e-3)
    assert _area_km2(circle) == pytest.approx(reference, rel=2e-3)
    x, y = shapely.get_coordinates(circle.exterior).T
    _, _, dist = GEOD.inv([CENTRE[0]] * len(x), [CENTRE[1]] * len(x), x, y)
    assert min(dist) == pytest.approx(RADIUS_KM * 1000, rel=5e-3) and max(dist) <= RADIUS_KM * 1000 * 1.005


def _check_measure(core: dict) -> None:
    # a 1° x 1° box at 50–51°N: 7,892.2 km², the closed-form ellipsoid zone's 1/360 (tests/geo/test_geodesy.py)
    out = json.loads(_ok(core["runs"]["measure"][0])["out"])
    assert out["area_km2"] == pytest.approx(7892.2, rel=1e-4)


def _check_build(core: dict) -> None:
    assert "of buffer-zone" in _ok(core["runs"]["build"][0])["out"]
    zone = json.loads((core["work"] / "zone.geojson").read_text())
    geoms = [(shapely.geometry.shape(f["geometry"]), f["properties"]) for f in zone["features"] if f["geometry"]]
    assert geoms and all(g.is_valid for g, _ in geoms)
    assert all(p["area_km2"] == pytest.approx(_area_km2(g), rel=2e-3, abs=0.1) for g, p in geoms
               if g.geom_type in ("Polygon", "MultiPolygon"))


def _check_scenario(core: dict) -> None:
    run = _ok(core["runs"]["scenario"][0])
    out = core["work"] / "out"
    assert {p.name for p in out.iterdir()} == SCENARIO_FILES and f"wrote {len(SCENARIO_FILES)} file(s)" in run["out"]
    assert (out / "briefing.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
    # the standalone map inlines the vendored Leaflet found in the installed package (no CDN)
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "data:text/javascript;base64," in html and "unpkg.com" not in html and "cdn.jsdelivr" not in html
    zone = json.loads((out / "buffer-zone.geojson").read_text())["features"]
    polygons = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in zone
                if f["geometry"] and f["geometry"]["type"] in ("Polygon", "MultiPolygon")}
    with (out / "figures.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    id_column = next(c for c in rows[0] if any(r[c] in polygons for r in rows))
    checked = [r for r in rows if r[id_column] in polygons]
    assert checked and all(float(r["area_km2"]) == pytest.approx(_area_km2(polygons[r[id_column]]), rel=2e-3)
                           for r in checked)
    assert len(pyogrio.read_dataframe(out / "layers.gpkg")) == len(zone)


def _km2_printed(out: str) -> float:
    return float(re.search(r": ([\d,]+) km² as drawn", out).group(1).replace(",", ""))


def _check_loc_list(core: dict) -> None:
    before, after = (json.loads(_ok(r)["out"]) for r in core["runs"]["loc list"])
    assert [r["date"] for r in before] == BUILT_IN_DAYS  # a fresh cache: the user's is not read
    assert [r["date"] for r in after] == [*BUILT_IN_DAYS, IMPORTED_DAY.isoformat(), FETCHED_DAY.isoformat()]
    assert [r["source_key"] for r in after[3:]] == ["deepstatemap", "deepstatemap"]
    assert any((core["work"] / "home" / "bufferzone-cache" / "loc").iterdir())  # kept in the cache given


def _check_loc_import(core: dict) -> None:
    out = _ok(core["runs"]["loc import"][0])["out"]
    assert f"added DeepStateMap {IMPORTED_DAY.isoformat()}" in out
    assert _km2_printed(out) == pytest.approx(_loc.geodesic_km2(_loc.occupied(0)), abs=0.5)


def _check_loc_fetch(core: dict) -> None:
    out = _ok(core["runs"]["loc fetch"][0])["out"]
    assert f"added DeepStateMap {FETCHED_DAY.isoformat()}" in out
    assert f"from {core['base']}data/deepstatemap_data_{FETCHED_DAY:%Y%m%d}.geojson" in out
    assert _km2_printed(out) == pytest.approx(_loc.geodesic_km2(_loc.occupied(5)), abs=0.5)
    assert _loc.geodesic_km2(_loc.occupied(5)) != pytest.approx(_loc.geodesic_km2(_loc.occupied(0)), abs=100)


def _check_loc_show(core: dict) -> None:
    info = json.loads(_ok(core["runs"]["loc show"][0])["out"])
    assert (info["date"], info["as_of"], info["source_key"]) == (FETCHED_DAY.isoformat(), "2026-12-01", "deepstatemap")
    assert info["age_days"] == (dt.date(2026, 12, 1) - FETCHED_DAY).days and not info["stale"]
    assert info["area_km2_as_drawn"] == pytest.approx(_loc.geodesic_km2(_loc.occupied(5)), abs=0.5)


def _check_app(core: dict) -> None:
    (run,) = core["runs"]["app"]
    assert run["code"] == 2 and not run["out"] and run["err"].count("\n") == 1
    assert run["err"].startswith("bufferzone app: error: the web app needs the [app] extra")
    assert "streamlit" in run["err"] and "pip install 'bufferzone[app]'" in run["err"]


#: One check per command of the CLI, by its path in the parser ("loc fetch").
CHECKS: dict[str, Callable[[dict], None]] = {
    "buffer": _check_buffer, "measure": _check_measure, "layers": _check_layers, "build": _check_build,
    "scenario": _check_scenario, "loc list": _check_loc_list, "loc fetch": _check_loc_fetch,
    "loc import": _check_loc_import, "loc show": _check_loc_show, "app": _check_app,
}


def test_every_command_of_the_installed_cli_has_a_check(core) -> None:
    assert sorted(core["commands"]) == sorted(CHECKS), "give each new command a run in PLAN and a check in CHECKS"
    assert set(core["runs"]) == set(CHECKS)


@pytest.mark.parametrize("command", sorted(CHECKS))
def test_the_installed_core_runs_the_command(core, command) -> None:
    CHECKS[command](core)


# ---------------------------------------------------------------- the web app, with the [app] extra on the path


def test_the_installed_app_command_finds_the_shipped_front_end(installed, tmp_path) -> None:
    result = _drive(installed, tmp_path, [["app", "--dry-run", "--port", "8999", "--address", "127.0.0.1"]],
                    blocked=("rasterio", "exactextract"))
    (run,) = result["runs"]
    assert run["code"] == 0, run["err"]
    script = Path(run["out"].splitlines()[0].removeprefix("app: "))
    assert script == installed / "bufferzone" / "webapp" / "streamlit_app.py" and script.is_file()
    assert (script.parent / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    command = run["out"].splitlines()[1]
    assert f"-m streamlit run {script}" in command and "--server.enableStaticServing true" in command
    assert "--server.port 8999" in command and "--server.address 127.0.0.1" in command


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return reply.status, reply.read()


def _streamlit_runs(pid: str) -> bool:
    """Whether process ``pid`` is still a running Streamlit (a zombie's command line is empty)."""
    try:
        return b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone
        return False


def test_the_installed_app_command_serves_the_app_and_its_assets(installed, tmp_path) -> None:
    """``bufferzone app`` of the installed wheel on a loopback port: health, page and the vendored Leaflet."""
    port = free_port()
    code = "import sys\nfrom bufferzone.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", code, "app", "--headless", "--address", "127.0.0.1",
                                 "--port", str(port)], cwd=tmp_path, env=_env(installed, tmp_path / "home"),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"bufferzone app exited ({proc.returncode}):\n{log.read_text()[-3000:]}"
            try:
                if _get(f"{base}/_stcore/health") == (200, b"ok"):
                    break
            except (urllib.error.URLError, OSError):
                pass
            assert time.monotonic() < deadline, f"no answer within 90 s:\n{log.read_text()[-3000:]}"
            time.sleep(0.3)
        status, page = _get(base + "/")
        assert status == 200 and b"<title>" in page.lower() and b"streamlit" in page.lower()
        status, leaflet = _get(base + "/app/static/vendor/leaflet/leaflet.js")  # served from beside the front end
        assert status == 200 and leaflet == (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").read_bytes()
        # the Streamlit process the command started runs the installed front end, not this checkout's app.py
        (child,) = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        assert str(installed / "bufferzone" / "webapp" / "streamlit_app.py").encode() in argv
        proc.terminate()  # the command alone: it stops the Streamlit process it started
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _streamlit_runs(child):
            assert time.monotonic() < deadline, "Streamlit kept running after bufferzone app was terminated"
            time.sleep(0.2)
    finally:  # whatever failed: the CLI and the Streamlit process it started, by their process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# ---------------------------------------------------------------- the wheel in a fresh virtual environment

def test_the_wheel_in_a_fresh_venv_gives_a_bufferzone_command_that_builds_and_measures(wheel, tmp_path) -> None:
    """The wheel installed by pip into a new venv: its ``bufferzone`` console script runs from another folder.

    The venv gets only the wheel (``--no-deps``); the dependencies are this test environment's,
    on the path after the venv's own packages, so the package and its data come from the venv.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    (own_site,) = (venv / "lib").glob("python*/site-packages")
    dependencies = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (own_site / "zz_test_dependencies.pth").write_text("\n".join(dependencies) + "\n", encoding="utf-8")
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    (work / "box.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUFFERZONE_") and k != "PYTHONPATH"}
    env |= {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "MPLCONFIGDIR": str(home / "mpl")}

    def run(*argv: str) -> str:
        proc = subprocess.run([str(venv / "bin" / "bufferzone"), *argv], cwd=work, env=env, capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, (argv, proc.stderr[-2000:])
        return proc.stdout

    where = subprocess.run([str(python), "-c", "import geo, geo.settings; print(geo.__file__); "
                            "print(geo.settings.DATA_DIR)"], cwd=work, env=env, capture_output=True, text=True,
                           check=True).stdout.split()
    assert all(Path(p).is_relative_to(own_site) for p in where), where  # the venv's package and data
    # a 1° x 1° box at 50–51°N: 7,892.2 km², the closed-form ellipsoid zone's 1/360 (tests/geo/test_geodesy.py)
    assert json.loads(run("measure", "box.geojson", "--json"))["area_km2"] == pytest.approx(7892.2, rel=1e-4)
    assert "of buffer-zone" in run("build", "buffer-zone", "--set", "width_km=50", "-o", "zone.geojson")
    zone = json.loads((work / "zone.geojson").read_text())
    areas = [(shapely.geometry.shape(f["geometry"]), f["properties"]["area_km2"]) for f in zone["features"]
             if f["geometry"] and f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert areas and all(a == pytest.approx(_area_km2(g), rel=2e-3, abs=0.1) for g, a in areas)
