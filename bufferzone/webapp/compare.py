"""The app's Compare tab: any two areas shown, split into A only, B only and both.

The figures come from :func:`geo.compare.compare`; the parts are drawn on the map
(:func:`comparison_group`), exported (CSV and GeoJSON) and named in the link as
``cmp.a`` / ``cmp.b`` (``layer/feature-id``, kept in :attr:`Scenario.compare`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from bufferzone.webapp.scenario import Scenario
from geo import BufferZoneError
from geo.compare import PARTS, Comparison, compare
from geo.io import feature_collection
from layers import LayerResult

__all__ = ["PART_COLOURS", "Choice", "choices", "comparison_geojson", "comparison_group", "compare_panel",
           "current_comparison"]

#: Colour-blind-safe colours of the parts (Okabe–Ito blue, orange, reddish purple).
PART_COLOURS = {"a_only": "#0072B2", "b_only": "#E69F00", "both": "#CC79A7"}
_KEYS = ("cmp:a", "cmp:b")


@dataclass(frozen=True)
class Choice:
    """An area that can be compared: ``ref`` is ``layer/feature-id``."""

    ref: str
    label: str
    geometry: BaseGeometry


def choices(built: Mapping[str, LayerResult]) -> list[Choice]:
    """The polygonal features of the layers shown, as compare choices."""
    return [Choice(f"{name}/{f.id}", f"{r.title}: {f.name}", f.geometry)
            for name, r in built.items() for f in r.features
            if f.geometry.geom_type in ("Polygon", "MultiPolygon") and not f.geometry.is_empty]


@st.cache_data(show_spinner=False, max_entries=16)
def _cached(key: str, _a: BaseGeometry, _b: BaseGeometry, a_label: str, b_label: str) -> Comparison:
    """:func:`geo.compare.compare`, cached on the refs and their layers' parameters (``key``)."""
    return compare(_a, _b, a_label=a_label, b_label=b_label)


def current_comparison(scenario: Scenario, built: Mapping[str, LayerResult],
                       keys: Mapping[str, str]) -> Comparison | str | None:
    """The comparison the scenario asks for, a message if it cannot be made, or None.

    Reads the Compare tab's choices from the session first (they are drawn after the map),
    so the map shows the parts picked in the same run.
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
    if a_ref == b_ref:
        return "Choose two different areas."
    a, b = by_ref[a_ref], by_ref[b_ref]
    key = json.dumps([a_ref, keys.get(a_ref.partition("/")[0], ""), b_ref, keys.get(b_ref.partition("/")[0], "")])
    try:
        with st.spinner("Comparing…"):
            return _cached(key, a.geometry, b.geometry, a.label, b.label)
    except BufferZoneError as exc:
        return str(exc)


def comparison_geojson(comparison: Comparison) -> dict:
    """The three parts as an RFC 7946 FeatureCollection with their figures."""
    rows = {row["part"]: row for row in comparison.rows()}
    return feature_collection(
        [(comparison.geometry(p), {"id": p, "name": rows[p]["label"], **rows[p]}) for p in PARTS
         if not comparison.geometry(p).is_empty], name="Comparison")


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
    if result is None:
        st.caption("Choose two areas: the land and people only A takes, only B takes, and both take.")
        return
    if isinstance(result, str):
        st.info(result)
        return
    frame = pd.DataFrame(result.rows())
    swatches = " ".join(f'<span style="display:inline-block;width:10px;height:10px;background:{PART_COLOURS[p]};'
                        f'opacity:.7"></span> {html.escape(result.part_label(p))}' for p in PARTS)
    st.markdown(f'<div style="font-size:0.85rem">{swatches}</div>', unsafe_allow_html=True)
    st.dataframe(frame[["label", "area_km2", "people", "largest_settlements"]], hide_index=True, width="stretch",
                 column_config={"label": "part", "area_km2": st.column_config.NumberColumn("km²", format="%.1f"),
                                "largest_settlements": "largest settlements"})
    st.caption("Geodesic km² on WGS84; people from the embedded model (unknown shown as 'no data', not 0).")
    c1, c2 = st.columns(2)
    c1.download_button("CSV – comparison", lambda: frame.to_csv(index=False), file_name="comparison.csv",
                       mime="text/csv", key="dl:cmp_csv")
    c2.download_button("GeoJSON – comparison",
                       lambda: json.dumps(comparison_geojson(result), ensure_ascii=False),
                       file_name="comparison.geojson", mime="application/geo+json", key="dl:cmp_geojson")
