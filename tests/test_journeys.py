"""Coordinates, safe precision, filters and aggregation on small frames."""

import pandas as pd
import pytest

from routes_dash.journeys import describe, filters, locate, routes


def test_anonymous_person_is_never_finer_than_country_for_towns(located_legs):
    anon = located_legs[located_legs["person"] == "test-anon"]
    assert anon["precision_reduced"].all()
    # Hoeryong (42.44, 129.75) must not be shown; North Korea's point is shown instead.
    assert not ((anon["from_lat"] - 42.44).abs() < 0.5).any()
    assert set(anon["shown_precision"]) == {"country"}
    # Nor is the town named: the place reads as its country.
    assert "Hoeryong" not in " ".join(anon["from"]) + " ".join(anon["to"])
    assert anon.iloc[0]["from"] == "North Korea"


def test_named_people_keep_their_towns(located_legs):
    min_ = located_legs[located_legs["person"] == "test-min"].set_index("leg")
    assert min_.loc[1, "from_lat"] == pytest.approx(40.10)
    assert not min_["precision_reduced"].any()


def test_reduced_place_without_a_country_point_loses_its_coordinates():
    legs = pd.DataFrame({
        "person": ["x"], "leg": [1], "from": ["Town A, Nowhere"], "to": ["Town B, Nowhere"],
        "mode": ["bus"], "year": pd.array([2000], "Int64"), "outcome": ["arrived"],
        "year_end": pd.array([None], "Int64"), "precision": ["city"], "certainty": [""],
        "source": [""], "note": [""],
    })
    places = pd.DataFrame({"place": ["Town A, Nowhere", "town b,  nowhere"], "lat": [1.0, 2.0],
                           "lon": [1.0, 2.0], "country": ["Nowhere", "Nowhere"]})
    people = pd.DataFrame({"person": ["x"], "name": ["X"], "anonymized": [True]})
    located = locate.locate_legs(legs, places, people, country_points={})
    assert not located["located"].any()
    assert located[["from_lat", "to_lat"]].isna().all().all()


def test_unresolved_places_are_kept_but_not_located(located_legs):
    places = pd.DataFrame({"place": [], "lat": [], "lon": [], "country": []})
    located = locate.locate_legs(located_legs[journeys_columns()], places)
    assert len(located) == len(located_legs)
    assert not located["located"].any()


def journeys_columns():
    return ["person", "leg", "from", "to", "mode", "year", "outcome", "year_end", "precision",
            "certainty", "source", "note"]


@pytest.mark.parametrize(
    ("chosen", "expected_legs"),
    [
        (filters.Filters(), 10),
        (filters.Filters(people=("test-min",)), 7),
        (filters.Filters(countries=("Laos",)), 2),
        (filters.Filters(modes=("plane", "boat")), 2),
        (filters.Filters(outcomes=("repatriated",)), 1),
        (filters.Filters(years=(2012, 2012)), 4),  # unknown-year legs are left out
        (filters.Filters(people=("test-min",), countries=("Thailand",)), 3),
    ],
)
def test_filters_narrow_the_legs(located_legs, chosen, expected_legs):
    assert len(filters.filter_legs(located_legs, chosen)) == expected_legs


def test_multi_year_legs_match_any_year_they_span():
    legs = pd.DataFrame({"person": ["a"], "mode": ["bus"], "outcome": ["hiding"],
                         "from_country": [""], "to_country": [""],
                         "year": pd.array([1997], "Int64"), "year_end": pd.array([2007], "Int64")})
    assert len(filters.filter_legs(legs, filters.Filters(years=(2003, 2004)))) == 1


def test_identical_legs_become_one_route_with_a_count(located_legs):
    repeated = pd.concat([located_legs, located_legs.assign(person="other")],
                         ignore_index=True)
    drawn = routes.map_data(repeated, pd.Series("any", index=repeated.index)).routes
    once = routes.map_data(located_legs, pd.Series("any", index=located_legs.index)).routes
    assert len(drawn) == len(once)
    assert drawn["legs"].max() == 2
    assert drawn["people"].max() == 2


@pytest.mark.parametrize("chosen", [
    filters.Filters(years=(2005, 2012)), filters.Filters(countries=("Thailand",)),
    filters.Filters(outcomes=("arrested", "detained", "repatriated")),
])
def test_a_filtered_view_draws_what_its_legs_alone_would(bundled, chosen):
    """The page counts a view's routes from the dataset's numbering of all its legs: the
    routes, tips, dots, labels and areas are those of the kept legs, as if they were all."""
    shown = filters.filter_legs(bundled.legs, chosen)
    category = shown["mode"]
    counted = routes.map_data(shown, category, bundled.numbered)
    alone = routes.map_data(shown, category)
    assert 0 < len(counted.routes) < len(routes.map_data(bundled.legs, bundled.legs["mode"]).routes)
    pd.testing.assert_frame_equal(counted.routes, alone.routes)
    pd.testing.assert_series_equal(counted.route_of, alone.route_of)
    for part in ("markers", "places", "areas"):
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(counted, part)),
                                      pd.DataFrame(getattr(alone, part)))


def test_leg_description_shows_provenance_and_reduction(located_legs):
    text = describe.leg_description(located_legs)
    anon = text[located_legs["person"] == "test-anon"].iloc[0]
    assert "certainty: inferred" in anon
    assert "shown at country level to protect an anonymous person" in anon
    assert "year unknown" in text[located_legs["year"].isna()].iloc[0]
