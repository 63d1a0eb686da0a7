"""The map's grouping of legs into routes, outcome markers, places and areas: what the map
draws grows with distinct routes and places, not with legs. Pure pandas and numpy.

A route is every located leg with the same ends (places, points and areas), the same colour
category (the map's "colour by" choice, worked out by the caller) and the same certainty.
An end shown at `province` or `country` level is an area (`journeys.areas`): the map shades
it and never draws it as a point.

Grouping text is what costs at scale, so a dataset's located legs are numbered once
(`number_legs`: each leg's ends, person, mode, places, areas and outcome as integers), and
each view's routes are counted from those numbers (`map_data(legs, category, numbered)`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes_dash.contract import schema
from routes_dash.journeys.grouping import factorized, first_positions, first_rows, folded_codes

# A leg's ends as drawn, and its certainty: a route is these and a colour category.
LEG_ENDS = ["from", "to", "from_lat", "from_lon", "to_lat", "to_lon", "from_area", "to_area"]
ROUTE_KEYS = [*LEG_ENDS, "category", "certainty"]
NO_CERTAINTY = "not given"
NAMES_IN_TIP = 2
# Past this many routes a map is a tangle no reader follows, and its JSON (some 500 bytes a
# route) keeps a phone waiting: the map draws the busiest and says what it leaves out.
MOST_ROUTES_DRAWN = 1_000
_ROUTE_COLUMNS = [*ROUTE_KEYS, "legs", "people", "drawn", "tip"]
_MARKER_COLUMNS = ["to", "to_lat", "to_lon", "legs", "tip"]
_PLACE_COLUMNS = ["place", "lat", "lon", "legs", "label"]

# A few columns of equal length, by name, as numpy arrays (text as Python strings): what
# a view takes of the numbered tables and what the map reads of a few dozen rows. A
# DataFrame costs some 0.3 ms to make and a string column's take 0.06 ms, on every click.
Columns = dict[str, np.ndarray]


@dataclass(frozen=True)
class MapData:
    """What the map draws, each grown with distinct routes and places, not with legs."""

    # ROUTE_KEYS, legs, people, drawn (whether the map draws it), tip (its hover text, for
    # the routes drawn); route i is row i
    routes: pd.DataFrame
    route_of: pd.Series  # the route number of each located leg (index: the legs' index)
    markers: Columns  # point ends where legs ended in an alarming outcome: _MARKER_COLUMNS
    places: Columns  # point ends: place, lat, lon, legs, label
    areas: Columns  # area ends: key, legs

    @functools.cached_property
    def drawn_routes(self) -> pd.DataFrame:
        """The rows of `routes` the map draws, in route order; the labels stay the route
        numbers. Taken once: the view's fit and its map both read them."""
        chosen = self.routes["drawn"].to_numpy(dtype=bool)
        return self.routes if chosen.all() else self.routes[chosen]


@dataclass(frozen=True)
class NumberedLegs:
    """Located legs as numbers, each a row of a table of the distinct values: built once per
    dataset, so that a view of any subset of its legs groups integers, not text."""

    index: pd.Index  # the located legs' labels; leg i below is index[i]
    ends: np.ndarray  # each leg's row of `ends_table`
    ends_table: Columns  # LEG_ENDS and certainty ("not given" when empty)
    person: np.ndarray  # each leg's person, a row of `names`
    names: np.ndarray  # each person's name
    mode: np.ndarray  # each leg's mode, a row of `modes`
    modes: np.ndarray
    points: np.ndarray  # (2, legs): each end's row of `point_table`, -1 for an area
    point_table: Columns  # place (the first name met at the point), lat, lon, label
    areas: np.ndarray  # (2, legs): each end's row of `area_keys`, -1 for a point
    area_keys: np.ndarray
    alarming: np.ndarray  # whether the leg ended in an alarming outcome at a point
    stop: np.ndarray  # each leg's end (to, to_lat, to_lon), a row of `stop_table`
    stop_table: Columns  # to, to_lat, to_lon
    outcome: np.ndarray  # each leg's outcome, a row of `outcomes`
    outcomes: np.ndarray

    def rows(self, legs: pd.DataFrame) -> np.ndarray:
        """Which numbered legs the located legs of `legs` (a subset of those numbered) are."""
        located = legs.index[legs["located"].to_numpy(dtype=bool)]
        if located.equals(self.index):
            return np.arange(len(self.index))
        found = self.index.get_indexer(located)
        if (found < 0).any():
            raise ValueError("map_data: these legs are not among the numbered legs")
        return found


