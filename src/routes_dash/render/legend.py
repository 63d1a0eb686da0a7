"""The route map's legend, drawn with plotly: deck.gl has none of its own."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from routes_dash.contract.schema import ALARMING_OUTCOMES
from routes_dash.render.style import MODE_COLORS, OUTCOME_COLORS


def legend_entries(legs: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the map's legend lists for these legs: the modes drawn and the outcomes marked."""
    present_modes, outcomes = set(legs["mode"].unique()), set(legs["outcome"].unique())
    modes = tuple(m for m in MODE_COLORS if m in present_modes)
    alarming = tuple(o for o in ALARMING_OUTCOMES if o in outcomes)
    return modes, alarming


def legend_drawing(modes: tuple[str, ...], alarming: tuple[str, ...]) -> go.Figure:
    """Modes on the map as coloured lines, alarming outcomes as dots, in one row each."""
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
