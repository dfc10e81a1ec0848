"""The app's Compare tab: any two areas shown, split into A only, B only and both.

The figures come from :func:`geo.compare.compare`; the parts are drawn on the map
(:func:`comparison_group`), exported (CSV and GeoJSON, by :mod:`bufferzone.comparison`, as the
CLI does) and named in the link as
``cmp.a`` / ``cmp.b`` (``layer/feature-id``, kept in :attr:`Scenario.compare`). B may have
parameters of its own (``cmp.b.<layer>.<param>``, :attr:`Scenario.compare_b`, set in the
tab's B form), so one proposal can be compared with itself under two settings.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping

import folium
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from bufferzone.comparison import Choice, choices, comparison_csv, comparison_geojson, settings_text
from bufferzone.webapp.scenario import Scenario
from bufferzone.webapp.widgets import parameter_widget
from geo import BufferZoneError
from geo.compare import PARTS, Comparison, compare
from layers import REGISTRY, LayerResult

__all__ = ["PART_COLOURS", "SHORT_PARTS", "WIDGET_PREFIX", "Variant", "comparison_group", "compare_panel",
           "comparison_table", "current_comparison"]

#: Colour-blind-safe colours of the parts (Okabe–Ito blue, orange, reddish purple).
PART_COLOURS = {"a_only": "#0072B2", "b_only": "#E69F00", "both": "#CC79A7"}
_KEYS = ("cmp:a", "cmp:b")
#: Short names of the parts in the tab's table and legend (A and B are named above them).
SHORT_PARTS = {"a_only": "Only A", "b_only": "Only B", "both": "Both"}
#: Session keys of the Compare tab's widgets (reset when a scenario is loaded).
WIDGET_PREFIX = "cmp:"
#: B's layer built with B's own parameters: its result and its cache key.
Variant = Callable[[str], tuple[LayerResult, str]]


@st.cache_data(show_spinner=False, max_entries=16)
def _cached(key: str, _a: BaseGeometry, _b: BaseGeometry, a_label: str, b_label: str) -> Comparison:
    """:func:`geo.compare.compare`, cached on the refs and their layers' parameters (``key``)."""
    return compare(_a, _b, a_label=a_label, b_label=b_label)


def current_comparison(scenario: Scenario, built: Mapping[str, LayerResult], keys: Mapping[str, str],
                       variant: Variant | None = None) -> Comparison | str | None:
    """The comparison the scenario asks for, a message if it cannot be made, or None.

    Reads the Compare tab's choices from the session first (they are drawn after the map),
    so the map shows the parts picked in the same run. When B has parameters of its own,
    B's area is taken from its layer built with them (``variant``).
    """
    scenario.compare = tuple(str(st.session_state.get(k) or v) for k, v in  # type: ignore[assignment]
                             zip(_KEYS, scenario.compare, strict=True))
    a_ref, b_ref = scenario.compare
    if not a_ref or not b_ref:
        return None
    by_ref = {c.ref: c for c in choices(built)}
    missing = [r for r in (a_ref, b_ref) if r not in by_ref]
    if missing:
        return f"{missing[0]} is not an area shown now: pick another."
    own = scenario.b_overrides() if variant is not None else {}
    if a_ref == b_ref and not own:
        return ("The same area twice: choose another area B, or give B parameters of its own below "
                "(one proposal under two settings).")
    a, b = by_ref[a_ref], by_ref[b_ref]
    b_layer = b_ref.partition("/")[0]
    b_key = keys.get(b_layer, "")
    if own and variant is not None:
        try:
            with st.spinner("Building B with its own parameters…"):
                result_b, b_key = variant(b_layer)
        except BufferZoneError as exc:
            return f"B with its own parameters: {exc}"
        b = next((c for c in choices({b_layer: result_b}) if c.ref == b_ref), None)
        if b is None:
            return f"{b_ref} is not an area of {result_b.title} with B's parameters: pick another area B."
        if b.label == a.label:  # the names alone do not tell A from B: say their settings
            shown = {k: scenario.parameters(b_layer)[k] for k in own}
            a = Choice(a.ref, f"{a.label} ({settings_text(b_layer, shown)})", a.geometry)
            b = Choice(b.ref, f"{b.label} ({settings_text(b_layer, own)})", b.geometry)
    key = json.dumps([a_ref, keys.get(a_ref.partition("/")[0], ""), b_ref, b_key])
    try:
        with st.spinner("Comparing…"):
            return _cached(key, a.geometry, b.geometry, a.label, b.label)
    except BufferZoneError as exc:
        return str(exc)


