"""Geocode once, keep it, work offline: the chain every place string goes through.

    curated (places_curated.csv)  →  cache (geocache.csv)
        →  offline gazetteer (GeoNames)  →  online geocoder (opt-in)

The curated file wins over everything. The cache keeps every result and every miss, so a
place is looked up at most once ever; a miss is retried only by an `--online` run that has
not tried the online geocoder on it yet, when a curated entry appears, or on request
(`retry_misses`). Place strings are matched case- and space-insensitively (`place_key`).
The gazetteer and the online geocoder are both asked through geopy's `Geocoder.geocode`.

Only `geocode` (the command) writes the cache; loading a data folder reads it and keeps
what it had to look up in memory for this process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routes_dash import bundled
from routes_dash.contract.problems import DataError
from routes_dash.places.countries import find_country, load_countries
from routes_dash.places.files import (
    BUNDLED_CURATED,
    data_paths,
    read_cache,
    read_curated,
    write_cache,
)
from routes_dash.places.names import without_parentheses
from routes_dash.places.records import (
    CURATED,
    MISS,
    CuratedPlace,
    GeocodeReport,
    LookupFailure,
    Resolution,
    now_utc,
    place_key,
)

if TYPE_CHECKING:
    from geopy.location import Location

    from routes_dash.places.gazetteer import Gazetteer
    from routes_dash.places.online import OnlineGeocoder

# Places looked up in this process but not written to their cache file (a read-only data
# folder, or write=False), by cache file and place key: nothing found is looked up twice in
# a process. Bounded (oldest first out): every upload adds its places here, and the server
# runs for weeks. A miss of the offline gazetteer is not kept: asking again costs a
# fraction of a millisecond, and an upload of thousands of made-up places would pile up.
_LOOKED_UP: OrderedDict[tuple[str, str], Resolution] = OrderedDict()
MAX_LOOKED_UP = 20_000
_LOOKED_UP_LOCK = threading.Lock()  # the page's sessions run in threads


def _remember(key: tuple[str, str], resolution: Resolution) -> None:
    with _LOOKED_UP_LOCK:
        _LOOKED_UP[key] = resolution
        _LOOKED_UP.move_to_end(key)
        while len(_LOOKED_UP) > MAX_LOOKED_UP:
            _LOOKED_UP.popitem(last=False)


def forget_lookups() -> None:
    """Forget the lookups this process kept in memory (for tests)."""
    _LOOKED_UP.clear()


@dataclass
class Resolver:
    """The provider chain: curated → cache → offline gazetteer → online (when given)."""

    cache_path: Path
    curated_path: Path | None = None
    gazetteer: Gazetteer | None = None
    online: OnlineGeocoder | None = None
    clock: Callable[[], str] = now_utc
    _curated: dict[str, CuratedPlace] | None = field(default=None, repr=False)

    def __post_init__(self):
        self.cache_path = Path(self.cache_path)
        if self.curated_path is not None:
            self.curated_path = Path(self.curated_path)

    @property
    def curated(self) -> dict[str, CuratedPlace]:
        if self._curated is None:
            self._curated = read_curated(self.curated_path) if self.curated_path else {}
        return self._curated

    def resolve(
        self,
        places: Iterable[str],
        *,
        lookup: bool = True,
        write: bool = True,
        retry_misses: bool = False,
    ) -> GeocodeReport:
        """Resolve every distinct place string. With `lookup=False` nothing is looked up or
        written: places the cache does not cover are listed in `not_cached`."""
        distinct: dict[str, str] = {}
        for place in places:
            place = " ".join(str(place).split())
            if place:
                distinct.setdefault(place_key(place), place)
        cache = read_cache(self.cache_path)
        curated = self.curated
        memo_prefix = str(self.cache_path.resolve())
        results: dict[str, Resolution] = {}
        from_cache, new, not_cached, failures, reasons = [], [], [], [], {}

        for key, place in distinct.items():
            cached = cache.get(key)
            if cached is not None and cached.provider == CURATED and key not in curated:
                cached = None  # its curated entry was removed: look it up afresh
            if key in curated:
                fresh = curated[key].resolution(self.clock())
                if cached is not None and cached.same_result(fresh):
                    results[key] = cached
                    from_cache.append(place)
                elif lookup:
                    results[key] = fresh
                    new.append(fresh)
                else:
                    not_cached.append(place)
                    reasons[place] = "the curated entry is not in the cache yet"
                continue
            if cached is not None and not self._retry(cached, retry_misses):
                results[key] = cached
                from_cache.append(place)
                continue
            remembered = _LOOKED_UP.get((memo_prefix, key))
            if remembered is not None and not retry_misses and not self._retry(remembered, False):
                results[key] = remembered
                continue
            if not lookup:
                not_cached.append(place)
                if cached is not None:
                    results[key] = cached
                continue
            resolution, reason, failure = self._look_up(place)
            if failure:
                failures.append(failure)
            if reason:
                reasons[place] = reason
            results[key] = resolution
            new.append(resolution)

        written, write_error = False, ""
        if lookup and write and new:
            try:
                write_cache(self.cache_path, new)
                written = True
            except (OSError, DataError) as error:
                write_error = f"could not write {self.cache_path}: {error}"
        if new and not written:
            # Kept for this process instead, so nothing is looked up twice in it. A failed
            # online lookup is not kept: a later call may try again.
            failed = {f.place for f in failures}
            offline_miss = MISS + self._gazetteer().provider
            for resolution in new:
                if resolution.place not in failed and resolution.provider != offline_miss:
                    _remember((memo_prefix, resolution.key), resolution)
        places_out = tuple(
            results.get(key) or Resolution(place, None, None) for key, place in distinct.items()
        )
        for resolution in places_out:
            recorded_miss = (
                not resolution.resolved and resolution.place not in reasons
                and resolution.provider.startswith(MISS)
            )
            if recorded_miss:
                reasons[resolution.place] = (
                    f"recorded as a miss by {resolution.provider[len(MISS):]}"
                    + (f" on {resolution.looked_up_at[:10]}" if resolution.looked_up_at
                       else "")
                )
        return GeocodeReport(
            places=places_out,
            from_cache=tuple(from_cache),
            looked_up=tuple(new),
            not_cached=tuple(not_cached),
            failures=tuple(failures),
            reasons=tuple(reasons.items()),
            cache_path=str(self.cache_path),
            written=written,
            write_error=write_error,
        )

    def _retry(self, cached: Resolution, retry_misses: bool) -> bool:
        """Whether a cached row is looked up again: misses, on request or when the online
        geocoder is on and has not missed it yet."""
        if cached.resolved:
            return False
        if retry_misses:
            return True
        return self.online is not None and cached.provider != MISS + self.online.provider

    def _gazetteer(self) -> Gazetteer:
        # Imported when a place is first looked up: geopy brings requests and every online
        # geocoder with it (50 ms), and a folder whose places are all cached never asks.
        from routes_dash.places.gazetteer import default_gazetteer

        return self.gazetteer or default_gazetteer()

    def _look_up(self, place: str) -> tuple[Resolution, str, LookupFailure | None]:
        from routes_dash.places.online import LookupFailed

        gazetteer = self._gazetteer()
        location = gazetteer.geocode(place)
        if location is not None:
            return _from_location(place, location, gazetteer.provider, self.clock()), "", None
        country = _country_of(place)
        miss = Resolution(place, None, None, country.name if country else "",
                          MISS + gazetteer.provider, "", self.clock())
        reason = gazetteer.why_not_found(place)
        if self.online is None:
            return miss, reason, None
        try:
            location = self.online.lookup(place, country.iso2 if country else None)
        except LookupFailed as error:
            failure = error.failure
            return miss, f"{reason}; {failure.provider} failed: {failure.error}", failure
        if location is None:
            missed = Resolution(place, None, None, miss.country, MISS + self.online.provider,
                                "", self.clock())
            return missed, f"{reason}; {self.online.provider} found nothing either", None
        resolution = _from_location(place, location, self.online.provider, self.clock())
        if not resolution.country and country is not None:
            resolution = Resolution(resolution.place, resolution.lat, resolution.lon,
                                    country.name, resolution.provider, resolution.resolved_name,
                                    resolution.looked_up_at)
        return resolution, "", None


def _country_of(place: str):
    parts = [p for p in without_parentheses(place).split(",") if p.strip()]
    return find_country(parts[-1]) if parts else None


def _from_location(place: str, location: Location, provider: str, when: str) -> Resolution:
    raw = location.raw if isinstance(location.raw, Mapping) else {}
    country = raw.get("country", "") if provider == "gazetteer" else ""
    if not country:
        address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
        code = str(address.get("country_code", "")).upper()
        known = load_countries()[0].get(code) if code else None
        country = known.name if known else str(address.get("country", ""))
    return Resolution(place, round(float(location.latitude), 5),
                      round(float(location.longitude), 5), country, provider,
                      str(location.address or ""), when)


def distinct_places(legs: pd.DataFrame) -> list[str]:
    """Every distinct place string of the legs' `from` and `to`, in the order first met."""
    # Each distinct string once, in the order first met (from, to, from, to …): a large file
    # names a few dozen places a hundred thousand times, so each column's distinct strings
    # are found apart (in compiled code) and put in the order of where they are first met.
    firsts, names = [], []
    for offset, end in enumerate(("from", "to")):
        codes, distinct = pd.factorize(legs[end], use_na_sentinel=False)
        firsts.append(np.unique(codes, return_index=True)[1] * 2 + offset)
        names.append(np.asarray(distinct, dtype=object))
    seen: dict[str, str] = {}
    for place in pd.unique(np.concatenate(names)[np.argsort(np.concatenate(firsts))]):
        place = " ".join(str(place).split())
        if place:
            seen.setdefault(place_key(place), place)
    return list(seen.values())


