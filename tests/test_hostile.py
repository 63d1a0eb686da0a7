"""A hostile visitor: links and file names that try to inject markdown or raise, anonymous
people's unfound places, and what loading a folder may never do."""

import gc
import html
import json
import re
import shutil
import tomllib
import weakref

import pytest
from conftest import FIXTURES, REPO, as_read, bundled_data, open_tab, open_uploader
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from routes_dash.journeys import links
from routes_dash.journeys.dataset import load_folder, load_upload
from routes_dash.journeys.filters import Filters, filter_options
from routes_dash.journeys.notes import view_notes
from routes_dash.places import resolver

TRACKER = "![p](http://tracker.example/p.png)"
PHISH = "[Log in again to continue](https://phish.example/login)"


def page(query=None):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def a_story_person() -> str:
    return bundled_data().people["person"].iloc[0]


def shown_markdown(at) -> list[str]:
    """Every text of the page that Streamlit renders as markdown."""
    return [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success",
                                 "title", "header", "subheader")
            for e in getattr(at, kind)]


def is_live_markdown_link(markdown: str) -> bool:
    """Whether `markdown` would render as a link or image: markdown's `](`, or a bare web
    address in the text as parsed (GitHub-flavoured markdown links those by itself)."""
    return "](" in markdown or re.search(r"https?://|www\.", html.unescape(markdown),
                                         re.IGNORECASE) is not None


# --- links that try to raise ------------------------------------------------------------------


@pytest.mark.parametrize("step", ["²", "٣", "1" * 5000, "-2", "1e3", "0x10", "  "])
def test_any_step_in_a_link_opens_the_story_without_a_traceback(step):
    at = page({"story": a_story_person(), "step": step})
    assert not at.exception
    assert any(re.fullmatch(r"\*\*\d+ of \d+\*\*", m) for m in shown_markdown(at))


@given(st.text(max_size=60))
def test_any_step_text_parses_to_a_step_number(step):
    link = links.story_from_query({"story": "p", "step": step}, ["p"])
    assert link.person == "p" and 1 <= link.step <= links.MAX_STEP


def test_visitors_never_see_error_details():
    config = tomllib.loads((REPO / "src/routes_dash/.streamlit/config.toml").read_text())
    assert config["client"]["showErrorDetails"] in ("none", "type")


# --- links and file names that try to inject markdown ------------------------------------------


@pytest.mark.parametrize("query", [{"story": TRACKER}, {"story": PHISH}, {"person": PHISH},
                                   {"country": TRACKER}, {"years": PHISH}])
def test_a_link_value_is_shown_as_plain_text_never_as_a_link_or_image(query):
    at = page(query)
    assert not at.exception
    notices = [n.value for n in at.info]
    assert any("tracker.example" in as_read(n) or "phish.example" in as_read(n)
               for n in notices), "the value is named"
    assert not any(is_live_markdown_link(text) for text in shown_markdown(at))


def test_an_upload_named_like_a_link_is_named_as_plain_text():
    at = open_uploader(page())
    at.file_uploader(key="upload_legs").set_value((f"{PHISH}.csv", b"nonsense", "text/csv"))
    next(b for b in at.button if b.label == "Show my data").click()
    at.run()
    assert f"{PHISH}.csv cannot be shown" in as_read(at.error[0].value)
    assert not any(is_live_markdown_link(text) for text in shown_markdown(at))


def test_a_place_named_like_a_link_is_plain_text_in_the_place_fixer():
    legs = (b"person,leg,from,to,mode,year,outcome\n"
            b"kim,1,\"Hyesan, North Korea\",\"" + PHISH.encode() + b"\",bus,2001,crossed\n")
    at = open_uploader(page())
    at.file_uploader(key="upload_legs").set_value(("legs.csv", legs, "text/csv"))
    next(b for b in at.button if b.label == "Show my data").click()
    at.run()
    # A point off the Earth: the warning names the place.
    at.session_state["place_editor_0"] = {"edited_rows": {"0": {"lat": "91", "lon": "10"}}}
    at.run()
    assert any(PHISH in as_read(w.value) for w in at.warning)
    assert not any(is_live_markdown_link(text) for text in shown_markdown(at))


# --- an anonymous person's places -------------------------------------------------------------

SECRET = "Grandmother's Farm Behind The Mill"
ANON_LEGS = ("person,leg,from,to,mode,year,outcome\n"
             f"anon,1,\"Hyesan, North Korea\",{SECRET},on foot,2005,crossed\n"
             f"anon,2,{SECRET},\"Xyzzy Hamlet, China\",bus,2006,hiding\n").encode()
ANON_PEOPLE = (b"person,name,born,anonymized,summary,source\n"
               b"anon,Anonymous woman,,true,An anonymous journey.,test\n")


def test_an_anonymous_persons_unfound_place_is_never_named():
    dataset = load_upload(ANON_LEGS, "legs.csv", ANON_PEOPLE)
    shown = dataset.legs[["from", "to"]].to_numpy().ravel().tolist()
    assert SECRET not in shown and "Xyzzy Hamlet, China" not in shown
    assert "China" in shown  # named by its country when that is known
    assert SECRET not in " ".join(view_notes(dataset.legs).values())


