"""Shared fixtures: small geometries and temporary files."""

from __future__ import annotations

import pytest
import shapely


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test keeps loaded lines of contact in a fresh folder, never in the user's cache."""
    monkeypatch.setenv("BUFFERZONE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def long_line() -> shapely.LineString:
    """A 2,344 km line from the Danube delta region to Lake Ladoga, crossing lat 44–60°N."""
    return shapely.LineString([(22.0, 44.0), (25.0, 48.0), (30.0, 52.0), (33.0, 56.0), (36.0, 60.0)])
