"""frozen-line with a DeepStateMap-like occupied-area file whose coasts are not the embedded ones.

The files are the built-in 12 Feb 2025 area with its coasts and border redrawn (inland by 3 km,
out at sea by 5 km, jagged by ±2 km, simplified at 1.5 km), written in the shape of a
DeepStateMap daily file. The references are independent of geo.contact: the waypoint legs the
built-in rings mark as front (tests/geo/_fronts.py), geodesic distances from pyproj, and towns
typed from public gazetteers. Before the front faced the other side, the 3 km-inland file gave
a 3,242 km line in 9 pieces and its 10 km Russian-side DMZ held 1.6 million people.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely

from geo import buffer, data, length_km
from tests.geo._fronts import coast_offset_source, covered_share, deepstate_like_geojson, reference_front

from ._helpers import GEOD, by_id, geodesic_area_km2

NAME = "frozen-line"
DATE = "2025-02-12"
SOURCES = {"inland": ("inland", 3.0), "seaward": ("seaward", 5.0), "jagged": ("jagged", 2.0),
           "coarse": ("coarse", 1.5)}
#: Coastal towns far (≥ 60 km) from the 2025 front, (lon, lat) from GeoNames/Wikipedia.
COASTAL_TOWNS = {
    "Sevastopol": (33.521, 44.608), "Kerch": (36.474, 45.357), "Yevpatoriia": (33.368, 45.190),
    "Yalta": (34.160, 44.500), "Feodosiia": (35.383, 45.031), "Berdiansk": (36.785, 46.757),
    "Mariupol": (37.541, 47.095), "Henichesk": (34.817, 46.171),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("deepstate-like")
    out = {}
    for key, (kind, km) in SOURCES.items():
        path = folder / f"deepstatemap_data_{key}.geojson"
        path.write_text(json.dumps(deepstate_like_geojson(coast_offset_source(kind, km, date=DATE), path.stem)))
        out[key] = str(path)
    return out


@pytest.fixture(scope="module")
def fronts(build, files):
    """The layer built from each file with a 10 km DMZ, by key (and the built-in line)."""
    out = {key: by_id(build(NAME, as_of=DATE, dmz_km=10, occupied_file=path)) for key, path in files.items()}
    out["built-in"] = by_id(build(NAME, as_of=DATE, dmz_km=10))
    return out


@pytest.fixture(scope="module")
def outline():
    countries = data.countries().set_index("iso_a3").geometry
    return shapely.union_all([countries["UKR"].boundary, countries["RUS"].boundary])


@pytest.mark.parametrize("key", [*SOURCES, "built-in"])
def test_the_front_is_the_built_in_front_whatever_the_coast(fronts, key) -> None:
    land_front, river = reference_front(DATE, held_in_russia=key == "built-in")
    line = fronts[key]["line"].geometry
    # the real front is kept: ≥ 98 % of the waypoint legs marked as front lie within ~0.5 km of it
    assert covered_share(land_front, line) >= 0.98
    # and nothing else: outside those legs, the Dnieper, the Kakhovka shore and the lower Dnieper
    # (where the front faces the other bank across the delta and the estuary) at most 10 km
    kakhovka = data.reservoirs().set_index("name").geometry["Kakhovka Reservoir"]
    known = shapely.union_all([shapely.buffer(shapely.union_all([land_front, river, kakhovka.boundary]), 0.01),
                               shapely.box(31.4, 46.3, 32.8, 46.75)])
    assert length_km(shapely.difference(line, known)) < 10.0
    # the Russian-held line: ~1,000 km on the built-in data, in a handful of pieces (not 151)
    assert 850 < length_km(line) < 1_100
    assert len(shapely.get_parts(line)) <= 12


@pytest.mark.parametrize("key", [*SOURCES, "built-in"])
def test_dmz_bands_touch_no_coast_and_no_border(fronts, outline, key) -> None:
    parts = fronts[key]
    line = parts["line"].geometry
    width = 10.0
    # Where the band may meet the outline: round the ends of the front (it stops at the coast or
    # the border) and along the front that itself runs on the outline across water (the Dnieper delta).
    ends = shapely.union_all([shapely.boundary(p) for p in shapely.get_parts(line)])
    on_outline = shapely.intersection(line, shapely.buffer(outline, 0.003))
    allowed = buffer(shapely.union_all([ends, on_outline]), width + 2.0)
    for side in ("dmz-ru", "dmz-ua"):
        stray = shapely.difference(shapely.intersection(outline, parts[side].geometry), allowed)
        assert length_km(stray) < 5.0, (side, length_km(stray))
    for town, xy in COASTAL_TOWNS.items():
        assert not parts["dmz-ru"].geometry.contains(shapely.Point(xy)), town


@pytest.mark.parametrize("key", [*SOURCES, "built-in"])
def test_each_side_of_the_dmz_is_line_length_times_width(fronts, key) -> None:
    # A band W wide along a line of length L covers L·W on each side, less the overlap inside bends
    # and plus the half-caps where the line ends at a border: within 15 % (a coast taken for front
    # would add its length with no land on the sea side and break this).
    length = GEOD.geometry_length(fronts[key]["line"].geometry) / 1e3
    for side in ("dmz-ru", "dmz-ua"):
        assert fronts[key][side].figures.area_km2 == pytest.approx(length * 10.0, rel=0.15), side


def test_occupied_area_as_drawn_and_as_clipped(fronts, files) -> None:
    seaward = fronts["seaward"]["occupied"].export_properties()
    drawn = json.loads(Path(files["seaward"]).read_text())["features"][0]["geometry"]
    as_drawn = geodesic_area_km2(shapely.geometry.shape(drawn))  # pyproj on the file's own polygons
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    clipped = geodesic_area_km2(shapely.intersection(shapely.geometry.shape(drawn), ukraine))
    assert seaward["area_km2_as_drawn"] == pytest.approx(as_drawn, rel=1e-3)
    assert seaward["area_km2_clipped"] == pytest.approx(clipped, rel=1e-3)
    assert seaward["area_km2"] == seaward["area_km2_clipped"] < seaward["area_km2_as_drawn"]
    assert "clipped" in seaward["area_basis"]
    builtin = fronts["built-in"]["occupied"].export_properties()
    assert builtin["area_km2_as_drawn"] == builtin["area_km2_clipped"] == builtin["area_km2"]


def test_the_old_rule_would_have_made_the_coast_the_front(files) -> None:
    # The rule this replaces (boundary more than 0.002° from the embedded outline) on the
    # 3 km-inland file: thousands of km of coast. Guards the fixture: it does differ from the data.
    from geo.frontline import frontline_from_file

    front = frontline_from_file(files["inland"], as_of=dt.date.fromisoformat(DATE))
    countries = data.countries().set_index("iso_a3").geometry
    old = shapely.difference(front.occupied.boundary, shapely.union_all(
        [countries["UKR"].boundary, countries["RUS"].boundary]).buffer(0.002))
    assert length_km(old) > 2_500
