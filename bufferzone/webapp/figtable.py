"""The figures panel's table as HTML that fits any panel width without a horizontal scroll.

Each feature is one row: its name (with its role's label and country shares in small type
beneath), then km², people and its largest towns. Text wraps only at word boundaries and at
the dash of a range (``overflow-wrap: normal``, a ``<wbr>`` after the en dash), never inside a
word. Where the panel is narrower than :data:`STACK_BELOW_PX` (the app at 1000 px wide leaves it
about 200 px), a CSS container query stacks each row into a small card — name, then km² and
people side by side, then the towns — so no column is squeezed to a few characters.

No Streamlit here: :func:`figures_html` returns a string the app passes to ``st.html``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from geo.figures import NO_DATA

__all__ = ["CSS_CLASS", "STACK_BELOW_PX", "FigureRow", "figures_html"]

#: The wrapper's class: the app's browser test and the CSS below address the table by it.
CSS_CLASS = "bz-figs"
#: Below this panel width (CSS px) each row is laid out as a card instead of table columns.
STACK_BELOW_PX = 480


@dataclass(frozen=True)
class FigureRow:
    """One feature's line in the table, as display text.

    Attributes
    ----------
    name : str
        The feature's name.
    kind : str
        Its role's label, and country shares where it has them.
    size : str
        km² (``"551,943.1"``), or km for a line (``"1,204.5 km"``); ``""`` when neither.
    people : int or None
        People; ``None`` where unknown (shown as "no data", never 0).
    low, high : int or None
        The range of the people estimate.
    coverage : float
        Share (0–1) of the area with people data.
    towns : tuple of str
        The largest towns, largest first.
    counts_people : bool
        Whether people apply at all: a line or a point has none (shown as "–", not "no data").
    """

    name: str
    kind: str = ""
    size: str = ""
    people: int | None = None
    low: int | None = None
    high: int | None = None
    coverage: float = 1.0
    towns: tuple[str, ...] = ()
    counts_people: bool = True


_STYLE = f"""<style>
.{CSS_CLASS}{{container-type:inline-size;width:100%;max-width:100%;overflow:hidden}}
.{CSS_CLASS} table{{width:100%;border-collapse:collapse;font-size:0.8rem;line-height:1.3}}
.{CSS_CLASS} th,.{CSS_CLASS} td{{padding:0.3rem 0.4rem;vertical-align:top;text-align:left;white-space:normal;
  overflow-wrap:normal;word-break:normal;hyphens:manual;border-bottom:1px solid rgba(128,128,128,0.25)}}
.{CSS_CLASS} th{{font-weight:600;color:rgba(49,51,63,0.7)}}
.{CSS_CLASS} .num{{text-align:right}}
.{CSS_CLASS} .nm{{font-weight:600}}
.{CSS_CLASS} .sub{{display:block;font-weight:400;font-size:0.72rem;color:rgba(49,51,63,0.6)}}
.{CSS_CLASS} td .lbl{{display:none}}
@container (max-width:{STACK_BELOW_PX}px){{
  .{CSS_CLASS} thead{{display:none}}
  .{CSS_CLASS} table,.{CSS_CLASS} tbody{{display:block}}
  .{CSS_CLASS} tr{{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);column-gap:0.5rem;
    padding:0.35rem 0;border-bottom:1px solid rgba(128,128,128,0.25)}}
  .{CSS_CLASS} td{{border:0;padding:0.1rem 0.2rem;min-width:0}}
  .{CSS_CLASS} td.nm,.{CSS_CLASS} td.tw{{grid-column:1 / -1}}
  .{CSS_CLASS} td.num{{text-align:left}}
  .{CSS_CLASS} td .lbl{{display:block;color:rgba(49,51,63,0.6);font-size:0.72rem;}}
}}
</style>"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _people_cell(row: FigureRow) -> str:
    """The figure, then its range and coverage on a line of their own (the range may wrap at its dash)."""
    if not row.counts_people:
        return "–"
    if row.people is None:
        return _e(NO_DATA)
    parts = []
    if row.low is not None and row.high is not None and not row.low == row.people == row.high:
        parts.append(f"({int(row.low):,}–<wbr>{int(row.high):,})")
    if row.coverage < 0.999:
        parts.append(f"(data for {100 * row.coverage:.0f} % of the area)")
    sub = f'<span class="sub">{" ".join(parts)}</span>' if parts else ""
    return f"{int(row.people):,}{sub}"


def figures_html(rows: Sequence[FigureRow], *, size_header: str = "km²") -> str:
    """The table (with its scoped style) for ``st.html``.

    Parameters
    ----------
    rows : sequence of FigureRow
        One per feature, in the order shown.
    size_header : str
        Header of the size column.

    Returns
    -------
    str
        HTML: a ``<style>`` element and a ``div.bz-figs`` holding the table. Every text is escaped.

    Examples
    --------
    >>> "no data" in figures_html([FigureRow("Outside the data", size="12.0")])
    True
    """
    head = ['<th>feature</th>', f'<th class="num">{_e(size_header)}</th>', '<th class="num">people</th>',
            '<th>largest towns</th>']
    body = []
    for r in rows:
        kind = f'<span class="sub">{_e(r.kind)}</span>' if r.kind else ""
        cells = [f'<td class="nm">{_e(r.name)}{kind}</td>',
                 f'<td class="num"><span class="lbl">{_e(size_header)}</span>{_e(r.size).replace(" ", "&nbsp;")}</td>',
                 f'<td class="num"><span class="lbl">people</span>{_people_cell(r)}</td>']
        towns = ", ".join(_e(t) for t in r.towns)
        cells.append(f'<td class="tw"><span class="lbl">{"largest towns" if towns else ""}</span>{towns}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'{_STYLE}<div class="{CSS_CLASS}"><table><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')
