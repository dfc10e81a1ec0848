"""What every proposal layer is made of: declared parameters, features, results, citations.

A layer is a :class:`LayerSpec`: a name, a title, a description citing the proposal, a tuple
of :class:`Parameter` declarations and a pure ``build`` function of the validated
parameters. The same parameters always give the same features and figures.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo import AREA_METHOD, Measurement, measure, people_text
from geo._errors import ParameterError
from geo.io import feature_collection
from geo.output import for_output
from layers.parameters import AS_OF, Parameter
from layers.results import Figures, Headline, HeadlineRule, People, Role, Share, Town, figure_properties, headlines

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "AS_OF",
    "Feature",
    "Figures",
    "Headline",
    "HeadlineRule",
    "LayerResult",
    "LayerSpec",
    "Parameter",
    "Role",
    "Source",
    "measured_feature",
]


@dataclass(frozen=True)
class Source:
    """A document a layer draws on, cited in its description and in every feature.

    ``short`` is the one-line form used where space is tight (image footers); it is the
    citation itself where none is given.
    """

    key: str
    citation: str
    short: str = ""

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.citation)

    def __str__(self) -> str:
        return self.citation


@dataclass(frozen=True)
class Feature:
    """One map feature: its typed figures and a few non-figure attributes (side, role, dates...).

    ``figures`` is ``None`` for a feature that is not measured; ``attributes`` holds no
    figures (they become GeoJSON properties only at the export edge, :meth:`properties`).
    """

    id: str
    name: str
    role: str
    geometry: BaseGeometry
    figures: Figures | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def export_properties(self) -> dict[str, Any]:
        """GeoJSON properties of this feature: id, name, role, its figures, then its attributes."""
        return {"id": self.id, "name": self.name, "role": self.role,
                **figure_properties(self.figures), **self.attributes}


@dataclass(frozen=True)
class LayerResult:
    """What a layer build returns: features, figures and where they come from."""

    layer: str
    title: str
    as_of: dt.date
    parameters: dict[str, Any]
    features: tuple[Feature, ...]
    method: str
    sources: tuple[Source, ...]
    notes: tuple[str, ...] = ()
    approximate: bool = False
    #: For layers built on the line of contact: ``loc_date``, ``loc_source``, ``loc_age_days``,
    #: ``loc_stale``... (:meth:`geo.frontline.Frontline.properties`), repeated on every feature.
    line_of_contact: Mapping[str, Any] | None = None
    #: The figures this result is about, as the layer declares them (they move with its parameters).
    headlines: tuple[Headline, ...] = ()
    #: Parameters to name in titles: (label, value in words), those that differ from the defaults.
    title_parameters: tuple[tuple[str, str], ...] = ()
    #: Role -> its human label and style key, as the layer declares them.
    roles: Mapping[str, Role] = field(default_factory=dict)

    def role_label(self, role: str) -> str:
        """A role in words ("DMZ" for ``dmz``); the role itself if the layer does not label it."""
        r = self.roles.get(role)
        return r.label if r else role

    def common_properties(self) -> dict[str, Any]:
        """Properties repeated on every feature so an exported feature stands on its own."""
        return {
            "layer": self.layer,
            "as_of": self.as_of.isoformat(),
            "parameters": json.loads(json.dumps(self.parameters, default=_json_default)),
            "method": self.method,
            "sources": [str(s) for s in self.sources],
            "approximate": self.approximate,
            **dict(self.line_of_contact or {}),
        }

    def geojson(self) -> dict[str, Any]:
        """RFC 7946 FeatureCollection with the figures, parameters, sources and as-of date."""
        common = self.common_properties()
        feats = [
            (f.geometry, {**f.export_properties(), **common})
            for f in self.features
        ]
        return feature_collection(
            feats, name=self.title, layer=self.layer, as_of=self.as_of.isoformat(),
            notes=list(self.notes),
        )

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """Features as a flat GeoDataFrame (lists and dicts as JSON text), e.g. for GeoPackage."""
        import geopandas as gpd

        common = self.common_properties()
        rows = []
        for f in self.features:
            row = {}
            for key, value in {**f.export_properties(), **common}.items():
                row[key] = (json.dumps(value, ensure_ascii=False, default=_json_default)
                            if isinstance(value, list | dict) else value)
            rows.append(row)
        geometry = [for_output(f.geometry) for f in self.features]  # valid, exteriors counter-clockwise
        return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")

    def figures(self) -> pd.DataFrame:
        """One row per feature: id, name, role, km², people, largest settlements (for CSV)."""
        rows = []
        for f in self.features:
            props = figure_properties(f.figures)
            rows.append({
                "layer": self.layer, "id": f.id, "name": f.name, "role": f.role,
                "area_km2": props.get("area_km2"), "population": props.get("population"),
                "people": "" if "population" not in props else people_text(
                    props["population"], low=props.get("population_low"), high=props.get("population_high"),
                    coverage=float(props.get("population_coverage_pct", 100.0)) / 100.0),
                "population_low": props.get("population_low"),
                "population_high": props.get("population_high"),
                "population_coverage_pct": props.get("population_coverage_pct"),
                "population_basis": "; ".join(props.get("population_basis", [])),
                "length_km": props.get("length_km"),
                "largest_settlements": "; ".join(props.get("largest_settlements", [])),
                "as_of": self.as_of.isoformat(), "approximate": self.approximate,
                "population_method": props.get("population_method", ""),
                **{k: v for k, v in (self.line_of_contact or {}).items()
                   if k in ("loc_date", "loc_source_key", "loc_age_days", "loc_stale")},
            })
        return pd.DataFrame(rows)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@dataclass(frozen=True)
class LayerSpec:
    """A registered proposal layer."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    build_fn: Callable[[dict[str, Any]], LayerResult]
    sources: tuple[Source, ...]
    #: Role -> its human label and style key (legends, tables).
    roles: Mapping[str, Role] = field(default_factory=dict)
    #: The headline figures, in order (a DMZ side, a withdrawal...), evaluated on each build.
    headline_rules: tuple[HeadlineRule, ...] = ()

    def title_parameters(self, values: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """(label, value in words) of the parameters shown in forms and titles that differ from the defaults."""
        out = []
        for p in self.parameters:
            if not p.in_title or not p.shown_in_forms(dict(values), self.parameters):
                continue
            value = values.get(p.name, p.default)
            if value != p.default:
                out.append((p.label, p.format_value(value)))
        return tuple(out)

    def parameter(self, name: str) -> Parameter:
        """The declaration of one parameter (ParameterError if unknown)."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"layer {self.name!r} has no parameter {name!r}; its parameters are {[p.name for p in self.parameters]}"
        )

    def validate(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``values``, each validated; unknown names are refused."""
        values = dict(values or {})
        for name in values:
            self.parameter(name)
        return {p.name: p.validate(values[p.name]) if p.name in values else p.default for p in self.parameters}

    def build(self, values: Mapping[str, Any] | None = None) -> LayerResult:
        """Validate the parameters and build the layer."""
        return self.build_fn(self.validate(values))

    def result(
        self,
        parameters: dict[str, Any],
        as_of: dt.date,
        features: Sequence[Feature],
        method: str,
        notes: Sequence[str] = (),
        *,
        approximate: bool = False,
        line_of_contact: Mapping[str, Any] | None = None,
        citations: Sequence[Source] | None = None,
    ) -> LayerResult:
        """A build's result under this layer's name and title, citing its sources (or ``citations``)."""
        cited = tuple(citations) if citations is not None else tuple(self.sources)
        features = tuple(features)
        return LayerResult(self.name, self.title, as_of, parameters, features, method, cited,
                           tuple(notes), approximate, dict(line_of_contact) if line_of_contact else None,
                           headlines(self.name, self.headline_rules, features), self.title_parameters(parameters),
                           dict(self.roles))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready declaration."""
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "parameters": [p.to_dict() for p in self.parameters],
            "sources": [str(s) for s in self.sources],
            "roles": {k: r.label for k, r in self.roles.items()},
            "headlines": [h.label for h in self.headline_rules],
        }


def measured_feature(
    fid: str,
    name: str,
    role: str,
    geometry: BaseGeometry,
    *,
    top_settlements: int = 5,
    figures: Measurement | None = None,
    breakdown: bool = True,
    **attributes: Any,
) -> Feature:
    """A feature with its measured, typed figures (:class:`Figures`) and ``attributes``.

    Polygons get km² (geodesic), people (``None`` where unknown, with the reason) with its
    range, coverage (share of the area with data), time basis, method and notes, the largest
    ``top_settlements`` towns, and the area by country and by first-level unit (empty with
    ``breakdown=False``, for parts whose whole is broken down already); lines get km of line
    and no area or people.
    """
    from geo import length_km

    if geometry.geom_type in ("LineString", "MultiLineString"):
        fig = Figures(None, None, round(length_km(geometry), 1), not_applicable="not applicable (a line)")
        return Feature(fid, name, role, geometry, fig, attributes)
    m = figures if figures is not None else measure(geometry, top_settlements=top_settlements, breakdown=breakdown)
    towns = m.largest_settlements.head(top_settlements)
    reason = None
    if m.population is None:
        reason = next((n for n in m.population_notes if n.startswith("No population data")),
                      "outside the embedded data")
    people = People(None if m.population is None else int(m.population), m.population_low, m.population_high,
                    round(100.0 * m.population_coverage, 1) / 100.0, tuple(m.population_basis),
                    m.population_method, tuple(m.population_notes), reason)
    fig = Figures(
        round(m.area_km2, 1), people, None,
        tuple(Town(str(n), int(i), int(w))
              for n, i, w in zip(towns["name"], towns["inside"], towns["population"], strict=True)),
        # a unit whose part rounds to 0.0 km² is a sliver between outlines, not a row a reader wants
        tuple(Share(r.iso_a3, r.name, round(r.area_km2, 1), round(float(r.share_pct), 3), int(r.population), r.iso_a3)
              for r in m.by_country.itertuples() if round(r.area_km2, 1) > 0),
        tuple(Share(r.iso_3166_2, r.name, round(r.area_km2, 1), round(float(r.share_pct), 3), int(r.population),
                    r.iso_a3) for r in m.by_admin1.itertuples() if round(r.area_km2, 1) > 0),
        area_method=AREA_METHOD,
    )
    return Feature(fid, name, role, geometry, fig, attributes)


def describe(text: str, sources: Sequence[Source]) -> str:
    """A layer's description followed by the short keys of the documents it comes from."""
    return f"{text} Sources: {'; '.join(s.key for s in sources)}."
