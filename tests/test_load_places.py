"""The geocache and curated places files: a file cut short or garbled is refused with a message
naming the file and the row, never read as fewer or wrong places, never a traceback."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from routes_dash import bundled
from routes_dash.contract.problems import DataError
from routes_dash.journeys.dataset import DATA_ENV
from routes_dash.places.files import read_cache, read_curated

CACHE = (bundled.DATA / "geocache.csv").read_bytes()
CURATED = (bundled.DATA / "places_curated.csv").read_bytes()


def row_at_end(data: bytes) -> int:
    """The row, as a spreadsheet numbers it, that `data` ends in."""
    return data.count(b"\n") + 1


def refusal(read, tmp_path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DataError) as refused:
        read(path)
    return str(refused.value)


def test_a_cache_cut_in_the_middle_of_a_row_is_refused_with_the_row(tmp_path):
    cut = CACHE[: CACHE.index(b"\n", 500) - 60]  # inside the coordinates of a row
    row = row_at_end(cut)
    text = refusal(read_cache, tmp_path, cut, "geocache.csv")
    assert text.startswith(f"geocache.csv, row {row}: has ")
    assert "the file looks cut short" in text


def test_a_cache_cut_inside_quotes_is_refused_with_the_row(tmp_path):
    cut = CACHE[: CACHE.index(b'"', 300) + 4]
    row = row_at_end(cut)
    text = refusal(read_cache, tmp_path, cut, "geocache.csv")
    assert text.startswith(f"geocache.csv, row {row}: ")
    assert "quote" in text


def test_a_cache_cut_in_its_last_column_is_refused(tmp_path):
    cut = CACHE[: CACHE.rindex(b"Z")]  # the last row's time without its end
    text = refusal(read_cache, tmp_path, cut, "geocache.csv")
    assert f"row {row_at_end(cut)}, column 'looked_up_at'" in text


@pytest.mark.parametrize(("garble", "words"), [(b"\xff\xfe", "not UTF-8 text"),
                                                (b"\x00\x00", "not a text file")])
def test_garbled_bytes_in_a_cache_name_the_row(tmp_path, garble, words):
    at = CACHE.index(b"\n", 800) + 5
    garbled = CACHE[:at] + garble + CACHE[at:]
    text = refusal(read_cache, tmp_path, garbled, "geocache.csv")
    assert f"geocache.csv, row {row_at_end(garbled[:at])}: " in text
    assert words in text


def test_a_curated_file_cut_short_is_refused_with_the_row(tmp_path):
    cut = CURATED[: CURATED.index(b"\n", 2000) - 40]
    text = refusal(read_curated, tmp_path, cut, "places_curated.csv")
    assert text.startswith(f"places_curated.csv, row {row_at_end(cut)}: ")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_truncated_file_is_refused_or_read_without_a_wrong_place(tmp_path, data):
    """Cut anywhere: either refused, or every place read is where, and in the country, the
    whole file says (the cut fell between rows, or took a cache row's time of lookup or a
    curated row's source, its last column, with it)."""
    for read, whole, kept in ((read_cache, CACHE, lambda r: (r.place, r.lat, r.lon, r.country,
                                                              r.provider, r.resolved_name)),
                              (read_curated, CURATED, lambda c: (c.place, c.lat, c.lon,
                                                                  c.country, c.precision,
                                                                  c.note))):
        path = tmp_path / "file.csv"
        path.write_bytes(whole)
        expected = {key: kept(value) for key, value in read(path).items()}
        cut = data.draw(st.integers(0, len(whole) - 1))
        path.write_bytes(whole[:cut])
        try:
            read_places = read(path)
        except DataError as error:
            assert all(p.file == "file.csv" for p in error.problems)
            continue
        assert {key: kept(value) for key, value in read_places.items()} == {
            key: expected[key] for key in read_places}


def test_the_page_names_the_row_of_a_garbled_cache_instead_of_failing(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "other_journeys", folder)
    cache = (folder / "geocache.csv").read_bytes()
    (folder / "geocache.csv").write_bytes(cache[: cache.index(b"\n", 60) - 20])  # in row 2
    monkeypatch.setenv(DATA_ENV, str(folder))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.code)
    assert "geocache.csv, row 2: has 2 cells but the header has 4" in shown
