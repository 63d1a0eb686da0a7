"""routes_dash: the page. Run with `./dev app` (or `streamlit run app.py`)."""

import streamlit as st

from routes_dash.ui import data, exports, overview, people, route_map, sidebar, story, upload
from routes_dash.ui.header import header

st.set_page_config(page_title="Escape routes of North Korean defectors", page_icon="🗺️",
                   layout="wide", initial_sidebar_state=story.initial_sidebar())

# The sidebar reads top to bottom: filters, story mode, your own data.
filters_box, story_box, upload_box = (st.sidebar.container() for _ in range(3))
dataset = upload.current(data.dataset_or_stop(), upload_box)
story.start_from_link(dataset)
storyteller = story.chooser(dataset, story_box)
chosen = sidebar.filters(dataset, filters_box)

if storyteller:
    story.show(dataset, storyteller)
    st.stop()
story.write_link(None)

legs = data.filtered(dataset, chosen)
header(dataset, legs, sidebar.link_notices())
upload.fix_places(dataset)
map_tab, timeline_tab, charts_tab, people_tab, download_tab = st.tabs(
    ["Route map", "Timeline", "Charts", "People and sources", "Download"])
with map_tab:
    route_map.show(legs, dataset.unresolved)
with timeline_tab:
    overview.timeline(legs)
with charts_tab:
    overview.aggregates(legs, data.arrivals())
with people_tab:
    people.show(dataset, legs)
with download_tab:
    exports.show(legs, dataset.people)
