"""A line of contact frozen on a date, armistice-style, with a DMZ and territorial swaps."""

from __future__ import annotations

from typing import Any

import shapely

from geo import area_km2, buffer, data
from geo.frontline import Frontline, contact_line, frontline_from_file, frontline_on
from layers._base import (
    AS_OF,
    Feature,
    HeadlineRule,
    LayerResult,
    LayerSpec,
    Parameter,
    Role,
    Source,
    describe,
    measured_feature,
)
from layers._sources import FRONTLINE_DATA, KORYBKO_TALKS, KORYBKO_TRANS_DNIEPER

__all__ = ["SNAPSHOT", "SPEC", "front_citations", "front_notes", "load_front"]

NAME = "frozen-line"
SOURCES = (KORYBKO_TRANS_DNIEPER, KORYBKO_TALKS, FRONTLINE_DATA)


def load_front(p: dict[str, Any]) -> Frontline:
    """The line of contact the parameters ask for.

    An occupied-area file (``occupied_file``) if given, labelled with its own date; else the
    snapshot named by ``snapshot`` (``source:date:hash``); else the history's latest line on or
    before ``as_of`` (built-in dates plus loaded lines, :mod:`geo.loc_history`).
    """
    if p.get("occupied_file"):
        return frontline_from_file(p["occupied_file"], as_of=p["as_of"])
    return frontline_on(p["as_of"], reference=p.get("snapshot") or None)


def front_notes(front: Frontline) -> list[str]:
    """The notes every layer built on the line of contact gives: which line, how old, what was read."""
    line = (f"Line of contact: {front.source_label} of {front.date.isoformat()}"
            + (f" (snapshot {front.reference})" if front.reference else "")
            + (f", {front.age_days} days before the as-of date {front.as_of.isoformat()}"
               if front.as_of and front.age_days > 0 else ", the as-of date" if front.as_of else "")
            + (", approximate." if front.approximate else "."))
    stale = front.staleness_note()
    return [*([stale] if stale else []), line, *front.notes]


