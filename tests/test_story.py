"""Story mode: a prepared link opens at its step; Next and Previous move the map and the URL."""

import json

import pytest
from conftest import REPO, as_read, bundled_data
from streamlit.testing.v1 import AppTest

from routes_dash.journeys import links


def open_story(query):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def steps_of(person: str) -> int:
    return int((bundled_data().legs["person"] == person).sum())


def step_text(at):
    return next(m.value for m in at.markdown if m.value.startswith("### Step"))


def story_view(at):
    (chart,) = at.get("deck_gl_json_chart")  # story mode draws one map
    return json.loads(chart.proto.json)


def test_a_prepared_link_opens_at_its_step_and_next_moves_the_map():
    at = open_story({"story": "hyeonseo-lee", "step": "1"})
    count = steps_of("hyeonseo-lee")
    assert count >= 3
    assert not at.exception
    assert step_text(at) == f"### Step 1 of {count}"
    assert at.button(key="story_previous").disabled
    first_view = story_view(at)["initialViewState"]

    at.button(key="story_next").click().run()
    assert step_text(at) == f"### Step 2 of {count}"
    assert at.query_params["step"] == "2"
    assert story_view(at)["initialViewState"] != first_view
    earlier = next(x for x in story_view(at)["layers"] if x["id"] == "earlier")["data"]
    assert len(earlier) == 1  # the first leg, dimmed

    for _ in range(count - 2):
        at.button(key="story_next").click().run()
    assert step_text(at) == f"### Step {count} of {count}"
    assert at.button(key="story_next").disabled
    at.button(key="story_previous").click().run()
    assert step_text(at) == f"### Step {count - 1} of {count}"


def test_step_past_the_end_is_the_last_step():
    at = open_story({"story": "yeonmi-park", "step": "99"})
    count = steps_of("yeonmi-park")
    assert step_text(at) == f"### Step {count} of {count}"
    assert at.query_params["step"] == str(count)


def test_content_note_before_a_story_with_detention_or_return():
    at = open_story({"story": "park-ji-hyun"})
    note = at.warning[0].value
    assert note.startswith("Content note:") and "trafficking" in note


def test_unknown_story_is_ignored_with_a_notice():
    at = open_story({"story": "nobody"})
    assert not at.exception
    assert any("'nobody'" in as_read(i.value) for i in at.info)
    assert at.selectbox(key="story_person").value == ""


def test_anonymous_story_stays_coarse():
    at = open_story({"story": "ji-young", "step": "1"})
    assert "anonymous person" in " ".join(c.value for c in at.caption)
    view = story_view(at)["initialViewState"]
    assert view["zoom"] <= 4.5


def test_choosing_a_story_in_the_sidebar_puts_it_in_the_link():
    at = open_story({})
    at.selectbox(key="story_person").set_value("kang-chol-hwan").run()
    assert at.query_params["story"] == "kang-chol-hwan"
    assert step_text(at) == f"### Step 1 of {steps_of('kang-chol-hwan')}"
    at.selectbox(key="story_person").set_value("").run()
    assert "story" not in at.query_params


@pytest.mark.parametrize(
    ("query", "person", "step", "notices"),
    [
        ({"story": "Hyeonseo-Lee", "step": "3"}, "hyeonseo-lee", 3, 0),
        ({"story": "hyeonseo-lee", "step": "three"}, "hyeonseo-lee", 1, 1),
        ({"story": "hyeonseo-lee", "step": "0"}, "hyeonseo-lee", 1, 0),
        ({"story": "x"}, None, 1, 1),
        ({}, None, 1, 0),
    ],
)
def test_story_links_parse(query, person, step, notices):
    link = links.story_from_query(query, ("hyeonseo-lee", "ji-young"))
    assert (link.person, link.step, len(link.notices)) == (person, step, notices)
    if person:
        again = links.story_from_query(links.story_to_query(person, step, False), (person,))
        assert again.step == step
