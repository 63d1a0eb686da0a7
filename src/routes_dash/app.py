"""routes_dash: the page. Run with `./dev app`, `routes-dash app` or `streamlit run app.py`."""

import streamlit as st

from routes_dash.ui import process

with process.importing_libraries():
    from routes_dash.ui import (
        downloads,
        loading,
        overview,
        page_style,
        people,
        route_map,
        session,
        sidebar,
        story_mode,
        upload,
    )
    from routes_dash.ui.header import header

# The icon by its shortcode, drawn by the browser as the same emoji: given as the emoji
# itself, Streamlit loads its catalogue of every emoji to check it, 40-60 ms of a fresh
# server's first page.
st.set_page_config(page_title="Escape routes of North Korean defectors", page_icon=":world_map:",
                   layout="wide", initial_sidebar_state=story_mode.initial_sidebar())
page_style.apply()

# The sidebar reads top to bottom: filters, story mode, your own data.
filters_box, story_box, upload_box = (st.sidebar.container() for _ in range(3))
dataset = upload.current(loading.dataset_or_stop(), upload_box)
story_mode.start_from_link(dataset)
storyteller = story_mode.chooser(dataset, story_box)
chosen = sidebar.filters(dataset, filters_box)

if storyteller:
    story_mode.show(dataset, storyteller, chosen)
    st.stop()
session.write_link(chosen)

# The header's place, filled after the tabs: the open tab decides which columns of the
# kept legs are copied.
top = st.container()
upload.fix_places(dataset)
# Only the open tab runs; the open tab is part of the link (?tab=Charts).
map_tab, timeline_tab, charts_tab, people_tab, download_tab = st.tabs(
    session.TABS, key=session.TAB, bind="query-params")
# The header and the map read a few columns of the kept legs; the other tabs read them all.
legs = loading.filtered(dataset, chosen, loading.MAP_COLUMNS if map_tab.open else None)
with top:
    header(dataset, legs, sidebar.link_notices())
if map_tab.open:
    with map_tab:
        route_map.show(dataset, legs)
if timeline_tab.open:
    with timeline_tab:
        overview.timeline(legs)
if charts_tab.open:
    with charts_tab:
        overview.aggregates(legs, loading.arrivals())
if people_tab.open:
    with people_tab:
        people.show(dataset, legs)
if download_tab.open:
    with download_tab:
        downloads.show(dataset, legs, chosen)
