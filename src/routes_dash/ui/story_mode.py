"""Classroom story mode: one person's journey as slides, large, keyboard-friendly and quick.

The slides themselves are `journeys.story`; this module draws them. A step (Next, Previous,
the arrow keys, a leg clicked on the timeline) reruns only the slide (`st.fragment`): the
sidebar and the data stay as they are, and each slide's map, figure and text are built once
per data version and reused by every session.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

from routes_dash.journeys import links, story
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.filters import Filters
from routes_dash.render import charts, maps, story_map
from routes_dash.render.export import handout
from routes_dash.ui import cache, certainty, session, sidebar, slide
from routes_dash.ui.plain import plain
from routes_dash.ui.session import STORY_NOTICES as NOTICES
from routes_dash.ui.session import STORY_PERSON as PERSON_KEY
from routes_dash.ui.session import STORY_PRESENT as PRESENT_KEY
from routes_dash.ui.session import STORY_SEARCH as SEARCH_KEY
from routes_dash.ui.session import STORY_STARTED as STARTED
from routes_dash.ui.session import STORY_STEP as STEP_KEY
from routes_dash.ui.session import STORY_TIMELINE as TIMELINE_KEY
from routes_dash.ui.session import STORY_TIMELINE_JUMPS as JUMPS
from routes_dash.ui.session import presenting

NO_STORY = ""
MAP_HEIGHT = 556

# Constant CSS, no data in it: bigger type and stronger contrast for a projector.
PROJECTOR_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] p:not(button p), [data-testid="stAppViewContainer"] li {
  color: #000; }
[data-testid="stMarkdownContainer"] h1 { font-size: 2.6rem; }
.stButton button { font-size: 1.3rem; padding: 0.6rem 1.4rem; }
</style>"""


def start_from_link(dataset: Dataset) -> None:
    """On a session's first run, take the story and step from the URL."""
    if STARTED in st.session_state:
        return
    link = links.story_from_query(st.query_params.to_dict(),
                                   dataset.people["person"].tolist())
    st.session_state[PERSON_KEY] = link.person or NO_STORY
    st.session_state[STEP_KEY] = link.step
    st.session_state[PRESENT_KEY] = link.present
    st.session_state[NOTICES] = link.notices
    st.session_state[STARTED] = True


def initial_sidebar() -> str:
    """A link opened for a projector starts with the sidebar out of the way."""
    wanted = links.story_from_query(st.query_params.to_dict(), ()).present
    return "collapsed" if wanted else "auto"


def chooser(dataset: Dataset, box) -> str | None:
    """The sidebar's story picker; the chosen person, or None to explore."""
    names = sidebar.person_names(dataset)
    with box:
        st.header("Story mode")
        listed = [NO_STORY, *names]
        if len(names) > sidebar.PEOPLE_LISTED:  # as the Person filter: what a search finds
            current = st.session_state.get(PERSON_KEY) or NO_STORY
            found = sidebar.search_people(cache.key_of(dataset), sidebar.people_options(dataset),
                                          names, SEARCH_KEY, "Find a person's story")
            listed = [NO_STORY, *([current] if current != NO_STORY else []),
                      *(p for p in found if p != current)]
        person = st.selectbox(
            "Tell one person's journey, step by step", listed,
            key=PERSON_KEY, on_change=_restart,
            format_func=lambda p: "— explore all journeys —" if p == NO_STORY else names[p])
        st.toggle("Projector: large text, high contrast", key=PRESENT_KEY)
    if presenting():
        st.html(PROJECTOR_CSS)
    for notice in st.session_state.get(NOTICES, ()):
        st.info(plain(notice))  # names what a link asked for
    return person or None


def show(dataset: Dataset, person: str, chosen: Filters) -> None:
    """`person`'s story: the current slide (which steps on its own), then what stays the
    same from slide to slide: the timeline, the certainty words, the sources, the handout."""
    st.html(slide.STYLE)
    current_slide(dataset, person, chosen)
    key = cache.key_of(dataset)
    told = _story(key, person, dataset)
    # Outside the slide's fragment: a click on a leg reruns the page, which redraws the
    # timeline under a new key, so that the next click is a new selection.
    jumps = st.session_state.get(JUMPS, 0)
    # Plotly's own theme: its dark labels read at 4.5:1 and more on a projector, where
    # Streamlit's theme greys them.
    chart = f"{TIMELINE_KEY}_{jumps}"
    st.plotly_chart(told.timeline, key=chart, on_select=functools.partial(_jump, chart),
                    selection_mode="points", theme=None, config={"displayModeBar": False})
    st.caption("Click a leg on the timeline to go to its slide. The ← and → keys step "
               "through the story.")
    certainty.legend()
    st.subheader("Sources of this story", anchor=False)
    for cited in told.slides[-1].used:
        slide.cite(cited)
    st.download_button(
        "Download this story as a printable page (HTML, works offline)",
        data=lambda: handout.story_page(told.legs, told.slides).encode("utf-8"),
        file_name=f"story-{person}.html", mime="text/html", on_click="ignore",
        key="story_handout")


