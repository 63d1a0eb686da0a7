"""People and sources: who each person is, and every leg with its certainty and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash import journeys
from routes_dash.dataset import Dataset

FLAGS = {"disputed": "⚠ disputed", "uncertain": "uncertain"}


def show(dataset: Dataset, legs: pd.DataFrame) -> None:
    shown = dataset.people[dataset.people["person"].isin(legs["person"])]
    for person in shown.itertuples():
        st.subheader(str(person.name), anchor=False)
        if person.anonymized:
            st.caption("Anonymised: shown no finer than a province, at most.")
        summary = getattr(person, "summary", "")
        if summary:
            st.text(summary)
    st.subheader("Every leg, with its certainty and source", anchor=False)
    st.dataframe(
        legs_table(legs), hide_index=True, width="stretch", key="legs_table",
        column_config={
            "link": st.column_config.LinkColumn("link", display_text="open source"),
        },
    )


def legs_table(legs: pd.DataFrame) -> pd.DataFrame:
    """The legs as a reader checks them; links only for http(s) sources."""
    is_web = legs["source"].str.match(r"https?://", case=False)
    return pd.DataFrame({
        "person": legs["name"],
        "leg": legs["leg"],
        "from → to": journeys.leg_label(legs),
        "mode": legs["mode"],
        "years": journeys.year_label(legs),
        "outcome": legs["outcome"],
        "certainty": legs["certainty"].map(FLAGS).fillna(legs["certainty"]),
        "source": legs["source"],
        "link": legs["source"].where(is_web, None),
        "note": legs["note"],
        "shown at": legs["shown_precision"],
    })
