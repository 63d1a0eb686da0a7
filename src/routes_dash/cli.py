"""`python -m routes_dash …`: the command line. Every failure is a message, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from routes_dash import export
from routes_dash.dataset import BUNDLED_DATA, load_legs_file
from routes_dash.load import read_legs, read_people
from routes_dash.schema import DataError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routes_dash", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check a legs file (and its people file) against the data contract"
    )
    validate.add_argument("legs", type=Path, help="the legs CSV, e.g. data/legs.csv")
    validate.add_argument("--people", type=Path, help="the people CSV that describes its persons")
    validate.add_argument(
        "--curated", action="store_true",
        help="require certainty and source on every leg, as the curated data does",
    )
    validate.set_defaults(run=_validate)

    exporting = commands.add_parser(
        "export", help="write the legs in a format another tool opens (and a README.txt)",
        description="Write the legs for another tool: csv (spreadsheets), geojson (GIS), "
        "timelinejs, storymap (one file per person), flowmap (flowmap.blue), kepler "
        "(kepler.gl arcs), or all of them. A README.txt beside the files says what was left "
        "out and why.",
    )
    exporting.add_argument("format", choices=[*export.FORMATS, "all"], help="the format")
    exporting.add_argument("--out", type=Path, required=True,
                           help="the folder to write into (created if needed)")
    exporting.add_argument(
        "--legs", type=Path, default=BUNDLED_DATA / "legs.csv",
        help="the legs CSV (default: the bundled data/legs.csv); the people.csv and "
        "geocache.csv of its folder are used",
    )
    exporting.set_defaults(run=_export)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1


def _validate(args: argparse.Namespace) -> int:
    people = read_people(args.people) if args.people else None
    legs = read_legs(args.legs, people=people, require_provenance=args.curated)
    unknown_years = int(legs["year"].isna().sum())
    print(
        f"{args.legs}: valid: {len(legs)} legs of {legs['person'].nunique()} people"
        + (f", {unknown_years} of unknown year" if unknown_years else "")
        + (f"; {args.people}: {len(people)} people" if people is not None else "")
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    dataset = load_legs_file(args.legs)
    files = export.export_files([args.format], dataset.legs, dataset.people)
    inputs = {p.resolve() for p in (args.legs, args.legs.parent / "people.csv",
                                    args.legs.parent / "geocache.csv")}
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
