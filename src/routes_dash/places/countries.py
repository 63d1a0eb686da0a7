"""Countries as people write them ("DPRK", "Korea, North", "Burma"), from the gazetteer's
countries.csv: small and quick to read, so finding a country never loads the places."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from routes_dash import bundled
from routes_dash.places.names import country_key, without_parentheses

COUNTRIES_FILE = "countries.csv"


@dataclass(frozen=True)
class Country:
    """A country as people write it, with the point it is drawn at."""

    iso2: str
    iso3: str
    iso_numeric: int
    name: str  # as people write it: "North Korea", "Laos", "United Kingdom"
    aliases: tuple[str, ...]  # "DPRK", "Korea, North", …
    lat: float
    lon: float
    capital: str


class GazetteerFileError(RuntimeError):
    """The bundled gazetteer files are missing or were made by another format version."""


def _read_countries(path: Path) -> tuple[dict[str, Country], dict[str, str]]:
    countries: dict[str, Country] = {}
    keys: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except FileNotFoundError:
        raise GazetteerFileError(
            f"the gazetteer file {path} is missing; build it with tools/build_gazetteer.py"
        ) from None
    for row in rows:
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        country = Country(
            row["iso2"], row["iso3"], int(row["iso_numeric"]), row["name"], aliases,
            float(row["lat"]), float(row["lon"]), row["capital"],
        )
        countries[country.iso2] = country
        for name in (country.name, *aliases):
            keys.setdefault(country_key(name), country.iso2)
    return countries, keys


@functools.cache
def load_countries(
    directory: str | Path = bundled.GAZETTEER,
) -> tuple[dict[str, Country], dict[str, str]]:
    """countries.csv alone (small and quick): ISO alpha-2 → `Country`, and name key → ISO
    alpha-2 for every name and alias."""
    return _read_countries(Path(directory).resolve() / COUNTRIES_FILE)


def find_country(text: str, directory: str | Path = bundled.GAZETTEER) -> Country | None:
    """The country a name or alias means ("DPRK", "Korea, North" → North Korea), or None."""
    countries, keys = load_countries(directory)
    code = keys.get(country_key(without_parentheses(str(text))))
    return countries[code] if code else None


def country_points() -> dict[str, tuple[float, float]]:
    """Country name (as countries.csv writes it) → the (lat, lon) a country is drawn at:
    the label point of the bundled basemap, else the capital."""
    return {c.name: (c.lat, c.lon) for c in load_countries()[0].values()}
