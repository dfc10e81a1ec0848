"""The map of a briefing: context, the layers' features, scale bar, north arrow, town labels, locator.

Each geometry is drawn as one compound path (all its parts and holes, exteriors oriented
against their holes so the non-zero fill rule leaves the holes open): a country, a zone or
the whole land mass is one patch, not one per part.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.patches
import matplotlib.patheffects
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from pyproj import Transformer

from bufferzone.briefing.extent import Bounds
from bufferzone.briefing.layout import Box
from bufferzone.briefing.projection import Projector
from bufferzone.styles import LINE_KINDS, feature_style, line_kind
from geo import data
from geo.settings import EUROPE_BBOX
from layers import LayerResult

__all__ = ["MapFrame", "draw_map", "labels", "leaves_data", "scale_bar"]

SEA, LAND = "#dde8f0", "#f4f1ea"
NO_DATA_FILL, NO_DATA_EDGE = "#ececec", "#bbbbbb"
_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
#: Equal-area projection of the locator map (ETRS89-LAEA Europe's parameters on WGS84).
_LOCATOR_CRS = "+proj=laea +lat_0=52 +lon_0=10 +ellps=WGS84 +units=m +no_defs"


@dataclass(frozen=True)
class MapFrame:
    """What :func:`draw_map` drew: the axes, the map furniture, and whether part of the view has no data."""

    ax: Axes
    projector: Projector
    furniture: tuple[Artist, ...]
    outside_data: bool


def _path(geom: shapely.Geometry) -> MplPath | None:
    """One compound path of every polygon part of ``geom`` (holes open), or ``None`` if it has none."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        return None
    verts, codes = [], []
    for poly in shapely.orient_polygons(polys):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            verts.append(xy)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    return MplPath(np.vstack(verts), np.concatenate(codes)) if verts else None


def _dash(pattern: str | None) -> tuple[int, tuple[float, ...]] | str:
    """A Leaflet dash pattern ("6 4", screen pixels) as a matplotlib line style (points at half scale)."""
    if not pattern:
        return "solid"
    return (0, tuple(float(v) / 2 for v in pattern.split()))


def _add(ax: Axes, patch: PathPatch) -> None:
    """Add a patch in data coordinates, skipping ``add_patch``'s update of the data limits.

    That update walks every vertex and was most of a map's drawing time; the limits are set
    from the view anyway.
    """
    patch.set_transform(ax.transData)
    ax.add_artist(patch)


def _lines(geom: shapely.Geometry) -> list[np.ndarray]:
    parts = []
    for part in shapely.get_parts(geom):
        if part.geom_type in ("LineString", "LinearRing") and len(part.coords) >= 2:
            parts.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type == "GeometryCollection":
            parts += _lines(part)
    return parts


def _draw(ax: Axes, geom: shapely.Geometry, *, fill: str | None, edge: str, alpha: float, lw: float,
          dash: str | None = None, z: float = 2, hatch: str | None = None) -> None:
    path = _path(geom)
    if path is not None:
        if fill is not None and alpha > 0:
            _add(ax, PathPatch(path, facecolor=fill, edgecolor="none", alpha=alpha, zorder=z, hatch=hatch))
        if lw > 0 and edge != "none":
            _add(ax, PathPatch(path, facecolor="none", edgecolor=edge, lw=lw, linestyle=_dash(dash), zorder=z + 0.1))
    lines = _lines(geom)
    if lines:
        codes = [np.r_[MplPath.MOVETO, np.full(len(xy) - 1, MplPath.LINETO)] for xy in lines]
        _add(ax, PathPatch(MplPath(np.vstack(lines), np.concatenate(codes)), facecolor="none", edgecolor=edge,
                           lw=lw, linestyle=_dash(dash), zorder=z + 0.2, capstyle="round"))
    points = [p for p in shapely.get_parts(geom) if p.geom_type == "Point"]
    if points:
        ax.plot([p.x for p in points], [p.y for p in points], "o", color=edge, ms=5, zorder=z + 0.3)


def _outside(proj: Projector) -> shapely.Geometry:
    """The part of the projected extent outside the embedded data's box (empty if none to speak of)."""
    x0, y0, x1, y1 = EUROPE_BBOX
    covered = proj.project(shapely.segmentize(shapely.box(x0, y0, x1, y1), 0.5))
    xmin, xmax, ymin, ymax = proj.extent
    outside = shapely.difference(shapely.box(xmin, ymin, xmax, ymax), covered)
    return outside if outside.area > 1e-6 * (xmax - xmin) * (ymax - ymin) else shapely.Polygon()


def leaves_data(bounds: Bounds, aspect: float) -> bool:
    """Whether a map of ``bounds`` grown to the width/height ``aspect`` shows area outside the embedded data."""
    proj = Projector(bounds)
    proj.fit(aspect)
    return not _outside(proj).is_empty