def number_legs(legs: pd.DataFrame) -> NumberedLegs:
    """The located legs of `legs` (a dataset's, or any frame `locate_legs` made) numbered."""
    located = legs[legs["located"].to_numpy(dtype=bool)]
    frame = located.assign(certainty=located["certainty"].replace("", NO_CERTAINTY))
    count = len(frame)
    # Both ends of every leg, the from ends first, each column factorised once for both
    # (the ends, the stops and the points are all folded from these codes).
    place, lat, lon, area = (
        pd.concat([frame[f"from{column}"], frame[f"to{column}"]], ignore_index=True)
        for column in ("", "_lat", "_lon", "_area"))
    (place_code, places), (lat_code, lats), (lon_code, lons), (area_code, areas) = (
        pd.factorize(column, use_na_sentinel=False) for column in (place, lat, lon, area))
    lat, lon, area = lat.to_numpy(), lon.to_numpy(), area.to_numpy()

    def of_end(codes: np.ndarray, distinct, start: bool) -> tuple[np.ndarray, int]:
        return (codes[:count] if start else codes[count:]), len(distinct)

    ends = folded_codes([
        *(of_end(codes, distinct, start) for start in (True, False)
          for codes, distinct in ((place_code, places), (lat_code, lats), (lon_code, lons))),
        *(of_end(area_code, areas, start) for start in (True, False)),
        factorized(frame["certainty"])])
    stop = folded_codes([of_end(place_code, places, False), of_end(lat_code, lats, False),
                         of_end(lon_code, lons, False)])
    person, _ = pd.factorize(frame["person"])
    mode, modes = pd.factorize(frame["mode"])
    outcome, outcomes = pd.factorize(frame["outcome"])
    point = area == ""
    points = np.full(len(area), -1, dtype=np.int64)
    points[point] = folded_codes([(lat_code[point], len(lats)), (lon_code[point], len(lons))])
    # Places are taken only for the distinct points: a frame of every end's place name
    # cost a third of the numbering.
    first = np.flatnonzero(point)[first_positions(points[point])]
    point_table = pd.DataFrame({"place": place.iloc[first].reset_index(drop=True),
                                "lat": lat[first], "lon": lon[first]})
    point_table["label"] = point_table["place"].str.split(",").str[0].str.strip()
    area_codes = np.full(len(area), -1, dtype=np.int64)
    area_codes[~point], area_keys = pd.factorize(area[~point])
    alarming = np.isin(np.asarray(outcomes, dtype=object), schema.ALARMING_OUTCOMES)[outcome]
    return NumberedLegs(
        frame.index, ends, _columns(first_rows(frame, ends, [*LEG_ENDS, "certainty"])),
        person, first_rows(frame, person, ["name"])["name"].to_numpy(), mode,
        np.asarray(modes), points.reshape(2, -1), _columns(point_table),
        area_codes.reshape(2, -1), np.asarray(area_keys, dtype=object),
        alarming & point[count:], stop,
        _columns(first_rows(frame, stop, ["to", "to_lat", "to_lon"])),
        outcome, np.asarray(outcomes))


