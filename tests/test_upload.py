"""Your own data: an upload replaces the data for one session; bad files get a message."""

import codecs

import pandas as pd
import pytest
from conftest import (
    FIXTURES,
    REPO,
    as_read,
    bundled_legs_shown,
    header_sentence,
    legs_in_header,
    map_table,
    open_tab,
    open_uploader,
)
from streamlit.testing.v1 import AppTest

from routes_dash.contract import schema
from routes_dash.places import fixes

OTHER_LEGS = (FIXTURES / "other_journeys" / "legs.csv").read_bytes()
OTHER_PEOPLE = (FIXTURES / "other_journeys" / "people.csv").read_bytes()


def page():
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()


def upload(at, legs, people=None, name="my-legs.csv"):
    open_uploader(at)
    at.file_uploader(key="upload_legs").set_value((name, legs, "text/csv"))
    if people is not None:
        at.file_uploader(key="upload_people").set_value(("people.csv", people, "text/csv"))
    next(b for b in at.button if b.label == "Show my data").click()
    return at.run()


def legs_shown(at):
    return legs_in_header(header_sentence(at))


def described(at):
    """The map's text alternative (its table of the legs it shows) as one text."""
    table = map_table(at)
    return " ".join(f"{row.person} · leg {row.leg}: {row._3} → {row.to}"
                    for row in table.itertuples())


def test_a_valid_file_of_other_journeys_draws_for_this_session_only():
    at = upload(page(), OTHER_LEGS, OTHER_PEOPLE)
    assert not at.exception
    assert legs_shown(at) == "10"
    assert "Chiang Saen, Thailand" in described(at)
    assert any("your file my-legs.csv" in t.value for t in at.text)
    assert open_tab(at, "People and sources").dataframe[0].value.shape[0] == 10
    # Another browser session still sees the bundled data.
    assert legs_shown(page()) == bundled_legs_shown()
    # And the way back.
    back = next(b for b in at.button if b.label == "Back to the bundled data")
    back.click().run()
    assert legs_shown(at) == bundled_legs_shown()


def test_the_uploader_opens_on_demand_and_closing_it_keeps_the_data():
    at = page()
    assert any(e.label == "Upload your legs CSV" for e in at.sidebar.expander)
    assert not at.file_uploader, "closed until a reader opens it"
    upload(at, OTHER_LEGS, OTHER_PEOPLE)
    at.session_state["upload_open"] = False
    at.run()
    assert not at.exception and not at.file_uploader
    assert legs_shown(at) == "10"
    assert any("your file my-legs.csv" in t.value for t in at.text)
    assert any(b.label == "Back to the bundled data" for b in at.sidebar.button)


def test_upload_without_people_uses_person_ids_as_names():
    at = upload(page(), OTHER_LEGS)
    assert not at.exception and legs_shown(at) == "10"
    assert "test-min · leg 1" in described(at)


BAD_FILES = [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not a text file"),
    (b"person,leg,from\nkim,1,Hyesan\n", "the required column 'to' is missing"),
    (OTHER_LEGS.replace(b"river crossing", b"swimming", 1), "'swimming' is not allowed"),
    ("person,leg,from,to,mode,year,outcome\nkim,1,Hyesan,Ch\u00e1ngbai,bus,2001,crossed\n"
     .encode("cp1252"), "is not UTF-8 text"),
]


@pytest.mark.parametrize(("data", "words"), BAD_FILES)
def test_bad_files_get_a_message_and_the_data_on_screen_stays(data, words):
    at = upload(page(), data)
    assert not at.exception
    assert "cannot be shown" in at.error[0].value and "unchanged" in at.error[0].value
    assert words in at.code[0].value
    assert legs_shown(at) == bundled_legs_shown()


def test_a_bad_file_after_a_good_one_keeps_the_good_one():
    at = upload(page(), OTHER_LEGS, OTHER_PEOPLE)
    at = upload(at, b"nonsense")
    assert legs_shown(at) == "10"
    assert at.error


def test_too_large_a_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 100)
    at = upload(page(), OTHER_LEGS)
    assert "larger than" in at.code[0].value
    assert legs_shown(at) == bundled_legs_shown()


def test_utf16_from_a_spreadsheet_is_read():
    data = codecs.BOM_UTF16_LE + OTHER_LEGS.decode().encode("utf-16-le")
    assert legs_shown(upload(page(), data, OTHER_PEOPLE)) == "10"


