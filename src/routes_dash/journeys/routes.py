"""The map's grouping of legs into routes (segments), outcome markers and labelled places:
what the map draws grows with distinct routes and places, not with legs. Pure pandas."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes_dash.contract import schema
from routes_dash.journeys.describe import leg_description
from routes_dash.journeys.locate import ENDS

SEGMENT_KEYS = ["from", "to", "mode", "outcome"]


SHOWN_PER_SEGMENT = 3


_COORDINATES = ["from_lat", "from_lon", "to_lat", "to_lon"]


_SEGMENT_COLUMNS = [*SEGMENT_KEYS, *_COORDINATES, "legs", "people", "description", "coarse"]


@dataclass(frozen=True)
class MapData:
    """What the map draws, each grown with distinct routes and places, not with legs."""

    segments: pd.DataFrame  # see route_segments
    markers: pd.DataFrame  # where legs ended in an alarming outcome, with a count
    places: pd.DataFrame  # each distinct point, its legs and a short label
    points: pd.DataFrame  # lon, lat: each distinct end point, in the order first met


def map_data(legs: pd.DataFrame) -> MapData:
    """Segments, outcome markers and places of the located legs, grouped in one pass.

    The legs are grouped once into segments; markers, places and points are read off the
    segments, so their cost grows with the number of routes, not of legs.
    """
    located = legs[legs["located"]] if not legs["located"].all() else legs
    if located.empty:
        return MapData(
            pd.DataFrame(columns=_SEGMENT_COLUMNS),
            pd.DataFrame(columns=["to_lat", "to_lon", "outcome", "legs", "description"]),
            pd.DataFrame(columns=["lat", "lon", "place", "legs", "label"]),
            pd.DataFrame(columns=["lon", "lat"]),
        )
    keys = [*SEGMENT_KEYS, *_COORDINATES]
    group = _group_codes(located, keys)
    count = int(group.max()) + 1
    # Segments in the order first met, as groupby(sort=False) lists them.
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=count)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    first = order[starts]
    person = pd.factorize(located["person"])[0].astype(np.int64)
    pairs = pd.unique(group.astype(np.int64) * (int(person.max()) + 1) + person)
    shown = located["shown_precision"].to_numpy()
    fine = (shown != "province") & (shown != "country")
    segments = located.iloc[first][keys].reset_index(drop=True)
    segments["legs"] = sizes
    segments["people"] = np.bincount(pairs // (int(person.max()) + 1), minlength=count)
    segments["coarse"] = np.bincount(group, weights=fine, minlength=count) == 0
    # The first legs of each segment, by position in `located`, in leg order.
    rank = np.arange(len(group)) - np.repeat(starts, sizes)
    heads = np.sort(order[rank < SHOWN_PER_SEGMENT])
    texts = dict(zip(heads.tolist(), leg_description(located.iloc[heads]).tolist(),
                     strict=True))
    head_groups = group[heads]
    per_segment: list[list[int]] = [[] for _ in range(count)]
    for position, segment in zip(heads.tolist(), head_groups.tolist(), strict=True):
        per_segment[segment].append(position)
    segments["description"] = [
        _joined_descriptions([texts[p] for p in positions], int(total))
        for positions, total in zip(per_segment, sizes, strict=True)]
    return MapData(segments, _markers(segments, per_segment, texts),
                   _places(segments), _points(segments))


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Group numbers 0, 1, 2 … in the order first met, as groupby(sort=False).ngroup() gives.

    Factorising column by column and folding the codes is about a third faster than ngroup.
    """
    codes, size = np.zeros(len(frame), dtype=np.int64), 1
    for key in keys:
        column, distinct = pd.factorize(frame[key], use_na_sentinel=False)
        if size * len(distinct) >= 2**62:  # would overflow: renumber what we have first
            codes, distinct_codes = pd.factorize(codes)
            codes, size = codes.astype(np.int64), len(distinct_codes)
        codes = codes * len(distinct) + column
        size *= max(len(distinct), 1)
    return pd.factorize(codes)[0].astype(np.int64)


def _markers(segments, per_segment, texts) -> pd.DataFrame:
    """Outcome markers from the segments that end in an alarming outcome.

    A marker's first legs are among its segments' first legs, so those are enough to
    describe it. Markers are listed in the order first met, as groupby(sort=False) would.
    """
    members: dict[tuple, list[int]] = {}
    for row, (lat, lon, outcome) in enumerate(zip(
            segments["to_lat"].tolist(), segments["to_lon"].tolist(),
            segments["outcome"].tolist(), strict=True)):
        if outcome in schema.ALARMING_OUTCOMES:
            members.setdefault((lat, lon, outcome), []).append(row)
    sizes = segments["legs"].tolist()
    rows = []
    for (lat, lon, outcome), segment_rows in members.items():
        positions = sorted(p for row in segment_rows for p in per_segment[row])
        total = sum(sizes[row] for row in segment_rows)
        shown = [texts[p] for p in positions[:SHOWN_PER_SEGMENT]]
        rows.append((lat, lon, outcome, total, _joined_descriptions(shown, total)))
    return pd.DataFrame(rows, columns=["to_lat", "to_lon", "outcome", "legs", "description"])


def _places(segments: pd.DataFrame) -> pd.DataFrame:
    counted: dict[tuple[float, float], list] = {}
    for end in ENDS:
        for place, lat, lon, legs in zip(
                segments[end].tolist(), segments[f"{end}_lat"].tolist(),
                segments[f"{end}_lon"].tolist(), segments["legs"].tolist(), strict=True):
            point = counted.setdefault((lat, lon), [place, 0])
            point[1] += legs
    rows = [(lat, lon, place, legs, _label(place))
            for (lat, lon), (place, legs) in counted.items()]
    return pd.DataFrame(rows, columns=["lat", "lon", "place", "legs", "label"])


def _label(place: str) -> str:
    # The map's text layer draws ASCII only: fold accents (Hoeryŏng → Hoeryong); the
    # tooltips and tables keep the place as written.
    first_part = place.split(",")[0].strip()
    return unicodedata.normalize("NFKD", first_part).encode("ascii", "ignore").decode("ascii")


def _points(segments: pd.DataFrame) -> pd.DataFrame:
    points = dict.fromkeys(
        [*zip(segments["from_lon"].tolist(), segments["from_lat"].tolist(), strict=True),
         *zip(segments["to_lon"].tolist(), segments["to_lat"].tolist(), strict=True)])
    return pd.DataFrame(list(points), columns=["lon", "lat"], dtype=float)


def route_segments(legs: pd.DataFrame) -> pd.DataFrame:
    """Legs that share from, to, mode and outcome become one segment with a count.

    The map draws segments, so what it sends grows with distinct routes, not with legs.
    Only located legs are kept. `description` lists the first legs of a segment in full.
    """
    return map_data(legs).segments


def _joined_descriptions(shown: list[str], total: int) -> str:
    text = "\n\n".join(shown)
    rest = total - len(shown)
    if rest > 0:
        return f"{total:,} legs on this route; the first {len(shown)}:\n\n" \
            f"{text}\n\n… and {rest:,} more"
    return text


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
