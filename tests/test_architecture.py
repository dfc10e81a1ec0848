"""Imports point one way: app → layers → geo; no Streamlit outside the front end."""

from __future__ import annotations

import subprocess
import sys


def test_geo_layers_and_cli_do_not_import_streamlit() -> None:
    code = (
        "import sys, geo, geo.figures, geo.io, geo.raster, layers, bufferzone.cli, bufferzone.webapp.launch\n"
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
    """The front end renders what layers declare: no registry name appears in its code.

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
    front_end = Path(__file__).resolve().parent.parent / "bufferzone" / "webapp" / "streamlit_app.py"
    tree = ast.parse(front_end.read_text(encoding="utf-8"))
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert not names & literals, sorted(names & literals)


# figure keys of the exported properties: only the export edge turns typed figures into them
_FIGURE_KEYS = ("area_km2", "population", "population_low", "population_high", "population_coverage_pct",
                "population_basis", "population_method", "population_notes", "population_unknown_reason",
                "largest_settlements", "by_country", "by_admin1", "length_km", "area_method")
_EXPORT_EDGE = {"layers/results.py", "bufferzone/exports.py"}


def test_no_module_reads_figures_back_from_properties() -> None:
    """Features carry typed figures; no front end or layer reads them back from a properties dict."""
    import dataclasses
    import re
    from pathlib import Path

    from layers import Feature, Figures

    fields = {f.name: f.type for f in dataclasses.fields(Feature)}
    assert "properties" not in fields and fields["figures"] in ("Figures | None", Figures | None)
    root = Path(__file__).resolve().parent.parent
    keys = "|".join(_FIGURE_KEYS)
    reads = re.compile(rf"""\.(?:properties|attributes)\s*(?:\[|\.get\()\s*["']({keys})["']""")
    offenders = []
    for path in [root / "app.py", *(root / "layers").rglob("*.py"), *(root / "bufferzone").rglob("*.py")]:
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel not in _EXPORT_EDGE:
            offenders += [f"{rel}: {m.group(0)}" for m in reads.finditer(text)]
        offenders += [f"{rel}: {name}" for name in ("figures_of", "feature_people", "_TOWN") if name in text]
    assert not offenders, offenders
