"""Plotly figures: the per-person timeline and the aggregate charts. Pure functions."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from routes_dash import journeys
from routes_dash.schema import MODES, OUTCOMES
from routes_dash.style import MODE_COLORS, OUTCOME_COLORS

FONT = {"family": "sans-serif", "size": 15}
UNKNOWN_GAP = 3  # years between the last known year and the "year unknown" column
UNKNOWN_WIDTH = 4  # the "year unknown" column is as wide as this many years


def _hover(text: pd.Series) -> pd.Series:
    # Plotly reads a few HTML tags in hover text; data is escaped so it shows as typed.
    return text.map(html.escape).str.replace("\n", "<br>", regex=False)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"}, font=FONT, height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 40}, plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.18, "x": 0},
    )
    return fig


def timeline(legs: pd.DataFrame, current: int | None = None) -> go.Figure:
    """One row per person; each leg placed in its years and coloured by outcome.

    Legs of unknown year are drawn apart, in a shaded column labelled "year unknown".
    `current`, a leg number of a one-person timeline, is marked "now" (story mode).
    """
    fig = go.Figure()
    if legs.empty:
        return _layout(fig, "Timeline: no legs match the filters", 300)
    frame = legs.assign(hover=_hover(journeys.leg_description(legs)))
    known = frame[frame["year"].notna()]
    last = int(known["year_end"].fillna(known["year"]).max()) if len(known) else 2000
    first = int(known["year"].min()) if len(known) else last - 1
    unknown_x = last + UNKNOWN_GAP
    # Legs of one person in one year are spread across that year so each stays visible;
    # legs of unknown year are spread across a wider column of their own.
    group = [frame["person"], frame["year"].fillna(-1)]
    order = frame.groupby(group).cumcount()
    size = frame.groupby(group)["leg"].transform("size")
    span = pd.Series(1.0, index=frame.index).where(frame["year"].notna(), UNKNOWN_WIDTH)
    start = frame["year"].astype(float).fillna(unknown_x)
    frame["x0"] = start + order / size * span
    end = frame["year_end"].astype(float)
    frame["x1"] = (end + 1).where(end.notna(), frame["x0"] + span / size)
    frame["base"] = frame["x0"]
    frame["length"] = (frame["x1"] - frame["x0"]).clip(lower=0.15)
    people = list(dict.fromkeys(frame.sort_values(["year", "person"])["name"]))
    for outcome in OUTCOMES:
        part = frame[frame["outcome"] == outcome]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            name=outcome, orientation="h", y=part["name"], x=part["length"], base=part["base"],
            marker={"color": OUTCOME_COLORS[outcome], "line": {"color": "white", "width": 1}},
            hovertext=part["hover"], hoverinfo="text", width=0.6,
        ))
    if current is not None and (frame["leg"] == current).any():
        here = frame[frame["leg"] == current].iloc[0]
        fig.add_trace(go.Scatter(
            x=[(here["x0"] + here["x1"]) / 2], y=[here["name"]], mode="markers+text",
            marker={"symbol": "triangle-down", "size": 22, "color": "#111"},
            text=[f"step {current}"], textposition="top center", name="this step",
            hoverinfo="skip", cliponaxis=False,
        ))
    if frame["year"].isna().any():
        fig.add_vrect(x0=unknown_x - 0.3, x1=unknown_x + UNKNOWN_WIDTH + 0.3,
                      fillcolor="#eeeeee", line_width=0, layer="below")
        fig.add_annotation(x=unknown_x + UNKNOWN_WIDTH / 2, y=1.0, yref="paper",
                           yanchor="bottom", text="year unknown", showarrow=False,
                           font={"size": 14, "color": "#444"})
    step = 5 if last - first > 12 else 2 if last - first > 6 else 1
    ticks = [t for t in range(first - first % step, last + 2, step) if t >= first - 1]
    fig.update_xaxes(tickvals=ticks, ticktext=[str(t) for t in ticks], showgrid=True,
                     gridcolor="#e6e6e6", range=[first - 1, unknown_x + UNKNOWN_WIDTH + 0.5])
    fig.update_yaxes(categoryorder="array", categoryarray=people[::-1])
    fig.update_layout(barmode="overlay", hoverlabel={"align": "left"})
    fig = _layout(fig, "Timeline: each person's legs, coloured by outcome",
                  max(300, 160 + 48 * len(people)))
    # A short chart needs its legend further below the year labels.
    fig.update_layout(legend={"y": -0.12 - 40 / fig.layout.height})
    return fig


def legs_by_mode(legs: pd.DataFrame) -> go.Figure:
    counts = legs["mode"].value_counts().reindex(MODES).dropna()
    counts = counts[counts > 0].sort_values()
    fig = go.Figure(go.Bar(
        x=counts.values, y=counts.index, orientation="h",
        marker_color=[MODE_COLORS[m] for m in counts.index],
        hovertemplate="%{y}: %{x} legs<extra></extra>",
    ))
    fig.update_xaxes(title="legs")
    return _layout(fig, "How people travelled: legs by mode", 380)


def outcomes_by_country(legs: pd.DataFrame) -> go.Figure:
    """Where legs ended (the country of `to`), stacked by their outcome."""
    ended = legs.assign(country=legs["to_country"].replace("", "place not located"))
    table = pd.crosstab(ended["country"], ended["outcome"])
    table = table.loc[table.sum(axis=1).sort_values().index]
    fig = go.Figure()
    for outcome in OUTCOMES:
        if outcome in table:
            fig.add_trace(go.Bar(
                name=outcome, y=table.index, x=table[outcome], orientation="h",
                marker_color=OUTCOME_COLORS[outcome],
                hovertemplate="%{y}: %{x} legs " + outcome + "<extra></extra>",
            ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="legs ending in the country")
    return _layout(fig, "Outcomes by country where the leg ended", 120 + 40 * max(len(table), 3))


ARRIVALS_CAVEAT = (
    "Arrivals: South Korea's Ministry of Unification, via press reports; the ministry revises "
    "its figures and preliminary figures differ by a few people. 1998 is the cumulative "
    "total up to 1998."
)


def legs_by_year(legs: pd.DataFrame, arrivals: pd.DataFrame) -> go.Figure:
    """Legs started per year beside the yearly arrivals of defectors in South Korea."""
    per_year = legs["year"].dropna().astype(int).value_counts().sort_index()
    yearly = arrivals[~arrivals["note"].fillna("").str.contains("cumulative")]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=per_year.index, y=per_year.values, name="legs in the data",
                         marker_color="#4477AA",
                         hovertemplate="%{x}: %{y} legs<extra></extra>"))
    fig.add_trace(go.Scatter(x=yearly["year"], y=yearly["arrivals"], yaxis="y2",
                             name="defectors arriving in South Korea (MOU)",
                             mode="lines+markers", line={"color": "#CC6677", "width": 3},
                             hovertemplate="%{x}: %{y:,} arrivals<extra></extra>"))
    fig.update_layout(
        yaxis={"title": "legs in the data", "rangemode": "tozero"},
        yaxis2={"title": "arrivals in South Korea", "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False, "tickformat": ","},
    )
    unknown = int(legs["year"].isna().sum())
    title = "Legs by year, beside yearly arrivals in South Korea"
    if unknown:
        title += f" ({unknown} legs of unknown year not shown)"
    return _layout(fig, title, 420)


NK = "North Korea"


def outcome_flow(legs: pd.DataFrame) -> go.Figure:
    """A Sankey of people moving between countries, stage by stage, into their last outcome.

    Each person's countries are read in leg order (repeats in a row collapsed); a return to
    North Korea shows as its own branch, coloured as a repatriation.
    """
    located = legs[(legs["from_country"] != "") & (legs["to_country"] != "")]
    paths = []
    for _, group in located.sort_values(["person", "leg"]).groupby("person", sort=False):
        countries = [group["from_country"].iloc[0], *group["to_country"]]
        stages = [c for i, c in enumerate(countries) if i == 0 or c != countries[i - 1]]
        paths.append((stages, group["outcome"].iloc[-1]))
    nodes: dict[tuple[int, str], int] = {}
    links: dict[tuple[int, int], int] = {}

    def node(stage: int, label: str) -> int:
        return nodes.setdefault((stage, label), len(nodes))

    for stages, last_outcome in paths:
        for i in range(len(stages) - 1):
            key = (node(i, stages[i]), node(i + 1, stages[i + 1]))
            links[key] = links.get(key, 0) + 1
        end = node(len(stages), f"last outcome: {last_outcome}")
        key = (node(len(stages) - 1, stages[-1]), end)
        links[key] = links.get(key, 0) + 1
    labels = [label for (_, label) in nodes]
    colors = [
        "rgba(136,34,85,0.55)" if labels[t] == NK else "rgba(68,119,170,0.35)"
        for (_, t) in links
    ]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": [html.escape(x) for x in labels], "pad": 18, "thickness": 16,
              "color": ["#882255" if x == NK else "#4477AA" for x in labels]},
        link={"source": [s for s, _ in links], "target": [t for _, t in links],
              "value": list(links.values()), "color": colors,
              "hovertemplate": "%{source.label} → %{target.label}: %{value} people"
                               "<extra></extra>"},
    ))
    return _layout(fig, "How journeys unfolded: countries passed through, then the last "
                   "outcome (returns to North Korea in wine red)", 460)
