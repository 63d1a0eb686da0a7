"""Read legs.csv and people.csv from a path or from bytes into validated pandas frames.

Every problem found is collected and raised together as one `DataError`; nothing else
escapes, whatever the file holds.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from routes_dash.contract import schema, table
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.rows import (
    PROBLEMS_PER_RULE,
    more_problems,
    normalised,
    row_problems,
    whole_numbers,
)
from routes_dash.contract.sources import unknown_ids
from routes_dash.contract.table import Source


def read_legs(
    source: Source,
    *,
    file_name: str | None = None,
    people: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    require_provenance: bool = False,
) -> pd.DataFrame:
    """Read and validate a legs file.

    `people`, when given, is a validated people frame every leg's person must be in;
    `sources`, a validated sources frame whose ids every leg's `source` must name.
    `require_provenance` makes `certainty` and `source` required on every row, as they are
    in the curated file. Returns the legs sorted by person and leg, enum columns
    normalised, `leg`/`year`/`year_end` as nullable integers, extra columns kept.
    """
    name = table.file_name(source, file_name, "legs.csv")
    frame = table.contract_table(source, name, schema.LEG_REQUIRED, schema.LEG_OPTIONAL)
    problems: list[Problem] = []
    frame["person"] = normalised(frame["person"])
    for column in schema.LEG_ENUMS:
        frame[column] = normalised(frame[column])
    frame.loc[frame["precision"] == "", "precision"] = schema.DEFAULT_PRECISION

    required = ["person", "leg", "from", "to", "mode", "outcome"]
    if require_provenance:
        required += list(schema.PROVENANCE)
    problems += _empty_cells(frame, required, name)
    problems += _retired_certainties(frame, name)
    for column, allowed in schema.LEG_ENUMS.items():
        # A retired certainty word gets its own message (above), not this one.
        told = schema.RETIRED_CERTAINTIES if column == "certainty" else ()
        problems += _unknown_values(frame, column, allowed + told, name)
    frame["year"], year_problems = _years(frame, "year", name)
    frame["year_end"], end_problems = _years(frame, "year_end", name)
    problems += year_problems + end_problems
    problems += _ends_before_start(frame, name)
    frame["leg"], leg_problems = _leg_numbers(frame, name)
    problems += leg_problems
    if not leg_problems:
        problems += _leg_sequences(frame, name)
    if people is not None:
        problems += _unknown_people(frame, people, name)
    if sources is not None:
        problems += unknown_ids(frame, "source", sources, name)
    if problems:
        raise DataError(problems)
    ordered = list(schema.LEG_COLUMNS) + [c for c in frame if c not in schema.LEG_COLUMNS]
    return frame[ordered].sort_values(["person", "leg"], kind="stable").reset_index(drop=True)


def read_people(source: Source, *, file_name: str | None = None,
                sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate a people file: one row per person id, `anonymized` as a bool.
    `sources`, when given, is a validated sources frame whose ids `source` and
    `since_source` must name."""
    name = table.file_name(source, file_name, "people.csv")
    frame = table.contract_table(source, name, schema.PEOPLE_REQUIRED, schema.PEOPLE_OPTIONAL)
    frame["person"] = normalised(frame["person"])
    problems = _empty_cells(frame, schema.PEOPLE_REQUIRED, name)
    repeated = frame["person"].duplicated(keep="first") & (frame["person"] != "")
    problems += row_problems(
        frame,
        repeated,
        "person",
        name,
        lambda value: f"person '{value}' is described twice; each person needs one row",
    )
    frame["born"], born_problems = _years(frame, "born", name, first=1900)
    problems += born_problems
    flag = normalised(frame["anonymized"])
    allowed_flags = schema.TRUE_WORDS + schema.FALSE_WORDS
    problems += row_problems(
        frame,
        ~flag.isin(allowed_flags),
        "anonymized",
        name,
        lambda value: f"'{value}' is not yes or no; allowed: true, false, yes, no, 1, 0",
    )
    if sources is not None:
        for column in ("source", "since_source"):
            problems += unknown_ids(frame, column, sources, name)
    if problems:
        raise DataError(problems)
    frame["anonymized"] = flag.isin(schema.TRUE_WORDS)
    ordered = list(schema.PEOPLE_COLUMNS) + [
        c for c in frame if c not in schema.PEOPLE_COLUMNS
    ]
    return frame[ordered].reset_index(drop=True)


# --- checks: each vectorised over the whole file, formatting only the examples it shows -------


def _empty_cells(frame: pd.DataFrame, columns: Iterable[str], name: str) -> list[Problem]:
    problems = []
    for column in columns:
        problems += row_problems(
            frame, frame[column] == "", column, name,
            lambda _value, column=column: f"is empty; every row needs a value in '{column}'",
        )
    return problems


def _retired_certainties(frame, name) -> list[Problem]:
    """The old certainty words, refused with what to write instead."""
    meanings = "; ".join(f"'{word}': {meaning}"
                         for word, meaning in schema.CERTAINTY_MEANINGS.items())
    return row_problems(
        frame, frame["certainty"].isin(schema.RETIRED_CERTAINTIES), "certainty", name,
        lambda value: f"'{value}' is a certainty word this dashboard no longer uses; write "
                      f"one of these instead: {meanings}")


