"""State that no parameter changes, computed once by ``data/derive.py`` and shipped in ``data/derived/``.

The land partition (:mod:`geo.partition`), the zone table of the population model and the
settlement-to-zone/piece assignment (:mod:`geo.population`) depend only on the embedded data
set. Computing them takes several CPU-seconds in every new process; ``data/derive.py`` writes
them once into ``data/derived/`` with a manifest that records the sha256 of every input file
and the parameters they were computed with. :func:`table` hands a stored table to its module
only while the manifest still matches the data on disk; otherwise (files absent, inputs
changed since, another format) it returns ``None`` and the module computes the table itself,
as it would without this cache. The figures are the same either way:
``tests/test_derived.py`` checks stored against computed, and that the manifest matches the
shipped data (a data change without re-deriving fails the tests).

Regenerate after any change to ``data/*.parquet`` or the population tables::

    python data/derive.py
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import data, settings

__all__ = ["FORMAT", "INPUTS", "MANIFEST", "derived_dir", "input_digests", "parameters", "table", "zones",
           "zones_table"]

#: Version of the stored layout; raise it when a derived table's meaning or columns change.
FORMAT = 1
#: Files of the data set (relative to :data:`geo.settings.DATA_DIR`) the derived tables depend on.
INPUTS = (
    "countries.parquet",
    "admin1.parquet",
    "settlements.parquet",
    "sources/population_countries.csv",
    "sources/population_admin1.csv",
    "sources/population_groups.csv",
)
#: Name of the manifest inside :func:`derived_dir`.
MANIFEST = "manifest.json"


def derived_dir() -> Path:
    """The folder of the derived tables: ``derived/`` inside the data folder in use."""
    return settings.DATA_DIR / "derived"


def input_digests(data_dir: Path | None = None) -> dict[str, str | None]:
    """The sha256 (hex) of each of :data:`INPUTS` as it is now (``None`` for a missing file)."""
    folder = settings.DATA_DIR if data_dir is None else data_dir
    out: dict[str, str | None] = {}
    for name in INPUTS:
        path = folder / name
        out[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return out


def parameters() -> dict[str, Any]:
    """The settings the derived tables were computed with (a change makes them stale).

    Returns
    -------
    dict
        ``format`` (:data:`FORMAT`), the partition's ``tile_degrees`` and
        ``max_edge_degrees`` (degrees), and the embedded data's densification
        ``densify_tolerance_m`` (m).
    """
    from geo import partition  # the modules that own the settings; imported on use, not at import
    from geo.edges import DEFAULT_TOLERANCE_M

    return {"format": FORMAT, "tile_degrees": partition.TILE_DEGREES,
            "max_edge_degrees": partition.MAX_EDGE_DEGREES, "densify_tolerance_m": DEFAULT_TOLERANCE_M}


@functools.cache
def _manifest_ok(folder: Path) -> bool:
    """The manifest in ``folder`` matches the data set on disk and the current parameters."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(manifest, Mapping) and manifest.get("inputs") == input_digests(folder.parent)
            and manifest.get("parameters") == parameters())


def table(name: str) -> pd.DataFrame | None:
    """A stored derived table, or ``None`` where it must be computed.

    Parameters
    ----------
    name : str
        File stem in ``data/derived/`` (``pieces``, ``zones``, ``settlements``).

    Returns
    -------
    pandas.DataFrame or None
        The table as ``data/derive.py`` wrote it; ``None`` when the folder, the manifest or
        the file is missing or unreadable, or when the manifest's inputs or parameters
        differ from the data set in use (so a stale table is never used).
    """
    folder = derived_dir()
    if not _manifest_ok(folder):
        return None
    try:
        return pd.read_parquet(folder / f"{name}.parquet")
    except Exception:  # noqa: BLE001 - pyarrow raises several types; a broken cache is recomputed
        return None


def zones_table(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """The population model's zones as stored: geometry only where no data file holds it.

    A unit's zone is the unit's outline and an undivided country's zone the country's, both
    as :mod:`geo.data` loads them, so only the remainders of divided countries and the
    groups of units (:func:`geo.population.unit_groups`) are stored (as WKB); :func:`zones` puts the others back.
    """
    own = (zones["adm1_code"].isin(data.admin1()["adm1_code"]) | (zones["zone_id"] == zones["iso_a3"])).to_numpy()
    table = pd.DataFrame(zones).copy()
    table["geometry"] = np.where(own, None, shapely.to_wkb(zones.geometry.to_numpy()))
    return table


def zones() -> gpd.GeoDataFrame | None:
    """The stored zones of :mod:`geo.population` (as :func:`geo.population.zones`), or ``None``."""
    stored = table("zones")
    if stored is None:
        return None
    units = data.admin1().set_index("adm1_code").geometry
    countries = data.countries().set_index("iso_a3").geometry
    geometry = np.empty(len(stored), dtype=object)
    wkb = stored["geometry"].to_numpy(dtype=object)
    for i, (zone, iso3, code, raw) in enumerate(zip(stored["zone_id"], stored["iso_a3"], stored["adm1_code"], wkb,
                                                     strict=True)):
        geometry[i] = (shapely.from_wkb(raw) if raw is not None else units[code] if isinstance(code, str)
                       else countries[iso3] if zone == iso3 else None)
    frame = stored.copy()
    frame["adm1_code"] = frame["adm1_code"].astype(object).where(frame["adm1_code"].notna(), None)
    frame["geometry"] = geometry
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
