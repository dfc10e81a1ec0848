"""Folium maps of layer results: offline context, colour-blind-safe styles, legend, popups.

Nothing here imports Streamlit, so the same map is rendered in the app and in a standalone
HTML export. Geometries are simplified **for display only** (each layer's GeoJSON stays
under :data:`MAX_LAYER_BYTES`); every figure shown comes from the full-resolution results.
User-supplied text is escaped before it reaches any popup, tooltip or legend.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import MacroElement, Template
from folium.utilities import JsCode

from bufferzone.styles import LAYER_COLOURS, ROLE_STYLES, feature_style
from geo import data
from layers import LayerResult

__all__ = ["LAYER_COLOURS", "MAX_LAYER_BYTES", "ROLE_STYLES", "build_map", "display_geojson", "layer_group", "legend_html"]

#: Most bytes of GeoJSON sent to the browser per layer.
MAX_LAYER_BYTES = 300_000

def _style(layer: str, role: str, props: dict[str, Any]) -> dict[str, Any]:
    st = feature_style(layer, role, props)
    return {"color": st.edge, "fillColor": st.fill, "fillOpacity": st.fill_opacity,
            "weight": st.weight, "dashArray": st.dash}


def display_geojson(result: LayerResult, *, max_bytes: int = MAX_LAYER_BYTES) -> dict[str, Any]:
    """The layer's features simplified until the GeoJSON is under ``max_bytes`` (display only).

    Simplification (Douglas–Peucker in degrees, topology kept) affects only what the browser
    draws; every figure comes from the full-resolution features. The tolerance is the finest
    of a fixed ladder whose vertex count fits the budget (counted with the fast, topology-free
    simplification); each geometry's simplified form is cached, so features that recur across
    parameter changes (countries, the border, an occupied area) are simplified once.
    """
    props = [{k: f.properties[k] for k in _POPUP_KEYS if k in f.properties} | {"name": f.name, "role": f.role}
             for f in result.features]
    room = max_bytes - len(json.dumps(props, default=str)) - 60 * len(props)
    geoms = np.array([f.geometry for f in result.features], dtype=object)

    def vertices(tolerance: float) -> int:
        fast = geoms if tolerance == 0 else shapely.simplify(geoms, tolerance, preserve_topology=False)
        return int(shapely.get_num_coordinates(fast).sum())

    # finest tolerance whose (estimated) size fits: bisect the ladder, counts fall as it rises
    lo, hi = 0, len(_TOLERANCES) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if vertices(_TOLERANCES[mid]) * _BYTES_PER_VERTEX <= room:
            hi = mid
        else:
            lo = mid + 1
    for tolerance in _TOLERANCES[lo:]:
        texts = [_display_text(g, tolerance) for g in geoms]
        # json.dumps, as the map writes it, adds a space after every comma: 2 per vertex
        if sum(len(t) for t in texts) + 2 * vertices(tolerance) <= room:
            break
    feats = [{"type": "Feature", "id": f.id, "properties": p, "geometry": json.loads(t)}
             for f, p, t in zip(result.features, props, texts, strict=True)]
    return {"type": "FeatureCollection", "features": feats}


#: Display tolerances tried, degrees (0.001° ≈ 70–110 m in Europe).
_TOLERANCES = (0.0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
#: Least JSON a vertex costs at 5 decimals, e.g. ``[24.12345,54.12345],``.
_BYTES_PER_VERTEX = 18


@functools.lru_cache(maxsize=512)
def _display_text(geom: shapely.Geometry, tolerance: float) -> str:
    """GeoJSON text of a geometry simplified for display (5 decimals, about 1 m)."""
    shown = geom if tolerance == 0 else shapely.simplify(geom, tolerance, preserve_topology=True)
    return shapely.to_geojson(shapely.set_precision(shown, 1e-5, mode="pointwise"))


_POPUP_KEYS = ("name", "role", "area_km2", "population", "length_km", "largest_settlements", "wave",
               "accession_date", "joined_after_founding_act", "capitals_within", "range_km")


def _popup_html(props: dict[str, Any], approximate: bool) -> str:
    rows = [f"<b>{html.escape(str(props.get('name', '')))}</b>"]
    if props.get("length_km"):
        rows.append(f"{props['length_km']:,.1f} km long")
    else:
        rows.append(f"{props.get('area_km2', 0):,.0f} km² · {props.get('population', 0):,} people")
    if props.get("accession_date"):
        rows.append(f"joined NATO {html.escape(str(props['accession_date']))}")
    towns = props.get("largest_settlements") or []
    if towns:
        rows.append("largest: " + html.escape(", ".join(towns[:5])))
    caps = props.get("capitals_within") or []
    if caps:
        rows.append(f"{len(caps)} capitals: " + html.escape(", ".join(caps[:12])) + ("…" if len(caps) > 12 else ""))
    if approximate:
        rows.append("<i>approximate line-of-contact data</i>")
    return "<br>".join(rows)


def layer_group(result: LayerResult, *, shown: dict[str, Any] | None = None,
                max_bytes: int = MAX_LAYER_BYTES) -> folium.FeatureGroup:
    """One folium FeatureGroup for a layer result, styled by role, with popups and tooltips.

    ``shown`` is the display GeoJSON if already prepared (:func:`display_geojson`).
    """
    group = folium.FeatureGroup(name=html.escape(result.title), show=True)
    shown = shown or display_geojson(result, max_bytes=max_bytes)
    layer = result.layer
    for feat in shown["features"]:
        props = feat["properties"]
        popup = folium.Popup(_popup_html(props, result.approximate), max_width=360)
        tooltip = html.escape(str(props.get("name", "")))
        if feat["geometry"]["type"] == "Point":
            folium.CircleMarker(
                location=(feat["geometry"]["coordinates"][1], feat["geometry"]["coordinates"][0]),
                radius=5, color="#000000", fill=True, fill_opacity=1.0, popup=popup, tooltip=tooltip,
            ).add_to(group)
            continue
        style = _style(layer, str(props.get("role", "")), props)
        folium.GeoJson(
            feat, style_function=lambda _f, s=style: s, highlight_function=lambda _f: {"weight": 3},
            popup=popup, tooltip=tooltip, name=tooltip,
        ).add_to(group)
    return group


@functools.cache
def _context_geojson() -> tuple[str, str, list[tuple[str, float, float, bool]]]:
    """Offline base map: simplified country outlines, the Dnieper, and place labels."""
    countries = data.countries()
    land = countries[["name", "geometry"]].copy()
    land["geometry"] = land.geometry.simplify(0.01, preserve_topology=True).set_precision(1e-4)
    river = data.dnieper()[["name", "geometry"]].copy()
    river["geometry"] = river.geometry.simplify(0.005).set_precision(1e-4)
    towns = data.settlements()
    capitals = towns[towns["feature_code"] == "PPLC"]
    big = towns[(towns["population"] >= 500_000) & (towns["feature_code"] != "PPLC")]
    labels = [(n, g.y, g.x, True) for n, g in zip(capitals["name"], capitals.geometry, strict=True)]
    labels += [(n, g.y, g.x, False) for n, g in zip(big["name"], big.geometry, strict=True)]
    return land.to_json(), river.to_json(), labels


_PLACE_LABEL_JS = """function (feature, layer) {
    const label = document.createElement("span");
    label.textContent = feature.properties.name;
    label.style.cssText = "font:" + (feature.properties.capital ? "600" : "400") + " 11px sans-serif;"
        + "color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap";
    layer.bindTooltip(label, {permanent: true, direction: "right", offset: [4, 0], className: "bz-place-label"});
}"""
_PLACE_LABEL_CSS = (".bz-place-label{background:none;border:none;box-shadow:none;padding:0}"
                    ".bz-place-label:before{display:none}")


def _add_context(m: folium.Map) -> None:
    land_json, river_json, labels = _context_geojson()
    base = folium.FeatureGroup(name="Countries and borders (embedded)", show=True, control=True)
    folium.GeoJson(
        land_json, name="countries",
        style_function=lambda _f: {"color": "#6b6b6b", "weight": 0.7, "fillColor": "#f2efe9", "fillOpacity": 1.0},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(base)
    folium.GeoJson(river_json, name="Dnieper",
                   style_function=lambda _f: {"color": "#4a90c2", "weight": 2.2}).add_to(base)
    base.add_to(m)
    m.get_root().header.add_child(folium.Element(f"<style>{_PLACE_LABEL_CSS}</style>"), name="bz_place_label_css")
    names = folium.FeatureGroup(name="Place names", show=True)
    # one GeoJSON layer with permanent tooltips as labels: hundreds of separate markers would
    # each be a template render on every rerun
    points = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name, "capital": capital},
         "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]}}
        for name, lat, lon, capital in labels
    ]}
    # a permanent tooltip bound to the whole GeoJSON group opens only once (one label in all):
    # bind one to each place; the name goes in as text, never as HTML
    folium.GeoJson(
        points, name="Place names",
        marker=folium.CircleMarker(radius=2.5, color="#333333", fill=True, fill_opacity=1.0, weight=1),
        on_each_feature=JsCode(_PLACE_LABEL_JS),
    ).add_to(names)
    names.add_to(m)


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div style="position:absolute;z-index:9999;bottom:28px;right:10px;background:rgba(255,255,255,.92);
 padding:8px 10px;border:1px solid #999;border-radius:4px;font:12px sans-serif;max-width:280px">
<div style="font-weight:600;margin-bottom:4px">Legend</div>
{{ this.rows }}
<div style="margin-top:4px;color:#555">Distances and areas geodesic (WGS84).{{ this.note }}</div>
</div>
{% endmacro %}
""")


