"""Compose briefing pages (header, map, legend, figures table, footer) and write them as PNG or PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bufferzone.briefing._measure import Measurer  # noqa: E402
from bufferzone.briefing.content import LayerContent, contents  # noqa: E402
from bufferzone.briefing.extent import Bounds, check_bounds, default_bounds  # noqa: E402
from bufferzone.briefing.layout import LAYOUTS, Box, Layout  # noqa: E402
from bufferzone.briefing.legend import context_entries, draw_legend  # noqa: E402
from bufferzone.briefing.mapframe import draw_map, leaves_data  # noqa: E402
from bufferzone.briefing.page import draw_footer, draw_header, footer_text  # noqa: E402
from bufferzone.briefing.table import TablePlan, Unit, draw_note, draw_table, note_height, plan_table, table_units  # noqa: E402
from geo._errors import ParameterError  # noqa: E402
from layers import LayerResult  # noqa: E402

__all__ = ["Preset", "briefing_subtitle", "compose_briefing", "render_briefing"]

Preset = Literal["slide", "a4", "a4-landscape"]
_GAP_IN = 0.12  # between header, body and footer, and between legend and table


def briefing_subtitle(results: Sequence[LayerResult]) -> str:
    """The image's subtitle: a stale line of contact first (its date and age), then parameters and the date.

    Examples
    --------
    >>> briefing_subtitle([])
    'as of ...'
    """
    from bufferzone.briefing.content import parameters_text

    results = list(results)
    as_of = max((r.as_of for r in results), default=None)
    stale: dict[tuple[str, int], list[str]] = {}
    for r in results:
        loc = r.line_of_contact or {}
        if loc.get("loc_stale"):
            stale.setdefault((str(loc.get("loc_date")), int(loc.get("loc_age_days", 0))), []).append(r.title)
    warnings = [f"STALE LINE OF CONTACT of {day}, {age} days older than the as-of date ({', '.join(titles)})"
                for (day, age), titles in stale.items()]
    parts = [*warnings, *(f"{r.title}: {parameters_text(r)}" for r in results if parameters_text(r))]
    return " | ".join([*parts, f"as of {as_of.isoformat() if as_of else '...'}"])


@dataclass
class _Page:
    fig: Figure
    measurer: Measurer
    body: Box


def _page(layout: Layout, dpi: int, title: str, subtitle: str, footer: str, stamp: str) -> _Page:
    fig = Figure(figsize=layout.size_in, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer to measure text with while placing it
    m = Measurer(fig)
    top = draw_header(fig, m, layout, title, subtitle)
    bottom = draw_footer(fig, m, layout, footer, stamp)
    w_in, h_in = layout.size_in
    gap = _GAP_IN / h_in
    return _Page(fig, m, (layout.margin_in / w_in, bottom + gap, 1 - layout.margin_in / w_in, top - gap))


def _in_body(body: Box, box: Box) -> Box:
    x0, y0, x1, y1 = body
    w, h = x1 - x0, y1 - y0
    gap = 0.008
    return (x0 + box[0] * w, y0 + box[1] * h, x0 + box[2] * w - (gap * w if box[2] < 1 else 0), y0 + box[3] * h)


def _aspect(layout: Layout, box: Box) -> float:
    return (box[2] - box[0]) * layout.size_in[0] / ((box[3] - box[1]) * layout.size_in[1])


def _fit_first_page(page: _Page, layout: Layout, layers: Sequence[LayerContent], units: Sequence[Unit],
                    shown: Bounds) -> tuple[int, TablePlan]:
    """The first variant and font at which the table fits, every word whole (else the first fit).

    Where no variant and font fit the whole table, the last variant at the smallest font.

    The map is drawn after, in the chosen variant's box; whether it shows area outside the
    embedded data (a legend entry) is worked out here from that box.
    """
    h_gap = _GAP_IN / layout.size_in[1]
    plan = None
    fallback: tuple[int, TablePlan] | None = None
    for index, variant in enumerate(layout.variants):
        panels = [_in_body(page.body, p) for p in variant.panels]
        outside = leaves_data(shown, _aspect(layout, _in_body(page.body, variant.map)))
        legend, bottom = draw_legend(page.fig, page.measurer, panels[0], layers,
                                     context_entries(outside_data=outside), max_share=layout.legend_share)
        first = (panels[0][0], panels[0][1], panels[0][2], bottom - h_gap)
        table_panels = [first, *panels[1:]]
        for size in layout.table_fonts:
            plan = plan_table(page.measurer, layers, units, table_panels, size)
            if not plan.rest and plan.words_fit:
                return index, plan
            if not plan.rest and fallback is None:
                fallback = (index, plan)
        if legend is not None and (index < len(layout.variants) - 1 or fallback is not None):
            legend.remove()
    assert plan is not None
    if fallback is not None:  # the legend of the chosen variant is drawn again
        index, plan = fallback
        panels = [_in_body(page.body, p) for p in layout.variants[index].panels]
        outside = leaves_data(shown, _aspect(layout, _in_body(page.body, layout.variants[index].map)))
        draw_legend(page.fig, page.measurer, panels[0], layers, context_entries(outside_data=outside),
                    max_share=layout.legend_share)
        return fallback
    return len(layout.variants) - 1, plan


def _note(rows: int) -> str:
    return f"{rows} more row(s) of figures: see the PDF briefing or the CSV of figures."


def _one_page(m: Measurer, layers: Sequence[LayerContent], units: Sequence[Unit], panels: Sequence[Box],
              size: float) -> tuple[TablePlan, str, Box]:
    """The table cut to one page: rows that are not headline figures left out, last first, under a note.

    Returns the plan, the note saying how many rows are left out and where they are, and the
    box at the bottom of the last panel the note goes in.
    """
    last = panels[-1]
    h = note_height(m, last, _note(len(units)), size) + 0.3 * m.line_height(size) / m.fig.bbox.height
    panels = [*panels[:-1], (last[0], last[1] + h, last[2], last[3])]
    kept = list(units)
    plan = plan_table(m, layers, kept, panels, size)
    while plan.rest and kept:
        # a block's first unit (its heading) and headline rows go last
        order = sorted(range(len(kept)), key=lambda i: (bool(kept[i].heading), any(r.headline for r in kept[i].rows),
                                                        -i))
        for i in sorted(order[:max(1, len(plan.rest) // 2)], reverse=True):
            kept.pop(i)
        plan = plan_table(m, layers, kept, panels, size)
    return plan, _note(len(units) - len(kept)), last


def compose_briefing(
    results: Sequence[LayerResult],
    *,
    preset: Preset = "slide",
    bounds: Sequence[float] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    dpi: int = 200,
    pages: bool = True,
) -> list[Figure]:
    """The briefing's pages as matplotlib figures (see :func:`render_briefing` for the arguments).

    With ``pages=False`` (a PNG) there is one page, and a table too long for it ends with a
    line saying how many rows are left out and where they are; otherwise the table goes on
    over as many continuation pages as it needs.
    """
    if preset not in LAYOUTS:
        raise ParameterError(f"preset must be one of {sorted(LAYOUTS)}, got {preset!r}")
    if dpi < 200:
        raise ParameterError(f"dpi must be at least 200 for briefings, got {dpi}")
    results = list(results)
    shown: Bounds = check_bounds(bounds) if bounds is not None else default_bounds(results)
    layout = LAYOUTS[preset]
    layers = contents(results)
    as_of = max((r.as_of for r in results), default=dt.date.today())
    title = title or " · ".join(r.title for r in results) or "Buffer-zone mapper"
    subtitle = subtitle or briefing_subtitle(results)
    footer = footer_text(results, layers)
    stamp = f"Buffer-zone mapper · {as_of.isoformat()}"

    first = _page(layout, dpi, title, subtitle, footer, stamp + " · page {page}")
    units = table_units(layers)
    index, plan = _fit_first_page(first, layout, layers, units, shown)
    variant = layout.variants[index]
    draw_map(first.fig, _in_body(first.body, variant.map), results, shown, label_limit=layout.labels)
    if plan.rest and not pages:
        plan, note, note_box = _one_page(first.measurer, layers, units, plan.panels, layout.table_fonts[-1])
        draw_note(first.fig, first.measurer, note_box, note, plan.size)
    draw_table(first.fig, first.measurer, plan)
    figures = [first.fig]
    rest = list(plan.rest) if pages else []
    while rest:
        page = _page(layout, dpi, title, "Figures, continued", footer, stamp + " · page {page}")
        x0, y0, x1, y1 = page.body
        n = layout.continuation_columns
        step = (x1 - x0) / n
        columns = [(x0 + i * step, y0, x0 + (i + 1) * step - 0.01 * (x1 - x0), y1) for i in range(n)]
        more = plan_table(page.measurer, layers, rest, columns, layout.table_fonts[0])
        if len(more.rest) == len(rest):  # a unit taller than a whole column: cannot happen with real rows
            raise ParameterError("a figures row is taller than a page; shorten the layer's names")
        draw_table(page.fig, page.measurer, more)
        figures.append(page.fig)
        rest = list(more.rest)
    for number, fig in enumerate(figures, start=1):
        for text in fig.texts:
            if "{page}" in text.get_text():
                text.set_text(text.get_text().replace("{page}", f"{number} of {len(figures)}"))
    return figures


def render_briefing(
    results: Sequence[LayerResult],
    *,
    fmt: Literal["png", "pdf"] = "png",
    preset: Preset = "slide",
    bounds: Sequence[float] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    dpi: int = 200,
) -> bytes:
    """Render layer results as a briefing image.

    Parameters
    ----------
    results : sequence of LayerResult
        The layers to draw, in drawing order.
    fmt : {"png", "pdf"}
        PNG (raster, ``dpi``, one page) or PDF (vector, text embedded as text; the figures
        table goes on over further pages when it does not fit the first).
    preset : {"slide", "a4", "a4-landscape"}
        16:9 slide (13.33 × 7.5 in), A4 portrait or A4 landscape.
    bounds : (min_lon, min_lat, max_lon, max_lat), optional
        Area to show, degrees: the app's current map view. Default: around the layers' features.
    title, subtitle : str, optional
        Default: the layers' titles; their parameters and the as-of date.
    dpi : int
        Resolution for PNG, ≥ 200.

    Returns
    -------
    bytes
        The PNG or PDF file.

    Raises
    ------
    ParameterError
        For an unknown preset or format, bad bounds, or a dpi under 200.
    """
    if fmt not in ("png", "pdf"):
        raise ParameterError(f"format must be png or pdf, got {fmt!r}")
    matplotlib.rcParams["pdf.fonttype"] = 42
    figures = compose_briefing(results, preset=preset, bounds=bounds, title=title, subtitle=subtitle, dpi=dpi,
                               pages=fmt == "pdf")
    buf = io.BytesIO()
    if fmt == "png":
        figures[0].savefig(buf, format="png", dpi=dpi, facecolor="white")
    else:
        with PdfPages(buf) as pdf:
            for fig in figures:
                pdf.savefig(fig, facecolor="white")
    return buf.getvalue()
