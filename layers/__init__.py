"""The proposals as map layers, one module each, found through one registry.

>>> from layers import REGISTRY, build
>>> sorted(REGISTRY)
['buffer-zone', 'custom', 'frozen-line', 'loc-change', 'nato-enlargement', 'range-rings', 'trans-dnieper']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo._errors import ParameterError
from layers import buffer_zone, custom, frozen_line, loc_change, nato_enlargement, range_rings, trans_dnieper
from layers._base import Feature, LayerResult, LayerSpec, Parameter, Source, feature_people

__all__ = ["REGISTRY", "Feature", "LayerResult", "LayerSpec", "Parameter", "Source", "build", "feature_people", "get"]

#: Every layer, by registry name, in the order the app lists them.
REGISTRY: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        nato_enlargement.SPEC,
        buffer_zone.SPEC,
        frozen_line.SPEC,
        trans_dnieper.SPEC,
        loc_change.SPEC,
        range_rings.SPEC,
        custom.SPEC,
    )
}


def get(name: str) -> LayerSpec:
    """The layer registered as ``name`` (ParameterError naming the valid ones otherwise)."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ParameterError(f"unknown layer {name!r}; the layers are {sorted(REGISTRY)}") from None


def build(name: str, parameters: Mapping[str, Any] | None = None) -> LayerResult:
    """Build a layer from parameters (defaults for those not given)."""
    return get(name).build(parameters)
