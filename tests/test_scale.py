"""At scale: figures sample or aggregate and say so, the map grows with routes, and a filter
change recomputes only what it must (the loader runs once; a view seen before is reused)."""

import json
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pytest
from conftest import as_read, header_sentence, map_table, open_tab
from pydeck.bindings.json_tools import default_serialize
from streamlit.testing.v1 import AppTest

from routes_dash.journeys import describe, grouping, locate, notes, routes
from routes_dash.journeys.dataset import load_folder
from routes_dash.render import charts, flow, legpaths, maps
from routes_dash.ui import cache, sidebar
from tools import synth

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """2,000 synthetic legs of a few hundred people, located."""
    folder = synth.write_folder(tmp_path_factory.mktemp("big"), 2_000, seed=11)
    return folder, load_folder(folder)


# --- the timeline samples, the charts count, and both say so ----------------------------------


def test_the_timeline_draws_a_stated_sample_past_the_limit(big):
    _, dataset = big
    legs = dataset.legs
    everyone = legs["person"].nunique()
    assert everyone > charts.TIMELINE_MOST_PEOPLE
    chart = charts.timeline_chart(legs)
    fig = chart.figure
    assert f"showing {charts.TIMELINE_MOST_PEOPLE} of {everyone:,} people" in chart.title
    assert "sample" in chart.note and "evenly spread" in chart.note
    assert len(chart.table) == charts.TIMELINE_MOST_PEOPLE
    drawn = {name for trace in fig.to_dict()["data"] for name in trace["y"]}
    assert len(drawn) == charts.TIMELINE_MOST_PEOPLE
    assert len(fig.to_dict()["layout"]["yaxis"]["categoryarray"]) == charts.TIMELINE_MOST_PEOPLE
    # The sample spans the years: its first and last people start at the data's extremes.
    shown = charts.timeline_people(legs)
    first_years = legs.groupby("person")["year"].min()
    assert first_years[shown[0]] == first_years.min()


def test_the_timeline_draws_everyone_under_the_limit(big):
    _, dataset = big
    few = dataset.legs[dataset.legs["person"].isin(sorted(dataset.legs["person"].unique())[:9])]
    chart = charts.timeline_chart(few)
    fig = chart.figure
    assert "showing" not in chart.title and "sample" not in chart.note
    assert len({n for trace in fig.to_dict()["data"] for n in trace["y"]}) == 9


def test_the_charts_say_what_they_count(big):
    _, dataset = big
    legs = dataset.legs
    for chart in (charts.legs_by_mode(legs), charts.outcomes_by_country(legs)):
        assert "Counts of all 2,000 legs" in chart.note
        counted = sum(int(np.sum(trace.x)) for trace in chart.figure.data)
        assert counted == 2_000  # aggregated, not one mark per leg
    journeys = flow.outcome_flow(legs)
    people = legs["person"].nunique()
    assert f"{people:,} people" in journeys.note
    sankey = journeys.figure.data[0]
    outcome_column = max(sankey.node.x)
    into_outcomes = sum(value for target, value in zip(sankey.link.target, sankey.link.value,
                                                        strict=True)
                        if sankey.node.x[target] == outcome_column)
    assert into_outcomes == people  # every person counted once, at their last outcome
    assert len(journeys.table) <= flow.FLOW_TABLE_ROWS


def test_the_flow_reads_people_in_leg_order_whatever_the_row_order(big):
    _, dataset = big
    legs = dataset.legs
    ordered = flow._flow(legs)
    shuffled = flow._flow(legs.sample(frac=1, random_state=3))
    assert list(ordered[0].items()) == list(shuffled[0].items())
    assert list(ordered[1].items()) == list(shuffled[1].items())


# --- the map grows with routes, not legs --------------------------------------------------------


def test_the_map_sends_one_line_per_route_not_per_leg(big):
    _, dataset = big
    legs = dataset.legs
    data, _ = maps.route_data(legs)
    deck = json.loads(maps.build_deck(legs).to_json())
    lines = next(layer for layer in deck["layers"] if layer["id"] == "routes")["data"]
    assert len(lines) <= len(data.routes) < len(legs) / 5
    assert data.routes["legs"].sum() == int(legs["located"].sum())
    assert len(maps.build_deck(legs).to_json()) < 1_000_000


