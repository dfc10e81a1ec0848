"""References for line-of-contact tests, built from the waypoint file, not from geo.contact.

The built-in rings (``data/sources/frontline/waypoints.csv``) say which of their legs are front
(``line`` waypoints, the Dnieper after a ``river`` row) and which close the ring at sea or
across the state border. The legs that start or end at a ``line`` waypoint, cut to the land of
the country they are in, are the land front; the river stretches are the Dnieper front.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo import data, settings

WAYPOINTS = settings.DATA_DIR / "sources" / "frontline" / "waypoints.csv"


def reference_front(date: str, *, held_in_russia: bool = True) -> tuple[shapely.Geometry, shapely.Geometry]:
    """(land front, Dnieper front) of the built-in rings on ``date``, lon/lat lines.

    The Dnieper front is the river line between a ``river`` row and the next waypoint; where
    it crosses the Kakhovka reservoir the built-in front follows the reservoir's left bank.
    ``held_in_russia=False`` leaves out the rings of Russian land held by Ukraine (Kursk).
    """
    points = pd.read_csv(WAYPOINTS, dtype={"date": str})
    countries = data.countries().set_index("iso_a3").geometry
    river = data.dnieper().geometry.iloc[0]
    land, water = [], []
    kakhovka = data.reservoirs().set_index("name").geometry["Kakhovka Reservoir"]
    for ring, group in points[points["date"] == date].sort_values("seq").groupby("ring"):
        if not held_in_russia and not ring.startswith("occupied"):
            continue
        xy = group[["lon", "lat"]].to_numpy()
        kinds = group["kind"].to_list()
        country = countries["UKR" if ring.startswith("occupied") else "RUS"]
        if "river" in kinds:  # the reservoir bed is not held (METHOD.md): its legs stop at the shore
            country = shapely.difference(country, kakhovka)
        for i, kind in enumerate(kinds):
            j = (i + 1) % len(kinds)
            if kind == "river":
                start, stop = river.project(shapely.Point(xy[i])), river.project(shapely.Point(xy[j]))
                water.append(shapely.ops.substring(river, start, stop))
            elif "line" in (kind, kinds[j]):
                leg = shapely.segmentize(shapely.LineString([xy[i], xy[j]]), 0.01)
                land.append(shapely.intersection(leg, country))
    return shapely.union_all(land), shapely.union_all(water) if water else shapely.LineString()


def covered_share(reference: shapely.Geometry, line: shapely.Geometry, *, within_deg: float = 0.005) -> float:
    """Share of ``reference``'s length (degrees, locally) within ``within_deg`` of ``line``."""
    if reference.length == 0:
        return 1.0
    return float(shapely.intersection(reference, shapely.buffer(line, within_deg)).length / reference.length)


def pieces_longer_than(line: shapely.Geometry, km: float) -> int:
    """Number of pieces of a merged line longer than ``km``."""
    from geo import length_km

    return int(np.sum([length_km(p) >= km for p in shapely.get_parts(shapely.line_merge(line))]))


def coast_offset_source(kind: str, km: float, *, date: str = "2025-02-12", seed: int = 1) -> shapely.Geometry:
    """A DeepStateMap-like occupied area: the built-in one with its coasts and borders redrawn.

    ``kind`` is ``inland`` (coast and border drawn ``km`` inside the embedded ones, leaving
    the spits out), ``seaward`` (drawn ``km`` out at sea and into Russia), ``jagged`` (every
    vertex of the coast moved at random by up to ``km``) or ``coarse`` (the coast simplified
    to ``km``-scale vertices). The front itself (the reference legs, the Dnieper and the
    Kakhovka shore) is kept as it is.
    """
    from geo import buffer

    rows = data.frontline()
    held = rows[(rows["date"] == date) & (rows["holder"] == "RU")].geometry.iloc[0]
    ukraine = data.countries().set_index("iso_a3").geometry["UKR"]
    land_front, river = reference_front(date, held_in_russia=False)
    kakhovka = data.reservoirs().set_index("name").geometry["Kakhovka Reservoir"]
    front = shapely.union_all([land_front, river, kakhovka.boundary])
    coast = shapely.difference(held.boundary, shapely.buffer(front, 0.05))
    if kind == "inland":
        return shapely.difference(held, buffer(coast, km))
    if kind == "seaward":
        return shapely.union_all([held, shapely.difference(buffer(coast, km), shapely.difference(ukraine, held))])
    band = buffer(coast, 2 * km)
    if kind == "jagged":
        rng = np.random.default_rng(seed)
        deg = km / 111.0

        def jitter(ring: shapely.LinearRing) -> np.ndarray:
            xy = shapely.get_coordinates(shapely.segmentize(ring, 0.02))[:-1]
            xy = xy + rng.uniform(-1, 1, xy.shape) * np.array([deg / 0.68, deg])
            return np.vstack([xy, xy[:1]])

        redrawn = shapely.union_all([
            shapely.make_valid(shapely.Polygon(jitter(p.exterior), [jitter(r) for r in p.interiors]))
            for p in shapely.get_parts(held)])
    elif kind == "coarse":
        redrawn = shapely.simplify(held, km / 111.0)
    else:
        raise ValueError(kind)
    return shapely.make_valid(shapely.union_all([shapely.difference(held, band), shapely.intersection(redrawn, band)]))


def deepstate_like_geojson(geom: shapely.Geometry, name: str) -> dict:
    """The shape of a DeepStateMap daily file: one feature, empty properties, a legacy crs member."""
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return {"type": "FeatureCollection", "name": name,
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": [{"type": "Feature", "properties": {},
                          "geometry": shapely.geometry.mapping(shapely.MultiPolygon(polygons))}]}