def _context(ax: Axes, proj: Projector) -> bool:
    """Land, borders and the Dnieper; hatch where the embedded data ends. True if the view leaves the data."""
    outside = _outside(proj)
    if not outside.is_empty:
        _draw(ax, outside, fill=NO_DATA_FILL, edge=NO_DATA_EDGE, alpha=1.0, lw=0.3, z=0.5, hatch="////")
    countries = data.countries()
    shown = countries[countries.intersects(proj.clip)]
    land = proj.project(shapely.union_all(shown.geometry.to_numpy()))
    _draw(ax, land, fill=LAND, edge="none", alpha=1.0, lw=0, z=1)
    border = LINE_KINDS["country-border"]
    outlines = shapely.union_all([proj.project(g).boundary for g in shown.geometry])
    _draw(ax, outlines, fill=None, edge=border.colour, alpha=0, lw=border.weight, dash=border.dash, z=1.1)
    river = LINE_KINDS["river"]
    _draw(ax, proj.project(data.dnieper().geometry.iloc[0]), fill=None, edge=river.colour, alpha=0,
          lw=river.weight, dash=river.dash, z=4)
    return not outside.is_empty


def _features(ax: Axes, proj: Projector, results: Sequence[LayerResult]) -> None:
    for r in results:
        for f in r.features:
            shown = proj.project(f.geometry)
            if shown.is_empty:
                continue
            st = feature_style(r.layer, f.role, f.attributes)
            is_line = f.geometry.geom_type in ("LineString", "MultiLineString")
            kind = line_kind(r.layer, f.role)
            # a kind's edge keeps its printed weight; other outlines are drawn a little lighter
            lw = max(st.weight, 0.6) * (0.8 if kind else 0.7) * (1.6 if is_line else 1.0)
            _draw(ax, shown, fill=None if is_line else st.fill, edge=st.edge, alpha=st.fill_opacity, lw=lw,
                  dash=st.dash, z=3 + (1 if is_line else 0))


def scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> list[Artist]:
    """Draw a scale bar in the lower left (true at the map's centre); return its artists."""
    xmin, xmax, ymin, ymax = extent
    target_km = (xmax - xmin) / 1000 / 5
    km = max(k for k in _NICE_KM if k <= max(target_km, 1))
    x, y = xmin + 0.04 * (xmax - xmin), ymin + 0.05 * (ymax - ymin)
    artists: list[Artist] = [
        ax.add_patch(matplotlib.patches.Rectangle((x + i * km * 250, y), km * 250, (ymax - ymin) * 0.008,
                     facecolor="black" if i % 2 == 0 else "white", edgecolor="black", lw=0.6, zorder=20))
        for i in range(4)
    ]
    artists.append(ax.text(x, y + (ymax - ymin) * 0.016, "0", fontsize=7, ha="center", va="bottom", zorder=20))
    artists.append(ax.text(x + km * 1000, y + (ymax - ymin) * 0.016, f"{km:,} km", fontsize=7, ha="center",
                           va="bottom", zorder=20))
    artists.append(ax.text(x, y - (ymax - ymin) * 0.012, "scale true at the map centre", fontsize=6, va="top",
                           color="#444", zorder=20))
    return artists


def _north_arrow(ax: Axes, proj: Projector, extent: tuple[float, float, float, float]) -> list[Artist]:
    """Draw an arrow pointing to true north in the upper right; return its artists."""
    xmin, xmax, ymin, ymax = extent
    x, y = xmax - 0.05 * (xmax - xmin), ymax - 0.12 * (ymax - ymin)
    lon, lat = proj.inv.transform(x, y)
    nx, ny = proj.fwd.transform(lon, min(lat + 0.5, 89.9))
    angle = np.arctan2(nx - x, ny - y)
    length = 0.07 * (ymax - ymin)
    dx, dy = length * np.sin(angle), length * np.cos(angle)
    arrow = ax.annotate("", xy=(x + dx, y + dy), xytext=(x, y), zorder=20,
                        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5})
    letter = ax.text(x + dx * 1.25, y + dy * 1.25, "N", ha="center", va="center", fontsize=10, fontweight="bold",
                     zorder=20)
    return [arrow, letter]


@functools.lru_cache(maxsize=1)
def _locator_land() -> MplPath | None:
    """Europe's land in the locator's projection, simplified to ~5 km (one compound path, cached)."""
    to = Transformer.from_crs("EPSG:4326", _LOCATOR_CRS, always_xy=True)
    land = shapely.union_all(data.countries().geometry.to_numpy())
    land = shapely.transform(land, lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1])))
    return _path(shapely.simplify(land, 5000))