@st.fragment
def current_slide(dataset: Dataset, person: str, chosen: Filters) -> None:
    """The current slide and its map. A step reruns only this (a fragment) and writes the
    step into the page's link."""
    if st.session_state.get(PERSON_KEY) != person:  # Exit story was pressed
        st.rerun(scope="app")
    told = _story(cache.key_of(dataset), person, dataset)
    count = len(told.slides)
    step = story.clamp(st.session_state.get(STEP_KEY, 1), count)
    st.session_state[STEP_KEY] = step
    session.write_link(chosen, (person, step))
    shown = told.slides[step - 1]
    _controls(step, count, person)
    drawing, text = st.columns([9, 11], gap="medium")
    with drawing:
        decks = _slide_decks(cache.key_of(dataset), person, session.on_phone(), told.legs)
        st.pydeck_chart(decks[step - 1], height=MAP_HEIGHT, key="story_map")
    with text:
        slide.draw(shown, MAP_HEIGHT)


def _controls(step: int, count: int, person: str) -> None:
    """Previous, where we are, Next, Copy link to this step, Exit story: one row, which
    wraps on a phone."""
    with st.container(key="story_controls", horizontal=True, vertical_alignment="center",
                      horizontal_alignment="distribute", gap="small"):
        st.button("Previous", key="story_previous", on_click=_move, args=(-1, count),
                  disabled=step == 1, shortcut="Left")
        st.markdown(f"**{step} of {count}**", width="content")
        st.button("Next", key="story_next", on_click=_move, args=(1, count),
                  disabled=step == count, shortcut="Right", type="primary")
        with st.popover("Copy link to this step"):
            query = urlencode(links.story_to_query(person, step, presenting()))
            st.code(f"{(st.context.url or '').rstrip('/')}/?{query}", language=None,
                    wrap_lines=True)
            st.markdown("Copy it with the button at the code's right edge; the link opens "
                        "this story at this slide.")
        st.button("Exit story", key="story_exit", on_click=_exit)


@dataclass(frozen=True)
class Told:
    """A story ready to show: its legs, its slides, its timeline."""

    legs: pd.DataFrame
    slides: tuple[story.Slide, ...]
    timeline: go.Figure


# Built once per data version and story, so that a step only picks what is ready; shared
# read-only by every session (st.pydeck_chart and st.plotly_chart only serialise them).
@cache.resource(show_spinner="Preparing the story …", max_entries=cache.VIEWS)
def _story(key: str, person: str, _dataset: Dataset) -> Told:
    legs = story.steps(_dataset.legs, person)
    row = _dataset.people.set_index("person").loc[person]
    slides = story.slides(legs, {**row.to_dict(), "person": person}, _dataset.sources)
    timeline = charts.timeline(legs)
    timeline.update_yaxes(automargin=True)  # the person's whole name, in plotly's own theme
    return Told(legs, slides, timeline)


# Every slide's map, once per story and kind of screen: a phone's map is narrower, and
# its labels are placed for it.
@cache.resource(show_spinner="Preparing the story's maps …", max_entries=cache.VIEWS)
def _slide_decks(key: str, person: str, phone: bool, _legs: pd.DataFrame
                 ) -> tuple[pdk.Deck, ...]:
    size = story_map.PHONE_MAP_SIZE if phone else story_map.MAP_SIZE
    return tuple(map(maps.WrittenDeck, story_map.slide_decks(_legs, size)))


def _move(delta: int, count: int) -> None:
    st.session_state[STEP_KEY] = story.clamp(st.session_state.get(STEP_KEY, 1) + delta, count)


def _jump(chart: str) -> None:
    """A leg clicked on the timeline: go to its slide (leg k is slide k + 1)."""
    points = st.session_state[chart].selection.points
    legs = [point["customdata"] for point in points if point.get("customdata") is not None]
    if legs:
        leg = legs[0][0] if isinstance(legs[0], list) else legs[0]
        st.session_state[STEP_KEY] = int(leg) + 1
        st.session_state[JUMPS] = st.session_state.get(JUMPS, 0) + 1


def _exit() -> None:
    st.session_state[PERSON_KEY] = NO_STORY
    _restart()


def _restart() -> None:
    st.session_state[STEP_KEY] = 1
