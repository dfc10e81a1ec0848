"""Briefing images: static maps of layers for slides and documents (PNG and PDF, offline).

A briefing is drawn with matplotlib in a Lambert azimuthal equal-area projection centred on
the area shown (never Web Mercator), over the embedded context (land, borders, the Dnieper,
capitals and key cities), with a small locator map, a legend naming every style, a scale
bar true at the map's centre, a north arrow, a title and subtitle (proposals, parameters,
as-of date), a table of the figures laid out to fit (a second column, or in a PDF further
pages, when one column is not enough: never over the footer) and a footer with sources,
attribution and "approximate" notes. Every number in it is read from the layer results
through one adapter (:mod:`bufferzone.briefing.content`), so it equals what the library and
the app show.

Modules: :mod:`~bufferzone.briefing.layout` (a layout per preset),
:mod:`~bufferzone.briefing.extent` (the area shown), :mod:`~bufferzone.briefing.mapframe`
(the map), :mod:`~bufferzone.briefing.legend`, :mod:`~bufferzone.briefing.table`,
:mod:`~bufferzone.briefing.page` (header and footer) and :mod:`~bufferzone.briefing.render`.
"""

from __future__ import annotations

from bufferzone.briefing.content import layer_content
from bufferzone.briefing.extent import bounds_for_view, bounds_from_map_state, default_bounds
from bufferzone.briefing.layout import LAYOUTS, PRESETS
from bufferzone.briefing.page import ATTRIBUTION
from bufferzone.briefing.render import Preset, briefing_subtitle, compose_briefing, render_briefing
from layers import LayerResult

__all__ = ["ATTRIBUTION", "LAYOUTS", "PRESETS", "Preset", "bounds_for_view", "bounds_from_map_state",
           "briefing_subtitle", "compose_briefing", "default_bounds", "render_briefing"]


def _figure_rows(result: LayerResult, limit: int) -> list[str]:
    """The table's rows of a layer as one line of text each (for tests and text reports)."""
    rows = layer_content(result).rows
    return [" · ".join(x for x in (f"{r.name}: {r.area}", f"people: {r.people}" if r.people == "no data"
                                   else f"{r.people} people" if r.people else "",
                                   f"largest: {r.towns}" if r.towns else "") if x)
            for r in rows][:limit]

