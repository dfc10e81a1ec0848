"""Briefing images: static maps of layers for slides and documents (PNG and PDF, offline).

A briefing is drawn with matplotlib in a Lambert azimuthal equal-area projection centred on
the area shown (never Web Mercator), over the embedded context (land, borders, the Dnieper,
capitals and key cities), with a legend, a scale bar true at the map's centre, a north
arrow, a title and subtitle (proposals, parameters, as-of date), a compact table of the
figures and a footer with sources, attribution and "approximate" notes. Every number in it
is read from the layer results, so it equals what the library and the app show.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from typing import Literal

import matplotlib
import matplotlib.patches
import matplotlib.patheffects

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from pyproj import Transformer  # noqa: E402

from bufferzone.styles import LAYER_COLOURS, feature_style  # noqa: E402
from geo import data  # noqa: E402
from geo._errors import ParameterError  # noqa: E402
from geo.geodesy import polygon_parts  # noqa: E402
from geo.settings import EUROPE_BBOX  # noqa: E402
from layers import REGISTRY, LayerResult, feature_people  # noqa: E402

__all__ = ["PRESETS", "bounds_for_view", "briefing_subtitle", "default_bounds", "render_briefing"]

Preset = Literal["slide", "a4"]
#: Page sizes in inches: a 16:9 slide and A4 portrait.
PRESETS: dict[str, tuple[float, float]] = {"slide": (13.333, 7.5), "a4": (8.27, 11.69)}
ATTRIBUTION = (
    "Base data: Natural Earth (public domain). Settlements: © GeoNames, CC BY 4.0. Population: official "
    "totals (Ukrstat 1 Jan 2022, Belstat, Rosstat 2021 census, Eurostat, national offices) spread with a "
    "dasymetric model. Distances and areas geodesic on the WGS84 ellipsoid. Map: Lambert azimuthal "
    "equal-area projection centred on the view."
)
_SEA, _LAND, _BORDER, _RIVER = "#dde8f0", "#f4f1ea", "#8a8a8a", "#4a90c2"
_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)


# ------------------------------------------------------------------------------ extent


def default_bounds(results: Sequence[LayerResult], *, pad: float = 0.06) -> tuple[float, float, float, float]:
    """Lon/lat box around the layers' features, kept inside the embedded data's box.

    Returns
    -------
    (min_lon, min_lat, max_lon, max_lat)
    """
    boxes = [f.geometry.bounds for r in results for f in r.features if not f.geometry.is_empty]
    x0, y0, x1, y1 = EUROPE_BBOX
    if boxes:
        arr = np.array(boxes)
        x0, y0 = max(arr[:, 0].min(), EUROPE_BBOX[0]), max(arr[:, 1].min(), EUROPE_BBOX[1])
        x1, y1 = min(arr[:, 2].max(), EUROPE_BBOX[2]), min(arr[:, 3].max(), EUROPE_BBOX[3])
    dx, dy = max(x1 - x0, 0.5), max(y1 - y0, 0.5)
    return (x0 - pad * dx, y0 - pad * dy, x1 + pad * dx, y1 + pad * dy)


def bounds_for_view(lat: float, lon: float, zoom: int, *, width_px: int = 900,
                    height_px: int = 640) -> tuple[float, float, float, float]:
    """Lon/lat box a web map of the given centre, zoom and size shows (Web Mercator tiles)."""
    scale = 256 * 2**zoom
    cx = (lon + 180.0) / 360.0 * scale
    cy = (1 - np.log(np.tan(np.radians(lat)) + 1 / np.cos(np.radians(lat))) / np.pi) / 2 * scale

    def to_lonlat(x: float, y: float) -> tuple[float, float]:
        lon_ = x / scale * 360.0 - 180.0
        lat_ = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / scale))))
        return float(lon_), float(lat_)

    west, north = to_lonlat(cx - width_px / 2, cy - height_px / 2)
    east, south = to_lonlat(cx + width_px / 2, cy + height_px / 2)
    return (west, south, east, north)


# ------------------------------------------------------------------------------ drawing helpers


def _path(poly: shapely.Polygon) -> MplPath:
    verts, codes = [], []
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)[:, :2]
        verts.append(xy)
        codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    return MplPath(np.vstack(verts), np.concatenate(codes))


def _dash(pattern: str | None) -> tuple[int, tuple[float, ...]] | str:
    if not pattern:
        return "solid"
    return (0, tuple(float(v) / 2 for v in pattern.split()))


class _Projector:
    """Lon/lat to a LAEA plane centred on the view, with clipping and densification."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = bounds
        self.lon0, self.lat0 = (x0 + x1) / 2, (y0 + y1) / 2
        self.crs = f"+proj=laea +lat_0={self.lat0:.6f} +lon_0={self.lon0:.6f} +ellps=WGS84 +units=m +no_defs"
        self.fwd = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self.inv = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        dx, dy = x1 - x0, y1 - y0
        outline = shapely.segmentize(shapely.box(*bounds), max(dx, dy) / 50)
        ox, oy = self.fwd.transform(*np.asarray(outline.exterior.coords).T)
        self.extent = (min(ox), max(ox), min(oy), max(oy))
        self._clip_to(self.extent)

    def _clip_to(self, extent: tuple[float, float, float, float]) -> None:
        """Lon/lat box holding everything visible in a projected extent (with a margin)."""
        xmin, xmax, ymin, ymax = extent
        frame = shapely.segmentize(shapely.box(xmin, ymin, xmax, ymax), (xmax - xmin) / 40)
        lon, lat = self.inv.transform(*np.asarray(frame.exterior.coords).T)
        dx, dy = max(lon) - min(lon), max(lat) - min(lat)
        self.clip = shapely.box(min(lon) - 0.05 * dx, max(min(lat) - 0.05 * dy, -89.9),
                                max(lon) + 0.05 * dx, min(max(lat) + 0.05 * dy, 89.9))

    def fit(self, aspect: float) -> tuple[float, float, float, float]:
        """The extent grown in x or y to the axes' width/height ``aspect``, centred."""
        xmin, xmax, ymin, ymax = self.extent
        w, h = xmax - xmin, ymax - ymin
        if w / h < aspect:
            grow = (h * aspect - w) / 2
            self.extent = (xmin - grow, xmax + grow, ymin, ymax)
        else:
            grow = (w / aspect - h) / 2
            self.extent = (xmin, xmax, ymin - grow, ymax + grow)
        self._clip_to(self.extent)
        return self.extent

    def project(self, geom: shapely.Geometry) -> shapely.Geometry:
        geom = shapely.intersection(geom, self.clip)
        if geom.is_empty:
            return geom
        geom = shapely.segmentize(geom, 0.25)
        return shapely.transform(geom, lambda xy: np.column_stack(self.fwd.transform(xy[:, 0], xy[:, 1])))