def map_data(legs: pd.DataFrame, category: pd.Series,
             numbered: NumberedLegs | None = None) -> MapData:
    """Routes, markers, places and areas of the located legs; `category` is each leg's
    colour category (a Series in the order of `legs`). `numbered`: `number_legs` of a frame
    `legs` is a subset of (the dataset's), when the caller keeps one; else the legs are
    numbered here."""
    numbered = numbered or number_legs(legs)
    rows = numbered.rows(legs)
    if not len(rows):
        return MapData(pd.DataFrame(columns=_ROUTE_COLUMNS), pd.Series(dtype=np.int64),
                       _no_rows(_MARKER_COLUMNS), _no_rows(_PLACE_COLUMNS),
                       _no_rows(["key", "legs"]))
    shown = numbered.index[rows]
    colour, colours = pd.factorize(category[legs["located"].to_numpy(dtype=bool)],
                                   use_na_sentinel=False)
    colours = np.asarray(colours).astype(str).astype(object)
    codes, keys = pd.factorize(numbered.ends[rows] * len(colours) + colour)
    ends = _taken(numbered.ends_table, keys // len(colours), [*LEG_ENDS, "certainty"])
    legs_count = np.bincount(codes)
    drawn = _busiest(legs_count)
    people_count, people = _distinct_per_route(
        codes, numbered.person[rows], numbered.names, drawn, up_to=NAMES_IN_TIP)
    modes = _distinct_per_route(codes, numbered.mode[rows], numbered.modes, drawn)[1]
    at = np.flatnonzero(drawn)
    tips = np.full(len(keys), "", dtype=object)
    tips[at] = _tips(ends["from"][at].tolist(), ends["to"][at].tolist(),
                     legs_count[at].tolist(), ends["certainty"][at].tolist(),
                     people_count[at].tolist(), people, modes)
    # Not copied: every array is this view's own (copying joins the numbers into one
    # block, a millisecond of every click).
    routes = pd.DataFrame({**{c: ends[c] for c in LEG_ENDS},
                           "category": colours[keys % len(colours)],
                           "certainty": ends["certainty"], "legs": legs_count,
                           "people": people_count, "drawn": drawn, "tip": tips}, copy=False)
    return MapData(routes, pd.Series(codes, index=shown), _markers(numbered, rows),
                   _places(numbered, rows), _areas(numbered, rows))


def _columns(frame: pd.DataFrame) -> Columns:
    return {column: frame[column].to_numpy() for column in frame.columns}


def _no_rows(columns: list[str]) -> Columns:
    return {column: np.array([], dtype=object) for column in columns}


def _taken(table: Columns, positions: np.ndarray, columns: list[str]) -> Columns:
    """The rows `positions` of these columns of a numbered table: a view's frame is made at
    once from them, since a column added to a frame rebuilds its labels (a tenth of a
    millisecond each, a cost paid on every click)."""
    return {column: table[column].take(positions) for column in columns}


def _busiest(legs: np.ndarray) -> np.ndarray:
    """Whether the map draws each route (`legs`: each route's count): every one, or the
    MOST_ROUTES_DRAWN with the most legs (of equal ones, the first met)."""
    drawn = np.ones(len(legs), dtype=bool)
    if len(legs) > MOST_ROUTES_DRAWN:
        drawn[:] = False
        drawn[np.argsort(-legs, kind="stable")[:MOST_ROUTES_DRAWN]] = True
    return drawn


def _distinct_per_route(codes: np.ndarray, values: np.ndarray, labels: np.ndarray,
                        named: np.ndarray, up_to: int | None = None
                        ) -> tuple[np.ndarray, list[list[str]]]:
    """How many distinct values each route has, and, for the routes `named` (a mask), those
    values as `labels` names them, in the order its legs meet them; with `up_to`, only the
    routes with at most that many are named, the others by none. A tip names two people,
    and naming every person of 100,000 legs to count them cost a sort of them all."""
    width = int(values.max()) + 1
    route, value = np.divmod(pd.unique(codes * width + values), width)
    counts = np.bincount(route, minlength=len(named))
    kept = named[route]
    if up_to is not None:
        kept &= counts[route] <= up_to
    route, value = route[kept], value[kept]
    order = np.argsort(route, kind="stable")
    names = labels[value[order]].tolist()
    at = np.flatnonzero(named)
    starts = np.searchsorted(route[order], at).tolist()
    ends = np.searchsorted(route[order], at, side="right").tolist()
    return counts, [names[start:end] for start, end in zip(starts, ends, strict=True)]


def _tips(starts: list[str], ends: list[str], legs: list[int], certainties: list[str],
          people_count: list[int], people: list[list[str]], modes: list[list[str]]
          ) -> list[str]:
    """Short plain hover text of each route (`people`: the names of each route of at most
    NAMES_IN_TIP people); the details (every person, note and source) are pinned below the
    map when a route is clicked."""
    tips = []
    for start, end, count, certainty, many, names, travel in zip(
            starts, ends, legs, certainties, people_count, people, modes, strict=True):
        who = ", ".join(names) if many <= NAMES_IN_TIP else f"{many:,} people"
        legs = "1 leg" if count == 1 else f"{count:,} legs"
        tips.append(f"{start} → {end}\n{who} · {legs} · {', '.join(travel)}\n"
                    f"certainty: {certainty}\nClick the line for notes and sources")
    return tips


def _markers(numbered: NumberedLegs, rows: np.ndarray) -> Columns:
    """Point ends where legs ended in an alarming outcome (an area end gets no dot: the
    area is shaded instead, and the outcome is in the route's details)."""
    ended = rows[numbered.alarming[rows]]
    if not len(ended):
        return _no_rows(_MARKER_COLUMNS)
    kinds = len(numbered.outcomes)
    met, pairs = pd.factorize(numbered.stop[ended] * kinds + numbered.outcome[ended])
    counts = np.bincount(met)
    said: dict[int, list[str]] = {}
    total: dict[int, int] = {}
    for stop, outcome, count in zip((pairs // kinds).tolist(), (pairs % kinds).tolist(),
                                    counts.tolist(), strict=True):
        said.setdefault(stop, []).append(f"{numbered.outcomes[outcome]} ({count:,})")
        total[stop] = total.get(stop, 0) + count
    stops = _taken(numbered.stop_table, np.fromiter(said, dtype=np.int64, count=len(said)),
                   ["to", "to_lat", "to_lon"])
    tips = [f"{place}\nlegs ended: {', '.join(outcomes)}"
            for place, outcomes in zip(stops["to"].tolist(), said.values(), strict=True)]
    return {**stops, "legs": np.array(list(total.values())), "tip": np.array(tips, dtype=object)}


def _places(numbered: NumberedLegs, rows: np.ndarray) -> Columns:
    """Each point end with how many legs start or end there, and its label (the first part
    of the name, as the data spells it)."""
    ends = numbered.points[:, rows].ravel()
    ends = ends[ends >= 0]
    if not len(ends):
        return _no_rows(_PLACE_COLUMNS)
    met = pd.unique(ends)
    return {**_taken(numbered.point_table, met, ["place", "lat", "lon"]),
            "legs": np.bincount(ends)[met],
            "label": numbered.point_table["label"].take(met)}


def _areas(numbered: NumberedLegs, rows: np.ndarray) -> Columns:
    ends = numbered.areas[:, rows].ravel()
    ends = ends[ends >= 0]
    met = pd.unique(ends)
    return {"key": numbered.area_keys[met], "legs": np.bincount(ends)[met]}


def legs_of_routes(legs: pd.DataFrame, data: MapData, routes: list[int]) -> pd.DataFrame:
    """The legs drawn as these route numbers, in person and leg order."""
    chosen = data.route_of[data.route_of.isin(routes)].index
    return legs.loc[chosen].sort_values(["person", "leg"], kind="stable")


def legs_in_area(legs: pd.DataFrame, data: MapData, key: str) -> pd.DataFrame:
    """The located legs with an end in the area `key`, in person and leg order."""
    routes = data.routes.index[(data.routes["from_area"] == key)
                               | (data.routes["to_area"] == key)].tolist()
    return legs_of_routes(legs, data, routes)
