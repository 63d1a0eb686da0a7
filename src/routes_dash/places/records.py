"""The records of place lookup: how a place string is matched, what a lookup found, and the
table of places a data set's legs are joined to. Plain data, no I/O."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd


def place_key(place: str) -> str:
    """How place strings are matched: case- and space-insensitively."""
    return " ".join(str(place).split()).casefold()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


CACHE_COLUMNS = ("place", "lat", "lon", "country", "provider", "resolved_name", "looked_up_at")


CURATED_COLUMNS = ("place", "lat", "lon", "country", "precision", "note", "source")


PLACES_COLUMNS = ("place", "lat", "lon", "country", "provider", "resolved_name", "resolved")


CURATED = "curated"


MISS = "miss:"  # provider of a recorded miss: "miss:gazetteer", "miss:nominatim"


USER = "user"


@dataclass(frozen=True)
class Resolution:
    """Where one place string is, as the cache keeps it (lat/lon None for a miss)."""

    place: str
    lat: float | None
    lon: float | None
    country: str = ""  # the country's name as countries.csv writes it
    provider: str = ""  # "curated", "gazetteer", "nominatim"; "miss:<provider>" for a miss
    resolved_name: str = ""
    looked_up_at: str = ""

    @property
    def key(self) -> str:
        return place_key(self.place)

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None

    def same_result(self, other: Resolution) -> bool:
        """Equal apart from when it was looked up and how the place was spelled."""
        return (self.lat, self.lon, self.country, self.provider, self.resolved_name) == (
            other.lat, other.lon, other.country, other.provider, other.resolved_name
        )


@dataclass(frozen=True)
class CuratedPlace:
    """A hand-checked point for a place no gazetteer knows or gets right."""

    place: str
    lat: float
    lon: float
    country: str
    precision: str
    note: str = ""
    source: str = ""

    def resolution(self, looked_up_at: str) -> Resolution:
        return Resolution(self.place, self.lat, self.lon, self.country, CURATED, self.place,
                          looked_up_at)


@dataclass(frozen=True)
class LookupFailure:
    """An online lookup that failed (timeout, service down, rate limited …)."""

    place: str
    provider: str
    error: str  # the geopy exception's class name
    message: str


@dataclass(frozen=True)
class Candidate:
    """One gazetteer candidate for a place string, for a "pick the right town" editor."""

    name: str
    country: str
    lat: float
    lon: float
    population: int | None
    admin1: str
    geonameid: int | None
    match: str  # "name", "alternate name" or "country"
    label: str  # "Springfield, United States (IL; population 114,394)"


@dataclass(frozen=True)
class GeocodeReport:
    """What resolving a set of place strings did."""

    places: tuple[Resolution, ...]  # one per distinct place, in the order first met
    from_cache: tuple[str, ...]  # place strings answered by the cache
    looked_up: tuple[Resolution, ...]  # resolved (or missed) by this run, to be cached
    not_cached: tuple[str, ...] = ()  # with lookups off: places the cache does not cover
    failures: tuple[LookupFailure, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()  # (place, why it is unresolved), when known
    cache_path: str = ""
    written: bool = False
    write_error: str = ""

    @property
    def unresolved(self) -> tuple[Resolution, ...]:
        return tuple(r for r in self.places if not r.resolved)

    @property
    def providers(self) -> dict[str, int]:
        """How many places this run looked up, by provider (misses as "miss:<provider>")."""
        counts: dict[str, int] = {}
        for resolution in self.looked_up:
            counts[resolution.provider] = counts.get(resolution.provider, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def complete(self) -> bool:
        return not self.unresolved and not self.not_cached

    def reason(self, place: str) -> str:
        return dict(self.reasons).get(place, "")

    def table(self) -> pd.DataFrame:
        """One row per place: place, lat, lon, country, provider, resolved_name, resolved."""
        return places_frame(self.places)


def places_frame(resolutions: Iterable[Resolution]) -> pd.DataFrame:
    rows = [
        {
            "place": r.place,
            "lat": r.lat if r.lat is not None else math.nan,
            "lon": r.lon if r.lon is not None else math.nan,
            "country": r.country,
            "provider": r.provider,
            "resolved_name": r.resolved_name,
            "resolved": r.resolved,
        }
        for r in resolutions
    ]
    frame = pd.DataFrame(rows, columns=list(PLACES_COLUMNS))
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    frame["resolved"] = frame["resolved"].astype(bool)
    return frame
