"""Briefing layout: nothing runs over the footer or off the page, line kinds differ, the extent is the one asked.

The checks measure what matplotlib draws (each text's and legend's window extent after a
full draw), independently of the layout's own arithmetic.
"""

from __future__ import annotations

import dataclasses
import io
from itertools import combinations

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from pypdf import PdfReader
from pyproj import Transformer

import layers
from bufferzone.briefing import PRESETS, bounds_from_map_state, compose_briefing, render_briefing
from bufferzone.briefing.content import layer_content
from bufferzone.styles import LINE_KINDS, feature_style, line_kind
from geo import ParameterError

#: Half a pixel: extents are rounded to whole device pixels.
_TOL = 0.5


@pytest.fixture(scope="module")
def stack() -> list[layers.LayerResult]:
    """Three layers: the buffer zone, the frozen line with the Donbas withdrawal, Trans-Dnieper."""
    return [
        layers.build("buffer-zone"),
        layers.build("frozen-line", {"withdraw_donbas": True}),
        layers.build("trans-dnieper", {"kyiv_regime": "checkpoint", "patrol_strip_km": 5.0}),
    ]


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _footer_box(fig: Figure) -> Bbox:
    renderer = fig.canvas.get_renderer()
    footer = [t.get_window_extent(renderer) for t in _texts(fig) if t.get_gid() == "footer"]
    assert footer, "the page has no footer"
    top = max(b.y1 for b in footer)
    return Bbox([[0, 0], [fig.bbox.width, top]])


def _check_page(fig: Figure) -> None:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    footer = _footer_box(fig)
    boxes = [(t.get_text()[:40], t.get_gid(), t.get_window_extent(renderer)) for t in _texts(fig)]
    boxes += [("legend", "legend", lg.get_window_extent(renderer)) for lg in fig.legends]
    boxes += [("map", "map", ax.get_window_extent(renderer)) for ax in fig.axes]
    for text, gid, box in boxes:
        assert (box.x0 >= page.x0 - _TOL and box.x1 <= page.x1 + _TOL
                and box.y0 >= page.y0 - _TOL and box.y1 <= page.y1 + _TOL), f"off the page: {text!r} {box}"
        if gid != "footer":
            assert box.y0 >= footer.y1 - _TOL, f"over the footer: {text!r} ({gid}) reaches {box.y0:.0f} px, " \
                                               f"footer top {footer.y1:.0f} px"
    table = [b for _, gid, b in boxes if gid == "table"]
    legend = [b for _, gid, b in boxes if gid == "legend"]
    maps = [b for _, gid, b in boxes if gid == "map"]
    for a in table:  # the table never runs into the legend or the map
        for b in legend + maps:
            assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("count", [1, 2, 3])
def test_text_never_leaves_the_page_or_reaches_the_footer(stack, preset: str, count: int) -> None:
    for pages in (True, False):  # a PDF (continuation pages allowed) and a PNG (one page)
        figures = compose_briefing(stack[:count], preset=preset, pages=pages)
        assert len(figures) == 1 or pages
        for fig in figures:
            _check_page(fig)


def _long(result: layers.LayerResult, times: int) -> layers.LayerResult:
    feats = tuple(dataclasses.replace(f, id=f"{f.id}-{i}") for i in range(times) for f in result.features)
    return dataclasses.replace(result, features=feats)


def test_a_table_too_long_for_a_page_goes_on_over_pages_and_keeps_every_row(stack) -> None:
    long = _long(stack[0], 6)  # 6 x 10 rows: more than any first page holds
    rows = layer_content(long).rows
    for preset in ("slide", "a4"):
        figures = compose_briefing([long, stack[1]], preset=preset, pages=True)
        assert len(figures) >= 2
        for fig in figures:
            _check_page(fig)
        table = [" ".join(t.get_text().split()) for fig in figures for t in _texts(fig) if t.get_gid() == "table"]
        # each area figure is printed once per row that has it (the long layer repeats its rows 6 times)
        for area in {r.area for r in rows}:
            expected = sum(r.area == area for r in rows) + sum(r.area == area for r in layer_content(stack[1]).rows)
            assert sum(t == area for t in table) == expected, area
        assert any("(continued)" in t for t in table)
        png = compose_briefing([long, stack[1]], preset=preset, pages=False)
        assert len(png) == 1
        notes = [t.get_text() for t in _texts(png[0]) if "more row(s) of figures" in t.get_text()]
        assert notes and int(notes[0].split()[0]) > 0
        # a PNG leaves out rows that are not headline figures first: the withdrawal stays
        shown = {" ".join(t.get_text().split()) for t in _texts(png[0]) if t.get_gid() == "table"}
        withdrawal = next(f for f in stack[1].features if f.role == "withdrawal")
        assert f"{withdrawal.figures.area_km2:,.0f} km²" in shown
        _check_page(png[0])


