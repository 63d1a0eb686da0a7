"""The timeline and the aggregate charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from routes_dash.render import charts
from routes_dash.ui import cache


def timeline(legs: pd.DataFrame) -> None:
    st.plotly_chart(_timeline(cache.key_of(legs), legs), key="timeline")
    st.caption("Hover a bar for the leg, its certainty and its source. Legs whose year is not "
               "known are shown apart, in the grey column.")


def aggregates(legs: pd.DataFrame, arrivals: pd.DataFrame) -> None:
    key = cache.key_of(legs)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(_by_mode(key, legs), key="by_mode")
    with right:
        st.plotly_chart(_by_country(key, legs), key="by_country")
    st.plotly_chart(_by_year(key, cache.key_of(arrivals), legs, arrivals), key="by_year")
    st.caption(charts.ARRIVALS_CAVEAT)
    st.plotly_chart(_flow(key, legs), key="flow")


# Each figure is built once per filter choice (see ui/cache.py) and shared read-only:
# st.plotly_chart only serialises it.
@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _timeline(key: str, _legs: pd.DataFrame) -> go.Figure:
    return charts.timeline(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_mode(key: str, _legs: pd.DataFrame) -> go.Figure:
    return charts.legs_by_mode(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_country(key: str, _legs: pd.DataFrame) -> go.Figure:
    return charts.outcomes_by_country(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_year(key: str, arrivals_key: str, _legs: pd.DataFrame, _arrivals: pd.DataFrame
             ) -> go.Figure:
    return charts.legs_by_year(_legs, _arrivals)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _flow(key: str, _legs: pd.DataFrame) -> go.Figure:
    return charts.outcome_flow(_legs)
