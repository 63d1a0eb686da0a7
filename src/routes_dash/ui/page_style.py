"""The few page rules Streamlit has no option for, as constant CSS (nothing from data).

Colours and heading sizes are in `.streamlit/config.toml` ([theme]); this adds only what the
theme cannot say: less blank space above the title, a visible focus ring on everything the
keyboard reaches, tabs that wrap on a phone instead of hiding behind a scroll, and a wide
diagram that scrolls sideways on a phone rather than squeezing its labels together.
"""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* The map's top in the first screen of a 1280×720 projector: less room above the title. */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
/* Everything the keyboard reaches shows where it is. */
:focus-visible { outline: 3px solid #0f6fb3 !important; outline-offset: 2px; }
/* A phone shows every tab: they wrap onto a second row rather than scroll out of sight. */
@media (max-width: 640px) {
  [data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; row-gap: 0.25rem; }
  /* A diagram too wide for a phone keeps its width and scrolls sideways (ui/overview.py). */
  [class*="st-key-scroll_"] > [data-testid="stElementContainer"] { overflow-x: auto; }
  [class*="st-key-scroll_"] [data-testid="stFullScreenFrame"] { min-width: 640px; }
}
</style>
"""


def apply() -> None:
    st.html(CSS)