def test_the_donbas_withdrawal_is_in_a_two_layer_slide_and_a4(stack) -> None:
    withdrawal = next(f for f in stack[1].features if f.role == "withdrawal")
    for preset in ("slide", "a4"):
        pdf = render_briefing(stack[:2], fmt="pdf", preset=preset)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
        # printed as the layer's declared headline (its feature is that headline, so not repeated)
        assert "Withdrawal from Donbas" in text
        assert f"{withdrawal.figures.area_km2:,.0f} km²" in text
        assert f"{withdrawal.figures.people.value:,}" in text


def test_every_line_kind_has_a_distinct_style() -> None:
    for (ka, a), (kb, b) in combinations(LINE_KINDS.items(), 2):
        assert (a.colour.lower(), a.dash) != (b.colour.lower(), b.dash), f"{ka} and {kb} look the same"
        assert a.label != b.label
    # the kinds the layers draw: the NATO–Russia border is not drawn like the line of contact
    border, contact = feature_style("buffer-zone", "line"), feature_style("frozen-line", "line")
    assert (border.edge, border.dash) != (contact.edge, contact.dash)
    assert line_kind("buffer-zone", "line") != line_kind("frozen-line", "line")


def test_the_map_draws_the_border_and_the_line_of_contact_differently(stack) -> None:
    fig = compose_briefing(stack[:2], preset="slide", pages=False)[0]
    drawn: dict[str, set[str]] = {}
    for ax in fig.axes:
        for p in ax.patches:
            if isinstance(p, PathPatch) and p.get_facecolor()[3] == 0 and p.get_linewidth() > 0:
                drawn.setdefault(to_hex(p.get_edgecolor()), set()).add(str(p.get_linestyle()))
    border, contact = LINE_KINDS["nato-russia-border"], LINE_KINDS["line-of-contact"]
    assert border.colour == contact.colour  # both black: only the dash tells them apart, so it must differ
    assert len(drawn[border.colour.lower()]) >= 2, drawn
    assert LINE_KINDS["dmz-edge"].colour.lower() in drawn
    labels = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert any("NATO–Russia/Belarus land border" in t.replace("\n", " ") for t in labels), labels
    assert any("Line of contact" in t for t in labels), labels


def _map_axes(fig: Figure):
    return max(fig.axes, key=lambda ax: ax.get_position().width * ax.get_position().height)


@pytest.mark.parametrize("bounds", [(22.0, 44.0, 41.0, 53.0), (29.0, 49.0, 33.0, 51.5), (-10.0, 35.0, 30.0, 60.0)])
def test_the_extent_follows_the_given_bounds(stack, bounds) -> None:
    fig = compose_briefing(stack[:1], preset="a4", bounds=bounds, pages=False)[0]
    ax = _map_axes(fig)
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    # independent reference: the box's edges in a Lambert azimuthal equal-area plane at its centre
    w, s, e, n = bounds
    laea = Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={(s + n) / 2} +lon_0={(w + e) / 2} +ellps=WGS84",
                                always_xy=True)
    t = np.linspace(0, 1, 101)
    lon = np.r_[w + (e - w) * t, np.full(101, e), e - (e - w) * t, np.full(101, w)]
    lat = np.r_[np.full(101, s), s + (n - s) * t, np.full(101, n), n - (n - s) * t]
    x, y = laea.transform(lon, lat)
    span_x, span_y = x.max() - x.min(), y.max() - y.min()
    assert xmin <= x.min() + 1 and x.max() - 1 <= xmax and ymin <= y.min() + 1 and y.max() - 1 <= ymax
    # shown tight in one direction, grown only to the map's aspect in the other
    fits_x = (xmax - xmin) == pytest.approx(span_x, rel=1e-6)
    fits_y = (ymax - ymin) == pytest.approx(span_y, rel=1e-6)
    assert fits_x or fits_y


def test_a_view_far_from_the_layers_is_shown_as_asked(stack) -> None:
    """The app's view (here around Kyiv) is the extent, not the layers' box (up to the Barents Sea)."""
    kyiv = compose_briefing(stack[:1], preset="slide", bounds=(29.0, 49.5, 32.5, 51.5), pages=False)[0]
    default = compose_briefing(stack[:1], preset="slide", pages=False)[0]
    width = [np.diff(_map_axes(f).get_xlim())[0] for f in (kyiv, default)]
    assert width[0] < width[1] / 5


