"""`python -m routes_dash …`: the command line. Every failure is a message, never a traceback."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from routes_dash import bundled
from routes_dash.contract.load import read_legs, read_people
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.sources import read_sources
from routes_dash.journeys.dataset import data_folder, load_legs_file
from routes_dash.places.files import CACHE_FILE
from routes_dash.places.records import place_key
from routes_dash.render import export


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routes_dash", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check a legs file (and its people file) against the data contract"
    )
    validate.add_argument("legs", type=Path, help="the legs CSV, e.g. data/legs.csv")
    validate.add_argument("--people", type=Path, help="the people CSV that describes its persons")
    validate.add_argument(
        "--sources", type=Path,
        help="the sources CSV whose ids the legs and people cite (default with --curated: "
        "sources.csv beside the legs file)")
    validate.add_argument(
        "--curated", action="store_true",
        help="require certainty and source on every leg and a sources CSV, as the curated "
        "data does",
    )
    validate.set_defaults(run=_validate)
    app = commands.add_parser(
        "app", help="serve the dashboard (the packaged page) with Streamlit",
        description="Serve the dashboard on the bundled data, or on the folder named by "
        "ROUTES_DASH_DATA. Options after `app` go to `streamlit run`, e.g. "
        "`routes-dash app --server.port 8502`.",
    )
    app.set_defaults(run=_app)

    geocode = commands.add_parser(
        "geocode",
        help="resolve every place of a legs file to coordinates and keep them in the cache",
        description="Resolve every place of a legs file through curated places, the cache, "
        "the offline gazetteer and (with --online) Nominatim, and keep what was looked up in "
        "the cache. Exit 0 when every place is resolved, 2 when some are not, 1 on bad input.",
    )
    geocode.add_argument(
        "legs", type=Path, nargs="?",
        help="the legs CSV (default: data/legs.csv, or legs.csv in $ROUTES_DASH_DATA)",
    )
    geocode.add_argument(
        "--cache", type=Path, help="the cache file (default: geocache.csv beside the legs file)"
    )
    geocode.add_argument(
        "--curated", type=Path,
        help="curated places (default: places_curated.csv beside the legs file, else the "
        "bundled data/places_curated.csv)",
    )
    geocode.add_argument(
        "--online", action="store_true",
        help="also ask Nominatim (OpenStreetMap) for places the offline providers miss: "
        "at most 1 request per second; needs the network",
    )
    geocode.add_argument(
        "--check", action="store_true",
        help="look nothing up and write nothing: exit 0 only when the cache already covers "
        "every place of the file",
    )
    geocode.add_argument(
        "--retry-misses", action="store_true",
        help="look up again the places the cache records as misses",
    )
    geocode.add_argument(
        "--stats", action="store_true",
        help="print the offline gazetteer's size and load time, and exit",
    )
    geocode.set_defaults(run=_geocode)
    exporting = commands.add_parser(
        "export", help="write the legs in a format another tool opens (and a README.txt)",
        description="Write the legs in a format another tool opens. A README.txt beside the "
        "files says what was left out and why.",
    )
    exporting.add_argument(
        "format", choices=list(export.FORMATS),
        help="; ".join(f"{f.name}: {f.opens_in}" for f in export.FORMATS.values()))
    exporting.add_argument("--out", type=Path, required=True,
                           help="the folder to write into (created if needed)")
    exporting.add_argument(
        "--legs", type=Path, default=None,
        help="the legs CSV (default: the bundled data/legs.csv); the people.csv and "
        "geocache.csv of its folder are used",
    )
    exporting.add_argument(
        "--person", action="append", default=None, metavar="SLUG",
        help="only this person's legs (repeat for several); e.g. `export story --person "
        "ji-young` writes one printable story handout")
    exporting.set_defaults(run=_export)

    # Options after `app` belong to `streamlit run`; any other command takes only its own.
    args, extra = parser.parse_known_args(argv)
    if args.command == "app":
        args.streamlit_options = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.run(args)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1


def _validate(args: argparse.Namespace) -> int:
    sources_path = args.sources or (args.legs.parent / "sources.csv" if args.curated else None)
    if args.curated and not sources_path.is_file():
        raise DataError([Problem(sources_path.name, f"no such file: {sources_path}; the "
                                 "curated data cites every source by its id there")])
    sources = read_sources(sources_path) if sources_path else None
    people = read_people(args.people, sources=sources) if args.people else None
    legs = read_legs(args.legs, people=people, sources=sources,
                     require_provenance=args.curated)
    unknown_years = int(legs["year"].isna().sum())
    print(
        f"{args.legs}: valid: {len(legs)} legs of {legs['person'].nunique()} people"
        + (f", {unknown_years} of unknown year" if unknown_years else "")
        + (f"; {args.people}: {len(people)} people" if people is not None else "")
        + (f"; {sources_path}: {len(sources)} sources" if sources is not None else "")
    )
    return 0


def _app(args: argparse.Namespace) -> int:
    # The page's own .streamlit/config.toml, beside it in the package, sets the server up.
    command = [sys.executable, "-m", "streamlit", "run", str(bundled.PAGE),
               *args.streamlit_options]
    os.execv(sys.executable, command)


def _geocode(args: argparse.Namespace) -> int:
    from routes_dash.places import files, gazetteer, resolver
    from routes_dash.places.countries import GazetteerFileError
    from routes_dash.places.online import OnlineGeocoder

    # geopy logs each retry with a traceback; the report below says what failed.
    logging.getLogger("geopy").addHandler(logging.NullHandler())
    logging.getLogger("geopy").propagate = False
    try:
        if args.stats:
            return _gazetteer_stats(gazetteer)
        legs_path = args.legs or data_folder() / "legs.csv"
        legs = read_legs(legs_path)
        cache_path, curated_path = files.data_paths(legs_path.parent)
        report = resolver.resolve_places(
            resolver.distinct_places(legs),
            cache_path=args.cache or cache_path,
            curated_path=args.curated or curated_path,
            online=OnlineGeocoder() if args.online and not args.check else False,
            lookup=not args.check,
            retry_misses=args.retry_misses,
        )
    except GazetteerFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _print_report(legs_path, legs, report, check=args.check)
    if report.write_error:
        print(f"error: {report.write_error}", file=sys.stderr)
        return 1
    return 0 if report.complete else 2


def _print_report(legs_path, legs, report, *, check: bool) -> None:
    places = len(report.places)
    line = f"{legs_path}: {places} places; {len(report.from_cache)} from the cache"
    if check:
        line += f", {len(report.not_cached)} not in it"
    else:
        line += f", {len(report.looked_up)} looked up" + _by_provider(report)
    print(line)
    for failure in report.failures:
        print(f"  failed: {failure.place}: {failure.provider}: {failure.error}: "
              f"{failure.message}")
    missing = [r for r in report.places if r.place in report.not_cached] if check else []
    unresolved = [r for r in report.unresolved if r not in missing]
    for title, rows in (("not in the cache", missing), ("unresolved", unresolved)):
        if rows:
            print(f"{title} ({len(rows)}):")
        for resolution in rows:
            reason = report.reason(resolution.place)
            print(f"  {resolution.place}" + (f": {reason}" if reason else ""))
            print(f"    used by {_uses(legs, resolution.place)}")
    if any(r.provider == "nominatim" for r in report.looked_up):
        print("online results from Nominatim: data © OpenStreetMap contributors, ODbL 1.0 "
              "(https://osm.org/copyright)")
    if report.written:
        print(f"wrote {report.cache_path}")
    elif check:
        print(f"{report.cache_path}: " + ("covers every place" if report.complete
                                          else "does not cover every place; run "
                                          "`python -m routes_dash geocode` to update it"))


def _by_provider(report) -> str:
    """' (curated: 2; gazetteer: 20 found, 1 missed)' for what this run looked up."""
    found: dict[str, int] = {}
    missed: dict[str, int] = {}
    for provider, count in report.providers.items():
        if provider.startswith("miss:"):
            missed[provider[len("miss:"):]] = count
        else:
            found[provider] = count
    parts = []
    for provider in sorted(set(found) | set(missed)):
        if provider not in missed:
            parts.append(f"{provider}: {found[provider]}")
        else:
            parts.append(f"{provider}: {found.get(provider, 0)} found, "
                         f"{missed[provider]} missed")
    return f" ({'; '.join(parts)})" if parts else ""


def _uses(legs, place: str) -> str:
    key = place_key(place)
    uses = []
    for person, leg, start, end in legs[["person", "leg", "from", "to"]].itertuples(
        index=False, name=None
    ):
        for side, value in (("from", start), ("to", end)):
            if place_key(value) == key:
                uses.append(f"{person} leg {leg} ({side})")
    shown = ", ".join(uses[:8])
    return shown + (f" … and {len(uses) - 8} more" if len(uses) > 8 else "")


def _gazetteer_stats(gazetteer) -> int:
    from routes_dash.places.countries import COUNTRIES_FILE

    directory = bundled.GAZETTEER
    started = time.perf_counter()
    data = gazetteer.GazetteerData(directory)
    seconds = time.perf_counter() - started
    for name in (gazetteer.PLACES_FILE, COUNTRIES_FILE, gazetteer.REGIONS_FILE):
        path = directory / name
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB")
    print(f"{data.size:,} places, {len(data.countries)} countries; "
          f"loaded in {seconds * 1000:.0f} ms (once per process, on the first lookup)")
    probes = ["Hoeryong, North Korea", "Ulan Bator", "Huay Xai, Laos", "Springfield"]
    finder = gazetteer.Gazetteer(directory)
    finder.search(probes[0])
    started = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        for probe in probes:
            finder.search(probe)
    per_lookup = (time.perf_counter() - started) / (rounds * len(probes))
    print(f"a lookup takes {per_lookup * 1e6:.0f} µs")
    return 0


def _export(args: argparse.Namespace) -> int:
    args.legs = args.legs or data_folder() / "legs.csv"
    dataset = load_legs_file(args.legs)
    legs = dataset.legs
    if args.person:
        known = set(legs["person"])
        unknown = [p for p in args.person if p not in known]
        if unknown:
            print(f"--person {', '.join(map(repr, unknown))}: not in {args.legs} (column "
                  f"person); its people are: {', '.join(sorted(known))}", file=sys.stderr)
            return 1
        legs = legs[legs["person"].isin(args.person)]
    view = export.View(data=export.data_label(dataset.origin), sources=dataset.sources)
    files = export.export_files([args.format], legs, dataset.people, view=view)
    inputs = {p.resolve() for p in (args.legs, args.legs.parent / "people.csv",
                                    args.legs.parent / "sources.csv",
                                    args.legs.parent / CACHE_FILE)}
    clash = sorted(name for name in files if (args.out / name).resolve() in inputs)
    if clash:
        print(f"{args.out}: would overwrite the input file(s) {', '.join(clash)}; "
              "choose another --out folder", file=sys.stderr)
        return 1
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (args.out / name).write_bytes(data)
            print(args.out / name)
    except OSError as error:
        print(f"{args.out}: cannot write the export: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
