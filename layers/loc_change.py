"""What changed hands between two dates of the line of contact: km², people and towns per side."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely

from geo._errors import ParameterError
from geo.frontline import frontline_on
from geo.loc_change import ControlChange, control_change
from layers._base import Feature, HeadlineRule, LayerResult, LayerSpec, Parameter, Role, describe, measured_feature
from layers._sources import FRONTLINE_DATA, KORYBKO_TALKS
from layers.results import Figures, People

__all__ = ["SPEC"]

NAME = "loc-change"
SOURCES = (KORYBKO_TALKS, FRONTLINE_DATA)
#: (who gained, feature role of the area, of its towns, the other side)
SIDES = (("Russia", "gain-ru", "town-ru", "Ukraine"), ("Ukraine", "gain-ua", "town-ua", "Russia"))


def _build(p: dict[str, Any]) -> LayerResult:
    before = frontline_on(p["from"], reference=p["from_line"] or None)
    after = frontline_on(p["to"], reference=p["to_line"] or None)
    change = control_change(before, after)
    dates = f"{before.date.isoformat()} → {after.date.isoformat()}"
    common = {"snapshot_from": before.date.isoformat(), "snapshot_to": after.date.isoformat(),
              "source_from": before.source, "source_to": after.source,
              "net_change_km2": round(change.net_km2, 1)}
    features: list[Feature] = []
    for side, role, town_role, other in SIDES:
        gained, towns = _gains(change, side)
        key = side.lower()
        if not gained.is_empty:
            features.append(measured_feature(
                f"{NAME}:gained-by-{key}", f"Gained by {side}, {dates}", role, gained, top_settlements=10,
                gained_by=side, lost_by=other, towns_changed_hands=int((towns["population"] >= p["min_population"])
                                                                       .sum()), **common))
        shown = towns[towns["population"] >= p["min_population"]]
        for i, town in enumerate(shown.itertuples()):
            features.append(Feature(
                f"{NAME}:town-{key}-{i + 1}", f"{town.name} (taken by {side}, {dates})", town_role,
                shapely.Point(town.lon, town.lat),
                Figures(None, People(int(town.population),
                                     method="the place's own figure in GeoNames cities500 (not war-time)")),
                {"town": town.name, "gained_by": side, "lost_by": other, **common}))
    if not features:
        raise ParameterError(f"nothing changed hands between the lines of {before.date.isoformat()} and "
                             f"{after.date.isoformat()}: choose dates that fall on different lines")
    notes = []
    for asked, used in ((p["from"], before.date), (p["to"], after.date)):
        if asked != used:
            notes.append(f"{asked.isoformat()} uses the line of {used.isoformat()} (latest on or before it).")
    if before.approximate or after.approximate:
        notes.append("Built-in lines are approximate digitisations; changes of a few km² along the front "
                     "are within their error.")
    notes[:0] = [n for n in (before.staleness_note(), after.staleness_note()) if n]
    # the "to" line is the line of contact of the result; the "from" line is named beside it
    loc = {**after.properties(), **{f"loc_from_{k.removeprefix('loc_')}": v for k, v in before.properties().items()
                                    if k in ("loc_date", "loc_source", "loc_reference", "loc_age_days", "loc_stale")}}
    return SPEC.result(
        p, after.date, features,
        f"Russia gained what it held on {after.date.isoformat()} and not on {before.date.isoformat()}, and what "
        "Ukraine held in Russia on the first date and not on the second; Ukraine the reverse (geo.loc_change). "
        f"Lines: {before.source} / {after.source} Towns: GeoNames settlements inside each gain. "
        "People: geo.measure (pre-war figures).",
        notes, approximate=before.approximate or after.approximate, line_of_contact=loc,
    )


def _gains(change: ControlChange, side: str) -> tuple[shapely.Geometry, Any]:
    if side == "Russia":
        return change.gained_by_russia, change.towns_gained_by_russia
    return change.gained_by_ukraine, change.towns_gained_by_ukraine


SPEC = LayerSpec(
    name=NAME,
    title="What changed hands",
    description=describe(
        "The land and towns that changed hands between two dates of the line of contact: km² and people "
        "gained by Russia and by Ukraine (Kursk oblast included), and each town taken, drawn in the colour "
        "of the side that took it. The built-in lines are approximate.",
        SOURCES,
    ),
    parameters=(
        Parameter("from", "date", dt.date(2022, 11, 12), "From", minimum=dt.date(2022, 2, 23),
                  maximum=dt.date(2030, 12, 31), help="The earlier date (its line: the latest on or before it)."),
        Parameter("to", "date", dt.date(2025, 2, 12), "To", minimum=dt.date(2022, 2, 23),
                  maximum=dt.date(2030, 12, 31), help="The later date (its line: the latest on or before it)."),
        Parameter("min_population", "int", 1_000, "Towns of at least", unit="people", minimum=0,
                  maximum=1_000_000, step=500.0,
                  help="Smallest town (GeoNames population) drawn as a point of its own."),
        Parameter("from_line", "text", "", "Line of the From date", snapshot_for="from",
                  help="A snapshot source:YYYY-MM-DD:hash; empty: the latest on or before From."),
        Parameter("to_line", "text", "", "Line of the To date", snapshot_for="to",
                  help="A snapshot source:YYYY-MM-DD:hash; empty: the latest on or before To."),
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={"gain-ru": Role("Gained by Russia", "gain-ru"), "gain-ua": Role("Gained by Ukraine", "gain-ua"),
           "town-ru": Role("Town taken by Russia", "town-ru"), "town-ua": Role("Town taken by Ukraine", "town-ua")},
    headline_rules=(
        HeadlineRule("Gained by Russia", roles=("gain-ru",)),
        HeadlineRule("Gained by Ukraine", roles=("gain-ua",)),
    ),
)
