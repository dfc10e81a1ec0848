"""Header (title, subtitle) and footer (sources, attribution, notes, page stamp), measured to fit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure

from bufferzone.briefing._measure import Measurer
from bufferzone.briefing.content import LayerContent
from bufferzone.briefing.layout import Layout
from layers import LayerResult

__all__ = ["ATTRIBUTION", "draw_footer", "draw_header", "footer_text"]

ATTRIBUTION = (
    "Base data: Natural Earth (public domain). Settlements: © GeoNames, CC BY 4.0. Population: official "
    "totals (Ukrstat 1 Jan 2022, Belstat, Rosstat 2021 census, Eurostat, national offices) spread with a "
    "dasymetric model. Distances and areas geodesic on the WGS84 ellipsoid. Map: Lambert azimuthal "
    "equal-area projection centred on the view."
)
_MORE = "(the rest of the notes is in the GeoJSON and CSV exports)"
_SUBTITLE_LINES = 3


def footer_text(results: Sequence[LayerResult], layers: Sequence[LayerContent]) -> str:
    """Sources (numbered), attribution, the approximate-line warning, population bases and notes."""
    sources = list(dict.fromkeys(s for layer in layers for s in layer.sources))
    text = "Sources: " + " ".join(f"[{i + 1}] {s}" for i, s in enumerate(sources)) + "  " + ATTRIBUTION
    if any(r.approximate for r in results):
        text += (" The line of contact is an APPROXIMATE digitisation (settlement positions), "
                 "not an authoritative line.")
    basis = list(dict.fromkeys(b for layer in layers for b in layer.population_basis
                               if not b.startswith("settlements:")))
    towns = _settlement_lines(layers) or ["settlements: GeoNames, various years"]
    if basis:
        text += (" People (range where rural people are spread): " + "; ".join(basis[:6])
                 + ("; …" if len(basis) > 6 else "") + "; " + "; ".join(towns) + ".")
    notes = list(dict.fromkeys(n for r in results for n in r.notes))
    if notes:
        text += " Notes: " + " ".join(notes)
    return text


def _settlement_lines(layers: Sequence[LayerContent]) -> list[str]:
    """How each layer's towns are dated: one line per distinct line.

    Where the layers' lines differ, each is named by its layers' titles ("settlements
    (NATO–Russia buffer zone): 67 % of their people...").
    """
    repeated = {title for title, n in Counter(layer.title for layer in layers).items() if n > 1}
    titles: dict[str, list[str]] = {}
    for layer in layers:
        # two layers of one proposal (a 100 km and a 300 km zone) are told apart by their parameters
        name = f"{layer.title}, {layer.parameters}" if layer.title in repeated else layer.title
        for line in layer.population_basis:
            if line.startswith("settlements:"):
                titles.setdefault(line, []).append(name)
    if len(titles) <= 1:
        return list(titles)
    prefix = len("settlements:")
    return [f"settlements ({', '.join(dict.fromkeys(names))}):{line[prefix:]}" for line, names in titles.items()]


def draw_header(fig: Figure, m: Measurer, layout: Layout, title: str, subtitle: str) -> float:
    """Draw the title and up to three lines of subtitle at the top; return the header's bottom (figure fraction)."""
    w_in, h_in = layout.size_in
    left, top = layout.margin_in / w_in, 1 - layout.margin_in / h_in
    width_px = (1 - 2 * left) * fig.bbox.width
    title_line = m.shorten(title, layout.title_pt, width_px, "bold")
    fig.text(left, top, title_line, fontsize=layout.title_pt, fontweight="bold", va="top", gid="header")
    y = top - m.line_height(layout.title_pt) / fig.bbox.height
    lines = m.wrap(subtitle, layout.subtitle_pt, width_px)
    if len(lines) > _SUBTITLE_LINES:
        lines = [*lines[:_SUBTITLE_LINES - 1], m.shorten(" ".join(lines[_SUBTITLE_LINES - 1:]), layout.subtitle_pt,
                                                          width_px)]
    if lines:
        fig.text(left, y, "\n".join(lines), fontsize=layout.subtitle_pt, va="top", color="#333", gid="header",
                 linespacing=1.2)
        y -= len(lines) * m.line_height(layout.subtitle_pt) / fig.bbox.height
    return y


def draw_footer(fig: Figure, m: Measurer, layout: Layout, text: str, stamp: str) -> float:
    """Draw the footer at the bottom, at the largest font whose text fits its share; return its top.

    What does not fit even at the smallest font is cut, and says where the rest is.
    """
    w_in, h_in = layout.size_in
    left, bottom = layout.margin_in / w_in, layout.margin_in / h_in
    width_px = (1 - 2 * left) * fig.bbox.width
    max_px = layout.footer_share * fig.bbox.height
    stamp_size = 6.0
    fig.text(1 - left, bottom, stamp, fontsize=stamp_size, ha="right", va="bottom", color="#666", gid="footer")
    base = bottom + m.line_height(stamp_size) / fig.bbox.height
    for size in layout.footer_fonts:
        lines = m.wrap(text, size, width_px)
        if len(lines) * m.line_height(size) <= max_px:
            break
    else:
        keep = max(int(max_px // m.line_height(size)) - 1, 1)
        tail = m.shorten(lines[keep], size, width_px - m.width(" " + _MORE, size))
        lines = [*lines[:keep], tail + " " + _MORE]
    height = len(lines) * m.line_height(size) / fig.bbox.height
    fig.text(left, base + height, "\n".join(lines), fontsize=size, va="top", color="#333", gid="footer",
             linespacing=1.2)
    return base + height
