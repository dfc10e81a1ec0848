"""Declared layer parameters: what each one is, its unit, range, how forms show it.

A :class:`Parameter` says everything a front end needs to draw it without naming a layer:
its kind and range, the labels of its choices, its display format, whether it is hidden from
forms (file paths, geometries, snapshot pins), when it is visible (``visible_when``) and
whether it belongs in titles (``in_title``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from geo._errors import ParameterError

__all__ = ["AS_OF", "Parameter"]


#: Numbers as a CLI, URL or scenario file may write them: ASCII digits, a point, an exponent.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)


@dataclass(frozen=True)
class Parameter:
    """A declared layer parameter: what it is, its unit, default and allowed values.

    Attributes
    ----------
    name : str
        Machine name (``width_km``).
    kind : {"float", "int", "bool", "date", "choice", "text"}
    default : Any
    label : str
        Human label for forms.
    unit : str or None
        Unit shown beside the value (``km``).
    minimum, maximum : number or date, optional
        Inclusive range for numbers and dates.
    choices : tuple of str, optional
        Allowed values for ``choice``.
    help : str
    step : float, optional
        Slider step for numbers.
    choice_labels : tuple of str, optional
        What a form shows for each of ``choices`` (same order); the value itself if absent.
    snapshot_for : str, optional
        For a ``text`` parameter that pins the line of contact of a date parameter (named
        here) to one snapshot, ``source:YYYY-MM-DD:hash``: empty means the latest on or before
        that date. Not shown in forms; a shared scenario fills it with the snapshot in use, so
        a recipient gets the same line or is told it is missing.
    hidden : bool
        Not drawn in forms (file paths, geometries, the shared as-of date); still in links.
    visible_when : tuple of (str, tuple of values), optional
        Shown in forms only while the named parameter has one of the values
        (``("preset", ("custom",))``).
    display : str, optional
        printf-style format of the value in forms and titles (``"%.0f"``); ``%g`` if absent.
    in_title : bool
        Named in image titles and subtitles when it differs from its default.
    accepts_geometry : bool
        A ``text`` parameter holding GeoJSON that front ends fill from uploads or drawings.
    """

    name: str
    kind: str
    default: Any
    label: str
    unit: str | None = None
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] | None = None
    help: str = ""
    step: float | None = None
    choice_labels: tuple[str, ...] | None = None
    snapshot_for: str | None = None
    hidden: bool = False
    visible_when: tuple[str, tuple[Any, ...]] | None = None
    display: str | None = None
    in_title: bool = True
    accepts_geometry: bool = False

    def shown_in_forms(self, values: dict[str, Any], parameters: tuple[Parameter, ...] = ()) -> bool:
        """Whether a form draws this parameter, given the current ``values`` (defaults for the others)."""
        if self.hidden or self.snapshot_for or self.accepts_geometry:
            return False
        if self.visible_when is None:
            return True
        other, allowed = self.visible_when
        default = next((q.default for q in parameters if q.name == other), None)
        return values.get(other, default) in allowed

    def format_value(self, value: Any) -> str:
        """The value as forms and titles show it, with its unit (``"100 km"``, ``"INF band…"``)."""
        if self.kind == "choice":
            return self.choice_label(value)
        if self.kind == "bool":
            return "yes" if value else "no"
        if self.kind == "date":
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        if self.kind in ("float", "int"):
            text = (self.display or "%g") % value
            return f"{text} {self.unit}".rstrip() if self.unit and self.unit != "°" else text + (self.unit or "")
        return str(value)

    def choice_label(self, value: str) -> str:
        """What a form shows for one of the choices (``"inf-band"`` → ``"INF band, 500–5,500 km"``)."""
        if self.choices and self.choice_labels and value in self.choices:
            return self.choice_labels[self.choices.index(value)]
        return str(value)

    def validate(self, value: Any) -> Any:
        """Coerce ``value`` (possibly a string from a CLI or URL) and check its range.

        Raises
        ------
        ParameterError
            With the parameter's name, the value received and what is allowed.
        """
        try:
            coerced = self._coerce(value)
        except (TypeError, ValueError):
            raise ParameterError(
                f"parameter {self.name!r} expects {self.describe_kind()}, got {value!r}"
            ) from None
        if self.kind == "choice" and coerced not in (self.choices or ()):
            raise ParameterError(f"parameter {self.name!r} must be one of {list(self.choices or ())}, got {value!r}")
        if self.kind in ("float", "int", "date"):
            if coerced != coerced:  # NaN
                raise ParameterError(f"parameter {self.name!r} expects {self.describe_kind()}, got {value!r}")
            if (self.minimum is not None and coerced < self.minimum) or (
                self.maximum is not None and coerced > self.maximum
            ):
                raise ParameterError(
                    f"parameter {self.name!r} must be between {self.minimum} and {self.maximum}"
                    f"{' ' + self.unit if self.unit else ''}, got {value!r}"
                )
        return coerced

    def describe_kind(self) -> str:
        """The expected type in words (for messages and help)."""
        return {
            "float": "a number", "int": "a whole number", "bool": "true or false",
            "date": "a date YYYY-MM-DD", "choice": f"one of {list(self.choices or ())}", "text": "text",
        }[self.kind]

    def _coerce(self, value: Any) -> Any:
        if self.kind == "float":
            if isinstance(value, bool):
                raise TypeError
            if isinstance(value, str) and not _DECIMAL.fullmatch(value.strip()):
                raise ValueError  # Python's float() also takes "1_000", "inf" and non-ASCII digits
            return float(value)
        if self.kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise TypeError
            if isinstance(value, str) and not _INTEGER.fullmatch(value.strip()):
                raise ValueError
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if self.kind == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        if self.kind in ("choice", "text"):
            if not isinstance(value, str):
                raise TypeError
            return value
        raise TypeError

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready declaration (for ``bufferzone layers --json`` and the app)."""
        def plain(v: Any) -> Any:
            return v.isoformat() if isinstance(v, dt.date) else v

        return {
            "name": self.name, "type": self.kind, "label": self.label, "unit": self.unit,
            "default": plain(self.default), "minimum": plain(self.minimum), "maximum": plain(self.maximum),
            "choices": list(self.choices) if self.choices else None,
            "choice_labels": list(self.choice_labels) if self.choice_labels else None, "help": self.help,
            "hidden": self.hidden or bool(self.snapshot_for) or self.accepts_geometry,
            "visible_when": ({"parameter": self.visible_when[0], "values": list(self.visible_when[1])}
                             if self.visible_when else None),
            "in_title": self.in_title,
        }


#: The as-of date every layer takes. Default: 12 Feb 2025, the day Presidents Trump and Putin
#: agreed to start talks, and the latest date of the built-in line of contact.
AS_OF = Parameter(
    "as_of", "date", dt.date(2025, 2, 12), "As of", minimum=dt.date(1949, 4, 4),
    maximum=dt.date(2030, 12, 31), help="Date the layer describes (membership, line of contact).",
    hidden=True, in_title=False,
)
