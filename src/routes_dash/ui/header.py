"""The page's title, what is shown, and notices about the link or the data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.dataset import Dataset


def header(dataset: Dataset, legs: pd.DataFrame, notices: tuple[str, ...]) -> None:
    st.title("Escape routes of North Korean defectors", anchor=False)
    st.caption("Each leg of each journey, with its source and how certain it is. Anonymous "
               "people are never shown more precisely than the data allows; disputed facts "
               "are marked as disputed.")
    for notice in notices:
        st.info(notice)
    if legs.empty:
        st.warning("No leg matches the filters. Clear a filter in the sidebar to see more.")
    countries = set(legs["from_country"]) | set(legs["to_country"])
    years = legs["year"].dropna()
    cells = st.columns(4)
    cells[0].metric("People", legs["person"].nunique())
    cells[1].metric("Legs", len(legs))
    cells[2].metric("Countries", len(countries - {""}))
    cells[3].metric("Years", f"{int(years.min())}–{int(years.max())}" if len(years) else "—")