def _unknown_values(frame, column, known, name) -> list[Problem]:
    bad = (frame[column] != "") & ~frame[column].isin(known)
    allowed = schema.LEG_ENUMS[column]
    return row_problems(
        frame, bad, column, name,
        lambda value: f"'{value}' is not allowed; allowed: {', '.join(allowed)}",
    )


def _years(frame, column, name, first=schema.FIRST_YEAR) -> tuple[pd.Series, list[Problem]]:
    """Parse a column of years that may be empty (unknown) into nullable integers."""
    last = schema.last_year()
    years = whole_numbers(frame[column], first, last)
    problems = row_problems(
        frame, (frame[column] != "") & years.isna(), column, name,
        lambda value: f"'{value}' is not a year; expected a year from {first} to {last} in "
        "digits (e.g. 2007), or empty when unknown",
    )
    return years, problems


def _ends_before_start(frame: pd.DataFrame, name: str) -> list[Problem]:
    before = (frame["year_end"] < frame["year"]).fillna(False)
    return row_problems(
        frame, before, "year_end", name,
        lambda value: f"{value} is before the leg's start year; year_end is the last year "
        "of a leg that lasted years",
    )


def _leg_numbers(frame: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    # No valid sequence 1, 2, 3 … goes past the row limit.
    number = whole_numbers(frame["leg"], 1, schema.MAX_ROWS)
    problems = row_problems(
        frame, (frame["leg"] != "") & number.isna(), "leg", name,
        lambda value: f"'{value}' is not a leg number; legs are numbered 1, 2, 3 … per person",
    )
    return number, problems


def _leg_sequences(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Each person's legs must be numbered 1, 2, 3 … with no repeat and no gap."""
    legs = frame.loc[(frame["person"] != "") & frame["leg"].notna(), ["person", "leg"]]
    # (person, leg) as one integer: pairs of a string and a number hashed for every leg
    # were most of this check's time.
    person = pd.factorize(legs["person"])[0]
    number = legs["leg"].to_numpy(dtype=np.int64)
    pair = pd.Series(person * (int(number.max(initial=0)) + 1) + number)
    return _repeated_legs(legs, pair, name) + _leg_gaps(legs, person, pair, name)


def _repeated_legs(legs: pd.DataFrame, pair: pd.Series, name: str) -> list[Problem]:
    repeated = legs[pair.duplicated(keep=False).to_numpy()].reset_index(names="row")
    if repeated.empty:
        return []
    first_rows = repeated.groupby(["person", "leg"], sort=False)["row"].min().sort_values()
    shown = first_rows.iloc[:PROBLEMS_PER_RULE]
    examples = repeated[pd.MultiIndex.from_frame(repeated[["person", "leg"]]).isin(shown.index)]
    rows_of = examples.groupby(["person", "leg"])["row"].agg(list)
    problems = [
        Problem(name, f"person '{person}' has leg {leg} more than once (rows "
                      f"{_short_list(rows_of[(person, leg)])})",
                row=int(row), column="leg", value=str(leg))
        for (person, leg), row in shown.items()
    ]
    return problems + more_problems(name, "leg", len(first_rows), "legs")


def _leg_gaps(legs: pd.DataFrame, person: np.ndarray, pair: pd.Series, name: str
              ) -> list[Problem]:
    # A person's numbers run 1 … n with no gap exactly when the highest is their count of
    # distinct numbers; past that count, a row's number is where the gap shows.
    count = np.bincount(person[~pair.duplicated().to_numpy()])[person]
    beyond = legs["leg"] > count
    if not beyond.any():
        return []
    first_rows = (legs.index.to_series()[beyond.to_numpy()]
                  .groupby(legs.loc[beyond, "person"].to_numpy()).min().sort_values())
    shown = first_rows.iloc[:PROBLEMS_PER_RULE]
    numbers = legs[legs["person"].isin(shown.index)].groupby("person")["leg"].unique()
    problems = []
    for person, row in shown.items():
        present = sorted(set(numbers[person]))
        missing = sorted(set(range(1, present[-1] + 1)) - set(present))
        problems.append(Problem(
            name, f"person '{person}' has legs {_short_list(present)}; legs must run 1, 2, 3 … "
                  f"with no gap (missing: {_short_list(missing)})",
            row=int(row), column="leg", value=str(legs.at[row, "leg"])))
    return problems + more_problems(name, "leg", len(first_rows), "people")


def _short_list(numbers: list[int], most: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:most])
    return shown + (f" … ({len(numbers):,} in all)" if len(numbers) > most else "")


def _unknown_people(frame: pd.DataFrame, people: pd.DataFrame, name: str) -> list[Problem]:
    # Looked up in an index of the people: a string column's `isin` with thousands of
    # values took 75 ms at 100,000 legs of 15,000 people, the index 11 ms.
    # Each person once: the index looks up 15,000 names, not 100,000 legs.
    codes, persons = pd.factorize(frame["person"], use_na_sentinel=False)
    known = (pd.Index(people["person"].unique()).get_indexer(persons) >= 0)[codes]
    unknown = (frame["person"] != "") & ~known
    return row_problems(
        frame, unknown, "person", name,
        lambda value: f"person '{value}' is not described in people.csv",
    )
