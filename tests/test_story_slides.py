"""The story's slides and sentences, as pure functions: told from the data, no more exact
than it, with no pronoun the data cannot support."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import bundled_data

from routes_dash.journeys import story
from routes_dash.journeys.sentences import Sentences

# What a leg row needs for a sentence; the tests change one or two columns at a time.
LEG = {"person": "p", "leg": 1, "from": "Qingdao, China", "to": "Beijing, China",
       "from_country": "China", "to_country": "China", "mode": "train", "outcome": "arrived",
       "year": 2009, "year_end": pd.NA, "shown_precision": "city", "precision_reduced": False,
       "located": True, "certainty": "own account", "note": "", "citation": "",
       "source_links": ""}
NAMED = {"person": "p", "name": "Yeonmi Park", "anonymized": False}
ANONYMOUS = {"person": "a", "name": "Ji-young (pseudonym)", "anonymized": True}


def sentence(person=NAMED, **changes) -> str:
    return Sentences(person).leg({**LEG, **changes})


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "In 2009 Yeonmi Park went by train from Qingdao to Beijing."),
    ({"year": pd.NA}, "Yeonmi Park went by train from Qingdao to Beijing."),
    ({"year": 2007, "year_end": 2009, "from": "Changbai, China", "to": "China",
      "mode": "trafficked", "outcome": "trafficked", "shown_precision": "country"},
     "From 2007 to 2009 Yeonmi Park was trafficked in China, starting in Changbai; "
     "where is not known."),
    ({"from": "Musan, North Korea", "from_country": "North Korea", "to": "China",
      "mode": "river crossing", "outcome": "crossed", "shown_precision": "country"},
     "In 2009 Yeonmi Park crossed the river from Musan in North Korea into China; "
     "where in China is not known."),
    ({"from": "China", "to": "Yanji, China", "mode": "car", "outcome": "hiding",
      "shown_precision": "country"},
     "In 2009 Yeonmi Park went by road from somewhere in China to Yanji, in hiding."),
    ({"from": "Beijing, China", "to": "South Korean mission, Beijing, China",
      "mode": "unknown", "outcome": "asylum"},
     "In 2009 Yeonmi Park went from Beijing to the South Korean mission in Beijing and "
     "asked for asylum."),
    ({"from": "Ulaanbaatar, Mongolia", "from_country": "Mongolia",
      "to": "Incheon, South Korea", "to_country": "South Korea", "mode": "plane",
      "outcome": "resettled"},
     "In 2009 Yeonmi Park flew from Ulaanbaatar in Mongolia to Incheon in South Korea and "
     "resettled in South Korea."),
    ({"from": "Baguio, Philippines", "from_country": "Philippines", "to": "United States",
      "to_country": "United States", "mode": "plane", "outcome": "arrived",
      "shown_precision": "country"},
     "In 2009 Yeonmi Park flew from Baguio in the Philippines to the United States; "
     "where in the United States is not known."),
    ({"from": "North Hamgyong Province, North Korea", "from_country": "North Korea",
      "to": "China", "mode": "river crossing", "outcome": "crossed",
      "shown_precision": "province"},
     "In 2009 Yeonmi Park crossed the river from North Hamgyong Province in North Korea "
     "into China; where exactly is not known."),
    ({"from": "Pyongyang, North Korea", "to": "Yodok political prison camp, North Korea",
      "from_country": "North Korea", "to_country": "North Korea", "year": 1977,
      "year_end": 1987, "mode": "detention transfer", "outcome": "detained"},
     "From 1977 to 1987 Yeonmi Park was taken in custody from Pyongyang to the Yodok "
     "political prison camp and held there."),
])
def test_a_leg_is_one_sentence_as_exact_as_the_data(changes, expected):
    assert sentence(**changes) == expected


def test_an_anonymous_person_or_group_is_they():
    assert sentence(ANONYMOUS, **{"from": "China", "to": "China", "mode": "unknown",
                                  "outcome": "caught", "year": pd.NA,
                                  "shown_precision": "country"}) == \
        "They were caught in China; where is not known."
    group = {"name": "The Roh family (in 'Beyond Utopia')", "anonymized": False}
    assert sentence(group).startswith("In 2009 the Roh family went")


def test_a_place_coarsened_for_privacy_says_so():
    text = sentence(ANONYMOUS, precision_reduced=True, shown_precision="country",
                    **{"from": "North Korea", "to": "China", "from_country": "North Korea"})
    assert text.endswith("; the places are named only by their country, to protect them.")


def tell(person: str):
    data = bundled_data()
    legs = story.steps(data.legs, person)
    row = data.people.set_index("person").loc[person].to_dict()
    return legs, story.slides(legs, {**row, "person": person}, data.sources)


@pytest.mark.parametrize("person", sorted(bundled_data().people["person"]))
def test_every_bundled_story_has_an_opening_a_slide_per_leg_and_a_closing(person):
    legs, slides = tell(person)
    assert [s.kind for s in slides] == ["opening", *["leg"] * len(legs), "closing"]
    assert [s.leg for s in slides[1:-1]] == legs["leg"].tolist()
    for slide in slides:
        words = set(re.findall(r"[a-z]+", f"{slide.title} {slide.lead}".lower()))
        # Only the data's own text (notes, summaries) may say he or she.
        assert not words & {"he", "she", "his", "her", "him", "hers"}, slide.lead
    for slide, leg in zip(slides[1:-1], legs.to_dict("records"), strict=True):
        assert slide.certainty == leg["certainty"]
        assert slide.sources and slide.sources[0].text == leg["citation"]
        assert all(link.startswith(("http://", "https://")) for link in slide.sources[0].links)
        if pd.isna(leg["year"]):
            assert "In " not in slide.lead[:3] and "year" not in slide.lead
    # The closing slide lists each source the legs cite, once.
    leg_citations = " ".join(c.text for s in slides[1:-1] for c in s.sources)
    used = [c.text for c in slides[-1].used]
    assert used and len(used) == len(set(used))
    assert all(text in leg_citations for text in used)


def test_the_opening_says_which_years_are_unknown_and_which_legs_are_disputed():
    legs, slides = tell("kim-yong")
    unknown = legs.loc[legs["year"].isna(), "leg"].tolist()
    assert unknown == list(range(1, 8))
    assert "When legs 1–7 happened is not known." in slides[0].body
    _, slides = tell("joseph-kim")
    assert "Sources disagree about leg 3: its slide names both versions." in slides[0].warnings
    assert slides[3].warnings and slides[3].certainty == "disputed"


def test_a_coarse_leg_is_told_as_what_is_known():
    _, slides = tell("jang-jin-sung")
    assert slides[2].lead == ("In 2004 Jang Jin-sung crossed the river from Musan in North "
                              "Korea into China; where in China is not known.")
    assert slides[2].caption.startswith("Known only to a country")


def test_stops_are_numbered_in_order_and_shared_by_one_point():
    legs, _ = tell("ji-young")
    stops = story.stops(legs)
    numbers = sorted(int(n) for cell in stops["numbers"] for n in cell.split(", "))
    assert numbers == list(range(1, len(legs) + 2))
    north_korea = stops.loc[stops["place"] == "North Korea", "numbers"].item()
    assert north_korea.split(", ")[0] == "1"
    assert len(stops) == len(stops[["lat", "lon"]].drop_duplicates())


def test_content_note_names_what_a_class_should_know_first():
    _, slides = tell("park-ji-hyun")
    assert slides[0].warnings[0] == ("Content note: this story includes human trafficking, "
                                     "forced return to North Korea and detention.")
    _, slides = tell("thae-yong-ho")
    assert not any(w.startswith("Content note") for w in slides[0].warnings)


def test_a_leg_known_only_as_a_country_shows_the_whole_country_on_its_slide():
    """Not its middle at a town's zoom, which would look like the place it happened."""
    from routes_dash.journeys import areas
    from routes_dash.render import maplabels, story_map

    legs = bundled_data().legs
    coarse = legs[legs["located"] & (legs["shown_precision"] == "country")
                  & (legs["from"] == legs["to"])]
    leg = coarse.iloc[[0]]
    view = story_map.frame(leg, story_map.AREA_ZOOM)
    west, south, east, north = maplabels.bounds(view, story_map.MAP_SIZE)
    key = areas.end_areas(leg, "to").iloc[0]
    area_west, area_south, area_east, area_north = areas.area(key).bounds
    assert west <= area_west and east >= area_east
    assert south <= area_south and north >= area_north
