"""The session's map view in the app: fit on first draw and on an added layer, else the user's.

The Streamlit side of :mod:`bufferzone.webapp.viewport`: reads what the browser reported
(``st.session_state["map"]``, st_folium's returned ``center`` and ``zoom``), keeps the
:class:`~bufferzone.webapp.viewport.ViewState` in the session, and writes the view into the
scenario so that the share link and the scenario file carry it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from bufferzone.webapp.scenario import VIEWS, Scenario
from bufferzone.webapp.viewport import MapView, ViewState, bounds_of, fit_token, map_size_px, next_view
from layers import LayerResult

__all__ = ["RETURNED", "session_view"]

#: What st_folium must return for the view to follow the user (and the drawn shapes); ``bounds``
#: is the box shown, which the briefing image takes as its extent.
RETURNED = ["all_drawings", "center", "zoom", "bounds"]
_STATE, _NAMED = "bz_view_state", "bz_named_view"


def session_view(scenario: Scenario, built: Mapping[str, LayerResult], *,
                 map_key: str = "map") -> tuple[MapView, MapView]:
    """The view to draw this run, and where to build the map; updates ``scenario.map_view``.

    The map is built at the anchor (the last fit or requested view) and moved to the view,
    so that a pan does not rebuild the map while a fit does.

    Parameters
    ----------
    scenario : Scenario
        Its ``map_view`` (from a link or file) is honoured on the first draw, and a named
        view newly picked in the sidebar is honoured when picked.
    built : mapping
        The layers drawn this run.
    map_key : str
        The ``key`` of the ``st_folium`` call.
    """
    state: ViewState | None = st.session_state.get(_STATE)
    requested = None
    named_before = st.session_state.get(_NAMED)
    if state is None:
        if scenario.map_view is not None:
            requested = scenario.map_view
        elif scenario.view != "europe":  # a named view the link asked for (the default view fits)
            requested = MapView(*VIEWS[scenario.view])
    elif named_before is not None and scenario.view != named_before:  # just picked in the sidebar
        requested = MapView(*VIEWS[scenario.view])
    reported = st.session_state.get(map_key)
    state = next_view(state, token=fit_token(scenario.layers),
                      bounds=bounds_of(f.geometry for r in built.values() for f in r.features),
                      returned=MapView.from_returned(reported), requested=requested,
                      fallback=MapView(*VIEWS["europe"]), size=map_size_px(reported))
    st.session_state[_STATE] = state
    st.session_state[_NAMED] = scenario.view
    scenario.map_view = state.view
    return state.view, state.anchor
