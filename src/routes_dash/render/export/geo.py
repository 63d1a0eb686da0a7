"""GeoJSON (RFC 7946) of the shown legs and places, for QGIS, geojson.io or any GIS."""

from __future__ import annotations

import pandas as pd

from routes_dash.render.export.common import (
    Files,
    View,
    _json_bytes,
    _leg_fields,
    notes,
    shown_legs,
    shown_points,
)


def to_geojson(legs: pd.DataFrame, people: pd.DataFrame | None = None,
               view: View | None = None) -> Files:
    """RFC 7946 FeatureCollection: a LineString per located leg, a Point per place.

    Coordinates are `[lon, lat]`. A leg that starts and ends at the same shown point (caught
    or held where it was) is a Point, since a line needs two distinct positions. Leg
    features have `"kind": "leg"` and the leg's fields (year and year_end as int or null);
    place features have `"kind": "place"`, name, country, shown_precision and counts. The
    collection's foreign members: `name`, the data and filters of this view, and `notes`,
    what was left out or coarsened.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    features = []
    for row in located.to_dict("records"):
        start = [float(row["from_lon"]), float(row["from_lat"])]
        end = [float(row["to_lon"]), float(row["to_lat"])]
        geometry = ({"type": "Point", "coordinates": start} if start == end
                    else {"type": "LineString", "coordinates": [start, end]})
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"kind": "leg", **_leg_fields(row)}})
    for place in shown_points(located).itertuples(index=False):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(place.lon), float(place.lat)]},
            "properties": {"kind": "place", "name": place.name, "country": place.country,
                           "shown_precision": place.shown_precision, "legs": int(place.legs),
                           "people": int(place.people)},
        })
    # Foreign members: `name` (GDAL takes it as the layer's name) and the notes.
    collection = {"type": "FeatureCollection", "name": (view or View()).title,
                  "features": features, "notes": notes(legs)}
    return {"legs.geojson": _json_bytes(collection)}
