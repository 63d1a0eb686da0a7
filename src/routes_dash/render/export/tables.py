"""The spreadsheet-shaped formats: the CSV of every leg, flowmap.blue's three tables and
kepler.gl's arcs."""

from __future__ import annotations

import pandas as pd

from routes_dash.render.export.common import (
    TITLE,
    Files,
    _datetime,
    _slug,
    _unique,
    csv_bytes,
    notes,
    shown_legs,
    shown_points,
)

# The CSV's columns, in order. Extra columns of a user's file are left out on purpose: they
# might hold finer places than an anonymous person may be shown at.
CSV_COLUMNS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
               "precision", "shown_precision", "precision_reduced", "certainty", "source",
               "citation", "source_links", "note", "anonymized", "located", "from_lat",
               "from_lon", "from_country", "to_lat", "to_lon", "to_country")


KEPLER_FIELDS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
                 "certainty", "source", "citation", "source_links", "note", "precision",
                 "shown_precision",
                 "precision_reduced")


def to_csv(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """Every leg with its shown coordinates (empty when not located), formula cells neutralised."""
    shown = shown_legs(legs)
    return {"legs-with-coordinates.csv": csv_bytes(shown[list(CSV_COLUMNS)])}


def to_flowmap(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """flowmap.blue's three tables: locations.csv, flows.csv, properties.csv.

    locations: `id,name,lat,lon`, one row per shown point. flows: `origin,dest,count,time`,
    count = the number of people who made that origin→destination leg in that year, time =
    the leg's start year as an ISO date (`2009-01-01`). A leg of unknown year makes a flow
    with an empty time: flowmap.blue keeps such a flow but its time filter cannot place it.
    properties: title, description (with the notes), source.name.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    places = shown_points(located)
    places["id"] = _unique(_slug(n) for n in places["name"])
    point_id = {(lat, lon): i for lat, lon, i in zip(places["lat"], places["lon"], places["id"],
                                                       strict=True)}
    ends = located.assign(
        origin=[point_id[p] for p in zip(located["from_lat"], located["from_lon"], strict=True)],
        dest=[point_id[p] for p in zip(located["to_lat"], located["to_lon"], strict=True)],
        time=located["year"].map(lambda y: f"{int(y):04d}-01-01" if pd.notna(y) else ""),
    )
    flows = (ends.groupby(["origin", "dest", "time"], sort=False)["person"].nunique()
             .rename("count").reset_index()[["origin", "dest", "count", "time"]]
             .sort_values(["time", "origin", "dest"], kind="stable"))
    description = " ".join([
        "Escape journeys of North Korean defectors, by leg. count = number of people who made "
        "that leg in that year (time = the leg's start year, as 1 January).",
        *notes(legs),
    ])
    properties = pd.DataFrame({
        "property": ["title", "description", "source.name"],
        "value": [TITLE, description,
                  "each leg's full citation is in the CSV export and sources.csv"],
    })
    return {
        "locations.csv": csv_bytes(places[["id", "name", "lat", "lon"]]),
        "flows.csv": csv_bytes(flows),
        "properties.csv": csv_bytes(properties),
    }


def to_kepler(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """A CSV kepler.gl reads as arcs: lat0, lng0, lat1, lng1, datetime and the leg's fields.

    `datetime` is the start year as `2008-01-01 00:00` (kepler's time playback needs full
    datetimes; the day is not known), `datetime_end` the same for year_end; both are empty
    when the year is unknown. Only located legs.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    arcs = pd.DataFrame({
        "lat0": located["from_lat"], "lng0": located["from_lon"],
        "lat1": located["to_lat"], "lng1": located["to_lon"],
        "datetime": located["year"].map(_datetime),
        "datetime_end": located["year_end"].map(_datetime),
    })
    for field in KEPLER_FIELDS:
        arcs[field] = located[field]
    return {"kepler-arcs.csv": csv_bytes(arcs)}
