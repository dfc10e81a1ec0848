"""Text measured as matplotlib will draw it, and wrapped to a width in pixels."""

from __future__ import annotations

import functools
import re

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

__all__ = ["Measurer"]

#: Where a line may break: after a space, an en dash, a slash or a hyphen (never inside "1,234").
_BREAKS = re.compile(r"(?<=[ –/-])")


class Measurer:
    """Widths and heights of text on one figure, in display pixels."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()
        self.dpi = fig.dpi

    @functools.lru_cache(maxsize=4096)  # noqa: B019 -- one Measurer per page render
    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """Width of one line of ``text`` in pixels."""
        prop = FontProperties(size=size, weight=weight)
        w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return float(w)

    def line_height(self, size: float, spacing: float = 1.2) -> float:
        """Height of one line in pixels at ``size`` points (matplotlib's default line spacing)."""
        return size * spacing * self.dpi / 72.0

    @staticmethod
    def pieces(text: str) -> list[str]:
        """``text`` cut where a line may break (after a space, an en dash, a slash or a hyphen)."""
        return [p for p in _BREAKS.split(text) if p]

    def wrap(self, text: str, size: float, max_px: float, weight: str = "normal") -> list[str]:
        """``text`` broken into lines no wider than ``max_px``, at spaces and hyphens only.

        A single word wider than ``max_px`` is cut by characters as a last resort; the table's
        column widths are chosen so that this does not happen (see ``table.column_widths``).
        """
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for piece in _BREAKS.split(paragraph):
                if not piece:
                    continue
                if self.width((line + piece).rstrip(), size, weight) <= max_px:
                    line += piece
                    continue
                if line.strip():
                    lines.append(line.rstrip())
                line = piece.lstrip()
                while line and self.width(line.rstrip(), size, weight) > max_px:  # cut an over-long word
                    cut = max(1, next((i for i in range(len(line), 0, -1)
                                       if self.width(line[:i], size, weight) <= max_px), 1))
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line.rstrip())
        return lines

    def shorten(self, text: str, size: float, max_px: float, weight: str = "normal") -> str:
        """``text`` cut with "…" to fit ``max_px`` on one line."""
        if self.width(text, size, weight) <= max_px:
            return text
        while text and self.width(text + "…", size, weight) > max_px:
            text = text[:-1]
        return text.rstrip() + "…"
