"""The route map section."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from routes_dash.journeys.notes import view_notes
from routes_dash.render import legend, maps
from routes_dash.ui import cache, certainty
from routes_dash.ui.plain import plain

MAP_HEIGHT = 620


def show(legs: pd.DataFrame) -> None:
    key = cache.key_of(legs)
    st.pydeck_chart(_deck(key, legs), height=MAP_HEIGHT, width="stretch", key="route_map")
    st.plotly_chart(_legend_figure(key, legs), key="map_legend",
                    config={"displayModeBar": False, "staticPlot": True})
    certainty.legend()
    for note in _notes(key, legs):
        st.caption(plain(note))  # may name places of the data


# Built once per filter choice; shared read-only (st.pydeck_chart and st.plotly_chart only
# serialise them).
@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _deck(key: str, _legs: pd.DataFrame):
    return maps.build_deck(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _legend_figure(key: str, _legs: pd.DataFrame) -> go.Figure:
    return _legend_drawing(*legend.legend_entries(_legs))


# Depends only on which modes and outcomes are present: shared by most filter choices.
@st.cache_resource(show_spinner=False, max_entries=64)
def _legend_drawing(modes: tuple[str, ...], alarming: tuple[str, ...]) -> go.Figure:
    return legend.legend_drawing(modes, alarming)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _notes(key: str, _legs: pd.DataFrame) -> tuple[str, ...]:
    return tuple(view_notes(_legs).values())
