"""Pure pandas on journey legs: coordinates, safe precision, filters and aggregations.

The frame every view and export reads is made by `locate_legs`: the validated legs plus,
for each end (`from_`, `to_`), its coordinates and country, and the precision it is shown
at. No streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from routes_dash import schema, state
from routes_dash.geocode import place_key

ENDS = ("from", "to")


def locate_legs(
    legs: pd.DataFrame,
    places: pd.DataFrame,
    people: pd.DataFrame | None = None,
    country_points: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Join legs to their places' coordinates and make them safe to show.

    `places` has one row per place string: place, lat, lon, country (lat/lon NaN when the
    place is unresolved) and optionally `level`, how fine the point is (`exact`, `city`,
    `province`, `country`); without it a place named as its country alone is `country`
    level and any other `city`. `country_points` maps a country name to its point.

    Adds `name` and `anonymized` from `people`; `from_lat`, `from_lon`, `from_country` and the
    same for `to_`; `located` (both ends have coordinates); `shown_precision`, the precision a
    leg is drawn at. An anonymous person is never shown finer than a province: an end of
    theirs at a town or finer moves to its country's point (or loses its coordinates when the
    country has none), is named by its country, and `precision_reduced` says so.
    """
    frame = legs.copy()
    names, anonymized = _people_columns(frame, people)
    frame["name"] = names
    frame["anonymized"] = anonymized
    lookup = places.assign(_key=places["place"].map(place_key)).drop_duplicates("_key")
    lookup = lookup.set_index("_key")
    if "level" not in lookup:
        lookup["level"] = "city"
        lookup.loc[lookup.index == lookup["country"].map(place_key), "level"] = "country"
    points = dict(country_points or {})
    frame["precision_reduced"] = False
    for end in ENDS:
        keys = frame[end].map(place_key)
        frame[f"{end}_lat"] = keys.map(lookup["lat"]).astype(float)
        frame[f"{end}_lon"] = keys.map(lookup["lon"]).astype(float)
        frame[f"{end}_country"] = keys.map(lookup["country"]).astype(object).fillna("").astype(str)
        too_fine = frame["anonymized"] & keys.map(lookup["level"]).isin(("exact", "city"))
        snapped = frame.loc[too_fine, f"{end}_country"].map(points)
        frame.loc[snapped.index, f"{end}_lat"] = [p[0] if p == p else np.nan for p in snapped]
        frame.loc[snapped.index, f"{end}_lon"] = [p[1] if p == p else np.nan for p in snapped]
        # The place's name would say what its coordinates no longer do.
        frame.loc[too_fine, end] = frame.loc[too_fine, f"{end}_country"].replace(
            "", "an undisclosed place")
        frame["precision_reduced"] |= too_fine
    frame["shown_precision"] = frame["precision"].where(~frame["precision_reduced"], "country")
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


def leg_label(legs: pd.DataFrame) -> pd.Series:
    """One line a person reads: `Hyesan, North Korea → Changbai, China`."""
    return legs["from"] + " → " + legs["to"]


def year_label(legs: pd.DataFrame) -> pd.Series:
    """`2007`, `2007–2009`, or `year unknown`."""
    start = legs["year"].astype("string")
    end = legs["year_end"].astype("string")
    span = start.where(end.isna() | (end == start), start + "–" + end)
    return span.fillna("year unknown").astype(str)


def leg_description(legs: pd.DataFrame) -> pd.Series:
    """Plain text that tells a leg with its provenance: tooltips and hover text use it."""
    reduced = legs["precision_reduced"].map(
        {True: "\nshown at country level to protect an anonymous person", False: ""})
    coarse = legs["shown_precision"].isin(("province", "country")) & ~legs["precision_reduced"]
    precision = ("\nplaces known only at " + legs["shown_precision"] + " level").where(coarse, "")
    note = ("\n" + legs["note"]).where(legs["note"] != "", "")
    disputed = legs["certainty"].map({"disputed": " (DISPUTED)"}).fillna("")
    return (
        legs["name"] + " · leg " + legs["leg"].astype(str) + "\n"
        + leg_label(legs) + "\n"
        + legs["mode"] + " · " + year_label(legs) + " · " + legs["outcome"] + "\n"
        + "certainty: " + legs["certainty"].replace("", "not given") + disputed + "\n"
        + "source: " + legs["source"].replace("", "not given")
        + note + precision + reduced
    )


SEGMENT_KEYS = ["from", "to", "mode", "outcome"]
SHOWN_PER_SEGMENT = 3


