"""NATO members as of a date, by accession wave, and the zone of Russia's draft Art. 4."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo import Measurement, data
from geo.figures import rank_settlements
from geo.geodesy import area_km2
from geo.settings import FOUNDING_ACT_DATE
from layers._base import (
    AS_OF,
    Feature,
    HeadlineRule,
    LayerResult,
    LayerSpec,
    Parameter,
    Role,
    describe,
    measured_feature,
)
from layers._sources import DRAFT_EXPLAINED, NATO_MEMBERS, TIME_1997
from layers.results import Figures, People

__all__ = ["EASTERN_FLANK", "SPEC"]

#: The eastern-flank states the commentary names (Art. 7 discussion).
EASTERN_FLANK = ("EST", "LVA", "LTU", "POL", "SVK", "HUN", "ROU", "BGR")

#: German reunification (Einigungsvertrag, in force 3 Oct 1990): before it the Federal Republic,
#: NATO's member, was West Germany only.
REUNIFICATION = dt.date(1990, 10, 3)
#: The former GDR's Länder (ISO 3166-2) and Berlin, which Natural Earth keeps as one unit: all of
#: Berlin is left out before reunification (East Berlin was the GDR's; West Berlin was under the
#: three Western Allies' authority, not Federal territory).
FORMER_GDR_UNITS = ("DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH", "DE-BE")
#: West Berlin's area, km² (Statistisches Landesamt Berlin): named in the note, since the one
#: Berlin unit of the data cannot be split along the sector boundary.
WEST_BERLIN_KM2 = 480

NAME = "nato-enlargement"
SOURCES = (DRAFT_EXPLAINED, TIME_1997, NATO_MEMBERS)


def _people(iso_a3: str, totals: pd.DataFrame) -> People:
    """A member's people from its embedded official total; unknown (not 0) where none is embedded."""
    value = totals["population"].get(iso_a3)
    if value is None or pd.isna(value):
        return People(None, unknown_reason=f"no official population total embedded for {iso_a3}")
    return People(int(value), method=f"official total: {totals['source'].get(iso_a3, 'none')}")


def _build(p: dict[str, Any]) -> LayerResult:
    as_of = p["as_of"]
    members = data.nato_members()
    members = members[members["accession_date"] <= np.datetime64(as_of)]
    countries = data.countries().set_index("iso_a3")
    totals = data.population_countries().set_index("iso_a3")
    after = members["accession_date"] > np.datetime64(FOUNDING_ACT_DATE)
    shown = members[after] if p["show"] == "post-1997" else members
    features: list[Feature] = []
    off_map = []
    notes_before: list[str] = []
    for m in shown.itertuples():
        if m.iso_a3 not in countries.index:
            off_map.append(m.name)
            continue
        c = countries.loc[m.iso_a3]
        geometry, area, name = c.geometry, float(c.area_km2), m.name
        people = _people(m.iso_a3, totals)
        reference_date = totals["reference_date"].get(m.iso_a3)
        if m.iso_a3 == "DEU" and as_of < REUNIFICATION:
            west = _west_germany(c.geometry, area, people)
            geometry, area, name, people = west.geometry, west.area_km2, west.name, west.people
            notes_before.append(west.note)
            reference_date = ", ".join(people.basis) or reference_date
        post = bool(m.accession_date > np.datetime64(FOUNDING_ACT_DATE))
        features.append(Feature(
            f"{NAME}:{m.iso_a3}", name, "member", geometry,
            Figures(round(area, 1), people),
            {
                "iso_a3": m.iso_a3, "accession_date": m.accession_date.date().isoformat(), "wave": m.wave,
                "joined_after_founding_act": post, "draft_article_4_zone": post,
                "eastern_flank": m.iso_a3 in EASTERN_FLANK,
                "population_reference_date": reference_date,
                "clipped_to_map": bool(c.clipped),
            },
        ))
    zone_members = [c for c in members[after]["iso_a3"] if c in countries.index]
    if zone_members:
        features.append(measured_feature(
            f"{NAME}:article-4-zone", "Post-1997 members (draft Art. 4 zone)", "zone",
            data.land(zone_members),
            figures=_whole_countries(zone_members), members=[countries.loc[c, "name"] for c in zone_members],
            member_count=len(zone_members),
        ))
    if p["eastern_flank"]:
        flank = [c for c in EASTERN_FLANK if c in set(members["iso_a3"]) and c in countries.index]
        if flank:
            features.append(measured_feature(
                f"{NAME}:eastern-flank", "Eastern flank named in the commentary", "flank",
                data.land(flank),
                figures=_whole_countries(flank), members=[countries.loc[c, "name"] for c in flank],
            ))
    notes = [
        f"{int(after.sum())} of {len(members)} members on {as_of.isoformat()} joined after "
        f"27 May 1997 (NATO–Russia Founding Act)."
    ]
    notes += notes_before
    if off_map:
        notes.append("Members outside the map (counted, not drawn): " + ", ".join(off_map) + ".")
    return SPEC.result(
        p, as_of, features,
        "Member states from NATO's accession dates; country areas geodesic (Natural Earth 10m, "
        "whole country); populations are official totals; zone figures from geo.measure.",
        notes,
    )


@dataclass(frozen=True)
class _Germany:
    """Germany as a member on a date: outline, geodesic km², name, people and how it was drawn."""

    geometry: Any
    area_km2: float
    name: str
    people: People
    note: str


