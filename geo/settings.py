"""Constants and defaults shared by the whole project, in one documented place.

Attributes
----------
ELLIPSOID : str
    Name of the reference ellipsoid for every distance, buffer and area (WGS84).
GEOD : pyproj.Geod
    The geodesic calculator on :data:`ELLIPSOID`; thread-safe and cheap to share.
DATA_DIR : pathlib.Path
    Folder holding the embedded data set: ``data/`` of a source checkout, else the installed
    package data (``bufferzone_data``, found through :mod:`importlib.util`); the
    environment variable ``BUFFERZONE_DATA_DIR`` overrides both. (The web app's assets are
    found by :mod:`bufferzone.webapp.launch`, beside the front end Streamlit serves them for.)
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
import importlib.util
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

def _resource_dir(checkout_name: str, package: str, marker: str) -> Path:
    """A data folder of a source checkout if there is one, else the installed package's."""
    checkout = Path(__file__).resolve().parent.parent / checkout_name
    if (checkout / marker).exists():
        return checkout
    spec = importlib.util.find_spec(package)  # package data: a folder without code, so a namespace package
    if spec is None or not spec.submodule_search_locations:  # neither: the loaders say what to restore
        return checkout
    return Path(next(iter(spec.submodule_search_locations)))


DATA_DIR = Path(os.environ.get("BUFFERZONE_DATA_DIR") or _resource_dir("data", "bufferzone_data", "SOURCES.md"))

EUROPE_BBOX: tuple[float, float, float, float] = (-25.0, 34.0, 60.0, 72.0)

FOUNDING_ACT_DATE = _dt.date(1997, 5, 27)
RUSSIA_DRAFT_DATE = _dt.date(2021, 12, 17)

#: Threads for geometry work that GEOS runs without the GIL (buffer pieces, partition cuts).
THREADS = max(1, min(4, os.cpu_count() or 1))
