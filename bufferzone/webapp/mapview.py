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
from pathlib import Path
from typing import Any

import folium
import shapely
from branca.element import Element, MacroElement, Template

from bufferzone.styles import LAYER_COLOURS, ROLE_STYLES, feature_style
from bufferzone.webapp.labels import Label, min_zooms
from bufferzone.webapp.viewport import bounds_of
from geo import data, people_text
from layers import Feature, LayerResult

__all__ = ["CONTEXT_FILES", "CONTEXT_URL", "LAYER_COLOURS", "MAX_LAYER_BYTES", "ROLE_STYLES", "build_map",
           "ZOOM_HEADROOM", "display_geojson", "display_text", "layer_group", "legend_html", "role_entries",
           "role_legend_html", "write_context",
           "zoom_tolerance"]

#: Most bytes of GeoJSON sent to the browser per layer.
MAX_LAYER_BYTES = 300_000

def _style(layer: str, role: str, props: dict[str, Any]) -> dict[str, Any]:
    st = feature_style(layer, role, props)
    return {"color": st.edge, "fillColor": st.fill, "fillOpacity": st.fill_opacity,
            "weight": st.weight, "dashArray": st.dash}


def zoom_tolerance(zoom: float) -> float:
    """The coarsest display tolerance (degrees, one of the ladder) that no one sees at ``zoom``.

    A Web Mercator pixel at zoom z spans 360 / (256 · 2^z) degrees of longitude and, at 60° N,
    half that of latitude; the tolerance is at most half of that, for the map zoomed in
    :data:`ZOOM_HEADROOM` levels beyond ``zoom`` (Leaflet's zoom levels; 0 is the whole world
    in one 256-pixel tile).

    Examples
    --------
    >>> zoom_tolerance(4), zoom_tolerance(9)
    (0.005, 0.0)
    """
    pixel_deg = 360.0 / (256.0 * 2.0 ** (zoom + ZOOM_HEADROOM)) * 0.5
    return max(t for t in _TOLERANCES if t <= 0.5 * pixel_deg)


def display_geojson(result: LayerResult, *, max_bytes: int = MAX_LAYER_BYTES,
                    zoom: float | None = None) -> dict[str, Any]:
    """The layer's features simplified until the GeoJSON is under ``max_bytes`` (display only).

    Properties are those a popup shows. See :func:`_display_geometries` for the simplification;
    with ``zoom`` (the map's Leaflet zoom level), no finer than :func:`zoom_tolerance` needs.
    """
    props = [_popup_properties(f) for f in result.features]
    texts = _display_geometries(result, props, max_bytes, zoom)
    feats = [{"type": "Feature", "id": f.id, "properties": p, "geometry": json.loads(t)}
             for f, p, t in zip(result.features, props, texts, strict=True)]
    return {"type": "FeatureCollection", "features": feats}


def display_text(result: LayerResult, *, max_bytes: int = MAX_LAYER_BYTES, zoom: float | None = None) -> str:
    """The layer as the map embeds it: display GeoJSON text, under ``max_bytes`` (and for ``zoom``, if given).

    Its features also carry their style (``_style``) and popup HTML (``_popup``, user text
    escaped); the text is safe inside a ``<script>``. Written from the geometries' GeoJSON
    text, never parsed.
    """
    props = []
    for f in result.features:
        shown = _popup_properties(f)
        props.append(shown | {"_popup": _popup_html(shown, result.approximate),
                              "_style": _style(result.layer, f.role, shown)})
    texts = _display_geometries(result, props, max_bytes, zoom)
    feats = ",".join(
        f'{{"type":"Feature","id":{json.dumps(f.id, ensure_ascii=False)},'
        f'"properties":{json.dumps(p, ensure_ascii=False, default=str)},"geometry":{t}}}'
        for f, p, t in zip(result.features, props, texts, strict=True)
    )
    return _script_safe(f'{{"type":"FeatureCollection","features":[{feats}]}}')


def _popup_properties(feature: Feature) -> dict[str, Any]:
    props = feature.export_properties()  # the HTML map is an export: typed figures become properties here
    return {k: props[k] for k in _POPUP_KEYS if k in props} | {"name": feature.name, "role": feature.role}