def route_segments(legs: pd.DataFrame) -> pd.DataFrame:
    """Legs that share from, to, mode and outcome become one segment with a count.

    The map draws segments, so what it sends grows with distinct routes, not with legs.
    Only located legs are kept. `description` lists the first legs of a segment in full.
    """
    located = legs[legs["located"]]
    if located.empty:
        return pd.DataFrame(columns=[*SEGMENT_KEYS, "from_lat", "from_lon", "to_lat", "to_lon",
                                     "legs", "people", "description", "coarse"])
    described = located.assign(
        description=leg_description(located),
        coarse=located["shown_precision"].isin(("province", "country")),
    )
    keys = [*SEGMENT_KEYS, "from_lat", "from_lon", "to_lat", "to_lon"]
    grouped = described.groupby(keys, sort=False, dropna=False)
    segments = grouped.agg(
        legs=("leg", "size"),
        people=("person", "nunique"),
        coarse=("coarse", "all"),
        description=("description", lambda d: _joined_descriptions(d)),
    ).reset_index()
    return segments


def _joined_descriptions(descriptions: pd.Series) -> str:
    shown = "\n\n".join(descriptions.iloc[:SHOWN_PER_SEGMENT])
    rest = len(descriptions) - SHOWN_PER_SEGMENT
    if rest > 0:
        return f"{len(descriptions):,} legs on this route; the first {SHOWN_PER_SEGMENT}:\n\n" \
            f"{shown}\n\n… and {rest:,} more"
    return shown


def places_on_map(legs: pd.DataFrame) -> pd.DataFrame:
    """Each distinct point the located legs touch, with a short label and how many legs."""
    located = legs[legs["located"]]
    ends = [
        located[[end, f"{end}_lat", f"{end}_lon"]].set_axis(["place", "lat", "lon"], axis=1)
        for end in ENDS
    ]
    points = pd.concat(ends, ignore_index=True)
    counted = points.groupby(["lat", "lon"], sort=False).agg(
        place=("place", "first"), legs=("place", "size")).reset_index()
    # The map's text layer draws ASCII only: fold accents (Hoeryŏng → Hoeryong); the
    # tooltips and tables keep the place as written.
    first_part = counted["place"].str.split(",").str[0].str.strip()
    counted["label"] = first_part.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode(
        "ascii")
    return counted


def spaced_labels(places: pd.DataFrame, zoom: float, most: int = 40) -> pd.DataFrame:
    """The busiest places whose labels do not overlap at this map zoom."""
    pixels_per_degree = 512 * 2**zoom / 360
    width, height = 110 / pixels_per_degree, 24 / pixels_per_degree  # a label's box
    chosen: list[tuple[float, float]] = []
    keep = []
    for row in places.sort_values("legs", ascending=False, kind="stable").itertuples():
        if len(chosen) >= most or not row.label:
            continue
        if all(abs(row.lat - lat) >= height or abs(row.lon - lon) >= width
               for lat, lon in chosen):
            chosen.append((row.lat, row.lon))
            keep.append(row.Index)
    return places.loc[keep]


def outcome_markers(legs: pd.DataFrame) -> pd.DataFrame:
    """Where legs ended in an outcome a reader must not miss, one marker per point+outcome."""
    located = legs[legs["located"] & alarming(legs)]
    described = located.assign(description=leg_description(located))
    grouped = described.groupby(["to_lat", "to_lon", "outcome"], sort=False)
    return grouped.agg(
        legs=("leg", "size"),
        description=("description", lambda d: _joined_descriptions(d)),
    ).reset_index()


def filter_options(legs: pd.DataFrame) -> state.Options:
    """What the reader can choose from in these legs."""
    countries = pd.concat([legs["from_country"], legs["to_country"]])
    years = legs["year"].dropna()
    return state.Options(
        people=tuple(sorted(legs["person"].unique())),
        countries=tuple(sorted(c for c in countries.unique() if c)),
        modes=tuple(m for m in schema.MODES if m in set(legs["mode"])),
        outcomes=tuple(o for o in schema.OUTCOMES if o in set(legs["outcome"])),
        years=(int(years.min()), int(years.max())) if len(years) else None,
    )


def filter_legs(legs: pd.DataFrame, filters: state.Filters) -> pd.DataFrame:
    """The legs a reader's choice keeps. A year range leaves out legs of unknown year."""
    keep = pd.Series(True, index=legs.index)
    if filters.people:
        keep &= legs["person"].isin(filters.people)
    if filters.countries:
        keep &= legs["from_country"].isin(filters.countries) | legs["to_country"].isin(
            filters.countries)
    if filters.modes:
        keep &= legs["mode"].isin(filters.modes)
    if filters.outcomes:
        keep &= legs["outcome"].isin(filters.outcomes)
    if filters.years:
        first, last = filters.years
        end = legs["year_end"].fillna(legs["year"])
        keep &= (legs["year"] <= last).fillna(False) & (end >= first).fillna(False)
    return legs[keep]
