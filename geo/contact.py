"""The line of contact as the edge of a held area that faces land held by the other side.

An occupied-area file says what one side holds; its outline mixes three kinds of edge: the
front, coasts and international borders. A source's own coast is often kilometres off the
embedded Natural Earth coast (coarser, finer, offset inland or out to sea, with its own
islands and spits), so removing whatever lies near the embedded coast is not enough. Here an
edge is kept only if it faces the other side:

1. **The other side's land** is the embedded land the other side holds near the area
   (Ukraine's land outside the occupied area, plus what Ukraine holds in Russia), cropped to
   a window around the area.
2. **Slivers are not the other side.** A source whose coast or border runs inland of the
   embedded one leaves a thin strip of embedded land between the two that nobody reports
   holding. The other side's land is opened morphologically (shrunk, then grown, by
   ``sliver_km`` with geodesic buffers). Of the thin parts the opening removes, those cut
   off from the rest (islands and spits the source left out, holes in its polygons) are
   dropped, and so are those that touch the embedded coast or an international border and
   run along the held area (the held edge beside them is at least half as long as their
   coast, and mostly parallel to it). The others are kept: the tips of narrow salients, a
   spit like the Arabat Spit crossed end-on by the front, the corner of the other side's
   land where the front meets the coast.
3. **Adjacent edges** — within ``adjacent_km`` of what is left — are front: the two sides'
   land meets there.
4. **Edges across water.** The Dnieper below Kherson, the Dnipro–Buh estuary and the Sivash
   separate the sides by water, so adjacency alone misses them. An edge that is not adjacent
   but lies within ``reach_km`` of the other side's land is front when it *faces* it: the
   geodesic azimuth from the edge to the nearest land of the other side is within
   ``max_angle_deg`` of the edge's outward normal (the normal of the chord over 3 km of the
   outline, so that the teeth of a jagged coast do not turn towards land beside them). A
   coast or border running away from the end of the front has the other side's land beside
   it, not in front of it, and is left out.

Pieces shorter than ``min_piece_km`` are dropped (digitising noise). Distances and azimuths
are geodesic (WGS84); only the window and the densifying step are in degrees.

Limits: a sliver wider than ``2 × sliver_km`` (a source coast more than ~10 km inland of the
embedded one) counts as land of the other side; water wider than ``reach_km`` between the
sides is not crossed; where a source's coast is off the embedded one, each end of the front
may stop short of, or turn along, the coast by up to ~1.5 km (the smoothing); a thin piece of
the other side's land cut off from the rest (an enclave under 10 km across) is dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.buffering import buffer
from geo.geodesy import area_km2, length_km
from geo.settings import GEOD

__all__ = ["ContactSettings", "facing_edge", "other_side_core"]


@dataclass(frozen=True)
class ContactSettings:
    """Tolerances of :func:`facing_edge` (all distances geodesic, km; angle in degrees).

    Attributes
    ----------
    sliver_km : float
        Half the width under which a strip of the other side's land touching a coast or a
        border is a sliver (not held by anyone the source reports): 5 km, strips up to 10 km.
    adjacent_km : float
        An edge this close to the other side's land is adjacent to it (20 m: vertices of
        the same source and the embedded outline's rounding).
    reach_km : float
        How far across water the other side's land may be (6 km: the Dnieper's delta arms
        and the Kinburn strait are 1–4 km wide).
    max_angle_deg : float
        An edge across water faces the other side when the azimuth to its nearest land is
        within this angle of the edge's outward normal.
    min_piece_km : float
        Pieces of the resulting line shorter than this are dropped.
    """

    sliver_km: float = 5.0
    adjacent_km: float = 0.02
    reach_km: float = 6.0
    max_angle_deg: float = 45.0
    min_piece_km: float = 1.0


#: A thin piece touching the coast is a sliver when the held edge along it is at least this
#: share of its coast (a strip between two coasts: about 1; a spit meeting the held area
#: end-on: a few per cent; a corner of the other side's land beside the end of the front: 0).
SLIVER_CONTACT = 0.5
_TOUCH_DEG = 1e-5  # ~1 m: pieces this close touch
_PARALLEL_DEG = 30.0  # a held edge this close to the coast's direction runs along it
_MIN_PIECE_KM2 = 1e-3  # smaller remains of the opening are rounding noise
_SLACK_KM = 0.02  # the opening grows back a little more than it shrank (buffers are true to 0.1 %)
_STEP_DEG = 0.0025  # densifying step of the outline (~0.2–0.3 km)
_SMOOTH_KM = 1.5  # half the stretch of outline whose chord gives the outward normal
_KM_PER_DEG_LAT = 110.0
_MAX_LAT = 70.0


def _window(geom: BaseGeometry, margin_km: float) -> shapely.Polygon:
    """A lon/lat box around ``geom`` that reaches at least ``margin_km`` beyond it."""
    x0, y0, x1, y1 = geom.bounds
    dlat = margin_km / _KM_PER_DEG_LAT
    lat = min(max(abs(y0), abs(y1)) + dlat, _MAX_LAT)
    dlon = margin_km / (_KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return shapely.box(x0 - dlon, y0 - dlat, x1 + dlon, y1 + dlat)


def other_side_core(
    held: BaseGeometry, other: BaseGeometry, outline: BaseGeometry, settings: ContactSettings = ContactSettings()
) -> BaseGeometry:
    """The other side's land near ``held``, without the slivers along coasts and borders.

    Parameters
    ----------
    held : shapely geometry
        The area whose front is wanted (lon/lat polygons).
    other : shapely geometry
        Land held by the other side (may reach far beyond ``held``; it is cropped).
    outline : shapely geometry
        Embedded coastlines and international borders (lines or polygon boundaries).
    settings : ContactSettings

    Returns
    -------
    shapely geometry
        Polygons, lon/lat; empty when the other side holds no land near ``held``.
    """
    s = settings
    window = _window(held, s.reach_km + 2 * s.sliver_km + 10.0)
    near = _polygons(shapely.intersection(shapely.make_valid(other), window))
    if near.is_empty:
        return near
    eroded = buffer(near, s.sliver_km, side="inside")
    opened = shapely.Polygon() if eroded.is_empty else \
        _polygons(shapely.intersection(buffer(eroded, s.sliver_km + _SLACK_KM, side="outside"), near))
    thin = [p for p in shapely.get_parts(shapely.difference(near, opened))
            if p.geom_type == "Polygon" and p.is_valid and area_km2(p) > _MIN_PIECE_KM2]
    if not thin:
        return opened
    coast = shapely.intersection(shapely.boundary(outline) if outline.geom_type.endswith("Polygon") else outline,
                                 window)
    # the rest of the other side's land: what survived the opening, and whatever goes on beyond the window
    beyond = shapely.union_all([opened, shapely.boundary(window)])
    slivers = _slivers(np.asarray(thin, dtype=object), held, beyond, coast)
    return _polygons(shapely.union_all([opened, *(p for p, gone in zip(thin, slivers, strict=True) if not gone)]))


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    """The polygon parts of a geometry (overlay results may carry stray lines and points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _slivers(pieces: np.ndarray, held: BaseGeometry, rest: BaseGeometry, coast: BaseGeometry) -> np.ndarray:
    """Which thin pieces of the other side's land are slivers nobody reports holding.

    A thin piece cut off from the rest of the other side's land is one (an island or spit
    the source left out, a hole in its polygons); so is one that touches a coast or border
    and runs along the held area: the
    held edge it touches is at least :data:`SLIVER_CONTACT` of its coast, and at least that
    share of that edge runs along the coast (a strip between the source's coast and the
    embedded one). A spit meeting the held area end-on, or the corner of the other side's
    land where the front meets the coast at an angle, is kept.
    """
    shapely.prepare(coast)
    at_coast = shapely.dwithin(pieces, coast, _TOUCH_DEG)
    attached = shapely.dwithin(pieces, rest, _TOUCH_DEG)
    out = ~attached
    check = np.flatnonzero(at_coast & attached)
    if len(check):
        edge = shapely.boundary(held)
        grown = shapely.buffer(pieces[check], _TOUCH_DEG)
        contacts = shapely.intersection(edge, grown)
        contact = np.array([length_km(g) for g in contacts])
        shore = np.array([length_km(g) for g in shapely.intersection(coast, grown)])
        parallel = np.array([_parallel_share(c, coast) for c in contacts])
        out[check] = (contact >= SLIVER_CONTACT * shore) & (parallel >= SLIVER_CONTACT)
    return out


def _parallel_share(contact: BaseGeometry, coast: BaseGeometry) -> float:
    """Share of a held edge that runs within :data:`_PARALLEL_DEG` of the direction of the nearest coast.

    A strip between the source's coast and the embedded one has its held edge along the
    coast; the end of a front meeting the coast at an angle (the Arabat Spit's crossing, a
    corner of the other side's land) does not.
    """
    xy = shapely.get_coordinates(shapely.segmentize(shapely.line_merge(contact), 10 * _STEP_DEG))
    parts = [shapely.get_coordinates(g) for g in shapely.get_parts(shapely.segmentize(shapely.line_merge(contact),
                                                                                     10 * _STEP_DEG))]
    seg = [np.stack([c[:-1], c[1:]], axis=1) for c in parts if len(c) > 1]
    if not seg or len(xy) < 2:
        return 0.0
    seg = np.concatenate(seg)
    mid = seg.mean(axis=1)
    scale = np.array([math.cos(math.radians(float(mid[:, 1].mean()))), 1.0])
    d = (seg[:, 1] - seg[:, 0]) * scale
    coast_parts = [shapely.get_coordinates(g) for g in shapely.get_parts(coast)]
    coast_seg = np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in coast_parts if len(c) > 1])
    tree = shapely.STRtree(shapely.linestrings(coast_seg * scale))
    nearest = tree.query_nearest(shapely.points(mid * scale), all_matches=False)[1]
    e = (coast_seg[nearest, 1] - coast_seg[nearest, 0]) * scale
    cos = np.abs(np.sum(d * e, axis=1)) / np.maximum(np.hypot(*d.T) * np.hypot(*e.T), 1e-15)
    weight = np.hypot(*d.T)
    return float(np.sum(weight * (cos >= math.cos(math.radians(_PARALLEL_DEG)))) / max(np.sum(weight), 1e-15))


