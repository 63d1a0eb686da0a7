"""Geocode once, keep it, work offline.

Every place string of the legs (`from`, `to`) is resolved through one chain:

    curated (data/places_curated.csv)  →  cache (data/geocache.csv)
        →  offline gazetteer (data/gazetteer/, GeoNames)  →  online geocoder (opt-in)

The curated file wins over everything. The cache keeps every result and every miss, so a
place is looked up at most once ever; a miss is retried only by an `--online` run that has
not tried the online geocoder on it yet, when a curated entry appears, or on request
(`retry_misses`). Place strings are matched case- and space-insensitively (`place_key`).

The cache is written atomically (a temporary file in the same folder, then `os.replace`)
under an exclusive lock on a lock file beside it, re-reading and merging under the lock, so
two processes writing at once lose nothing and a process killed mid-write leaves the old
file intact.

Online geocoding (Nominatim, through geopy) happens only when asked, at most one request
per second, with the project's own User-Agent, timeouts and bounded retries; any failure
leaves that place unresolved and is reported, and everything already cached stays.

No streamlit here; nothing here touches the network unless online geocoding is enabled.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from routes_dash import __version__, schema
from routes_dash.gazetteer import (
    BUNDLED_DATA,
    Gazetteer,
    default_gazetteer,
    find_country,
    load_countries,
    without_parentheses,
)
from routes_dash.schema import DataError, Problem

try:  # POSIX; elsewhere writes are still atomic but not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

CACHE_FILE = "geocache.csv"
CURATED_FILE = "places_curated.csv"
BUNDLED_CURATED = BUNDLED_DATA / CURATED_FILE
CACHE_COLUMNS = ("place", "lat", "lon", "country", "provider", "resolved_name", "looked_up_at")
CURATED_COLUMNS = ("place", "lat", "lon", "country", "precision", "note", "source")
PLACES_COLUMNS = ("place", "lat", "lon", "country", "provider", "resolved_name", "resolved")

CURATED = "curated"
MISS = "miss:"  # provider of a recorded miss: "miss:gazetteer", "miss:nominatim"

NOMINATIM_POLICY = "https://operations.osmfoundation.org/policies/nominatim/"
CONTACT_ENV = "ROUTES_DASH_CONTACT"


def place_key(place: str) -> str:
    """How place strings are matched: case- and space-insensitively."""
    return " ".join(str(place).split()).casefold()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- records --------------------------------------------------------------------------------


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
        return _table(self.places)


# --- files ----------------------------------------------------------------------------------


def read_cache(path: str | Path) -> dict[str, Resolution]:
    """The cache file as place key → `Resolution`; an absent file is an empty cache.

    Only `place`, `lat` and `lon` are required, so a hand-made file of coordinates works.
    Raises `DataError` naming every bad row.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise DataError([Problem(path.name, f"cannot be read: {error}")]) from None
    rows, problems = _rows(text, path.name, ("place", "lat", "lon"))
    cache: dict[str, Resolution] = {}
    for number, row in rows:
        lat, lon, point_problems = _point(row, path.name, number, allow_empty=True)
        problems += point_problems
        if not row["place"]:
            problems.append(Problem(path.name, "the place is empty", row=number, column="place"))
            continue
        provider = row.get("provider", "")
        if lat is None and not provider:
            provider = MISS + "unknown"
        resolution = Resolution(
            row["place"], lat, lon, row.get("country", ""), provider,
            row.get("resolved_name", ""), row.get("looked_up_at", ""),
        )
        cache[resolution.key] = resolution
    if problems:
        raise DataError(problems)
    return cache