def front_citations(front: Frontline, sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """The layer's sources, with the line actually used in place of the built-in digitisation."""
    if front.approximate:
        return tuple(sources)
    used = Source("line-of-contact",
                  f"Line of contact: {front.source}" + (f", snapshot {front.reference}" if front.reference else ""),
                  front.attribution or front.source)
    return tuple(s for s in sources if s is not FRONTLINE_DATA) + (used,)


#: The snapshot parameter shared by the layers built on the line of contact.
SNAPSHOT = Parameter("snapshot", "text", "", "Line-of-contact snapshot", hidden=True,
                     help="A snapshot of the history as source:YYYY-MM-DD:hash (bufferzone loc list); "
                          "empty: the latest on or before the as-of date.")


def _as_drawn(front: Frontline) -> dict[str, Any]:
    """The occupied km² as the source draws it and as clipped to the embedded land, and which is used."""
    drawn = front.occupied_as_drawn if front.occupied_as_drawn is not None else front.occupied
    return {
        "area_km2_as_drawn": round(area_km2(drawn), 1),
        "area_km2_clipped": round(area_km2(front.occupied), 1),
        "area_basis": "area_km2, people, the line and the DMZ use the occupied area clipped to the embedded "
                      "land (Natural Earth 10m Ukraine); area_km2_as_drawn is the source's polygons as drawn "
                      "(its own coast, any parts at sea or over the border)",
    }


def _units(*codes: str) -> shapely.Geometry:
    units = data.admin1().set_index("iso_3166_2").geometry
    return shapely.union_all([units[c] for c in codes])


def _build(p: dict[str, Any]) -> LayerResult:
    front = load_front(p)
    countries = data.countries().set_index("iso_a3").geometry
    ukraine = countries["UKR"]
    held_by_ru = front.occupied
    line = contact_line(front)
    label = " (approximate)" if front.approximate else f" ({front.source_label})"
    features: list[Feature] = [
        measured_feature(f"{NAME}:occupied", f"Held by Russia on {front.date.isoformat()}, Crimea included{label}",
                         "occupied", held_by_ru, top_settlements=10, holder="Russia", country="Ukraine",
                         share_of_ukraine_pct=round(100 * area_km2(held_by_ru) / area_km2(ukraine), 2),
                         **_as_drawn(front)),
        measured_feature(f"{NAME}:line", f"Line of contact frozen on {front.date.isoformat()}{label}", "line", line),
    ]
    if not front.ua_held_russia.is_empty:
        features.append(measured_feature(f"{NAME}:ua-held-russia", "Held by Ukraine in Russia (Kursk oblast)",
                                         "occupied", front.ua_held_russia, holder="Ukraine", country="Russia"))
    width = p["dmz_km"]
    if width > 0 and not line.is_empty:
        dmz = buffer(line, width)
        land = data.land(["UKR", "RUS"])
        # the Ukrainian-held side: Ukraine's land outside the occupied area, and what Ukraine holds in Russia
        ua_side = shapely.union_all([shapely.difference(shapely.intersection(dmz, ukraine), held_by_ru),
                                     shapely.intersection(dmz, front.ua_held_russia)])
        ru_side = shapely.difference(shapely.intersection(dmz, land), ua_side)
        features += [
            measured_feature(f"{NAME}:dmz-ua", f"DMZ, {width:g} km on the Ukrainian-held side", "dmz", ua_side,
                             side="Ukraine-held"),
            measured_feature(f"{NAME}:dmz-ru", f"DMZ, {width:g} km on the Russian-held side", "dmz", ru_side,
                             side="Russia-held"),
        ]
    if p["swap_kharkiv_kursk"]:
        kharkiv = shapely.intersection(held_by_ru, _units("UA-63"))
        kursk = shapely.intersection(front.ua_held_russia, _units("RU-KRS"))
        if kharkiv.area > 0:  # nothing to swap on dates when Russia held none of Kharkiv oblast
            features.append(measured_feature(f"{NAME}:swap-kharkiv", "Swap: Russia returns its part of Kharkiv oblast",
                                             "swap", kharkiv, from_holder="Russia", to_holder="Ukraine"))
        if kursk.area > 0:  # Ukraine held part of Kursk oblast only from Aug 2024
            features.append(measured_feature(f"{NAME}:swap-kursk", "Swap: Ukraine returns its part of Kursk oblast",
                                             "swap", kursk, from_holder="Ukraine", to_holder="Russia"))
    if p["withdraw_donbas"]:
        rest = shapely.difference(_units("UA-14", "UA-09"), held_by_ru)
        features.append(measured_feature(f"{NAME}:withdrawal",
                                         "Ukraine withdraws from the rest of Donetsk and Luhansk oblasts",
                                         "withdrawal", rest, top_settlements=10, from_holder="Ukraine",
                                         to_holder="Russia"))
    if p["referendum_area"]:
        claimed = shapely.difference(_units("UA-23", "UA-65"), held_by_ru)
        features.append(measured_feature(f"{NAME}:referendum",
                                         "Claimed by Russia, held by Ukraine: Zaporizhzhia and Kherson oblasts "
                                         "(referendum area)",
                                         "referendum", claimed, top_settlements=10))
    return SPEC.result(
        p, front.date, features,
        "Occupied area and line of contact from " + front.source + " Line: the edge of the held areas "
        "that faces land held by the other side, never a coast or border (geo.contact). DMZ: geodesic "
        "band of the chosen width on each side of the line (geo.buffer). Swaps and withdrawals: first-level units "
        "(Natural Earth 10m) minus or within the occupied area. People: geo.measure.",
        front_notes(front), approximate=front.approximate, line_of_contact=front.properties(),
        citations=front_citations(front, SOURCES),
    )


SPEC = LayerSpec(
    name=NAME,
    title="Frozen line of contact",
    description=describe(
        "The line of contact frozen on a date in a Korean-style armistice, with a demilitarised "
        "zone on each side (2 km each in Korea) and the territorial options discussed: Russia "
        "returning its part of Kharkiv oblast for Ukraine's part of Kursk oblast; Ukraine "
        "withdrawing from the rest of Donetsk and Luhansk oblasts; the parts of Zaporizhzhia and "
        "Kherson oblasts Russia claims but does not hold (Zaporizhzhia city, over 700,000 people, "
        "and Kherson city) as a referendum area. The built-in line is approximate.",
        SOURCES,
    ),
    parameters=(
        AS_OF,
        Parameter("dmz_km", "float", 2.0, "DMZ width on each side", unit="km", minimum=0.0, maximum=50.0, step=0.5,
                  help="Depth of the demilitarised zone on each side of the line (Korea: 2 km)."),
        Parameter("swap_kharkiv_kursk", "bool", True, "Kharkiv–Kursk swap",
                  help="Russia returns its part of Kharkiv oblast; Ukraine its part of Kursk oblast."),
        Parameter("withdraw_donbas", "bool", False, "Ukraine leaves Donbas",
                  help="Ukraine withdraws from the rest of Donetsk and Luhansk oblasts."),
        Parameter("referendum_area", "bool", False, "Referendum area",
                  help="Ukrainian-held parts of Zaporizhzhia and Kherson oblasts that Russia claims."),
        Parameter("occupied_file", "text", "", "Occupied-area file", hidden=True,
                  help="Path of a DeepStateMap GeoJSON export or ISW KMZ/shapefile to use instead of the "
                       "built-in line."),
        SNAPSHOT,
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={
        "occupied": Role("Held by the other side", "occupied"), "line": Role("Line of contact", "line"),
        "dmz": Role("DMZ", "dmz"), "swap": Role("Swap", "swap"),
        "withdrawal": Role("Ukrainian withdrawal", "withdrawal"), "referendum": Role("Referendum area", "referendum"),
    },
    headline_rules=(
        HeadlineRule("DMZ, Ukrainian-held side", ids=("dmz-ua",)),
        HeadlineRule("DMZ, Russian-held side", ids=("dmz-ru",)),
        HeadlineRule("Withdrawal from Donbas", ids=("withdrawal",)),
        HeadlineRule("Swaps, net to Ukraine", ids=("swap-kharkiv",), minus=("swap-kursk",),
                     note="net: Kharkiv oblast returned minus Kursk oblast returned"),
        HeadlineRule("Referendum area", ids=("referendum",)),
        HeadlineRule("Held by Russia", ids=("occupied",)),
    ),
)
