"""Classroom story mode: one person's journey, step by step, large and keyboard-friendly."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.contract.schema import CERTAINTY_MEANINGS
from routes_dash.journeys import links, story
from routes_dash.journeys.citations import links_of
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.describe import year_label
from routes_dash.journeys.privacy import COARSE_PRECISIONS
from routes_dash.render import charts, maps
from routes_dash.ui import sidebar
from routes_dash.ui.plain import plain
from routes_dash.ui.session import STORY_NOTICES as NOTICES
from routes_dash.ui.session import STORY_PERSON as PERSON_KEY
from routes_dash.ui.session import STORY_PRESENT as PRESENT_KEY
from routes_dash.ui.session import STORY_STARTED as STARTED
from routes_dash.ui.session import STORY_STEP as STEP_KEY
from routes_dash.ui.session import presenting

NO_STORY = ""

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
                                   tuple(dataset.people["person"]))
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
        person = st.selectbox(
            "Tell one person's journey, step by step", [NO_STORY, *names],
            key=PERSON_KEY, on_change=_restart,
            format_func=lambda p: "— explore all journeys —" if p == NO_STORY else names[p])
        st.toggle("Projector: large text, high contrast", key=PRESENT_KEY)
    if presenting():
        st.html(PROJECTOR_CSS)
    for notice in st.session_state.get(NOTICES, ()):
        st.info(plain(notice))  # names what a link asked for
    return person or None


def show(dataset: Dataset, person: str) -> int:
    """One step of `person`'s story; returns the step shown."""
    legs = story.steps(dataset.legs, person)
    count = len(legs)
    step = story.clamp(st.session_state.get(STEP_KEY, 1), count)
    st.session_state[STEP_KEY] = step
    leg = legs.iloc[step - 1]
    name = leg["name"]

    st.title(plain(name), anchor=False)
    note = story.content_note(legs)
    if note:
        st.warning(note)
    if bool(leg["anonymized"]):
        st.caption("An anonymous person: places are shown no finer than a province.")

    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button("← Previous", key="story_previous", on_click=_move, args=(-1, count),
                disabled=step == 1, shortcut="Left", width="stretch")
    where.markdown(f"### Step {step} of {count}")
    forward.button("Next →", key="story_next", on_click=_move, args=(1, count),
                   disabled=step == count, shortcut="Right", width="stretch", type="primary")

    left, right = st.columns([3, 2])
    with left:
        current = legs.iloc[[step - 1]]
        coarse = bool(current["shown_precision"].isin(COARSE_PRECISIONS).iloc[0])
        view = maps.fit_view(current, max_zoom=4.5 if coarse else 7)
        deck = maps.build_deck(current, view=view, dimmed=legs.iloc[: step - 1])
        st.pydeck_chart(deck, height=520, key="story_map")
        if not bool(current["located"].iloc[0]):
            st.caption("This leg's places have no coordinates, so it is not on the map.")
    with right:
        _leg_panel(leg)
    st.plotly_chart(charts.timeline(legs, current=step), key="story_timeline")
    return step


def _leg_panel(leg: pd.Series) -> None:
    # Data text goes through st.text / plain strings: never rendered as HTML or markdown.
    st.subheader(f"{plain(leg['from'])} → {plain(leg['to'])}", anchor=False)
    facts = pd.DataFrame(
        {"this leg": [leg["mode"], year_label(leg.to_frame().T).iloc[0], leg["outcome"],
                      leg["certainty"] or "not given", leg["citation"] or "not given"]},
        index=["how", "when", "what happened", "certainty", "source"],
    )
    st.table(facts)
    if leg["certainty"] in CERTAINTY_MEANINGS:
        st.caption(f"{leg['certainty'].capitalize()}: {CERTAINTY_MEANINGS[leg['certainty']]}")
    if leg["certainty"] == "disputed":
        st.warning("Disputed: sources disagree about this leg. See the note.")
    if leg["note"]:
        st.text(leg["note"])
    for number, link in enumerate(links_of(leg["source_links"]), start=1):
        st.link_button(f"Open source {number}", link)
    if leg["precision_reduced"]:
        st.caption("Shown at country level to protect an anonymous person.")
    elif leg["shown_precision"] in COARSE_PRECISIONS:
        st.caption(f"Known only to a {leg['shown_precision']}.")


def _move(delta: int, count: int) -> None:
    st.session_state[STEP_KEY] = story.clamp(st.session_state.get(STEP_KEY, 1) + delta, count)


def _restart() -> None:
    st.session_state[STEP_KEY] = 1
