"""The map's grouping of legs into routes, outcome markers, places and areas: what the map
draws grows with distinct routes and places, not with legs. Pure pandas and numpy.

A route is every located leg with the same ends (places, points and areas), the same colour
category (the map's "colour by" choice, worked out by the caller) and the same certainty.
An end shown at `province` or `country` level is an area (`journeys.areas`): the map shades
it and never draws it as a point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes_dash.contract import schema
from routes_dash.journeys.grouping import group_codes
from routes_dash.journeys.locate import ENDS

ROUTE_KEYS = ["from", "to", "from_lat", "from_lon", "to_lat", "to_lon", "from_area",
              "to_area", "category", "certainty"]
NO_CERTAINTY = "not given"
NAMES_IN_TIP = 2
_ROUTE_COLUMNS = [*ROUTE_KEYS, "legs", "people", "tip"]


@dataclass(frozen=True)
class MapData:
    """What the map draws, each grown with distinct routes and places, not with legs."""

    routes: pd.DataFrame  # ROUTE_KEYS, legs, people, tip; route i is row i
    route_of: pd.Series  # the route number of each located leg (index: the legs' index)
    markers: pd.DataFrame  # point ends where legs ended in an alarming outcome
    places: pd.DataFrame  # point ends: place, lat, lon, legs, label
    areas: pd.DataFrame  # area ends: key, legs


def map_data(legs: pd.DataFrame, category: pd.Series) -> MapData:
    """Routes, markers, places and areas of the located legs; `category` is each leg's
    colour category (same index as `legs`)."""
    located = legs[legs["located"]] if not legs["located"].all() else legs
    if located.empty:
        return MapData(pd.DataFrame(columns=_ROUTE_COLUMNS), pd.Series(dtype=np.int64),
                       pd.DataFrame(columns=["to", "to_lat", "to_lon", "legs", "tip"]),
                       pd.DataFrame(columns=["place", "lat", "lon", "legs", "label"]),
                       pd.DataFrame(columns=["key", "legs"]))
    frame = located.assign(
        category=category.loc[located.index].astype(str),
        certainty=located["certainty"].replace("", NO_CERTAINTY))
    codes = group_codes(frame, ROUTE_KEYS)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    routes = frame.iloc[first][ROUTE_KEYS].reset_index(drop=True)
    routes["legs"] = np.bincount(codes)
    pairs = pd.DataFrame({"route": codes, "person": frame["person"].to_numpy(),
                          "name": frame["name"].to_numpy(), "mode": frame["mode"].to_numpy()})
    people = pairs.drop_duplicates(["route", "person"])
    routes["people"] = np.bincount(people["route"], minlength=len(routes))
    routes["tip"] = _tips(routes, people, pairs.drop_duplicates(["route", "mode"]))
    return MapData(routes, pd.Series(codes, index=frame.index), _markers(frame),
                   _places(frame), _areas(frame))


def _tips(routes: pd.DataFrame, people: pd.DataFrame, modes: pd.DataFrame) -> list[str]:
    """Short plain hover text; the details (every person, note and source) are pinned
    below the map when a route is clicked."""
    names = people.groupby("route")["name"].agg(lambda n: ", ".join(n.iloc[:NAMES_IN_TIP]))
    mode_text = modes.groupby("route")["mode"].agg(", ".join)
    tips = []
    for route, (start, end, count, many, certainty) in enumerate(zip(
            routes["from"].tolist(), routes["to"].tolist(), routes["legs"].tolist(),
            routes["people"].tolist(), routes["certainty"].tolist(), strict=True)):
        who = names.iloc[route] if many <= NAMES_IN_TIP else f"{many:,} people"
        legs = "1 leg" if count == 1 else f"{count:,} legs"
        tips.append(f"{start} → {end}\n{who} · {legs} · {mode_text.iloc[route]}\n"
                    f"certainty: {certainty}\nClick the line for notes and sources")
    return tips


def _markers(frame: pd.DataFrame) -> pd.DataFrame:
    """Point ends where legs ended in an alarming outcome (an area end gets no dot: the
    area is shaded instead, and the outcome is in the route's details)."""
    ended = frame[frame["outcome"].isin(schema.ALARMING_OUTCOMES) & (frame["to_area"] == "")]
    columns = ["to", "to_lat", "to_lon", "legs", "tip"]
    if ended.empty:
        return pd.DataFrame(columns=columns)
    grouped = ended.groupby(["to", "to_lat", "to_lon"], sort=False)
    counts = grouped["outcome"].value_counts(sort=False)
    rows = []
    for (place, lat, lon), outcomes in counts.groupby(level=[0, 1, 2], sort=False):
        said = ", ".join(f"{o} ({n:,})" for o, n in zip(
            outcomes.index.get_level_values(3), outcomes.to_numpy(), strict=True))
        rows.append((place, lat, lon, int(outcomes.sum()), f"{place}\nlegs ended: {said}"))
    return pd.DataFrame(rows, columns=columns)


def _places(frame: pd.DataFrame) -> pd.DataFrame:
    """Each point end with how many legs start or end there, and its label (the first part
    of the name, as the data spells it)."""
    parts = [frame.loc[frame[f"{end}_area"] == "", [end, f"{end}_lat", f"{end}_lon"]]
             .set_axis(["place", "lat", "lon"], axis=1) for end in ENDS]
    points = pd.concat(parts, ignore_index=True)
    if points.empty:
        return pd.DataFrame(columns=["place", "lat", "lon", "legs", "label"])
    counted = points.groupby(["lat", "lon"], sort=False).agg(
        place=("place", "first"), legs=("place", "size")).reset_index()
    counted["label"] = counted["place"].str.split(",").str[0].str.strip()
    return counted[["place", "lat", "lon", "legs", "label"]]


def _areas(frame: pd.DataFrame) -> pd.DataFrame:
    keys = pd.concat([frame["from_area"], frame["to_area"]])
    counts = keys[keys != ""].value_counts(sort=False)
    return pd.DataFrame({"key": counts.index.astype(str), "legs": counts.to_numpy()})


def legs_of_routes(legs: pd.DataFrame, data: MapData, routes: list[int]) -> pd.DataFrame:
    """The legs drawn as these route numbers, in person and leg order."""
    chosen = data.route_of[data.route_of.isin(routes)].index
    return legs.loc[chosen].sort_values(["person", "leg"], kind="stable")


def legs_in_area(legs: pd.DataFrame, data: MapData, key: str) -> pd.DataFrame:
    """The located legs with an end in the area `key`, in person and leg order."""
    routes = data.routes.index[(data.routes["from_area"] == key)
                               | (data.routes["to_area"] == key)].tolist()
    return legs_of_routes(legs, data, routes)
