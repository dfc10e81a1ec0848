#!/usr/bin/env python3
"""Write ``data/derived/``: the state of the model no parameter changes (maintainer script).

Run after every change to ``data/*.parquet`` or ``data/sources/population_*.csv`` (the
inputs listed in :data:`geo.derived.INPUTS`)::

    python data/derive.py

It computes, from the embedded data set, the land partition of :mod:`geo.partition`
(``pieces.parquet``), the zones of the population model (``zones.parquet``) and where each
settlement counts (``settlements.parquet``), exactly as the modules would on first use, and
writes them with ``manifest.json`` (the inputs' sha256, the parameters, the files' sha256).
The modules use the stored tables only while the manifest matches the data; otherwise they
compute them. Takes about a minute on 2 cores. Running it twice gives identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.pop("BUFFERZONE_DATA_DIR", None)  # always this checkout's data

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from geo import derived, partition, population, settings  # noqa: E402


def _write(frame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", compression_level=19)


def main() -> int:
    """Compute and write the derived tables; print what was written."""
    if settings.DATA_DIR.resolve() != HERE.resolve():
        print(f"error: the data folder in use is {settings.DATA_DIR}, not {HERE}", file=sys.stderr)
        return 2
    out = derived.derived_dir()
    out.mkdir(exist_ok=True)
    (out / derived.MANIFEST).unlink(missing_ok=True)  # nothing stale is read while deriving
    population._zones.cache_clear()
    partition._pieces.cache_clear()
    tables = {
        "pieces": partition.pieces_table(),
        "zones": derived.zones_table(population.zones_computed()),
    }
    # placed from the computed pieces and zones (no manifest yet, so nothing stored is read)
    settled = population._settlement_table()
    # row for row in the order geo.population sorts the settlements (the manifest pins that file)
    tables["settlements"] = settled[["weight", "piece"]].astype({"piece": "int32"})
    files = {}
    for name, frame in tables.items():
        path = out / f"{name}.parquet"
        _write(frame, path)
        files[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"wrote {path.relative_to(HERE.parent)}: {len(frame)} rows, {path.stat().st_size / 1024:.0f} KiB")
    manifest = {"inputs": derived.input_digests(), "parameters": derived.parameters(), "files": files}
    (out / derived.MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {(out / derived.MANIFEST).relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
