"""The Sankey of how journeys unfolded: countries passed through, then the last outcome."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from routes_dash.render.charts import INK, Chart, no_legs_chart, styled_figure
from routes_dash.render.style import OUTCOME_GROUP_COLORS, OUTCOME_GROUP_OF, OUTCOME_GROUPS

NK = "North Korea"
# At most this many countries per person are drawn; a longer journey goes on into one
# "more countries" node, so the figure keeps a few readable columns (the table lists every
# country of every path).
MAX_STAGES = 5
MORE = "more countries"
FLOW_TABLE_ROWS = 50
NODE_PAD = 22  # pixels between nodes of a column
HEIGHT = 520


def outcome_flow(legs: pd.DataFrame) -> Chart:
    """People moving between countries, stage by stage, into the group of their last outcome.

    Each person's countries are read in leg order (repeats in a row collapsed); a return to
    North Korea shows as its own branch, in wine red. Every last outcome is in one column on
    the right. People are counted, not drawn: the figure grows with the distinct paths, not
    with the people.
    """
    title = "How journeys unfolded: countries passed through, then the last outcome"
    nodes, links, people = _flow(legs)
    if not people:
        return no_legs_chart(title)
    labels = [label for (_, label) in nodes]
    stages = [stage for (stage, _) in nodes]
    final = max(stages)
    x, y = _positions(nodes, links)
    node_colors = [OUTCOME_GROUP_COLORS[label] if stage == final
                   else "#882255" if label == NK else "#4f6d8f"
                   for stage, label in nodes]
    link_colors = [_link_color(labels[t], stages[t] == final) for (_, t) in links]
    trace = {
        "type": "sankey", "arrangement": "snap", "valueformat": ",d", "valuesuffix": " people",
        "textfont": {"color": INK, "size": 15},
        "node": {"label": [html.escape(x) for x in labels], "pad": NODE_PAD, "thickness": 18,
                 "x": x, "y": y, "color": node_colors, "line": {"width": 0},
                 "hovertemplate": "%{label}: %{value:,} people<extra></extra>"},
        "link": {"source": [s for s, _ in links], "target": [t for _, t in links],
                 "value": list(links.values()), "color": link_colors,
                 "hovertemplate": "%{source.label} → %{target.label}: %{value:,} people"
                                  "<extra></extra>"},
    }
    # Column headings under the plot: where journeys begin, and where they end.
    annotations = [
        {"x": 0, "y": 0, "yref": "paper", "yanchor": "top", "xanchor": "left",
         "text": "where journeys began", "showarrow": False, "font": {"size": 14}},
        {"x": 1, "y": 0, "yref": "paper", "yanchor": "top", "xanchor": "right",
         "text": "last outcome", "showarrow": False, "font": {"size": 14}}]
    figure = styled_figure([trace], {"annotations": annotations,
                               "margin": {"l": 10, "r": 10, "t": 10, "b": 34}}, HEIGHT)
    table = _paths(legs)
    note = (f"Each band counts people: {people:,} people whose places are located, grouped "
            f"by the countries they passed through (at most {MAX_STAGES} drawn; the table "
            "lists every country). Returns to North Korea are in wine red.")
    top = table.iloc[0]
    alt = (f"Sankey diagram of {people:,} people's journeys from country to country into "
           f"their last outcome; the most common path is {top['countries, in order']} "
           f"({top['people']:,} people).")
    return Chart(title, note, figure, alt, table)


def _link_color(target: str, into_outcome: bool) -> str:
    if into_outcome:
        red, green, blue = (int(OUTCOME_GROUP_COLORS[target][i: i + 2], 16) for i in (1, 3, 5))
        return f"rgba({red},{green},{blue},0.35)"
    return "rgba(136,34,85,0.5)" if target == NK else "rgba(79,109,143,0.28)"


def _positions(nodes: dict[tuple[int, str], int], links: dict[tuple[int, int], int]
               ) -> tuple[list[float], list[float]]:
    """Where each node goes: one column per stage (the last outcomes at the right edge), the
    busiest node of a column on top, "more countries" at the bottom. Plotly's "snap"
    arrangement then only nudges nodes apart."""
    incoming, outgoing = np.zeros(len(nodes)), np.zeros(len(nodes))
    for (source, target), value in links.items():
        outgoing[source] += value
        incoming[target] += value
    people = np.maximum(incoming, outgoing)
    keys = list(nodes)  # in id order
    stages = np.array([stage for stage, _ in keys])
    present = np.unique(stages)  # columns side by side, even where a stage is missing
    pad = NODE_PAD / HEIGHT
    fullest = max(people[stages == s].sum() for s in present)
    scale = (1 - pad * (np.bincount(stages).max() - 1)) / fullest
    x, y = [0.0] * len(keys), [0.0] * len(keys)
    for column, stage in enumerate(present):
        members = sorted(np.flatnonzero(stages == stage).tolist(),
                         key=lambda i: (keys[i][1] == MORE, -people[i]))
        top = 0.0
        for i in members:
            height = people[i] * scale
            x[i] = 0.001 + 0.998 * column / max(len(present) - 1, 1)
            y[i] = min(max(top + height / 2, 0.001), 0.999)
            top += height + pad
    return x, y


def _ordered(legs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The located legs, an order that reads them by person then leg, and person codes."""
    located = legs[(legs["from_country"] != "") & (legs["to_country"] != "")]
    person, ids = pd.factorize(located["person"])
    leg = located["leg"].to_numpy(dtype=np.int64, na_value=0)
    step = np.diff(person)
    if ((step > 0) | ((step == 0) & (np.diff(leg) > 0))).all() and (ids[:-1] < ids[1:]).all():
        order = np.arange(len(person))  # already by person, then leg, as the loader sorts
    else:
        person, _ = pd.factorize(located["person"], sort=True)
        order = np.lexsort((leg, person))
    return located, order, person[order]


