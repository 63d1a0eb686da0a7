"""The few page rules Streamlit has no option for, as constant CSS (nothing from data).

Colours and heading sizes are in `.streamlit/config.toml` ([theme]); this adds only what the
theme cannot say: less blank space above the title, a visible focus ring on everything the
keyboard reaches, and tabs that wrap on a phone instead of hiding behind a scroll.
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
}
</style>
"""


def apply() -> None:
    st.html(CSS)
