"""Lon/lat to a Lambert azimuthal equal-area plane centred on the area shown (never Web Mercator)."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer

from bufferzone.briefing.extent import Bounds

__all__ = ["Projector"]


class Projector:
    """Lon/lat to a LAEA plane centred on ``bounds``, with clipping and densification.

    ``extent`` is the projected box ``(xmin, xmax, ymin, ymax)`` in metres around the lon/lat
    box (its edges densified, so the box's curved sides are all inside); ``clip`` a lon/lat
    box holding everything visible in it.
    """

    def __init__(self, bounds: Bounds) -> None:
        x0, y0, x1, y1 = bounds
        self.lon0, self.lat0 = (x0 + x1) / 2, (y0 + y1) / 2
        self.crs = f"+proj=laea +lat_0={self.lat0:.6f} +lon_0={self.lon0:.6f} +ellps=WGS84 +units=m +no_defs"
        self.fwd = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self.inv = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        outline = shapely.segmentize(shapely.box(*bounds), max(x1 - x0, y1 - y0) / 50)
        ox, oy = self.fwd.transform(*np.asarray(outline.exterior.coords).T)
        self.extent = (float(min(ox)), float(max(ox)), float(min(oy)), float(max(oy)))
        self._clip_to(self.extent)

    def _clip_to(self, extent: tuple[float, float, float, float]) -> None:
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

    def outline(self) -> shapely.Polygon:
        """The projected extent as a lon/lat polygon (its sides densified), for a locator map."""
        xmin, xmax, ymin, ymax = self.extent
        frame = shapely.segmentize(shapely.box(xmin, ymin, xmax, ymax), (xmax - xmin) / 40)
        lon, lat = self.inv.transform(*np.asarray(frame.exterior.coords).T)
        return shapely.Polygon(np.column_stack([lon, lat]))

    def project(self, geom: shapely.Geometry) -> shapely.Geometry:
        """``geom`` clipped to the view and projected, edges densified to 0.25° first."""
        geom = shapely.intersection(geom, self.clip)
        if geom.is_empty:
            return geom
        geom = shapely.segmentize(geom, 0.25)
        return shapely.transform(geom, lambda xy: np.column_stack(self.fwd.transform(xy[:, 0], xy[:, 1])))
