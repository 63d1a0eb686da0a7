"""One story slide as a class reads it on a projector: large, dark on white, nothing hidden.

Every text of a slide is data (names, notes, citations): it goes through `plain()`, never
rendered as markdown or HTML as written; links are http(s) only (`links_of`) and open
through `st.link_button`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from routes_dash.journeys import story
from routes_dash.ui.plain import plain

# Constant CSS, no data in it. Story text is at least 24 px (18 on a phone) and dark
# (#1b1f24 on white is 16:1, the grey #3d4450 10:1); the page's top margin and the gaps
# between a slide's paragraphs shrink so that at 1280×720 the controls, the map and the
# slide fit the first screen.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-bottom: 2rem;
  padding-left: 1.5rem; padding-right: 1.5rem; }
[data-testid="stHeader"] { background: transparent; }
.st-key-story_slide p, .st-key-story_slide li, .st-key-story_controls p,
.st-key-story_controls button p { font-size: 24px; line-height: 1.3; color: #1b1f24; }
.st-key-story_controls button { min-width: 7.5rem; }
.st-key-story_slide [data-testid="stVerticalBlock"] { gap: 0.55rem; }
.st-key-story_slide h2 { font-size: 26px; padding: 0; color: #1b1f24; }
.st-key-story_lead p { font-size: 28px; font-weight: 600; line-height: 1.25; }
.st-key-story_slide [data-testid="stAlert"] p { color: #1b1f24; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { opacity: 1; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { color: #3d4450; }
.st-key-story_controls [data-testid="stBaseButton-primary"] { background: #0b5a93;
  border-color: #0b5a93; }
.st-key-story_controls [data-testid="stBaseButton-primary"] p { color: #ffffff; }
@media (max-width: 640px) {  /* a phone: smaller type, the controls in two rows */
  .st-key-story_slide p, .st-key-story_slide li, .st-key-story_controls p,
  .st-key-story_controls button p { font-size: 18px; }
  .st-key-story_lead p { font-size: 21px; }
  .st-key-story_controls button { min-width: 0; padding: 0.3rem 0.7rem; }
}
</style>"""


def draw(slide: story.Slide, height: int) -> None:
    """The slide's text in a column `height` pixels high: the title, a warning, the lead
    sentence, the note, how sure, the source (it scrolls only if a slide is longer)."""
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
        for cited in slide.sources:
            cite(cited, cited.label or ("Source" if slide.kind == story.LEG else ""))
        if slide.used:
            st.markdown(f"This story cites {len(slide.used)} "
                        f"source{'s' if len(slide.used) != 1 else ''}: they are listed "
                        "below the timeline, and in the printable page.")
        if slide.caption:
            st.markdown(f"*{plain(slide.caption)}*")


def cite(cited: story.Cited, label: str = "") -> None:
    """A full citation, then a button for each of its web links, in one row."""
    st.markdown((f"**{plain(label)}:** " if label else "") + plain(cited.text))
    if cited.links:
        with st.container(horizontal=True, gap="small"):
            for link in cited.links:
                st.link_button(plain(urlsplit(link).hostname or link), link,
                               icon=":material/open_in_new:")
