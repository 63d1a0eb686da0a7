"""`python -m routes_dash …`: the command line. Every failure is a message, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from routes_dash import bench, synth
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
    synth.add_command(commands)
    bench.add_command(commands)

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
