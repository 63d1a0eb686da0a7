"""Plotly charts: the per-person timeline and the aggregate charts. Pure functions.

Each chart the page shows is a `Chart`: its heading, a line saying what it counts, the
figure, a short description for screen readers, and its numbers as a table. Figures carry
no title of their own (the page's heading is the title): the only thing above the plot is
the legend, so a legend can never overlap a title or an axis.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from routes_dash.contract.schema import MODES
from routes_dash.journeys.describe import leg_description, year_label, years_span
from routes_dash.render.style import (
    MODE_COLORS,
    OUTCOME_GROUP_COLORS,
    OUTCOME_GROUP_OF,
    OUTCOME_GROUPS,
)

INK = "#0b0e12"  # the page's text colour (config.toml): dark on white, for a projector
GRID = "#dde1e6"
FONT = {"family": "sans-serif", "size": 15, "color": INK}
UNKNOWN_GAP = 3  # years between the last known year and the "year unknown" column
UNKNOWN_WIDTH = 4  # the "year unknown" column is as wide as this many years


@dataclass(frozen=True)
class Chart:
    """A chart as the page shows it."""

    title: str  # the heading above the figure
    note: str  # what the chart counts, or that it is a sample
    figure: go.Figure
    alt: str  # a short description for screen readers
    table: pd.DataFrame  # the chart's numbers, for "show as a table"


def _hover(text: pd.Series) -> list[str]:
    # Plotly reads a few HTML tags in hover text; data is escaped so it shows as typed.
    return [html.escape(t).replace("\n", "<br>") for t in text.tolist()]


# Each figure is made by one go.Figure(data, layout) call: plotly validates what it is given
# once, where each add_trace / update_layout / add_annotation call validates again (tens of
# milliseconds per figure, whatever the size of the data).
def styled_figure(traces: list[dict], layout: dict, height: int) -> go.Figure:
    """A figure of `traces` in the charts' style (font, colours, margins, legend on top)."""
    base = {
        # No template: plotly.js's plain defaults, with this module's colours on top.
        "template": "none", "font": FONT, "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40, "pad": 4},
        "plot_bgcolor": "white", "paper_bgcolor": "white",
        "hoverlabel": {"align": "left", "font": {"size": 15}},
        # Above the plot, left-aligned: plotly makes room for it, whatever its rows.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0,
                   "yanchor": "bottom", "traceorder": "normal"},
    }
    return go.Figure(data=traces, layout={**base, **layout})


def count_axis(largest: float, title: str) -> dict:
    """An axis of counts: whole numbers only, with thousands separators, from zero."""
    return {"title": {"text": title}, "rangemode": "tozero", "tickformat": ",d", "tick0": 0,
            "dtick": count_step(largest), "gridcolor": GRID, "zeroline": False,
            "automargin": True}


def count_step(largest: float) -> int:
    """About six ticks at 1, 2 or 5 times a power of ten, never less than 1."""
    rough = max(float(largest), 1.0) / 6
    power = 10 ** math.floor(math.log10(rough))
    return max(1, int(next(m * power for m in (1, 2, 5, 10) if m * power >= rough)))


def _counted(legs: pd.DataFrame) -> str:
    return f"Counts of all {len(legs):,} legs that match the filters."


def no_legs_chart(title: str) -> Chart:
    """The chart `title` when no leg matches the filters: empty, saying so."""
    figure = styled_figure([], {"xaxis": {"visible": False}, "yaxis": {"visible": False}}, 200)
    return Chart(title, "No leg matches the filters.", figure, f"{title}: empty",
                 pd.DataFrame())


# --- the timeline ---------------------------------------------------------------------------

TIMELINE_MOST_PEOPLE = 60


def timeline_people(legs: pd.DataFrame, most: int = TIMELINE_MOST_PEOPLE) -> list[str]:
    """The people the timeline draws, in its order: by their first known year, then id.

    With more than `most` people it draws `most` of them, evenly spread over that order (the
    first, the last, and every k-th between), so a sample covers all the years.
    """
    return _sample(_by_first_year(legs), most)


def _by_first_year(legs: pd.DataFrame) -> pd.Index:
    first_year = legs.groupby("person", sort=True)["year"].min()
    return first_year.sort_values(kind="stable", na_position="last").index


