"""ZIP archives (KMZ, zipped Shapefiles) unpacked in memory and split into documents.

Nothing an archive says is used as a path: members are read into memory (sizes and ratio
checked from the directory first, then again while reading), and each document found is
later written under a fixed name of this module's choosing. A document is recognised by its
content (a shapefile by the ``.shp``/``.shx`` file codes, KML by its root element), so a
member's name decides nothing but which sidecars belong together.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from geo._errors import InputError
from geo.reading.limits import Limits
from geo.reading.sniff import Format, sniff

__all__ = ["Document", "documents_in_zip"]

#: What a damaged archive can raise while being opened or read.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
               OSError, ValueError)
_NESTED_ARCHIVES = (".zip", ".kmz", ".gz", ".tar", ".tgz", ".7z", ".rar", ".bz2", ".xz")
_SHAPEFILE_CODE = (9994).to_bytes(4, "big")
_SHAPEFILE_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_CANONICAL_SUFFIX = {Format.KML: ".kml", Format.GPKG: ".gpkg", Format.GEOJSON: ".geojson"}


@dataclass(frozen=True)
class Document:
    """One readable dataset inside an archive.

    Attributes
    ----------
    format : Format or None
        :class:`Format` of a single-file document; ``None`` for a shapefile.
    label : str
        The member's name (for messages and notes), one line.
    files : dict
        Suffix → content: ``{".kml": ...}``, or a shapefile's ``.shp``, ``.shx``, ``.dbf`` and
        optional ``.prj``/``.cpg``.
    """

    format: Format | None
    label: str
    files: dict[str, bytes]


def documents_in_zip(content: bytes, name: str, limits: Limits) -> list[Document]:
    """Every vector document in a ZIP or KMZ archive, in member order.

    Raises
    ------
    InputError
        Corrupt archive, decompression bomb, unsafe or nested members, or no document.
    """
    members = _read_members(content, name, limits)
    documents: list[Document] = []
    shapefiles: dict[str, dict[str, bytes]] = {}
    for member, data in members:
        path = PurePosixPath(member)
        suffix = path.suffix.lower()
        label = _label(member)
        if suffix in _SHAPEFILE_SIDECARS:
            shapefiles.setdefault(str(path.with_suffix("")).lower(), {})[suffix] = data
            continue
        if suffix in (".kml", ".geojson", ".json", ".gpkg"):
            try:
                kind, _ = sniff(data, label)
            except InputError as exc:
                raise InputError(f"{name}: member {exc}") from None
            if kind is Format.ZIP:
                raise InputError(f"{name} contains a nested archive ({label}); unpack it first")
            documents.append(Document(kind, label, {_CANONICAL_SUFFIX[kind]: data}))
    for stem, files in shapefiles.items():
        if ".shp" not in files:
            continue
        label = _label(stem + ".shp")
        missing = [s for s in (".shx", ".dbf") if s not in files]
        if missing:
            raise InputError(f"{name}: shapefile {label} lacks its {' and '.join(missing)} file(s)")
        for suffix in (".shp", ".shx"):
            if files[suffix][:4] != _SHAPEFILE_CODE:
                raise InputError(f"{name}: {_label(stem + suffix)} is not a shapefile (wrong file code)")
        documents.append(Document(None, label, files))
    if not documents:
        raise InputError(
            f"{name} does not contain a .kml document, a .shp (with .shx/.dbf/.prj), a .gpkg or a .geojson"
        )
    return documents


def _label(member: str) -> str:
    return " ".join(member.split())[:80]


def _read_members(content: bytes, name: str, limits: Limits) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [i for i in archive.infolist() if not i.filename.endswith("/")]
    except _ZIP_ERRORS:
        raise InputError(f"{name} is not a valid ZIP/KMZ archive") from None
    if len(infos) > limits.max_archive_members:
        raise InputError(f"{name} has {len(infos):,} members; the limit is {limits.max_archive_members:,}")
    total = sum(i.file_size for i in infos)
    packed = sum(max(i.compress_size, 1) for i in infos)
    ratio = total / max(packed, 1)
    if total > limits.max_unpacked_bytes or ratio > limits.max_zip_ratio:
        raise InputError(
            f"{name} unpacks to {limits.mb(total)} (ratio {ratio:.0f}:1): refused as a possible decompression "
            f"bomb (limits {limits.mb(limits.max_unpacked_bytes)}, {limits.max_zip_ratio:.0f}:1)"
        )
    for info in infos:
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if not member.parts or member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InputError(f"{name} contains an unsafe path {_label(info.filename)!r}: refused")
        if member.suffix.lower() in _NESTED_ARCHIVES:
            raise InputError(f"{name} contains a nested archive ({_label(member.name)}); unpack it first")
    out = []
    budget = limits.max_unpacked_bytes
    for info in infos:
        try:
            with archive.open(info) as src:
                data = src.read(info.file_size + 1)
        except _ZIP_ERRORS as exc:
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
            member = _label(info.filename)
            raise InputError(f"{name} is a corrupt or unsupported archive ({member!r}: {reason})") from None
        if len(data) > info.file_size:  # the header lied about the size
            raise InputError(f"{name}: an archive entry is larger than declared; refused")
        budget -= len(data)
        if budget < 0:
            raise InputError(f"{name} unpacks to more than {limits.mb(limits.max_unpacked_bytes)}; refused")
        out.append((info.filename.replace("\\", "/"), data))
    return out
