"""People and sources: who each person is, and every leg with its certainty and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.contract.urls import is_web_url, web_urls
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.describe import leg_label, year_label
from routes_dash.ui import cache

FLAGS = {"disputed": "⚠ disputed", "uncertain": "uncertain"}


# Past PEOPLE_LISTED people, they are shown as one table instead of a card each; tables
# show their first TABLE_ROWS rows and say so: a page of 15,000 headings or a table of
# 100,000 rows is neither readable nor quick to send.
PEOPLE_LISTED = 12
TABLE_ROWS = 1_000


def show(dataset: Dataset, legs: pd.DataFrame) -> None:
    key = cache.key_of(legs)
    everyone, count = _people(key, cache.key_of(dataset), dataset.people, legs)
    if count <= PEOPLE_LISTED:
        _cards(everyone, legs)
    else:
        st.subheader(f"{count:,} people", anchor=False)
        if count > len(everyone):
            st.caption(f"Showing the first {len(everyone):,} of {count:,} people (in the "
                       "order of people.csv). Choose people in the sidebar to see others.")
        st.dataframe(everyone, hide_index=True, width="stretch", key="people_table",
                     column_order=[c for c in ("name", "legs", "anonymized", "born",
                                               "summary", "source") if c in everyone])
    st.subheader("Every leg, with its certainty and source", anchor=False)
    if len(legs) > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {len(legs):,} legs (by person, then "
                   "leg). Narrow the filters to see others.")
    st.dataframe(
        _table(key, legs), hide_index=True, width="stretch", key="legs_table",
        column_config={
            "link": st.column_config.LinkColumn("link", display_text="open source"),
        },
    )


def _cards(people: pd.DataFrame, legs: pd.DataFrame) -> None:
    columns = st.columns(2)
    for index, person in enumerate(people.to_dict("records")):
        theirs = legs[legs["person"] == person["person"]]
        with columns[index % 2].container(border=True):
            st.subheader(str(person["name"]), anchor=False)
            st.caption(_counts(theirs) + (" · anonymised: shown no finer than a province"
                                          if person["anonymized"] else ""))
            # Data text as plain text: never rendered as markdown or HTML.
            if person.get("summary"):
                st.text(person["summary"])
            source = str(person.get("source") or "")
            if is_web_url(source):
                st.link_button("Source", source)
            elif source:
                st.text(f"Source: {source}")


def _counts(legs: pd.DataFrame) -> str:
    parts = [f"{len(legs)} legs"]
    for certainty in ("disputed", "uncertain"):
        count = int((legs["certainty"] == certainty).sum())
        if count:
            parts.append(f"{count} {certainty}")
    return " · ".join(parts)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _people(key: str, version: str, _people: pd.DataFrame, _legs: pd.DataFrame
            ) -> tuple[pd.DataFrame, int]:
    """The first TABLE_ROWS people who have legs here (with how many), and how many there are."""
    # map, not isin: isin on pandas' string dtype checks a long list value by value.
    counts = _people["person"].map(_legs["person"].value_counts())
    everyone = _people[counts.notna().to_numpy()]
    first = everyone.head(TABLE_ROWS)
    return first.assign(legs=counts[everyone.index[:TABLE_ROWS]].astype(int).to_numpy()), \
        len(everyone)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _table(key: str, _legs: pd.DataFrame) -> pd.DataFrame:
    return legs_table(_legs.head(TABLE_ROWS))


def legs_table(legs: pd.DataFrame) -> pd.DataFrame:
    """The legs as a reader checks them; links only for http(s) sources."""
    is_web = web_urls(legs["source"])
    return pd.DataFrame({
        "person": legs["name"],
        "leg": legs["leg"],
        "from → to": leg_label(legs),
        "mode": legs["mode"],
        "years": year_label(legs),
        "outcome": legs["outcome"],
        "certainty": legs["certainty"].map(FLAGS).fillna(legs["certainty"]),
        "source": legs["source"],
        "link": legs["source"].where(is_web, None),
        "note": legs["note"],
        "shown at": legs["shown_precision"],
    })
