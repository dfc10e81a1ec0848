"""What an untrusted vector file may contain, checked before any expensive work.

Every limit is checked while the input is parsed (or, for archives, from the archive's
directory before anything is unpacked), so a file past a limit is refused in about the time
it takes to read it, never after minutes of geometry work. The README's "What is validated"
table lists the same numbers; :data:`DEFAULT_LIMITS` is the one place they are set.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclass(frozen=True)
class Limits:
    """Upper bounds on one input file.

    Attributes
    ----------
    max_bytes : int
        Largest file accepted, bytes (decimal: 50,000,000 is "50 MB").
    max_unpacked_bytes : int
        Largest total size of an archive's members, bytes.
    max_zip_ratio : float
        Largest ratio of unpacked to packed size of an archive (decompression bombs).
    max_archive_members : int
        Most members in an archive.
    max_features : int
        Most features in a file.
    max_vertices : int
        Most coordinate pairs in a file, all features together.
    max_parts : int
        Most polygons, lines or points in one feature, plus holes (rings) of its polygons.
    max_total_parts : int
        The same, counted over all features of the file (measuring and buffering cost grows
        with it: 10,000 small polygons measure in about 5 s on the reference machine).
    max_property_keys : int
        Most distinct property names over all features (each becomes a table column).
    max_nesting : int
        Deepest nesting of JSON objects and arrays inside a property value.
    max_text_chars : int
        Longest property value or name kept as text, characters.
    """

    max_bytes: int = 50_000_000
    max_unpacked_bytes: int = 200_000_000
    max_zip_ratio: float = 100.0
    max_archive_members: int = 1_000
    max_features: int = 10_000
    max_vertices: int = 1_000_000
    max_parts: int = 500
    max_total_parts: int = 10_000
    max_property_keys: int = 500
    max_nesting: int = 32
    max_text_chars: int = 100_000

    def mb(self, size: int) -> str:
        """A byte count in decimal megabytes, as the limits are stated (``"50 MB"``)."""
        return f"{size / 1e6:,.1f} MB" if size % 1_000_000 else f"{size // 1_000_000:,} MB"


#: The limits every entry point applies unless a caller passes its own.
DEFAULT_LIMITS = Limits()