def _sample(ordered: pd.Index, most: int) -> list[str]:
    if len(ordered) <= most:
        return list(ordered)
    picks = np.unique(np.linspace(0, len(ordered) - 1, most).round().astype(int))
    return list(ordered[picks])


def timeline(legs: pd.DataFrame, current: int | None = None,
             most: int = TIMELINE_MOST_PEOPLE) -> go.Figure:
    """One row per person; each leg placed in its years and coloured by its outcome's group
    (the outcome itself is in the hover).

    Legs of unknown year are drawn apart, in a shaded column labelled "year unknown".
    `current`, a leg number of a one-person timeline, is marked (story mode). With more than
    `most` people, a sample of `most` is drawn (see `timeline_people`).
    """
    if legs.empty:
        return styled_figure([], {}, 200)
    shown = timeline_people(legs, most)
    frame = legs[legs["person"].isin(shown)] if len(shown) < legs["person"].nunique() else legs
    year = frame["year"].astype(float).to_numpy()
    year_end = frame["year_end"].astype(float).to_numpy()
    known = ~np.isnan(year)
    last = int(np.nanmax(np.where(np.isnan(year_end), year, year_end))) if known.any() else 2000
    first = int(np.nanmin(year)) if known.any() else last - 1
    unknown_x = last + UNKNOWN_GAP
    # Legs of one person in one year are spread across that year so each stays visible;
    # legs of unknown year are spread across a wider column of their own.
    groups = frame.groupby([frame["person"], frame["year"].fillna(-1)])
    order = groups.cumcount().to_numpy()
    size = groups["leg"].transform("size").to_numpy()
    span = np.where(known, 1.0, UNKNOWN_WIDTH)
    x0 = np.where(known, year, unknown_x) + order / size * span
    x1 = np.where(np.isnan(year_end), x0 + span / size, year_end + 1)
    length = np.clip(x1 - x0, 0.15, None)
    names = frame["name"].to_numpy()
    hover = np.array(_hover(leg_description(frame)), dtype=object)
    by_name = dict(zip(frame["person"], frame["name"], strict=True))
    people = list(dict.fromkeys(by_name[p] for p in shown))
    traces = []
    legs_here = frame["leg"].to_numpy()
    group = frame["outcome"].map(OUTCOME_GROUP_OF).to_numpy()
    for name in OUTCOME_GROUPS:
        part = group == name
        if not part.any():
            continue
        traces.append({
            "type": "bar", "name": name, "orientation": "h", "y": names[part],
            "x": length[part], "base": x0[part],
            "marker": {"color": OUTCOME_GROUP_COLORS[name],
                       "line": {"color": "white", "width": 1}},
            "hovertext": hover[part], "hoverinfo": "text", "width": 0.5,
            # Each bar's leg number: story mode goes to the leg a reader clicks.
            "customdata": legs_here[part],
        })
    if current is not None and (legs_here == current).any():
        here = int(np.flatnonzero(legs_here == current)[0])
        traces.append({
            "type": "scatter", "x": [(x0[here] + x1[here]) / 2], "y": [names[here]],
            "mode": "markers+text",
            "marker": {"symbol": "triangle-down", "size": 22, "color": INK},
            "text": [f"leg {current}"], "textposition": "top center", "name": "this step",
            "hoverinfo": "skip", "cliponaxis": False, "showlegend": False,
        })
    step = 10 if last - first > 30 else 5 if last - first > 12 else 2 if last - first > 6 else 1
    ticks = [t for t in range(first - first % step, last + 2, step) if t >= first - 1]
    labels = [str(t) for t in ticks]
    layout: dict = {"barmode": "overlay"}
    if not known.all():
        layout["shapes"] = [{
            "type": "rect", "x0": unknown_x - 0.3, "x1": unknown_x + UNKNOWN_WIDTH + 0.3,
            "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "fillcolor": "#eeeeee",
            "line": {"width": 0}, "layer": "below"}]
        # Named under the axis, with the years: nothing is drawn above the plot but the legend.
        ticks.append(unknown_x + UNKNOWN_WIDTH / 2)
        labels.append("year<br>unknown")
    layout["xaxis"] = {"tickvals": ticks, "ticktext": labels, "showgrid": True,
                       "gridcolor": GRID, "automargin": True, "ticklabeloverflow": "allow",
                       "tickangle": 0,
                       "range": [first - 1, unknown_x + UNKNOWN_WIDTH + 0.5]}
    layout["yaxis"] = {"categoryorder": "array", "categoryarray": people[::-1],
                       "showticklabels": False, "range": [-0.5, len(people) - 0.2]}
    # Each name is written above its row, from the left edge: the bars keep the full width,
    # however narrow the screen and however long the name.
    layout["annotations"] = [
        {"x": 0, "xref": "paper", "xanchor": "left", "y": name, "yshift": 13,
         "yanchor": "bottom", "text": html.escape(name), "showarrow": False,
         "font": {"size": 14}} for name in people]
    return styled_figure(traces, layout, max(240, 110 + 54 * len(people)))


