"""The page's title, what is shown, and notices about the link or the data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.journeys.dataset import Dataset
from routes_dash.ui import cache
from routes_dash.ui.plain import plain


def header(dataset: Dataset, legs: pd.DataFrame, notices: tuple[str, ...]) -> None:
    st.title("Escape routes of North Korean defectors", anchor=False)
    st.caption("Each leg of each journey, with its source and how certain it is. Anonymous "
               "people are never shown more precisely than the data allows; disputed facts "
               "are marked as disputed.")
    st.text(f"Showing {dataset.origin}.")  # may hold a file name: plain text, not markdown
    for notice in notices:
        st.info(plain(notice))  # names what a link asked for
    if legs.empty:
        st.warning("No leg matches the filters. Clear a filter in the sidebar to see more.")
    cells = st.columns(4)
    for cell, (label, value) in zip(cells, _metrics(cache.key_of(legs), legs), strict=True):
        cell.metric(label, f"{value:,}" if isinstance(value, int) else value)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _metrics(key: str, _legs: pd.DataFrame) -> tuple[tuple[str, int | str], ...]:
    legs = _legs
    countries = set(legs["from_country"].unique()) | set(legs["to_country"].unique())
    years = legs["year"].dropna()
    return (
        ("People", legs["person"].nunique()),
        ("Legs", len(legs)),
        ("Countries", len(countries - {""})),
        ("Years", f"{int(years.min())}–{int(years.max())}" if len(years) else "—"),
    )