def test_map_state_bounds_and_bad_bounds() -> None:
    state = {"bounds": {"_southWest": {"lat": 44.5, "lng": 22.0}, "_northEast": {"lat": 53.0, "lng": 41.5}},
             "zoom": 6}
    assert bounds_from_map_state(state) == (22.0, 44.5, 41.5, 53.0)
    for bad in (None, {}, {"bounds": None}, {"bounds": {"_southWest": {"lat": 50, "lng": 30},
                                                         "_northEast": {"lat": 50, "lng": 30}}},
                {"bounds": {"_southWest": {"lat": "x", "lng": 1}, "_northEast": {"lat": 2, "lng": 3}}}):
        assert bounds_from_map_state(bad) is None
    with pytest.raises(ParameterError, match="bounds"):
        compose_briefing([], bounds=(30.0, 50.0, float("nan"), 52.0))
    with pytest.raises(ParameterError, match="preset"):
        compose_briefing([], preset="a3")  # type: ignore[arg-type]


def test_a_legend_with_too_many_entries_stays_in_its_panel_and_says_so() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from bufferzone.briefing._measure import Measurer
    from bufferzone.briefing.content import LayerContent, LegendEntry
    from bufferzone.briefing.legend import draw_legend

    fig = Figure(figsize=(6, 4), dpi=200)
    FigureCanvasAgg(fig)
    entries = tuple(LegendEntry(f"Area number {i} with a fairly long description", "#D55E00", "#D55E00", 0.4,
                                None, False) for i in range(60))
    content = LayerContent("Many", "Many", "", (), (), entries, ())
    panel = (0.1, 0.5, 0.5, 0.9)
    legend, bottom = draw_legend(fig, Measurer(fig), panel, [content], [], max_share=1.0)
    box = legend.get_window_extent(fig.canvas.get_renderer())
    assert box.y0 >= 0.5 * fig.bbox.height - _TOL and box.y1 <= 0.9 * fig.bbox.height + _TOL
    assert bottom == pytest.approx(box.y0 / fig.bbox.height)
    assert "more styles" in " ".join(t.get_text() for t in legend.get_texts())


#: Real place names long enough to overflow a column: the Welsh village's 58-letter name
#: (Anglesey; the longest place name in Europe) is one word; the Ukrainian names are joined by hyphens.
_LONG_WORD = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
_HYPHENATED = "Pereiaslav-Khmelnytskyi and Kamianets-Podilskyi district"


def _table_lines(figures: list[Figure]) -> list[str]:
    return [line.strip() for fig in figures for t in _texts(fig) if t.get_gid() == "table"
            for line in t.get_text().split("\n")]


@pytest.mark.parametrize("preset", ["slide", "a4"])
@pytest.mark.parametrize("count", [1, 2])
def test_long_names_wrap_at_word_and_hyphen_boundaries_never_inside_a_word(stack, preset: str, count: int) -> None:
    """Issue 16: feature and town names are broken only where a word or a hyphenated part ends.

    With one layer the 58-letter word is printed whole (the font and columns are chosen so it
    fits); with two layers on the page the hyphenated name wraps only at its spaces and hyphens.
    """
    zone, first, second, *rest = stack[0].features  # the zone is a headline; the bands are table rows
    named = dataclasses.replace(stack[0], features=(zone, dataclasses.replace(first, name=_LONG_WORD),
                                                    dataclasses.replace(second, name=_HYPHENATED), *rest))
    figures = compose_briefing([named, *stack[1:count]], preset=preset, pages=True)  # every row kept
    for fig in figures:
        _check_page(fig)
    lines = _table_lines(figures)
    if count == 1:
        assert _LONG_WORD in lines, [ln for ln in lines if ln[:6] == _LONG_WORD[:6]]
    # the hyphenated name: every line it is printed on holds whole words or whole hyphen parts
    words = {"Pereiaslav-", "Khmelnytskyi", "and", "Kamianets-", "Podilskyi", "district"}
    printed = [ln for ln in lines if any(w.rstrip("-") in ln for w in words - {"and"})]
    assert printed, lines
    pieces = [p for ln in printed for p in ln.replace("-", "- ").split()]
    assert set(pieces) <= words, pieces
    assert "".join(p if p.endswith("-") else p + " " for p in pieces).strip() == _HYPHENATED
