"""Keyboard behaviour the Streamlit widgets lack: Enter in a date field applies the date.

Streamlit's date field (a segmented field with a calendar pop-up) applies a typed date only
when the pop-up closes or the field loses focus; Enter did nothing, so a typed date seemed
ignored. :func:`enter_applies_dates` adds one page-wide key handler that, on Enter in a date
field, closes the pop-up and leaves the field, which applies the date as a click elsewhere would.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["ENTER_APPLIES_DATES", "enter_applies_dates"]

#: Installed once per page (the flag on the window survives reruns).
ENTER_APPLIES_DATES = """<script>
(() => {
  const win = window.parent || window;
  if (win.__bufferzoneEnterApplies) return;
  win.__bufferzoneEnterApplies = true;
  win.document.addEventListener("keydown", (event) => {
    const field = event.key === "Enter" && event.target.closest
      && event.target.closest('[data-testid="stDateInputField"]');
    if (!field) return;
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true}));
    event.target.blur();
  }, true);
})();
</script>"""


def enter_applies_dates() -> None:
    """Make Enter apply the date typed in any date field of the page (call once per run)."""
    st.html(ENTER_APPLIES_DATES, unsafe_allow_javascript=True)
