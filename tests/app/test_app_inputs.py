"""The app's inputs: drawn shapes measured one by one, numbers shown in their declared format."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Geod

import layers
from tests.app.conftest import figures_frame, open_app, run
from tests.app.test_app import number

GEOD = Geod(ellps="WGS84")
#: What Leaflet.draw hands back for a line and a rectangle drawn in eastern Poland (typed here).
LINE = {"type": "Feature", "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[21.0, 52.5], [23.5, 52.5]]}}
RECTANGLE = {"type": "Feature", "properties": {},
             "geometry": {"type": "Polygon", "coordinates": [[[22.0, 50.0], [23.0, 50.0], [23.0, 51.0], [22.0, 51.0],
                                                            [22.0, 50.0]]]}}


def _drawn(at, features: list[dict]) -> None:
    at.session_state["map"] = {"center": {"lat": 51.0, "lng": 22.0}, "zoom": 6, "all_drawings": features}
    at.button(key="w:use_drawn").click()
    run(at)


def test_a_line_and_a_polygon_drawn_give_a_figure_each() -> None:
    """A line plus a polygon gave one merged 170,927 km² figure (issue 16); now a figure each.

    The line's km and the rectangle's km² are pyproj's on the shapes as drawn (straight on the
    screen: along the parallel), each with its buffer, and the two buffers together.
    """
    at = run(open_app({"layers": "custom", "custom.width_km": "0"}))
    _drawn(at, [LINE, RECTANGLE])
    assert not at.error, [e.value for e in at.error]
    table = figures_frame(at.tabs[0])
    assert len(table) == 2, table  # width 0: the two shapes, no buffer, nothing merged
    line_km = GEOD.geometry_length(shapely.segmentize(shapely.geometry.shape(LINE["geometry"]), 0.001)) / 1e3
    ring = shapely.segmentize(shapely.geometry.shape(RECTANGLE["geometry"]), 0.001)
    box_km2 = abs(GEOD.geometry_area_perimeter(ring)[0]) / 1e6
    sizes = sorted(table["km²"])
    assert number(next(s for s in sizes if s.endswith(" km"))) == pytest.approx(line_km, rel=1e-3)
    assert number(next(s for s in sizes if not s.endswith(" km"))) == pytest.approx(box_km2, rel=1e-3)
    at.number_input(key="w:custom.width_km").set_value(20.0)
    run(at)
    table = figures_frame(at.tabs[0])
    kinds = [k.split(";")[0] for k in table["kind"]]  # the role, before the country shares
    assert kinds.count("Buffer") == 2 and kinds.count("Your geometry") == 2 and kinds.count("All shapes together") == 1
    line_buffer = next(number(v) for k, v, n in zip(kinds, table["km²"], table.index, strict=True)
                       if k == "Buffer" and "line" in n)
    assert line_buffer == pytest.approx(2 * 20 * line_km + 3.14159 * 20**2, rel=5e-3)  # Steiner: 2WL + πW²


def test_number_widgets_show_the_values_without_spurious_decimals() -> None:
    """'100.00 km' on the width slider: the format follows the step (5 km → no decimals; 0.5 km → one)."""
    at = run(open_app({"layers": "buffer-zone,frozen-line"}))
    formats = {s.key: s.proto.format for s in at.sidebar.slider}
    assert formats["w:buffer-zone.width_km"] == "%.0f"
    assert formats["w:frozen-line.dmz_km"] == "%.1f"
    for name, spec in layers.REGISTRY.items():
        for p in spec.parameters:
            if p.display:
                assert p.format_value(p.default).split(" ")[0] == p.display % p.default, (name, p.name)  # noqa: UP031
