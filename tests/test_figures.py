"""The figures, asserted from their JSON: counts, traces, hover text (the map: test_map.py)."""


import pandas as pd
from conftest import REPO

from routes_dash.render import charts


def test_timeline_has_a_row_per_person_and_an_unknown_year_column(other_journeys):
    fig = charts.timeline(other_journeys.legs).to_dict()
    people = {y for trace in fig["data"] for y in trace["y"]}
    assert people == {"Min (test person)", "Anonymous (test person)"}
    assert sum(len(t["y"]) for t in fig["data"]) == len(other_journeys.legs)
    assert any(a["text"] == "year unknown" for a in fig["layout"]["annotations"])
    hover = " ".join(h for t in fig["data"] for h in t["hovertext"])
    assert "source: https://example.org/test-min" in hover


def test_hover_text_from_data_is_escaped(other_journeys):
    legs = other_journeys.legs.copy()
    legs.loc[0, "note"] = '<img src=x onerror="alert(1)">'
    hover = " ".join(h for t in charts.timeline(legs).to_dict()["data"] for h in t["hovertext"])
    assert "<img" not in hover and "&lt;img" in hover


def test_aggregate_charts_count_the_legs(other_journeys):
    legs = other_journeys.legs
    assert sum(charts.legs_by_mode(legs).data[0].x) == len(legs)
    assert sum(sum(t.x) for t in charts.outcomes_by_country(legs).data) == len(legs)


def test_year_chart_sets_legs_beside_arrivals(bundled):
    arrivals = pd.read_csv(REPO / "data" / "arrivals.csv")
    fig = charts.legs_by_year(bundled.legs, arrivals)
    bars, line = fig.data
    assert sum(bars.y) == bundled.legs["year"].notna().sum()
    assert 1998 not in list(line.x)  # the cumulative row is not a year
    assert "unknown year not shown" in fig.layout.title.text


def test_flow_shows_returns_to_north_korea(other_journeys):
    sankey = charts.outcome_flow(other_journeys.legs).data[0]
    labels = list(sankey.node.label)
    assert labels.count("North Korea") >= 2  # left, then returned
    assert any(label.startswith("last outcome: resettled") for label in labels)
    assert sum(sankey.link.value) == 2 + 6  # one flow per person per stage


def test_every_mode_and_outcome_belongs_to_exactly_one_colour_group():
    from routes_dash.contract import schema
    from routes_dash.render import style

    for groups, values in ((style.MODE_GROUPS, schema.MODES),
                           (style.OUTCOME_GROUPS, schema.OUTCOMES)):
        members = [value for group in groups.values() for value in group]
        assert sorted(members) == sorted(values)
        assert len(groups) <= 7
