"""The filters in the sidebar, started from the page's link (`session` keeps the link in step)."""

from __future__ import annotations

import streamlit as st

from routes_dash.journeys import links
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.filters import Filters, Options, filter_options
from routes_dash.ui import cache
from routes_dash.ui.plain import plain
from routes_dash.ui.session import FILTER_KEYS as KEYS
from routes_dash.ui.session import FILTER_NOTICES as NOTICES
from routes_dash.ui.session import PEOPLE_SEARCH, PEOPLE_SHOWN

# Past this many people the Person list holds the people a search finds, not everyone: a
# browser redraws every option of the list on every rerun (measured with 14,637 people:
# about a second of the browser's time per click, on a list nobody scrolls).
PEOPLE_LISTED = 300


def filters(dataset: Dataset, box) -> Filters:
    """Draw the filters; return what the reader chose."""
    version = cache.key_of(dataset)
    options, names = _options(version, dataset)
    _start_from_link(options)
    with box:
        st.header("Filters")
        if len(options.people) > PEOPLE_LISTED:
            st.session_state[PEOPLE_SHOWN] = list(st.session_state[KEYS["people"]])
            _find_people(version, options, names)
            people = st.session_state[KEYS["people"]]
        else:
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


@cache.resource(show_spinner=False, max_entries=4)
def _options(version: str, _dataset: Dataset) -> tuple[Options, dict[str, str]]:
    """What can be chosen, and each person's name: once per dataset version."""
    people = _dataset.people
    # As lists: iterating a string column makes each value a Python string apart.
    return filter_options(_dataset.legs), dict(zip(people["person"].tolist(),
                                                   people["name"].tolist(), strict=False))


# Typing a search changes only the list it fills: a rerun of this fragment, not the page.
@st.fragment
def _find_people(version: str, options: Options, names: dict[str, str]) -> None:
    chosen = list(st.session_state[KEYS["people"]])
    found = search_people(version, options, names, PEOPLE_SEARCH, "Find a person")
    st.multiselect("Person", [*chosen, *(p for p in found if p not in chosen)],
                   key=KEYS["people"], format_func=lambda p: names.get(p, p),
                   placeholder="Everyone")
    if st.session_state[KEYS["people"]] != st.session_state[PEOPLE_SHOWN]:
        st.rerun(scope="app")  # a person chosen or removed: the whole page changes


def search_people(version: str, options: Options, names: dict[str, str], key: str,
                  label: str) -> tuple[str, ...]:
    """A search box (`key`) and the first PEOPLE_LISTED people it finds, saying so when
    more match: a list of people too long to redraw on every rerun."""
    query = st.text_input(label, key=key, placeholder="Part of a name or id, then Enter")
    found, matching = _people_matching(version, query.strip().casefold(), options, names)
    if query.strip() and not matching:
        # The reader's own words, shown as typed (never as markdown).
        st.caption(plain(f"No one's name or id holds “{query.strip()}”: try part of a name."))
    elif matching > len(found):
        st.caption(f"The list holds {len(found):,} of the {matching:,} people "
                   f"{'who match' if query.strip() else 'in the data'}: type part of a name "
                   "to find others.")
    return found


def people_options(dataset: Dataset) -> Options:
    """What the filters offer, once per dataset version (the story picker lists its people)."""
    return _options(cache.key_of(dataset), dataset)[0]


@cache.resource(show_spinner=False, max_entries=64)
def _people_matching(version: str, query: str, _options: Options, _names: dict[str, str]
                     ) -> tuple[tuple[str, ...], int]:
    """The first PEOPLE_LISTED people whose id or name holds `query` (folded), and how many
    hold it."""
    if not query:  # every one: no need to fold thousands of names
        return _options.people[:PEOPLE_LISTED], len(_options.people)
    found = [p for p in _options.people
             if query in p.casefold() or query in _names.get(p, p).casefold()]
    return tuple(found[:PEOPLE_LISTED]), len(found)


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
