"""The page's title, the view in words, and notices about the link or the data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.journeys.dataset import BUNDLED_ORIGIN, Dataset
from routes_dash.journeys.describe import view_summary
from routes_dash.ui import cache
from routes_dash.ui.plain import plain

# The header's sentence is in a container of this key (`.st-key-view` in the browser).
VIEW = "view"


def header(dataset: Dataset, legs: pd.DataFrame, notices: tuple[str, ...]) -> None:
    """Compact, so that the map starts in the first screen of a 1280×720 projector."""
    st.title("Escape routes of North Korean defectors", anchor=False)
    with st.container(key=VIEW):
        if legs.empty:
            st.warning("No leg matches the filters. Clear a filter in the sidebar to see more.")
        else:
            # Names come from the data: shown as written, never as markdown.
            st.markdown(f"**{plain(_summary(cache.key_of(legs), legs))}**")
    if dataset.origin != BUNDLED_ORIGIN:
        st.text(f"Data: {dataset.origin}.")  # may hold a file name: plain text, not markdown
    st.caption("Every leg carries its source and how certain it is; anonymous people are never "
               "shown more precisely than the data allows; disputed facts are marked.")
    for notice in notices:
        st.info(plain(notice))  # names what a link asked for


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _summary(key: str, _legs: pd.DataFrame) -> str:
    return view_summary(_legs)
