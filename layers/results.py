"""Typed figures of a layer result: people, towns, a feature's figures, headlines, roles.

A layer declares what its result is about: its roles (:class:`Role`, each with a human label
and a style key) and its headline figures (:class:`HeadlineRule`, which features to add up,
or net). :func:`headlines` evaluates the rules on the features a build made, so a headline
moves with the parameters (the DMZ's km² with its width, the withdrawal when it is switched
on). Front ends render :class:`Headline` and :class:`Figures` and name no layer; dicts appear
only where results are exported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo import people_text

if TYPE_CHECKING:
    from layers._base import Feature

__all__ = ["Figures", "Headline", "HeadlineRule", "People", "Role", "Town", "figures_of", "headlines"]

_TOWN = re.compile(r"^(?P<name>.*) \((?P<people>[\d,]+)\)$")


@dataclass(frozen=True)
class Role:
    """What a kind of feature is, in words (legends, tables), and how it is drawn."""

    label: str
    style: str = ""


@dataclass(frozen=True)
class Town:
    """A settlement inside a feature: its name and people (GeoNames)."""

    name: str
    people: int


@dataclass(frozen=True)
class People:
    """People in an area: the figure (``None`` where unknown, never 0), its range and basis.

    Attributes
    ----------
    value : int or None
        People; ``None`` where the area is outside the data.
    low, high : int or None
        Range of the estimate.
    coverage : float
        Share (0–1) of the area with data.
    basis : tuple of str
        Time basis of each source used.
    """

    value: int | None
    low: int | None = None
    high: int | None = None
    coverage: float = 1.0
    basis: tuple[str, ...] = ()

    def text(self) -> str:
        """The figure in words, with its range and coverage ("no data" where unknown)."""
        if self.value is None:
            return "no data"
        return people_text(self.value, low=self.low, high=self.high, coverage=self.coverage)


@dataclass(frozen=True)
class Figures:
    """A feature's figures: km² (``None`` for lines), people, km of line, largest towns."""

    area_km2: float | None
    people: People | None
    length_km: float | None
    towns: tuple[Town, ...]
    shares: tuple[tuple[str, float], ...] = ()  # (country, % of the country) largest first


def figures_of(properties: Mapping[str, Any]) -> Figures:
    """The typed figures of a feature from the properties :func:`layers._base.measured_feature` writes."""
    length = properties.get("length_km")
    area = None if length else properties.get("area_km2")
    people = None
    if "population" in properties and not length:
        people = People(properties.get("population"), properties.get("population_low"),
                        properties.get("population_high"),
                        float(properties.get("population_coverage_pct", 100.0)) / 100.0,
                        tuple(properties.get("population_basis", ())))
    towns = []
    for text in properties.get("largest_settlements", []):
        m = _TOWN.match(str(text))
        if m:
            towns.append(Town(m["name"], int(m["people"].replace(",", ""))))
    shares = tuple((c["name"], float(c["share_pct"])) for c in properties.get("by_country") or []
                   if c.get("share_pct") is not None)
    return Figures(area, people, length, tuple(towns), shares)


@dataclass(frozen=True)
class Headline:
    """One figure a layer is about, as the app's metrics and the images show it.

    Attributes
    ----------
    label : str
        What it is ("DMZ, Ukrainian-held side").
    area_km2 : float or None
        km² (a net figure may be negative); ``None`` for lines.
    people : People or None
    length_km : float or None
    feature_ids : tuple of str
        The features added up (and subtracted, for net figures).
    note : str
        What the figure includes ("includes sea").
    """

    label: str
    area_km2: float | None
    people: People | None
    length_km: float | None
    feature_ids: tuple[str, ...]
    note: str = ""

    def area_text(self) -> str:
        """km² in words (``"1,234 km²"``, signed for net figures)."""
        if self.area_km2 is None:
            return f"{self.length_km:,.0f} km" if self.length_km is not None else ""
        return f"{self.area_km2:+,.0f} km²" if self.note.startswith("net") else f"{self.area_km2:,.0f} km²"


@dataclass(frozen=True)
class HeadlineRule:
    """A declared headline: which features (by id after ``layer:``, or by role) it adds up.

    ``minus`` names features subtracted (a net figure); ``where`` keeps only the features with
    a property equal to a value (``("side", "NATO")``); ``label`` may use ``{count}``, the number
    of features added, and ``{name}``, the first one's name. A rule whose features are all absent
    gives no headline. ``each`` gives one headline per matching feature (range rings).
    """

    label: str
    ids: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    note: str = ""
    where: tuple[str, Any] | None = None
    each: bool = False

    def evaluate(self, layer: str, features: Sequence[Feature]) -> tuple[Headline, ...]:
        """The headline(s) of this rule over ``features`` (none if its features are absent)."""
        if not self.each:
            h = self.apply(layer, features)
            return (h,) if h else ()
        single = HeadlineRule(self.label, note=self.note)
        out = []
        for f in features:
            if self._selects(layer, f):
                h = HeadlineRule(single.label, ids=(f.id.removeprefix(f"{layer}:"),), note=self.note).apply(layer, [f])
                if h:
                    out.append(h)
        return tuple(out)

    def _selects(self, layer: str, f: Feature) -> bool:
        if self.where is not None and f.properties.get(self.where[0]) != self.where[1]:
            return False
        return f.id.removeprefix(f"{layer}:") in self.ids or f.role in self.roles

    def apply(self, layer: str, features: Sequence[Feature]) -> Headline | None:
        """The headline over ``features`` of ``layer``, or ``None`` if none of them is there."""
        def local(f: Feature) -> str:
            return f.id.removeprefix(f"{layer}:")

        plus = [f for f in features if self._selects(layer, f)]
        minus = [f for f in features if local(f) in self.minus]
        if not plus and not minus:
            return None
        figs = [(1, figures_of(f.properties)) for f in plus] + [(-1, figures_of(f.properties)) for f in minus]
        areas = [s * g.area_km2 for s, g in figs if g.area_km2 is not None]
        lengths = [g.length_km for _, g in figs if g.length_km is not None]
        people = None
        known = [(s, g.people) for s, g in figs if g.people is not None]
        if known:
            if any(p.value is None for _, p in known):
                people = People(None)
            else:
                def total(attr: str) -> int | None:
                    values = [(s, getattr(p, attr)) for s, p in known]
                    if any(v is None for _, v in values):
                        return None
                    return sum(s * v for s, v in values)

                if minus:  # a net figure: the ranges do not subtract simply, so none is given
                    people = People(total("value"), coverage=min(p.coverage for _, p in known))
                else:
                    people = People(total("value"), total("low"), total("high"),
                                    min(p.coverage for _, p in known))
        label = self.label.format(count=len(plus), name=(plus or minus)[0].name)
        return Headline(label, sum(areas) if areas else None, people, sum(lengths) if lengths else None,
                        tuple(f.id for f in plus) + tuple(f.id for f in minus), self.note)


def headlines(layer: str, rules: Sequence[HeadlineRule], features: Sequence[Feature]) -> tuple[Headline, ...]:
    """The declared headlines present in ``features``; the first area if no rule applies.

    A layer that declares nothing (a plugin) still gets one headline: its first polygonal
    feature, else its first feature.
    """
    found = tuple(h for r in rules for h in r.evaluate(layer, features))
    if found or not features:
        return found
    first = next((f for f in features if f.geometry.geom_type in ("Polygon", "MultiPolygon")), features[0])
    h = HeadlineRule(first.name, ids=(first.id.removeprefix(f"{layer}:"),)).apply(layer, [first])
    return (h,) if h else ()
