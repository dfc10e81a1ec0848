"""geo.reading against hostile files: no file on the server is read, no request is made.

Each attack is a file a visitor could upload. A secret CSV and a loopback listener stand in
for the server's files and internal services: the secret must never come back in the
result (or an error), and the listener must never be contacted. Before the reader sniffed
formats by content, the first attack returned the secret column verbatim.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo import InputError
from geo.reading import read_vector
from geo.reading.gdal import GDAL_SAFETY_OPTIONS
from tests._hostile import make_zip, vrt

SECRET = "TOPSECRET-7f3a"
BOX = shapely.box(30.0, 50.0, 31.0, 51.0)


class Listener:
    """A TCP listener on loopback that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def secret_csv(tmp_path: Path) -> Path:
    path = tmp_path / "server-secret.csv"
    path.write_text(f'id,secret,WKT\n1,{SECRET},"POINT (30 50)"\n')
    return path


def refused_without_leak(content: bytes, filename: str | None, *, match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        read_vector(content, filename=filename)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("filename", ["evil.gpkg", "evil.kml", "evil.geojson", "evil.zip", None])
def test_a_vrt_document_under_any_name_is_refused(secret_csv, filename) -> None:
    refused_without_leak(vrt(str(secret_csv)), filename, match="root element <OGRVRTDataSource>, not KML")


@pytest.mark.parametrize("member", ["doc.kml", "layer.gpkg", "data.geojson"])
def test_a_vrt_document_inside_an_archive_is_refused(secret_csv, member) -> None:
    refused_without_leak(make_zip([(member, vrt(str(secret_csv)))]), "evil.kmz", match="OGRVRTDataSource")


def test_a_vrt_pointing_at_a_url_makes_no_request(listener) -> None:
    for filename in ("evil.gpkg", "evil.kml"):
        with pytest.raises(InputError):
            read_vector(vrt(f"/vsicurl/http://127.0.0.1:{listener.port}/x.csv"), filename=filename)
    assert listener.connections == 0


def test_kml_network_links_are_not_followed(listener) -> None:
    kml = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <NetworkLink><name>more</name><Link><href>http://127.0.0.1:{listener.port}/more.kml</href></Link></NetworkLink>
  <Placemark><name>box</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
    30,50 31,50 31,51 30,51 30,50</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>""".encode()
    loaded = read_vector(kml, filename="links.kml")
    assert listener.connections == 0
    assert len(loaded.frame) == 1
    assert shapely.normalize(loaded.frame.geometry.iloc[0]).equals(shapely.normalize(BOX))
    assert any("1 NetworkLink(s)" in n and "not followed" in n for n in loaded.notes)


def test_kml_with_an_external_entity_is_refused(secret_csv) -> None:
    kml = f"""<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY s SYSTEM "file://{secret_csv}">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&s;</name>
<Point><coordinates>30,50</coordinates></Point></Placemark></kml>""".encode()
    refused_without_leak(kml, "entity.kml", match="declares a DTD or entities")


def test_sqlite_that_is_not_a_geopackage_is_refused(tmp_path) -> None:
    path = tmp_path / "plain.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="an SQLite database but not a GeoPackage"):
        read_vector(path.read_bytes(), filename="plain.gpkg")


def _geopackage(tmp_path: Path, *statements: str) -> bytes:
    path = tmp_path / "box.gpkg"
    gpd.GeoDataFrame({"name": ["box"]}, geometry=[BOX], crs="EPSG:4326").to_file(path, driver="GPKG")
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path.read_bytes()


def test_a_clean_geopackage_with_its_spatial_index_is_read(tmp_path) -> None:
    content = _geopackage(tmp_path)
    assert b"USING rtree" in content  # GDAL wrote its R-tree index: an allowed virtual table
    loaded = read_vector(content, filename="box.gpkg")
    assert loaded.frame["name"].tolist() == ["box"]


def test_a_geopackage_with_a_virtual_table_reading_a_server_file_is_refused(tmp_path, secret_csv) -> None:
    # the attack GDAL's own SQLite module would serve: a VirtualOGR table over any OGR source
    content = _geopackage(tmp_path, "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                                    f"('table', 'leak', 'leak', 0, 'CREATE VIRTUAL TABLE leak USING "
                                    f"VirtualOGR(''{secret_csv}'')')")
    refused_without_leak(content, "leak.gpkg", match="virtual table .*'leak'.* can read other files")


def test_a_geopackage_with_a_view_is_refused(tmp_path) -> None:
    content = _geopackage(tmp_path, "CREATE VIEW v AS SELECT * FROM box")
    with pytest.raises(InputError, match="contains an SQL view"):
        read_vector(content, filename="view.gpkg")


def test_a_geopackage_listing_a_table_it_does_not_have_is_refused(tmp_path) -> None:
    content = _geopackage(tmp_path, "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                                    "VALUES ('elsewhere', 'features', 'elsewhere')")
    with pytest.raises(InputError, match="lists layers that are not tables of the file"):
        read_vector(content, filename="dangling.gpkg")


def test_shapefile_members_with_odd_names_are_read_under_safe_names(tmp_path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"v": [1]}, geometry=[BOX], crs="EPSG:4326").to_file(folder / "zone.shp")
    odd = "My Zone; rm -rf ~ $(x)"
    entries = [(f"{odd}{f.suffix.upper() if f.suffix == '.shx' else f.suffix}", f.read_bytes())
               for f in sorted(folder.iterdir())]
    loaded = read_vector(make_zip(entries), filename="odd.zip")
    assert loaded.frame["v"].tolist() == [1]
    assert shapely.normalize(loaded.frame.geometry.iloc[0]).equals(shapely.normalize(BOX))


def test_a_misleading_name_is_read_by_content_with_a_note() -> None:
    loaded = read_vector(b'{"type": "Point", "coordinates": [30, 50]}', filename="really.gpkg")
    assert loaded.frame.geometry.iloc[0].equals(shapely.Point(30, 50))
    assert any("named like a GeoPackage file but its content is GeoJSON" in n for n in loaded.notes)


def test_gdal_is_locked_down_once_a_file_has_been_read(tmp_path) -> None:
    read_vector(_geopackage(tmp_path), filename="box.gpkg")
    for option, value in GDAL_SAFETY_OPTIONS.items():
        assert pyogrio.get_gdal_config_option(option) in (value, False), option
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_ALLOW_EXTERNAL_ACCESS") in ("NO", False)
