"""The figures table: one block per layer, laid out through panels and pages so nothing overflows.

A layer's block is its heading (title, as-of date, parameters), a header row and one row per
feature (name, km², people with its range, largest towns). Rows are measured as drawn
(:class:`~bufferzone.briefing._measure.Measurer`): names and figures wrap within their
column, and a block that reaches the bottom of a panel goes on in the next panel under a
"(continued)" heading. What does not fit in the last panel is returned, for the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from bufferzone.briefing._measure import Measurer
from bufferzone.briefing.content import FigureRow, LayerContent
from bufferzone.briefing.layout import Box

__all__ = ["Placement", "TablePlan", "Unit", "draw_note", "draw_table", "plan_table", "table_units"]

_GAP = 0.015  # between columns, share of the panel's width
#: Most of a panel's width the area and the people columns may take (their text wraps beyond).
_MAX_AREA, _MAX_PEOPLE = 0.20, 0.26
#: The name's share of what the area and people columns leave; the towns take the rest.
_NAME_SHARE = 0.55
_HEADER = FigureRow("Feature", "Area", "People (range)", "Largest towns", True)


@dataclass(frozen=True)
class Unit:
    """Lines kept together in one panel: a block's heading and first row, or one more row."""

    layer: int
    heading: str = ""
    parameters: str = ""
    rows: tuple[FigureRow, ...] = ()
    note: str = ""
    header_row: bool = False


@dataclass(frozen=True)
class Placement:
    """A unit placed: which panel, its top in pixels from the figure's bottom, its height in pixels."""

    unit: Unit
    panel: int
    top_px: float
    height_px: float


@dataclass(frozen=True)
class TablePlan:
    """The units placed at a font size, and those left over for another page."""

    size: float
    panels: tuple[Box, ...]
    widths: tuple[tuple[float, float, float, float], ...]
    placed: tuple[Placement, ...]
    rest: tuple[Unit, ...]
    #: Whether every word of every placed row fits its column (so no word is cut inside).
    words_fit: bool = True


def table_units(layers: Sequence[LayerContent]) -> list[Unit]:
    """Each layer's block cut into the units that may not be split between panels."""
    units: list[Unit] = []
    for i, layer in enumerate(layers):
        first, *more = layer.rows or (None,)
        units.append(Unit(i, layer.heading, layer.parameters, (first,) if first else (), header_row=bool(first)))
        units += [Unit(i, rows=(row,)) for row in more]
        if layer.omitted:
            units.append(Unit(i, note=layer.omitted))
    return units


Widths = tuple[float, float, float, float]


def _texts(row: FigureRow) -> tuple[str, str, str, str]:
    return (row.name, row.area, row.people.replace(" (", "\n("), row.towns)


def column_widths(m: Measurer, units: Sequence[Unit], size: float, width_px: float) -> Widths:
    """Pixel widths of the name, area, people and towns columns of a panel ``width_px`` wide.

    The area and people columns are as wide as their widest entry (up to a share of the
    panel), so figures do not wrap; names and towns share the rest, each at least as wide as
    its longest word (the longest piece between spaces and hyphens, in bold for headline rows)
    so that text wraps only at word and hyphen boundaries, never inside a word. Where the two
    longest words do not both fit, the figures columns give way down to their own longest
    word; only a word wider than all that is left is cut (see :meth:`Measurer.wrap`).
    """
    rows = [_HEADER, *(r for u in units for r in u.rows)]
    gap = _GAP * width_px

    def widest(col: int) -> float:
        return max(m.width(line, size, "bold") for r in rows for line in _texts(r)[col].split("\n"))

    def longest_word(col: int) -> float:
        return max((m.width(w.strip(), size, "bold") for r in rows for line in _texts(r)[col].split("\n")
                    for w in m.pieces(line) if w.strip()), default=0.0) + gap

    area = min(widest(1) + gap, _MAX_AREA * width_px)
    people = min(widest(2) + gap, _MAX_PEOPLE * width_px)
    min_name, min_towns = longest_word(0), longest_word(3)
    short = min_name + min_towns - (width_px - area - people)
    if short > 0:  # the figures columns give way, each down to its longest word
        for_people = min(short, max(0.0, people - longest_word(2)))
        people -= for_people
        area -= min(short - for_people, max(0.0, area - longest_word(1)))
    rest = width_px - area - people
    if min_name + min_towns > rest:  # a word must be cut: both columns give way in proportion
        name = rest * min_name / (min_name + min_towns)
        return (name, area, people, rest - name)
    name = min(max(_NAME_SHARE * rest, min_name), rest - min_towns)
    return (name, area, people, rest - name)


def _cells(m: Measurer, row: FigureRow, size: float, widths: Widths) -> list[list[str]]:
    weight = "bold" if row.headline else "normal"
    gap = _GAP * sum(widths)
    return [m.wrap(t, size, w - gap, weight) if t else [] for t, w in zip(_texts(row), widths, strict=True)]


def _words_fit(m: Measurer, row: FigureRow, size: float, widths: Widths) -> bool:
    """Whether each word of each cell of ``row`` is no wider than its column (less the gap)."""
    weight = "bold" if row.headline else "normal"
    gap = _GAP * sum(widths)
    return all(m.width(w.strip(), size, weight) <= width - gap
               for t, width in zip(_texts(row), widths, strict=True) if t
               for line in t.split("\n") for w in m.pieces(line) if w.strip())


