"""Buffer-zone mapper: the Streamlit front end.

Run with ``bufferzone app`` (an installed package) or ``streamlit run app.py`` (a checkout).
It is shipped inside the package, with the web assets Streamlit serves beside it
(``static/``). The sidebar picks proposals and their parameters (taken from each layer's
declarations); the map shows them over an offline base map; the panel beside it gives the
figures, their method and sources; everything can be downloaded, and the whole scenario
lives in the page URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
from pathlib import Path
from typing import Any

import altair as alt
import folium
import folium.plugins
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

import layers
from bufferzone import exports
from bufferzone.briefing import bounds_for_view
from bufferzone.loc_fetch import fetch, mirror_url
from bufferzone.webapp.assets import serve_assets
from bufferzone.webapp.breakdown import breakdown_frame
from bufferzone.webapp.compare import WIDGET_PREFIX as COMPARE_WIDGETS
from bufferzone.webapp.compare import compare_panel, comparison_group, current_comparison
from bufferzone.webapp.figtable import FigureRow, figures_html
from bufferzone.webapp.keys import enter_applies_dates
from bufferzone.webapp.mapview import CONTEXT_URL, build_map, display_text, layer_group, role_legend_html
from bufferzone.webapp.scenario import VIEWS, Scenario
from bufferzone.webapp.viewport import MAP_HEIGHT_PX
from bufferzone.webapp.viewstate import RETURNED as VIEW_RETURNED
from bufferzone.webapp.viewstate import session_view
from bufferzone.webapp.widgets import parameter_widget
from geo import BufferZoneError, loc_history, measure
from geo.compare import Comparison
from geo.edges import as_drawn_on_screen
from geo.io import MAX_INPUT_BYTES, read_vector
from geo.loc_readers import AreaPoint, read_line_file
from layers import Headline, LayerResult
from layers.parameters import AS_OF

log = logging.getLogger("bufferzone.app")
UPLOAD_TYPES = ["geojson", "json", "kml", "kmz", "zip", "gpkg"]
_UPLOAD_DIR = Path(tempfile.gettempdir()) / "bufferzone-uploads"

st.set_page_config(page_title="Buffer-zone mapper", page_icon="🗺️", layout="wide")
# metric values at the default 2.25rem do not fit seven-digit figures in the side panel
# tabs wrap to a second row rather than hiding Compare and Downloads off the panel's right
st.html("<style>[data-testid='stMetricValue']{font-size:1.6rem}"
        "[data-baseweb='tab-list'],[role='tablist']{flex-wrap:wrap;row-gap:0.25rem}"
        "</style>")
enter_applies_dates()  # Enter in a date field applies the typed date


# ------------------------------------------------------------------------------ cached work


def _key(params: dict[str, Any], history: str = "") -> str:
    """The cache key of a build: its parameters, and for layers that pick lines by date, the history's state."""
    text = json.dumps(params, sort_keys=True, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v))
    return json.dumps({"parameters": json.loads(text), "history": history}) if history else text


def _build_key(scenario: Scenario, name: str, params: dict[str, Any]) -> str:
    """The cache key of a layer built with ``params`` (validated) in this scenario."""
    if "snapshot" in params and not params["snapshot"]:
        params = {**params, "snapshot": scenario.loc_in_use()}  # the cache key names the line actually used
    # loc-change picks two lines by date: a line loaded or fetched since must rebuild it
    picks_by_date = any(p.snapshot_for for p in layers.REGISTRY[name].parameters)
    return _key(params, ",".join(h.reference for h in loc_history.history()) if picks_by_date else "")


def _variant_b(scenario: Scenario, name: str) -> tuple[LayerResult, str]:
    """B's layer built with B's own parameters (the Compare tab's B form), and its cache key."""
    key = _build_key(scenario, name, scenario.parameters_b(name))
    return build_layer(name, key), key


@st.cache_data(show_spinner=False, max_entries=64)
def build_layer(name: str, params_key: str) -> LayerResult:
    """Build a layer (cached on its parameters)."""
    doc = json.loads(params_key)
    return layers.get(name).build(doc["parameters"] if "history" in doc and "parameters" in doc else doc)


