"""Unknown is not zero: outside the embedded data the population is None, said so everywhere."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import NO_DATA, buffer, measure, people_text
from geo.population import data_coverage, estimate_population
from geo.settings import EUROPE_BBOX
from layers import REGISTRY

#: The Military Demarcation Line of the Korean DMZ, coarsely (lon, lat): from the Han estuary
#: past Panmunjom (126.68°E, 37.96°N) and Cheorwon to the east coast north of Goseong.
_KOREAN_MDL = shapely.LineString([(126.10, 37.72), (126.68, 37.96), (127.10, 38.25), (127.60, 38.30),
                                  (128.05, 38.30), (128.36, 38.61)])
_SEOUL = shapely.Point(126.978, 37.566)


@pytest.mark.parametrize("area", [buffer(_KOREAN_MDL, 1.0, side="both"), buffer(_SEOUL, 15.0)],
                         ids=["2 km band along the Korean DMZ", "15 km disc round Seoul"])
def test_an_area_outside_the_data_has_no_population_figure(area) -> None:
    m = measure(area)
    assert m.area_km2 > 100  # a real area, with people in it: the model cannot know how many
    assert m.population is None and m.population_low is None and m.population_high is None
    assert m.population_coverage == 0.0
    assert any("No population data" in n for n in m.population_notes)
    assert m.people() == NO_DATA
    assert m.to_dict()["population"] is None
    json.dumps(m.to_dict(), allow_nan=False)


def test_an_area_across_the_data_edge_counts_its_inside_and_says_how_much() -> None:
    # a geodesic circle centred on the 60°E meridian is cut in two equal halves by it
    # (symmetry of the ellipsoid about a meridian plane): half the disc has data
    disc = buffer(shapely.Point(EUROPE_BBOX[2], 55.0), 150.0)
    assert data_coverage(disc) == pytest.approx(0.5, abs=2e-3)
    m = measure(disc)
    inside = measure(shapely.intersection(disc, shapely.box(*EUROPE_BBOX)))
    assert m.population == pytest.approx(inside.population, rel=1e-3, abs=2)  # second method: the cut half
    assert m.population_coverage == pytest.approx(0.5, abs=2e-3)
    assert any("unknown, not zero" in n for n in m.population_notes)
    assert "(data for 50 % of the area)" in m.people()
    # Russia's part of the disc is cut by the same edge: it says so too
    assert any("unknown, not zero" in n for n in m.within(["RUS"]).population_notes)


def test_sea_inside_the_data_is_zero_people_and_fully_covered() -> None:
    # the middle of the Black Sea: known to be empty, not unknown
    m = estimate_population(shapely.box(33.0, 42.8, 34.0, 43.4))
    assert m.population == 0 and m.coverage == 1.0


def test_people_text_never_shows_an_unknown_as_zero() -> None:
    assert people_text(None) == "no data"
    assert people_text(0) == "0"
    assert people_text(1234, low=1000, high=1500) == "1,234 (1,000–1,500)"
    assert people_text(1234, low=1234, high=1234) == "1,234"


def test_layers_export_an_unknown_as_null_with_a_reason_and_no_data_in_the_csv() -> None:
    # range rings round a site in Korea: the 500 km ring reaches no embedded land
    result = REGISTRY["range-rings"].build({"site": "custom", "lon": 127.0, "lat": 37.5, "preset": "custom",
                                            "range_km": 500.0})
    ring = next(f for f in result.features if f.role == "ring")
    assert ring.figures.people.value is None
    assert "Europe only" in ring.export_properties()["population_unknown_reason"]
    assert ring.figures.people.text() == "no data"
    doc = json.loads(json.dumps(result.geojson(), allow_nan=False))
    feat = next(f for f in doc["features"] if f["properties"]["role"] == "ring")
    assert feat["properties"]["population"] is None and feat["properties"]["population_unknown_reason"]
    csv = pd.read_csv(io.StringIO(result.figures().to_csv(index=False)), keep_default_na=False)
    row = csv[csv["role"] == "ring"].iloc[0]
    assert row["people"] == "no data" and row["population"] == ""


def test_a_briefing_image_shows_no_data_not_zero() -> None:
    from bufferzone.briefing import _figure_rows

    result = REGISTRY["range-rings"].build({"site": "custom", "lon": 127.0, "lat": 37.5, "preset": "custom",
                                            "range_km": 500.0})
    rows = _figure_rows(result, 10)
    assert any("people: no data" in r for r in rows), rows
    assert not any(" 0 people" in r for r in rows), rows


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(lon=st.floats(-30.0, 65.0), lat=st.floats(30.0, 75.0), size=st.floats(0.2, 8.0))
def test_range_brackets_the_figure_and_coverage_matches_the_box(lon: float, lat: float, size: float) -> None:
    top = min(lat + size / 2, 89.0)
    box = shapely.segmentize(shapely.box(lon, lat, lon + size, top), 0.05)  # edges along meridians and parallels
    est = estimate_population(box)
    # analytic reference: a lon/lat rectangle's area is proportional to Δlon × Δsin(lat) (sphere;
    # the ellipsoid changes the ratio by well under 0.5 %)
    x0, y0, x1, y1 = EUROPE_BBOX
    dx = max(0.0, min(lon + size, x1) - max(lon, x0))
    ylo, yhi = max(lat, y0), min(top, y1)
    sin = np.sin(np.radians([lat, top, ylo, yhi]))
    expected = dx * max(0.0, sin[3] - sin[2]) / (size * (sin[1] - sin[0])) if yhi > ylo else 0.0
    assert est.coverage == pytest.approx(expected, abs=5e-3)
    if est.coverage == 0:
        assert est.population is None and est.low is None and est.high is None
    else:
        assert est.low <= est.population <= est.high


def test_a_whole_unit_has_no_range() -> None:
    from geo import data

    unit = data.admin1().set_index("iso_3166_2").geometry["UA-53"]  # Poltava oblast, wholly inside
    est = estimate_population(unit)
    assert est.low == est.population == est.high
    assert est.population == pytest.approx(1_352_283, abs=1)  # Ukrstat 1 Jan 2022


def test_a_raster_says_nothing_outside_its_extent(tmp_path) -> None:
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "pop.tif"
    with rasterio.open(path, "w", driver="GTiff", height=100, width=100, count=1, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(30.0, 51.0, 0.01, 0.01), nodata=-1) as dst:
        dst.write(np.full((100, 100), 2.0, dtype="float32"), 1)  # covers 30–31°E, 50–51°N
    outside = measure(shapely.box(35.0, 50.0, 35.5, 50.5), raster=path)
    assert outside.population is None and outside.people() == NO_DATA
    # half a box inside the raster (cut along the 31°E meridian: both halves span the same latitudes)
    half = measure(shapely.box(30.5, 50.2, 31.5, 50.4), raster=path)
    assert half.population_coverage == pytest.approx(0.5, abs=1e-3)
    assert half.population == 2 * 50 * 20  # the cells inside: 50 columns × 20 rows of 2 people