def comparison_group(comparison: Comparison) -> folium.FeatureGroup:
    """The parts drawn on the map, coloured as in the tab, each with its label as tooltip."""
    group = folium.FeatureGroup(name="Comparison", show=True)
    for part in PARTS:
        geom = comparison.geometry(part)
        if geom.is_empty:
            continue
        colour = PART_COLOURS[part]
        m = comparison.figures(part)
        folium.GeoJson(
            geom.__geo_interface__, name=html.escape(comparison.part_label(part)),
            style_function=lambda _f, c=colour: {"color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.35},
            tooltip=html.escape(f"{comparison.part_label(part)}: {m.area_km2:,.0f} km², {m.people()} people"),
        ).add_to(group)
    return group


def compare_panel(scenario: Scenario, built: Mapping[str, LayerResult], result: Comparison | str | None) -> None:
    """The Compare tab: two pickers, the three parts' figures, a legend and downloads."""
    options = choices(built)
    if len(options) < 2:
        st.info("Turn on layers with areas to compare two of them.")
        return
    refs = [c.ref for c in options]
    labels = {c.ref: c.label for c in options}
    for side, key, ref, word in zip("AB", _KEYS, scenario.compare, ("Choose an area", "Choose another area"),
                                    strict=True):
        st.selectbox(f"Area {side}", refs, index=refs.index(ref) if ref in refs else None, placeholder=word,
                     format_func=labels.get, key=key)
    _b_parameters_form(scenario)
    if result is None:
        st.caption("Choose two areas: the land and people only A takes, only B takes, and both take.")
        return
    if isinstance(result, str):
        st.info(result)
        return
    swatches = " ".join(f'<span style="white-space:nowrap"><span style="display:inline-block;width:10px;height:10px;'
                        f'background:{PART_COLOURS[p]};opacity:.7"></span> {SHORT_PARTS[p]}</span>' for p in PARTS)
    st.markdown(f'<div style="font-size:0.85rem">{swatches}<br><b>A</b>: {html.escape(result.a_label)}<br>'
                f'<b>B</b>: {html.escape(result.b_label)}</div>', unsafe_allow_html=True)
    # a static table with short row names: it fits the panel (a grid pushed km² and people off its right)
    st.table(comparison_table(result))
    towns = [f"*{SHORT_PARTS[r['part']]}*: {html.escape(r['largest_settlements'])}" for r in result.rows()
             if r["largest_settlements"]]
    if towns:
        st.caption("Largest towns — " + "; ".join(towns))
    st.caption("Geodesic km² on WGS84; people from the embedded model (unknown shown as 'no data', not 0).")
    st.download_button("CSV – comparison", lambda: comparison_csv(result), file_name="comparison.csv",
                       mime="text/csv", key="dl:cmp_csv", width="stretch")
    st.download_button("GeoJSON – comparison",
                       lambda: json.dumps(comparison_geojson(result), ensure_ascii=False),
                       file_name="comparison.geojson", mime="application/geo+json", key="dl:cmp_geojson",
                       width="stretch")


def comparison_table(result: Comparison) -> pd.DataFrame:
    """The Compare tab's table: per part (short name), km² and people, as text (towns are listed below it)."""
    rows = [{"part": SHORT_PARTS[r["part"]], "km²": f"{r['area_km2']:,.0f}", "people": r["people"]}
            for r in result.rows()]
    return pd.DataFrame(rows).set_index("part")


def _b_parameters_form(scenario: Scenario) -> None:
    """B's own parameters: the form of B's layer, applied to B only (the map and the other tabs keep A's)."""
    name = scenario.compare[1].partition("/")[0]
    if name not in scenario.layers:
        return
    spec = REGISTRY[name]
    shown = scenario.parameters(name)
    own = scenario.b_overrides()
    current = {**shown, **own}
    prefix = f"{WIDGET_PREFIX}b:{name}."
    seed = f"{WIDGET_PREFIX}b_seed"  # A's values the form was drawn with
    if not own and st.session_state.get(seed) != (name, repr(shown)):
        # B is A and A changed: the form shows A's values as they are now, not a setting left from before
        for k in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[k]
    st.session_state[seed] = (name, repr(shown))
    with st.expander(f"B's own parameters ({spec.title})", expanded=bool(own)):
        st.caption("Compare one proposal with itself under two settings: A is the layer as shown, B is built with "
                   "these.")
        with st.form(f"{WIDGET_PREFIX}b_form", border=False):
            values = {p.name: parameter_widget(p, current.get(p.name, p.default), key=prefix + p.name)
                      for p in spec.parameters if p.shown_in_forms(current, spec.parameters)}
            applied = st.form_submit_button("Apply to B", width="stretch")
            reset = st.form_submit_button("B as A again", width="stretch")
    if applied:
        scenario.compare_b[name] = {k: v for k, v in values.items() if v != shown.get(k)}
        st.rerun()
    if reset:
        scenario.compare_b.pop(name, None)
        st.session_state.pop(seed, None)
        st.rerun()