def base_map(view: tuple[float, float, int], tiles: bool) -> folium.Map:
    """A new map without layers for a view: offline context and drawing tools.

    Built on every run, never cached: ``st_folium`` adds the session's layers to the map it
    is given, so a shared map would carry one user's layers into another's page.
    """
    lat, lon, zoom = view
    fmap = build_map([], center=(lat, lon), zoom=zoom, tiles=tiles, include_layers=False, legend=False,
                     context_url=CONTEXT_URL)
    folium.plugins.Draw(export=False,
                        draw_options={"circle": False, "circlemarker": False, "rectangle": True}).add_to(fmap)
    return serve_assets(fmap)


@st.cache_data(show_spinner=False, max_entries=64)
def display_layer(name: str, params_key: str, zoom: int | None = None) -> str:
    """The simplified, styled GeoJSON text the browser draws for a layer, at the view's ``zoom``.

    Cached; figures stay full-resolution.
    """
    return display_text(build_layer(name, params_key), zoom=zoom)


@st.cache_data(show_spinner=False, max_entries=32)
def raster_figures(name: str, params_key: str, raster_path: str) -> pd.DataFrame:
    """People in each polygon feature of a layer according to the uploaded raster."""
    result = build_layer(name, params_key)
    rows = []
    for f in result.features:
        if f.geometry.geom_type in ("Polygon", "MultiPolygon"):
            m = measure(f.geometry, raster=raster_path)
            rows.append({"feature": f.name, "people (model)": f.figures.people.value,
                         "people (raster)": m.population})
    return pd.DataFrame(rows)


def _save_upload(upload: Any) -> Path:
    """Store an upload under a name made from its content hash; returns its path."""
    content = upload.getvalue()
    if len(content) > MAX_INPUT_BYTES:
        raise BufferZoneError(f"{upload.name} is {len(content) / 1e6:.1f} MB; "
                              f"the limit is {MAX_INPUT_BYTES / 1e6:.0f} MB")
    _UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()[:8]
    path = _UPLOAD_DIR / f"{hashlib.sha256(content).hexdigest()[:24]}{suffix}"
    if not path.exists():
        path.write_bytes(content)
    return path


# ------------------------------------------------------------------------------ state


def _scenario() -> Scenario:
    if "scenario" not in st.session_state:
        scenario, problems = Scenario.from_query(st.query_params.to_dict())
        st.session_state.scenario = scenario
        st.session_state.link_problems = problems
    return st.session_state.scenario


def _escape_markdown(text: str) -> str:
    """User-controlled text made inert for Streamlit's Markdown (one line, specials escaped)."""
    text = " ".join(str(text).split())
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch for ch in text)


#: Longest message shown; anything a user supplied (file names, CRS names, values) may be in it.
_MAX_MESSAGE_CHARS = 400


def _plain(message: object) -> str:
    """A message that may quote user input, as inert one-line text for Markdown widgets."""
    text = " ".join(str(message).split())
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[:_MAX_MESSAGE_CHARS] + "…"
    return _escape_markdown(text)


def _sync_url(scenario: Scenario) -> None:
    query = scenario.to_query()
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


# ------------------------------------------------------------------------------ sidebar


