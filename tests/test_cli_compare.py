"""``bufferzone scenario FILE -o DIR`` renders the scenario's comparison: A only, B only, both.

"B as A again": the 100 km buffer zone compared with itself at 50 km. The parts are checked
against pyproj's geodesic area of the two zones and of their shapely intersection, computed
here from the layer's own geometries (a second method, not the CLI's figures pasted back):
both = area(A ∩ B), A only = area(A) − area(A ∩ B), B only = area(B) − area(A ∩ B), and the
three add up to area(A ∪ B).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

import layers

from ._cli import run

GEOD = Geod(ellps="WGS84")
REF = "buffer-zone/buffer-zone:zone"


def _km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def _scenario(tmp_path: Path, b_parameters: dict | None) -> Path:
    doc = {"type": "bufferzone-scenario", "version": 1, "as_of": "2025-02-12",
           "layers": [{"name": "buffer-zone", "parameters": {"width_km": 100}}],
           "compare": {"a": REF, "b": REF, **({"b_parameters": {"buffer-zone": b_parameters}} if b_parameters else {})}}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_one_proposal_under_two_widths_gives_a_only_b_only_and_both(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(["scenario", str(_scenario(tmp_path, {"width_km": 50})), "-o", str(out)], capsys)
    assert code == 0, stderr
    assert "comparison.geojson" in stdout and "comparison.csv" in stdout
    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        rows = {r["part"]: r for r in csv.DictReader(fh)}
    parts = {p: float(rows[p]["area_km2"]) for p in ("a_only", "b_only", "both")}

    a = next(f.geometry for f in layers.build("buffer-zone", {"width_km": 100}).features if f.id.endswith(":zone"))
    b = next(f.geometry for f in layers.build("buffer-zone", {"width_km": 50}).features if f.id.endswith(":zone"))
    inter = shapely.intersection(shapely.make_valid(a), shapely.make_valid(b))
    union = shapely.union(shapely.make_valid(a), shapely.make_valid(b))
    tol = dict(rel=2e-3, abs=5.0)  # the parts are rounded to 0.1 km²; boundary slivers of the overlay
    assert parts["both"] == pytest.approx(_km2(inter), **tol)
    assert parts["a_only"] == pytest.approx(_km2(a) - _km2(inter), **tol)
    assert parts["b_only"] == pytest.approx(_km2(b) - _km2(inter), **tol)
    assert sum(parts.values()) == pytest.approx(_km2(union), **tol)
    # the 50 km zone lies inside the 100 km one: the band between them is A only, B adds nothing
    assert parts["b_only"] < 1e-3 * parts["both"]
    assert parts["a_only"] > 0.3 * parts["both"]
    # people: unknown is never 0, and the parts carry their own figures
    assert all(rows[p]["population"] not in ("0",) for p in ("a_only", "both"))
    doc = json.loads((out / "comparison.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["part"] for f in doc["features"]} >= {"a_only", "both"}
    assert "100 km" in rows["a_only"]["label"] and "50 km" in rows["b_only"]["label"]  # A and B told apart


def test_the_same_area_twice_without_own_parameters_is_a_note_not_a_failure(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(["scenario", str(_scenario(tmp_path, None)), "-o", str(out)], capsys)
    assert code == 0, stderr
    assert "no comparison" in stderr and "same area twice" in stderr
    assert not (out / "comparison.csv").exists()
