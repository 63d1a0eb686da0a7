"""routes_dash: the page. Run with `./dev app`, `routes-dash app` or `streamlit run app.py`."""

import streamlit as st

from routes_dash.ui import (
    downloads,
    loading,
    overview,
    people,
    route_map,
    session,
    sidebar,
    story_mode,
    upload,
)
from routes_dash.ui.header import header

st.set_page_config(page_title="Escape routes of North Korean defectors", page_icon="🗺️",
                   layout="wide", initial_sidebar_state=story_mode.initial_sidebar())

# The sidebar reads top to bottom: filters, story mode, your own data.
filters_box, story_box, upload_box = (st.sidebar.container() for _ in range(3))
dataset = upload.current(loading.dataset_or_stop(), upload_box)
story_mode.start_from_link(dataset)
storyteller = story_mode.chooser(dataset, story_box)
chosen = sidebar.filters(dataset, filters_box)

if storyteller:
    session.write_link(chosen, (storyteller, story_mode.show(dataset, storyteller)))
    st.stop()
session.write_link(chosen)

legs = loading.filtered(dataset, chosen)
header(dataset, legs, sidebar.link_notices())
upload.fix_places(dataset)
map_tab, timeline_tab, charts_tab, people_tab, download_tab = st.tabs(
    ["Route map", "Timeline", "Charts", "People and sources", "Download"])
with map_tab:
    route_map.show(legs)
with timeline_tab:
    overview.timeline(legs)
with charts_tab:
    overview.aggregates(legs, loading.arrivals())
with people_tab:
    people.show(dataset, legs)
with download_tab:
    downloads.show(legs, dataset.people)