def test_the_page_never_names_an_anonymous_persons_unfound_place():
    at = open_uploader(page())
    at.file_uploader(key="upload_legs").set_value(("legs.csv", ANON_LEGS, "text/csv"))
    at.file_uploader(key="upload_people").set_value(("people.csv", ANON_PEOPLE, "text/csv"))
    next(b for b in at.button if b.label == "Show my data").click()
    at.run()
    seen = []
    for tab in ("Route map", "Timeline", "People and sources"):
        open_tab(at, tab)
        seen += shown_markdown(at) + [t.value for t in at.text]
        seen += [d.value.to_csv() for d in at.dataframe if "place" not in d.value.columns]
        seen += [c.proto.json for c in at.get("deck_gl_json_chart")]
        seen += [c.proto.spec for c in at.get("plotly_chart")]
    at.session_state["story_person"] = "anon"
    at.run()
    seen += shown_markdown(at) + [t.value for t in at.text]
    seen += [json.dumps(t.proto.__str__()) for t in at.table]
    assert not at.exception
    assert not [text for text in seen if "Grandmother" in text or "Xyzzy" in text]


# --- links of person ids with commas ----------------------------------------------------------


def test_a_person_id_with_a_comma_survives_a_link():
    options = filter_options(load_upload(
        b"person,leg,from,to,mode,year,outcome\n"
        b"\"kim, jr\",1,\"Hyesan, North Korea\",\"Changbai, China\",bus,2001,crossed\n"
        b"lee,1,\"Hyesan, North Korea\",\"Changbai, China\",bus,2001,crossed\n",
        "legs.csv").legs)
    chosen = Filters(people=("kim, jr", "lee"))
    query = links.filters_to_query(chosen)
    assert links.filters_from_query(query, options) == links.Parsed(chosen, ())
    # Links written before quoting existed still read the same.
    assert links.filters_from_query({"person": "lee"}, options).filters.people == ("lee",)


# --- loading a folder -------------------------------------------------------------------------


def test_loading_a_folder_never_writes_its_geocache(tmp_path):
    folder = tmp_path / "journeys"
    shutil.copytree(FIXTURES / "other_journeys", folder)
    legs = folder / "legs.csv"
    count = load_folder(folder).legs["person"].eq("test-min").sum()
    legs.write_text(legs.read_text() + f"test-min,{count + 1},\"Boten, Laos\",\"Qqqzzz Nowhere\","
                    "on foot,2012,crossed,,city,inferred,test fixture,\n")
    before = (folder / "geocache.csv").read_bytes(), (folder / "geocache.csv").stat().st_mtime_ns
    resolver.forget_lookups()
    for _ in range(2):
        dataset = load_folder(folder)
    assert "Qqqzzz Nowhere" in dataset.unresolved
    after = (folder / "geocache.csv").read_bytes(), (folder / "geocache.csv").stat().st_mtime_ns
    assert after == before
    assert sorted(p.name for p in folder.iterdir()) == ["geocache.csv", "legs.csv", "people.csv"]
    # Nor is the miss kept in memory, where every upload's unknown places would pile up.
    assert not [r for r in resolver._LOOKED_UP.values() if not r.resolved]


def test_a_country_is_never_listed_among_the_places_without_coordinates(tmp_path):
    folder = tmp_path / "journeys"
    shutil.copytree(FIXTURES / "other_journeys", folder)
    # A junk miss row for a country in the folder's cache, and a leg that goes there.
    with (folder / "geocache.csv").open("a") as cache:
        cache.write("China,,,\n")
    legs = folder / "legs.csv"
    legs.write_text(legs.read_text().replace('"Kunming, China",train', "China,train"))
    resolver.forget_lookups()
    dataset = load_folder(folder)
    assert "China" not in dataset.unresolved
    assert "China" not in view_notes(dataset.legs).get("unlocated", "")
    to_china = dataset.legs[dataset.legs["to"] == "China"]
    assert len(to_china) and to_china["located"].all()


def test_places_kept_in_memory_are_bounded(monkeypatch):
    monkeypatch.setattr(resolver, "MAX_LOOKED_UP", 3)
    resolver.forget_lookups()
    found = ["Yanji, China", "Hyesan, North Korea", "Kunming, China", "Boten, Laos",
             "Dandong, China"]
    resolver.resolve_places(found, cache_path="/nonexistent/geocache.csv", write=False)
    assert len(resolver._LOOKED_UP) == 3


# --- memory: a session keeps its one upload, and lets it go -----------------------------------


def test_an_upload_is_let_go_at_the_next_upload_and_when_the_session_ends():
    legs = (FIXTURES / "other_journeys" / "legs.csv").read_bytes()
    at = open_uploader(page())
    kept = []
    for n in range(3):  # distinct files: nothing can be shared between them
        distinct = legs.replace(b"at night.", f"at night ({n}).".encode())
        at.file_uploader(key="upload_legs").set_value((f"legs-{n}.csv", distinct, "text/csv"))
        next(b for b in at.button if b.label == "Show my data").click()
        at.run()
        for tab in ("Route map", "Timeline", "Charts", "People and sources", "Download"):
            open_tab(at, tab)
        assert not at.exception and not at.error
        kept.append(weakref.ref(at.session_state["uploaded_dataset"].legs))
    gc.collect()
    assert [ref() is None for ref in kept] == [True, True, False]
    del at
    page()  # Streamlit keeps the last run's script globals until the next run, anyone's
    gc.collect()
    assert kept[-1]() is None
