"""Read legs.csv and people.csv from a path or from bytes into validated pandas frames.

Every problem found is collected and raised together as one `DataError`; nothing else
escapes, whatever the file holds.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from routes_dash.contract import schema, table
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.rows import normalised, row_problems
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


# --- checks -------------------------------------------------------------------------------



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
    text = frame[column]
    number = pd.to_numeric(text, errors="coerce")
    last = schema.last_year()
    valid = number.notna() & (number == number.round()) & number.between(first, last)
    bad = (text != "") & ~valid
    problems = row_problems(
        frame, bad, column, name,
        lambda value: f"'{value}' is not a year; expected a year from {first} to {last}, "
        "or empty when unknown",
    )
    return number.where(valid).astype("Int64"), problems


def _ends_before_start(frame: pd.DataFrame, name: str) -> list[Problem]:
    before = (frame["year_end"] < frame["year"]).fillna(False)
    return row_problems(
        frame, before, "year_end", name,
        lambda value: f"{value} is before the leg's start year; year_end is the last year "
        "of a leg that lasted years",
    )


def _leg_numbers(frame: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    number = pd.to_numeric(frame["leg"], errors="coerce")
    # No valid sequence 1, 2, 3 … goes past the row limit (and "inf" is no leg number).
    valid = number.notna() & (number == number.round()) & number.between(1, schema.MAX_ROWS)
    problems = row_problems(
        frame, (frame["leg"] != "") & ~valid, "leg", name,
        lambda value: f"'{value}' is not a leg number; legs are numbered 1, 2, 3 … per person",
    )
    return number.where(valid).astype("Int64"), problems


def _leg_sequences(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Each person's legs must be numbered 1, 2, 3 … with no repeat and no gap."""
    problems = []
    legs = frame[(frame["person"] != "") & frame["leg"].notna()]
    # Only a person with a repeated leg or a number past their count of legs can break the
    # rule: look at those one by one, not at every person of a large file.
    repeated = legs.duplicated(["person", "leg"], keep=False)
    beyond = legs["leg"] > legs.groupby("person", sort=False)["leg"].transform("size")
    legs = legs[legs["person"].isin(legs.loc[repeated | beyond, "person"])]
    for person, group in legs.groupby("person", sort=True):
        repeated = group[group["leg"].duplicated(keep=False)]
        for leg, rows in repeated.groupby("leg"):
            rows_text = ", ".join(str(r) for r in rows.index)
            problems.append(
                Problem(name, f"person '{person}' has leg {leg} more than once (rows {rows_text})",
                        row=int(rows.index[0]), column="leg", value=str(leg))
            )
        numbers = sorted(set(group["leg"]))
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            first_wrong = group[group["leg"] > len(numbers)].index.min()
            problems.append(
                Problem(
                    name,
                    f"person '{person}' has legs {_short_list(numbers)}; legs must run 1, 2, 3 … "
                    f"with no gap (missing: {_short_list(missing)})",
                    row=int(first_wrong), column="leg",
                )
            )
    return problems


def _short_list(numbers: list[int], most: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:most])
    return shown + (" …" if len(numbers) > most else "")


def _unknown_people(frame: pd.DataFrame, people: pd.DataFrame, name: str) -> list[Problem]:
    unknown = (frame["person"] != "") & ~frame["person"].isin(people["person"])
    return row_problems(
        frame, unknown, "person", name,
        lambda value: f"person '{value}' is not described in people.csv",
    )
