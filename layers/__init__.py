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
from layers._base import Feature, LayerResult, LayerSpec, Parameter, Source
from layers.results import Figures, Headline, HeadlineRule, People, Role, Share, Town

__all__ = [
    "REGISTRY", "Feature", "Figures", "Headline", "HeadlineRule", "LayerResult", "LayerSpec", "Parameter", "People",
    "Role", "Share", "Source", "Town", "build", "get", "register",
]

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


def register(spec: LayerSpec) -> LayerSpec:
    """Add a layer (a plugin) to the registry; the app, the briefing and the CLI then offer it.

    Raises
    ------
    ParameterError
        If a different layer is registered under the same name.
    """
    if not isinstance(spec, LayerSpec):
        raise ParameterError(f"register expects a LayerSpec, got {type(spec).__name__}")
    if spec.name in REGISTRY and REGISTRY[spec.name] is not spec:
        raise ParameterError(f"a layer named {spec.name!r} is registered already")
    REGISTRY[spec.name] = spec
    return spec


def get(name: str) -> LayerSpec:
    """The layer registered as ``name`` (ParameterError naming the valid ones otherwise)."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ParameterError(f"unknown layer {name!r}; the layers are {sorted(REGISTRY)}") from None


def build(name: str, parameters: Mapping[str, Any] | None = None) -> LayerResult:
    """Build a layer from parameters (defaults for those not given)."""
    return get(name).build(parameters)
