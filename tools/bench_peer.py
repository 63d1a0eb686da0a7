"""The peer in `./dev bench`: the plain page a journalist would write in an afternoon.

A Streamlit script, run by the benchmark exactly as it runs app.py, on the same data folder
(ROUTES_DASH_DATA): it reads the CSV on every run, joins the geocode cache's coordinates,
draws one ArcLayer with an arc for every leg, three plotly histograms and a table of the
legs, with a years slider in the sidebar. No caching, no aggregation: what the dashboard
is measured against, not a page anyone should ship.
"""

import os
from pathlib import Path

import pandas as pd
import plotly.express as px
import pydeck as pdk
import streamlit as st

folder = Path(os.environ.get("ROUTES_DASH_DATA", "data"))
legs = pd.read_csv(folder / "legs.csv")
places = pd.read_csv(folder / "geocache.csv").drop_duplicates("place").set_index("place")
legs = legs.join(places[["lat", "lon"]].add_prefix("from_"), on="from")
legs = legs.join(places[["lat", "lon"]].add_prefix("to_"), on="to")

st.title("Escape routes")
known = legs["year"].dropna()
low, high = int(known.min()), int(known.max())
first, last = st.sidebar.slider("Years", low, high, (low, high), key="filter_years")
shown = legs[legs["year"].between(first, last)]

st.pydeck_chart(pdk.Deck(
    layers=[pdk.Layer("ArcLayer", data=shown.dropna(subset=["from_lat", "to_lat"]),
                      get_source_position=["from_lon", "from_lat"],
                      get_target_position=["to_lon", "to_lat"],
                      get_source_color=[200, 30, 0], get_target_color=[0, 90, 200],
                      get_width=2, pickable=True)],
    initial_view_state=pdk.ViewState(latitude=35, longitude=115, zoom=3),
    map_provider=None, tooltip={"text": "{person}: {from} → {to}, {mode}, {year}"}))
left, middle, right = st.columns(3)
left.plotly_chart(px.histogram(shown, x="year", title="Legs by year"))
middle.plotly_chart(px.histogram(shown, x="mode", title="Legs by mode"))
right.plotly_chart(px.histogram(shown, x="outcome", title="Legs by outcome"))
st.dataframe(shown)