def _draw(ax, geom: shapely.Geometry, *, fill: str | None, edge: str, alpha: float, lw: float,
          dash: str | None = None, z: float = 2) -> None:
    for poly in polygon_parts(geom):
        if fill is not None and alpha > 0:
            ax.add_patch(PathPatch(_path(poly), facecolor=fill, edgecolor="none", alpha=alpha, zorder=z))
        ax.add_patch(PathPatch(_path(poly), facecolor="none", edgecolor=edge, lw=lw, linestyle=_dash(dash),
                               zorder=z + 0.1))
    for part in shapely.get_parts(geom):
        if part.geom_type in ("LineString", "LinearRing"):
            x, y = np.asarray(part.coords).T[:2]
            ax.plot(x, y, color=edge, lw=lw, linestyle=_dash(dash), zorder=z + 0.2, solid_capstyle="round")
        elif part.geom_type == "Point":
            ax.plot(part.x, part.y, marker="o", color=edge, ms=5, zorder=z + 0.3)


def _scale_bar(ax, extent: tuple[float, float, float, float]) -> list[Artist]:
    """Draw a scale bar in the lower left; return its artists."""
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


def _north_arrow(ax, proj: _Projector, extent: tuple[float, float, float, float]) -> list[Artist]:
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


def _context(ax, proj: _Projector) -> None:
    x0, y0, x1, y1 = EUROPE_BBOX
    covered = proj.project(shapely.segmentize(shapely.box(x0, y0, x1, y1), 0.5))
    xmin, xmax, ymin, ymax = proj.extent
    outside = shapely.difference(shapely.box(xmin, ymin, xmax, ymax), covered)
    if not outside.is_empty:  # no embedded data there: say so rather than draw it as sea
        for poly in polygon_parts(outside):
            ax.add_patch(PathPatch(_path(poly), facecolor="#ececec", edgecolor="#bbbbbb", hatch="////", lw=0.3,
                                   zorder=0.5))
    countries = data.countries()
    land = countries[countries.intersects(proj.clip)]
    for geom in land.geometry:
        _draw(ax, proj.project(geom), fill=_LAND, edge=_BORDER, alpha=1.0, lw=0.4, z=1)
    _draw(ax, proj.project(data.dnieper().geometry.iloc[0]), fill=None, edge=_RIVER, alpha=0, lw=1.2, z=4)


