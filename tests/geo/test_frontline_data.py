"""The built-in line of contact against published occupied-area totals, one per date, and the
Kakhovka reservoir bed, which published maps leave outside the occupied area.

Totals and their sources are those of data/sources/frontline/METHOD.md; areas are recomputed here
with pyproj (geodesic, rings oriented), not read from the file's own area column.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import data

GEOD = Geod(ellps="WGS84")

#: date -> (published km² held by Russia in Ukraine, Crimea included; relative tolerance; source)
PUBLISHED = {
    # "almost 43,000 km²" before 24 Feb 2022 (Zelensky, address to Luxembourg, June 2022); the
    # digitisation's 2014–22 Luhansk line is known to be generous (METHOD.md): 5 %.
    "2022-02-23": (43_000, 0.05, "Zelensky, June 2022"),
    # 108,651 km² on 12 Nov 2022 (DeepState, quoted by Ukrainska Pravda, 2025-08-17): 2 %.
    "2022-11-12": (108_651, 0.02, "DeepState via Ukrainska Pravda"),
    # ≈112,200 km²: DeepState's 116,165 on 2026-01-01 less 4,336 gained in 2025 (Interfax-Ukraine,
    # 2026-01-01), plus +325 for January and ~11/28 of +126 for February 2025 (Glavcom): 2 %.
    "2025-02-12": (112_200, 0.02, "DeepState, interpolated"),
}
#: Left-bank towns occupied since 2022, (lon, lat) from GeoNames/Wikipedia.
LEFT_BANK = {"Nova Kakhovka": (33.343, 46.755), "Enerhodar": (34.656, 47.499), "Kamianka-Dniprovska": (34.418, 47.479)}


def _area_km2(geom: shapely.Geometry) -> float:
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return sum(abs(GEOD.geometry_area_perimeter(shapely.geometry.polygon.orient(p, 1.0))[0]) for p in polygons) / 1e6


@pytest.fixture(scope="module")
def held() -> dict[str, shapely.Geometry]:
    rows = data.frontline()
    return {d: g for d, h, g in zip(rows["date"], rows["holder"], rows.geometry, strict=True) if h == "RU"}


@pytest.mark.parametrize("date", sorted(PUBLISHED))
def test_occupied_area_matches_the_published_total(held, date) -> None:
    total, tolerance, _source = PUBLISHED[date]
    assert _area_km2(held[date]) == pytest.approx(total, rel=tolerance)


@pytest.mark.parametrize("date", ["2022-11-12", "2025-02-12"])
def test_the_kakhovka_reservoir_bed_is_not_counted_as_occupied(held, date) -> None:
    kakhovka = data.reservoirs().set_index("name").geometry["Kakhovka Reservoir"]
    assert _area_km2(kakhovka) > 2_000  # the reservoir's 10m outline, ~2,150 km² officially
    assert _area_km2(shapely.intersection(held[date], kakhovka)) < 1.0
    # every point of a 0.01° grid over the bed, more than ~100 m inside its shore, is not held
    x0, y0, x1, y1 = kakhovka.bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, 0.01), np.arange(y0, y1, 0.01))
    grid = shapely.points(xs.ravel(), ys.ravel())
    bed = grid[shapely.contains(shapely.buffer(kakhovka, -0.001), grid)]
    assert len(bed) > 1_000
    assert not shapely.contains(held[date], bed).any()
    for town, xy in LEFT_BANK.items():  # the left bank itself stays occupied
        assert held[date].contains(shapely.Point(xy)), town
