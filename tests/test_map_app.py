"""The route map on the page (AppTest): the colour chooser, zoom buttons, the view that
follows the filters, a click that pins a route's legs, and the map's text alternative."""

import json
import re
from pathlib import Path

import pytest
from conftest import map_table
from streamlit.testing.v1 import AppTest

from routes_dash.ui.plain import plain

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def page(monkeypatch):
    monkeypatch.delenv("ROUTES_DASH_DATA", raising=False)

    def run(**query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return run


def chart(at):
    (element,) = at.get("deck_gl_json_chart")
    return element


def deck(at):
    return json.loads(chart(at).proto.json)


def layer(at, layer_id):
    return next(x for x in deck(at)["layers"] if x["id"] == layer_id)


def click(at, layer_id, objects, chosen):
    """Rerun as after a click on `chosen`, one of the `objects` of the map's layer."""
    key = "route_map_" + chart(at).proto.id.split("route_map_")[-1]
    at.session_state[key] = {"selection": {"indices": {layer_id: [objects.index(chosen)]},
                                           "objects": {layer_id: [chosen]}}}
    at.run()
    assert not at.exception


def test_the_map_is_described_for_screen_readers_and_listed_as_a_table(page):
    at = page(person="yeonmi-park")
    assert not at.exception
    assert "journey legs" in chart(at).proto.alt and "table below" in chart(at).proto.alt
    table = map_table(at)
    assert set(table["person"]) == {"Yeonmi Park"} and len(table) == 8


def test_colour_by_changes_the_colours_and_the_legend(page):
    at = page()
    before = {tuple(line["color"][:3]) for line in layer(at, "routes")["data"]}
    at.segmented_control(key="map_colour_by").set_value("certainty").run()
    after = {tuple(line["color"][:3]) for line in layer(at, "routes")["data"]}
    assert before != after and len(after) <= 7
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "how certain" in legend and "disputed" in legend


def test_the_view_follows_each_filter_and_the_zoom_buttons(page):
    at = page()
    whole = deck(at)["initialViewState"]
    at.multiselect(key="filter_people").set_value(["yeonmi-park"]).run()
    one = deck(at)
    assert one["initialViewState"]["zoom"] > whole["zoom"]
    # A new view of its own: the browser moves to it even after the reader panned.
    assert one["views"][0]["id"] != deck(page())["views"][0]["id"]
    at.button(key="map_zoom_in").click().run()
    closer = deck(at)["initialViewState"]
    assert closer["zoom"] == pytest.approx(one["initialViewState"]["zoom"] + 1)
    at.button(key="map_fit").click().run()
    assert deck(at)["initialViewState"] == one["initialViewState"]


def test_clicking_a_route_pins_every_leg_with_its_certainty_and_sources(page):
    at = page(person="hyeonseo-lee,hyeonseo-lee-family")
    lines = layer(at, "routes")["data"]
    busiest = max(lines, key=lambda line: line["legs"])
    click(at, "routes", lines, busiest)
    text = " ".join(m.value for m in at.markdown)
    assert "Hyeonseo Lee" in text and "certainty" in text
    assert text.count(", leg ") == busiest["legs"]  # every leg of the route
    assert [b for b in at.get("link_button")], "each source is a link"


def test_clicking_a_shaded_area_pins_the_legs_known_only_there(page):
    at = page(person="ji-young")
    areas = layer(at, "areas")["data"]["features"]
    china = next(f for f in areas if f["properties"]["key"] == "country:China")
    click(at, "areas", areas, china)
    headings = " ".join(h.value for h in at.subheader)
    assert "China" in headings and "known only as the country" in headings


def test_clicking_a_ringed_dot_pins_the_legs_that_ended_there_with_their_sources(page):
    at = page()
    dots = layer(at, "outcomes")["data"]
    assert dots, "the bundled data has legs that ended in an alarming outcome"
    dot = max(dots, key=lambda d: d["tip"].count("("))
    click(at, "outcomes", dots, dot)
    headings = " ".join(h.value for h in at.subheader)
    assert plain(f"Legs ending at {dot['to']}") in headings  # as the page escapes it
    text = " ".join(m.value for m in at.markdown)
    ended = sum(int(n) for n in re.findall(r"\((\d+)\)", dot["tip"]))
    assert text.count(", leg ") == min(ended, 50) and "certainty" in text
    assert any(c.value.startswith(plain("Source: ")) for c in at.caption)