def _display_geometries(result: LayerResult, props: list[dict[str, Any]], max_bytes: int,
                        zoom: float | None = None) -> list[str]:
    """GeoJSON text of each feature's geometry, simplified for display only.

    Simplified so that the features, with ``props``, fit in ``max_bytes``. Simplification
    (Douglas–Peucker in degrees, topology kept) affects only what the browser draws; every
    figure comes from the full-resolution features. The tolerance is the finest of a fixed
    ladder whose vertex count fits the budget (counted with the fast, topology-free
    simplification); each geometry's simplified form is cached, so features that recur
    across parameter changes (countries, the border, an occupied area) are simplified once.
    With ``zoom``, the ladder starts at :func:`zoom_tolerance` (detail no pixel shows is not sent).
    """
    room = max_bytes - len(_script_safe(json.dumps(props, default=str))) - 60 * len(props)
    geoms = [f.geometry for f in result.features]

    def vertices(tolerance: float) -> int:
        return sum(_fast_vertex_count(g, tolerance) for g in geoms)

    # finest tolerance whose (estimated) size fits: bisect the ladder, counts fall as it rises
    lo = 0 if zoom is None else _TOLERANCES.index(zoom_tolerance(zoom))
    hi = len(_TOLERANCES) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if vertices(_TOLERANCES[mid]) * _BYTES_PER_VERTEX <= room:
            hi = mid
        else:
            lo = mid + 1
    for tolerance in _TOLERANCES[lo:]:
        texts = [_simplified_geojson(g, tolerance) for g in geoms]
        # json.dumps of a parsed copy adds a space after every comma: 2 per vertex
        if sum(len(t) for t in texts) + 2 * vertices(tolerance) <= room:
            break
    return texts


