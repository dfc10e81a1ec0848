"""A new layer is one module: registered, it renders through the app, the briefing and the CLI.

The layer here ("test-square") is written the way a module in ``layers/`` would be, with no
change to ``app.py``, the briefing or the CLI. Its square's area is checked against pyproj's
geodesic area, computed here independently of the layer code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from pyproj import Geod

import layers
from layers._base import AS_OF, HeadlineRule, LayerResult, LayerSpec, Parameter, Role, Source, measured_feature

NAME = "test-square"


def _build(p: dict[str, Any]) -> LayerResult:
    half = p["half_side_deg"]
    square = shapely.box(24.0 - half, 50.0 - half, 24.0 + half, 50.0 + half)
    return SPEC.result(p, p["as_of"], [measured_feature(f"{NAME}:square", "Test square", "square", square)],
                       "A box in lon/lat around 24°E 50°N, measured with geo.measure.")


SPEC = LayerSpec(
    name=NAME, title="Test square", description="A plugin layer for the tests.",
    parameters=(Parameter("half_side_deg", "float", 0.5, "Half side", unit="°", minimum=0.1, maximum=2.0),
                AS_OF),
    build_fn=_build,
    sources=(Source("test", "A test of the plugin contract.", "test"),),
    roles={"square": Role("The square", "zone")},
    headline_rules=(HeadlineRule("The square", ids=("square",)),),
)


def _geodesic_km2(half: float) -> float:
    box = shapely.box(24.0 - half, 50.0 - half, 24.0 + half, 50.0 + half)
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(box)
    return abs(area) / 1e6


@pytest.fixture()
def registered() -> Iterator[LayerSpec]:
    layers.register(SPEC)
    try:
        yield SPEC
    finally:
        layers.REGISTRY.pop(NAME, None)


def test_the_layer_builds_with_a_headline_of_its_own_geodesic_area(registered) -> None:
    result = layers.build(NAME, {"half_side_deg": 1.0})
    assert result.headlines[0].label == "The square"
    assert result.headlines[0].area_km2 == pytest.approx(_geodesic_km2(1.0), rel=1e-3)
    assert result.role_label("square") == "The square"


def test_register_refuses_a_second_layer_under_the_same_name(registered) -> None:
    from geo import ParameterError

    with pytest.raises(ParameterError, match="registered already"):
        layers.register(LayerSpec(NAME, "Other", "", (), _build, ()))


def test_the_cli_builds_it(registered, tmp_path, capsys) -> None:
    from bufferzone.cli import main

    out = tmp_path / "square.geojson"
    assert main(["build", NAME, "--set", "half_side_deg=1.0", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["features"][0]["properties"]["area_km2"] == pytest.approx(_geodesic_km2(1.0), rel=1e-3)
    html = tmp_path / "square.html"
    assert main(["build", NAME, "-o", str(html)]) == 0
    assert "Test square" in html.read_text(encoding="utf-8")


def test_the_briefing_renders_it(registered) -> None:
    from bufferzone.briefing import render_briefing

    png = render_briefing([layers.build(NAME)], fmt="png", preset="slide", bounds=(20.0, 47.0, 28.0, 53.0))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_the_app_renders_it_with_its_headline_and_legend(registered) -> None:
    from tests.app.conftest import open_app, run

    at = run(open_app({"layers": NAME}))
    assert not at.error, [e.value for e in at.error]
    assert at.tabs[0].label == "Test square"
    headline = next(m.value for m in at.tabs[0].markdown if m.value.startswith("The square"))
    shown = float(headline.split("**")[1].split(" km²")[0].replace(",", ""))
    assert shown == pytest.approx(_geodesic_km2(0.5), abs=1.0)
    assert at.number_input(key=f"w:{NAME}.half_side_deg").value == 0.5
    legend = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Test square: The square" in legend