def _locator(fig: Figure, ax: Axes, proj: Projector) -> Axes:
    """A small map of Europe in the map's upper-left corner with the main map's area outlined."""
    box = ax.get_position()
    w = 0.2 * box.width
    h = min(w * fig.get_figwidth() / fig.get_figheight(), 0.3 * box.height)
    inset = fig.add_axes((box.x0 + 0.01 * box.width, box.y1 - h - 0.01 * box.height, w, h), zorder=30)
    inset.set_facecolor(SEA)
    to = Transformer.from_crs("EPSG:4326", _LOCATOR_CRS, always_xy=True)
    x0, y0, x1, y1 = EUROPE_BBOX
    frame = shapely.segmentize(shapely.box(x0, max(y0, 33.0), x1, min(y1, 72.0)), 1.0)
    fx, fy = to.transform(*np.asarray(frame.exterior.coords).T)
    land = _locator_land()
    if land is not None:
        _add(inset, PathPatch(land, facecolor="#bfb8a6", edgecolor="none"))
    view = shapely.segmentize(proj.outline(), 0.5)
    vx, vy = to.transform(*np.asarray(view.exterior.coords).T)
    extent_style = LINE_KINDS["map-extent"]
    inset.fill(vx, vy, facecolor=extent_style.colour, alpha=0.12)
    inset.plot(vx, vy, color=extent_style.colour, lw=extent_style.weight)
    xs, ys = np.asarray(fx), np.asarray(fy)
    cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    half_w, half_h = (xs.max() - xs.min()) / 2, (ys.max() - ys.min()) / 2
    aspect = (w * fig.get_figwidth()) / (h * fig.get_figheight())
    half = max(half_w, half_h * aspect)
    inset.set_xlim(cx - half, cx + half)
    inset.set_ylim(cy - half / aspect, cy + half / aspect)
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_color("#666")
        spine.set_linewidth(0.6)
    return inset


def labels(ax: Axes, proj: Projector, bounds: Bounds, limit: int, furniture: Sequence[Artist]) -> None:
    """Label the largest capitals and cities, none over another label, marker or map furniture.

    Towns are placed in order of importance (capitals first, then by population): each label
    tries the right of its marker, then the left; a town whose label fits nowhere is left out
    and the next one tried, until ``limit`` are placed. ``furniture`` (scale bar, north arrow,
    locator) is kept clear too. Call after the axes' limits are set: placement measures text
    as drawn.
    """
    renderer = ax.figure.canvas.get_renderer()
    towns = data.settlements()
    # a city split by bank (Kyiv, Dnipro): one label, its city's name, at its largest part
    towns = towns[towns["primary_part"]].assign(name=lambda t: t["city"].fillna(t["name"]))
    x0, y0, x1, y1 = bounds
    inside = towns[(towns.geometry.x.between(x0, x1)) & (towns.geometry.y.between(y0, y1))]
    capitals = inside[inside["feature_code"] == "PPLC"].nlargest(limit // 2 + 2, "population")
    cities = inside[inside["feature_code"] != "PPLC"].nlargest(3 * limit, "population")
    frame_box = ax.get_window_extent(renderer)
    taken = [artist.get_window_extent(renderer) for artist in furniture]
    placed = 0
    for frame, capital in ((capitals, True), (cities, False)):
        for name, point in zip(frame["name"], frame.geometry, strict=True):
            if placed >= limit:
                return
            x, y = proj.fwd.transform(point.x, point.y)
            marker = ax.plot(x, y, marker="s" if capital else "o", ms=3.5 if capital else 2.5, color="#222",
                             zorder=15)[0]
            dot = marker.get_window_extent(renderer)
            if any(dot.overlaps(box) for box in taken) or not frame_box.contains(*dot.get_points().mean(axis=0)):
                marker.remove()
                continue
            for ha, text in (("left", f" {name}"), ("right", f"{name} ")):
                label = ax.text(x, y, text, ha=ha, fontsize=7.5 if capital else 6.5,
                                fontweight="bold" if capital else "normal", va="center", color="#222", zorder=15,
                                path_effects=[matplotlib.patheffects.withStroke(linewidth=2, foreground="white")])
                box = label.get_window_extent(renderer)
                clear = not any(box.overlaps(other) for other in taken)
                if (clear and frame_box.x0 <= box.x0 and box.x1 <= frame_box.x1
                        and frame_box.y0 <= box.y0 and box.y1 <= frame_box.y1):
                    taken += [box, dot]
                    placed += 1
                    break
                label.remove()
            else:
                marker.remove()


def draw_map(fig: Figure, box: Box, results: Sequence[LayerResult], bounds: Bounds, *, label_limit: int,
             locator: bool = True) -> MapFrame:
    """Draw the map of ``results`` over ``bounds`` in the figure-fraction ``box`` (x0, y0, x1, y1).

    The projected extent is grown to the box's aspect, so at least ``bounds`` is shown.
    """
    x0, y0, x1, y1 = box
    ax = fig.add_axes((x0, y0, x1 - x0, y1 - y0))
    proj = Projector(bounds)
    width_in, height_in = fig.get_figwidth() * (x1 - x0), fig.get_figheight() * (y1 - y0)
    xmin, xmax, ymin, ymax = proj.fit(width_in / height_in)
    ax.set_facecolor(SEA)
    outside = _context(ax, proj)
    _features(ax, proj, results)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#666")
    furniture: list[Artist] = scale_bar(ax, proj.extent) + _north_arrow(ax, proj, proj.extent)
    if locator:
        furniture.append(_locator(fig, ax, proj))
    labels(ax, proj, bounds, limit=label_limit, furniture=furniture)
    return MapFrame(ax, proj, tuple(furniture), outside)