#: Zoom levels beyond the view's at which :func:`zoom_tolerance` is still below half a pixel.
ZOOM_HEADROOM = 2
#: Display tolerances tried, degrees (0.001° ≈ 70–110 m in Europe).
_TOLERANCES = (0.0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
#: Least JSON a vertex costs at 5 decimals, e.g. ``[24.12345,54.12345],``.
_BYTES_PER_VERTEX = 18


@functools.lru_cache(maxsize=4096)
def _fast_vertex_count(geom: shapely.Geometry, tolerance: float) -> int:
    """Vertices left by the fast, topology-free simplification (an estimate of the size)."""
    fast = geom if tolerance == 0 else shapely.simplify(geom, tolerance, preserve_topology=False)
    return int(shapely.get_num_coordinates(fast))


@functools.lru_cache(maxsize=512)
def _simplified_geojson(geom: shapely.Geometry, tolerance: float) -> str:
    """GeoJSON text of a geometry simplified for display (5 decimals, about 1 m)."""
    shown = geom if tolerance == 0 else shapely.simplify(geom, tolerance, preserve_topology=True)
    return shapely.to_geojson(shapely.set_precision(shown, 1e-5, mode="pointwise"))


_POPUP_KEYS = ("name", "role", "area_km2", "population", "length_km", "largest_settlements", "wave",
               "accession_date", "joined_after_founding_act", "capitals_within", "range_km")


def _people_text(props: dict[str, Any]) -> str:
    """People in words from exported properties (the figure, its range and data coverage)."""
    return people_text(props["population"], low=props.get("population_low"), high=props.get("population_high"),
                       coverage=float(props.get("population_coverage_pct", 100.0)) / 100.0)


def _popup_html(props: dict[str, Any], approximate: bool) -> str:
    rows = [f"<b>{html.escape(str(props.get('name', '')))}</b>"]
    if props.get("length_km"):
        rows.append(f"{props['length_km']:,.1f} km long")
    else:
        rows.append(f"{props.get('area_km2', 0):,.0f} km² · "
                    + ("people: no data" if props.get("population") is None
                       else f"{html.escape(_people_text(props))} people"))
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


def _script_safe(text: str) -> str:
    """JSON text that cannot close the ``<script>`` it is embedded in."""
    return text.replace("<", "\\u003c")


# one Leaflet layer per proposal: styles, popups, text tooltips and hover come from properties
_LAYER_OPTIONS = """{
    style: function (feature) { return feature.properties._style; },
    pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 5, color: "#000000", fill: true, fillOpacity: 1.0});
    },
    onEachFeature: function (feature, layer) {
        const name = document.createElement("span");
        name.textContent = feature.properties.name;
        layer.bindTooltip(name, {sticky: true});
        layer.bindPopup(feature.properties._popup, {maxWidth: 360});
        if (layer.setStyle && feature.geometry.type !== "Point") {
            layer.on("mouseover", function () { layer.setStyle({weight: 3}); });
            layer.on("mouseout", function () { layer.setStyle(feature.properties._style); });
        }
    }
}"""


def layer_group(result: LayerResult, *, text: str | None = None,
                max_bytes: int = MAX_LAYER_BYTES) -> folium.FeatureGroup:
    """One folium FeatureGroup for a layer result, styled by role, with popups and tooltips.

    ``text`` is the layer's :func:`display_text` if already prepared.
    """
    group = folium.FeatureGroup(name=html.escape(result.title), show=True)
    text = text or display_text(result, max_bytes=max_bytes)
    _FixedGeoJson(text, _LAYER_OPTIONS, name=html.escape(result.title), control=False).add_to(group)
    return group


_CONTEXT_PANE = "bz-context"
#: The offline base map's layers, as files under ``static/context`` (:func:`write_context`).
CONTEXT_FILES = ("land", "river", "places")
#: Where Streamlit serves them (``server.enableStaticServing``): the app's map fetches them once
#: per page instead of receiving ~450 KB of base map in every rerun.
CONTEXT_URL = "/app/static/context"


@functools.cache
def _context_texts() -> tuple[str, str, str]:
    """Offline base map as GeoJSON text: simplified country outlines, the Dnieper, place labels.

    Built once per process; the map embeds these strings (or, in the app, fetches the same
    text from ``static/context``) as they are, so a rerun neither re-serialises nor re-scans
    a single coordinate of them.
    """
    countries = data.countries()
    land = countries[["name", "geometry"]].copy()
    # coverage simplification keeps neighbours' shared borders identical (no gaps or overlaps
    # when zoomed in); ~24,000 vertices, ~370 KB
    land["geometry"] = shapely.set_precision(shapely.coverage_simplify(land.geometry.values, 0.03), 1e-3)
    river = data.dnieper()[["name", "geometry"]].copy()
    river["geometry"] = river.geometry.simplify(0.005).set_precision(1e-4)
    towns = data.settlements()
    # a city split by bank (Kyiv, Dnipro): one label, its city's name, at its largest part
    towns = towns[towns["primary_part"]].assign(name=lambda t: t["city"].fillna(t["name"]))
    capital = towns["feature_code"] == "PPLC"
    shown = towns[capital | (towns["population"] >= 500_000)]
    shown_labels = [Label(name, g.x, g.y, int(pop), code == "PPLC")
                    for name, code, pop, g in zip(shown["name"], shown["feature_code"], shown["population"],
                                                  shown.geometry, strict=True)]
    places = {"type": "FeatureCollection", "features": [  # min_zoom: labels decluttered (bufferzone.webapp.labels)
        {"type": "Feature", "properties": {"name": label.name, "capital": label.capital, "min_zoom": z},
         "geometry": {"type": "Point", "coordinates": [round(label.lon, 4), round(label.lat, 4)]}}
        for label, z in zip(shown_labels, min_zooms(shown_labels), strict=True)
    ]}
    return land.to_json(), river.to_json(), json.dumps(places)


@functools.cache
def _context_geojson() -> tuple[str, str, str]:
    """:func:`_context_texts`, safe to write inside a ``<script>``."""
    return tuple(_script_safe(text) for text in _context_texts())  # type: ignore[return-value]


def write_context(folder: Path) -> list[Path]:
    """Write the base map's layers as ``{folder}/{land,river,places}.geojson`` (the app serves them).

    ``python -m bufferzone.webapp.mapview`` rewrites ``static/context`` after the data set changes;
    ``tests/app/test_mapview.py`` checks the files are current.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in zip(CONTEXT_FILES, _context_texts(), strict=True):
        path = folder / f"{name}.geojson"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


class _Raw(Element):
    """Text that goes into the page as it is (branca would compile it as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _FixedGeoJson(folium.map.Layer):
    """A GeoJSON layer whose data and Leaflet options are ready-made JavaScript text.

    ``folium.GeoJson`` parses its data, re-serialises it, scans every coordinate for the
    map's bounds and (through branca) compiles the resulting script as a Jinja template,
    on every render: for a 300 KB layer that is most of a rerun. This element writes its
    script once per render as plain text. streamlit-folium reads the ``script`` macro.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def __init__(self, data_text: str, options_js: str, *, name: str, show: bool = True,
                 control: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "FixedGeoJson"
        self.data = data_text
        self.options = options_js
        self.before_js = ""  # run before the layer is created (the context's pane, on its first layer)
        self.then_js = ""  # run after the layer is created (the context's fetch, on its last layer)

    def script_text(self) -> str:
        """The layer's JavaScript: create it (empty if its data is fetched), add it to its parent if shown."""
        text = self.before_js + f"var {self.get_name()} = L.geoJson({self.data}, {self.options});"
        if self.show:
            text += f"\n{self.get_name()}.addTo({self._parent.get_name()});"
        return text + self.then_js

    def render(self, **kwargs: Any) -> None:
        self.get_root().script.add_child(_Raw(self.script_text()), name=self.get_name())


_LAND_OPTIONS = """{
    style: function () { return {color: "#6b6b6b", weight: 0.7, fillColor: "#f2efe9", fillOpacity: 1.0}; },
    onEachFeature: function (feature, layer) { layer.bindTooltip(String(feature.properties.name)); }
}"""
_RIVER_OPTIONS = """{style: function () { return {color: "#4a90c2", weight: 2.2}; }, interactive: false}"""
# a permanent tooltip per place as its label; the name goes in as text, never as HTML
_PLACE_OPTIONS = """{
    pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 2.5, color: "#333333", weight: 1, fill: true, fillOpacity: 1.0});
    },
    onEachFeature: function (feature, layer) {
        const label = document.createElement("span");
        label.textContent = feature.properties.name;
        label.style.cssText = "font:" + (feature.properties.capital ? "600" : "400") + " 11px sans-serif;"
            + "color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap";
        layer.bindTooltip(label, {permanent: true, direction: "right", offset: [4, 0], className: "bz-place-label"});
        // decluttered: a place shows from its label's min_zoom on (bufferzone.webapp.labels), dot and
        // label together (at the Europe view a hundred unlabelled dots only hid the layers)
        const update = function () {
            const t = layer.getTooltip();
            if (!t || !layer._map) { return; }
            const shown = layer._map.getZoom() >= (feature.properties.min_zoom ?? 0) ? 1 : 0;
            t.setOpacity(shown);
            layer.setStyle({opacity: shown, fillOpacity: shown});
        };
        layer.on("add", function () { update(); layer._map.on("zoomend", update); });
        layer.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", update); });
    }
}"""
# as specific as Leaflet's own tooltip rule plus one class, so it wins wherever leaflet.css is
# placed (a standalone HTML map inlines leaflet.css after this style: labels came out boxed)
_PLACE_LABEL_CSS = (".leaflet-tooltip.bz-place-label{background:none;border:none;box-shadow:none;padding:0}"
                    ".leaflet-tooltip.bz-place-label:before{display:none}")


def _add_context(m: folium.Map, context_url: str | None) -> None:
    """The offline base map: inline, or (``context_url``) fetched once by the page, in layer order."""
    texts = _context_geojson() if context_url is None else ("null",) * len(CONTEXT_FILES)
    names = ("Countries and borders (embedded)", "Dnieper", "Place names")
    options = (_LAND_OPTIONS, _RIVER_OPTIONS, _PLACE_OPTIONS)
    m.get_root().header.add_child(folium.Element(f"<style>{_PLACE_LABEL_CSS}</style>"), name="bz_place_label_css")
    created = [_FixedGeoJson(text, f"Object.assign({{pane: {json.dumps(_CONTEXT_PANE)}}}, {opts})", name=name).add_to(m)
               for text, opts, name in zip(texts, options, names, strict=True)]
    # a pane of its own, under the layers' (overlayPane, z-index 400): with the canvas renderer a
    # layer drawn later covers earlier ones, and the fetched context arrives after the layers
    created[0].before_js = (f"{m.get_name()}.createPane({json.dumps(_CONTEXT_PANE)}).style.zIndex = 350;\n")
    if context_url is not None:
        urls = json.dumps([f"{context_url}/{f}.geojson" for f in CONTEXT_FILES])
        targets = ", ".join(layer.get_name() for layer in created)
        # fetched together, added in order, so countries stay under the river and the labels; in the
        # last layer's own script, which is what streamlit-folium collects of a map
        created[-1].then_js = (
            f"\nPromise.all({urls}.map(function (u) {{ return fetch(u).then(function (r) {{ return r.json(); }}); }}))"
            f".then(function (d) {{ [{targets}].forEach(function (l, i) {{ l.addData(d[i]); }}); }});"
        )


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


def role_entries(results: Sequence[LayerResult]) -> list[str]:
    """The legend's entries as HTML (escaped): one per layer and role, its swatch and the role's label."""
    items = []
    for r in results:
        seen: list[str] = []
        for f in r.features:
            if f.role in seen:
                continue
            seen.append(f.role)
            s = feature_style(r.layer, f.role, f.attributes if f.role != "member" else {})
            swatch = (f'<span style="display:inline-block;width:14px;height:0;border-top:3px '
                      f'{"dashed" if s.dash else "solid"} {s.edge};margin-right:4px;vertical-align:middle"></span>'
                      if f.geometry.geom_type in ("LineString", "MultiLineString", "Point") else
                      f'<span style="display:inline-block;width:12px;height:12px;margin-right:4px;'
                      f'background:{s.fill};opacity:{max(s.fill_opacity, 0.35):.2f};border:1px '
                      f'{"dashed" if s.dash else "solid"} {s.edge};vertical-align:middle"></span>')
            label = r.role_label(f.role) + (" (colour: accession wave)" if f.role == "member" else "")
            items.append(f'<span style="display:inline-block;max-width:100%;margin-right:12px">{swatch}'
                         f'{html.escape(r.title)}: {html.escape(label)}</span>')
    return items


def role_legend_html(results: Sequence[LayerResult]) -> str:
    """The legend as one HTML line of entries (:func:`role_entries`), for showing beside the app's map."""
    return '<div style="font-size:0.85rem;line-height:1.6">' + " ".join(role_entries(results)) + "</div>"


def _legend(results: Sequence[LayerResult]) -> _Legend:
    rows = [f"<div>{entry}</div>" for entry in role_entries(results)]
    note = " Line of contact approximate." if any(r.approximate for r in results) else ""
    stale = {(loc.get("loc_date"), loc.get("loc_age_days")) for r in results
             if (loc := r.line_of_contact or {}).get("loc_stale")}
    note += "".join(f" STALE line of contact of {html.escape(str(d))}, {html.escape(str(a))} days older than the "
                    "as-of date." for d, a in sorted(stale))
    return _Legend("".join(rows) or "<div>No layer on</div>", note)


# a tile that fails to load (offline, or the tile host unreachable): say so on the map, once
_TILES_OFFLINE_JS = """
__TILES__.once("tileerror", function () {
    const note = L.control({position: "bottomleft"});
    note.onAdd = function () {
        const div = L.DomUtil.create("div");
        div.textContent = "Web base map unavailable (offline?): the embedded base map is shown.";
        div.style.cssText = "background:rgba(255,255,255,.9);padding:3px 6px;border:1px solid #999;"
            + "border-radius:3px;font:12px sans-serif";
        return div;
    };
    note.addTo(__MAP__);
});
"""


def build_map(
    results: Iterable[LayerResult],
    *,
    center: tuple[float, float] | None = None,
    zoom: int = 4,
    tiles: bool = False,
    include_layers: bool = True,
    legend: bool = True,
    context_url: str | None = None,
) -> folium.Map:
    """A folium map: offline context, the layers (unless ``include_layers`` is False), legend, scale.

    Parameters
    ----------
    results : iterable of LayerResult
    center : (lat, lon), optional
        Where the map opens, degrees, at ``zoom``; if not given, the browser fits the map to
        the layers' box (whatever the window's size), or Europe with no layer.
    zoom : int
    tiles : bool
        Add a web base map (needs a network; the embedded context is drawn either way).
    include_layers : bool
        False when the app adds the layers through streamlit-folium's ``feature_group_to_add``.
    legend : bool
        Draw the legend on the map (the app shows it beside the map instead, see
        :func:`legend_html`, so that the cached base map never changes).
    context_url : str, optional
        Fetch the base map's layers from ``{context_url}/{land,river,places}.geojson`` (the app,
        which serves ``static/context``) instead of embedding them (a standalone HTML map).
    """
    results = list(results)
    m = folium.Map(location=center or (52.0, 24.0), zoom_start=zoom, tiles=None, control_scale=True,
                   prefer_canvas=True)
    if tiles:
        web = folium.TileLayer("CartoDB positron", name="Web base map (online)", control=True).add_to(m)
        offline = MacroElement()
        offline._template = Template("{% macro script(this, kwargs) %}" + _TILES_OFFLINE_JS.replace(
            "__MAP__", "{{ this._parent._parent.get_name() }}").replace("__TILES__", "{{ this._parent.get_name() }}")
            + "{% endmacro %}")
        web.add_child(offline)
    _add_context(m, context_url)
    if include_layers:
        for r in results:
            layer_group(r).add_to(m)
        box = bounds_of(f.geometry for r in results for f in r.features) if center is None else None
        if box is not None:
            west, south, east, north = box
            m.fit_bounds([[south, west], [north, east]], padding=(16, 16))
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


if __name__ == "__main__":  # python -m bufferzone.webapp.mapview: rewrite static/context
    from bufferzone.webapp.launch import static_dir

    for written in write_context(static_dir() / "context"):
        print(f"wrote {written}")
