"""The built wheel is a working package: data and web assets inside it, the core CLI without
the app's or the raster's extras.

Before: the wheel had no ``data/`` and no ``static/``, so ``bufferzone build`` from an
installed package exited 2 with "data file 'settlements.parquet' not found". An sdist is
built from this checkout, the wheel from the sdist (the path ``python -m build`` takes),
installed into a fresh folder, and run from a folder that is not the checkout, with
Streamlit, rasterio and exactextract made unimportable; the installed package must use its
shipped ``data/derived`` tables (not recompute them in every process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
#: Run the CLI as an installed core would: the optional extras cannot be imported.
CORE_ONLY = (
    "import sys\n"
    "for name in ('streamlit', 'streamlit_folium', 'rasterio', 'exactextract'):\n"
    "    sys.modules[name] = None\n"
    "from bufferzone.cli import main\n"
    "import geo\n"
    "assert geo.__file__.startswith(sys.argv[1]), geo.__file__\n"
    "from geo import derived\n"
    "assert all(derived.table(n) is not None for n in ('pieces', 'zones', 'settlements')), 'derived tables unused'\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


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
def installed(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the sdist (as ``python -m build`` does), installed into a fresh folder."""
    wheels = tmp_path_factory.mktemp("wheel")
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(sdist),
                    "-w", str(wheels)], check=True, capture_output=True)
    (wheel,) = wheels.glob("bufferzone-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return site


def test_the_sdist_holds_the_data_the_derived_tables_the_assets_the_app_and_the_tests(sdist) -> None:
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "data").glob("*.parquet")}
    shipped |= {str(p.relative_to(ROOT)) for p in (ROOT / "data" / "derived").iterdir()}
    assert shipped <= names, sorted(shipped - names)
    assert {"app.py", "data/derive.py", "static/vendor/leaflet/leaflet.js", "tests/test_packaging.py"} <= names


def _cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BUFFERZONE_DATA_DIR"} | {"PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-c", CORE_ONLY, str(site), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_installed_wheel_builds_and_measures_from_anywhere(installed, tmp_path) -> None:
    assert (installed / "bufferzone_data" / "settlements.parquet").is_file()
    assert (installed / "bufferzone_static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    out = _cli(installed, tmp_path, "build", "buffer-zone", "--set", "width_km=50", "-o", "zone.geojson")
    assert out.returncode == 0, out.stderr
    zone = json.loads((tmp_path / "zone.geojson").read_text())
    assert zone["features"] and all(shapely.geometry.shape(f["geometry"]).is_valid for f in zone["features"]
                                    if f["geometry"])
    (tmp_path / "box.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}))
    out = _cli(installed, tmp_path, "measure", "box.geojson", "--json")
    assert out.returncode == 0, out.stderr
    # a 1° x 1° box at 50–51°N: 7,892.2 km², the closed-form ellipsoid zone's 1/360 (tests/geo/test_geodesy.py)
    assert json.loads(out.stdout)["area_km2"] == pytest.approx(7892.2, rel=1e-4)
