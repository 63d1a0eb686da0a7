"""The timeline and the aggregate charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash import charts


def timeline(legs: pd.DataFrame) -> None:
    st.plotly_chart(charts.timeline(legs), key="timeline")
    st.caption("Hover a bar for the leg, its certainty and its source. Legs whose year is not "
               "known are shown apart, in the grey column.")


def aggregates(legs: pd.DataFrame, arrivals: pd.DataFrame) -> None:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.legs_by_mode(legs), key="by_mode")
    with right:
        st.plotly_chart(charts.outcomes_by_country(legs), key="by_country")
    st.plotly_chart(charts.legs_by_year(legs, arrivals), key="by_year")
    st.caption(charts.ARRIVALS_CAVEAT)
    st.plotly_chart(charts.outcome_flow(legs), key="flow")
