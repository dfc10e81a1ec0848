"""A feature's breakdown by country or first-level unit, as the table the app shows.

The shares come typed from the layer (:class:`layers.results.Share`); this only names the
columns for a reader and keeps the numbers as numbers, so the table sorts by them.
No Streamlit here: the app passes the frame to ``st.dataframe``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from layers.results import Share

__all__ = ["breakdown_frame"]


def breakdown_frame(shares: Sequence[Share], *, unit: str) -> pd.DataFrame:
    """One row per country (or unit): its name, code, km² inside the feature, its % inside, people.

    Parameters
    ----------
    shares : sequence of Share
        The feature's ``by_country`` or ``by_admin1``.
    unit : str
        What a row is, as a column header says it ("country", "unit").

    Returns
    -------
    pandas.DataFrame
        Columns ``unit`` (name), ``code``, ``km²`` (geodesic km²), ``% of unit`` (0–100) and
        ``people``, in the layer's order (largest first).
    """
    return pd.DataFrame(
        {unit: [s.name for s in shares], "code": [s.code for s in shares],
         "km²": [round(s.area_km2, 1) for s in shares], f"% of {unit}": [round(s.share_pct, 1) for s in shares],
         "people": [s.people for s in shares]})
