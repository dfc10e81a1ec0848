"""Fetch the newest DeepStateMap line of contact, on request only, into the history.

Nothing here runs unless a user asks (``bufferzone loc fetch``, or the app's *Fetch the
newest DeepStateMap line* button). The default source is the public GitHub mirror of
DeepStateMap's occupied area (``cyterat/deepstate-map-data``): its unified history (the
newest day, plus every day's km² for the chart) or, for a given date, that day's file. The
URL is configurable (``url=``, or ``$BUFFERZONE_LOC_MIRROR`` for the mirror's base).
Offline or on any network failure, one line says so and the history is left unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from geo import loc_history
from geo._errors import BufferZoneError
from geo.io import MAX_INPUT_BYTES
from geo.loc_readers import AreaPoint, read_line_file

__all__ = ["DEFAULT_MIRROR", "FetchError", "Fetched", "fetch", "mirror_url"]

#: Base of the public mirror's files (its default branch); ``$BUFFERZONE_LOC_MIRROR`` overrides it.
DEFAULT_MIRROR = "https://raw.githubusercontent.com/cyterat/deepstate-map-data/HEAD/"
_TIMEOUT_S = 30.0


class FetchError(BufferZoneError):
    """The line could not be fetched (offline, not found, not a line file); nothing was changed."""


@dataclass(frozen=True)
class Fetched:
    """What a fetch added to the history.

    Attributes
    ----------
    snapshot : geo.loc_history.Snapshot
        The line added (or found already there: same date and content).
    url : str
    days : int
        Days whose occupied km² were kept for the chart (a history; 0 for a daily file).
    """

    snapshot: loc_history.Snapshot
    url: str
    days: int


def mirror_url(date: dt.date | None = None) -> str:
    """The mirror's history file, or its daily file for ``date``."""
    base = os.environ.get("BUFFERZONE_LOC_MIRROR") or DEFAULT_MIRROR
    base = base if base.endswith("/") else base + "/"
    if date is None:
        return base + "deepstate-map-data.geojson.gz"
    return base + f"data/deepstatemap_data_{date:%Y%m%d}.geojson"


def fetch(*, date: dt.date | None = None, url: str | None = None, timeout_s: float = _TIMEOUT_S) -> Fetched:
    """Download a DeepStateMap line, parse it and add it to the history with its attribution.

    Parameters
    ----------
    date : datetime.date, optional
        The day wanted: the mirror's daily file of that day (or, with a history ``url``, the
        latest day on or before it). Default: the newest day of the mirror's history.
    url : str, optional
        Where to download from (http or https), instead of :func:`mirror_url`.
    timeout_s : float
        Seconds to wait for the server.

    Raises
    ------
    FetchError
        With one line: the URL and the reason (offline, HTTP status, too large, not a line file).
    """
    target = url or mirror_url(date)
    scheme = urllib.parse.urlsplit(target).scheme
    if scheme not in ("http", "https"):
        raise FetchError(f"the URL must start with http:// or https://, got {target[:80]!r}")
    name = PurePosixPath(urllib.parse.urlsplit(target).path).name or "download"
    with tempfile.TemporaryDirectory(prefix="bufferzone-fetch-") as tmp:
        path = Path(tmp) / name
        _download(target, path, timeout_s)
        areas: list[AreaPoint] = []
        try:
            line = read_line_file(path, date=date, areas=areas)
        except BufferZoneError as exc:
            raise FetchError(f"{target} is not a line-of-contact file this tool reads: {exc}; nothing was changed") \
                from None
    if line.date is None and date is None:
        raise FetchError(f"{target} carries no date: give the date it describes (--date); nothing was changed")
    if areas:
        loc_history.add_areas(areas, source_key=line.source_key)
    snapshot = loc_history.add(line, date=line.date or date, url=target)
    return Fetched(snapshot, target, len(areas))


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow one to ftp://)."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(f"{req.full_url} redirects to {newurl[:80]!r}, which is not http(s); nothing was changed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def _download(url: str, path: Path, timeout_s: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "bufferzone (line-of-contact fetch)"})
    try:
        with _OPENER.open(request, timeout=timeout_s) as response, path.open("wb") as out:
            total = 0
            while chunk := response.read(1 << 16):
                total += len(chunk)
                if total > MAX_INPUT_BYTES:
                    raise FetchError(f"{url} is larger than {MAX_INPUT_BYTES / 1e6:.0f} MB; refused, nothing was "
                                     "changed")
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        hint = " (the mirror may not have that day yet)" if exc.code == 404 else ""
        raise FetchError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}{hint}; nothing was changed") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"could not fetch {url} ({' '.join(str(reason).split())[:120]}): offline? "
                         "Nothing was changed") from None
