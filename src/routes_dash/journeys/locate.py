"""The frame every view and export reads: validated legs joined to their places.

`locate_legs` adds, for each end (`from_`, `to_`), its coordinates and country, and the
precision it is shown at, after the privacy rules (`journeys.privacy`) have been applied.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from routes_dash.journeys import areas, privacy
from routes_dash.journeys.citations import by_id, with_citations
from routes_dash.places.countries import find_country
from routes_dash.places.records import place_key

ENDS = ("from", "to")


def locate_legs(
    legs: pd.DataFrame,
    places: pd.DataFrame,
    people: pd.DataFrame | None = None,
    country_points: Mapping[str, tuple[float, float]] | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Join legs to their places' coordinates and make them safe to show.

    `places` has one row per place string: place, lat, lon, country (lat/lon NaN when the
    place is unresolved) and optionally `level`, how fine the point is (`exact`, `city`,
    `province`, `country`); without it a place named as its country alone is `country`
    level and any other `city`. `country_points` maps a country name to its point.

    Adds `name` and `anonymized` from `people`; `from_lat`, `from_lon`, `from_country` and the
    same for `to_`; `located` (both ends have coordinates); `shown_precision`, the precision a
    leg is drawn at; `from_level` and `to_level`, how finely each end is shown (an end at
    `province` or `country` is an area, never a point) and `from_area` and `to_area`, that
    area's key (`journeys.areas`; empty for a point). An anonymous person's places are
    coarsened as `privacy` says, and `precision_reduced` marks the legs where that happened.
    `citation` and `source_links` are the leg's full citation and web links (`sources` is
    sources.csv, when there is one).
    """
    frame = legs.copy()
    names, anonymized = _people_columns(frame, people)
    frame["name"] = names
    frame["anonymized"] = anonymized
    points = dict(country_points or {})
    lookup = places.assign(_key=places["place"].map(place_key)).drop_duplicates("_key")
    lookup = lookup.set_index("_key")
    if "level" not in lookup:
        lookup["level"] = "city"
        lookup.loc[lookup.index == lookup["country"].map(place_key), "level"] = "country"
    lookup = with_countries_placed(lookup, points)
    frame["precision_reduced"] = False
    levels = {}
    for end in ENDS:
        keys = _PlaceKeys(frame[end])
        frame[f"{end}_lat"] = keys.map(lookup["lat"]).astype(float)
        frame[f"{end}_lon"] = keys.map(lookup["lon"]).astype(float)
        frame[f"{end}_country"] = keys.map(lookup["country"].astype(str)).fillna("")
        levels[end] = keys.map(lookup["level"])
        reduced = privacy.hide_fine_places(frame, end, levels[end], points)
        levels[end] = levels[end].where(~reduced, "country")
        frame["precision_reduced"] |= reduced
    frame["shown_precision"] = privacy.shown_precision(frame["precision"],
                                                       frame["precision_reduced"])
    for end, shown in privacy.end_levels(levels, frame["precision"]).items():
        frame[f"{end}_level"] = shown
        # Once here, not per view: every map and filter reads them.
        frame[f"{end}_area"] = areas.end_areas(frame, end)
    frame["located"] = frame[["from_lat", "from_lon", "to_lat", "to_lon"]].notna().all(axis=1)
    return with_citations(frame, by_id(sources))


def with_countries_placed(places: pd.DataFrame,
                          points: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """`places` (place, lat, lon, country, level) where a place that is a country's name has
    that country's point, whatever a cache says: a miss recorded for "China" is junk, and
    the map must not list a country among the places it could not find."""
    unfound = places.index[places["lat"].isna()]
    countries = {key: find_country(places.at[key, "place"]) for key in unfound}
    found = {key: country for key, country in countries.items()
             if country is not None and country.name in points}
    if not found:
        return places
    places = places.copy()
    for key, country in found.items():
        lat, lon = points[country.name]
        places.loc[key, ["lat", "lon", "country", "level"]] = [lat, lon, country.name, "country"]
    return places


class _PlaceKeys:
    """The `place_key` of each place of a column, worked out once per distinct place."""

    def __init__(self, places: pd.Series):
        self.codes, distinct = pd.factorize(places, use_na_sentinel=False)
        self.keys = pd.Index([place_key(p) for p in distinct])
        self.index = places.index

    def map(self, values: pd.Series) -> pd.Series:
        """As `keys.map(values)` for a Series of keys: looked up once per distinct place."""
        return _spread(values.reindex(self.keys), self.codes, self.index)


def _people_columns(legs: pd.DataFrame, people: pd.DataFrame | None):
    if people is None or people.empty:
        return legs["person"], pd.Series(False, index=legs.index)
    by_person = people.set_index("person")
    # Looked up once per person, then spread over their legs: `map` on 100,000 legs hashes
    # every leg's name again.
    codes, persons = pd.factorize(legs["person"])
    names = _spread(by_person["name"].reindex(persons).fillna(pd.Series(persons, index=persons)),
                    codes, legs.index)
    anonymized = _spread(by_person["anonymized"].reindex(persons, fill_value=False).astype(bool),
                         codes, legs.index)
    return names, anonymized


def _spread(distinct: pd.Series, codes, index: pd.Index) -> pd.Series:
    """The values of `distinct` (one per code) at each row's code."""
    return pd.Series(distinct.array.take(codes), index=index)
