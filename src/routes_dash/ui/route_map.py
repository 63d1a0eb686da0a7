"""The route map section."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from routes_dash import maps
from routes_dash.style import MODE_COLORS, OUTCOME_COLORS

MAP_HEIGHT = 620


def show(legs: pd.DataFrame, unresolved: tuple[str, ...]) -> None:
    located = legs[legs["located"]]
    st.pydeck_chart(maps.build_deck(legs), height=MAP_HEIGHT, width="stretch", key="route_map")
    st.plotly_chart(_legend(legs), key="map_legend", config={"displayModeBar": False,
                                                             "staticPlot": True})
    notes = []
    reduced = int(legs["precision_reduced"].sum())
    if reduced:
        notes.append(f"{reduced} legs of anonymous people are shown at country level, coarser "
                     "than the data, to protect them.")
    coarse = int((legs["shown_precision"].isin(("province", "country"))
                  & ~legs["precision_reduced"]).sum())
    if coarse:
        notes.append(f"{coarse} legs are known only to a province or a country and are drawn "
                     "at its centre.")
    missing = len(legs) - len(located)
    if missing:
        places = sorted(set(legs.loc[~legs["located"], "from"]) | set(
            legs.loc[~legs["located"], "to"]) & set(unresolved))
        notes.append(f"{missing} legs are not on the map because a place has no coordinates "
                     f"(they are in the tables): {', '.join(places)}.")
    for note in notes:
        st.caption(note)


def _legend(legs: pd.DataFrame) -> go.Figure:
    """Modes on the map as coloured lines, alarming outcomes as dots, in one row each."""
    modes = [m for m in MODE_COLORS if m in set(legs["mode"])]
    alarming = [o for o in ("caught", "repatriated", "detained", "trafficked", "turned back")
                if o in set(legs["outcome"])]
    fig = go.Figure()
    x = 0.0
    for mode in modes:
        fig.add_trace(go.Scatter(x=[x, x + 0.5], y=[1, 1], mode="lines",
                                 line={"color": MODE_COLORS[mode], "width": 6}))
        fig.add_annotation(x=x + 0.6, y=1, text=mode, showarrow=False, xanchor="left")
        x += 1.2 + 0.13 * len(mode)
    width = x
    x = 0.0
    for outcome in alarming:
        fig.add_trace(go.Scatter(x=[x + 0.25], y=[0], mode="markers",
                                 marker={"color": OUTCOME_COLORS[outcome], "size": 14,
                                         "line": {"color": "white", "width": 2}}))
        fig.add_annotation(x=x + 0.6, y=0, text=f"ended {outcome}", showarrow=False,
                           xanchor="left")
        x += 1.9 + 0.13 * len(outcome)
    fig.update_layout(height=90, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
                      font={"size": 14}, plot_bgcolor="white",
                      xaxis={"visible": False, "range": [-0.2, max(width, x, 12)]},
                      yaxis={"visible": False, "range": [-0.6, 1.5]})
    return fig