def read_curated(path: str | Path) -> dict[str, CuratedPlace]:
    """The curated places file as place key → `CuratedPlace`. Raises `DataError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([Problem(path.name, f"no such file: {path}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError([Problem(path.name, f"cannot be read: {error}")]) from None
    rows, problems = _rows(text, path.name, ("place", "lat", "lon", "country"))
    curated: dict[str, CuratedPlace] = {}
    for number, row in rows:
        lat, lon, point_problems = _point(row, path.name, number, allow_empty=False)
        problems += point_problems
        precision = (row.get("precision") or schema.DEFAULT_PRECISION).lower()
        if precision not in schema.PRECISIONS:
            problems.append(Problem(
                path.name, f"'{precision}' is not a precision; allowed: "
                + ", ".join(schema.PRECISIONS), row=number, column="precision"))
        if not row["place"]:
            problems.append(Problem(path.name, "the place is empty", row=number, column="place"))
            continue
        country = find_country(row["country"]) if row["country"] else None
        if country is None:
            problems.append(Problem(
                path.name, f"'{row['country']}' is not a country in data/gazetteer/countries.csv"
                " (write it as people do, e.g. 'North Korea')", row=number, column="country",
                value=row["country"]))
            continue
        key = place_key(row["place"])
        if key in curated:
            problems.append(Problem(
                path.name, f"'{row['place']}' is curated twice", row=number, column="place"))
        if lat is not None and lon is not None:
            curated[key] = CuratedPlace(
                row["place"], lat, lon, country.name, precision,
                row.get("note", ""), row.get("source", ""),
            )
    if problems:
        raise DataError(problems)
    return curated


def write_cache(path: str | Path, resolutions: Iterable[Resolution]) -> dict[str, Resolution]:
    """Add `resolutions` to the cache file and return the merged cache.

    Under an exclusive lock on `.<name>.lock` beside the file: re-read the file, merge (a
    new result replaces the old one, but a miss never replaces another provider's result),
    write a temporary file in the same folder and `os.replace` it over the old one.
    """
    path = Path(path)
    new = list(resolutions)
    with _locked(path):
        cache = read_cache(path)
        for resolution in new:
            old = cache.get(resolution.key)
            keep_old = (
                old is not None and old.resolved and not resolution.resolved
                and old.provider != CURATED
            )
            if not keep_old:
                cache[resolution.key] = resolution
        _replace(path, _cache_text(cache.values()))
    return cache


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _replace(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: readers see the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            _write_text(stream, text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _write_text(stream, text: str) -> None:
    """Write in pieces (a test interrupts this to kill a writer mid-file)."""
    step = 1 << 16
    for start in range(0, len(text), step):
        stream.write(text[start : start + step])


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _cache_text(resolutions: Iterable[Resolution]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CACHE_COLUMNS)
    for r in sorted(resolutions, key=lambda r: (r.key, r.place)):
        writer.writerow([
            r.place, _number(r.lat), _number(r.lon), r.country, r.provider,
            r.resolved_name, r.looked_up_at,
        ])
    return out.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _rows(text: str, name: str, required: tuple[str, ...]):
    reader = csv.reader(io.StringIO(text))
    try:
        header = [" ".join(c.split()).lower() for c in next(reader)]
    except StopIteration:
        raise DataError([Problem(name, "the file is empty; it needs a header row")]) from None
    except csv.Error as error:
        raise DataError([Problem(name, f"cannot be read as CSV ({error})")]) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError([
            Problem(name, f"the required column '{c}' is missing; the header has: "
                    + ", ".join(header), column=c) for c in missing
        ])
    rows, problems = [], []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(Problem(
                    name, f"has {len(cells)} cells but the header has {len(header)}; a value "
                    "that contains a comma must be in double quotes", row=number))
                continue
            cells = [" ".join(c.split()) for c in cells] + [""] * (len(header) - len(cells))
            rows.append((number, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        problems.append(Problem(name, f"cannot be read as CSV ({error})"))
    return rows, problems


def _point(row: dict, name: str, number: int, *, allow_empty: bool):
    lat_text, lon_text = row["lat"], row["lon"]
    if allow_empty and not lat_text and not lon_text:
        return None, None, []
    problems = []
    values = []
    for column, text, limit in (("lat", lat_text, 90), ("lon", lon_text, 180)):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > limit:
            problems.append(Problem(
                name, f"'{text}' is not a {'latitude' if column == 'lat' else 'longitude'} "
                f"(a number from -{limit} to {limit}"
                + (", or empty for a miss)" if allow_empty else ")"),
                row=number, column=column, value=text))
            value = None
        values.append(value)
    if problems:
        return None, None, problems
    return values[0], values[1], []


# --- the online geocoder --------------------------------------------------------------------


def user_agent(contact: str | None = None) -> str:
    """The User-Agent sent to online geocoders: the app, its version and how to reach us."""
    contact = contact or os.environ.get(CONTACT_ENV) or "contact in README"
    return f"routes_dash/{__version__} (+{contact})"


class LookupFailed(Exception):
    """An online lookup failed; `failure` says how."""

    def __init__(self, failure: LookupFailure):
        super().__init__(f"{failure.place}: {failure.error}: {failure.message}")
        self.failure = failure


class _Permanent(Exception):
    """Wraps an error that retrying cannot fix, so the rate limiter does not retry it."""

    def __init__(self, error: GeopyError):
        super().__init__(str(error))
        self.error = error


class _RateLimiter(RateLimiter):
    """geopy's RateLimiter with an injectable clock and sleep (tests never really wait)."""

    # Worth retrying: timeouts, an unreachable or overloaded service, rate limiting, 5xx.
    _retry_exceptions = (GeocoderServiceError,)

    def __init__(self, func, *, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None, **kwargs):
        super().__init__(func, **kwargs)
        self._injected_clock = clock
        self._injected_sleep = sleep

    def _clock(self):
        return self._injected_clock() if self._injected_clock else super()._clock()

    def _sleep(self, seconds):
        if self._injected_sleep:
            self._injected_sleep(seconds)
        else:
            super()._sleep(seconds)


class OnlineGeocoder:
    """Nominatim (or any geopy geocoder) used as the policy asks: at most one request per
    second (geopy's RateLimiter), the project's own User-Agent, a timeout per request, at
    most `max_retries` retries of a transient error, and results kept in the cache by the
    caller. After the service turns out unreachable, refuses us (403) or rate-limits us
    (429) even after retries, it stops asking for the rest of the run.
    """

    def __init__(
        self,
        geocoder=None,
        *,
        provider: str = "nominatim",
        timeout: float = 10.0,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        adapter_factory=None,
        contact: str | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        if geocoder is None:
            if min_delay_seconds < 1.0:
                raise ValueError(
                    f"Nominatim allows at most 1 request per second ({NOMINATIM_POLICY})"
                )
            geocoder = Nominatim(user_agent=user_agent(contact), timeout=timeout,
                                 adapter_factory=adapter_factory)
        self.geocoder = geocoder
        self.provider = provider
        self.stopped = ""  # why online lookups stopped for this run, if they did
        self._limited = _RateLimiter(
            self._geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
            error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
            swallow_exceptions=False, clock=clock, sleep=sleep,
        )

    def _geocode(self, query: str, country_codes: str | None):
        options = {"exactly_one": True, "addressdetails": True, "language": "en"}
        if country_codes:
            options["country_codes"] = country_codes
        try:
            return self.geocoder.geocode(query, **options)
        except (GeocoderQueryError, GeocoderAuthenticationFailure,
                GeocoderInsufficientPrivileges) as error:
            raise _Permanent(error) from error

    def lookup(self, place: str, country_code: str | None = None) -> Location | None:
        """The best result for `place`, None when the service knows no such place.
        Raises `LookupFailed` when the lookup failed."""
        if self.stopped:
            raise LookupFailed(LookupFailure(place, self.provider, "skipped", self.stopped))
        try:
            return self._limited(place, country_code.lower() if country_code else None)
        except _Permanent as wrapped:
            error = wrapped.error
            if isinstance(error, GeocoderAuthenticationFailure | GeocoderInsufficientPrivileges):
                self.stopped = f"{self.provider} refused our requests; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except GeocoderRateLimited as error:
            self.stopped = f"{self.provider} rate-limited us; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except GeocoderUnavailable as error:
            self.stopped = f"{self.provider} is unreachable; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except (GeocoderTimedOut, GeocoderServiceError, GeopyError) as error:
            raise LookupFailed(self._failure(place, error)) from None

    def _failure(self, place: str, error: Exception) -> LookupFailure:
        return LookupFailure(place, self.provider, type(error).__name__, str(error) or "")


# --- the chain ------------------------------------------------------------------------------

# Places looked up in this process but not written to their cache file (a read-only data
# folder, or write=False), by cache file and place key: nothing is looked up twice in a
# process.
_LOOKED_UP: dict[tuple[str, str], Resolution] = {}


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
            for resolution in new:
                if resolution.place not in failed:
                    _LOOKED_UP[(memo_prefix, resolution.key)] = resolution
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

    def _look_up(self, place: str) -> tuple[Resolution, str, LookupFailure | None]:
        gazetteer = self.gazetteer or default_gazetteer()
        found = gazetteer.search(place, limit=1)
        if found.locations:
            return _from_location(place, found.locations[0], gazetteer.provider,
                                  self.clock()), "", None
        country = _country_of(gazetteer, place)
        miss = Resolution(place, None, None, country.name if country else "",
                          MISS + gazetteer.provider, "", self.clock())
        reason = found.reason
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


def _country_of(gazetteer: Gazetteer, place: str):
    parts = [p for p in without_parentheses(place).split(",") if p.strip()]
    return gazetteer.country(parts[-1]) if parts else None


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


# --- for the app ----------------------------------------------------------------------------


def distinct_places(legs: pd.DataFrame) -> list[str]:
    """Every distinct place string of the legs' `from` and `to`, in the order first met."""
    # Each distinct string once, in the order first met (from, to, from, to …): a large file
    # names a few dozen places a hundred thousand times.
    ends = np.empty(2 * len(legs), dtype=object)
    ends[0::2], ends[1::2] = legs["from"].to_numpy(dtype=object), legs["to"].to_numpy(dtype=object)
    seen: dict[str, str] = {}
    for place in pd.unique(ends):
        place = " ".join(str(place).split())
        if place:
            seen.setdefault(place_key(place), place)
    return list(seen.values())


def data_paths(folder: str | Path) -> tuple[Path, Path]:
    """The cache and curated files of a data folder (the bundled curated file when the
    folder has none)."""
    folder = Path(folder)
    curated = folder / CURATED_FILE
    return folder / CACHE_FILE, curated if curated.exists() else BUNDLED_CURATED


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
    if online is True:
        online = OnlineGeocoder()
    resolver = Resolver(Path(cache_path), Path(curated_path) if curated_path else None,
                        gazetteer=gazetteer, online=online or None)
    return resolver.resolve(places, lookup=lookup, write=write, retry_misses=retry_misses)


def geocode_legs(
    legs: pd.DataFrame,
    data_folder: str | Path = BUNDLED_DATA,
    *,
    cache_path: str | Path | None = None,
    curated_path: str | Path | None = None,
    online: bool | OnlineGeocoder = False,
    lookup: bool = True,
    write: bool = True,
) -> GeocodeReport:
    """Resolve every place of validated legs with a data folder's cache and curated files."""
    default_cache, default_curated = data_paths(data_folder)
    return resolve_places(
        distinct_places(legs),
        cache_path=cache_path or default_cache,
        curated_path=curated_path or default_curated,
        online=online,
        lookup=lookup,
        write=write,
    )


def places_table(
    legs: pd.DataFrame,
    data_folder: str | Path = BUNDLED_DATA,
    *,
    cache_path: str | Path | None = None,
    curated_path: str | Path | None = None,
    online: bool | OnlineGeocoder = False,
    write: bool = True,
) -> pd.DataFrame:
    """One row per distinct place of `legs`: place, lat, lon (NaN when unresolved), country
    (as countries.csv names it), provider, resolved_name, resolved (bool), and level, how
    fine the point is: a curated place's precision, `country` for a bare country, else
    `city`.

    Answers from the cache; a place it has not seen is resolved once through the chain and
    written back (with `write=False`, or when the write fails, which is not an error, the
    result is kept in memory for this process instead).
    """
    curated_path = curated_path or data_paths(data_folder)[1]
    table = geocode_legs(legs, data_folder, cache_path=cache_path, curated_path=curated_path,
                         online=online, write=write).table()
    curated = {key: place.precision for key, place in read_curated(curated_path).items()}
    keys = table["place"].map(place_key)
    bare_country = table["resolved_name"].map(place_key) == table["country"].map(place_key)
    table["level"] = keys.map(curated).fillna(bare_country.map({True: "country", False: "city"}))
    return table


def _table(resolutions: Iterable[Resolution]) -> pd.DataFrame:
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


def country_points(gazetteer: Gazetteer | None = None) -> dict[str, tuple[float, float]]:
    """Country name (as countries.csv writes it) → the (lat, lon) a country is drawn at:
    the label point of the bundled basemap, else the capital. Reads only countries.csv."""
    countries = gazetteer.countries() if gazetteer else load_countries()[0].values()
    return {c.name: (c.lat, c.lon) for c in countries}


def candidates(
    place: str, limit: int = 10, *, gazetteer: Gazetteer | None = None
) -> tuple[Candidate, ...]:
    """The gazetteer's candidates for a place string, best first (empty when none)."""
    gazetteer = gazetteer or default_gazetteer()
    found = gazetteer.search(place, limit=limit).locations or gazetteer.similar(place, limit)
    out = []
    for location in found:
        raw = location.raw
        details = [d for d in (raw.get("admin1"),) if d]
        if raw.get("population"):
            details.append(f"population {raw['population']:,}")
        label = location.address + (f" ({'; '.join(details)})" if details else "")
        out.append(Candidate(
            raw["name"], raw["country"], location.latitude, location.longitude,
            raw.get("population"), raw.get("admin1", ""), raw.get("geonameid"), raw["match"],
            label,
        ))
    return tuple(out)


# --- places located by hand -------------------------------------------------------------------

USER = "user"


def hand_located(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of a "fix places" editor (place, lat, lon) that a user filled in, checked.

    Returns the usable fixes (place, lat, lon, country, resolved_name) and one problem per
    row whose coordinates cannot be a point on Earth; rows left empty are skipped.
    """
    fixes, problems = [], []
    for number, row in enumerate(rows.itertuples(index=False), start=1):
        lat, lon = _coordinate(row.lat), _coordinate(row.lon)
        if lat is None and lon is None:
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(Problem(
                "places to fix", f"'{row.place}' needs a latitude from -90 to 90 and a longitude "
                f"from -180 to 180 (got {row.lat!r}, {row.lon!r})", row=number))
            continue
        country = find_country(str(row.place).rsplit(",", 1)[-1])
        fixes.append({"place": row.place, "lat": lat, "lon": lon,
                      "country": country.name if country else "",
                      "resolved_name": f"{row.place} (located by hand)"})
    columns = ["place", "lat", "lon", "country", "resolved_name"]
    return pd.DataFrame(fixes, columns=columns), problems


def _coordinate(value) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def cache_csv(fixes: pd.DataFrame) -> bytes:
    """Hand-located places in the cache file's format, to keep beside a legs file."""
    when = now_utc()
    return _cache_text(
        Resolution(r.place, r.lat, r.lon, r.country, USER, r.resolved_name, when)
        for r in fixes.itertuples(index=False)
    ).encode("utf-8")
