"""The deck and the figures, asserted from their JSON: layers, counts, coordinates, no NaN."""

import json
import math

import pandas as pd
from conftest import REPO

from routes_dash.render import charts, maps


def deck_json(legs):
    return json.loads(maps.build_deck(legs).to_json())


def layer(deck, layer_id):
    return next(x for x in deck["layers"] if x["id"] == layer_id)


def test_deck_has_no_tile_provider_and_a_bundled_basemap(bundled):
    deck = deck_json(bundled.legs)
    assert "mapProvider" not in deck  # no tiles from anywhere
    assert deck["mapStyle"] == "__MAP_STYLE__"  # pydeck's "none chosen": Streamlit adds none
    assert layer(deck, "countries")["data"] == "app/static/countries.geojson"
    text = json.dumps({k: v for k, v in deck.items() if k != "layers"})
    assert "http" not in text  # no style, tile or font URL outside the data


def test_every_route_is_drawn_with_coordinates_in_range_and_no_nan(bundled):
    deck = deck_json(bundled.legs)
    routes = layer(deck, "routes")["data"]
    assert len(routes) == len(bundled.legs[bundled.legs["located"]].groupby(
        ["from", "to", "mode", "outcome"]))
    for route in routes:
        for key in ("from_lat", "to_lat"):
            assert -90 <= route[key] <= 90 and not math.isnan(route[key])
        for key in ("from_lon", "to_lon"):
            assert -180 <= route[key] <= 180 and not math.isnan(route[key])
    assert "NaN" not in json.dumps(deck)


def test_tooltips_are_plain_text_with_source_and_certainty(bundled):
    assert set(maps.build_deck(bundled.legs)._tooltip) == {"text"}  # never HTML
    deck = deck_json(bundled.legs)
    described = " ".join(r["description"] for r in layer(deck, "routes")["data"])
    assert "certainty: disputed (DISPUTED)" in described
    # A source id is shown as its full citation.
    first = bundled.legs.iloc[0]
    assert first["source"] not in described and first["citation"].split(";")[0] in described


def test_alarming_outcomes_get_markers(other_journeys):
    markers = layer(deck_json(other_journeys.legs), "outcomes")["data"]
    assert {m["outcome"] for m in markers} == {"caught", "detained", "repatriated"}


def test_view_fits_the_legs(other_journeys):
    view = maps.fit_view(other_journeys.legs)
    assert 95 < view.longitude < 130 and 10 < view.latitude < 45
    empty = maps.fit_view(other_journeys.legs.iloc[0:0])
    assert empty == maps.WORLD_VIEW


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