def test_route_widths_stay_relative_when_every_route_is_busy(big):
    _, dataset = big
    deck = json.loads(maps.build_deck(dataset.legs).to_json())
    routes = next(layer for layer in deck["layers"] if layer["id"] == "routes")["data"]
    busiest = max(routes, key=lambda route: route["legs"])
    assert busiest["width"] == max(route["width"] for route in routes)
    assert len({route["width"] for route in routes}) > 5  # not all drawn at the cap


def test_the_compact_deck_json_holds_what_pydeck_would_write(big):
    _, dataset = big
    deck = maps.build_deck(dataset.legs)

    def as_pydeck_writes(o):  # but the areas' outlines, which the map writes once each
        return json.loads(orjson.dumps(o)) if isinstance(o, orjson.Fragment) \
            else default_serialize(o)

    assert json.loads(deck.to_json()) == json.loads(
        json.dumps(deck, sort_keys=True, default=as_pydeck_writes))


def test_past_the_most_routes_the_map_draws_the_busiest_and_says_what_it_leaves(towns):
    _, dataset = towns
    data, palette = maps.route_data(dataset.legs, "mode", dataset.numbered)
    assert len(data.routes) > routes.MOST_ROUTES_DRAWN
    deck = json.loads(maps.build_deck(dataset.legs, drawn_routes=(data, palette)).to_json())
    lines = next(layer for layer in deck["layers"] if layer["id"] == "routes")["data"]
    drawn = [line["route"] for line in lines]
    assert len(drawn) <= routes.MOST_ROUTES_DRAWN
    # A line names its own route, for the legs a click pins.
    assert [line["tip"] for line in lines] == data.routes.loc[drawn, "tip"].tolist()
    legs = data.routes["legs"]
    # Of the routes a line would show, no route left off has more legs than one drawn.
    left_off = legs[_with_a_line(data, deck)].drop(drawn)
    assert len(left_off) and legs[drawn].min() >= left_off.max()
    # What is left is said in numbers a reader can check against the tables.
    busiest = sorted(legs, reverse=True)
    kept, left = busiest[:routes.MOST_ROUTES_DRAWN], busiest[routes.MOST_ROUTES_DRAWN:]
    note = notes.undrawn_note(data.routes)
    assert (f"draws the {len(kept):,} busiest of its {len(legs):,} routes: {sum(kept):,} of "
            f"its {sum(busiest):,} legs. The other {len(left):,} routes") in note
    assert f"{sum(left):,} legs in all) are left off the map" in note


def test_a_shaded_area_pins_every_leg_in_it_drawn_or_not(bundled, monkeypatch):
    monkeypatch.setattr(routes, "MOST_ROUTES_DRAWN", 10)
    data, _ = maps.route_data(bundled.legs, "mode", bundled.numbered)
    left_off = data.routes[~data.routes["drawn"]]
    route = left_off.index[left_off["to_area"] != ""][0]
    area = data.routes.loc[route, "to_area"]
    pinned = routes.legs_in_area(bundled.legs, data, area)
    assert set(routes.legs_of_routes(bundled.legs, data, [route]).index) < set(pinned.index)


def test_a_narrower_view_draws_every_route_and_says_nothing(towns):
    _, dataset = towns
    legs = dataset.legs[dataset.legs["from_country"] == "North Korea"]
    data, palette = maps.route_data(legs, "mode", dataset.numbered)
    assert len(data.routes) <= routes.MOST_ROUTES_DRAWN
    deck = json.loads(maps.build_deck(legs, drawn_routes=(data, palette)).to_json())
    lines = next(layer for layer in deck["layers"] if layer["id"] == "routes")["data"]
    assert notes.undrawn_note(data.routes) is None
    assert [line["route"] for line in lines] == data.routes.index[_with_a_line(data, deck)].tolist()


