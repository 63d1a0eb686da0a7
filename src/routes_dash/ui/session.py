"""Every key the page keeps in `st.session_state`, and the one writer of the page's link.

The link (`st.query_params`) always says what the page shows: the filters while exploring,
the story and its step in story mode, and the projector switch, so that a copied URL opens
the same view.
"""

from __future__ import annotations

import streamlit as st

from routes_dash.journeys import links
from routes_dash.journeys.filters import Filters

# The page's tabs; the open one is bound to the link's `tab` parameter by Streamlit itself.
TAB = "tab"
TABS = ("Route map", "Timeline", "Charts", "People and sources", "Download")

# The filters' widgets, one key per filter, and what a shared link asked for that the data
# does not have.
FILTER_KEYS = {"people": "filter_people", "countries": "filter_countries",
               "modes": "filter_modes", "outcomes": "filter_outcomes", "years": "filter_years"}
FILTER_NOTICES = "filter_link_notices"
# Past many people: what the reader typed to find one, and the people the page last showed.
PEOPLE_SEARCH = "filter_people_search"
PEOPLE_SHOWN = "filter_people_shown"

# The route map: its "colour by" choice, its zoom buttons' steps away from the fitted
# view, and whether its table is open.
MAP_COLOUR_BY = "map_colour_by"
MAP_ZOOM = "map_zoom"
MAP_TABLE_OPEN = "map_table_open"
ON_PHONE = "on_phone"  # whether the session's browser is a phone's

# Story mode.
STORY_PERSON = "story_person"
STORY_STEP = "story_step"
STORY_PRESENT = "story_present"
STORY_SEARCH = "story_search"
STORY_STARTED = "story_started_from_link"
STORY_NOTICES = "story_link_notices"
# The timeline's selection (a leg clicked to go to), keyed by how many jumps came before.
STORY_TIMELINE = "story_timeline"
STORY_TIMELINE_JUMPS = "story_timeline_jumps"

# Your own data.
UPLOAD_OPEN = "upload_open"  # whether the uploader's section is open
UPLOADED = "uploaded_dataset"
PLACE_FIXES = "place_fixes"
UPLOAD_PROBLEMS = "upload_problems"
UPLOAD_WITH_FIXES = "upload_with_fixes"
UPLOAD_LEGS = "upload_legs"
UPLOAD_PEOPLE = "upload_people"
UPLOAD_SOURCES = "upload_sources"
PLACE_EDITOR_VERSION = "place_editor_version"
UNFOUND_USES = "unfound_place_uses"  # (the upload's legs, how many legs use each unfound place)


def on_phone() -> bool:
    """Whether the page was opened on a phone: maps are then fitted and labelled for a
    narrow map. Asked once per session (reading the request's headers costs a millisecond
    a rerun)."""
    if ON_PHONE not in st.session_state:
        agent = st.context.headers.get("User-Agent", "") if st.context.headers else ""
        st.session_state[ON_PHONE] = "Mobi" in agent
    return st.session_state[ON_PHONE]

def presenting() -> bool:
    """Whether the projector switch is on."""
    return bool(st.session_state.get(STORY_PRESENT))


# The link's parameters this module writes; others (the bound `tab`) are left alone.
OWNED_PARAMS = (*links.LIST_PARAMS.values(), links.YEARS_PARAM, links.STORY_PARAM,
                links.STEP_PARAM, links.PRESENT_PARAM)


def write_link(chosen: Filters, story: tuple[str, int] | None = None) -> None:
    """Make the URL say what the page shows: `chosen` filters, and `story` (person, step)
    in story mode."""
    person, step = story if story else (None, 1)
    wanted = {**links.filters_to_query(chosen),
              **links.story_to_query(person, step, presenting())}
    for param in OWNED_PARAMS:
        if param not in wanted and param in st.query_params:
            del st.query_params[param]
        elif param in wanted and st.query_params.get(param) != wanted[param]:
            st.query_params[param] = wanted[param]


def start_views_afresh() -> None:
    """Other data has other people and places: filters and story start from nothing."""
    for key in (*FILTER_KEYS.values(), FILTER_NOTICES, PEOPLE_SEARCH, PEOPLE_SHOWN,
                STORY_PERSON, STORY_SEARCH, STORY_STEP, STORY_NOTICES):
        st.session_state.pop(key, None)
    for param in OWNED_PARAMS:
        if param in st.query_params:
            del st.query_params[param]
