"""Story mode on the page (AppTest): a prepared link opens at its slide; Previous, Next and
Exit story do what they say; the map and the link follow the slide."""

import json
import re

import pytest
from conftest import REPO, as_read, bundled_data
from streamlit.testing.v1 import AppTest

from routes_dash.journeys import links, story
from routes_dash.render import story_map
from routes_dash.ui import session


def open_story(query):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def legs_of(person: str):
    return story.steps(bundled_data().legs, person)


def slides_of(person: str) -> int:
    return story.slide_count(legs_of(person))


def where(at) -> str:
    """The controls' "k of N"."""
    return next(m.value for m in at.markdown if re.fullmatch(r"\*\*\d+ of \d+\*\*", m.value))


def texts(at) -> list[str]:
    """The markdown on the page as a reader sees it (plain() escapes punctuation)."""
    return [as_read(m.value) for m in at.markdown]


def title(at) -> str:
    return at.header[0].value


def story_view(at):
    (chart,) = at.get("deck_gl_json_chart")  # story mode draws one map
    return json.loads(chart.proto.json)


def layer(view, layer_id: str) -> list:
    return next(x for x in view["layers"] if x["id"] == layer_id)["data"]


def test_a_story_opens_on_its_opening_slide_and_steps_through_to_its_end():
    person = "hyeonseo-lee"
    at = open_story({"story": person})
    count = slides_of(person)
    assert not at.exception
    people = bundled_data().people.set_index("person")
    assert title(at) == people.loc[person, "name"]
    assert where(at) == f"**1 of {count}**"
    assert at.button(key="story_previous").disabled
    opening = story_view(at)
    # The whole route, every stop numbered.
    numbers = {n for tag in layer(opening, "stop-numbers") for part in tag["number"].split(", ")
               for n in range(int(part.split("-")[0]), int(part.split("-")[-1]) + 1)}
    assert numbers == set(range(1, len(legs_of(person)) + 2))

    at.button(key="story_next").click().run()
    assert title(at) == f"Leg 1 of {len(legs_of(person))}"
    assert at.query_params["step"] == "2"
    assert story_view(at)["initialViewState"] != opening["initialViewState"]

    at.button(key="story_next").click().run()
    assert len(layer(story_view(at), "earlier")) == 1  # the first leg, dimmed

    for _ in range(count - 3):
        at.button(key="story_next").click().run()
    assert title(at) == "Where the journey ended"
    assert at.button(key="story_next").disabled
    assert people.loc[person, "since"] in texts(at)
    at.button(key="story_previous").click().run()
    assert at.query_params["step"] == str(count - 1)


def test_each_leg_slide_leads_with_its_sentence_then_note_certainty_and_citation():
    person = "yeonmi-park"
    at = open_story({"story": person, "step": "5"})  # leg 4
    leg = legs_of(person).iloc[3]
    shown = texts(at)
    lead = shown.index("In 2009 Yeonmi Park went by train from Qingdao to Beijing.")
    note = shown.index(leg["note"])
    sure = next(i for i, t in enumerate(shown) if t.startswith("**How sure: own account"))
    cited = next(i for i, t in enumerate(shown) if leg["citation"] in t)
    assert lead < note < sure < cited
    assert not any("→" in t for t in shown), "no bare from → to table"


def test_on_a_phone_each_slide_is_framed_and_named_for_a_phones_narrow_map():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["story"], at.query_params["step"] = "yeonmi-park", "5"
    at.session_state[session.ON_PHONE] = True  # as a phone's browser says
    view = story_view(at.run())["initialViewState"]
    leg = legs_of("yeonmi-park").iloc[[3]]
    phone = story_map.frame(leg, story_map.TOWN_ZOOM, story_map.PHONE_MAP_SIZE)
    projector = story_map.frame(leg, story_map.TOWN_ZOOM, story_map.MAP_SIZE)
    assert (view["longitude"], view["zoom"]) == (phone.longitude, phone.zoom)
    assert (phone.longitude, phone.zoom) != (projector.longitude, projector.zoom)


def test_step_past_the_end_is_the_closing_slide():
    at = open_story({"story": "yeonmi-park", "step": "99"})
    count = slides_of("yeonmi-park")
    assert where(at) == f"**{count} of {count}**"
    assert at.query_params["step"] == str(count)


def test_content_note_opens_a_story_with_detention_or_return():
    at = open_story({"story": "park-ji-hyun"})
    note = as_read(at.warning[0].value)
    assert note.startswith("Content note:") and "trafficking" in note


