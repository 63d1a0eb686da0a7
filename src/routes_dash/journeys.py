"""Pure pandas on journey legs: coordinates, safe precision, filters and aggregations.

The frame every view and export reads is made by `locate_legs`: the validated legs plus,
for each end (`from_`, `to_`), its coordinates and country, and the precision it is shown
at. No streamlit here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

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
        keys = _PlaceKeys(frame[end])
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


class _PlaceKeys:
    """The `place_key` of each place of a column, worked out once per distinct place."""

    def __init__(self, places: pd.Series):
        self.codes, distinct = pd.factorize(places, use_na_sentinel=False)
        self.keys = pd.Index([place_key(p) for p in distinct])
        self.index = places.index

    def map(self, values: pd.Series) -> pd.Series:
        """As `keys.map(values)` for a Series of keys: looked up once per distinct place."""
        return pd.Series(values.reindex(self.keys).to_numpy()[self.codes], index=self.index)


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
    labels = [_year_text(start, end) for start, end in zip(legs["year"].tolist(),
                                                           legs["year_end"].tolist(), strict=True)]
    return pd.Series(labels, index=legs.index, dtype=str)


def _year_text(start, end) -> str:
    if start is pd.NA or start is None:
        return "year unknown"
    if end is pd.NA or end is None or end == start:
        return str(start)
    return f"{start}–{end}"


REDUCED_TEXT = "\nshown at country level to protect an anonymous person"


def leg_description(legs: pd.DataFrame) -> pd.Series:
    """Plain text that tells a leg with its provenance: tooltips and hover text use it."""
    # Row by row in plain Python: the views describe a few hundred legs at a time (the first
    # legs of each route, a sample of people), where a chain of pandas string operations
    # costs more in overhead than the work itself.
    columns = ["name", "leg", "from", "to", "mode", "outcome", "certainty", "source", "note",
               "shown_precision", "precision_reduced"]
    rows = zip(*(legs[c].tolist() for c in columns), year_label(legs).tolist(), strict=True)
    texts = []
    for (name, leg, start, end, mode, outcome, certainty, source, note, shown, reduced,
         years) in rows:
        text = (f"{name} · leg {leg}\n{start} → {end}\n{mode} · {years} · {outcome}\n"
                f"certainty: {certainty or 'not given'}"
                f"{' (DISPUTED)' if certainty == 'disputed' else ''}\n"
                f"source: {source or 'not given'}")
        if note != "":
            text += "\n" + note
        if shown in ("province", "country") and not reduced:
            text += f"\nplaces known only at {shown} level"
        if reduced:
            text += REDUCED_TEXT
        texts.append(text)
    return pd.Series(texts, index=legs.index, dtype=str)


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


def filter_options(legs: pd.DataFrame) -> state.Options:
    """What the reader can choose from in these legs."""
    countries = pd.concat([legs["from_country"], legs["to_country"]])
    years = legs["year"].dropna()
    return state.Options(
        people=tuple(sorted(legs["person"].unique())),
        countries=tuple(sorted(c for c in countries.unique() if c)),
        modes=tuple(m for m in schema.MODES if m in set(legs["mode"].unique())),
        outcomes=tuple(o for o in schema.OUTCOMES if o in set(legs["outcome"].unique())),
        years=(int(years.min()), int(years.max())) if len(years) else None,
    )


def filter_legs(legs: pd.DataFrame, filters: state.Filters) -> pd.DataFrame:
    """The legs a reader's choice keeps. A year range leaves out legs of unknown year."""
    keep = np.ones(len(legs), dtype=bool)
    if filters.people:
        keep &= legs["person"].isin(filters.people).to_numpy()
    if filters.countries:
        keep &= (legs["from_country"].isin(filters.countries)
                 | legs["to_country"].isin(filters.countries)).to_numpy()
    if filters.modes:
        keep &= legs["mode"].isin(filters.modes).to_numpy()
    if filters.outcomes:
        keep &= legs["outcome"].isin(filters.outcomes).to_numpy()
    if filters.years:
        first, last = filters.years
        # Unknown years are NaN here, and NaN compares False: those legs are left out.
        start = legs["year"].to_numpy(dtype=float, na_value=np.nan)
        end = legs["year_end"].to_numpy(dtype=float, na_value=np.nan)
        end = np.where(np.isnan(end), start, end)
        keep &= (start <= last) & (end >= first)
    if keep.all():
        return legs.copy(deep=False)  # copy-on-write: a new frame, no rows copied
    return legs[keep]
