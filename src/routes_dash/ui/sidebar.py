"""The filters in the sidebar, started from the page's link (`session` keeps the link in step)."""

from __future__ import annotations

import streamlit as st

from routes_dash.journeys import links
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.filters import Filters, Options, filter_options
from routes_dash.ui import cache
from routes_dash.ui.session import FILTER_KEYS as KEYS
from routes_dash.ui.session import FILTER_NOTICES as NOTICES


def filters(dataset: Dataset, box) -> Filters:
    """Draw the filters; return what the reader chose."""
    options, names = _options(cache.key_of(dataset), dataset)
    _start_from_link(options)
    with box:
        st.header("Filters")
        people = st.multiselect("Person", options.people, key=KEYS["people"],
                                format_func=lambda p: names.get(p, p),
                                placeholder="Everyone")
        countries = st.multiselect("Country (a leg starts or ends there)", options.countries,
                                   key=KEYS["countries"], placeholder="All countries")
        years = None
        if options.years and options.years[0] < options.years[1]:
            chosen = st.slider("Years", *options.years, key=KEYS["years"])
            if tuple(chosen) != options.years:
                years = (int(chosen[0]), int(chosen[1]))
                st.caption("Legs of unknown year are left out while a year range is set.")
        modes = st.multiselect("Mode", options.modes, key=KEYS["modes"], placeholder="All modes")
        outcomes = st.multiselect("Outcome", options.outcomes, key=KEYS["outcomes"],
                                  placeholder="All outcomes")
        st.button("Clear all filters", on_click=_clear, args=(options,), width="stretch")
    return Filters(tuple(people), tuple(countries), years, tuple(modes), tuple(outcomes))


@st.cache_resource(show_spinner=False, max_entries=4)
def _options(version: str, _dataset: Dataset) -> tuple[Options, dict[str, str]]:
    """What can be chosen, and each person's name: once per dataset version."""
    people = _dataset.people
    return filter_options(_dataset.legs), dict(zip(people["person"], people["name"],
                                                   strict=False))


def person_names(dataset: Dataset) -> dict[str, str]:
    """Person id → name, built once per dataset version (the story picker uses it too)."""
    return _options(cache.key_of(dataset), dataset)[1]


def link_notices() -> tuple[str, ...]:
    """What a shared link asked for that the data does not have."""
    return st.session_state.get(NOTICES, ())


def _start_from_link(options: Options) -> None:
    """On a session's first run, set the widgets from the URL's query."""
    if NOTICES in st.session_state:
        return
    parsed = links.filters_from_query(st.query_params.to_dict(), options)
    for attribute in ("people", "countries", "modes", "outcomes"):
        st.session_state[KEYS[attribute]] = list(getattr(parsed.filters, attribute))
    if options.years:
        st.session_state[KEYS["years"]] = parsed.filters.years or options.years
    st.session_state[NOTICES] = parsed.notices


def _clear(options: Options) -> None:
    for attribute in ("people", "countries", "modes", "outcomes"):
        st.session_state[KEYS[attribute]] = []
    if options.years:
        st.session_state[KEYS["years"]] = options.years
    st.session_state[NOTICES] = ()