def _rows(unit: Unit) -> list[tuple[FigureRow, bool]]:
    return [*([(_HEADER, True)] if unit.header_row else []), *((r, False) for r in unit.rows)]


def _height(m: Measurer, unit: Unit, size: float, widths: Widths) -> float:
    width_px = sum(widths)
    line = m.line_height(size)
    lines = 0.0
    if unit.heading:
        lines += 0.4 + len(m.wrap(unit.heading, size + 0.5, width_px, "bold"))
    if unit.parameters:
        lines += len(m.wrap(unit.parameters, size - 0.5, width_px)) * (size - 0.5) / size
    for row, is_header in _rows(unit):
        lines += max(len(c) for c in _cells(m, row, size, widths)) + (0.2 if is_header else 0.25)
    if unit.note:
        lines += len(m.wrap(unit.note, size - 0.5, width_px)) * (size - 0.5) / size + 0.2
    return lines * line


def plan_table(m: Measurer, layers: Sequence[LayerContent], units: Sequence[Unit], panels: Sequence[Box],
               size: float) -> TablePlan:
    """Place ``units`` top to bottom through ``panels`` (figure fractions) at ``size`` points."""
    fig_w, fig_h = m.fig.bbox.width, m.fig.bbox.height
    placed: list[Placement] = []
    queue = list(units)
    widths = tuple(column_widths(m, units, size, (x1 - x0) * fig_w) for x0, _, x1, _ in panels)
    for index, (_, y0, _, y1) in enumerate(panels):
        top, bottom = y1 * fig_h, y0 * fig_h
        fresh = True
        while queue:
            unit = queue[0]
            if fresh and not unit.heading and not unit.note:  # a block going on: say so
                unit = Unit(unit.layer, f"{layers[unit.layer].title} (continued)", rows=unit.rows, header_row=True)
            h = _height(m, unit, size, widths[index])
            if top - h < bottom:
                break
            placed.append(Placement(unit, index, top, h))
            top -= h
            queue.pop(0)
            fresh = False
    fit = all(_words_fit(m, r, size, widths[p.panel]) for p in placed for r in p.unit.rows)
    return TablePlan(size, tuple(panels), widths, tuple(placed), tuple(queue), fit)


def _text(fig: Figure, x: float, y: float, text: str, size: float, **kw: object) -> None:
    fig.text(x, y, text, fontsize=size, va="top", gid="table", linespacing=1.2, **kw)  # type: ignore[arg-type]


def draw_table(fig: Figure, m: Measurer, plan: TablePlan) -> None:
    """Draw a planned table."""
    fig_w, fig_h = fig.bbox.width, fig.bbox.height
    size, line = plan.size, m.line_height(plan.size)
    for p in plan.placed:
        x0, _, x1, _ = plan.panels[p.panel]
        widths = plan.widths[p.panel]
        width = sum(widths)
        y = p.top_px
        u = p.unit
        if u.heading:
            y -= 0.4 * line
            lines = m.wrap(u.heading, size + 0.5, width, "bold")
            _text(fig, x0, y / fig_h, "\n".join(lines), size + 0.5, fontweight="bold")
            y -= len(lines) * line
        if u.parameters:
            lines = m.wrap(u.parameters, size - 0.5, width)
            _text(fig, x0, y / fig_h, "\n".join(lines), size - 0.5, color="#333", fontstyle="italic")
            y -= len(lines) * line * (size - 0.5) / size
        for row, is_header in _rows(u):
            cells = _cells(m, row, size, widths)
            x = x0
            for w, cell, right in zip(widths, cells, (False, True, True, False), strict=True):
                if cell:
                    colour = "#555" if is_header else "#111"
                    weight = "bold" if row.headline else "normal"
                    if right:
                        _text(fig, x + (w - _GAP * width) / fig_w, y / fig_h, "\n".join(cell), size, ha="right",
                              color=colour, fontweight=weight, multialignment="right")
                    else:
                        _text(fig, x, y / fig_h, "\n".join(cell), size, color=colour, fontweight=weight)
                x += w / fig_w
            y -= (max(len(c) for c in cells) + (0.2 if is_header else 0.25)) * line
        if u.note:
            lines = m.wrap(u.note, size - 0.5, width)
            _text(fig, x0, y / fig_h, "\n".join(lines), size - 0.5, color="#333", fontstyle="italic")


def draw_note(fig: Figure, m: Measurer, panel: Box, text: str, size: float) -> float:
    """Draw ``text`` at the bottom of ``panel``; return the height it takes (figure fraction)."""
    x0, y0, x1, _ = panel
    lines = m.wrap(text, size, (x1 - x0) * fig.bbox.width, "bold")
    h = len(lines) * m.line_height(size) / fig.bbox.height
    _text(fig, x0, y0 + h, "\n".join(lines), size, fontweight="bold", color="#a00")
    return h


def note_height(m: Measurer, panel: Box, text: str, size: float) -> float:
    """The figure-fraction height :func:`draw_note` would take."""
    x0, _, x1, _ = panel
    return len(m.wrap(text, size, (x1 - x0) * m.fig.bbox.width, "bold")) * m.line_height(size) / m.fig.bbox.height