def facing_edge(
    held: BaseGeometry, other: BaseGeometry, outline: BaseGeometry, settings: ContactSettings = ContactSettings()
) -> BaseGeometry:
    """The part of ``held``'s outline that faces land held by the other side.

    Parameters
    ----------
    held : shapely geometry
        The held area (lon/lat polygons), e.g. the occupied part of Ukraine.
    other : shapely geometry
        Land held by the other side (e.g. Ukraine's land outside ``held``).
    outline : shapely geometry
        Embedded coastlines and international borders: slivers of ``other`` touching them
        are not the other side (see the module docstring).
    settings : ContactSettings
        Tolerances.

    Returns
    -------
    shapely.LineString or MultiLineString
        Lon/lat, merged; empty if no edge faces the other side.

    Examples
    --------
    >>> import shapely
    >>> land = shapely.box(30.0, 47.0, 32.0, 48.0)
    >>> held = shapely.box(31.0, 47.0, 32.0, 48.0)          # the eastern half, coasts all round
    >>> front = facing_edge(held, shapely.difference(land, held), land)
    >>> [round(c, 3) for c in front.bounds]                   # the meridian 31°E between the halves
    [31.0, 47.0, 31.0, 48.0]
    """
    s = settings
    empty = shapely.MultiLineString()
    if held.is_empty:
        return empty
    core = other_side_core(held, other, outline, s)
    if core.is_empty:
        return empty
    a, b, keep = _classify(held, core, s)
    if not keep.any():
        return empty
    segments = shapely.linestrings(np.stack([a[keep], b[keep]], axis=1))
    merged = shapely.line_merge(shapely.union_all(segments))
    kept = [p for p in shapely.get_parts(merged) if length_km(p) >= s.min_piece_km]
    if not kept:
        return empty
    return kept[0] if len(kept) == 1 else shapely.MultiLineString(kept)