def _sidebar(scenario: Scenario) -> dict[str, Any]:
    """Draw the sidebar; update the scenario in place; return the session's inputs."""
    inputs: dict[str, Any] = {}
    st.sidebar.title("Buffer-zone mapper")
    st.sidebar.caption("Proposals from the 2021–2026 Russia/NATO/Ukraine negotiations, "
                       "measured on the WGS84 ellipsoid.")
    as_of_spec = AS_OF
    scenario.as_of = st.sidebar.date_input("As of", scenario.as_of, min_value=as_of_spec.minimum,
                                           max_value=as_of_spec.maximum, key="w:as_of",
                                           help="Applied to NATO membership and the line of contact.")
    names = list(layers.REGISTRY)
    chosen = st.sidebar.multiselect("Proposals", names, default=[n for n in scenario.layers if n in names],
                                    format_func=lambda n: layers.REGISTRY[n].title, key="w:layers")
    scenario.layers = {n: scenario.layers.get(n, {}) for n in chosen}

    for name in chosen:
        spec = layers.REGISTRY[name]
        with st.sidebar.expander(spec.title, expanded=len(chosen) == 1):
            values = scenario.layers[name]
            for p in spec.parameters:
                if not p.shown_in_forms(values, spec.parameters):
                    continue
                current = values.get(p.name, p.default)
                new = parameter_widget(p, current, key=f"w:{spec.name}.{p.name}")
                if new != current:  # a new date drops the snapshot a link pinned for the old one
                    for pinned in (q for q in spec.parameters if q.snapshot_for == p.name):
                        values.pop(pinned.name, None)
                if new != p.default:
                    values[p.name] = new
                else:
                    values.pop(p.name, None)

    if scenario.uses_front():
        _line_of_contact_sidebar(scenario)

    if _geometry_layers(scenario):
        with st.sidebar.expander("Your geometry", expanded=True):
            upload = st.file_uploader("Upload GeoJSON, KML/KMZ, zipped Shapefile or GeoPackage",
                                      type=UPLOAD_TYPES, key="w:custom_file")
            inputs["custom_upload"] = upload
            st.caption("…or draw points, lines or polygons on the map and press *Use drawn shapes*.")
            inputs["use_drawn"] = st.button("Use drawn shapes", key="w:use_drawn")

    with st.sidebar.expander("Population raster (optional)"):
        raster = st.file_uploader("GeoTIFF of people per cell (WorldPop, GHS-POP...)", type=["tif", "tiff"],
                                  key="w:raster")
        inputs["raster"] = None
        if raster is not None:
            try:
                inputs["raster"] = str(_save_upload(raster))
            except BufferZoneError as exc:
                st.error(_plain(exc))

    with st.sidebar.expander("Map"):
        scenario.view = st.selectbox("View", list(VIEWS), index=list(VIEWS).index(scenario.view),
                                     format_func=lambda v: v.replace("-", " ").capitalize(), key="w:view")
        inputs["tiles"] = st.checkbox("Web base map (needs internet)", value=False, key="w:tiles")
        if inputs["tiles"]:
            st.caption("Tiles are loaded by your browser from the internet; offline they stay blank and the "
                       "offline base map (Natural Earth land, rivers, places) is what you see.")

    with st.sidebar.expander("Scenario file"):
        st.download_button("Save scenario", scenario.to_json(), file_name="scenario.json",
                           mime="application/json", key="w:save")
        loaded = st.file_uploader("Load scenario", type=["json"], key="w:load")
        if loaded is not None and st.session_state.get("loaded_scenario") != loaded.file_id:
            st.session_state.loaded_scenario = loaded.file_id
            try:
                new, problems = Scenario.from_json(loaded.getvalue())
                st.session_state.scenario = new
                st.session_state.link_problems = problems
                for k in [k for k in st.session_state  # the file's values, not the widgets', are shown
                          if str(k).startswith(("w:", COMPARE_WIDGETS)) and k != "w:load"]:
                    del st.session_state[k]
                st.rerun()
            except BufferZoneError as exc:
                st.error(_plain(exc))
    return inputs