class _Legend(MacroElement):
    def __init__(self, rows: str, note: str) -> None:
        super().__init__()
        self._template = _LEGEND
        self.rows = rows
        self.note = note


def _legend(results: Sequence[LayerResult]) -> _Legend:
    rows = []
    for r in results:
        roles = []
        for f in r.features:
            if f.role not in roles:
                roles.append(f.role)
        swatches = "".join(
            f'<span title="{html.escape(role)}" style="display:inline-block;width:12px;height:12px;margin-right:2px;'
            f'background:{_style(r.layer, role, {})["fillColor"]};opacity:.8;border:1px solid #333"></span>'
            for role in roles if role not in ("line", "site", "member")
        )
        rows.append(f'<div><span style="display:inline-block;width:14px;height:4px;background:'
                    f'{LAYER_COLOURS.get(r.layer, "#000")};margin-right:6px;vertical-align:middle"></span>'
                    f'{html.escape(r.title)} {swatches}</div>')
    note = " Line of contact approximate." if any(r.approximate for r in results) else ""
    return _Legend("".join(rows) or "<div>No layer on</div>", note)


def build_map(
    results: Iterable[LayerResult],
    *,
    center: tuple[float, float] = (52.0, 24.0),
    zoom: int = 4,
    tiles: bool = False,
    include_layers: bool = True,
    legend: bool = True,
) -> folium.Map:
    """A folium map: offline context, the layers (unless ``include_layers`` is False), legend, scale.

    Parameters
    ----------
    results : iterable of LayerResult
    center : (lat, lon)
    zoom : int
    tiles : bool
        Add a web base map (needs a network; the embedded context is drawn either way).
    include_layers : bool
        False when the app adds the layers through streamlit-folium's ``feature_group_to_add``.
    legend : bool
        Draw the legend on the map (the app shows it beside the map instead, see
        :func:`legend_html`, so that the cached base map never changes).
    """
    results = list(results)
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=True)
    if tiles:
        folium.TileLayer("CartoDB positron", name="Web base map (online)", control=True).add_to(m)
    _add_context(m)
    if include_layers:
        for r in results:
            layer_group(r).add_to(m)
    if legend:
        m.get_root().add_child(_legend(results))
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def legend_html(results: Sequence[LayerResult]) -> str:
    """The legend as an HTML block (escaped), for showing beside the map."""
    legend = _legend(results)
    return (f'<div style="font:12px sans-serif;border:1px solid #ccc;border-radius:4px;padding:6px 8px">'
            f'{legend.rows}<div style="color:#555;margin-top:4px">Distances and areas geodesic (WGS84).'
            f'{legend.note}</div></div>')
