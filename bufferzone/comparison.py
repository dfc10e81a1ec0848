"""Comparisons of two areas (A only, B only, both) without a front end, for the CLI and the app.

The areas that can be compared (:func:`choices`), the comparison a scenario asks for
(:func:`scenario_comparison`) and its exports (:func:`comparison_geojson`,
:func:`comparison_csv`) are the same in the CLI and in the app's Compare tab.

The scenario file carries the Compare tab's choices: areas ``compare.a`` and ``compare.b``
(``layer/feature-id``) and B's own parameters (``compare.b_parameters``), so that one
proposal can be compared with itself under two settings. :func:`scenario_comparison`
builds B's layer with B's parameters and splits the two areas with
:func:`geo.compare.compare` (geodesic km² and people of each part).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

import layers
from bufferzone.webapp.scenario import Scenario
from geo.compare import PARTS, Comparison, compare
from geo.io import feature_collection
from layers import LayerResult

__all__ = ["Choice", "choices", "comparison_csv", "comparison_geojson", "scenario_comparison", "settings_text"]


@dataclass(frozen=True)
class Choice:
    """An area that can be compared: ``ref`` is ``layer/feature-id``, ``label`` "feature (layer title)"."""

    ref: str
    label: str
    geometry: BaseGeometry


def choices(built: Mapping[str, LayerResult]) -> list[Choice]:
    """The polygonal, non-empty features of the layers built, as compare choices (in layer and feature order)."""
    # the feature's name first: a narrow select shows the start of the label
    return [Choice(f"{name}/{f.id}", f"{f.name} ({r.title})", f.geometry)
            for name, r in built.items() for f in r.features
            if f.geometry.geom_type in ("Polygon", "MultiPolygon") and not f.geometry.is_empty]


def settings_text(name: str, values: Mapping[str, object]) -> str:
    """Parameters of a layer in words, as a label says them ("Width 50 km, Side NATO side")."""
    spec = layers.REGISTRY[name]
    return ", ".join(f"{spec.parameter(k).label} {spec.parameter(k).format_value(v)}" for k, v in values.items())


def scenario_comparison(scenario: Scenario, built: Mapping[str, LayerResult]) -> Comparison | str | None:
    """The comparison the scenario asks for, a message saying why it cannot be made, or None.

    Parameters
    ----------
    scenario : Scenario
        With ``compare`` (A and B refs) and B's own parameters (``compare_b``).
    built : mapping
        Layer name → its result with the scenario's (A's) parameters.

    Returns
    -------
    Comparison, str or None
        None when the scenario compares nothing.
    """
    a_ref, b_ref = scenario.compare
    if not a_ref or not b_ref:
        return None
    a_layer, b_layer = a_ref.partition("/")[0], b_ref.partition("/")[0]
    own = scenario.b_overrides()
    if a_ref == b_ref and not own:
        return "the comparison names the same area twice and B has no parameters of its own"
    for ref, layer in ((a_ref, a_layer), (b_ref, b_layer)):
        if layer not in built:
            return f"compared area {ref!r} is not in a layer of the scenario"
    a = next((c for c in choices({a_layer: built[a_layer]}) if c.ref == a_ref), None)
    result_b = layers.get(b_layer).build(scenario.parameters_b(b_layer)) if own else built[b_layer]
    b = next((c for c in choices({b_layer: result_b}) if c.ref == b_ref), None)
    if a is None or b is None:
        return f"compared area {(a_ref if a is None else b_ref)!r} is not an area of its layer"
    a_label, b_label = a.label, b.label
    if own and a_label == b_label:  # one proposal under two settings: name them by their settings
        a_label = f"{a_label} ({settings_text(b_layer, {k: scenario.parameters(b_layer)[k] for k in own})})"
        b_label = f"{b_label} ({settings_text(b_layer, own)})"
    return compare(a.geometry, b.geometry, a_label=a_label, b_label=b_label)


def comparison_geojson(comparison: Comparison) -> dict:
    """The three parts as an RFC 7946 FeatureCollection with their figures (empty parts left out)."""
    rows = {row["part"]: row for row in comparison.rows()}
    return feature_collection(
        [(comparison.geometry(p), {"id": p, "name": rows[p]["label"], **rows[p]}) for p in PARTS
         if not comparison.geometry(p).is_empty], name="Comparison")


def comparison_csv(comparison: Comparison) -> str:
    """One line per part: part, label, km², people (empty where unknown, never 0), range, largest towns."""
    out = io.StringIO()
    fields = ["part", "label", "area_km2", "population", "population_low", "population_high",
              "largest_settlements"]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in comparison.rows():
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in fields})
    return out.getvalue()