def _labels(ax, proj: _Projector, bounds: tuple[float, float, float, float], limit: int,
            furniture: Sequence[Artist]) -> None:
    """Label the largest capitals and cities, none over another label, marker or map furniture.

    Towns are placed in order of importance (capitals first, then by population): each label
    tries the right of its marker, then the left; a town whose label fits nowhere is left out
    and the next one tried, until ``limit`` are placed. ``furniture`` (scale bar, north arrow)
    is kept clear too. Call after the axes' limits are set: placement measures text as drawn.
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


# ------------------------------------------------------------------------------ text


def briefing_subtitle(results: Sequence[LayerResult]) -> str:
    """The image's subtitle: a stale line of contact first (its date and age), then parameters and the date.

    Examples
    --------
    >>> briefing_subtitle([])
    'as of ...'
    """
    results = list(results)
    as_of = max((r.as_of for r in results), default=None)
    stale: dict[tuple[str, int], list[str]] = {}
    for r in results:
        loc = r.line_of_contact or {}
        if loc.get("loc_stale"):
            stale.setdefault((str(loc.get("loc_date")), int(loc.get("loc_age_days", 0))), []).append(r.title)
    warnings = [f"STALE LINE OF CONTACT of {day}, {age} days older than the as-of date ({', '.join(titles)})"
                for (day, age), titles in stale.items()]
    parts = [*warnings, *(f"{r.title}: {_parameters_text(r)}" for r in results if _parameters_text(r))]
    return " | ".join([*parts, f"as of {as_of.isoformat() if as_of else '...'}"])


def _parameters_text(result: LayerResult) -> str:
    spec = REGISTRY.get(result.layer)
    if spec is None:
        return ""
    parts = []
    for p in spec.parameters:
        if p.name in ("as_of", "geometry", "occupied_file", "label", "snapshot"):
            continue
        if p.name in ("lon", "lat") and result.parameters.get("site") != "custom":
            continue
        if p.name == "range_km" and result.parameters.get("preset") != "custom":
            continue
        value = result.parameters.get(p.name, p.default)
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, float):
            text = f"{value:g}"
        else:
            text = str(value)
        parts.append(f"{p.label} {text}{' ' + p.unit if p.unit and p.unit != '°' else ''}")
    if result.parameters.get("occupied_file"):
        parts.append("line of contact from a user file")
    return "; ".join(parts)


def _people(props: dict) -> str:
    """"1,234 (1,000–1,500) people", or "people: no data" where unknown (never 0)."""
    return "people: no data" if props.get("population") is None else f"{feature_people(props)} people"


def _figure_rows(result: LayerResult, limit: int) -> list[str]:
    rows = []
    for f in result.features:
        p = f.properties
        if f.role in ("site",) or (f.role == "member" and len(result.features) > 12):
            continue
        if p.get("length_km"):
            rows.append(f"{f.name}: {p['length_km']:,.0f} km long")
            continue
        towns = ", ".join(t.split(" (")[0] for t in p.get("largest_settlements", [])[:3])
        rows.append(f"{f.name}: {p.get('area_km2', 0):,.0f} km² · {_people(p)}"
                    + (f" · largest: {towns}" if towns else ""))
    return rows[:limit]


# ------------------------------------------------------------------------------ main entry


def render_briefing(
    results: Sequence[LayerResult],
    *,
    fmt: Literal["png", "pdf"] = "png",
    preset: Preset = "slide",
    bounds: tuple[float, float, float, float] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    dpi: int = 200,
) -> bytes:
    """Render layer results as a briefing image.

    Parameters
    ----------
    results : sequence of LayerResult
        The layers to draw, in drawing order.
    fmt : {"png", "pdf"}
        PNG (raster, ``dpi``) or PDF (vector, text embedded as text).
    preset : {"slide", "a4"}
        16:9 slide (13.33 × 7.5 in) or A4 portrait.
    bounds : (min_lon, min_lat, max_lon, max_lat), optional
        Area to show; default: around the layers' features.
    title, subtitle : str, optional
        Default: the layers' titles; their parameters and the as-of date.
    dpi : int
        Resolution for PNG, ≥ 200.

    Returns
    -------
    bytes
        The PNG or PDF file.

    Raises
    ------
    ParameterError
        For an unknown preset or format, or a dpi under 200.
    """
    if preset not in PRESETS:
        raise ParameterError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
    if fmt not in ("png", "pdf"):
        raise ParameterError(f"format must be png or pdf, got {fmt!r}")
    if dpi < 200:
        raise ParameterError(f"dpi must be at least 200 for briefings, got {dpi}")
    results = list(results)
    bounds = bounds or default_bounds(results)
    if not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise ParameterError(f"bounds must be (min_lon, min_lat, max_lon, max_lat), got {bounds}")
    as_of = max((r.as_of for r in results), default=dt.date.today())
    title = title or " · ".join(r.title for r in results) or "Buffer-zone mapper"
    subtitle = subtitle or briefing_subtitle(results)

    matplotlib.rcParams["pdf.fonttype"] = 42
    width, height = PRESETS[preset]
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer to measure labels with while placing them
    if preset == "slide":
        map_box, side_box, wrap_title, wrap_side, wrap_foot, rows = (
            [0.015, 0.11, 0.60, 0.76], [0.63, 0.11, 0.355, 0.76], 120, 70, 230, 7)
    else:
        map_box, side_box, wrap_title, wrap_side, wrap_foot, rows = (
            [0.04, 0.42, 0.92, 0.46], [0.04, 0.09, 0.92, 0.32], 85, 105, 150, 10)

    fig.text(0.015 if preset == "slide" else 0.04, 0.975, textwrap.shorten(title, 140), fontsize=16, fontweight="bold",
             va="top")
    fig.text(0.015 if preset == "slide" else 0.04, 0.935 if preset == "slide" else 0.955,
             "\n".join(textwrap.wrap(subtitle, wrap_title)[:3]), fontsize=8.5, va="top", color="#333")

    ax = fig.add_axes(map_box)
    proj = _Projector(bounds)
    xmin, xmax, ymin, ymax = proj.fit(map_box[2] * width / (map_box[3] * height))
    ax.set_facecolor(_SEA)
    _context(ax, proj)
    for r in results:
        for f in r.features:
            st = feature_style(r.layer, f.role, f.properties)
            shown = proj.project(f.geometry)
            if shown.is_empty:
                continue
            is_line = f.geometry.geom_type in ("LineString", "MultiLineString")
            _draw(ax, shown, fill=None if is_line else st.fill, edge=st.edge, alpha=st.fill_opacity,
                  lw=max(st.weight, 0.6) * (1.4 if is_line else 0.8), dash=st.dash, z=3)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#666")
    furniture = _scale_bar(ax, (xmin, xmax, ymin, ymax)) + _north_arrow(ax, proj, (xmin, xmax, ymin, ymax))
    _labels(ax, proj, bounds, limit=22 if preset == "slide" else 18, furniture=furniture)

    side = fig.add_axes(side_box)
    side.axis("off")
    handles = []
    for r in results:
        seen = set()
        for f in r.features:
            if f.role in seen or f.role == "site":
                continue
            seen.add(f.role)
            st = feature_style(r.layer, f.role, f.properties)
            if f.geometry.geom_type in ("LineString", "MultiLineString"):
                handles.append(Line2D([], [], color=st.edge, lw=2, label=f"{r.title}: {f.role}"))
            elif f.role != "member":
                handles.append(Patch(facecolor=st.fill, alpha=max(st.fill_opacity, 0.3), edgecolor=st.edge,
                                     label=f"{r.title}: {f.role}"))
        if r.layer == "nato-enlargement":
            handles.append(Patch(facecolor=LAYER_COLOURS[r.layer], alpha=0.5, label="NATO members (darker = older)"))
    handles.append(Line2D([], [], color=_RIVER, lw=1.5, label="Dnieper"))
    handles.append(Patch(facecolor="#ececec", edgecolor="#bbbbbb", hatch="////", label="outside the embedded data"))
    handles.append(Line2D([], [], marker="s", color="#222", lw=0, ms=4, label="capital"))
    legend = side.legend(handles=handles[:14], loc="upper left", fontsize=7.5, frameon=True, title="Legend",
                         title_fontsize=8.5, ncol=1 if preset == "slide" else 2)
    legend.get_frame().set_edgecolor("#999")

    lines = []
    for r in results:
        lines.append(f"■ {r.title} (as of {r.as_of.isoformat()}{', approximate' if r.approximate else ''})")
        lines += ["   " + row for row in _figure_rows(r, rows)]
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, wrap_side, subsequent_indent="      ") or [""]
    side.text(0.0, 0.50 if preset == "slide" else 0.52,
              "Figures\n" + "\n".join(wrapped[:30 if preset == "slide" else 26]),
              fontsize=7.2, va="top", family="DejaVu Sans", transform=side.transAxes)

    sources = []
    for r in results:
        spec = REGISTRY.get(r.layer)
        for src in (spec.sources if spec else ()):
            text = src.short or str(src)
            if src.key == "frontline-data" and (r.line_of_contact or {}).get("loc_source_key", "builtin") != "builtin":
                text = str(r.line_of_contact.get("loc_attribution") or r.line_of_contact.get("loc_source"))
            if text not in sources:
                sources.append(text)
    notes = [n for r in results for n in r.notes]
    footer = "Sources: " + " ".join(f"[{i + 1}] {s}" for i, s in enumerate(sources))
    footer += "  " + ATTRIBUTION
    if any(r.approximate for r in results):
        footer += (" The line of contact is an APPROXIMATE digitisation (settlement positions), "
                   "not an authoritative line.")
    basis = list(dict.fromkeys(b for r in results for f in r.features for b in f.properties.get("population_basis", [])
                               if not b.startswith("settlements:")))
    if basis:
        footer += (" People (range where rural people are spread): " + "; ".join(basis[:6])
                   + ("; …" if len(basis) > 6 else "") + "; settlements: GeoNames, various years.")
    if notes:
        footer += " Notes: " + " ".join(notes)
    foot_lines = textwrap.wrap(footer, wrap_foot)
    fig.text(0.015 if preset == "slide" else 0.04, 0.085 if preset == "slide" else 0.075,
             "\n".join(foot_lines[:9 if preset == "slide" else 12]), fontsize=5.6, va="top", color="#333")
    fig.text(0.985 if preset == "slide" else 0.96, 0.008, f"Buffer-zone mapper · {as_of.isoformat()}",
             fontsize=6, ha="right", va="bottom", color="#666")

    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white")
    return buf.getvalue()
