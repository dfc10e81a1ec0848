"""The contract every registered layer keeps, checked the same way for each one.

Built with default parameters (the custom layer gets a short line near Narva): valid lon/lat
geometries, unique prefixed ids, human names, short roles, figures on every feature, a
self-describing GeoJSON, honest parameter declarations, clear refusals of bad parameters,
and the same output for the same input.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest

import layers
from geo import ParameterError
from layers import REGISTRY, LayerResult
from tests._valid import written_problem

#: A ~25 km line on the Estonian–Russian border near Narva, as GeoJSON text.
NARVA_LINE = json.dumps({"type": "LineString", "coordinates": [[28.0, 59.2], [28.2, 59.4]]})
#: What the contract builds each layer with (defaults, plus what a layer cannot default).
CONTRACT_PARAMETERS: dict[str, dict[str, Any]] = {name: {} for name in REGISTRY}
CONTRACT_PARAMETERS["custom"] = {"geometry": NARVA_LINE}

ROLES = {
    "member", "zone", "flank", "band", "line", "occupied", "dmz", "swap", "withdrawal", "referendum",
    "region", "checkpoint", "kyiv", "patrol", "ring", "site", "buffer", "source",
    "gain-ru", "gain-ua", "town-ru", "town-ua",
}
#: Features that are global by design: the 5,500 km ring from Kaliningrad reaches past 60°E and
#: over the North Pole (checked against its own references in test_range_rings).
GLOBAL_FEATURES = {"range-rings:5500km", "range-rings:500-5500km"}


def test_every_layer_is_in_the_contract() -> None:
    assert sorted(REGISTRY) == sorted(
        ["nato-enlargement", "buffer-zone", "frozen-line", "trans-dnieper", "loc-change", "range-rings", "custom"]
    )


@pytest.fixture(scope="module", params=sorted(REGISTRY))
def built(request, build) -> tuple[str, LayerResult]:
    name = request.param
    return name, build(name, CONTRACT_PARAMETERS[name])


# ----------------------------------------------------------------------------- features


def test_geometries_are_valid_non_empty_and_lon_lat(built) -> None:
    name, result = built
    assert result.features, f"{name} built no features"
    for f in result.features:
        g = f.geometry
        assert g.is_valid and not g.is_empty, f"{f.id}: valid={g.is_valid} empty={g.is_empty}"
        xmin, ymin, xmax, ymax = g.bounds
        assert -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90, (f.id, g.bounds)
        if f.id not in GLOBAL_FEATURES:  # European layers: swapped axes would put y below 34 or x past 60
            assert -30 < xmin and xmax < 60 and 34 <= ymin and ymax <= 90, (f.id, g.bounds)


def test_ids_names_and_roles(built) -> None:
    name, result = built
    ids = [f.id for f in result.features]
    assert len(set(ids)) == len(ids), ids
    for f in result.features:
        assert f.id.startswith(f"{name}:") and len(f.id) > len(name) + 1, f.id
        assert isinstance(f.name, str) and f.name.strip() and f.name != f.id, f.id
        assert f.role in ROLES, (f.id, f.role)


def test_every_feature_carries_area_and_population(built) -> None:
    _, result = built
    for f in result.features:
        props = f.export_properties()  # the exported form: lines and points keep area 0 and people 0
        area, people = props["area_km2"], props["population"]
        assert isinstance(area, int | float) and not isinstance(area, bool), (f.id, area)
        assert math.isfinite(area) and area >= 0, (f.id, area)
        assert (people is None and props["population_unknown_reason"]) or (
            isinstance(people, int) and not isinstance(people, bool) and people >= 0), (f.id, people)


def test_typed_figures_say_what_applies(built) -> None:
    """Areas carry km² and People; lines carry km and no people (not a zero)."""
    _, result = built
    for f in result.features:
        fig = f.figures
        assert fig is not None, f.id
        if f.geometry.geom_type in ("LineString", "MultiLineString"):
            assert fig.area_km2 is None and fig.people is None and fig.length_km > 0, f.id
        elif f.geometry.geom_type in ("Polygon", "MultiPolygon"):
            assert fig.area_km2 > 0 and fig.people is not None and 0.0 <= fig.people.coverage <= 1.0, f.id
            assert all(t.people > 0 and t.name for t in fig.towns), f.id
            # no sliver rows: every country or unit listed holds a part of the feature
            assert all(s.area_km2 > 0 for s in fig.by_country + fig.by_admin1), f.id


def test_geojson_describes_itself_and_is_strict_json(built) -> None:
    name, result = built
    doc = result.geojson()
    text = json.dumps(doc, allow_nan=False)  # raises on NaN/inf
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == len(result.features)
    declared = {p.name for p in REGISTRY[name].parameters}
    for feat in doc["features"]:
        props = feat["properties"]
        assert props["layer"] == name
        assert props["as_of"] == result.as_of.isoformat()
        dt.date.fromisoformat(props["as_of"])
        assert set(props["parameters"]) == declared
        assert isinstance(props["method"], str) and len(props["method"]) > 20
        assert isinstance(props["sources"], list) and all(isinstance(s, str) and s for s in props["sources"])
        if name != "custom":  # the user's own geometry has no published source
            assert props["sources"], feat["id"]
        assert isinstance(props["area_km2"], int | float) and isinstance(props["population"], int)
        assert feat["geometry"] is not None and feat["geometry"]["type"] in (
            "Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def test_exports_re_read_valid_with_the_right_hand_rule(built, tmp_path) -> None:
    """GeoJSON at its 6 decimals and GeoPackage, read back: valid, no zero-area ring, CCW exteriors.

    Before geo.output, frozen-line's Russian-held DMZ was written with a five-point zero-area
    clockwise ring and a self-intersection once rounded, and GeoPackage exteriors were clockwise.
    """
    import pyogrio

    name, result = built
    doc = json.loads(json.dumps(result.geojson()))
    problems = {f["id"]: written_problem(f["geometry"]) for f in doc["features"]}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    path = tmp_path / f"{name}.gpkg"
    result.to_geodataframe().to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    back = pyogrio.read_dataframe(path)
    problems = {i: written_problem(g) for i, g in zip(back["id"], back.geometry, strict=True)}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def test_same_parameters_give_the_same_geojson(built) -> None:
    name, first = built
    again = layers.build(name, CONTRACT_PARAMETERS[name])
    assert json.dumps(again.geojson(), sort_keys=True, allow_nan=False) == json.dumps(
        first.geojson(), sort_keys=True, allow_nan=False)


# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_parameter_declarations_are_complete_and_consistent(name) -> None:
    spec = REGISTRY[name]
    assert len({p.name for p in spec.parameters}) == len(spec.parameters)
    declared = json.loads(json.dumps(spec.to_dict(), allow_nan=False))
    for p, d in zip(spec.parameters, declared["parameters"], strict=True):
        assert d["name"] == p.name and d["type"] in ("float", "int", "bool", "date", "choice", "text")
        assert "default" in d and isinstance(d["label"], str) and d["label"].strip()
        if p.kind in ("float", "int", "date"):
            assert p.minimum is not None and p.maximum is not None, p.name
            assert p.minimum <= p.default <= p.maximum, p.name
            assert p.validate(p.default) == p.default
        if p.kind == "choice":
            assert p.default in p.choices, p.name
        if p.kind in ("float", "int"):
            assert isinstance(p.default, int | float) and not isinstance(p.default, bool), p.name
        if p.kind == "date":
            assert isinstance(p.default, dt.date), p.name
        if p.kind == "bool":
            assert isinstance(p.default, bool), p.name


def _bad_values() -> list[tuple[str, str, Any]]:
    """(layer, parameter, bad value) for every declared parameter, chosen by its kind."""
    cases = []
    for name, spec in REGISTRY.items():
        for p in spec.parameters:
            if p.kind in ("float", "int"):
                # "1_0" and Arabic-Indic "١٠" are 10 to Python's float() and int(), but no way to write a number here
                bad = [p.minimum - 1, p.maximum + 1, str(p.maximum + 1), "abc", True, float("nan"),
                       "1_0", "\u0661\u0660"]
                if p.kind == "int":
                    bad.append(1.5)
            elif p.kind == "date":
                bad = [p.minimum - dt.timedelta(days=1), (p.maximum + dt.timedelta(days=1)).isoformat(),
                       "2025-13-01", "yesterday", 12.5]
            elif p.kind == "choice":
                bad = ["no-such-choice", p.default.upper() if p.default.upper() != p.default else "X", 3]
            elif p.kind == "bool":
                bad = ["maybe", 2]
            else:  # text
                bad = [42]
            cases += [(name, p.name, v) for v in bad]
    return cases


@pytest.mark.parametrize(("name", "parameter", "value"), _bad_values())
def test_bad_parameter_values_are_refused_naming_the_parameter(name, parameter, value) -> None:
    with pytest.raises(ParameterError, match=f"'{parameter}'"):
        layers.build(name, {**CONTRACT_PARAMETERS[name], parameter: value})


@pytest.mark.parametrize("end", ["minimum", "maximum"])
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_layer_builds_at_the_ends_of_its_declared_ranges(name, end) -> None:
    """A declared range is a promise: every number in it, the ends included, must build."""
    spec = REGISTRY[name]
    values = {p.name: getattr(p, end) for p in spec.parameters if p.kind in ("float", "int")}
    if name == "range-rings":  # so that lon, lat and range_km are used
        values |= {"site": "custom", "preset": "custom"}
    result = layers.build(name, {**CONTRACT_PARAMETERS[name], **values})
    assert result.features
    for f in result.features:
        assert f.geometry.is_valid and not f.geometry.is_empty, f.id
        fig = f.figures
        assert fig.area_km2 is None or fig.area_km2 >= 0, f.id
        if fig.people is not None:
            # unknown is not zero: outside the embedded data a feature says so instead of 0
            people = fig.people.value
            assert (people is None and fig.people.unknown_reason) or people >= 0, f.id
    json.dumps(result.geojson(), allow_nan=False)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_unknown_parameter_is_refused_naming_it(name) -> None:
    with pytest.raises(ParameterError, match="'no_such_parameter'"):
        layers.build(name, {**CONTRACT_PARAMETERS[name], "no_such_parameter": 1})


def test_unknown_layer_is_refused_naming_the_layers() -> None:
    with pytest.raises(ParameterError, match="'no-such-layer'.*buffer-zone"):
        layers.build("no-such-layer")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_choice_has_a_human_label(name) -> None:
    """Forms show labels, not codes ("inf-band", "checkpoint" were shown raw)."""
    for p in REGISTRY[name].parameters:
        if p.kind == "choice":
            assert p.choice_labels and len(p.choice_labels) == len(p.choices), p.name
            assert len(set(p.choice_labels)) == len(p.choices) and all(label.strip() for label in p.choice_labels)
            assert all(p.choice_label(c) != c for c in p.choices), p.name


def test_attributes_hold_no_figures_and_sources_are_typed(built) -> None:
    """Figures are typed fields, never attributes; the result cites Source objects with a short form."""
    from layers import Source
    from tests.test_architecture import _FIGURE_KEYS

    _, result = built
    for f in result.features:
        assert not set(f.attributes) & set(_FIGURE_KEYS), (f.id, sorted(set(f.attributes) & set(_FIGURE_KEYS)))
    assert result.sources and all(isinstance(s, Source) and s.short.strip() for s in result.sources)
    props = result.geojson()["features"][0]["properties"]
    assert props["sources"] == [s.citation for s in result.sources]


def test_exported_towns_are_the_measured_settlements() -> None:
    """The export writes "Name (people)" from typed towns; checked against geo.measure run on its own."""
    from geo import measure

    result = layers.build("buffer-zone")
    f = next(x for x in result.features if x.id == "buffer-zone:LVA")
    towns = measure(f.geometry, top_settlements=5).largest_settlements.head(5)
    expected = [f"{n} ({int(p):,})" if i >= p else f"{n} ({int(i):,} of {int(p):,})"
                for n, i, p in zip(towns["name"], towns["inside"], towns["population"], strict=True)]
    assert expected and f.export_properties()["largest_settlements"][:len(expected)] == expected
    assert [t.name for t in f.figures.towns][:len(expected)] == list(towns["name"])
