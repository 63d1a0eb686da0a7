"""The offline gazetteer: GeoNames places and countries bundled in the package's
data/gazetteer/, behind geopy's `Geocoder` interface so that it and an online geocoder are
interchangeable.

It answers what people write in journey data:
- "Town, Country": the country part narrows the search; a country part it does not know is
  a clear miss, never a guess elsewhere in the world. A middle part may name a US state.
- a bare country name ("Laos", "DPRK", "Korea, North"): the country's representative point;
- spellings with or without diacritics, apostrophes and hyphens, alternate names and
  romanisations (Hoeryŏng / Hoeryong / Hoeryong-si, Ulan Bator / Ulaanbaatar), and generic
  prefixes and suffixes (Ban …, … -si, … -ŭp, … Shi).
Among several places of one name it prefers the one a person most likely means: a match on
the place's own name over one on an alternate name, then the larger population, then a
capital.

The data (built by tools/build_gazetteer.py, see data/gazetteer/README.md) is read lazily,
once per process, on the first lookup. Nothing here touches the network.
"""

from __future__ import annotations

import bisect
import csv
import functools
import gzip
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderUnavailable
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from routes_dash import bundled
from routes_dash.places.countries import (
    Country,
    GazetteerFileError,
    country_key,
    find_country,
    load_countries,
)
from routes_dash.places.names import key_variants, name_key, without_parentheses
from routes_dash.places.spelling import SpellingIndex

PLACES_FILE = "places.tsv.gz"
REGIONS_FILE = "regions.csv"
# First-level divisions by (country code, admin1 code) → name (tools/build_admin1.py).
ADMIN1_FILE = "admin1.csv"

# The first line of places.tsv.gz. The file stores name keys made by `name_key`, so a change
# to how names are normalised must bump this and rebuild the file.
FORMAT = "#routes_dash-gazetteer/2"
PLACE_COLUMNS = (
    "geonameid", "name", "lat", "lon", "country_code", "admin1", "population", "capital",
)
# After the place rows: one line per name key, sorted: the key, a tab, then the places that
# have it as comma-separated numbers `2 * row + alternate` (row 0 is the first place row;
# alternate is 1 when the key comes from an alternate name, 0 from the place's own name).
INDEX_MARKER = "#index"

# Ranking: log10(population + 1), plus these bonuses.
OWN_NAME_BONUS = 1.5  # the query is the place's own name, not one of its alternate names
CAPITAL_BONUS = 0.5


@dataclass(frozen=True)
class Place:
    """One populated place of the gazetteer."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str
    population: int
    capital: bool


class GazetteerData:
    """The loaded tables: places, a sorted name-key index, countries and regions.

    Loading only decompresses and splits lines; a place row is parsed when a search needs
    it, and a key is found by bisection in the sorted index (no dictionary to build).
    """

    def __init__(self, directory: Path):
        started = time.perf_counter()
        self.directory = directory
        self.countries, self.country_keys = load_countries(directory)
        self.regions = _read_regions(directory / REGIONS_FILE)
        self._rows, self._index = _read_places(directory / PLACES_FILE)
        self._parsed: dict[int, Place] = {}
        self.load_seconds = time.perf_counter() - started

    @property
    def size(self) -> int:
        return len(self._rows)

    def place(self, row: int) -> Place:
        place = self._parsed.get(row)
        if place is None:
            (geonameid, name, lat, lon, code, admin1, population,
             capital) = self._rows[row].split("\t")
            place = Place(int(geonameid), name, float(lat), float(lon), code, admin1,
                          int(population), capital == "1")
            self._parsed[row] = place
        return place

    @functools.cached_property
    def keys(self) -> list[str]:
        """Every name key, sorted (built on first use: only spelling suggestions need it)."""
        return [line.split("\t", 1)[0] for line in self._index]

    @functools.cached_property
    def spelling(self) -> SpellingIndex:
        """The name keys indexed for spelling suggestions (built on first use)."""
        return SpellingIndex(self.keys)

    @functools.cached_property
    def admin1_names(self) -> dict[tuple[str, str], str]:
        """(country code, admin1 code) → the division's name ("CN", "29" → "Yunnan")."""
        path = self.directory / ADMIN1_FILE
        if not path.exists():
            return {}
        with path.open(encoding="utf-8", newline="") as stream:
            return {(row["country_code"], row["admin1"]): row["name"]
                    for row in csv.DictReader(stream)}

    def entries(self, key: str) -> list[tuple[int, bool]]:
        """(row, is an alternate name) for every place that has the name key `key`."""
        prefix = key + "\t"
        at = bisect.bisect_left(self._index, prefix)
        if at == len(self._index) or not self._index[at].startswith(prefix):
            return []
        numbers = self._index[at][len(prefix):].split(",")
        return [(int(n) >> 1, bool(int(n) & 1)) for n in numbers]


