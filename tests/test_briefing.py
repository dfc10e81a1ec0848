"""Briefing images: sizes, content, the figures they print, and the CLI around them."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

import layers
from bufferzone.briefing import ATTRIBUTION, PRESETS, bounds_for_view, default_bounds, render_briefing
from bufferzone.briefing.content import layer_content
from bufferzone.briefing.page import footer_text
from geo import ParameterError

from ._cli import run

CUSTOM = {"geometry": json.dumps({"type": "LineString", "coordinates": [[27.9, 59.4], [28.2, 58.9]]})}


@pytest.fixture(scope="module")
def results() -> dict[str, layers.LayerResult]:
    return {n: layers.build(n, CUSTOM if n == "custom" else None) for n in layers.REGISTRY}


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("name", sorted(layers.REGISTRY))
def test_png_has_the_preset_size_and_is_not_blank(results, name: str, preset: str) -> None:
    png = render_briefing([results[name]], fmt="png", preset=preset)
    image = Image.open(io.BytesIO(png))
    width_in, height_in = PRESETS[preset]
    assert image.size[0] == pytest.approx(width_in * 200, abs=1)  # matplotlib truncates to whole pixels
    assert image.size[1] == pytest.approx(height_in * 200, abs=1)
    pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.std() > 20  # not a blank page
    assert (pixels < 250).mean() > 0.2  # a map, not just a few words


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("name", ["buffer-zone", "frozen-line"])
def test_pdf_text_carries_title_figures_and_attribution(results, name: str) -> None:
    result = results[name]
    text = " ".join(_pdf_text(render_briefing([result], fmt="pdf", preset="a4")).split())
    assert result.title in text
    main = next(f for f in result.features if f.role in ("zone", "occupied"))
    assert f"{main.figures.area_km2:,.0f} km²" in text
    low, high = main.export_properties()["population_low"], main.export_properties()["population_high"]
    # the table's people cell may wrap after the figure and after the range's dash
    assert f"{main.figures.people.value:,}" in text and f"({low:,}–" in text and f"{high:,})" in text
    assert "GeoNames" in text and "CC BY 4.0" in text and "Natural Earth" in text
    assert "as of 2025-02-12" in text
    if result.approximate:
        assert "APPROXIMATE" in text


def test_view_bounds_follow_web_map_geometry() -> None:
    # at zoom 0 a 256 px wide map spans the whole world in longitude
    west, _, east, _ = bounds_for_view(0.0, 0.0, 0, width_px=256, height_px=256)
    assert west == pytest.approx(-180.0) and east == pytest.approx(180.0)
    w, s, e, n = bounds_for_view(50.0, 30.0, 6, width_px=900, height_px=640)
    assert w < 30.0 < e and s < 50.0 < n
    assert (e - w) == pytest.approx(900 / (256 * 2**6) * 360)


def test_default_bounds_cover_the_features(results) -> None:
    w, s, e, n = default_bounds([results["buffer-zone"]])
    zone = next(f for f in results["buffer-zone"].features if f.role == "zone").geometry
    zw, zs, ze, zn = zone.bounds
    assert w <= zw and s <= zs and e >= ze and n >= zn


def test_bad_render_options_are_refused(results) -> None:
    with pytest.raises(ParameterError, match="preset"):
        render_briefing([results["buffer-zone"]], preset="a3")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="dpi"):
        render_briefing([results["buffer-zone"]], dpi=72)
    with pytest.raises(ParameterError, match="bounds"):
        render_briefing([results["buffer-zone"]], bounds=(30, 50, 20, 40))


def test_attribution_names_natural_earth_and_geonames() -> None:
    assert "Natural Earth" in ATTRIBUTION and "GeoNames" in ATTRIBUTION


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".gpkg"])
def test_cli_build_writes_images_and_geopackages(tmp_path: Path, capsys, suffix: str) -> None:
    target = tmp_path / f"zone{suffix}"
    code, _, err = run(["build", "buffer-zone", "--set", "width_km=50", "-o", str(target)], capsys)
    assert code == 0, err
    assert target.stat().st_size > 10_000
    if suffix == ".gpkg":
        import geopandas as gpd

        frame = gpd.read_file(target, layer="buffer-zone")
        expected = layers.build("buffer-zone", {"width_km": 50})
        assert list(frame["id"]) == [f.id for f in expected.features]
        assert list(frame["population"]) == [f.export_properties()["population"] for f in expected.features]


def test_cli_build_then_measure_gives_the_same_figures(tmp_path: Path, capsys) -> None:
    target = tmp_path / "dnieper.geojson"
    assert run(["build", "trans-dnieper", "--set", "kyiv_regime=excluded", "-o", str(target)], capsys)[0] == 0
    doc = json.loads(target.read_text())
    region = next(f for f in doc["features"] if f["properties"]["role"] == "region")
    single = tmp_path / "region.geojson"
    single.write_text(json.dumps({"type": "FeatureCollection", "features": [region]}))
    code, out, err = run(["measure", str(single), "--json"], capsys)
    assert code == 0, err
    figures = json.loads(out)
    assert figures["area_km2"] == pytest.approx(region["properties"]["area_km2"], rel=1e-5)
    assert figures["population"] == pytest.approx(region["properties"]["population"], rel=1e-4)


def test_cli_scenario_renders_every_output(tmp_path: Path, capsys) -> None:
    from bufferzone.webapp.scenario import Scenario

    scenario = Scenario(layers={"buffer-zone": {"width_km": 30.0}, "range-rings": {"preset": "iskander"}})
    path = tmp_path / "scenario.json"
    path.write_text(scenario.to_json())
    out_dir = tmp_path / "out"
    code, out, err = run(["scenario", str(path), "-o", str(out_dir)], capsys)
    assert code == 0, err
    names = {p.name for p in out_dir.iterdir()}
    assert {"buffer-zone.geojson", "range-rings.geojson", "all-layers.geojson", "figures.csv",
            "layers.gpkg", "briefing.png", "briefing.pdf"} <= names
    zone = json.loads((out_dir / "buffer-zone.geojson").read_text())
    expected = layers.build("buffer-zone", {"width_km": 30.0})
    assert ([f["properties"]["area_km2"] for f in zone["features"]]
            == [f.export_properties()["area_km2"] for f in expected.features])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "buffer-zone", "-o", "x.tiff"], "output must end in"),
        (["build", "buffer-zone", "--bounds", "1,2,3", "-o", "x.png"], "--bounds expects"),
        (["build", "buffer-zone", "--bounds", "30,50,20,60", "-o", "x.png"], "--bounds must satisfy"),
        (["build", "buffer-zone", "--preset", "a3", "-o", "x.png"], "invalid choice"),
        (["scenario", "missing.json", "-o", "dir"], "does not exist"),
    ],
)
def test_cli_bad_image_arguments_exit_2_with_one_line(tmp_path: Path, capsys, monkeypatch, argv, message) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(argv, capsys)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_cli_scenario_refuses_a_file_that_is_not_a_scenario(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "FeatureCollection", "features": []}')
    code, _, err = run(["scenario", str(bad), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and "not a scenario file" in err


def test_town_labels_never_overlap_and_the_largest_capital_is_named() -> None:
    """In a crowded view (Benelux and the Ruhr) labels are placed around each other or left out."""
    from itertools import combinations

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bufferzone.briefing.mapframe import labels as _labels
    from bufferzone.briefing.mapframe import scale_bar as _scale_bar
    from bufferzone.briefing.projection import Projector as _Projector
    from geo import data

    bounds = (3.0, 49.5, 9.0, 53.0)
    fig = Figure(figsize=(6, 4), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    proj = _Projector(bounds)
    xmin, xmax, ymin, ymax = proj.fit(6 / 4)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    furniture = _scale_bar(ax, (xmin, xmax, ymin, ymax))
    _labels(ax, proj, bounds, limit=18, furniture=furniture)

    renderer = fig.canvas.get_renderer()
    names = [t for t in ax.texts if t not in furniture]
    boxes = [t.get_window_extent(renderer) for t in names]
    assert 10 <= len(names) <= 18  # crowded: some towns left out, but the map is still labelled
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b)
    for a in boxes:
        assert not any(a.overlaps(f.get_window_extent(renderer)) for f in furniture)
    frame = ax.get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    towns = data.settlements()
    in_view = towns[towns.geometry.x.between(3.0, 9.0) & towns.geometry.y.between(49.5, 53.0)]
    largest_capital = in_view[in_view["feature_code"] == "PPLC"].nlargest(1, "population")["name"].iloc[0]
    assert largest_capital in {t.get_text().strip() for t in names}


def test_a_stale_line_of_contact_leads_the_subtitle_with_its_date_and_age() -> None:
    import layers

    stale = layers.build("frozen-line", {"as_of": "2026-11-30", "dmz_km": 0, "swap_kharkiv_kursk": False})
    text = " ".join(_pdf_text(render_briefing([stale], fmt="pdf", preset="slide")).split())
    assert "STALE LINE OF CONTACT of 2025-02-12, 656 days older than the as-of date" in text
    fresh = layers.build("frozen-line", {"as_of": "2025-02-14", "dmz_km": 0, "swap_kharkiv_kursk": False})
    from bufferzone.briefing import briefing_subtitle

    assert "STALE" not in briefing_subtitle([fresh])
    assert briefing_subtitle([stale]).startswith("STALE LINE OF CONTACT of 2025-02-12, 656 days")


def test_a_loaded_line_is_credited_in_the_footer(tmp_path) -> None:
    import layers
    from geo import loc_history
    from geo.loc_readers import read_line_file
    from tests import _loc

    loc_history.add(read_line_file(_loc.daily_file(tmp_path, dt.date(2026, 11, 28))))
    result = layers.build("frozen-line", {"as_of": "2026-11-30", "dmz_km": 0, "swap_kharkiv_kursk": False})
    text = " ".join(_pdf_text(render_briefing([result], fmt="pdf", preset="a4")).split())
    assert "DeepStateMap (deepstatemap.live)" in text and "STALE" not in text
    assert "own approximate digitisation" not in text


def test_each_layers_towns_line_is_named_by_its_layer_in_a_stacked_footer(results) -> None:
    # the three layers count different towns, so their settlements' lines differ
    stack = [results[n] for n in ("buffer-zone", "trans-dnieper", "frozen-line")]
    contents = [layer_content(r) for r in stack]
    lines = {b for c in contents for b in c.population_basis if b.startswith("settlements:")}
    assert len(lines) > 1
    text = footer_text(stack, contents)
    for result in stack:
        assert f"settlements ({result.title}" in text
    assert text.count("settlements:") == 0
    single = footer_text(stack[:1], contents[:1])
    assert "settlements: " in single and f"settlements ({stack[0].title})" not in single


def test_two_layers_of_one_proposal_are_told_apart_in_the_footer() -> None:
    narrow, wide = layers.build("buffer-zone", {"width_km": 50.0}), layers.build("buffer-zone", {"width_km": 300.0})
    contents = [layer_content(narrow), layer_content(wide)]
    text = footer_text([narrow, wide], contents)
    assert f"settlements ({narrow.title}, Width 50 km" in text
    assert f"settlements ({narrow.title}, Width 300 km" in text
