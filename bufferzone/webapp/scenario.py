"""A scenario: which layers are on, their parameters, the as-of date and the map view.

Scenarios round-trip through the page URL (so a copied link reopens the same view) and
through a JSON file (saved and loaded in the app, rendered by ``bufferzone scenario``).
Everything read from a URL or a file is validated through the layers' own parameter
declarations; anything unknown or out of range is dropped with a message, never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bufferzone.webapp.viewport import MapView
from geo import loc_history
from geo._errors import BufferZoneError, InputError
from layers import REGISTRY
from layers import get as get_layer
from layers._base import AS_OF

__all__ = ["MAX_SCENARIO_BYTES", "VIEWS", "Scenario"]

#: Largest scenario file accepted, bytes.
MAX_SCENARIO_BYTES = 1_000_000
#: Named map views (centre lat, centre lon, zoom), like QGIS spatial bookmarks.
VIEWS: dict[str, tuple[float, float, int]] = {
    "europe": (52.0, 24.0, 4),
    "nato-russia-border": (58.0, 27.0, 5),
    "ukraine": (48.6, 31.5, 6),
    "front": (47.9, 36.5, 7),
    "kyiv": (50.45, 30.75, 9),
    "kaliningrad": (54.7, 21.5, 8),
    "baltics": (57.0, 24.5, 6),
}
_FILE_PARAMETERS = {"occupied_file"}  # paths on the server: never taken from a URL or file
_GLOBAL_PARAMETERS = {"as_of", "snapshot"}  # set once for the scenario (``date``, ``loc``), not per layer
_URL_GEOMETRY_LIMIT = 4000  # characters of custom GeoJSON kept in a URL
_URL_VALUE_LIMIT = 200  # characters of any other parameter value read from a URL or file


@dataclass
class Scenario:
    """What the user has on screen.

    Attributes
    ----------
    layers : dict
        Active layers in order: registry name → parameters that differ from the defaults.
    as_of : datetime.date
        The global as-of date, applied to every layer that takes one.
    view : str
        A key of :data:`VIEWS`: the named view last picked.
    map_view : MapView or None
        The map's own view (the user's pan and zoom, or the fit to the layers), carried in
        links and files as ``view=lat,lon,zoom``; None until the map has one, in which case
        the map fits the layers on its first draw (or shows a named view other than the
        default that the link asked for).
    loc : str
        The line-of-contact snapshot chosen (``source:YYYY-MM-DD:hash``), or "" for the
        history's latest on or before :attr:`as_of`. Links and files always carry the
        snapshot in use, so a recipient sees the same figures or is told the line is missing.
    compare : (str, str)
        The compared areas A and B (``layer/feature-id``), or "" where none is chosen.
    compare_b : dict
        B's own parameters: layer → parameters that differ from that layer's (so one proposal
        can be compared with itself under two settings), ``cmp.b.<layer>.<param>`` in links.
        Only the entry of B's layer is used and shared.
    """

    layers: dict[str, dict[str, Any]] = field(default_factory=lambda: {"buffer-zone": {}})
    as_of: dt.date = AS_OF.default
    view: str = "europe"
    loc: str = ""
    map_view: MapView | None = None
    compare: tuple[str, str] = ("", "")
    compare_b: dict[str, dict[str, Any]] = field(default_factory=dict)

    def parameters(self, name: str) -> dict[str, Any]:
        """Validated parameters of an active layer, with the global date and snapshot applied."""
        spec = get_layer(name)
        values = dict(self.layers.get(name, {}))
        names = {p.name for p in spec.parameters}
        if "as_of" in names:
            values["as_of"] = self.as_of
        if "snapshot" in names:
            values["snapshot"] = self.loc
        return spec.validate(values)

    def b_overrides(self) -> dict[str, Any]:
        """B's own parameters for B's layer, those that differ from the layer's as shown (A's), else {}."""
        name = self.compare[1].partition("/")[0]
        if name not in self.layers:
            return {}
        spec = get_layer(name)
        shown = self.layers[name]
        return {k: v for k, v in self.compare_b.get(name, {}).items()
                if v != shown.get(k, spec.parameter(k).default)}

    def parameters_b(self, name: str) -> dict[str, Any]:
        """Validated parameters of a layer as B is built: the layer's with B's own on top."""
        values = self.parameters(name)
        if self.compare[1].partition("/")[0] == name:
            values = get_layer(name).validate({**values, **self.b_overrides()})
        return values

    def uses_front(self) -> bool:
        """True if a layer on the line of contact is on."""
        return any(any(p.name == "snapshot" for p in get_layer(n).parameters) for n in self.layers)

    def loc_in_use(self) -> str:
        """The snapshot the layers use: the chosen one, else the latest on or before the date ("" if none)."""
        if self.loc:
            return self.loc
        try:
            return loc_history.pick(self.as_of).reference
        except BufferZoneError:
            return ""

    def unresolved_loc(self) -> str:
        """The chosen snapshot if this history does not hold it (a link or file from elsewhere), else ""."""
        return self.loc if self.loc and loc_history.resolve(self.loc) is None else ""

    def _pinned_snapshots(self, name: str) -> dict[str, str]:
        """A layer's snapshot parameters as shared: the chosen one, else the line in use for its date."""
        spec = get_layer(name)
        values = self.layers.get(name, {})
        pins = {}
        for p in spec.parameters:
            if not p.snapshot_for:
                continue
            chosen = str(values.get(p.name, "") or "")
            if not chosen:
                day = values.get(p.snapshot_for, spec.parameter(p.snapshot_for).default)
                try:
                    chosen = loc_history.pick(day).reference
                except BufferZoneError:
                    continue
            pins[p.name] = chosen
        return pins

    def _view_text(self) -> str:
        """The ``view`` value of links and files: the map's own view, else the named view."""
        return self.map_view.to_text() if self.map_view is not None else self.view

    # -- URL ------------------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """Flat ``{key: value}`` for the page URL (only non-default values)."""
        query = {"layers": ",".join(self.layers), "date": self.as_of.isoformat(), "view": self._view_text()}
        if self.uses_front() and self.loc_in_use():
            query["loc"] = self.loc_in_use()
        for side, ref in zip(("cmp.a", "cmp.b"), self.compare, strict=True):
            if ref:
                query[side] = ref
        b_layer = self.compare[1].partition("/")[0]
        query |= {f"cmp.b.{b_layer}.{k}": _text(v) for k, v in self.b_overrides().items()}
        for name in self.layers:
            query |= {f"{name}.{k}": v for k, v in self._pinned_snapshots(name).items()}
        for name, values in self.layers.items():
            spec = get_layer(name)
            for key, value in values.items():
                if key in _FILE_PARAMETERS or key in _GLOBAL_PARAMETERS or spec.parameter(key).snapshot_for:
                    continue
                if value == spec.parameter(key).default:
                    continue
                text = value.isoformat() if isinstance(value, dt.date) else str(value)
                if key == "geometry" and len(text) > _URL_GEOMETRY_LIMIT:
                    continue
                query[f"{name}.{key}"] = text
        return query

    @classmethod
    def from_query(
        cls, query: Mapping[str, Any], *, geometry_limit: int = _URL_GEOMETRY_LIMIT
    ) -> tuple[Scenario, list[str]]:
        """Rebuild a scenario from URL parameters; returns it and the problems found.

        Never raises: bad values are dropped (their defaults apply) with a message each.
        ``geometry_limit`` is the most characters of custom GeoJSON accepted (a scenario
        file may hold more than a URL).
        """
        problems: list[str] = []
        scenario = cls(layers={})
        raw_layers = str(query.get("layers", "buffer-zone"))[:500]
        for name in [n.strip() for n in raw_layers.split(",") if n.strip()][:10]:
            if name in REGISTRY:
                scenario.layers.setdefault(name, {})
            else:
                problems.append(f"unknown layer {name[:40]!r} in the link was ignored")
        if "date" in query:
            try:
                scenario.as_of = AS_OF.validate(str(query["date"])[:20])
            except BufferZoneError as exc:
                problems.append(f"date in the link ignored: {exc}")
        if query.get("loc"):
            scenario.loc = _read_loc(str(query["loc"])[:80], scenario.as_of, problems)
        view = str(query.get("view", "europe"))[:80]
        if view in VIEWS:
            scenario.view = view
        elif view.count(",") == 2:
            try:
                scenario.map_view = MapView.parse(view)
            except BufferZoneError as exc:
                problems.append(f"map view in the link ignored: {exc}")
        else:
            problems.append(f"unknown view {view[:40]!r} in the link was ignored")
        scenario.compare = (_read_compare(query, "cmp.a", scenario, problems),
                            _read_compare(query, "cmp.b", scenario, problems))
        for key, value in query.items():
            if key.startswith("cmp.b.") and key.count(".") >= 3:
                _read_b_parameter(key, value, scenario, problems, geometry_limit)
                continue
            if "." not in key or key.startswith("cmp."):
                continue
            name, _, pname = key.partition(".")
            if name not in scenario.layers:
                continue
            if pname in _FILE_PARAMETERS or pname in _GLOBAL_PARAMETERS:
                problems.append(f"{pname[:40]!r} cannot be set from a link")
                continue
            text = str(value)
            limit = geometry_limit if pname == "geometry" else _URL_VALUE_LIMIT
            if len(text) > limit:
                problems.append(f"link value for {name}.{pname[:40]} ignored: {len(text):,} characters "
                                f"(at most {limit:,})")
                continue
            if pname == "geometry" and text.strip() and not text.lstrip().startswith(("{", "[")):
                # the custom layer reads a file when given a path: never a server path from a link
                problems.append(f"link value for {name}.geometry ignored: expected GeoJSON text, not a file path")
                continue
            try:
                spec = get_layer(name)
                scenario.layers[name][pname] = spec.parameter(pname).validate(text)
            except BufferZoneError as exc:
                message = str(exc)
                problems.append(f"link value for {name} ignored: "
                                f"{message if len(message) <= 300 else message[:300] + '…'}")
        return scenario, problems

    # -- file -----------------------------------------------------------------------------

    def to_json(self) -> str:
        """The scenario as a JSON document (``bufferzone-scenario`` version 1)."""
        def plain(v: Any) -> Any:
            return v.isoformat() if isinstance(v, dt.date) else v

        doc = {
            "type": "bufferzone-scenario",
            "version": 1,
            "as_of": self.as_of.isoformat(),
            "view": self._view_text(),
            **({"loc": self.loc_in_use()} if self.uses_front() and self.loc_in_use() else {}),
            **({"compare": {"a": self.compare[0], "b": self.compare[1],
                            **({"b_parameters": {self.compare[1].partition("/")[0]: {
                                k: plain(v) for k, v in self.b_overrides().items()}}} if self.b_overrides() else {})}}
               if any(self.compare) else {}),
            "layers": [
                {"name": n, "parameters": {**{k: plain(v) for k, v in p.items()
                                              if k not in _FILE_PARAMETERS and k not in _GLOBAL_PARAMETERS},
                                           **self._pinned_snapshots(n)}}
                for n, p in self.layers.items()
            ],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> tuple[Scenario, list[str]]:
        """Read a scenario file; raises InputError if it is not one, drops bad values."""
        size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_SCENARIO_BYTES:
            raise InputError(f"scenario file is {size:,} bytes; the limit is {MAX_SCENARIO_BYTES:,}")
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError("scenario file is not UTF-8 text") from None
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, and numbers too long to parse
            reason = " ".join(str(exc).split())[:160]
            raise InputError(f"scenario file is not valid JSON ({reason})") from None
        if not isinstance(doc, dict) or doc.get("type") != "bufferzone-scenario":
            raise InputError('not a scenario file: expected a JSON object with "type": "bufferzone-scenario"')
        if doc.get("version") != 1:
            version = doc.get("version")
            shown = repr(version) if len(repr(version)) <= 40 else repr(version)[:40] + "…"
            raise InputError(f"scenario version {shown} is not supported (expected 1)")
        entries = doc.get("layers")
        if not isinstance(entries, list):
            raise InputError('scenario file needs a "layers" list')
        query: dict[str, Any] = {
            "layers": ",".join(str(e.get("name", "")) for e in entries if isinstance(e, dict)),
            "date": doc.get("as_of", ""),
            "view": doc.get("view", "europe"),
            "loc": doc.get("loc", ""),
        }
        for e in entries:
            if isinstance(e, dict) and isinstance(e.get("parameters"), dict):
                for k, v in e["parameters"].items():
                    query[f"{e.get('name')}.{k}"] = v
        if isinstance(doc.get("compare"), dict):
            query |= {f"cmp.{side}": doc["compare"][side] for side in ("a", "b") if doc["compare"].get(side)}
            b_parameters = doc["compare"].get("b_parameters")
            if isinstance(b_parameters, dict):
                query |= {f"cmp.b.{name}.{k}": v for name, values in b_parameters.items() if isinstance(values, dict)
                          for k, v in values.items()}
        if not query["date"]:
            query.pop("date")
        return cls.from_query(query, geometry_limit=MAX_SCENARIO_BYTES)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _read_b_parameter(key: str, value: Any, scenario: Scenario, problems: list[str], geometry_limit: int) -> None:
    """One of B's own parameters of a link or file (``cmp.b.<layer>.<param>``), validated like the layer's."""
    name, _, pname = key.removeprefix("cmp.b.").partition(".")
    shown = f"cmp.b.{name[:40]}.{pname[:40]}"
    if name not in scenario.layers:
        problems.append(f"{shown} in the link ignored: layer {name[:40]!r} is not on")
        return
    spec = get_layer(name)
    if pname in _FILE_PARAMETERS or pname in _GLOBAL_PARAMETERS or pname not in {p.name for p in spec.parameters}:
        problems.append(f"{shown} in the link ignored: not a parameter B can set")
        return
    text = str(value)
    limit = geometry_limit if pname == "geometry" else _URL_VALUE_LIMIT
    if len(text) > limit or (pname == "geometry" and text.strip() and not text.lstrip().startswith(("{", "["))):
        problems.append(f"{shown} in the link ignored: too long or not GeoJSON text")
        return
    try:
        scenario.compare_b.setdefault(name, {})[pname] = spec.parameter(pname).validate(text)
    except BufferZoneError as exc:
        message = str(exc)
        problems.append(f"{shown} in the link ignored: {message if len(message) <= 300 else message[:300] + '…'}")


def _read_compare(query: Mapping[str, Any], key: str, scenario: Scenario, problems: list[str]) -> str:
    """A compared area of a link or file (``layer/feature-id`` of a layer that is on), else ""."""
    text = str(query.get(key, "") or "")
    if not text:
        return ""
    name, sep, feature = text.partition("/")
    if len(text) > _URL_VALUE_LIMIT or not sep or not feature:
        problems.append(f"{key} in the link ignored: expected 'layer/feature-id', got {text[:40]!r}")
        return ""
    if name not in scenario.layers:
        problems.append(f"{key} in the link ignored: layer {name[:40]!r} is not on")
        return ""
    return text


def _read_loc(text: str, as_of: dt.date, problems: list[str]) -> str:
    """The snapshot a link or file names: "" if it is the one the date picks anyway, else pinned.

    A reference this history cannot resolve is kept (the layers then say it is missing and
    how to load it) and reported, never silently replaced by another line.
    """
    try:
        loc_history.parse_reference(text)
    except BufferZoneError as exc:
        problems.append(f"line of contact in the link ignored: {exc}")
        return ""
    snapshot = loc_history.resolve(text)
    if snapshot is None:
        problems.append(f"the line of contact {text} of the link is not in your history: load or fetch it to see "
                        "the sender's figures")
        return text
    try:
        automatic = loc_history.pick(as_of).reference
    except BufferZoneError:
        automatic = ""
    return "" if automatic == text else text
