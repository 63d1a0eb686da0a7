"""The synthetic data generator: valid, exact, deterministic, located, and consistent."""

import io

import pandas as pd
import pytest

from routes_dash.cli import main
from routes_dash.contract.load import read_legs, read_people
from routes_dash.journeys.dataset import load_folder
from routes_dash.places.records import CACHE_COLUMNS
from routes_dash.places.resolver import distinct_places, resolve_places
from tools import synth


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return synth.write_folder(tmp_path_factory.mktemp("synth"), 1_500, seed=3)


def test_the_folder_validates_and_has_the_requested_leg_count(folder, capsys):
    code = main(["validate", str(folder / "legs.csv"), "--people", str(folder / "people.csv")])
    assert code == 0, capsys.readouterr().err
    people = read_people(folder / "people.csv")
    legs = read_legs(folder / "legs.csv", people=people)
    assert len(legs) == 1_500
    assert len(people) == legs["person"].nunique()
    assert 1_500 / 10 < len(people) < 1_500 / 4  # many people, a handful of legs each


@pytest.mark.parametrize("count", [1, 7, 200])
def test_exactly_the_requested_number_of_legs(count):
    legs, people = synth.synthesize(count, seed=1)
    assert len(legs) == count
    assert set(legs["person"]) == set(people["person"])


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(tmp_path):
    one = synth.write_folder(tmp_path / "one", 300, seed=5)
    two = synth.write_folder(tmp_path / "two", 300, seed=5)
    other = synth.write_folder(tmp_path / "other", 300, seed=6)
    for name in ("legs.csv", "people.csv", "geocache.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert (one / "legs.csv").read_bytes() != (other / "legs.csv").read_bytes()


def test_every_place_is_in_the_cache_so_nothing_is_looked_up(folder):
    cache_before = (folder / "geocache.csv").read_bytes()
    dataset = load_folder(folder)
    assert dataset.unresolved == ()
    assert (folder / "geocache.csv").read_bytes() == cache_before  # nothing new to write
    places = pd.read_csv(folder / "geocache.csv")
    assert tuple(places.columns) == CACHE_COLUMNS
    assert set(places["provider"]) <= {"curated", "gazetteer"}
    report = resolve_places(distinct_places(dataset.validated),
                            cache_path=folder / "geocache.csv", lookup=False)
    assert report.complete and not report.looked_up
    assert places[["lat", "lon"]].notna().all().all()
    # Anonymous people's legs are written at country level, so they stay on the map as
    # written: nothing to reduce.
    assert dataset.legs["located"].all()
    assert not dataset.legs["precision_reduced"].any()


def test_people_are_fictional_and_say_so(folder):
    people = read_people(folder / "people.csv")
    legs = read_legs(folder / "legs.csv", people=people)
    assert people["person"].str.fullmatch(r"synth-\d{6}").all()
    assert (people["name"] == "Synthetic person " + people["person"].str[6:].str.lstrip("0")).all()
    assert set(legs["certainty"]) == {"inferred"}
    assert set(legs["source"]) == {synth.SOURCE}
    assert people["anonymized"].any() and not people["anonymized"].all()
    anonymous = legs["person"].isin(people.loc[people["anonymized"], "person"])
    assert set(legs.loc[anonymous, "precision"]) == {"country"}
    assert set(legs.loc[~anonymous, "precision"]) == {"city"}


def test_journeys_are_continuous_and_steps_are_consistent(folder):
    legs = read_legs(folder / "legs.csv")
    named = legs[legs["precision"] == "city"]
    for _, group in named.groupby("person"):
        # Each leg starts where the last one ended, except after turning back at the border.
        starts, ends = list(group["from"])[1:], list(group["to"])[:-1]
        outcomes = list(group["outcome"])[:-1]
        assert all(s == e or o == "turned back" for s, e, o in zip(starts, ends, outcomes,
                                                                 strict=True))
    follows = dict(zip(zip(legs["person"], legs["leg"], strict=True), legs["outcome"],
                       strict=True))
    # Caught in China → handed back at Namyang → detained in North Korea.
    handed_over = named[(named["from"] == "Tumen, China") & (named["to"] == "Namyang, North Korea")]
    assert len(handed_over)
    for row in handed_over.itertuples():
        assert row.mode == "deportation" and row.outcome == "repatriated"
        assert follows[(row.person, row.leg - 1)] == "caught"
        assert follows.get((row.person, row.leg + 1), "detained") == "detained"
    assert set(named.loc[named["mode"] == "plane", "outcome"]) == {"resettled"}
    assert set(named.loc[named["mode"] == "boat", "to"]) <= {
        "Chiang Khong, Thailand", "Chiang Saen, Thailand"}
    assert set(named.loc[named["mode"] == "river crossing", "outcome"]) == {"crossed"}


def test_years_follow_the_arrivals_series_roughly():
    legs, _ = synth.synthesize(20_000, seed=2)
    years = pd.to_numeric(legs["year"], errors="coerce").dropna()
    assert years.between(1995, 2024).all()
    per_year = years.value_counts()
    assert per_year[2009] > 5 * per_year[1996]  # the peak years dwarf the 1990s
    assert per_year[2009] > 3 * per_year[2022]  # and the pandemic years


def test_the_command_writes_a_folder_and_refuses_impossible_counts(tmp_path, capsys):
    assert synth.main(["--legs", "50", "--out", str(tmp_path / "s"), "--seed", "4"]) == 0
    assert "50 legs" in capsys.readouterr().out
    assert (tmp_path / "s" / "geocache.csv").exists()
    assert synth.main(["--legs", "0", "--out", str(tmp_path / "t")]) == 2
    assert "--legs" in capsys.readouterr().err


# --- many distinct places: towns of the gazetteer ----------------------------------------------


@pytest.fixture(scope="module")
def towns_folder(tmp_path_factory):
    return synth.write_folder(tmp_path_factory.mktemp("towns"), 3_000, seed=3, places=200)


def test_towns_come_from_the_routes_countries_and_resolve_as_named():
    towns = synth.gazetteer_towns(200)
    assert len(towns) == 200
    assert set(towns.by_country) == set(synth.TOWN_SHARES)
    assert len(towns.by_country["China"]) > len(towns.by_country["Laos"])
    every = [place for places in towns.by_country.values() for place in places]
    assert len(set(every)) == len(every)
    cache = pd.read_csv(io.StringIO(synth.cache_for(pd.DataFrame({"from": every, "to": every}))))
    assert set(cache["place"]) == set(every)  # each one found again by its own name
    for country, places in towns.by_country.items():
        assert set(cache.loc[cache["place"].isin(places), "country"]) == {country}


def test_with_towns_journeys_name_many_more_places_and_stay_valid(folder, towns_folder, capsys):
    code = main(["validate", str(towns_folder / "legs.csv"),
                 "--people", str(towns_folder / "people.csv")])
    assert code == 0, capsys.readouterr().err
    dataset = load_folder(towns_folder)
    assert dataset.unresolved == ()
    named = set(dataset.legs["from"]) | set(dataset.legs["to"])
    waypoints = set(read_legs(folder / "legs.csv")["from"]) | set(
        read_legs(folder / "legs.csv")["to"])
    assert len(named - waypoints) > 100
    assert len(named) > 3 * len(waypoints)


def test_without_towns_the_files_are_those_of_the_common_routes_alone(tmp_path):
    plain = synth.write_folder(tmp_path / "plain", 400, seed=5)
    none = synth.write_folder(tmp_path / "none", 400, seed=5, places=0)
    assert (plain / "legs.csv").read_bytes() == (none / "legs.csv").read_bytes()
    legs, _ = synth.synthesize(400, seed=5, towns=synth.gazetteer_towns(100))
    assert not legs.equals(pd.read_csv(plain / "legs.csv"))


def test_a_file_past_the_size_limit_leaves_its_notes_out_and_stays_loadable(
        tmp_path, monkeypatch):
    full = synth.write_folder(tmp_path / "full", 500, seed=2)
    assert pd.read_csv(full / "legs.csv")["note"].notna().any()
    monkeypatch.setattr(synth.schema, "MAX_FILE_BYTES", (full / "legs.csv").stat().st_size - 1)
    lean = synth.write_folder(tmp_path / "lean", 500, seed=2)
    assert (lean / "legs.csv").stat().st_size <= synth.schema.MAX_FILE_BYTES
    assert pd.read_csv(lean / "legs.csv")["note"].isna().all()
    assert len(read_legs(lean / "legs.csv")) == 500