def _line_of_contact_sidebar(scenario: Scenario) -> None:
    """The history: which snapshot is in use, a file to load, the opt-in fetch; warnings when stale or missing."""
    snapshots = loc_history.history()
    refs = [s.reference for s in snapshots]
    missing = scenario.unresolved_loc()
    in_use = scenario.loc_in_use()
    chosen = loc_history.resolve(in_use) if in_use and not missing else None
    age = chosen.age_days(scenario.as_of) if chosen else 0
    stale = age > loc_history.STALE_AFTER_DAYS
    with st.sidebar.expander("Line of contact", expanded=bool(missing or stale)):
        options = ["", *reversed(refs)] + ([missing] if missing else [])
        labels = {s.reference: s.label for s in snapshots}
        auto = loc_history.pick(scenario.as_of).label if refs and snapshots[0].date <= scenario.as_of else "none"
        labels[""] = f"Latest on or before the as-of date ({auto})"
        if missing:
            labels[missing] = f"{missing} (not in your history)"
        current = scenario.loc if scenario.loc in options else ""
        scenario.loc = st.selectbox("Snapshot in use", options, index=options.index(current),
                                    format_func=lambda r: labels.get(r, r), key="w:loc",
                                    help="The history: the built-in dates plus every line you loaded or fetched.")
        if missing:
            st.warning(f"The line of contact {_escape_markdown(missing)} of the link or scenario file is not in "
                       "your history, so its figures are not shown. Load that file below, or fetch it.", icon="⚠️")
        elif chosen:
            st.caption(f"In use: {_escape_markdown(chosen.label)}, {age} day(s) before the as-of date. "
                       f"{_escape_markdown(chosen.attribution)}")
            if stale:
                st.warning(f"Stale: the line in use is of {chosen.date.isoformat()}, {age} days older than the "
                           f"as-of date {scenario.as_of.isoformat()}. Fetch a newer one or load a file below.",
                           icon="⚠️")
        upload = st.file_uploader("Load an occupied-area file (DeepStateMap, ISW KMZ, shapefile…)",
                                  type=[*UPLOAD_TYPES, "gz"], key="w:front_file")
        given = st.date_input("Date it describes (if its name does not say)", value=None, key="w:front_date",
                              min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 12, 31))
        if upload is not None and st.session_state.get("front_upload_id") != (upload.file_id, given):
            st.session_state.front_upload_id = (upload.file_id, given)
            _load_line(scenario, upload.getvalue(), upload.name, given)
        if st.session_state.get("front_loaded"):
            st.caption(_plain(st.session_state.front_loaded))
        # the server fetches, so the URL is the operator's ($BUFFERZONE_LOC_MIRROR), never a visitor's
        st.caption("Fetched from the mirror the server is set to (BUFFERZONE\\_LOC\\_MIRROR):")
        st.code(mirror_url(), language=None, wrap_lines=True)
        if st.button("Fetch the newest DeepStateMap line", key="w:loc_fetch",
                     help="Downloads DeepStateMap's occupied area from the public mirror (needs internet)."):
            _fetch_line(scenario, mirror_url())


def _load_line(scenario: Scenario, content: bytes, name: str, given: dt.date | None) -> None:
    """Add an uploaded line to the history and use it (labelled with its own date)."""
    try:
        areas: list[AreaPoint] = []
        line = read_line_file(content, filename=name, date=given, areas=areas)
        if areas:  # a history: every day's km² for the chart
            loc_history.add_areas(areas, source_key=line.source_key)
        snap = loc_history.add(line, date=line.date or scenario.as_of)
    except BufferZoneError as exc:
        st.error(_plain(f"{name}: {exc}"))
        return
    scenario.loc = snap.reference
    st.session_state.pop("w:loc", None)
    undated = "" if line.date else " (its date was not given: taken as the as-of date; set it above)"
    st.session_state.front_loaded = (f"Using {name}: {snap.label}, {snap.area_km2:,.0f} km² as drawn{undated}.")
    st.rerun()


def _fetch_line(scenario: Scenario, url: str) -> None:
    """Fetch on request; offline, one line says so and nothing changes."""
    missing = scenario.unresolved_loc()
    try:
        with st.spinner("Fetching DeepStateMap's line…"):
            fetched = fetch(url=url or None)
    except BufferZoneError as exc:
        st.error(_plain(exc))
        return
    snap = fetched.snapshot
    if missing and missing != snap.reference:
        scenario.loc = missing
    else:
        scenario.loc = ""
        if scenario.as_of < snap.date:
            scenario.as_of = snap.date
            st.session_state.pop("w:as_of", None)
    st.session_state.pop("w:loc", None)
    st.session_state.front_loaded = (f"Fetched {snap.label} ({snap.area_km2:,.0f} km² as drawn) from "
                                     f"{fetched.url}; as of {scenario.as_of.isoformat()}.")
    st.rerun()


