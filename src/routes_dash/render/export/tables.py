"""The spreadsheet-shaped formats: the CSV of every leg, flowmap.blue's three tables and
kepler.gl's arcs."""

from __future__ import annotations

import pandas as pd

from routes_dash.render.export.common import (
    UNDATED_FLOWS,
    Files,
    View,
    _datetime,
    _slug,
    _unique,
    csv_bytes,
    notes,
    shown_legs,
    shown_points,
)
from routes_dash.render.export.kepler import kepler_map

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


def to_csv(legs: pd.DataFrame, people: pd.DataFrame | None = None,
           view: View | None = None) -> Files:
    """Every leg with its shown coordinates (empty when not located), formula cells neutralised."""
    shown = shown_legs(legs)
    return {"legs-with-coordinates.csv": csv_bytes(shown[list(CSV_COLUMNS)])}


def to_flowmap(legs: pd.DataFrame, people: pd.DataFrame | None = None,
               view: View | None = None) -> Files:
    """flowmap.blue's tables: locations.csv, flows.csv, properties.csv, and flows-undated.csv
    when some legs have no year.

    locations: `id,name,lat,lon`, one row per shown point. flows: `origin,dest,count,time`,
    count = the number of people who made that origin→destination leg in that year, time =
    the leg's start year as an ISO date (`2009-01-01`). A leg of unknown year is not in
    flows.csv (flowmap's time histogram would give it an "Invalid Date" bar, and any time
    range would drop it) but in flows-undated.csv, `origin,dest,count`. properties: the
    title names the data and the filters of this view; the description has the notes.
    """
    view = view or View()
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
    undated = flows["time"] == ""
    description = " ".join([
        "Escape journeys of North Korean defectors, by leg. count = number of people who made "
        "that leg in that year (time = the leg's start year, as 1 January).",
        *notes(legs),
    ])
    properties = pd.DataFrame({
        "property": ["title", "description", "source.name"],
        "value": [view.title, description,
                  f"{view.data}; each leg's full citation is in sources.csv and the CSV export"],
    })
    files = {
        "locations.csv": csv_bytes(places[["id", "name", "lat", "lon"]]),
        "flows.csv": csv_bytes(flows[~undated]),
        "properties.csv": csv_bytes(properties),
    }
    if undated.any():
        files[UNDATED_FLOWS] = csv_bytes(flows.loc[undated, ["origin", "dest", "count"]])
    return files


# kepler.gl pairs a latitude and a longitude column only when `lat`/`lng` stand as words of
# the name: from_lat/from_lng and to_lat/to_lng become two points and an arc between them.
KEPLER_ENDS = {"from_lat": "from_lat", "from_lng": "from_lon",
               "to_lat": "to_lat", "to_lng": "to_lon"}


def to_kepler(legs: pd.DataFrame, people: pd.DataFrame | None = None,
              view: View | None = None) -> Files:
    """kepler.gl: `kepler-arcs.csv`, which kepler's own layer detection turns into points and
    an arc layer, and `kepler-map.json`, a saved kepler.gl map of the same rows whose arc layer
    is switched on (kepler creates detected arc layers hidden) and coloured by mode.

    The CSV's columns: from_lat, from_lng, to_lat, to_lng, datetime, datetime_end and the
    leg's fields. `datetime` is the start year as `2008-01-01 00:00` (kepler's time playback
    needs full datetimes; the day is not known), `datetime_end` the same for year_end; both
    are empty when the year is unknown. Only located legs.
    """
    view = view or View()
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    arcs = pd.DataFrame({name: located[column] for name, column in KEPLER_ENDS.items()})
    arcs["datetime"] = located["year"].map(_datetime)
    arcs["datetime_end"] = located["year_end"].map(_datetime)
    for field in KEPLER_FIELDS:
        arcs[field] = located[field]
    return {"kepler-arcs.csv": csv_bytes(arcs),
            "kepler-map.json": kepler_map(arcs, view)}
