"""routes_dash: the page. Run with `./dev app` (or `streamlit run app.py`)."""

import streamlit as st

from routes_dash.ui import data, overview, people, route_map, sidebar
from routes_dash.ui.header import header

st.set_page_config(page_title="Escape routes of North Korean defectors", page_icon="🗺️",
                   layout="wide")

dataset = data.dataset_or_stop()
chosen = sidebar.filters(dataset)
legs = data.filtered(dataset, chosen)
header(dataset, legs, sidebar.link_notices())

map_tab, timeline_tab, charts_tab, people_tab = st.tabs(
    ["Route map", "Timeline", "Charts", "People and sources"])
with map_tab:
    route_map.show(legs, dataset.unresolved)
with timeline_tab:
    overview.timeline(legs)
with charts_tab:
    overview.aggregates(legs, data.arrivals())
with people_tab:
    people.show(dataset, legs)