def _read_places(path: Path) -> tuple[list[str], list[str]]:
    """The place rows and the index lines ("key<TAB>entry,entry,…", sorted) of the file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
            text = stream.read()
    except FileNotFoundError:
        raise GazetteerFileError(
            f"the gazetteer file {path} is missing; build it with tools/build_gazetteer.py"
        ) from None
    lines = text.split("\n")
    if lines[0] != FORMAT:
        raise GazetteerFileError(
            f"{path} starts with {lines[0][:40]!r}, not {FORMAT!r}; rebuild it with "
            "tools/build_gazetteer.py"
        )
    if tuple(lines[1].split("\t")) != PLACE_COLUMNS:
        raise GazetteerFileError(f"{path} has unexpected columns: {lines[1][:120]!r}")
    try:
        split = lines.index(INDEX_MARKER)
    except ValueError:
        raise GazetteerFileError(f"{path} has no {INDEX_MARKER!r} section") from None
    return lines[2:split], [line for line in lines[split + 1 :] if line]


def _read_regions(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Region name key → [(country code, admin1 code)] (the US states, for now)."""
    regions: dict[str, list[tuple[str, str]]] = {}
    if not path.exists():
        return regions
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            for name in [row["name"], *row["aliases"].split("|")]:
                if name:
                    regions.setdefault(name_key(name), []).append(
                        (row["country_code"], row["admin1"])
                    )
    return regions


@functools.cache
def load(directory: str | Path = bundled.GAZETTEER) -> GazetteerData:
    """The gazetteer tables in `directory`, read once per process."""
    return GazetteerData(Path(directory).resolve())


class _OfflineAdapter(BaseSyncAdapter):
    """The gazetteer's HTTP adapter: there is none. Any request is a programming error."""

    def get_json(self, url, *, timeout, headers):
        raise GeocoderUnavailable("the offline gazetteer never makes network requests")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderUnavailable("the offline gazetteer never makes network requests")


@dataclass(frozen=True)
class Search:
    """What a gazetteer search found, best first, or why it found nothing."""

    query: str
    locations: tuple[Location, ...]
    reason: str = ""  # set when `locations` is empty