def _countries(legs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index, np.ndarray]:
    """Each person's countries in order, repeats in a row collapsed: (person code, country
    code, country names, each person's last leg's row in the located legs)."""
    located, order, person = _ordered(legs)
    rows = len(order)
    countries, names = pd.factorize(pd.concat([located["from_country"], located["to_country"]],
                                              ignore_index=True), sort=True)
    start_country, end_country = countries[:rows][order], countries[rows:][order]
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
    last_rows = order[np.r_[person[1:] != person[:-1], True]]
    return who[kept], country[kept], names, last_rows


def _flow(legs: pd.DataFrame) -> tuple[dict[tuple[int, str], int],
                                        dict[tuple[int, int], int], int]:
    """The Sankey's nodes {(stage, label): id}, links {(source, target): people}, and people.

    Stages 0 … MAX_STAGES - 1 are countries, stage MAX_STAGES is "more countries", and the
    last stage is the group of each person's last outcome. Nodes are numbered by stage, then
    label; links by source, then target. Plain numpy on integer codes.
    """
    if legs.empty or not ((legs["from_country"] != "") & (legs["to_country"] != "")).any():
        return {}, {}, 0
    who, country, names, last_rows = _countries(legs)
    index = np.arange(len(who))
    begins = np.r_[True, who[1:] != who[:-1]]
    stage = index - np.maximum.accumulate(np.where(begins, index, 0))
    # A journey past MAX_STAGES countries goes on into one "more countries" node.
    more = len(names)
    kept = stage <= MAX_STAGES
    country = np.where(stage == MAX_STAGES, more, country)[kept]
    who, stage = who[kept], stage[kept]
    last = np.r_[who[1:] != who[:-1], True]
    located = legs[(legs["from_country"] != "") & (legs["to_country"] != "")]
    groups = list(OUTCOME_GROUPS)
    outcome = located["outcome"].iloc[last_rows].map(OUTCOME_GROUP_OF).map(groups.index)
    labels = [*map(str, names), MORE, *groups]
    width = len(labels)
    final = MAX_STAGES + 1
    source_codes = stage * width + country
    target_codes = np.empty_like(source_codes)
    target_codes[~last] = source_codes[1:][~last[:-1]]
    target_codes[last] = final * width + more + 1 + outcome.to_numpy()
    codes = np.unique(np.r_[source_codes, target_codes])
    nodes = {(int(c // width), labels[int(c % width)]): i for i, c in enumerate(codes.tolist())}
    source, target = np.searchsorted(codes, source_codes), np.searchsorted(codes, target_codes)
    pairs, counts = np.unique(source * len(codes) + target, return_counts=True)
    links = {(int(p // len(codes)), int(p % len(codes))): int(n)
             for p, n in zip(pairs.tolist(), counts.tolist(), strict=True)}
    return nodes, links, int(last.sum())


def _paths(legs: pd.DataFrame) -> pd.DataFrame:
    """Every distinct path (all its countries) with its last outcome, most travelled first."""
    who, country, names, last_rows = _countries(legs)
    located = legs[(legs["from_country"] != "") & (legs["to_country"] != "")]
    path = pd.Series(names[country], dtype=str).groupby(who, sort=True).agg(" → ".join)
    outcome = located["outcome"].iloc[last_rows].to_numpy()
    group = pd.Series(outcome).map(OUTCOME_GROUP_OF).to_numpy()
    table = (pd.DataFrame({"countries, in order": path.to_numpy(), "last outcome": outcome,
                           "its group": group})
             .groupby(["countries, in order", "last outcome", "its group"], sort=False)
             .size().rename("people").reset_index()
             .sort_values("people", ascending=False, kind="stable"))
    return table.head(FLOW_TABLE_ROWS).reset_index(drop=True)
