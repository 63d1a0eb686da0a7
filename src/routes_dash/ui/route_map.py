"""The route map section."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from routes_dash import maps
from routes_dash.style import MODE_COLORS, OUTCOME_COLORS
from routes_dash.ui import cache

MAP_HEIGHT = 620


def show(legs: pd.DataFrame, unresolved: tuple[str, ...]) -> None:
    key = cache.key_of(legs)
    st.pydeck_chart(_deck(key, legs), height=MAP_HEIGHT, width="stretch", key="route_map")
    st.plotly_chart(_legend_figure(key, legs), key="map_legend",
                    config={"displayModeBar": False, "staticPlot": True})
    for note in _notes(key, legs, unresolved):
        st.caption(note)


# Built once per filter choice; shared read-only (st.pydeck_chart and st.plotly_chart only
# serialise them).
@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _deck(key: str, _legs: pd.DataFrame):
    return maps.build_deck(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _legend_figure(key: str, _legs: pd.DataFrame) -> go.Figure:
    return _legend(_legs)


@st.cache_resource(show_spinner=False, max_entries=cache.VIEWS)
def _notes(key: str, _legs: pd.DataFrame, unresolved: tuple[str, ...]) -> tuple[str, ...]:
    legs = _legs
    located = legs[legs["located"]]
    notes = []
    reduced = int(legs["precision_reduced"].sum())
    if reduced:
        notes.append(f"{reduced:,} legs of anonymous people are shown at country level, coarser "
                     "than the data, to protect them.")
    coarse = int((legs["shown_precision"].isin(("province", "country"))
                  & ~legs["precision_reduced"]).sum())
    if coarse:
        notes.append(f"{coarse:,} legs are known only to a province or a country and are drawn "
                     "at its centre.")
    missing = len(legs) - len(located)
    if missing:
        places = sorted(set(legs.loc[~legs["located"], "from"]) | set(
            legs.loc[~legs["located"], "to"]) & set(unresolved))
        notes.append(f"{missing:,} legs are not on the map because a place has no coordinates "
                     f"(they are in the tables): {', '.join(places)}.")
    return tuple(notes)


def _legend(legs: pd.DataFrame) -> go.Figure:
    """Modes on the map as coloured lines, alarming outcomes as dots, in one row each."""
    present_modes, outcomes = set(legs["mode"].unique()), set(legs["outcome"].unique())
    modes = tuple(m for m in MODE_COLORS if m in present_modes)
    alarming = tuple(o for o in ("caught", "repatriated", "detained", "trafficked",
                                 "turned back") if o in outcomes)
    return _legend_drawing(modes, alarming)


# Depends only on which modes and outcomes are present: shared by most filter choices.
@st.cache_resource(show_spinner=False, max_entries=64)
def _legend_drawing(modes: tuple[str, ...], alarming: tuple[str, ...]) -> go.Figure:
    traces, annotations = [], []
    x = 0.0
    for mode in modes:
        traces.append({"type": "scatter", "x": [x, x + 0.5], "y": [1, 1], "mode": "lines",
                       "line": {"color": MODE_COLORS[mode], "width": 6}})
        annotations.append({"x": x + 0.6, "y": 1, "text": mode, "showarrow": False,
                            "xanchor": "left"})
        x += 1.4 + 0.16 * len(mode)
    width = x
    x = 0.0
    for outcome in alarming:
        traces.append({"type": "scatter", "x": [x + 0.25], "y": [0], "mode": "markers",
                       "marker": {"color": OUTCOME_COLORS[outcome], "size": 14,
                                  "line": {"color": "white", "width": 2}}})
        annotations.append({"x": x + 0.6, "y": 0, "text": f"ended {outcome}",
                            "showarrow": False, "xanchor": "left"})
        x += 2.2 + 0.16 * len(outcome)
    # One go.Figure call: plotly validates once, not once per trace and annotation.
    return go.Figure(data=traces, layout={
        "height": 90, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "showlegend": False,
        "font": {"size": 14}, "plot_bgcolor": "white", "annotations": annotations,
        "xaxis": {"visible": False, "range": [-0.2, max(width, x, 12)]},
        "yaxis": {"visible": False, "range": [-0.6, 1.5]}})
