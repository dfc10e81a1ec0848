"""Shared fixture for the layer tests: each layer built once per session for each parameter set."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest

import layers
from layers import LayerResult


@pytest.fixture(scope="session")
def build() -> Callable[..., LayerResult]:
    """``build(name, **parameters)``: a layer built once per session for each parameter set.

    Tests only read the results; the determinism test builds afresh with :func:`layers.build`.
    """
    cache: dict[str, LayerResult] = {}

    def _build(name: str, parameters: Mapping[str, Any] | None = None, **more: Any) -> LayerResult:
        values = {**(parameters or {}), **more}
        key = json.dumps([name, values], sort_keys=True, default=str)
        if key not in cache:
            cache[key] = layers.build(name, values)
        return cache[key]

    return _build