def _west_germany(germany: Any, area: float, today: People) -> _Germany:
    """Germany before 3 Oct 1990: today's country less the former GDR's units, if the data has them.

    Parameters
    ----------
    germany : shapely geometry
        Today's Germany (lon/lat).
    area : float
        Its geodesic area, km².
    today : People
        Today's Germany's people (official total), used where the Länder are not embedded.

    Returns
    -------
    _Germany
        West Germany (the ten western Länder; Berlin, one unit in the data, left out whole) with
        the sum of those Länder's official totals; or, where the embedded first-level units do
        not include Germany's, today's Germany under a name and note that say so.
    """
    units = data.admin1()
    units = units[units["iso_3166_2"].astype(str).str.startswith("DE-")]
    gdr = units[units["iso_3166_2"].isin(FORMER_GDR_UNITS)]
    if len(gdr) < len(FORMER_GDR_UNITS):
        return _Germany(germany, area, "Germany (today's borders)", today,
                        "Germany is drawn and counted in today's borders: West Germany alone was the member "
                        "until 3 Oct 1990, but the embedded first-level units do not include Germany's Länder "
                        "to cut the former GDR out.")
    west = germany.difference(gdr.geometry.union_all())
    western = sorted(set(units["iso_3166_2"]) - set(FORMER_GDR_UNITS))
    note = ("Before 3 Oct 1990 Germany is West Germany: today's Germany less Brandenburg, "
            "Mecklenburg-Vorpommern, Sachsen, Sachsen-Anhalt, Thüringen and all of Berlin. Berlin is one "
            "unit in the data and cannot be split along the sector boundary, so it is left out whole: "
            "East Berlin was the GDR's, and West Berlin (about "
            f"{WEST_BERLIN_KM2} km², not drawn) was not Federal territory but under the three Western "
            "Allies' supreme authority until 3 Oct 1990. Its people are today's: the official totals "
            "of the ten western Länder, not 1989's.")
    return _Germany(west, area_km2(west), "West Germany (FRG)", _lander_people(western), note)


def _lander_people(codes: list[str]) -> People:
    """The sum of the official totals of the Länder ``codes``; unknown if any is not embedded."""
    if not codes:
        return People(None, unknown_reason="no western Land embedded in the first-level units")
    totals = data.population_admin1().set_index("iso_3166_2")
    missing = [c for c in codes if c not in totals.index]
    if missing:
        return People(None, unknown_reason=f"no official population total embedded for {', '.join(missing)}")
    rows = totals.loc[codes]
    dates = sorted(set(rows["reference_date"]))
    return People(int(rows["population"].sum()), basis=tuple(dates),
                  method=f"sum of the official totals of the {len(codes)} western Länder "
                         f"(data/sources/population_admin1.csv, {', '.join(dates)})")


def _whole_countries(iso3: list[str]) -> Measurement:
    """Figures of whole countries: their areas and official totals added up (no estimate needed)."""
    countries = data.countries().set_index("iso_a3").loc[iso3]
    totals = data.population_countries().set_index("iso_a3")["population"]
    towns = data.settlements()
    towns = towns[towns["iso_a3"].isin(iso3)].nlargest(10, "population")
    by_country = pd.DataFrame({
        "iso_a3": iso3, "name": countries["name"].to_numpy(), "area_km2": countries["area_km2"].to_numpy(),
        "share_pct": 100.0, "population": [int(totals.get(c, 0)) for c in iso3],
    })
    largest = rank_settlements(pd.DataFrame({
        "name": towns["name"].to_numpy(), "iso_a3": towns["iso_a3"].to_numpy(),
        "population": towns["population"].to_numpy(), "share": 1.0,
        "lon": towns.geometry.x.to_numpy(), "lat": towns.geometry.y.to_numpy()}))
    return Measurement(
        float(countries["area_km2"].sum()), int(by_country["population"].sum()),
        "Sum of the member states' official population totals (data/sources/population_countries.csv).",
        (), by_country, pd.DataFrame(), largest, largest,
    )


SPEC = LayerSpec(
    name=NAME,
    title="NATO enlargement after 1997",
    description=describe(
        "NATO members on the chosen date, coloured by accession wave, and the members that joined "
        "after the NATO–Russia Founding Act of 27 May 1997: the zone where Russia's draft agreement "
        "of 17 Dec 2021 (Art. 4) would bar NATO forces and weapons, and to which Russia's envoy "
        "wanted NATO to 'get back'. Optionally the eastern-flank states the commentary names.",
        SOURCES,
    ),
    parameters=(
        AS_OF,
        Parameter("show", "choice", "all", "Members shown", choices=("all", "post-1997"),
                  choice_labels=("All members", "Joined after 27 May 1997"),
                  help="All members, or only those that joined after 27 May 1997."),
        Parameter("eastern_flank", "bool", False, "Eastern flank",
                  help="Also draw the eastern-flank states named in the commentary as one zone."),
    ),
    build_fn=_build,
    sources=SOURCES,
    roles={"member": Role("Member (by accession wave)", "member"),
           "zone": Role("Draft Art. 4 zone (joined after 27 May 1997)", "zone"),
           "flank": Role("Eastern flank", "flank")},
    headline_rules=(
        HeadlineRule("Members on the map ({count})", roles=("member",)),
        HeadlineRule("Draft Art. 4 zone (joined after 1997)", ids=("article-4-zone",)),
        HeadlineRule("Eastern flank", ids=("eastern-flank",)),
    ),
)
