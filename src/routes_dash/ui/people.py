"""People and sources: who each person is, and every leg with its certainty and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash import journeys
from routes_dash.dataset import Dataset

FLAGS = {"disputed": "⚠ disputed", "uncertain": "uncertain"}


def show(dataset: Dataset, legs: pd.DataFrame) -> None:
    shown = dataset.people[dataset.people["person"].isin(legs["person"])]
    columns = st.columns(2)
    for index, person in enumerate(shown.to_dict("records")):
        theirs = legs[legs["person"] == person["person"]]
        with columns[index % 2].container(border=True):
            st.subheader(str(person["name"]), anchor=False)
            st.caption(_counts(theirs) + (" · anonymised: shown no finer than a province"
                                          if person["anonymized"] else ""))
            # Data text as plain text: never rendered as markdown or HTML.
            if person.get("summary"):
                st.text(person["summary"])
            source = str(person.get("source") or "")
            if source.lower().startswith(("https://", "http://")):
                st.link_button("Source", source)
            elif source:
                st.text(f"Source: {source}")
    st.subheader("Every leg, with its certainty and source", anchor=False)
    st.dataframe(
        legs_table(legs), hide_index=True, width="stretch", key="legs_table",
        column_config={
            "link": st.column_config.LinkColumn("link", display_text="open source"),
        },
    )


def _counts(legs: pd.DataFrame) -> str:
    parts = [f"{len(legs)} legs"]
    for certainty in ("disputed", "uncertain"):
        count = int((legs["certainty"] == certainty).sum())
        if count:
            parts.append(f"{count} {certainty}")
    return " · ".join(parts)


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
