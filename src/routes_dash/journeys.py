"""Pure pandas on journey legs: coordinates, safe precision, filters and aggregations.

The frame every view and export reads is made by `locate_legs`: the validated legs plus,
for each end (`from_`, `to_`), its coordinates and country, and the precision it is shown
at. No streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from routes_dash import schema

ENDS = ("from", "to")


def place_key(place: str) -> str:
    """How place strings are matched: case- and space-insensitively."""
    return " ".join(str(place).split()).casefold()


def locate_legs(
    legs: pd.DataFrame,
    places: pd.DataFrame,
    people: pd.DataFrame | None = None,
    country_points: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Join legs to their places' coordinates and make them safe to show.

    `places` has one row per place string: place, lat, lon, country (lat/lon NaN when the
    place is unresolved). `country_points` maps a country name to the point a
    country-precision place is drawn at.

    Adds `name` and `anonymized` from `people`; `from_lat`, `from_lon`, `from_country` and the
    same for `to_`; `located` (both ends have coordinates); `shown_precision`, the precision a
    leg is drawn at. An anonymous person is never shown finer than a province: a leg of theirs
    at city or exact precision is moved to its countries' points and `precision_reduced`
    says so.
    """
    frame = legs.copy()
    names, anonymized = _people_columns(frame, people)
    frame["name"] = names
    frame["anonymized"] = anonymized
    lookup = places.assign(_key=places["place"].map(place_key)).drop_duplicates("_key")
    lookup = lookup.set_index("_key")
    for end in ENDS:
        keys = frame[end].map(place_key)
        frame[f"{end}_lat"] = keys.map(lookup["lat"]).astype(float)
        frame[f"{end}_lon"] = keys.map(lookup["lon"]).astype(float)
        frame[f"{end}_country"] = keys.map(lookup["country"]).fillna("").astype(str)

    fine = frame["precision"].isin(("exact", "city"))
    reduced = frame["anonymized"] & fine
    frame["shown_precision"] = frame["precision"].where(~reduced, "country")
    frame["precision_reduced"] = reduced
    points = dict(country_points or {})
    for end in ENDS:
        # A reduced place moves to its country's point, or loses its coordinates when its
        # country has none: it must never keep the finer ones.
        snapped = frame.loc[reduced, f"{end}_country"].map(points)
        frame.loc[snapped.index, f"{end}_lat"] = [p[0] if p == p else np.nan for p in snapped]
        frame.loc[snapped.index, f"{end}_lon"] = [p[1] if p == p else np.nan for p in snapped]
    frame["located"] = frame[["from_lat", "from_lon", "to_lat", "to_lon"]].notna().all(axis=1)
    return frame


def _people_columns(legs: pd.DataFrame, people: pd.DataFrame | None):
    if people is None or people.empty:
        return legs["person"], pd.Series(False, index=legs.index)
    by_person = people.set_index("person")
    names = legs["person"].map(by_person["name"]).fillna(legs["person"])
    anonymized = legs["person"].map(by_person["anonymized"]).fillna(False).astype(bool)
    return names, anonymized


def alarming(legs: pd.DataFrame) -> pd.Series:
    """Legs whose outcome a reader must not miss (caught, repatriated, detained …)."""
    return legs["outcome"].isin(schema.ALARMING_OUTCOMES)
