"""Error types raised by :mod:`geo` and :mod:`layers`.

Every error subclasses :class:`BufferZoneError`, itself a :class:`ValueError`, so a front end
can catch one type and show its message. Messages say what was wrong, what was expected and,
where possible, how to fix it.
"""

from __future__ import annotations

__all__ = ["BufferZoneError", "DataFileError", "InputError", "ParameterError"]


class BufferZoneError(ValueError):
    """Base class of every error this project raises on purpose."""


class DataFileError(BufferZoneError):
    """An embedded data file is missing, unreadable or fails validation."""


class InputError(BufferZoneError):
    """User-supplied geometry or file content is unusable (bad GeoJSON, wrong CRS, empty...)."""


class ParameterError(BufferZoneError):
    """A parameter is unknown, of the wrong type or outside its allowed range."""
