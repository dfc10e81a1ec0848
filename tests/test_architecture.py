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


def test_the_app_names_no_layer() -> None:
    """The front end renders what layers declare: no registry name appears in app.py's code.

    The names are read from the layer modules' ``NAME`` constants (one per module in ``layers/``),
    not from the registry the app uses.
    """
    import ast
    import importlib
    import pkgutil
    from pathlib import Path

    import layers as package

    names = set()
    for m in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"layers.{m.name}")
        if isinstance(getattr(module, "NAME", None), str):
            names.add(module.NAME)
    assert len(names) >= 7
    tree = ast.parse((Path(__file__).resolve().parent.parent / "app.py").read_text(encoding="utf-8"))
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert not names & literals, sorted(names & literals)
