"""Form widgets drawn from parameter declarations: the sidebar's and the Compare tab's B form."""

from __future__ import annotations

from typing import Any

import streamlit as st

from layers import Parameter

__all__ = ["number_format", "parameter_widget", "slider_step"]


def slider_step(p: Parameter) -> float:
    """The parameter's slider step, made finer if its grid would miss the default or the maximum.

    The browser's slider stops only on ``minimum + k * step``: a 1–500 km slider in steps of 5
    could never return to 100 km and offered 96 or 101 km instead.
    """
    for step in (float(p.step or 1.0), 1.0, 0.5, 0.1):
        if all(abs((v - p.minimum) / step - round((v - p.minimum) / step)) < 1e-9 for v in (p.default, p.maximum)):
            return step
    return float(p.step or 1.0)


def number_format(p: Parameter, step: float) -> str:
    """The printf format a number widget shows its value in (``"%.0f"``, never Streamlit's ``"%0.2f"``).

    The parameter's declared ``display``, else as many decimals as the step has: ``"%.0f"`` for
    5 km steps ("100 km", not "100.00 km"), ``"%.1f"`` for 0.5 km.
    """
    if p.display:
        return p.display
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return f"%.{decimals}f"


def parameter_widget(p: Parameter, value: Any, *, key: str) -> Any:
    """The form widget of a declared parameter (slider, number field, checkbox, select, text or date).

    Parameters
    ----------
    p : Parameter
        Its declaration: kind, range, unit, labels of its choices, display format.
    value : Any
        The value shown first.
    key : str
        The widget's session-state key.

    Returns
    -------
    Any
        The value the widget holds now.
    """
    label = f"{p.label} ({p.unit})" if p.unit and p.unit != "°" else p.label
    if p.kind == "float":
        if p.maximum - p.minimum > 1000 or p.unit == "°":
            step = float(p.step or 1.0)  # degrees are typed to 4 decimals (about 10 m)
            return st.number_input(label, float(p.minimum), float(p.maximum), float(value), step=step,
                                   format=p.display or ("%.4f" if p.unit == "°" else number_format(p, step)),
                                   key=key, help=p.help)
        step = slider_step(p)
        return st.slider(label, float(p.minimum), float(p.maximum), float(value), step=step,
                         format=number_format(p, step), key=key, help=p.help)
    if p.kind == "int":
        return st.number_input(label, int(p.minimum), int(p.maximum), int(value), step=1, key=key, help=p.help)
    if p.kind == "bool":
        return st.checkbox(label, bool(value), key=key, help=p.help)
    if p.kind == "choice":
        return st.selectbox(label, p.choices, index=p.choices.index(value), format_func=p.choice_label, key=key,
                            help=p.help)
    if p.kind == "text":
        return st.text_input(label, str(value), key=key, help=p.help)
    if p.kind == "date":
        return st.date_input(label, value, min_value=p.minimum, max_value=p.maximum, key=key, help=p.help)
    return value
