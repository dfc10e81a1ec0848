"""Recognise an untrusted file's format from its content, never from its name.

A file's name is the user's (or an attacker's) claim; its first bytes are not. An OGR VRT
document renamed ``x.gpkg`` is XML whose root element is ``OGRVRTDataSource``, so it is
refused here before GDAL ever sees it (GDAL, given the file, would open it as a VRT and read
whatever local file or URL it names).
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import PurePosixPath

from geo._errors import InputError

__all__ = ["Format", "sniff"]

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` values of GeoPackage 1.0 ("GP10"), 1.1 ("GP11") and 1.2+ ("GPKG").
_GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_BOMS = (b"\xef\xbb\xbf",)
#: First element name of an XML document, after the declaration, comments and a doctype.
_XML_ROOT = re.compile(rb"<\s*(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_XML_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s)*", re.S)


class Format(Enum):
    """The formats an upload may be, each opened by exactly one reader."""

    GEOJSON = "GeoJSON"
    KML = "KML"
    ZIP = "ZIP archive (KMZ or zipped Shapefile)"
    GPKG = "GeoPackage"


_SUFFIX_CLAIMS = {
    ".geojson": Format.GEOJSON, ".json": Format.GEOJSON, ".kml": Format.KML, ".kmz": Format.ZIP,
    ".zip": Format.ZIP, ".gpkg": Format.GPKG,
}


def sniff(content: bytes, name: str) -> tuple[Format, str | None]:
    """The format of ``content``, and a note when its name claims another one.

    Parameters
    ----------
    content : bytes
        The whole file.
    name : str
        Its name, used only in messages and to notice a misleading suffix.

    Returns
    -------
    (Format, str or None)

    Raises
    ------
    InputError
        If the content is none of the accepted formats; the message says what it looks like.
    """
    head = content[:4096]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    stripped = head.lstrip()
    if content.startswith(_SQLITE_MAGIC):
        if len(content) < 100 or content[68:72] not in _GPKG_APPLICATION_IDS:
            raise InputError(f"{name} is an SQLite database but not a GeoPackage (no GeoPackage application id)")
        found = Format.GPKG
    elif content.startswith(_ZIP_MAGICS):
        found = Format.ZIP
    elif stripped.startswith((b"{", b"[")):
        found = Format.GEOJSON
    elif stripped.startswith(b"<"):
        root = _xml_root(stripped)
        if root != "kml":
            shown = f"<{root}>" if root else "no element"
            raise InputError(f"{name} is XML with root element {shown}, not KML (<kml>): refused")
        found = Format.KML
    else:
        raise InputError(
            f"cannot tell the format of {name} from its content: use GeoJSON, KML, KMZ, a zipped "
            "Shapefile or a GeoPackage"
        )
    claimed = _SUFFIX_CLAIMS.get(PurePosixPath(name.lower()).suffix)
    note = None
    if claimed is not None and claimed is not found:
        note = f"{name} is named like a {claimed.value} file but its content is {found.value}: read as {found.value}."
    return found, note


def _xml_root(head: bytes) -> str:
    prologue = _XML_PROLOGUE.match(head)
    match = _XML_ROOT.match(head, prologue.end() if prologue else 0)
    return match.group(1).decode("ascii", "replace")[:60] if match else ""