def resolve_places(
    places: Iterable[str],
    *,
    cache_path: str | Path,
    curated_path: str | Path | None = BUNDLED_CURATED,
    online: bool | OnlineGeocoder = False,
    lookup: bool = True,
    write: bool = True,
    retry_misses: bool = False,
    gazetteer: Gazetteer | None = None,
) -> GeocodeReport:
    """Resolve place strings through the chain and keep what was looked up in the cache."""
    resolver = Resolver(Path(cache_path), Path(curated_path) if curated_path else None,
                        gazetteer=gazetteer, online=_online(online))
    return resolver.resolve(places, lookup=lookup, write=write, retry_misses=retry_misses)


def places_table(
    legs: pd.DataFrame,
    data_folder: str | Path = bundled.DATA,
    *,
    online: bool | OnlineGeocoder = False,
    write: bool = False,
) -> pd.DataFrame:
    """One row per distinct place of `legs`: place, lat, lon (NaN when unresolved), country
    (as countries.csv names it), provider, resolved_name, resolved (bool), and level, how
    fine the point is: a curated place's precision, `country` for a bare country, else
    `city`.

    Answers from the data folder's cache and curated places; a place they do not cover is
    resolved once through the chain and kept in memory for this process (written to the
    cache only with `write=True`, as the `geocode` command does).
    """
    cache_path, curated_path = data_paths(data_folder)
    resolver = Resolver(cache_path, curated_path, online=_online(online))
    table = resolver.resolve(distinct_places(legs), write=write).table()
    levels = {key: place.precision for key, place in resolver.curated.items()}
    keys = table["place"].map(place_key)
    bare_country = table["resolved_name"].map(place_key) == table["country"].map(place_key)
    table["level"] = keys.map(levels).fillna(bare_country.map({True: "country", False: "city"}))
    return table


def _online(online: bool | OnlineGeocoder) -> OnlineGeocoder | None:
    if online is True:
        from routes_dash.places.online import OnlineGeocoder

        return OnlineGeocoder()
    return online or None