class Gazetteer(Geocoder):
    """An offline geopy geocoder over the bundled GeoNames extract.

    `geocode(query)` returns the best `geopy.location.Location` or None;
    `geocode(query, exactly_one=False)` a list of candidates, best first (or None when there
    are none, as geopy geocoders do). `Location.raw` holds `geonameid`, `name`,
    `country_code`, `country`, `admin1` (a GeoNames code) and `admin1_name` (its name, or ""),
    `population`, `feature` ("place" or "country"),
    `match` ("name", "alternate name" or "country") and `provider` ("gazetteer").
    """

    provider = "gazetteer"

    def __init__(self, directory: str | Path | None = None):
        super().__init__(adapter_factory=_OfflineAdapter)
        self.directory = Path(directory) if directory is not None else bundled.GAZETTEER

    @property
    def data(self) -> GazetteerData:
        return load(self.directory)

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout=DEFAULT_SENTINEL,
        limit: int | None = None,
        country_codes: str | Sequence[str] | None = None,
    ) -> Location | list[Location] | None:
        """Find `query`. `country_codes` (ISO 3166-1 alpha-2) restricts the search."""
        found = self.search(
            query, limit=1 if exactly_one else (limit or 10), country_codes=country_codes
        )
        if not found.locations:
            return None
        return found.locations[0] if exactly_one else list(found.locations)

    def why_not_found(self, query: str) -> str:
        """Why `geocode(query)` finds nothing ("no place called 'X' in Laos" …), or ""."""
        return self.search(query, limit=1).reason

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        country_codes: str | Sequence[str] | None = None,
    ) -> Search:
        """Candidates for `query`, best first, and the reason when there are none."""
        data = self.data
        query = str(query)
        text = without_parentheses(query)
        if not name_key(text):
            return Search(query, (), "the place name is empty")
        allowed = _codes(country_codes)

        whole = data.country_keys.get(country_key(text))
        if whole and (allowed is None or whole in allowed):
            return Search(query, (self._country_location(data.countries[whole]),))

        parts = [p.strip() for p in text.split(",")]
        parts = [p for p in parts if name_key(p)]
        town, qualifiers = parts[0], parts[1:]
        scopes: list[tuple[str | None, str | None]] = [(None, None)]
        if qualifiers:
            scopes = self._scopes(data, qualifiers)
            if not scopes:
                return Search(
                    query, (),
                    f"'{qualifiers[-1]}' is not a country the gazetteer knows "
                    "(write the country's name, e.g. 'Hyesan, North Korea')",
                )
        for country, region in scopes:
            if allowed is not None and country is not None and country not in allowed:
                continue
            codes = allowed if country is None else {country}
            rows = self._rank(data, town, codes, region)
            if rows:
                locations = tuple(self._place_location(data, row, kind) for row, kind in rows)
                return Search(query, locations[: max(1, limit)])
        where = ""
        if qualifiers and scopes[0][0]:
            where = f" in {data.countries[scopes[0][0]].name}"
        return Search(query, (), f"no place called '{town}'{where} in the gazetteer")

    def similar(self, query: str, limit: int = 8) -> tuple[Location, ...]:
        """Places whose names are spelled like the query's town ("Kunmming" → Kunming), in
        the query's country when it names one: the closest spelling first, then the most
        populous. For typos a search misses; `raw["closeness"]` is 0–100."""
        data = self.data
        parts = [p.strip() for p in without_parentheses(str(query)).split(",")]
        town = name_key(parts[0])
        if not town:
            return ()
        country = data.country_keys.get(country_key(parts[-1])) if len(parts) > 1 else None
        best: dict[int, float] = {}
        for key, closeness in data.spelling.close_to(town):
            for row, _alternate in data.entries(key):
                if country is None or data.place(row).country_code == country:
                    best[row] = max(closeness, best.get(row, 0.0))
        rows = sorted(best, key=lambda r: (-round(best[r]), -data.place(r).population,
                                           data.place(r).geonameid))
        found = []
        for row in rows[:limit]:
            location = self._place_location(data, row, "similar name")
            location.raw["closeness"] = round(best[row])
            found.append(location)
        return tuple(found)

    def country(self, text: str) -> Country | None:
        """The country a name or alias means ("DPRK" → North Korea), or None. Reads only
        countries.csv, not the places."""
        return find_country(text, self.directory)

    def countries(self) -> tuple[Country, ...]:
        return tuple(load_countries(self.directory)[0].values())

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _scopes(data: GazetteerData, qualifiers: list[str]):
        """(country, admin1) pairs to search in, most specific reading first."""
        last = qualifiers[-1]
        middle = qualifiers[:-1]
        scopes: list[tuple[str | None, str | None]] = []
        country = None
        # A country's name may hold a comma itself: "Korea, North", "Korea, Republic of".
        for size in (2, 1):
            if len(qualifiers) >= size:
                country = data.country_keys.get(country_key(", ".join(qualifiers[-size:])))
                if country:
                    middle = qualifiers[:-size]
                    break
        if country:
            regions = [
                region for part in middle
                for code, region in data.regions.get(name_key(part), [])
                if code == country
            ]
            scopes += [(country, region) for region in regions[:1]]
            scopes.append((country, None))
        for code, region in data.regions.get(name_key(last), []):
            scopes.append((code, region))
        return scopes

    @staticmethod
    def _rank(data: GazetteerData, town: str, codes, region) -> list[tuple[int, str]]:
        for key in key_variants(town):
            best: dict[int, tuple[float, str]] = {}
            for row, alternate in data.entries(key):
                place = data.place(row)
                if codes is not None and place.country_code not in codes:
                    continue
                if region is not None and place.admin1 != region:
                    continue
                score = math.log10(place.population + 1)
                score += 0.0 if alternate else OWN_NAME_BONUS
                score += CAPITAL_BONUS if place.capital else 0.0
                if row not in best or score > best[row][0]:
                    best[row] = (score, "alternate name" if alternate else "name")
            if best:
                order = sorted(best, key=lambda r: (-best[r][0], data.place(r).geonameid))
                return [(row, best[row][1]) for row in order]
        return []

    @staticmethod
    def _place_location(data: GazetteerData, row: int, match: str) -> Location:
        place = data.place(row)
        country = data.countries.get(place.country_code)
        country_name = country.name if country else place.country_code
        admin1_name = data.admin1_names.get((place.country_code, place.admin1), "")
        raw = {
            "provider": Gazetteer.provider,
            "feature": "place",
            "match": match,
            "geonameid": place.geonameid,
            "name": place.name,
            "country_code": place.country_code,
            "country": country_name,
            "admin1": place.admin1,
            "admin1_name": admin1_name,
            "population": place.population,
            "capital": place.capital,
        }
        return Location(f"{place.name}, {country_name}", (place.lat, place.lon), raw)

    @staticmethod
    def _country_location(country: Country) -> Location:
        raw = {
            "provider": Gazetteer.provider,
            "feature": "country",
            "match": "country",
            "geonameid": None,
            "name": country.name,
            "country_code": country.iso2,
            "country": country.name,
            "admin1": "",
            "admin1_name": "",
            "population": None,
            "capital": False,
        }
        return Location(country.name, (country.lat, country.lon), raw)


def _codes(country_codes: str | Iterable[str] | None) -> set[str] | None:
    if country_codes is None:
        return None
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    return {code.upper() for code in country_codes}


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer, one per process."""
    return Gazetteer()
