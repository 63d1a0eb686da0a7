"""Filters ⇄ URL query: a link reproduces the view; unknown values are named."""

from hypothesis import given
from hypothesis import strategies as st

from routes_dash.journeys import filters, links

OPTIONS = filters.Options(
    people=("ji-young", "yeonmi-park"), countries=("China", "Laos", "North Korea"),
    modes=("on foot", "plane"), outcomes=("caught", "resettled"), years=(1997, 2009))


def test_round_trip():
    chosen = filters.Filters(people=("yeonmi-park",), countries=("China", "Laos"),
                             years=(2000, 2005), modes=("on foot",), outcomes=("caught",))
    query = links.filters_to_query(chosen)
    assert query == {"person": "yeonmi-park", "country": "China,Laos", "years": "2000-2005",
                     "mode": "on foot", "outcome": "caught"}
    assert links.filters_from_query(query, OPTIONS) == links.Parsed(chosen, ())


def test_everything_is_an_empty_query():
    assert links.filters_to_query(filters.Filters()) == {}


def test_values_match_case_and_space_insensitively():
    parsed = links.filters_from_query({"country": " china ,NORTH  korea", "mode": "On Foot"},
                                      OPTIONS)
    assert parsed.filters.countries == ("China", "North Korea")
    assert parsed.filters.modes == ("on foot",)
    assert parsed.notices == ()


def test_unknown_values_are_ignored_with_a_notice_naming_them():
    parsed = links.filters_from_query({"person": "yeonmi-park,kim-jong-un", "years": "abc"},
                                      OPTIONS)
    assert parsed.filters.people == ("yeonmi-park",)
    assert parsed.filters.years is None
    assert any("'kim-jong-un'" in n for n in parsed.notices)
    assert any("years='abc'" in n for n in parsed.notices)


def test_years_are_clamped_to_the_data():
    assert links.filters_from_query({"years": "1990-2001"}, OPTIONS).filters.years == (1997, 2001)
    assert links.filters_from_query({"years": "2004"}, OPTIONS).filters.years == (2004, 2004)
    assert links.filters_from_query({"years": "2020-2030"}, OPTIONS).filters.years is None


@given(st.dictionaries(st.sampled_from(["person", "country", "years", "mode", "outcome", "x"]),
                       st.text(max_size=30)))
def test_any_query_parses_to_known_values(query):
    parsed = links.filters_from_query(query, OPTIONS)
    assert set(parsed.filters.people) <= set(OPTIONS.people)
    assert set(parsed.filters.countries) <= set(OPTIONS.countries)


@given(st.lists(st.text(max_size=12).filter(str.strip), max_size=4))
def test_any_list_of_values_survives_a_link(values):
    # Values as the data holds them: spaces collapsed, distinct case-insensitively.
    values = tuple({" ".join(v.split()).casefold(): " ".join(v.split())
                    for v in values}.values())
    options = filters.Options(people=values, countries=(), modes=(), outcomes=(), years=None)
    chosen = filters.Filters(people=values)
    parsed = links.filters_from_query(links.filters_to_query(chosen), options)
    assert parsed.filters.people == values