def _with_a_line(data, deck) -> list[bool]:
    """Which routes a line shows: not those with both ends in one area or at one point."""
    level = legpaths.level(deck["initialViewState"]["zoom"])
    return [span is not None and legpaths.draw_all([span], level)[0] is not None
            for span in legpaths.spans(data.routes)]


def test_the_page_says_beside_the_map_and_in_its_text_what_it_leaves_off(towns, monkeypatch):
    folder, _ = towns
    monkeypatch.setenv("ROUTES_DASH_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    said = [c.value for c in at.caption if "Not every route is drawn" in c.value]
    assert len(said) == 1 and "are left off the map, not out of the data" in said[0]
    (chart,) = at.get("deck_gl_json_chart")
    assert "busiest of its" in chart.proto.alt


def test_grouping_codes_match_pandas_ngroup_even_when_codes_would_overflow():
    rng = np.random.default_rng(0)
    wide = pd.DataFrame({f"k{i}": rng.integers(0, 90, 5_000) for i in range(11)})
    wide["s"] = rng.choice(["a", "b", None], 5_000)
    keys = list(wide.columns)
    expected = wide.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    assert (grouping.group_codes(wide, keys) == expected).all()


def test_text_as_categories_reads_as_the_text_and_sorts_as_it(towns):
    legs = towns[1].legs
    columns = ["person", "mode", "from_country", "to_country"]
    coded = grouping.as_categories(legs[columns], (("person", "mode"), ("from_country",
                                                                        "to_country")))
    for column in columns:
        assert coded[column].dtype == "category"
        assert coded[column].astype(str).tolist() == legs[column].tolist()
        assert list(coded[column].cat.categories) == sorted(coded[column].cat.categories)
    # A group shares its categories: its columns compare and join as categories.
    assert coded["from_country"].dtype == coded["to_country"].dtype
    assert pd.concat([coded["from_country"], coded["to_country"]]).dtype == "category"
    assert ((coded["from_country"] == coded["to_country"]).to_numpy()
            == (legs["from_country"] == legs["to_country"]).to_numpy()).all()


# --- cache keys ----------------------------------------------------------------------------------


def test_cache_keys_are_registered_or_hashed_from_content():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert cache.key_of(cache.remember(frame, "v1|filters")) == "v1|filters"
    same = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    other = pd.DataFrame({"a": [1, 3], "b": ["x", "y"]})
    assert cache.key_of(same).startswith("content:")
    assert cache.key_of(same) == cache.key_of(same.copy())
    assert cache.key_of(other) != cache.key_of(same)


# --- the app: a filter change re-reads nothing; a view seen before is reused --------------------


class Counter:
    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def app(big, monkeypatch):
    folder, _ = big
    # A folder of its own: no other test has warmed the caches for it.
    own = Path(str(folder) + "-app")
    own.mkdir(exist_ok=True)
    for name in ("legs.csv", "people.csv", "geocache.csv"):
        (own / name).write_bytes((folder / name).read_bytes())
    monkeypatch.setenv("ROUTES_DASH_DATA", str(own))
    from routes_dash.ui import loading as data

    counters = {"load": Counter(data.load_folder), "filter": Counter(data.filter_legs),
                "deck": Counter(maps.build_deck), "timeline": Counter(charts.timeline)}
    monkeypatch.setattr(data, "load_folder", counters["load"])
    monkeypatch.setattr(data, "filter_legs", counters["filter"])
    monkeypatch.setattr(maps, "build_deck", counters["deck"])
    monkeypatch.setattr(charts, "timeline", counters["timeline"])
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at, counters


def _calls(counters):
    return {name: counter.calls for name, counter in counters.items()}


def test_an_identical_rerun_recomputes_nothing_and_closed_tabs_build_nothing(app):
    at, counters = app
    before = _calls(counters)
    assert before == {"load": 1, "filter": 1, "deck": 1, "timeline": 0}  # the map tab is open
    at.run()
    assert not at.exception
    assert _calls(counters) == before
    open_tab(at, "Timeline")
    # The map reads a few columns of the kept legs; the timeline keeps them with every column.
    assert _calls(counters) == {**before, "filter": 2, "timeline": 1}
    at.run()
    assert _calls(counters) == {**before, "filter": 2, "timeline": 1}


def test_a_filter_change_recomputes_the_view_but_rereads_nothing(app):
    at, counters = app
    low, high = int(at.slider(key="filter_years").min), int(at.slider(key="filter_years").max)
    at.slider(key="filter_years").set_value((low + 2, high)).run()
    assert not at.exception
    assert _calls(counters) == {"load": 1, "filter": 2, "deck": 2, "timeline": 0}
    # Back to everything: a view seen before, so nothing is built again.
    at.slider(key="filter_years").set_value((low, high)).run()
    assert _calls(counters) == {"load": 1, "filter": 2, "deck": 2, "timeline": 0}


def test_choices_that_keep_the_same_legs_share_what_was_built_for_them(app):
    at, counters = app
    every_mode = list(at.multiselect(key="filter_modes").options)
    at.multiselect(key="filter_modes").set_value(every_mode).run()  # keeps every leg
    assert not at.exception
    assert _calls(counters) == {"load": 1, "filter": 2, "deck": 1, "timeline": 0}
    assert header_sentence(at).startswith("2,000 legs of ")


def test_the_people_section_shows_tables_that_say_what_they_leave_out(app):
    at, _ = app
    open_tab(at, "People and sources")
    captions = " ".join(c.value for c in at.caption)
    assert "Showing the first 1,000 of 2,000 legs" in captions
    assert len(at.dataframe) == 3  # the people, their legs, the sources they cite
    open_tab(at, "Timeline")
    headings = [h.value for h in at.header]
    assert any("showing 60 of" in h for h in headings)


def test_the_map_table_counts_the_legs_on_the_map_not_those_without_a_place(
        big, tmp_path, monkeypatch):
    folder, _ = big
    for name in ("people.csv", "geocache.csv"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    legs = pd.read_csv(folder / "legs.csv", dtype=str, keep_default_na=False)
    legs.loc[legs.index[:1_200], "to"] = "Qqzx Vvbn"  # a place no gazetteer knows
    legs.to_csv(tmp_path / "legs.csv", index=False)
    monkeypatch.setenv("ROUTES_DASH_DATA", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    table = map_table(at)
    on_map = int(load_folder(tmp_path).legs["located"].sum())
    assert len(table) == min(on_map, 1_000)
    said = " ".join(c.value for c in at.caption)
    assert ("The first 1,000 of" in said) == (on_map > 1_000)


# --- descriptions, now written row by row, say what they said ------------------------------------


def test_leg_descriptions_carry_provenance_precision_and_years():
    legs = pd.DataFrame({
        "person": ["a", "a", "b"], "leg": pd.array([1, 2, 1], dtype="Int64"),
        "from": ["Hyesan, North Korea", "Changbai, China", "North Korea"],
        "to": ["Changbai, China", "Seoul, South Korea", "China"],
        "mode": ["river crossing", "plane", "unknown"],
        "year": pd.array([2007, 2008, None], dtype="Int64"),
        "outcome": ["crossed", "resettled", "caught"],
        "year_end": pd.array([None, 2009, None], dtype="Int64"),
        "precision": ["city", "city", "country"],
        "certainty": ["disputed", "", "single report"], "source": ["memoir", "", "article"],
        "note": ["", "Flown out.", ""],
    })
    people = pd.DataFrame({"person": ["a", "b"], "name": ["Kim", "Anon"],
                           "anonymized": [True, False]})
    places = pd.DataFrame({"place": ["Hyesan, North Korea", "Changbai, China",
                                     "Seoul, South Korea", "North Korea", "China"],
                           "lat": [41.4, 41.42, 37.57, 39.9, 32.5],
                           "lon": [128.18, 128.2, 126.98, 126.4, 109.5],
                           "country": ["North Korea", "China", "South Korea", "North Korea",
                                       "China"]})
    located = locate.locate_legs(legs, places, people, {"North Korea": (39.9, 126.4),
                                                          "China": (32.5, 109.5),
                                                          "South Korea": (36.3, 128.1)})
    texts = describe.leg_description(located).tolist()
    assert texts[0] == (
        "Kim · leg 1\nNorth Korea → China\nriver crossing · 2007 · crossed\n"
        "certainty: disputed (DISPUTED)\nsource: memoir"
        "\nshown at country level to protect an anonymous person")
    assert texts[1].splitlines()[2] == "plane · 2008–2009 · resettled"
    assert "certainty: not given\nsource: not given\nFlown out." in texts[1]
    assert texts[2].endswith("year unknown · caught\ncertainty: single report\nsource: article"
                             "\nplaces known only at country level")
    assert list(describe.year_label(located)) == ["2007", "2008–2009", "year unknown"]


# --- loading large or odd files -------------------------------------------------------------------


@pytest.mark.parametrize("leg", ["INFINITY", "1e300", "250001"])
def test_a_leg_number_past_the_row_limit_is_a_problem_not_a_crash(leg):
    from routes_dash.contract.load import read_legs
    from routes_dash.contract.problems import DataError

    with pytest.raises(DataError, match="is not a leg number"):
        read_legs(f"person,leg,from,to,mode,year,outcome\nkim,{leg},A,B,bus,2001,crossed\n"
                  .encode())


# --- many people: the Person list holds what a search finds -------------------------------------


@pytest.fixture
def many_people(big, monkeypatch):
    """The page on 2,000 legs, with a Person list shorter than its people."""
    folder, dataset = big
    monkeypatch.setenv("ROUTES_DASH_DATA", str(folder))
    monkeypatch.setattr(sidebar, "PEOPLE_LISTED", 40)
    people = dataset.people.set_index("person")["name"]
    assert len(people) > 40
    return people


def test_past_many_people_the_list_holds_some_and_says_so(many_people):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.multiselect(key="filter_people").options) == 40
    assert f"holds 40 of the {len(many_people):,} people" in " ".join(
        c.value for c in at.sidebar.caption)


def test_a_search_lists_the_people_it_finds_and_choosing_one_narrows_the_page(many_people):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="filter_people_search").input("PERSON 1").run()
    found = many_people[many_people.str.contains("person 1", case=False)]
    expected = list(found.sort_index())  # in the order of the people's ids
    listed = at.multiselect(key="filter_people").options
    assert listed == expected[:40]
    chosen = many_people.index[many_people == listed[0]][0]
    at.multiselect(key="filter_people").set_value([chosen]).run()
    assert not at.exception
    assert f" of {listed[0]}, " in header_sentence(at)
    assert at.query_params["person"] == chosen
    # The chosen person stays on the list whatever is searched next.
    at.text_input(key="filter_people_search").input("no such name").run()
    assert at.multiselect(key="filter_people").value == [chosen]


def test_past_many_people_the_story_picker_finds_a_story_by_name(many_people):
    at = AppTest.from_file(APP, default_timeout=60).run()
    picker = at.selectbox(key="story_person")
    assert len(picker.options) == 1 + 40  # "explore all journeys" and the first people
    wanted = many_people.index[-1]
    assert many_people[wanted] not in picker.options
    at.text_input(key="story_search").input(many_people[wanted]).run()
    assert many_people[wanted] in at.selectbox(key="story_person").options
    at.selectbox(key="story_person").set_value(wanted).run()
    assert not at.exception
    assert many_people[wanted] in at.header[0].value  # the story's title
    assert at.query_params["story"] == wanted
    # The story told stays on the list whatever is searched next, and a search that finds
    # no one says so in the reader's own words, as text (never a link).
    at.text_input(key="story_search").input("[no one](http://x.example)").run()
    assert at.selectbox(key="story_person").value == wanted
    said = [as_read(c.value) for c in at.sidebar.caption]
    assert "No one's name or id holds “[no one](http://x.example)”: try part of a name." in said


def test_a_link_to_a_person_past_the_list_opens_with_them_chosen(many_people):
    last = many_people.index[-1]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["person"] = last
    at.run()
    assert not at.exception
    assert at.multiselect(key="filter_people").value == [last]
    assert f" of {many_people[last]}, " in header_sentence(at)
