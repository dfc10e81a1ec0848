"""The figures table's HTML: unknown people read "no data", every text is escaped, ranges wrap at the dash."""

from __future__ import annotations

from bufferzone.webapp.figtable import FigureRow, figures_html


def test_unknown_people_read_no_data_never_zero() -> None:
    out = figures_html([FigureRow("Outside the data", size="12.0", people=None)])
    assert "no data" in out
    assert ">0<" not in out


def test_names_are_escaped() -> None:
    out = figures_html([FigureRow("<script>alert(1)</script> & co", towns=("A<b>",))])
    assert "<script>" not in out and "&lt;script&gt;" in out and "A&lt;b&gt;" in out


def test_range_may_wrap_at_its_dash_and_coverage_is_said() -> None:
    out = figures_html([FigureRow("Band", size="1.0", people=23_410, low=18_000, high=29_100, coverage=0.4)])
    assert "23,410" in out and "(18,000–<wbr>29,100)" in out and "data for 40 % of the area" in out


def test_line_length_keeps_its_unit_on_the_same_line() -> None:
    assert "3,252.0&nbsp;km" in figures_html([FigureRow("Border", size="3,252.0 km")])


def test_a_line_has_no_people_rather_than_unknown_people() -> None:
    """A border or a line of contact holds no people: "–", where an area outside the data reads "no data"."""
    out = figures_html([FigureRow("Border", size="3,252.0 km", counts_people=False)])
    assert "no data" not in out and ">–<" in out
