"""The figures, asserted from their JSON: counts, traces, hover text (the map: test_map.py)."""


import pandas as pd
from conftest import REPO

from routes_dash.render import charts, flow
from routes_dash.render.style import OUTCOME_GROUPS


def test_timeline_has_a_row_per_person_and_an_unknown_year_column(other_journeys):
    fig = charts.timeline(other_journeys.legs).to_dict()
    people = {y for trace in fig["data"] for y in trace["y"]}
    assert people == {"Min (test person)", "Anonymous (test person)"}
    # Each name is written over its row, not as an axis label that eats a phone's width.
    assert {a["text"] for a in fig["layout"]["annotations"]} == people
    assert sum(len(t["y"]) for t in fig["data"]) == len(other_journeys.legs)
    assert "year<br>unknown" in fig["layout"]["xaxis"]["ticktext"]
    hover = " ".join(h for t in fig["data"] for h in t["hovertext"])
    assert "source: https://example.org/test-min" in hover


def test_timeline_colours_outcome_groups_and_hovers_the_outcome(bundled):
    from routes_dash.render.style import OUTCOME_GROUP_COLORS, OUTCOME_GROUP_OF

    fig = charts.timeline(bundled.legs)
    groups = {OUTCOME_GROUP_OF[o] for o in bundled.legs["outcome"]}
    assert {trace.name for trace in fig.data} == groups
    assert {trace.marker.color for trace in fig.data} <= set(OUTCOME_GROUP_COLORS.values())
    assert len({trace.marker.color for trace in fig.data}) <= 7
    for trace in fig.data:  # the outcome itself, not only its group, is in every hover
        assert all(any(f" · {o}" in h for o in OUTCOME_GROUPS[trace.name])
                   for h in trace.hovertext)


def test_legends_sit_above_the_plot_where_nothing_else_is(bundled):
    arrivals = pd.read_csv(REPO / "data" / "arrivals.csv")
    for chart in (charts.timeline_chart(bundled.legs), charts.outcomes_by_country(bundled.legs),
                  charts.legs_by_year(bundled.legs, arrivals)):
        layout = chart.figure.to_dict()["layout"]
        assert "title" not in layout or not layout["title"].get("text")  # the page's heading
        assert layout["legend"]["orientation"] == "h"
        assert layout["legend"]["y"] >= 1 and layout["legend"]["yanchor"] == "bottom"
        assert all(a.get("yref") != "paper" or a["y"] <= 1
                   for a in layout.get("annotations", []))


def test_hover_text_from_data_is_escaped(other_journeys):
    legs = other_journeys.legs.copy()
    legs.loc[0, "note"] = '<img src=x onerror="alert(1)">'
    legs.loc[legs["person"] == legs.loc[0, "person"], "name"] = "<b>Min</b>"
    fig = charts.timeline(legs).to_dict()
    hover = " ".join(h for t in fig["data"] for h in t["hovertext"])
    assert "<img" not in hover and "&lt;img" in hover
    assert "&lt;b&gt;Min&lt;/b&gt;" in {a["text"] for a in fig["layout"]["annotations"]}


def test_aggregate_charts_count_the_legs(other_journeys):
    legs = other_journeys.legs
    by_mode = charts.legs_by_mode(legs)
    assert sum(by_mode.figure.data[0].x) == len(legs) == by_mode.table["legs"].sum()
    by_country = charts.outcomes_by_country(legs)
    assert sum(sum(t.x) for t in by_country.figure.data) == len(legs)
    assert by_country.table["all legs"].sum() == len(legs)


def test_count_axes_show_whole_numbers_with_thousands_separators(bundled):
    arrivals = pd.read_csv(REPO / "data" / "arrivals.csv")
    layout = charts.legs_by_year(bundled.legs, arrivals).figure.to_dict()["layout"]
    for axis in ("yaxis", "yaxis2"):
        assert layout[axis]["tickformat"] == ",d"
        assert isinstance(layout[axis]["dtick"], int) and layout[axis]["dtick"] >= 1
    assert layout["yaxis2"]["dtick"] >= 100  # thousands of arrivals: round ticks
    assert [charts.count_step(n) for n in (1, 3, 10, 41, 2_959, 100_000)] == [
        1, 1, 2, 10, 500, 20_000]


def test_year_chart_sets_legs_beside_arrivals(bundled):
    arrivals = pd.read_csv(REPO / "data" / "arrivals.csv")
    chart = charts.legs_by_year(bundled.legs, arrivals)
    bars, line = chart.figure.data
    assert sum(bars.y) == bundled.legs["year"].notna().sum() == chart.table[
        "legs in the data"].sum()
    assert 1998 not in list(line.x)  # the cumulative row is not a year
    assert "unknown year are not shown" in chart.note


def test_every_chart_has_a_title_a_description_and_its_numbers(bundled):
    arrivals = pd.read_csv(REPO / "data" / "arrivals.csv")
    legs = bundled.legs
    for chart in (charts.timeline_chart(legs), charts.legs_by_mode(legs),
                  charts.outcomes_by_country(legs), charts.legs_by_year(legs, arrivals),
                  flow.outcome_flow(legs)):
        assert chart.title and chart.note and chart.alt
        assert (not chart.table.empty and chart.table.notna().all(axis=None)) or \
            chart.table.columns.tolist() == ["year", "legs in the data",
                                             "arrivals in South Korea"]


def test_flow_shows_returns_to_north_korea(other_journeys):
    sankey = flow.outcome_flow(other_journeys.legs).figure.data[0]
    labels = list(sankey.node.label)
    assert labels.count("North Korea") >= 2  # left, then returned
    assert "reached safety" in labels  # last outcomes by group
    assert sum(sankey.link.value) == 2 + 6  # one flow per person per stage


def test_flow_puts_every_last_outcome_in_one_column_and_caps_the_stages(bundled):
    nodes, links, people = flow._flow(bundled.legs)
    stages = {stage for stage, _ in nodes}
    outcome_stage = max(stages)
    assert {label for stage, label in nodes if stage == outcome_stage} <= set(OUTCOME_GROUPS)
    assert all(label not in OUTCOME_GROUPS for stage, label in nodes if stage < outcome_stage)
    assert outcome_stage <= flow.MAX_STAGES + 1
    assert sum(n for (_, target), n in links.items()
               if list(nodes)[target][0] == outcome_stage) == people
    longest = flow.outcome_flow(bundled.legs).table["countries, in order"].str.count("→").max()
    if longest >= flow.MAX_STAGES:  # a longer journey goes on into "more countries"
        assert (flow.MAX_STAGES, flow.MORE) in nodes


def test_every_mode_and_outcome_belongs_to_exactly_one_colour_group():
    from routes_dash.contract import schema
    from routes_dash.render import style

    for groups, values in ((style.MODE_GROUPS, schema.MODES),
                           (style.OUTCOME_GROUPS, schema.OUTCOMES)):
        members = [value for group in groups.values() for value in group]
        assert sorted(members) == sorted(values)
        assert len(groups) <= 7


def test_the_timeline_spans_its_years_when_no_leg_has_an_end_year(bundled):
    legs = bundled.legs.assign(year_end=pd.array([pd.NA] * len(bundled.legs), dtype="Int64"))
    known = legs["year"].dropna()
    assert f"{known.min()}–{known.max()}" in charts.timeline_chart(legs).alt