def _apply_custom_geometry(scenario: Scenario, inputs: dict[str, Any], drawn: list[dict[str, Any]] | None) -> None:
    """Fill the geometry parameter of the first layer that takes one from an upload or the drawings.

    Problems go to ``inputs["geometry_error"]``, shown at the figures panel (where the user looks).
    """
    names = _geometry_layers(scenario)
    if not names:
        return
    name = names[0]
    spec = layers.REGISTRY[name]
    gparam = next(p.name for p in spec.parameters if p.accepts_geometry)
    values = scenario.layers[name]
    upload = inputs.get("custom_upload")
    if upload is not None and st.session_state.get("custom_upload_id") != upload.file_id:
        st.session_state.custom_upload_id = upload.file_id
        try:
            loaded = read_vector(upload.getvalue(), filename=upload.name)
            for note in loaded.notes:
                st.sidebar.warning(_plain(note))
            values[gparam] = _shapes_geojson(loaded.frame)  # one figure per feature of the file
            if "label" in {p.name for p in spec.parameters} and "label" not in values:  # the user's own label is kept
                values["label"] = Path(upload.name).stem[:60]
        except BufferZoneError as exc:
            inputs["geometry_error"] = f"{upload.name}: {exc}"
    if inputs.get("use_drawn"):
        if drawn:
            try:  # edges mean what the map showed: straight on the screen (Web Mercator)
                loaded = read_vector(json.dumps({"type": "FeatureCollection", "features": drawn}).encode(),
                                     filename="drawn shapes")
                values[gparam] = _shapes_geojson(loaded.frame, as_drawn_on_screen)  # one figure per shape drawn
            except BufferZoneError as exc:
                inputs["geometry_error"] = f"drawn shapes: {exc}"
        else:
            inputs["geometry_error"] = "Nothing drawn yet: use the drawing tools on the map's left edge."


def _shapes_geojson(frame: Any, edges: Any = None) -> str:
    """The shapes of a read file or of the drawings as a FeatureCollection, one feature each, names kept.

    ``edges`` maps each geometry first (the drawings' screen-straight edges made explicit).
    """
    names = frame["name"] if "name" in frame.columns else [None] * len(frame)
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(shapely.to_geojson(edges(g) if edges else g)),
         "properties": {"name": str(n)[:80]} if isinstance(n, str) and n.strip() else {}}
        for g, n in zip(frame.geometry.values, names, strict=True)]})


# ------------------------------------------------------------------------------ figures panel


def _figures_panel(built: dict[str, LayerResult], errors: dict[str, str], keys: dict[str, str], raster: str | None,
                   view: str, comparison: Comparison | str | None = None) -> None:
    if not built and not errors:
        st.info("Pick a proposal in the sidebar.")
        return
    tabs = st.tabs([_tab_label(layers.REGISTRY[n].title, len(built) + len(errors))
                    for n in [*built, *errors]] + ["Compare", "Downloads"])
    for tab, name in zip(tabs, [*built, *errors], strict=False):
        with tab:
            if name in errors:
                st.error(_plain(errors[name]))
                continue
            _layer_figures(built[name], keys[name], raster)
    with tabs[-2]:
        compare_panel(st.session_state.scenario, built, comparison)
    with tabs[-1]:
        _downloads(built, view)