def test_a_disputed_leg_is_announced_and_flagged_on_its_slide():
    legs = legs_of("jang-jin-sung")
    disputed = int(legs.loc[legs["certainty"] == "disputed", "leg"].iloc[0])
    at = open_story({"story": "jang-jin-sung"})
    assert any(f"leg {disputed}" in w.value for w in at.warning)
    at = open_story({"story": "jang-jin-sung", "step": str(disputed + 1)})
    assert any(as_read(w.value).startswith("Disputed:") for w in at.warning)
    assert any("How sure: disputed" in t for t in texts(at))


def test_unknown_story_is_ignored_with_a_notice():
    at = open_story({"story": "nobody"})
    assert not at.exception
    assert any("'nobody'" in as_read(i.value) for i in at.info)
    assert at.selectbox(key="story_person").value == ""


def test_an_anonymous_story_says_its_unknown_years_once_and_stays_coarse():
    data = bundled_data()
    legs = legs_of("ji-young")
    assert legs["year"].isna().all()
    at = open_story({"story": "ji-young"})
    assert "The years of this journey are not known." in texts(at)
    assert any("anonymous person" in t for t in texts(at))
    person = data.people.set_index("person").loc["ji-young"].to_dict()
    told = story.slides(legs, {**person, "person": "ji-young"}, data.sources)
    for step in range(2, len(told)):
        at.session_state["story_step"] = step
        at.run()
        lead = told[step - 1].lead
        assert lead in texts(at)
        assert "year" not in lead, "unknown years are said once, on the opening slide"
        assert story_view(at)["initialViewState"]["zoom"] <= 4.0  # never closer than an area


def test_exit_story_returns_to_the_dashboard_and_drops_the_story_from_the_link():
    at = open_story({"story": "kang-chol-hwan", "step": "3"})
    at.button(key="story_exit").click().run()
    assert not at.exception
    assert "story" not in at.query_params and "step" not in at.query_params
    assert at.selectbox(key="story_person").value == ""
    assert at.tabs, "the dashboard's tabs are back"


def test_choosing_a_story_in_the_sidebar_puts_it_in_the_link():
    at = open_story({})
    at.selectbox(key="story_person").set_value("kang-chol-hwan").run()
    assert at.query_params["story"] == "kang-chol-hwan"
    assert where(at) == f"**1 of {slides_of('kang-chol-hwan')}**"
    at.selectbox(key="story_person").set_value("").run()
    assert "story" not in at.query_params


def test_copy_link_gives_the_link_of_this_step():
    at = open_story({"story": "joseph-kim", "step": "3", "present": "1"})
    (link,) = [c.value for c in at.code]
    assert link.endswith("/?story=joseph-kim&step=3&present=1")


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


def test_the_story_bench_prints_each_step_timing_beside_the_floor():
    from tools import bench_story

    timings = {"median_s": 0.02, "worst_s": 0.03, "revisit_s": 0.01}
    result = {"person": "ji-young", "steps": 7, "floor": {"median_s": 0.0025},
              "slide": {**timings, "ratio": 8.0}, "page": {**timings, "ratio": 8.0},
              "browser": {"text_s": 0.2, "text_worst_s": 0.3,
                          "paint_s": 0.4, "paint_worst_s": 0.6, "done_s": 0.5,
                          "done_worst_s": 0.7}}
    text = bench_story.table(result)
    assert "| slide rerun (the fragment a key press reruns) | 20 ms | 30 ms | 10 ms | 8.0× |" \
        in text
    assert ("| key → the slide's sentence on screen (Chromium, 1280×720) | 200 ms | 300 ms "
            "| | |") in text
    assert "| key → painted slide, map drawn (Chromium, 1280×720) | 400 ms | 600 ms | | |" \
        in text
    assert "empty script's rerun in AppTest, 2.5 ms" in text
    skipped = bench_story.table({**result, "browser": {"skipped": "no /usr/bin/chromium"}})
    assert "skipped: no /usr/bin/chromium" in skipped


def test_a_story_of_hostile_text_shows_it_as_text(monkeypatch):
    from conftest import FIXTURES

    monkeypatch.setenv("ROUTES_DASH_DATA", str(FIXTURES / "hostile"))
    at = open_story({"story": "evil", "step": "2"})
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown) + " ".join(h.value for h in at.header)
    # Every markup character of the data is escaped: markdown shows it as written.
    assert "<" not in shown.replace("\\<", "") and "](" not in shown
    assert "<script>window.__xss=3</script>" in as_read(shown), "read as written"
    for button in at.get("link_button"):
        assert button.proto.url.startswith(("http://", "https://"))
