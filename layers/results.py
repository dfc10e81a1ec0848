"""Typed figures of a layer result: people, towns, a feature's figures, headlines, roles.

A layer declares what its result is about: its roles (:class:`Role`, each with a human label
and a style key) and its headline figures (:class:`HeadlineRule`, which features to add up,
or net). :func:`headlines` evaluates the rules on the features a build made, so a headline
moves with the parameters (the DMZ's km² with its width, the withdrawal when it is switched
on). Front ends render :class:`Headline` and :class:`Figures` and name no layer; dicts appear
only where results are exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo import people_text

if TYPE_CHECKING:
    from layers._base import Feature

__all__ = ["Figures", "Headline", "HeadlineRule", "People", "Role", "Share", "Town", "figure_properties", "headlines"]


@dataclass(frozen=True)
class Role:
    """What a kind of feature is, in words (legends, tables), and how it is drawn."""

    label: str
    style: str = ""


@dataclass(frozen=True)
class Town:
    """A settlement inside a feature (GeoNames).

    Attributes
    ----------
    name : str
    people : int
        Its people inside the feature.
    whole : int
        All its people; more than ``people`` where the feature takes only part of the town.
    """

    name: str
    people: int
    whole: int

    def text(self) -> str:
        """"Poltava (283,402)", or "Poltava (31,007 of 283,402)" for a town partly inside."""
        if self.people >= self.whole:
            return f"{self.name} ({self.whole:,})"
        return f"{self.name} ({self.people:,} of {self.whole:,})"


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
    method : str
        How the figure was made (``geo.measure``, an official total...).
    notes : tuple of str
        Caveats of the estimate.
    unknown_reason : str or None
        Why ``value`` is ``None``.
    """

    value: int | None
    low: int | None = None
    high: int | None = None
    coverage: float = 1.0
    basis: tuple[str, ...] = ()
    method: str = ""
    notes: tuple[str, ...] = ()
    unknown_reason: str | None = None

    def text(self) -> str:
        """The figure in words, with its range and coverage ("no data" where unknown)."""
        if self.value is None:
            return "no data"
        return people_text(self.value, low=self.low, high=self.high, coverage=self.coverage)


@dataclass(frozen=True)
class Share:
    """A country's or first-level unit's part of a feature.

    Attributes
    ----------
    code : str
        ISO 3166-1 alpha-3 (countries) or ISO 3166-2 (units).
    name : str
    area_km2 : float
        km² of the feature inside the unit.
    share_pct : float
        % of the unit's area inside the feature.
    people : int
        People of the feature inside the unit.
    iso_a3 : str
        The unit's country (first-level units; the code itself for countries).
    """

    code: str
    name: str
    area_km2: float
    share_pct: float
    people: int
    iso_a3: str = ""


@dataclass(frozen=True)
class Figures:
    """A feature's figures: km² (``None`` for lines and points), people, km of line, largest towns.

    Attributes
    ----------
    area_km2 : float or None
        Geodesic km²; ``None`` for lines and points.
    people : People or None
        ``None`` where people do not apply (a line, a site).
    length_km : float or None
        Geodesic km of a line.
    towns : tuple of Town
        Largest settlements inside, largest first.
    by_country, by_admin1 : tuple of Share
        The feature by country and by first-level unit (measured areas only).
    area_method : str or None
        How km² were measured; set on areas measured by :func:`geo.measure`.
    not_applicable : str or None
        Why people do not apply ("not applicable (a line)").
    """

    area_km2: float | None
    people: People | None
    length_km: float | None = None
    towns: tuple[Town, ...] = ()
    by_country: tuple[Share, ...] = ()
    by_admin1: tuple[Share, ...] = ()
    area_method: str | None = None
    not_applicable: str | None = None

    @property
    def shares(self) -> tuple[tuple[str, float], ...]:
        """(country, % of the country) in the order measured (largest first)."""
        return tuple((c.name, c.share_pct) for c in self.by_country)


def figure_properties(fig: Figures | None) -> dict[str, Any]:
    """The export form of a feature's figures: the GeoJSON properties and CSV columns.

    The export edge only. Measured areas get ``area_km2``, ``population`` (``null`` where
    unknown, with ``population_unknown_reason``), ``population_low``/``population_high``,
    ``population_coverage_pct``, ``population_basis``, ``population_method``,
    ``population_notes``, ``area_method``, ``largest_settlements`` ("Name (people)", "Name (inside of whole)"),
    ``by_country`` and ``by_admin1``; lines and points get ``area_km2`` 0 and ``population``
    0 where people do not apply, as exported before.
    """
    if fig is None:
        return {}
    p = fig.people
    towns = [t.text() for t in fig.towns]
    if fig.area_method is None:
        props: dict[str, Any] = {"area_km2": 0.0 if fig.area_km2 is None else fig.area_km2,
                                 "population": 0 if p is None else p.value}
        if fig.length_km is not None:
            props["length_km"] = fig.length_km
        props["largest_settlements"] = towns
        method = p.method if p is not None else fig.not_applicable
        if method:
            props["population_method"] = method
        return props
    p = p or People(None)
    props = {
        "area_km2": fig.area_km2,
        "population": p.value,
        "population_low": p.low,
        "population_high": p.high,
        "population_coverage_pct": round(100.0 * p.coverage, 1),
        "population_basis": list(p.basis),
        "population_method": p.method,
        "population_notes": list(p.notes),
        "area_method": fig.area_method,
        "largest_settlements": towns,
        "by_country": [{"iso_a3": c.code, "name": c.name, "area_km2": c.area_km2, "share_pct": c.share_pct,
                        "population": c.people} for c in fig.by_country],
        "by_admin1": [{"iso_3166_2": u.code, "name": u.name, "iso_a3": u.iso_a3, "area_km2": u.area_km2,
                       "share_pct": u.share_pct, "population": u.people} for u in fig.by_admin1],
    }
    if p.value is None:
        props["population_unknown_reason"] = p.unknown_reason or "outside the embedded data"
    return props


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
    an attribute equal to a value (``("side", "NATO")``); ``label`` may use ``{count}``, the number
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
        if self.where is not None and f.attributes.get(self.where[0]) != self.where[1]:
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
        figs = [(1, f.figures) for f in plus if f.figures] + [(-1, f.figures) for f in minus if f.figures]
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
