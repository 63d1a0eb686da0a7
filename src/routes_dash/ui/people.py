"""People and sources: who each person is, and every leg with its certainty and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.contract.schema import CERTAINTIES
from routes_dash.journeys.citations import bibliography, links_of
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.describe import leg_label, year_label
from routes_dash.ui import cache, certainty
from routes_dash.ui.plain import plain

# Past PEOPLE_LISTED people, they are shown as one table instead of a card each; tables
# show their first TABLE_ROWS rows and say so: a page of 15,000 headings or a table of
# 100,000 rows is neither readable nor quick to send.
PEOPLE_LISTED = 12
TABLE_ROWS = 1_000


def show(dataset: Dataset, legs: pd.DataFrame) -> None:
    key = cache.key_of(legs)
    everyone, count = _people(key, cache.key_of(dataset), dataset.people, legs)
    st.header(f"{count:,} {'person' if count == 1 else 'people'}", anchor=False)
    if count <= PEOPLE_LISTED:
        _cards(everyone, legs)
    else:
        if count > len(everyone):
            st.caption(f"Showing the first {len(everyone):,} of {count:,} people (in the "
                       "order of people.csv). Choose people in the sidebar to see others.")
        # The source next to the name, so that a phone shows both without scrolling.
        st.dataframe(everyone, hide_index=True, width="stretch", key="people_table",
                     column_order=[c for c in ("name", "citation", "legs", "anonymized",
                                               "born", "summary") if c in everyone],
                     column_config={"citation": "source"})
    st.header("Every leg, with its certainty and source", anchor=False)
    certainty.legend()
    if len(legs) > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {len(legs):,} legs (by person, then "
                   "leg). Narrow the filters to see others.")
    st.dataframe(
        _table(key, legs), hide_index=True, width="stretch", key="legs_table",
        column_config={"link": st.column_config.LinkColumn("link")},
    )
    st.header("Sources", anchor=False)
    sources = _sources(key, cache.key_of(dataset), legs, dataset.sources)
    st.caption(f"The {len(sources):,} sources the legs shown here cite, most used first, with "
               "how many legs and people each supports.")
    st.dataframe(sources, hide_index=True, width="stretch", key="sources_table",
                 column_order=["citation", "url", "kind", "legs", "people"],
                 column_config={"citation": "source", "url": st.column_config.LinkColumn(
                     "link")})


def _cards(people: pd.DataFrame, legs: pd.DataFrame) -> None:
    columns = st.columns(2)
    for index, person in enumerate(people.to_dict("records")):
        theirs = legs[legs["person"] == person["person"]]
        with columns[index % 2].container(border=True):
            # Data text as plain text: never rendered as markdown or HTML.
            st.subheader(plain(person["name"]), anchor=False)
            st.caption(_counts(theirs) + (" · anonymised: shown no finer than a province"
                                          if person["anonymized"] else ""))
            for field in ("summary", "since"):
                if person.get(field):
                    st.text(person[field])
            if person.get("citation"):
                st.text(f"Source: {person['citation']}")
                for number, link in enumerate(links_of(person["source_links"]), start=1):
                    st.link_button(f"Open source {number}", link)


def _counts(legs: pd.DataFrame) -> str:
    words = legs["certainty"].value_counts()
    return " · ".join([f"{len(legs)} legs",
                       *(f"{int(words[w])} {w}" for w in CERTAINTIES if w in words)])


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _people(key: str, version: str, _people: pd.DataFrame, _legs: pd.DataFrame
            ) -> tuple[pd.DataFrame, int]:
    """The first TABLE_ROWS people who have legs here (with how many), and how many there are."""
    # map, not isin: isin on pandas' string dtype checks a long list value by value.
    counts = _people["person"].map(_legs["person"].value_counts())
    everyone = _people[counts.notna().to_numpy()]
    first = everyone.head(TABLE_ROWS).assign(
        legs=counts[everyone.index[:TABLE_ROWS]].astype(int).to_numpy())
    if "born" in first:  # an unknown year of birth is an empty cell, never "None"
        first["born"] = first["born"].astype("string").fillna("")
    return first, len(everyone)


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _table(key: str, _legs: pd.DataFrame) -> pd.DataFrame:
    return legs_table(_legs.head(TABLE_ROWS))


def legs_table(legs: pd.DataFrame) -> pd.DataFrame:
    """The legs as a reader checks them: certainty and source first (a phone shows them
    without scrolling), the first web link of a leg's sources (http and https only, else an
    empty cell), then the leg itself."""
    return pd.DataFrame({
        "certainty": legs["certainty"].replace({"disputed": "⚠ disputed", "": "not given"}),
        "source": legs["citation"].replace("", "not given"),
        "link": [next(iter(links_of(links)), "") for links in legs["source_links"]],
        "person": legs["name"],
        "leg": legs["leg"],
        "from → to": leg_label(legs),
        "mode": legs["mode"],
        "years": year_label(legs),
        "outcome": legs["outcome"],
        "note": legs["note"],
        "shown at": legs["shown_precision"],
    })


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _sources(key: str, version: str, _legs: pd.DataFrame,
             _sources: pd.DataFrame | None) -> pd.DataFrame:
    return bibliography(_legs, _sources)
