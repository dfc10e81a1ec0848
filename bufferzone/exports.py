"""Every file a scenario can be exported to, written one way for the app and the CLI.

Results become dicts here and only here: GeoJSON (one layer, or all as one collection), CSV of
the figures, GeoPackage (one table per layer), the standalone HTML map (assets inlined, works
offline) and briefing images (PNG/PDF).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from geo.io import feature_collection
from layers import LayerResult

__all__ = ["FORMATS", "csv_text", "geojson_text", "gpkg_bytes", "html_text", "image_bytes", "write"]

#: File suffixes and what they are.
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV of the figures", ".gpkg": "GeoPackage",
           ".html": "standalone HTML map", ".png": "briefing image", ".pdf": "briefing PDF"}


def geojson_document(results: Sequence[LayerResult]) -> dict:
    """One layer's FeatureCollection, or all layers' features in one (each with its layer's properties)."""
    if len(results) == 1:
        return results[0].geojson()
    feats = [(f.geometry, {**f.export_properties(), **r.common_properties()})
             for r in results for f in r.features]
    return feature_collection(feats, name="Buffer-zone mapper scenario")


def geojson_text(results: Sequence[LayerResult]) -> str:
    """RFC 7946 GeoJSON text of the results (UTF-8, not ASCII-escaped)."""
    return json.dumps(geojson_document(results), ensure_ascii=False)


def csv_text(results: Sequence[LayerResult]) -> str:
    """One row per feature: km², people with range and basis, towns, as-of date (:meth:`LayerResult.figures`)."""
    import pandas as pd

    return pd.concat([r.figures() for r in results], ignore_index=True).to_csv(index=False)


def _write_gpkg(results: Sequence[LayerResult], path: Path) -> None:
    if path.exists():
        path.unlink()
    for r in results:
        r.to_geodataframe().to_file(path, layer=r.layer, driver="GPKG", engine="pyogrio")


def gpkg_bytes(results: Sequence[LayerResult]) -> bytes:
    """A GeoPackage with one table per layer (lists and dicts as JSON text)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.gpkg"
        _write_gpkg(results, path)
        return path.read_bytes()


def html_text(results: Sequence[LayerResult], *, view: tuple[float, float, int] | None = None) -> str:
    """The standalone HTML map of the results, with its scripts and styles inlined (works offline).

    ``view`` (lat, lon in degrees, zoom) is where it opens: the app's current view; else Europe.
    """
    from bufferzone.webapp.assets import inline_assets
    from bufferzone.webapp.mapview import build_map

    where = {"center": (view[0], view[1]), "zoom": int(view[2])} if view is not None else {}
    return inline_assets(build_map(list(results), include_layers=True, **where)).get_root().render()


def image_bytes(results: Sequence[LayerResult], *, fmt: str = "png", preset: str | None = None,
                bounds: tuple[float, float, float, float] | None = None, dpi: int | None = None) -> bytes:
    """A briefing image (``png``) or PDF of the results; ``bounds`` (W, S, E, N, degrees) sets the extent."""
    from bufferzone.briefing import render_briefing

    kwargs = {"dpi": dpi} if dpi else {}
    return render_briefing(list(results), fmt=fmt, preset=preset or ("slide" if fmt == "png" else "a4"),
                           bounds=bounds, **kwargs)


def write(results: Sequence[LayerResult], path: str | Path, *, preset: str | None = None,
          bounds: tuple[float, float, float, float] | None = None, dpi: int | None = None) -> Path:
    """Write the results to ``path`` in the format its suffix names (see :data:`FORMATS`).

    Raises
    ------
    ValueError
        If the suffix is not one of :data:`FORMATS`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"output must end in one of {', '.join(FORMATS)}, got {str(path)!r}")
    if suffix in (".geojson", ".json"):
        from geo.io import write_geojson

        write_geojson(geojson_document(results), path)
    elif suffix == ".csv":
        path.write_text(csv_text(results), encoding="utf-8")
    elif suffix == ".gpkg":
        _write_gpkg(results, path)
    elif suffix == ".html":
        path.write_text(html_text(results), encoding="utf-8")
    else:
        path.write_bytes(image_bytes(results, fmt=suffix.lstrip("."), preset=preset, bounds=bounds, dpi=dpi))
    return path