def test_a_place_fixed_by_hand_moves_its_legs_onto_the_map():
    data = OTHER_LEGS.replace(b"Chiang Saen, Thailand", b"Ban Nowhere Xyz, Thailand")
    at = upload(page(), data, OTHER_PEOPLE)
    assert "1 place(s) of your file were not found" in at.expander[0].label
    editor = next(d for d in at.dataframe if "place" in d.value.columns)
    assert list(editor.value["place"]) == ["Ban Nowhere Xyz, Thailand"]
    assert "Ban Nowhere Xyz" not in described(at)  # not located: off the map
    open_tab(at, "People and sources")
    legs_table = next(d for d in at.dataframe if "from → to" in d.value.columns)
    assert legs_table.value.shape[0] == 10  # but kept in the tables
    at.session_state["place_fixes"] = pd.DataFrame(
        [{"place": "Ban Nowhere Xyz, Thailand", "lat": 20.27, "lon": 100.09,
          "country": "Thailand", "resolved_name": "by hand"}])
    open_tab(at, "Route map")
    assert "Ban Nowhere Xyz, Thailand" in described(at)


def test_hand_located_rows_are_checked():
    rows = pd.DataFrame({"place": ["A, Laos", "B, Laos", "C, Laos", "D, Laos"],
                         "lat": [18.0, 95.0, None, "north"], "lon": ["102,5", 10.0, " ", ""]})
    located, problems = fixes.hand_located(rows)
    assert list(located["place"]) == ["A, Laos"] and located.loc[0, "lon"] == 102.5
    assert located.loc[0, "country"] == "Laos"
    assert [str(p).split("'")[1] for p in problems] == ["B, Laos", "D, Laos"]
    assert "needs a latitude" in str(problems[0])
    cache = fixes.cache_csv(located).decode()
    assert cache.startswith("place,lat,lon,country,provider") and ",user," in cache


def test_candidates_suggest_the_town_a_typo_means():
    labels = [c.label for c in fixes.candidates("Hyesann, North Korea")]
    assert labels and labels[0].startswith("Hyesan, Yanggang-do, North Korea")


def typo_upload():
    """The other journeys with two places nobody can find: one misspelt, one made up."""
    data = (OTHER_LEGS.replace(b"Kunming, China", b"Kunmming, China")
            .replace(b"Chiang Saen, Thailand", b"Ban Nowhere Xyz, Thailand"))
    return upload(page(), data, OTHER_PEOPLE)


def test_candidates_are_ranked_by_spelling_and_named_by_province_and_country():
    at = typo_upload()
    picker = at.selectbox(key="place_to_pick_0")
    picker.select("Kunmming, China").run()
    labels = [as_read(o) for o in at.radio(key="candidate_0").options]
    assert labels[0].startswith("Kunming, Yunnan, China")
    assert not any("(29" in label for label in labels)  # a GeoNames code is no name


def test_the_fixer_says_which_legs_use_each_place_and_counts_what_is_left():
    at = typo_upload()
    assert at.expander[0].label.startswith("2 place(s) of your file were not found")
    editor = next(d for d in at.dataframe if "place" in d.value.columns)
    used = dict(zip(editor.value["place"], editor.value["used by"], strict=True))
    assert used["Kunmming, China"] == "test-min · leg 3; test-min · leg 4"
    at.selectbox(key="place_to_pick_0").select("Kunmming, China").run()
    next(b for b in at.button if b.label == "Use this place").click().run()
    assert at.expander[0].label.startswith("1 place(s) of your file were not found")
    assert "Kunmming, China" in described(at)  # on the map, at Kunming
    at.selectbox(key="place_to_pick_1").select("Ban Nowhere Xyz, Thailand").run()
    typed = {"lat": "20.27", "lon": "100.09"}
    at.session_state["place_editor_1"] = {"edited_rows": {"0": typed}}
    at.run()
    label = at.expander[0].label
    assert "0 place" not in label and label.startswith("Every place of your file is on the map")
    assert "Ban Nowhere Xyz, Thailand" in described(at)


def test_a_file_of_thousands_of_unknown_places_searches_the_spelling_of_one(monkeypatch):
    searched = []
    real = fixes.candidates
    monkeypatch.setattr(fixes, "candidates", lambda place, **kw: searched.append(place)
                        or real(place, **kw))
    rows = [f"kim,{n},Qzxv Hamlet {n},Wqpz Village {n},on foot,2001,crossed"
            for n in range(1, 201)]
    at = upload(page(), ("person,leg,from,to,mode,year,outcome\n" + "\n".join(rows)).encode())
    assert at.expander[0].label.startswith("400 place(s) of your file were not found")
    assert len(searched) <= 1
    editor = next(d for d in at.dataframe if "place" in d.value.columns)
    assert len(editor.value) <= 400
