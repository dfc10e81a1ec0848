"""Imports point one way: app → layers → geo; no Streamlit outside the front end."""

from __future__ import annotations

import subprocess
import sys


def test_geo_layers_and_cli_do_not_import_streamlit() -> None:
    code = (
        "import sys, geo, geo.figures, geo.io, geo.raster, layers, bufferzone.cli\n"
        "import pkgutil, importlib\n"
        "for pkg in (geo, layers):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules, 'folium' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_geo_does_not_import_layers() -> None:
    code = (
        "import sys, pkgutil, importlib, geo\n"
        "for m in pkgutil.walk_packages(geo.__path__, 'geo.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(any(n == 'layers' or n.startswith('layers.') for n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_code_passes_the_projects_lint_rules() -> None:
    """Ruff with the rules in pyproject.toml (pycodestyle, pyflakes, isort, bugbear, numpydoc)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(root)],
                         capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]