def _tab_label(title: str, count: int) -> str:
    """A layer's tab label, shortened when several share the row so Compare and Downloads stay in view."""
    limit = 80 if count == 1 else 24 if count == 2 else 14
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _layer_figures(result: LayerResult, key: str, raster: str | None) -> None:
    loc = result.line_of_contact or {}
    if loc.get("loc_as_of") and loc.get("loc_as_of") != loc.get("loc_date"):
        st.markdown(f"**{result.title}** · as of {loc['loc_as_of']} · line of contact of {loc['loc_date']}")
    else:
        st.markdown(f"**{result.title}** · as of {result.as_of.isoformat()}")
    _headlines(result.headlines)  # what the proposal is about comes first
    if result.approximate:
        st.warning("Built on approximate line-of-contact data (own digitisation; see Method).", icon="⚠️")
    if result.line_of_contact:
        _line_of_contact_figures(result)
    # names wrap at word boundaries and it fits the panel; a narrow panel stacks each row (bufferzone.webapp.figtable)
    st.html(figures_html(figures_table(result)))
    polygonal = [f for f in result.features if f.figures and f.figures.by_country]
    if polygonal:
        with st.expander("Breakdown by country and first-level unit"):
            pick = st.selectbox("Feature", [f.name for f in polygonal], key=f"bd:{result.layer}")
            f = next(x for x in polygonal if x.name == pick)
            st.dataframe(breakdown_frame(f.figures.by_country, unit="country"), hide_index=True, width="stretch")
            if f.figures.by_admin1:
                st.dataframe(breakdown_frame(f.figures.by_admin1, unit="unit"), hide_index=True, width="stretch")
    if raster:
        with st.expander("People from the uploaded raster", expanded=True):
            try:
                st.dataframe(raster_figures(result.layer, key, raster), hide_index=True, width="stretch")
            except BufferZoneError as exc:
                st.error(_plain(exc))
    with st.expander("Method and sources"):
        st.markdown(result.method)
        first = result.features[0].figures if result.features else None
        if first and first.people and first.people.method:
            st.markdown(f"*Population:* {first.people.method}")
        for note in result.notes:
            st.markdown(f"- {_plain(note)}")
        st.markdown("**Sources**")
        for s in result.sources:
            st.markdown(f"- {s}")
        loc = result.line_of_contact or {}
        if loc.get("loc_source_key", "builtin") != "builtin":
            st.markdown(f"- Line of contact used: {_escape_markdown(str(loc.get('loc_source')))} "
                        f"(snapshot {_escape_markdown(str(loc.get('loc_reference') or 'read from the file'))})")
        st.markdown("Base data: Natural Earth (public domain); settlements © GeoNames, CC BY 4.0.")


_SOURCE_NAMES = {"builtin": "built-in, approximate", "deepstatemap": "DeepStateMap"}


