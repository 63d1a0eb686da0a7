"""Plotly figures: the per-person timeline and the aggregate charts. Pure functions."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from routes_dash.contract.schema import MODES, OUTCOMES
from routes_dash.journeys.describe import leg_description
from routes_dash.render.style import MODE_COLORS, OUTCOME_COLORS

FONT = {"family": "sans-serif", "size": 15}
UNKNOWN_GAP = 3  # years between the last known year and the "year unknown" column
UNKNOWN_WIDTH = 4  # the "year unknown" column is as wide as this many years


def _hover(text: pd.Series) -> list[str]:
    # Plotly reads a few HTML tags in hover text; data is escaped so it shows as typed.
    return [html.escape(t).replace("\n", "<br>") for t in text.tolist()]


# Each figure is made by one go.Figure(data, layout) call: plotly validates what it is given
# once, where each add_trace / update_layout / add_annotation call validates again (tens of
# milliseconds per figure, whatever the size of the data).
def _figure(traces: list[dict], layout: dict, title: str, height: int,
            subtitle: str = "", legend_y: float = -0.18) -> go.Figure:
    base = {
        "title": {"text": title, "x": 0, "xanchor": "left"}, "font": FONT, "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 40}, "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": legend_y, "x": 0},
    }
    if subtitle:
        # A second line under the title: what the figure counts, or that it is a sample.
        base["title"]["subtitle"] = {"text": html.escape(subtitle)}
        base["margin"]["t"] = 80
    return go.Figure(data=traces, layout={**layout, **base})


def _counted(legs: pd.DataFrame) -> str:
    return f"Counts of all {len(legs):,} legs that match the filters."


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
    """One row per person; each leg placed in its years and coloured by outcome.

    Legs of unknown year are drawn apart, in a shaded column labelled "year unknown".
    `current`, a leg number of a one-person timeline, is marked "now" (story mode). With
    more than `most` people, a sample of `most` is drawn (see `timeline_people`) and the
    figure says so.
    """
    if legs.empty:
        return _figure([], {}, "Timeline: no legs match the filters", 300)
    ordered = _by_first_year(legs)
    everyone = len(ordered)
    shown = _sample(ordered, most)
    sampled = len(shown) < everyone
    frame = legs[legs["person"].isin(shown)] if sampled else legs
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
    outcomes = frame["outcome"].to_numpy()
    legs_here = frame["leg"].to_numpy()
    for outcome in OUTCOMES:
        part = outcomes == outcome
        if not part.any():
            continue
        traces.append({
            "type": "bar", "name": outcome, "orientation": "h", "y": names[part],
            "x": length[part], "base": x0[part],
            "marker": {"color": OUTCOME_COLORS[outcome], "line": {"color": "white", "width": 1}},
            "hovertext": hover[part], "hoverinfo": "text", "width": 0.6,
            # Each bar's leg number: story mode goes to the leg a reader clicks.
            "customdata": legs_here[part],
        })
    if current is not None and (legs_here == current).any():
        here = int(np.flatnonzero(legs_here == current)[0])
        traces.append({
            "type": "scatter", "x": [(x0[here] + x1[here]) / 2], "y": [names[here]],
            "mode": "markers+text",
            "marker": {"symbol": "triangle-down", "size": 22, "color": "#111"},
            "text": [f"leg {current}"], "textposition": "top center", "name": "this step",
            "hoverinfo": "skip", "cliponaxis": False,
        })
    layout: dict = {"barmode": "overlay", "hoverlabel": {"align": "left"}}
    if not known.all():
        layout["shapes"] = [{
            "type": "rect", "x0": unknown_x - 0.3, "x1": unknown_x + UNKNOWN_WIDTH + 0.3,
            "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "fillcolor": "#eeeeee",
            "line": {"width": 0}, "layer": "below"}]
        layout["annotations"] = [{
            "x": unknown_x + UNKNOWN_WIDTH / 2, "y": 1.0, "yref": "paper",
            "yanchor": "bottom", "text": "year unknown", "showarrow": False,
            "font": {"size": 14, "color": "#444"}}]
    step = 5 if last - first > 12 else 2 if last - first > 6 else 1
    ticks = [t for t in range(first - first % step, last + 2, step) if t >= first - 1]
    layout["xaxis"] = {"tickvals": ticks, "ticktext": [str(t) for t in ticks],
                       "showgrid": True, "gridcolor": "#e6e6e6",
                       "range": [first - 1, unknown_x + UNKNOWN_WIDTH + 0.5]}
    layout["yaxis"] = {"categoryorder": "array", "categoryarray": people[::-1]}
    height = max(300, (200 if sampled else 160) + 48 * len(people))
    # A short chart needs its legend further below the year labels.
    legend_y = -0.12 - 40 / height
    if not sampled:
        return _figure(traces, layout, "Timeline: each person's legs, coloured by outcome",
                       height, legend_y=legend_y)
    return _figure(traces, layout, f"Timeline: showing {len(people):,} of {everyone:,} people, "
                   "each person's legs coloured by outcome", height,
                   f"A sample: {len(people)} people evenly spread in the order of their first "
                   "year; choose people in the sidebar to see anyone else.", legend_y=legend_y)


def legs_by_mode(legs: pd.DataFrame) -> go.Figure:
    counts = legs["mode"].value_counts().reindex(MODES).dropna()
    counts = counts[counts > 0].sort_values()
    # Plain arrays and lists: plotly reads pandas objects through a much slower path.
    trace = {"type": "bar", "x": counts.to_numpy(), "y": counts.index.tolist(),
             "orientation": "h",
             "marker": {"color": [MODE_COLORS[m] for m in counts.index]},
             "hovertemplate": "%{y}: %{x} legs<extra></extra>"}
    return _figure([trace], {"xaxis": {"title": {"text": "legs"}}},
                   "How people travelled: legs by mode", 380, _counted(legs))


def outcomes_by_country(legs: pd.DataFrame) -> go.Figure:
    """Where legs ended (the country of `to`), stacked by their outcome."""
    country = legs["to_country"].replace("", "place not located").rename("country")
    table = legs.groupby([country, legs["outcome"]]).size().unstack("outcome", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    traces = [
        {"type": "bar", "name": outcome, "y": table.index.tolist(),
         "x": table[outcome].to_numpy(),
         "orientation": "h", "marker": {"color": OUTCOME_COLORS[outcome]},
         "hovertemplate": "%{y}: %{x} legs " + outcome + "<extra></extra>"}
        for outcome in OUTCOMES if outcome in table
    ]
    layout = {"barmode": "stack", "xaxis": {"title": {"text": "legs ending in the country"}}}
    return _figure(traces, layout, "Outcomes by country where the leg ended",
                   140 + 40 * max(len(table), 3), _counted(legs))


ARRIVALS_CAVEAT = (
    "Arrivals: South Korea's Ministry of Unification, via press reports; the ministry revises "
    "its figures and preliminary figures differ by a few people. 1998 is the cumulative "
    "total up to 1998."
)


def legs_by_year(legs: pd.DataFrame, arrivals: pd.DataFrame) -> go.Figure:
    """Legs started per year beside the yearly arrivals of defectors in South Korea."""
    per_year = legs["year"].dropna().astype(int).value_counts().sort_index()
    yearly = arrivals[~arrivals["note"].fillna("").str.contains("cumulative")]
    traces = [
        {"type": "bar", "x": per_year.index.to_numpy(), "y": per_year.to_numpy(),
         "name": "legs in the data",
         "marker": {"color": "#4477AA"}, "hovertemplate": "%{x}: %{y} legs<extra></extra>"},
        {"type": "scatter", "x": yearly["year"].to_numpy(), "y": yearly["arrivals"].to_numpy(),
         "yaxis": "y2",
         "name": "defectors arriving in South Korea (MOU)", "mode": "lines+markers",
         "line": {"color": "#CC6677", "width": 3},
         "hovertemplate": "%{x}: %{y:,} arrivals<extra></extra>"},
    ]
    layout = {
        "yaxis": {"title": {"text": "legs in the data"}, "rangemode": "tozero"},
        "yaxis2": {"title": {"text": "arrivals in South Korea"}, "overlaying": "y",
                   "side": "right", "rangemode": "tozero", "showgrid": False,
                   "tickformat": ","},
    }
    unknown = int(legs["year"].isna().sum())
    title = "Legs by year, beside yearly arrivals in South Korea"
    if unknown:
        title += f" ({unknown:,} legs of unknown year not shown)"
    return _figure(traces, layout, title, 420, _counted(legs))


NK = "North Korea"


def outcome_flow(legs: pd.DataFrame) -> go.Figure:
    """A Sankey of people moving between countries, stage by stage, into their last outcome.

    Each person's countries are read in leg order (repeats in a row collapsed); a return to
    North Korea shows as its own branch, coloured as a repatriation. People are counted, not
    drawn: the figure grows with the distinct paths, not with the people.
    """
    nodes, links, people = _flow(legs)
    labels = [label for (_, label) in nodes]
    colors = [
        "rgba(136,34,85,0.55)" if labels[t] == NK else "rgba(68,119,170,0.35)"
        for (_, t) in links
    ]
    trace = {
        "type": "sankey", "arrangement": "snap",
        "node": {"label": [html.escape(x) for x in labels], "pad": 18, "thickness": 16,
                 "color": ["#882255" if x == NK else "#4477AA" for x in labels]},
        "link": {"source": [s for s, _ in links], "target": [t for _, t in links],
                 "value": list(links.values()), "color": colors,
                 "hovertemplate": "%{source.label} → %{target.label}: %{value} people"
                                  "<extra></extra>"},
    }
    return _figure([trace], {}, "How journeys unfolded: countries passed through, then the "
                   "last outcome (returns to North Korea in wine red)", 480,
                   f"Each band counts people: {people:,} people whose places are located, "
                   "grouped by the countries they passed through.")


def _flow(legs: pd.DataFrame) -> tuple[dict[tuple[int, str], int],
                                        dict[tuple[int, int], int], int]:
    """The Sankey's nodes {(stage, label): id}, links {(source, target): people}, and people.

    Ids and links are numbered in the order met when reading people by id, each person's
    stages in order and then their last outcome. Plain numpy on integer codes.
    """
    located = legs[(legs["from_country"] != "") & (legs["to_country"] != "")]
    if located.empty:
        return {}, {}, 0
    person, ids = pd.factorize(located["person"])
    leg = located["leg"].to_numpy(dtype=np.int64, na_value=0)
    step = np.diff(person)
    if ((step > 0) | ((step == 0) & (np.diff(leg) > 0))).all() and (ids[:-1] < ids[1:]).all():
        order = np.arange(len(person))  # already by person, then leg, as the loader sorts
    else:
        person, _ = pd.factorize(located["person"], sort=True)
        order = np.lexsort((leg, person))
    rows = len(order)
    countries, names = pd.factorize(pd.concat([located["from_country"], located["to_country"]],
                                              ignore_index=True))
    start_country, end_country = countries[:rows][order], countries[rows:][order]
    person = person[order]
    new_person = np.r_[True, person[1:] != person[:-1]]
    # Each person's countries: where the first leg starts, then where every leg ends …
    steps = 1 + new_person
    at = np.cumsum(steps) - steps
    country = np.empty(rows + int(new_person.sum()), dtype=np.int64)
    country[at[new_person]] = start_country[new_person]
    country[at + steps - 1] = end_country
    who = np.repeat(person, steps)
    # … with repeats in a row collapsed: China, China, Laos → China, Laos.
    kept = np.r_[True, (who[1:] != who[:-1]) | (country[1:] != country[:-1])]
    who, country = who[kept], country[kept]
    index = np.arange(len(who))
    begins = np.r_[True, who[1:] != who[:-1]]
    stage = index - np.maximum.accumulate(np.where(begins, index, 0))
    last = np.r_[who[1:] != who[:-1], True]
    last_rows = order[np.r_[person[1:] != person[:-1], True]]  # each person's last leg
    outcome_codes, outcome_names = pd.factorize(located["outcome"].iloc[last_rows].to_numpy())
    # Labels: countries are 0 … C-1, "last outcome: …" C … C+O-1.
    end_label = len(names) + outcome_codes[np.cumsum(begins)[last] - 1]
    end_stage = stage[last] + 1
    labels = [*map(str, names), *(f"last outcome: {o}" for o in outcome_names)]
    width = len(labels)
    # Nodes in the order met; a one-stage path meets its outcome before its country.
    met_key = np.r_[2 * index, 2 * index[last] + np.where(stage[last] > 0, 1, -1)]
    met = np.r_[stage * width + country, end_stage * width + end_label][
        np.argsort(met_key, kind="stable")]
    distinct, first_met = np.unique(met, return_index=True)
    node_codes = distinct[np.argsort(first_met, kind="stable")]
    ids = np.empty(len(distinct), dtype=np.int64)
    ids[np.searchsorted(distinct, node_codes)] = np.arange(len(node_codes))

    def node(codes):
        return ids[np.searchsorted(distinct, codes)]

    source = node(stage * width + country)
    following = np.r_[country[1:], 0]
    target = np.empty_like(source)
    target[~last] = node(((stage + 1) * width + following)[~last])
    target[last] = node(end_stage * width + end_label)
    pairs = source * len(node_codes) + target
    distinct_pairs, first_pair, counts = np.unique(pairs, return_index=True, return_counts=True)
    in_order = np.argsort(first_pair, kind="stable")
    nodes = {(int(code // width), labels[int(code % width)]): i
             for i, code in enumerate(node_codes.tolist())}
    links = {(int(p // len(node_codes)), int(p % len(node_codes))): int(n)
             for p, n in zip(distinct_pairs[in_order].tolist(), counts[in_order].tolist(),
                             strict=True)}
    return nodes, links, int(new_person.sum())