def _classify(held: BaseGeometry, core: BaseGeometry, s: ContactSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The held outline cut into short segments, and which of them face the other side.

    Returns the segments' start and end points (n × 2 lon/lat) and a boolean mask: adjacent
    to ``core`` (its nearest point within ``adjacent_km``) or facing it across water (within
    ``reach_km``, and the azimuth to it within ``max_angle_deg`` of the outward normal). The
    normal is that of the chord between the outline's points 1.5 km before and after along
    it, so that the teeth of a jagged coast do not turn towards the other side's land
    beside them.
    """
    starts, ends, before, after = [], [], [], []
    polygons = [shapely.geometry.polygon.orient(p, 1.0) for p in shapely.get_parts(held) if p.geom_type == "Polygon"]
    for ring in (r for p in polygons for r in (p.exterior, *p.interiors)):
        xy = shapely.get_coordinates(shapely.segmentize(ring, _STEP_DEG))
        a, b = xy[:-1], xy[1:]
        step_km = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2] / 1e3
        along = np.concatenate([[0.0], np.cumsum(step_km)])
        total = along[-1]
        mid = (along[:-1] + along[1:]) / 2
        half = min(_SMOOTH_KM, total / 4)
        # the closed ring's points at mid ∓ half (wrapping round), interpolated in lon/lat
        for shift, out in ((-half, before), (half, after)):
            at = (mid + shift) % total if total > 0 else mid
            out.append(np.column_stack([np.interp(at, along, xy[:, 0]), np.interp(at, along, xy[:, 1])]))
        starts.append(a)
        ends.append(b)
    a, b = np.concatenate(starts), np.concatenate(ends)
    p0, p1 = np.concatenate(before), np.concatenate(after)
    mid = (a + b) / 2
    keep = np.zeros(len(mid), dtype=bool)

    lat0 = float(np.mean(mid[:, 1]))
    scale = np.array([math.cos(math.radians(lat0)), 1.0])  # a locally square plane to pick the nearest edge
    outline = shapely.segmentize(shapely.boundary(core), 10 * _STEP_DEG)
    parts = [shapely.get_coordinates(r) for r in shapely.get_parts(outline)]
    seg = np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in parts if len(c) > 1])
    tree = shapely.STRtree(shapely.linestrings(seg * scale))
    reach_deg = 1.2 * s.reach_km / _KM_PER_DEG_LAT
    hit, _ = tree.query_nearest(shapely.points(mid * scale), max_distance=reach_deg, return_distance=True)
    if hit.shape[1] == 0:
        return a, b, keep
    which, first = np.unique(hit[0], return_index=True)  # one nearest core edge per segment (ties: the first)
    edge_idx = hit[1][first]
    nearest = shapely.get_coordinates(
        shapely.shortest_line(shapely.points(mid[which] * scale), shapely.linestrings(seg[edge_idx] * scale)))
    q = nearest[1::2] / scale
    m = mid[which]
    to_az, _, dist = GEOD.inv(m[:, 0], m[:, 1], q[:, 0], q[:, 1])
    # outward is to the right of a ring oriented with the area on its left; azimuth of the chord + 90°
    chord_az, _, chord = GEOD.inv(p0[which, 0], p0[which, 1], p1[which, 0], p1[which, 1])
    seg_az = GEOD.inv(a[which, 0], a[which, 1], b[which, 0], b[which, 1])[0]
    normal_az = np.where(chord > 0, chord_az, seg_az) + 90.0
    angle = np.abs((to_az - normal_az + 180.0) % 360.0 - 180.0)
    adjacent = dist <= s.adjacent_km * 1e3
    facing = (dist <= s.reach_km * 1e3) & (angle <= s.max_angle_deg)
    keep[which] = adjacent | facing
    return a, b, keep