def timeline_chart(legs: pd.DataFrame, most: int = TIMELINE_MOST_PEOPLE) -> Chart:
    """The page's timeline: the figure, and per person their years, legs and last outcome."""
    title = "Timeline: each person's legs, coloured by outcome"
    if legs.empty:
        return no_legs_chart(title)
    shown = timeline_people(legs, most)
    everyone = legs["person"].nunique()
    note = "Hover a bar for the leg, its outcome, its certainty and its source."
    if len(shown) < everyone:
        title = (f"Timeline: showing {len(shown):,} of {everyone:,} people, each person's legs "
                 "coloured by outcome")
        note = (f"A sample: {len(shown)} people evenly spread in the order of their first "
                "year; choose people in the sidebar to see anyone else. " + note)
    mine = legs[legs["person"].isin(shown)]
    by_person = mine.groupby("person", sort=False)
    first, last = by_person["year"].min(), by_person["year_end"].max()
    last = pd.concat([last, by_person["year"].max()], axis=1).max(axis=1)
    final = mine.drop_duplicates("person", keep="last").set_index("person")
    table = pd.DataFrame({
        "person": final["name"],
        "years": year_label(pd.DataFrame({"year": first, "year_end": last})),
        "legs": by_person.size(),
        "last outcome": final["outcome"],
    }).loc[shown].reset_index(drop=True)
    span = years_span(legs)
    alt = (f"Timeline of {len(shown):,} people's journeys{', ' + span if span else ''}: a row "
           "per person, a bar per leg in its years, coloured by outcome.")
    return Chart(title, note, timeline(legs, most=most), alt, table)


# --- the aggregate charts -------------------------------------------------------------------


def legs_by_mode(legs: pd.DataFrame) -> Chart:
    title = "How people travelled: legs by mode"
    if legs.empty:
        return no_legs_chart(title)
    counts = legs["mode"].value_counts().reindex(MODES).dropna()
    counts = counts[counts > 0].sort_values(kind="stable").astype(int)
    # Plain arrays and lists: plotly reads pandas objects through a much slower path.
    trace = {"type": "bar", "x": counts.to_numpy(), "y": counts.index.tolist(),
             "orientation": "h", "showlegend": False,
             "marker": {"color": [MODE_COLORS[m] for m in counts.index]},
             "hovertemplate": "%{y}: %{x:,} legs<extra></extra>"}
    layout = {"xaxis": count_axis(counts.max(), "legs"), "yaxis": {"automargin": True}}
    figure = styled_figure([trace], layout, 120 + 26 * len(counts))
    table = counts[::-1].rename_axis("mode").rename("legs").reset_index()
    most = table.iloc[0]
    alt = (f"Bar chart of the legs by mode of travel; the most common is {most['mode']} "
           f"({most['legs']:,} of {len(legs):,} legs).")
    return Chart(title, _counted(legs), figure, alt, table)


