"""Synthetic line-of-contact files written in each format users have (the project ships none of DeepStateMap's).

The occupied area of day ``i`` is a box in Donetsk and Luhansk oblasts whose western edge
moves ``i`` hundredths of a degree west, plus Crimea's stand-in box, so areas differ per day
and can be checked against pyproj directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Geod

FIRST_DAY = dt.date(2024, 7, 8)
_GEOD = Geod(ellps="WGS84")


def occupied(i: int) -> shapely.MultiPolygon:
    """The synthetic occupied area of day ``i`` (lon/lat)."""
    east = shapely.box(38.0 - 0.01 * i, 47.2, 39.6, 48.6)
    crimea = shapely.box(33.6, 44.8, 35.2, 45.6)
    return shapely.MultiPolygon([east, crimea])


def geodesic_km2(geom: shapely.Geometry) -> float:
    """Area straight from pyproj (the reference the readers' figures are checked against)."""
    return sum(abs(_GEOD.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(geom)) / 1e6


def daily_file(folder: Path, day: dt.date, i: int = 0) -> Path:
    """``deepstatemap_data_YYYYMMDD.geojson`` as the mirror writes it (GDAL GeoJSON with a legacy crs)."""
    name = f"deepstatemap_data_{day:%Y%m%d}"
    doc = {"type": "FeatureCollection", "name": name,
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
           "features": [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(occupied(i))}]}
    path = folder / f"{name}.geojson"
    path.write_text(json.dumps(doc))
    return path


def history_doc(days: int, first: dt.date = FIRST_DAY) -> dict:
    """The unified history as geopandas' ``to_json`` writes it: one feature per day, a ``date`` property."""
    return {"type": "FeatureCollection", "features": [
        {"id": str(i), "type": "Feature", "properties": {"date": (first + dt.timedelta(days=i)).isoformat()},
         "geometry": shapely.geometry.mapping(occupied(i))} for i in range(days)]}


def history_gz(folder: Path, days: int, first: dt.date = FIRST_DAY) -> Path:
    """``deepstate-map-data.geojson.gz``: gzip of :func:`history_doc`."""
    path = folder / "deepstate-map-data.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(history_doc(days, first)).encode()))
    return path


def api_doc(day: dt.date) -> dict:
    """DeepStateMap's own history JSON: occupied polygons mixed with points and other areas."""
    def feat(name: str, geom: shapely.Geometry) -> dict:
        return {"type": "Feature", "properties": {"name": name}, "geometry": shapely.geometry.mapping(geom)}

    return {"id": 1701, "datetime": f"{day.isoformat()}T21:30:00+02:00", "map": {"type": "FeatureCollection",
            "features": [
                feat("Окуповано///Occupied", shapely.box(37.5, 47.2, 39.6, 48.6)),
                feat("ОРДЛО///CADR and CALR", shapely.box(38.5, 47.5, 40.0, 49.0)),
                feat("Окупований Крим///Occupied Crimea", shapely.box(33.6, 44.8, 35.2, 45.6)),
                feat("Звільнено///Liberated", shapely.box(36.0, 49.0, 37.0, 50.0)),
                feat("Сіра зона///Unknown", shapely.box(37.0, 47.0, 37.5, 47.2)),
                feat("Бахмут///Bakhmut", shapely.Point(38.0, 48.6)),
            ]}}


def api_occupied() -> shapely.Geometry:
    """What :func:`api_doc`'s occupied polygons cover (the reference)."""
    return shapely.union_all([shapely.box(37.5, 47.2, 39.6, 48.6), shapely.box(38.5, 47.5, 40.0, 49.0),
                              shapely.box(33.6, 44.8, 35.2, 45.6)])


def kmz(folder: Path, name: str, geom: shapely.Polygon) -> Path:
    """An ISW-style KMZ: a zipped KML with one placemark of assessed Russian control."""
    coords = " ".join(f"{x},{y},0" for x, y in geom.exterior.coords)
    kml = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           "<Placemark><name>Assessed Russian-controlled Ukrainian Territory</name><Polygon><outerBoundaryIs>"
           f"<LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
           "</Document></kml>")
    path = folder / name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("doc.kml", kml)
    path.write_bytes(buf.getvalue())
    return path


def zipped_shapefile(folder: Path, name: str, geom: shapely.Geometry) -> Path:
    """A zipped Shapefile of one polygon (EPSG:4326)."""
    shp = folder / "shp"
    shp.mkdir(exist_ok=True)
    gpd.GeoDataFrame({"label": ["controlled"]}, geometry=[geom], crs="EPSG:4326").to_file(
        shp / "control.shp", engine="pyogrio")
    path = folder / name
    with zipfile.ZipFile(path, "w") as z:
        for part in shp.iterdir():
            z.write(part, part.name)
    return path


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """A loopback HTTP server (127.0.0.1, a free port) serving ``root``; yields its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
