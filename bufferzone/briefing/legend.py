"""The legend: one entry per style a layer uses, with what it stands for, fitted to its panel."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bufferzone.briefing._measure import Measurer
from bufferzone.briefing.content import LayerContent, LegendEntry
from bufferzone.briefing.layout import Box
from bufferzone.briefing.mapframe import NO_DATA_EDGE, NO_DATA_FILL, _dash
from bufferzone.styles import LINE_KINDS

__all__ = ["context_entries", "draw_legend"]

_FONTS = (7.5, 7.0, 6.5, 6.0)


def context_entries(*, outside_data: bool) -> list[LegendEntry]:
    """Entries for the base map: the Dnieper, capitals, and where the embedded data ends."""
    river = LINE_KINDS["river"]
    entries = [LegendEntry(river.label, river.colour, river.colour, 1.0, river.dash, True, river.weight)]
    if outside_data:
        entries.append(LegendEntry("Outside the embedded data", NO_DATA_FILL, NO_DATA_EDGE, 1.0, None, False))
    return entries


def _handle(entry: LegendEntry, label: str) -> Artist:
    if entry.point:  # drawn as the map draws points
        return Line2D([], [], marker="o", color=entry.edge, lw=0, ms=5, label=label)
    if entry.line:
        return Line2D([], [], color=entry.edge, lw=max(entry.weight * 0.8, 0.8), linestyle=_dash(entry.dash),
                      label=label)
    if entry.label == "Outside the embedded data":
        return Patch(facecolor=entry.fill, edgecolor=entry.edge, hatch="////", label=label)
    return Patch(facecolor=entry.fill, alpha=max(entry.opacity, 0.3), edgecolor=entry.edge,
                 linestyle=_dash(entry.dash), label=label)


def draw_legend(fig: Figure, measurer: Measurer, panel: Box, layers: Sequence[LayerContent],
                context: Sequence[LegendEntry], *, max_share: float) -> tuple[Legend, float]:
    """Draw the legend at the top of ``panel``, as large as fits in ``max_share`` of its height.

    Font sizes and 1–3 columns are tried in turn; if even the smallest does not fit, the last
    entries give way to one saying the app's legend has the rest.

    Returns
    -------
    (legend, bottom)
        The legend and its lower edge as a figure fraction.
    """
    x0, y0, x1, y1 = panel
    entries: list[tuple[LegendEntry, str]] = []
    many = len(layers) > 1
    for layer in layers:
        entries += [(e, f"{layer.title}: {e.label}" if many else e.label) for e in layer.legend]
    entries += [(e, e.label) for e in context]
    capital = Line2D([], [], marker="s", color="#222", lw=0, ms=4, label="Capital")
    width_px = (x1 - x0) * fig.bbox.width
    max_h = max_share * (y1 - y0) * fig.bbox.height
    cols = (1, 2, 3) if width_px > 900 * fig.dpi / 200 else (1, 2)
    legend: Legend | None = None

    def draw(chosen: list[tuple[LegendEntry, str]], size: float, ncol: int) -> float:
        nonlocal legend
        text_px = width_px / ncol - size * 4.5 * fig.dpi / 72  # handle and padding
        handles = [_handle(e, "\n".join(measurer.wrap(label, size, text_px))) for e, label in chosen] + [capital]
        if legend is not None:
            legend.remove()
        legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x0, y1, x1 - x0, 0),
                            mode="expand", ncol=ncol, fontsize=size, frameon=True, title="Legend",
                            title_fontsize=size + 1, borderaxespad=0.0, alignment="left")
        legend.get_frame().set_edgecolor("#999")
        legend.set_gid("legend")
        return legend.get_window_extent(measurer.renderer).height

    def done() -> tuple[Legend, float]:
        assert legend is not None
        return legend, legend.get_window_extent(measurer.renderer).y0 / fig.bbox.height

    for size in _FONTS:
        for ncol in cols:
            if draw(entries, size, ncol) <= max_h:
                return done()
    # still too tall at the smallest font: fewer entries, the last saying where the rest are
    more = LegendEntry("", "#ffffff", "#ffffff", 0.0, None, True)
    while len(entries) > 1:
        entries = [*entries[:-2], (more, "… more styles: see the app's legend")]
        if draw(entries, _FONTS[-1], cols[-1]) <= max_h:
            break
    return done()
