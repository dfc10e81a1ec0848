"""Hostile files shared by the reader's security tests and the regression corpus."""

from __future__ import annotations

import io
import zipfile


def vrt(source: str) -> bytes:
    """An OGR VRT document whose layer reads ``source`` (a server path or a /vsicurl/ URL)."""
    return (f'<OGRVRTDataSource><OGRVRTLayer name="s"><SrcDataSource>{source}</SrcDataSource>'
            '<GeometryType>wkbPoint</GeometryType><GeometryField encoding="WKT" field="WKT"/>'
            '</OGRVRTLayer></OGRVRTDataSource>').encode()


def make_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of (member name, content) pairs, stored."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()
