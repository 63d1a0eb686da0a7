"""The few page rules Streamlit has no option for, as constant CSS (nothing from data).

Colours and heading sizes are in `.streamlit/config.toml` ([theme]); this adds only what the
theme cannot say: less blank space above the title, a visible focus ring on everything the
keyboard reaches (the map's own), tabs and the map's colour choices that wrap on a phone
instead of hiding behind a scroll, and a wide diagram that scrolls sideways on a phone
rather than squeezing its labels together. One style element for the whole page: each
element costs every click a few tenths of a millisecond.
"""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* The map's top in the first screen of a 1280×720 projector: less room above the title. */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
/* Everything the keyboard reaches shows where it is; the map's ring is wider. */
:focus-visible { outline: 3px solid #0f6fb3 !important; outline-offset: 2px; }
.st-key-route_map_box [data-testid="stDeckGlJsonChart"]:has(:focus-visible),
.st-key-route_map_box [data-testid="stDeckGlJsonChart"]:focus-visible {
  outline: 3px solid #0b57d0; outline-offset: 3px; border-radius: 4px; }
/* The map's colour choices wrap on a phone rather than run off the screen. */
.st-key-map_colour_by { max-width: 100%; }
.st-key-map_colour_by [data-testid="stButtonGroup"] > div { flex-wrap: wrap; row-gap: 0.25rem; }
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
