"""Truth a reader can check: plain certainty words, sources.csv and full citations."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import pytest
from conftest import FIXTURES, REPO, bundled_data, open_tab
from streamlit.testing.v1 import AppTest
from test_export_html import carried

from routes_dash.cli import main
from routes_dash.contract import schema
from routes_dash.contract.load import read_legs, read_people
from routes_dash.contract.problems import DataError
from routes_dash.contract.sources import read_sources
from routes_dash.journeys.citations import bibliography, citation
from routes_dash.journeys.dataset import load_upload
from routes_dash.render import export

LEGS_HEADER = "person,leg,from,to,mode,year,outcome,certainty,source"
SOURCES = (
    "id,title,author,outlet,date,url,kind,accessed,note\n"
    "times-2020,A long road,Ann Lee,The Times,2020-03-01,https://example.org/road,news,"
    "2026-11-21,\n"
    "memoir-1999,My escape,Kim,,1999,,memoir,,\n"
)


def legs_csv(*rows: str) -> bytes:
    return ("\n".join([LEGS_HEADER, *rows]) + "\n").encode()


def problem_lines(read, data: bytes, **kwargs) -> str:
    with pytest.raises(DataError) as caught:
        read(data, **kwargs)
    return "\n".join(str(p) for p in caught.value.problems)


# --- certainty words ------------------------------------------------------------------------


@pytest.mark.parametrize("old", schema.RETIRED_CERTAINTIES)
def test_an_old_certainty_word_is_refused_with_the_new_words_and_their_meanings(old):
    text = problem_lines(read_legs, legs_csv(f'kim,1,"A, Laos","B, Laos",bus,2001,crossed,{old},x'))
    assert f"legs.csv, row 2, column 'certainty': '{old}'" in text
    for word, meaning in schema.CERTAINTY_MEANINGS.items():
        assert f"'{word}': {meaning}" in text
    assert "is not allowed" not in text  # one message for it, not two


def test_the_new_words_are_accepted_case_insensitively():
    rows = [f'kim,{i},"A, Laos","B, Laos",bus,2001,crossed,{word.upper()},x'
            for i, word in enumerate(schema.CERTAINTIES, start=1)]
    assert list(read_legs(legs_csv(*rows))["certainty"]) == list(schema.CERTAINTIES)


# --- sources.csv ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("times-2020,Again,,,,,news,,", "row 4, column 'id': the id 'times-2020' is used by an "
                                        "earlier row too"),
        ("x,T,,,,javascript:alert(1),news,,", "row 4, column 'url': 'javascript:alert(1)' is "
                                              "not a web address"),
        ("x,T,,,March 2020,,news,,", "row 4, column 'date': 'March 2020' is not a date"),
        ("x,T,,,2020-13,,news,,", "row 4, column 'date': '2020-13' is not a date"),
        ("x,T,,,,,blog,,", "row 4, column 'kind': 'blog' is not a kind of source; allowed: news"),
        ("x,,,,,,news,,", "row 4, column 'title': is empty"),
        ("two words,T,,,,,news,,", "row 4, column 'id': 'two words' is not an id"),
    ],
)
def test_bad_sources_are_named_by_row_column_and_value(row, expected):
    text = problem_lines(read_sources, (SOURCES + row + "\n").encode())
    assert f"sources.csv, {expected}" in text


def test_a_leg_naming_an_unknown_source_id_is_refused_with_a_suggestion():
    sources = read_sources(SOURCES.encode())
    text = problem_lines(read_legs, legs_csv(
        'kim,1,"A, Laos","B, Laos",bus,2001,crossed,documented,times-2020; times-2021'),
        sources=sources)
    assert ("legs.csv, row 2, column 'source': 'times-2021' is not an id in sources.csv "
            "(did you mean 'times-2020'?)") in text


def test_people_sources_are_checked_too():
    sources = read_sources(SOURCES.encode())
    people = (b"person,name,born,anonymized,summary,source,since,since_source\n"
              b"kim,Kim,,no,,memoir-1999,Lives in Seoul.,nowhere-1\n")
    text = problem_lines(read_people, people, sources=sources)
    assert "people.csv, row 2, column 'since_source': 'nowhere-1' is not an id" in text


def test_without_sources_a_source_is_free_text_shown_as_written():
    dataset = load_upload(legs_csv('kim,1,"Hyesan, North Korea","Changbai, China",bus,2001,'
                                   'crossed,own account,"Interview; 2019"'), "mine.csv")
    leg = dataset.legs.iloc[0]
    assert leg["citation"] == "Interview; 2019" and leg["source_links"] == ""


def test_ids_become_full_citations_with_their_links():
    dataset = load_upload(
        legs_csv('kim,1,"Hyesan, North Korea","Changbai, China",bus,2001,crossed,'
                 'documented,times-2020;memoir-1999'), "mine.csv",
        sources_data=SOURCES.encode())
    leg = dataset.legs.iloc[0]
    assert leg["citation"] == ("Ann Lee, “A long road”, The Times, 2020-03-01 (news); "
                               "Kim, “My escape”, 1999 (memoir)")
    assert leg["source_links"] == "https://example.org/road"
    assert citation({"title": "Untitled", "kind": "news"}) == "“Untitled”, undated (news)"


def test_the_bibliography_counts_the_legs_and_people_each_source_supports():
    legs = bundled_data().legs
    table = bibliography(legs, bundled_data().sources)
    cited = legs["source"].str.split(";").explode().str.strip()
    assert set(table["id"]) == set(cited)
    for row in table.head(5).itertuples():
        assert row.legs == int(cited.eq(row.id).sum())
    assert list(table["legs"]) == sorted(table["legs"], reverse=True)


def test_validate_curated_needs_sources_and_reports_them(tmp_path, capsys):
    data = REPO / "data"
    assert main(["validate", str(data / "legs.csv"), "--people", str(data / "people.csv"),
                 "--curated"]) == 0
    assert f"{len(bundled_data().sources)} sources" in capsys.readouterr().out
    (tmp_path / "legs.csv").write_bytes((data / "legs.csv").read_bytes())
    assert main(["validate", str(tmp_path / "legs.csv"), "--curated"]) == 1
    assert "sources.csv: no such file" in capsys.readouterr().err


# --- the page and the exports ---------------------------------------------------------------


def test_the_page_shows_citations_links_the_sources_list_and_the_legend(monkeypatch):
    monkeypatch.delenv("ROUTES_DASH_DATA", raising=False)
    at = open_tab(AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run(),
                  "People and sources")
    assert not at.exception
    _people, legs, sources = (d.value for d in at.dataframe)
    assert list(legs.columns[:3]) == ["certainty", "source", "link"]  # first, on a phone too
    assert not legs["source"].isin(bundled_data().sources["id"]).any()  # no bare ids
    assert legs["link"].map(lambda v: v == "" or v.startswith(("http://", "https://"))).all()
    assert "None" not in set(legs["link"])
    assert sources["legs"].sum() >= len(legs)
    captions = " ".join(c.value for c in at.caption)
    for word in schema.CERTAINTIES:
        assert f"**{word}**" in captions


def test_every_export_carries_full_citations_and_the_certainty_legend():
    data = bundled_data()
    files = export.export_files(["all"], data.legs, data.people, data.sources)
    table = pd.read_csv(io.BytesIO(files["legs-with-coordinates.csv"]), keep_default_na=False)
    assert (table["citation"] != "").all() and not table["citation"].isin(data.sources["id"]).any()
    assert len(pd.read_csv(io.BytesIO(files["sources.csv"]))) == len(
        bibliography(data.legs, data.sources))
    readme = files["README.txt"].decode()
    for word, meaning in schema.CERTAINTY_MEANINGS.items():
        assert f"- {word}: {meaning}" in readme
    zipped = zipfile.ZipFile(io.BytesIO(export.download("storymap", data.legs, data.people,
                                                        data.sources)))
    assert "sources.csv" in zipped.namelist()


def test_nothing_shipped_says_how_the_project_was_made():
    shipped = [*(REPO / "data").glob("*.csv"), REPO / "data" / "README.md", REPO / "README.md"]
    data = bundled_data()
    exported = export.export_files(["all"], data.legs, data.people, data.sources)
    # The one-file HTML inlines third-party libraries, in their own words: its data is read.
    page = exported.pop("routes-dashboard.html").decode("utf-8")
    texts = [p.read_text(encoding="utf-8") for p in shipped]
    texts += [b.decode("utf-8") for b in exported.values()]
    texts.append(json.dumps(carried(page), ensure_ascii=False))
    # "seed" as a certainty word or a citation, not a random generator's --seed.
    pattern = re.compile(
        r"seed article|(?<![-`])\bseed\b(?!`)|research notes|journeys\.md|founding",
        re.IGNORECASE)
    found = [m.group(0) for text in texts for m in pattern.finditer(text)]
    assert found == []


def test_the_data_readme_explains_every_certainty_word():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for word in schema.CERTAINTIES:
        assert f"- **{word}**: " in readme, word


def test_the_other_journeys_fixture_still_loads_without_sources():
    from routes_dash.journeys.dataset import load_folder

    assert load_folder(FIXTURES / "other_journeys").sources is None
