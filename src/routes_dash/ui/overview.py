"""The timeline and the aggregate charts, each with a heading, a description for screen
readers, and its numbers as a table."""

from __future__ import annotations

from numbers import Integral

import pandas as pd
import streamlit as st

from routes_dash.render import charts, flow
from routes_dash.ui import cache

# Plotly's toolbar without its logo; no theme from Streamlit: the figures set their own dark,
# high-contrast text (render/charts.py).
CONFIG = {"displaylogo": False}


def timeline(legs: pd.DataFrame) -> None:
    show(_timeline(cache.key_of(legs), legs), "timeline")
    st.caption("Legs whose year is not known are shown apart, in the grey column.")


def aggregates(legs: pd.DataFrame, arrivals: pd.DataFrame) -> None:
    key = cache.key_of(legs)
    left, right = st.columns(2)
    with left:
        show(_by_mode(key, legs), "by_mode")
    with right:
        show(_by_country(key, legs), "by_country")
    show(_by_year(key, cache.key_of(arrivals), legs, arrivals), "by_year")
    st.caption(charts.ARRIVALS_CAVEAT)
    show(_flow(key, legs), "flow", scrolls=True)


def show(chart: charts.Chart, key: str, scrolls: bool = False) -> None:
    """A chart under its heading, named for screen readers, with its numbers a click away.
    A chart that `scrolls` keeps a readable width on a phone and scrolls sideways."""
    st.header(chart.title, anchor=False)
    st.caption(chart.note)
    with st.container(key=f"scroll_{key}" if scrolls else None):
        st.plotly_chart(chart.figure, key=key, theme=None, config=CONFIG, alt=chart.alt)
    if not chart.table.empty:
        with st.expander("Show as a table"):
            st.table(_readable(chart.table), hide_index=True, alt=f"{chart.title}: the numbers")


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers with thousands separators; an empty cell where there is no value."""
    return table.map(lambda v: "" if pd.isna(v) else f"{v:,}" if isinstance(v, Integral) else v)


# Each chart is built once per filter choice (see ui/cache.py) and shared read-only:
# st.plotly_chart only serialises it.
@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _timeline(key: str, _legs: pd.DataFrame) -> charts.Chart:
    return charts.timeline_chart(_legs)


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_mode(key: str, _legs: pd.DataFrame) -> charts.Chart:
    return charts.legs_by_mode(_legs)


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_country(key: str, _legs: pd.DataFrame) -> charts.Chart:
    return charts.outcomes_by_country(_legs)


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _by_year(key: str, arrivals_key: str, _legs: pd.DataFrame, _arrivals: pd.DataFrame
             ) -> charts.Chart:
    return charts.legs_by_year(_legs, _arrivals)


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _flow(key: str, _legs: pd.DataFrame) -> charts.Chart:
    return flow.outcome_flow(_legs)
