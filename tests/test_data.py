"""The curated data: valid, sourced, contiguous, and safe for anonymous people."""

from pathlib import Path

import pandas as pd
import pytest

from routes_dash.contract.load import read_legs, read_people
from routes_dash.places.files import CACHE_FILE
from routes_dash.places.resolver import distinct_places, resolve_places

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def people():
    return read_people(DATA / "people.csv")


@pytest.fixture(scope="module")
def legs(people):
    return read_legs(DATA / "legs.csv", people=people, require_provenance=True)


def test_all_six_people_of_the_seed_articles_are_there(people):
    ids = set(people["person"])
    assert {"ji-young", "yeonmi-park", "jang-jin-sung", "hyeonseo-lee", "kang-chol-hwan",
            "park-ji-hyun"} <= ids
    # Hyeonseo Lee's rescue of her family stays distinguishable from her own journey.
    assert any(p.startswith("hyeonseo-lee") and p != "hyeonseo-lee" for p in ids)


def test_every_place_resolves_offline_from_the_bundled_cache(legs):
    report = resolve_places(distinct_places(legs), cache_path=DATA / CACHE_FILE, lookup=False)
    assert report.not_cached == () and report.unresolved == ()


def test_disputed_legs_name_both_versions(legs):
    disputed = legs[legs["certainty"] == "disputed"]
    assert len(disputed) >= 2
    assert (disputed["note"].str.len() > 20).all()


def test_no_anonymous_person_is_finer_than_province(legs, people):
    anonymous = set(people.loc[people["anonymized"], "person"])
    assert "ji-young" in anonymous
    theirs = legs[legs["person"].isin(anonymous)]
    assert set(theirs["precision"]) <= {"province", "country"}
    # Ji-young's article gives no years: kept as unknown, never guessed.
    assert legs.loc[legs["person"] == "ji-young", "year"].isna().all()


def test_arrivals_add_up_to_the_published_total():
    arrivals = pd.read_csv(DATA / "arrivals.csv")
    assert arrivals["arrivals"].sum() == 34_314
    assert arrivals["source"].notna().all()
