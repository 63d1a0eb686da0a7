"""The page through Streamlit's AppTest: it runs, filters narrow it, links reproduce it."""

import gc
import json
import shutil

import pytest
from conftest import (
    FIXTURES,
    REPO,
    as_read,
    bundled_data,
    bundled_legs_shown,
    header_sentence,
    legs_in_header,
    map_table,
    open_tab,
)
from streamlit.testing.v1 import AppTest

from routes_dash.journeys.filters import Filters, filter_legs

APP = str(REPO / "app.py")


@pytest.fixture
def app(monkeypatch):
    def run(folder=None, query=None):
        if folder:
            monkeypatch.setenv("ROUTES_DASH_DATA", str(folder))
        else:
            monkeypatch.delenv("ROUTES_DASH_DATA", raising=False)
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()

    return run


def deck(at):
    (chart,) = at.get("deck_gl_json_chart")
    return json.loads(chart.proto.json)


def routes(at):
    return next(layer for layer in deck(at)["layers"] if layer["id"] == "routes")["data"]


def described(at):
    return " ".join(f"{row.person} · leg {row.leg}: {row._3} → {row.to} · {row.year} "
                    f"· {row.precision}" for row in map_table(at).itertuples())


def people_on_map(at):
    return set(map_table(at)["person"])


def legs_shown(at):
    return legs_in_header(header_sentence(at))


def test_bundled_data_runs_and_shows_every_section(app):
    at = app()
    assert not at.exception
    assert legs_shown(at) == bundled_legs_shown()
    assert len(routes(at)) > 20
    assert not at.get("plotly_chart")  # only the open tab runs: the map's
    assert not open_tab(at, "Charts").exception
    assert len(at.get("plotly_chart")) == 4  # the charts tab's four charts, nothing else
    legs_table = open_tab(at, "People and sources").dataframe[1].value  # after the people
    assert legs_table.shape[0] == len(bundled_data().legs)


def test_the_server_collects_garbage_again_after_the_page_imports_its_libraries(app):
    """The imports run with the collector off (ui/process.py): a server left without it
    would grow with every session's leftovers."""
    at = app()
    assert not at.exception
    assert gc.isenabled()


def test_other_journeys_folder_runs(app):
    at = app(FIXTURES / "other_journeys")
    assert not at.exception
    sentence = header_sentence(at)
    assert sentence.startswith("10 legs of ") and "bundled" not in sentence
    assert "Min (test person)" in sentence and "Anonymous (test person)" in sentence
    assert "Chiang Saen, Thailand" in described(at)


@pytest.mark.parametrize(
    ("key", "attribute", "value"),
    [
        ("filter_people", "people", ("yeonmi-park",)),
        ("filter_countries", "countries", ("Mongolia",)),
        ("filter_modes", "modes", ("plane",)),
        ("filter_outcomes", "outcomes", ("repatriated",)),
    ],
)
def test_each_filter_narrows_map_and_charts(app, key, attribute, value):
    kept = filter_legs(bundled_data().legs, Filters(**{attribute: value}))
    expected = set(kept.loc[kept["located"], "name"])
    at = app()
    before = len(routes(at))
    at.multiselect(key=key).set_value(list(value)).run()
    assert not at.exception
    # The map's table lists every leg it shows.
    assert people_on_map(at) == expected
    assert len(map_table(at)) == int(kept["located"].sum())
    assert len(routes(at)) < before
    assert legs_shown(at) == bundled_legs_shown(**{attribute: value})


def test_year_range_narrows_and_goes_into_the_link(app):
    at = app()
    at.slider(key="filter_years").set_value((2004, 2005)).run()
    assert at.query_params["years"] == "2004-2005"
    assert "year unknown" not in described(at)


def test_a_shared_link_reproduces_the_view(app):
    at = app()
    at.multiselect(key="filter_people").set_value(["hyeonseo-lee", "hyeonseo-lee-family"]).run()
    at.multiselect(key="filter_modes").set_value(["river crossing"]).run()
    link = {k: at.query_params[k] for k in at.query_params}
    assert link == {"person": "hyeonseo-lee,hyeonseo-lee-family", "mode": "river crossing"}

    opened = app(query=link)
    assert opened.multiselect(key="filter_people").value == ["hyeonseo-lee",
                                                              "hyeonseo-lee-family"]
    assert routes(opened) == routes(at)
    assert legs_shown(opened) == legs_shown(at) == bundled_legs_shown(
        people=("hyeonseo-lee", "hyeonseo-lee-family"), modes=("river crossing",))


def test_unknown_value_in_a_link_is_ignored_with_a_notice(app):
    at = app(query={"person": "yeonmi-park,nobody", "country": "Atlantis"})
    assert not at.exception
    notices = " ".join(as_read(i.value) for i in at.info)
    assert "'nobody'" in notices and "'Atlantis'" in notices
    assert at.multiselect(key="filter_people").value == ["yeonmi-park"]


def test_invalid_data_folder_shows_its_problems_not_a_traceback(app):
    at = app(FIXTURES / "invalid")
    assert not at.exception
    assert "cannot be shown" in at.error[0].value
    problems = at.code[0].value
    assert "legs.csv, row 2, column 'mode': 'swimming' is not allowed" in problems
    assert "missing: 2" in problems


def test_a_place_not_found_is_named_under_the_map_and_its_leg_kept_in_the_tables(
        app, tmp_path):
    shutil.copytree(FIXTURES / "other_journeys", tmp_path / "data")
    path = tmp_path / "data" / "legs.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"Shenyang, China","Kunming, China"', '"Shenyang, China","Nowhere Known, China"'),
        encoding="utf-8")
    at = app(tmp_path / "data")
    assert not at.exception
    notes = as_read(" ".join(c.value for c in at.caption))
    assert "1 leg is not on the map" in notes and "Places not found: Nowhere Known, China" in notes
    assert "Nowhere Known" not in described(at)  # the map's table lists the legs it draws
    people_tab = open_tab(at, "People and sources")
    (legs_table,) = [t.value for t in people_tab.dataframe if "from → to" in t.value]
    assert legs_table["from → to"].str.contains("Nowhere Known").any()


def test_anonymous_people_are_said_to_be_coarsened(app):
    at = app(FIXTURES / "other_journeys")
    assert "shown at country level to protect an anonymous person" in described(at)
    assert any("anonymous" in c.value for c in at.caption)


@pytest.mark.parametrize("query", [{}, {"person": "yeonmi-park"}, {"country": "Mongolia"},
                                   {"years": "2009-2009"}])
def test_the_header_states_the_view_in_words_never_the_bundled_journeys(app, query):
    at = app(query=query)
    sentence = header_sentence(at)
    assert "bundled" not in sentence and not any("bundled" in t.value for t in at.main.text)
    chosen = {"person": "people", "country": "countries"}
    filters = {chosen[k]: (v,) for k, v in query.items() if k in chosen}
    if "years" in query:
        filters["years"] = (2009, 2009)
    shown = filter_legs(bundled_data().legs, Filters(**filters))
    assert legs_in_header(sentence) == f"{len(shown):,}"
    years = shown["year"].dropna()
    assert f"{years.min()}" in sentence
    if query.get("person") == "yeonmi-park":
        assert sentence.startswith(f"{len(shown)} legs of Yeonmi Park, 2007–2009")
        for country in ("North Korea", "China", "Mongolia", "South Korea"):
            assert country in sentence
