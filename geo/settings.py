"""Constants and defaults shared by the whole project, in one documented place.

Attributes
----------
ELLIPSOID : str
    Name of the reference ellipsoid for every distance, buffer and area (WGS84).
GEOD : pyproj.Geod
    The geodesic calculator on :data:`ELLIPSOID`; thread-safe and cheap to share.
DATA_DIR : pathlib.Path
    Folder holding the embedded data set. Defaults to ``data/`` beside the packages; the
    environment variable ``BUFFERZONE_DATA_DIR`` overrides it.
EUROPE_BBOX : tuple of float
    ``(min_lon, min_lat, max_lon, max_lat)`` in degrees of the area the embedded data covers.
FOUNDING_ACT_DATE : datetime.date
    Signature of the NATO–Russia Founding Act, 27 May 1997: the cut-off of the Dec 2021
    Russian draft agreement, Art. 4.
RUSSIA_DRAFT_DATE : datetime.date
    Publication of Russia's draft treaty and agreement, 17 December 2021.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from pyproj import Geod

__all__ = [
    "DATA_DIR",
    "ELLIPSOID",
    "EUROPE_BBOX",
    "FOUNDING_ACT_DATE",
    "GEOD",
    "RUSSIA_DRAFT_DATE",
]

ELLIPSOID = "WGS84"
GEOD = Geod(ellps=ELLIPSOID)

DATA_DIR = Path(os.environ.get("BUFFERZONE_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

EUROPE_BBOX: tuple[float, float, float, float] = (-25.0, 34.0, 60.0, 72.0)

FOUNDING_ACT_DATE = _dt.date(1997, 5, 27)
RUSSIA_DRAFT_DATE = _dt.date(2021, 12, 17)

#: Threads for geometry work that GEOS runs without the GIL (buffer pieces, partition cuts).
THREADS = max(1, min(4, os.cpu_count() or 1))
