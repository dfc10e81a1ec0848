"""What changed hands between two snapshots of the line of contact: land and towns.

Russia gained what it holds in Ukraine on the later date and did not on the earlier one, plus
what Ukraine held in Russia (Kursk oblast) earlier and no longer does; Ukraine gained the
reverse. The two gains never overlap, and their difference is the change of the Russian-held
area in Ukraine less the change of the Ukrainian-held area in Russia.

Two snapshots from different sources draw the same coast differently: the thin strips
(narrower than ``2 × sliver_km``, 10 km) along the sea coast by which they differ there are
not changes of control and are left out (they are kept between snapshots of one source,
which share their coasts). Strips along a land border that do not reach the coast are kept:
a source drawing its border inside the embedded one cannot be told from a strip seized
along the border (Sumy oblast, 2025), and the change is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import data
from geo._errors import ParameterError
from geo.buffering import buffer
from geo.figures import measure
from geo.frontline import Frontline
from geo.geodesy import area_km2

__all__ = ["ControlChange", "control_change"]

#: Ukraine, Russia and their neighbours: the boundary of their union is the sea coast.
_REGION = ("UKR", "RUS", "BLR", "POL", "SVK", "HUN", "ROU", "MDA")


@dataclass(frozen=True)
class ControlChange:
    """Land and towns that changed hands between two snapshots.

    Attributes
    ----------
    before, after : Frontline
        The earlier and the later snapshot.
    gained_by_russia, gained_by_ukraine : shapely geometry
        Lon/lat polygons (possibly empty); they do not overlap.
    towns_gained_by_russia, towns_gained_by_ukraine : pandas.DataFrame
        Settlements (GeoNames cities500) inside each gain: ``name``, ``iso_a3``,
        ``population`` (people, GeoNames), ``lon``, ``lat``; largest first.
    net_km2 : float
        Change of Russia's holdings, km²: gained by Russia less gained by Ukraine (geodesic).
    """

    before: Frontline
    after: Frontline
    gained_by_russia: BaseGeometry
    gained_by_ukraine: BaseGeometry
    towns_gained_by_russia: pd.DataFrame
    towns_gained_by_ukraine: pd.DataFrame
    net_km2: float


def control_change(before: Frontline, after: Frontline, *, sliver_km: float = 5.0) -> ControlChange:
    """Who gained what between two snapshots.

    Parameters
    ----------
    before, after : Frontline
        Two snapshots, the earlier first (e.g. from :func:`geo.frontline.frontline_on`).
    sliver_km : float
        Between snapshots of different sources, strips along the sea coast narrower than
        twice this (km, geodesic) are taken for differences of drawing, not of control.

    Returns
    -------
    ControlChange

    Raises
    ------
    ParameterError
        If ``after`` is not later than ``before``.

    Examples
    --------
    >>> import datetime as dt
    >>> from geo.frontline import frontline_on
    >>> change = control_change(frontline_on(dt.date(2022, 2, 23)), frontline_on(dt.date(2022, 11, 12)))
    >>> "Mariupol" in set(change.towns_gained_by_russia["name"])
    True
    """
    if after.date <= before.date:
        raise ParameterError(
            f"the later snapshot ({after.date.isoformat()}) must be after the earlier one "
            f"({before.date.isoformat()}): choose a 'to' date whose line is newer than the 'from' date's"
        )
    to_russia = shapely.union_all([shapely.difference(after.occupied, before.occupied),
                                   shapely.difference(before.ua_held_russia, after.ua_held_russia)])
    to_ukraine = shapely.union_all([shapely.difference(before.occupied, after.occupied),
                                    shapely.difference(after.ua_held_russia, before.ua_held_russia)])
    to_russia, to_ukraine = _polygons(to_russia), _polygons(to_ukraine)
    if before.source != after.source:
        to_russia, to_ukraine = (_without_coastal_strips(g, sliver_km) for g in (to_russia, to_ukraine))
    return ControlChange(
        before, after, to_russia, to_ukraine, _towns(to_russia), _towns(to_ukraine),
        area_km2(to_russia) - area_km2(to_ukraine),
    )


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0] if parts else shapely.Polygon()


def _towns(geom: BaseGeometry) -> pd.DataFrame:
    if geom.is_empty:
        return pd.DataFrame({"name": [], "iso_a3": [], "population": np.array([], dtype="int64"),
                             "lon": [], "lat": []})
    return measure(geom, breakdown=False).settlements.reset_index(drop=True)


def _without_coastal_strips(geom: BaseGeometry, sliver_km: float) -> BaseGeometry:
    """``geom`` less its parts narrower than ``2 × sliver_km`` that touch the sea coast."""
    if geom.is_empty:
        return geom
    eroded = buffer(geom, sliver_km, side="inside")
    opened = shapely.Polygon() if eroded.is_empty else shapely.intersection(
        buffer(eroded, sliver_km + 0.02, side="outside"), geom)
    outline = shapely.boundary(data.land(_REGION))  # the sea coast: land borders inside the region vanish
    shapely.prepare(outline)
    thin = [p for p in shapely.get_parts(shapely.difference(geom, opened)) if p.geom_type == "Polygon"]
    keep = [p for p in thin if not shapely.dwithin(p, outline, 1e-5)]
    return _polygons(shapely.union_all([opened, *keep]))
