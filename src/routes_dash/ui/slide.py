"""One story slide as a class reads it on a projector: large, dark on white, nothing hidden.

Every text of a slide is data (names, notes, citations): it goes through `plain()` or
`st.text`, never rendered as markdown or HTML; links are http(s) only (`links_of`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from routes_dash.journeys import story
from routes_dash.ui.plain import plain

# Constant CSS, no data in it. Story text is at least 24 px and dark (#1b1f24 on white is
# 16:1); the page's top margin shrinks so that at 1280×720 the controls, the map and the
# slide fit the first screen.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-bottom: 2rem;
  padding-left: 1.5rem; padding-right: 1.5rem; }
[data-testid="stHeader"] { background: transparent; }
.st-key-story_slide p, .st-key-story_slide li, .st-key-story_controls p,
.st-key-story_controls button p { font-size: 24px; line-height: 1.35; color: #1b1f24; }
.st-key-story_slide h2 { font-size: 30px; padding: 0 0 0.3rem 0; color: #1b1f24; }
.st-key-story_lead p { font-size: 30px; font-weight: 600; line-height: 1.3; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { opacity: 1; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { color: #3d4450; }
.st-key-story_slide [data-testid="stAlert"] p { color: #1b1f24; }
.st-key-story_controls [data-testid="stBaseButton-primary"] { background: #0b5a93;
  border-color: #0b5a93; }
.st-key-story_controls [data-testid="stBaseButton-primary"] p { color: #ffffff; }
</style>"""


def draw(slide: story.Slide, height: int) -> None:
    """The slide's text in a column `height` pixels high (it scrolls only if a slide is
    longer than that)."""
    with st.container(height=height, border=False, key="story_slide"):
        st.header(plain(slide.title), anchor=False)
        for warning in slide.warnings:
            st.warning(plain(warning))
        with st.container(key="story_lead"):
            st.markdown(plain(slide.lead))
        for paragraph in slide.body:
            st.markdown(plain(paragraph))
        if slide.kind == story.LEG:
            st.markdown(f"**{plain(story.certainty_text(slide.certainty))}**")
        _sources(slide)
        if slide.caption:
            st.markdown(f"*{plain(slide.caption)}*")


def _sources(slide: story.Slide) -> None:
    if not slide.sources:
        return
    if slide.kind == story.CLOSING:
        st.subheader("Sources", anchor=False)
    for cited in slide.sources:
        label = f"**{plain(cited.label)}:** " if cited.label else (
            "**Source:** " if slide.kind == story.LEG else "")
        st.markdown(label + plain(cited.text))
        for link in cited.links:
            st.link_button(f"Open {plain(urlsplit(link).hostname or link)}", link)
