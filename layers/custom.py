"""Anything a user draws or uploads, buffered and measured like the built-in layers.

Each shape (each feature of the GeoJSON or file) is measured on its own: a line and a
polygon drawn together give a figure each, and, when there are several, the buffer of all of
them together (their union, so land two buffers share is counted once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

import numpy as np
import shapely

from geo import area_km2, buffer, length_km
from geo._errors import BufferZoneError, ParameterError
from geo.edges import DEFAULT_EDGES, Edges, densify
from geo.io import read_vector
from layers._base import AS_OF, Feature, HeadlineRule, LayerResult, LayerSpec, Parameter, Role, Source, measured_feature
from layers.results import Figures

__all__ = ["MAX_SHAPES", "SPEC"]

#: What a drawn or uploaded area is cited as.
USER_GEOMETRY = Source("user-geometry", "User-supplied geometry")

NAME = "custom"
#: Most shapes measured one by one; a file with more is measured as one shape (and says so).
MAX_SHAPES = 12
_KIND = {"Point": "point", "MultiPoint": "points", "LineString": "line", "MultiLineString": "lines",
         "Polygon": "polygon", "MultiPolygon": "polygons", "GeometryCollection": "shapes"}


@dataclass(frozen=True)
class _Shape:
    """One drawn or uploaded shape: its own name (from the file's ``name`` property) or "", its geometry."""

    name: str
    geometry: shapely.Geometry


def _shapes(text: str) -> tuple[list[_Shape], list[str]]:
    """The shapes of the geometry parameter, one per feature, and notes on what was merged."""
    if not text.strip():
        raise ParameterError("parameter 'geometry' is empty: draw or upload a point, line or polygon first")
    path_like = not text.lstrip().startswith(("{", "["))
    loaded = read_vector(text if path_like else text.encode("utf-8"), filename=None if path_like else "drawn.geojson")
    frame = loaded.frame
    geoms = list(frame.geometry.values)
    if len(geoms) > MAX_SHAPES:
        return ([_Shape("", shapely.union_all(geoms))],
                [f"The {len(geoms):,} shapes given are measured as one (more than {MAX_SHAPES} are not measured "
                 "one by one)."])
    names = frame["name"] if "name" in frame.columns else [None] * len(geoms)
    return [_Shape(" ".join(str(n).split())[:80] if isinstance(n, str) else "", g)
            for n, g in zip(names, geoms, strict=True)], []


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a geometry (of a collection, its polygon members), possibly empty."""
    parts = shapely.get_parts(geom)
    return shapely.union_all(parts[np.isin(shapely.get_type_id(parts), (3, 6))])


def _shape_features(geom: shapely.Geometry, name: str, suffix: str, p: dict[str, Any]) -> tuple[list[Feature], str]:
    """The buffer (if the width is not 0) and the shape itself, as features; and the side used."""
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
        features.append(measured_feature(f"{NAME}:buffer{suffix}", f"{name} – {p['width_km']:g} km, {side}",
                                         "buffer", zone, top_settlements=10, width_km=p["width_km"], side=side))
    if is_area:
        features.append(measured_feature(f"{NAME}:source{suffix}", name, "source", area, top_settlements=10))
    else:
        features.append(Feature(f"{NAME}:source{suffix}", name, "source", geom,
                                Figures(None, None, round(length_km(geom), 3))))
    return features, side


def _build(p: dict[str, Any]) -> LayerResult:
    # the drawn or uploaded edges read once, in the declared meaning: the buffer, the area,
    # the people, the map and the export all use these densified shapes
    shapes, notes = _shapes(p["geometry"])
    shapes = [_Shape(s.name, densify(s.geometry, edges=p["edges"])) for s in shapes]
    features: list[Feature] = []
    if len(shapes) == 1:  # one shape keeps the plain ids (``custom:buffer``) that links name
        features, _ = _shape_features(shapes[0].geometry, p["label"], "", p)
    else:
        sides = set()
        for i, s in enumerate(shapes, start=1):
            name = f"{p['label']} {i}: {s.name or _KIND.get(s.geometry.geom_type, 'shape')}"
            made, side = _shape_features(s.geometry, name, f"-{i}", p)
            features += made
            sides.add(side)
        if p["width_km"] > 0:  # all together: land two buffers share counted once
            zone = shapely.union_all([f.geometry for f in features if f.role == "buffer"])
            features.insert(0, measured_feature(
                f"{NAME}:buffer-all", f"{p['label']}, all {len(shapes)} shapes – {p['width_km']:g} km",
                "zone", zone, top_settlements=10, width_km=p["width_km"], side="/".join(sorted(sides))))
    return SPEC.result(
        p, p["as_of"], features,
        "User geometry, geodesic buffer on the WGS84 ellipsoid (geo.buffer); people from geo.measure. "
        "Each shape drawn or uploaded is measured on its own; with several, their buffers together too "
        "(overlaps counted once).",
        notes,
        citations=(USER_GEOMETRY,),
    )


SPEC = LayerSpec(
    name=NAME,
    title="Your own geometry",
    description="Any point, line or polygon you draw or upload, buffered one- or two-sided and measured "
    "the same way as the proposals.",
    parameters=(
        Parameter("geometry", "text", "", "Geometry", help="GeoJSON text, or the path of a vector file.",
                  accepts_geometry=True, in_title=False),
        Parameter("width_km", "float", 50.0, "Buffer width", unit="km", minimum=0.0, maximum=10000.0, step=5.0,
                  display="%.0f"),
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
    roles={"zone": Role("All shapes together", "zone"), "buffer": Role("Buffer", "buffer"),
           "source": Role("Your geometry", "source")},
    headline_rules=(HeadlineRule("{name}", roles=("zone",)), HeadlineRule("{name}", roles=("buffer",), each=True),
                    HeadlineRule("{name}", roles=("source",), each=True)),
)
