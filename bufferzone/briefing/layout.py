"""Page layouts, one per preset: where the header, map, legend, figures table and footer go.

Boxes are ``(x0, y0, x1, y1)`` fractions. A variant's boxes are fractions of the *body*, the
part of the page between the measured header and the measured footer, so nothing placed in
the body can reach the footer. Variants are tried in order, the largest map first; the
figures table flows through a variant's panels (below the legend in the first) and, when
even the last variant's panels are full, on to continuation pages of ``pages_columns``
columns.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LAYOUTS", "PRESETS", "Box", "Layout", "Variant"]

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Variant:
    """One arrangement of the body: the map's box and the panels for legend and table."""

    map: Box
    panels: tuple[Box, ...]


@dataclass(frozen=True)
class Layout:
    """A page preset.

    Attributes
    ----------
    size_in : (float, float)
        Page width and height in inches.
    margin_in : float
        Margin on every side, inches.
    variants : tuple of Variant
    continuation_columns : int
        Table columns on a continuation page.
    table_fonts : tuple of float
        Table font sizes tried in turn, points (the largest that fits is used).
    legend_share : float
        Most of the first panel's height the legend may take.
    """

    size_in: tuple[float, float]
    margin_in: float
    variants: tuple[Variant, ...]
    continuation_columns: int
    table_fonts: tuple[float, ...] = (7.5, 7.0, 6.5, 6.0, 5.5)
    legend_share: float = 0.45
    title_pt: float = 16.0
    subtitle_pt: float = 8.5
    footer_fonts: tuple[float, ...] = (5.8, 5.4, 5.0)
    footer_share: float = 0.16
    labels: int = 22


_SIDE = (Variant((0.0, 0.0, 0.60, 1.0), ((0.62, 0.0, 1.0, 1.0),)),
         Variant((0.0, 0.0, 0.46, 1.0), ((0.48, 0.0, 0.735, 1.0), (0.745, 0.0, 1.0, 1.0))))
LAYOUTS: dict[str, Layout] = {
    "slide": Layout((13.333, 7.5), 0.2, _SIDE, 3),
    "a4": Layout((8.27, 11.69), 0.3, (
        Variant((0.0, 0.36, 1.0, 1.0), ((0.0, 0.0, 1.0, 0.34),)),
        Variant((0.0, 0.47, 1.0, 1.0), ((0.0, 0.0, 1.0, 0.45),)),
        Variant((0.0, 0.58, 1.0, 1.0), ((0.0, 0.0, 0.49, 0.56), (0.51, 0.0, 1.0, 0.56))),
    ), 2, legend_share=0.4, footer_share=0.12, labels=18),
    "a4-landscape": Layout((11.69, 8.27), 0.25, (
        Variant((0.0, 0.0, 0.58, 1.0), ((0.60, 0.0, 1.0, 1.0),)),
        Variant((0.0, 0.0, 0.44, 1.0), ((0.46, 0.0, 0.725, 1.0), (0.735, 0.0, 1.0, 1.0))),
    ), 3, labels=20),
}
#: Page sizes in inches: a 16:9 slide, A4 portrait and A4 landscape.
PRESETS: dict[str, tuple[float, float]] = {name: layout.size_in for name, layout in LAYOUTS.items()}
