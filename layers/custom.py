"""Anything a user draws or uploads, buffered and measured like the built-in layers."""

from __future__ import annotations

from typing import Any, get_args

import numpy as np
import shapely

from geo import area_km2, buffer, length_km
from geo._errors import BufferZoneError, ParameterError
from geo.edges import DEFAULT_EDGES, Edges, densify
from geo.io import read_vector
from layers._base import AS_OF, Feature, HeadlineRule, LayerResult, LayerSpec, Parameter, Role, measured_feature

__all__ = ["SPEC"]

NAME = "custom"


def _geometry(text: str) -> shapely.Geometry:
    if not text.strip():
        raise ParameterError("parameter 'geometry' is empty: draw or upload a point, line or polygon first")
    path_like = not text.lstrip().startswith(("{", "["))
    loaded = read_vector(text if path_like else text.encode("utf-8"), filename=None if path_like else "drawn.geojson")
    return shapely.union_all(loaded.frame.geometry.values)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a geometry (of a collection, its polygon members), possibly empty."""
    parts = shapely.get_parts(geom)
    return shapely.union_all(parts[np.isin(shapely.get_type_id(parts), (3, 6))])


def _build(p: dict[str, Any]) -> LayerResult:
    # the drawn or uploaded edges read once, in the declared meaning: the buffer, the area,
    # the people, the map and the export all use this one densified shape
    geom = densify(_geometry(p["geometry"]), edges=p["edges"])
    area = _polygonal(geom)
    is_area = not area.is_empty
    side = p["side"]
    if side == "auto":  # "outside" grows polygons and buffers a collection's points and lines on both sides
        side = "outside" if is_area else "both"
    features: list[Feature] = []
    if p["width_km"] > 0:
        zone = buffer(geom, p["width_km"], side=side, edges=p["edges"])
        if side == "outside" and is_area and area_km2(shapely.difference(area, zone)) > 1e-6 * area_km2(area):
            raise BufferZoneError("internal check failed: the outside buffer does not cover the polygon it grows; "
                                  "please report the input")
        features.append(measured_feature(f"{NAME}:buffer", f"{p['label']} – {p['width_km']:g} km, {side}", "buffer",
                                         zone, top_settlements=10, width_km=p["width_km"], side=side))
    if is_area:
        features.append(measured_feature(f"{NAME}:source", p["label"], "source", area, top_settlements=10))
    else:
        features.append(Feature(f"{NAME}:source", p["label"], "source", geom,
                                {"area_km2": 0.0, "population": 0, "largest_settlements": [],
                                 "length_km": round(length_km(geom), 3)}))
    return SPEC.result(
        p, p["as_of"], features,
        "User geometry, geodesic buffer on the WGS84 ellipsoid (geo.buffer); people from geo.measure.",
        citations=("User-supplied geometry",),
    )


SPEC = LayerSpec(
    name=NAME,
    title="Your own geometry",
    description="Any point, line or polygon you draw or upload, buffered one- or two-sided and measured "
    "the same way as the proposals.",
    parameters=(
        Parameter("geometry", "text", "", "Geometry", help="GeoJSON text, or the path of a vector file.",
                  accepts_geometry=True, in_title=False),
        Parameter("width_km", "float", 50.0, "Buffer width", unit="km", minimum=0.0, maximum=10000.0, step=5.0),
        Parameter("side", "choice", "auto", "Side", choices=("auto", "both", "left", "right", "outside", "inside"),
                  choice_labels=("Automatic (outside for polygons, both for lines and points)", "Both sides",
                                 "Left of the line", "Right of the line", "Outside the polygon",
                                 "Inside the polygon"),
                  help="auto: outside for polygons, both for points and lines."),
        Parameter("edges", "choice", DEFAULT_EDGES, "Edges", choices=get_args(Edges),
                  choice_labels=("Straight in lon/lat", "Geodesic"),
                  help="What an edge between two vertices means: straight in lon/lat (RFC 7946, files' "
                       "convention) or a geodesic (PostGIS geography). Shapes drawn on the map are straight."),
        Parameter("label", "text", "Custom area", "Label"),
        AS_OF,
    ),
    build_fn=_build,
    sources=(),
    roles={"buffer": Role("Buffer", "buffer"), "source": Role("Your geometry", "source")},
    headline_rules=(HeadlineRule("{name}", ids=("buffer",)), HeadlineRule("{name}", ids=("source",))),
)