def _line_of_contact_figures(result: LayerResult) -> None:
    """Which line the figures stand on, a warning with the fetch action when it is stale, and the chart."""
    loc = result.line_of_contact or {}
    if loc.get("loc_stale"):
        with st.container(border=True):  # the warning and its action together
            st.warning(f"Stale line of contact: {loc['loc_date']}, {loc['loc_age_days']} days older than the as-of "
                       f"date {loc.get('loc_as_of')}.", icon="⚠️")
            fetch_now = st.button("Fetch the newest DeepStateMap line", key=f"fetch:{result.layer}",
                                  help="Needs internet; or load a file under *Line of contact* in the sidebar.")
    else:
        st.caption(f"Line of contact of {loc.get('loc_date')} "
                   f"({_SOURCE_NAMES.get(str(loc.get('loc_source_key')), 'user file')}), "
                   f"{loc.get('loc_age_days')} day(s) before the as-of date.")
        fetch_now = st.button("Fetch the newest DeepStateMap line", key=f"fetch:{result.layer}",
                              help="Needs internet: adds DeepStateMap's newest line and moves the as-of date to it.")
    if fetch_now:
        _fetch_line(st.session_state.scenario, mirror_url())
    with st.expander("Occupied area over time (the history)"):
        series = loc_history.area_series()
        frame = pd.DataFrame(series, columns=["date", "source", "km²"])
        frame["date"] = pd.to_datetime(frame["date"])
        chart = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
            x=alt.X("date:T", title=None), y=alt.Y("km²:Q", title="occupied km²"),
            color=alt.Color("source:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("date:T"), "source:N", alt.Tooltip("km²:Q", format=",.0f")])
        st.altair_chart(chart.properties(height=240), width="stretch")
        st.caption("Occupied km² as each source draws it (Crimea included): the built-in dates, every loaded "
                   "line and the daily figures of a fetched DeepStateMap history.")


#: Shares of a country below this (in %) are slivers of a border, not a figure: not listed.
SLIVER_PCT = 0.05


def _share(result: LayerResult, f: Any) -> str:
    shares = [(n, s) for n, s in f.figures.shares if s >= SLIVER_PCT][:3]
    return ", ".join(f"{n} {s:.1f}%" if s >= 0.1 else f"{n} {s:.2f}%" for n, s in shares)


def figures_table(result: LayerResult) -> list[FigureRow]:
    """The panel's table rows: each feature (with its role's label and country shares), km², people, towns.

    Unknown people read "no data" (never 0); lines give km instead of km².
    """
    rows = []
    for f in result.features:
        fig = f.figures
        size = (f"{fig.length_km:,.1f} km" if fig.length_km is not None
                else f"{fig.area_km2:,.1f}" if fig.area_km2 is not None else "")
        share = _share(result, f)
        people = fig.people
        rows.append(FigureRow(
            name=f.name, kind=result.role_label(f.role) + (f"; {share}" if share else ""), size=size,
            people=people.value if people is not None else None,
            low=people.low if people is not None else None, high=people.high if people is not None else None,
            coverage=people.coverage if people is not None else 1.0,
            towns=tuple(t.name for t in fig.towns[:3]), counts_people=people is not None))
    return rows


def _headlines(items: tuple[Headline, ...]) -> None:
    """The figures the layer is about: one bordered line each, full width, wrapping, never cut."""
    for h in items:
        with st.container(border=True):
            people = f" · {_escape_markdown(h.people.text())} people" if h.people is not None else ""
            note = f" · *{_escape_markdown(h.note)}*" if h.note else ""
            st.markdown(f"{_escape_markdown(h.label)}  \n**{_escape_markdown(h.area_text())}**{people}{note}")


def _geometry_layers(scenario: Scenario) -> list[str]:
    """The chosen layers with a parameter filled from uploads or drawings."""
    return [n for n in scenario.layers if any(p.accepts_geometry for p in layers.REGISTRY[n].parameters)]


def _downloads(built: dict[str, LayerResult], view: str) -> None:
    """Download buttons; every file is made when its button is pressed (deferred).

    So a rerun after a parameter change never serialises layers nobody downloads. The briefing
    image and the HTML map show what the user is looking at: the box the browser reported for
    the current view (else the box of that view's centre and zoom at the map's size, else the
    named ``view``); with no view yet, the image fits the layers.
    """
    from bufferzone.briefing import bounds_from_map_state
    from bufferzone.webapp.viewport import MAP_WIDTH_PX, MapView

    if not built:
        return
    results = list(built.values())
    current = getattr(st.session_state.get("scenario"), "map_view", None)
    bounds = None
    if current is not None:
        reported = st.session_state.get("map")
        shown = MapView.from_returned(reported)
        if (shown is not None and shown.zoom == current.zoom and abs(shown.lat - current.lat) < 1e-3
                and abs(shown.lon - current.lon) < 1e-3):  # the browser's box is of the view in use
            bounds = bounds_from_map_state(reported)
        if bounds is None:  # a view just fitted or read from a link: its box at the map's size
            bounds = bounds_for_view(current.lat, current.lon, current.zoom, width_px=MAP_WIDTH_PX,
                                     height_px=MAP_HEIGHT_PX)
    elif view in VIEWS and view != "europe":
        bounds = bounds_for_view(*VIEWS[view])
    html_view = (current.lat, current.lon, current.zoom) if current is not None else None
    st.markdown("**Briefing image** of the layers that are on, for the map's current view")
    c1, c2, c3 = st.columns([1, 1, 1])
    pages = {"slide": "16:9 slide", "a4": "A4 portrait", "a4-landscape": "A4 landscape"}
    preset = c1.selectbox("Page", list(pages), format_func=pages.get, key="dl:preset")
    fmt = c2.selectbox("Format", ["png", "pdf"], key="dl:fmt")
    c3.download_button(f"Briefing {fmt.upper()}",
                       lambda: exports.image_bytes(results, fmt=fmt, preset=preset, bounds=bounds),
                       file_name=f"briefing.{fmt}", mime="image/png" if fmt == "png" else "application/pdf",
                       key="dl:image", help="Rendered when pressed: a few seconds.")
    st.markdown("**Data**")
    for name, result in built.items():
        st.download_button(f"GeoJSON – {result.title}", lambda r=result: exports.geojson_text([r]),
                           file_name=f"{name}.geojson", mime="application/geo+json", key=f"dl:{name}")
    st.download_button("GeoJSON – all layers", lambda: exports.geojson_text(results),
                       file_name="all-layers.geojson", mime="application/geo+json", key="dl:all")
    st.download_button("GeoPackage – all layers (one table each)", lambda: exports.gpkg_bytes(results),
                       file_name="layers.gpkg", mime="application/geopackage+sqlite3", key="dl:gpkg")
    st.download_button("CSV – figures", lambda: exports.csv_text(results),
                       file_name="figures.csv", mime="text/csv", key="dl:csv")
    st.download_button("HTML map (standalone, works offline)", lambda: exports.html_text(results, view=html_view),
                       file_name="map.html", mime="text/html", key="dl:html")


# ------------------------------------------------------------------------------ page


def main() -> None:
    """Render the page."""
    scenario = _scenario()
    for problem in st.session_state.pop("link_problems", []):
        st.warning(f"Link: {_plain(problem)}")
    inputs = _sidebar(scenario)
    drawn = st.session_state.get("map", {}) or {}
    _apply_custom_geometry(scenario, inputs, drawn.get("all_drawings") if isinstance(drawn, dict) else None)
    _sync_url(scenario)

    built: dict[str, LayerResult] = {}
    errors: dict[str, str] = {}
    keys: dict[str, str] = {}
    with st.spinner("Computing layers…"):
        for name in scenario.layers:
            try:
                keys[name] = _build_key(scenario, name, scenario.parameters(name))
                built[name] = build_layer(name, keys[name])
            except BufferZoneError as exc:
                errors[name] = f"{layers.REGISTRY[name].title}: {exc}"
            except Exception:  # keep the rest of the page alive; details go to the server log
                log.exception("layer %s failed", name)
                errors[name] = (f"{layers.REGISTRY[name].title}: an unexpected error occurred; "
                                "the other layers are unaffected.")

    st.markdown("### Buffer-zone mapper")
    map_col, fig_col = st.columns([3, 2], gap="medium")
    with map_col:
        comparison = current_comparison(scenario, built, keys,  # drawn on the map, shown in the Compare tab
                                        lambda n: _variant_b(scenario, n))
        view, anchor = session_view(scenario, built)  # fitted to the layers on first draw and when one is added
        _sync_url(scenario)
        fmap = base_map((anchor.lat, anchor.lon, anchor.zoom), bool(inputs.get("tiles", False)))
        groups = [layer_group(r, text=display_layer(n, keys[n], view.zoom)) for n, r in built.items()]
        if isinstance(comparison, Comparison):
            groups.append(comparison_group(comparison))
        # centred on the anchor, not the live view: after a pan the component's arguments are the
        # same as before, so the browser is not sent the layers again (it keeps the user's view)
        st_folium(fmap, key="map", feature_group_to_add=groups, returned_objects=VIEW_RETURNED,
                  height=MAP_HEIGHT_PX, use_container_width=True, center=(anchor.lat, anchor.lon), zoom=anchor.zoom)
        st.html(role_legend_html(list(built.values())))
    with fig_col:
        if inputs.get("geometry_error"):
            st.error(_plain(inputs["geometry_error"]))
        _figures_panel(built, errors, keys, inputs.get("raster"), scenario.view, comparison)
    credits = dict.fromkeys(
        "Line of contact: approximate own digitisation" if (r.line_of_contact or {}).get("loc_source_key") in
        (None, "builtin") else f"Line of contact: {_plain(str(r.line_of_contact.get('loc_attribution')).rstrip('.'))}"
        for r in built.values() if r.line_of_contact)
    st.caption("Natural Earth (public domain) · Settlements © GeoNames (CC BY 4.0) · "
               "Population: official totals (Ukrstat 1 Jan 2022, Belstat, Rosstat, Eurostat…) · "
               + (" · ".join(credits) or "Line of contact: approximate own digitisation") + ".")


main()