def outcomes_by_country(legs: pd.DataFrame) -> Chart:
    """Where legs ended (the country of `to`), stacked by their outcome's group; the hover
    names the outcomes in each group."""
    title = "Outcomes by country where the leg ended"
    if legs.empty:
        return no_legs_chart(title)
    country = legs["to_country"].replace("", "place not located").rename("country")
    group = legs["outcome"].map(OUTCOME_GROUP_OF).rename("group")
    counts = legs.groupby([country, group, legs["outcome"]]).size()
    table = counts.groupby(level=["country", "group"]).sum().unstack("group", fill_value=0)
    table = table[[g for g in OUTCOME_GROUPS if g in table]]
    table = table.loc[table.sum(axis=1).sort_values(kind="stable").index]
    # "3 legs: caught 2, detained 1" for each country and group, for the hover.
    detail = (counts.index.get_level_values("outcome") + " " + counts.astype(str).to_numpy())
    detail = pd.Series(detail, index=counts.index).groupby(level=["country", "group"]).agg(
        ", ".join)
    traces = []
    for name in table.columns:
        outcomes = [detail.get((c, name), "") for c in table.index]
        traces.append({
            "type": "bar", "name": name, "y": table.index.tolist(),
            "x": table[name].to_numpy(), "orientation": "h", "customdata": outcomes,
            "marker": {"color": OUTCOME_GROUP_COLORS[name],
                       "line": {"color": "white", "width": 1}},
            "hovertemplate": "%{y}: %{x:,} legs " + name + " (%{customdata})<extra></extra>"})
    totals = table.sum(axis=1)
    layout = {"barmode": "stack", "yaxis": {"automargin": True},
              "xaxis": count_axis(totals.max(), "legs")}
    figure = styled_figure(traces, layout, 150 + 28 * max(len(table), 3))
    shown = table[::-1].assign(**{"all legs": totals[::-1]}).rename_axis(
        "country where the leg ended").reset_index()
    shown.columns.name = None
    top = shown.iloc[0]
    alt = (f"Stacked bar chart of the legs by the country where they ended and their outcome; "
           f"most end in {top['country where the leg ended']} ({top['all legs']:,} legs).")
    return Chart(title, _counted(legs), figure, alt, shown)


ARRIVALS_CAVEAT = (
    "Arrivals: South Korea's Ministry of Unification, via press reports; the ministry revises "
    "its figures and preliminary figures differ by a few people. 1998 is the cumulative "
    "total up to 1998."
)


def legs_by_year(legs: pd.DataFrame, arrivals: pd.DataFrame) -> Chart:
    """Legs started per year beside the yearly arrivals of defectors in South Korea."""
    title = "Legs by year, beside yearly arrivals in South Korea"
    per_year = legs["year"].dropna().astype(int).value_counts().sort_index()
    yearly = arrivals[~arrivals["note"].fillna("").str.contains("cumulative")]
    yearly = yearly.set_index(yearly["year"].astype(int))["arrivals"].astype(int)
    traces = [
        {"type": "bar", "x": per_year.index.to_numpy(), "y": per_year.to_numpy(),
         "name": "legs in the data (left axis)", "marker": {"color": "#4477AA"},
         "hovertemplate": "%{x}: %{y:,} legs<extra></extra>"},
        {"type": "scatter", "x": yearly.index.to_numpy(), "y": yearly.to_numpy(),
         "yaxis": "y2", "name": "defectors arriving in South Korea (right axis)",
         "mode": "lines+markers", "line": {"color": "#CC3311", "width": 3},
         "hovertemplate": "%{x}: %{y:,} arrivals<extra></extra>"},
    ]
    layout = {
        "xaxis": {"tickformat": "d", "automargin": True},
        "yaxis": count_axis(per_year.max() if len(per_year) else 1, "legs in the data"),
        "yaxis2": {**count_axis(yearly.max(), "arrivals in South Korea"), "overlaying": "y",
                   "side": "right", "showgrid": False},
    }
    note = _counted(legs)
    unknown = int(legs["year"].isna().sum())
    if unknown:
        note += f" {unknown:,} legs of unknown year are not shown."
    table = pd.DataFrame({"legs in the data": per_year, "arrivals in South Korea": yearly})
    table = table.rename_axis("year").reset_index()
    table["legs in the data"] = table["legs in the data"].fillna(0).astype(int)
    table["arrivals in South Korea"] = table["arrivals in South Korea"].astype("Int64")
    alt = ("Bars of the legs that started each year, and a line of the defectors arriving in "
           f"South Korea each year, {yearly.index.min()}–{yearly.index.max()}, peaking at "
           f"{yearly.max():,} in {yearly.idxmax()}.")
    return Chart(title, note, styled_figure(traces, layout, 420), alt, table)
