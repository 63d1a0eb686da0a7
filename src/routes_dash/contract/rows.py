"""Checks shared by every table of the contract: values matched case- and space-insensitively,
and one problem per bad row, capped, so a file of 250,000 bad rows gets a readable message."""

from __future__ import annotations

import pandas as pd

from routes_dash.contract.problems import Problem

# Past this many rows with the same problem, one line sums up the rest.
PROBLEMS_PER_RULE = 20


def normalised(values: pd.Series) -> pd.Series:
    """Lower case, single spaces: values are matched case- and space-insensitively.

    The result keeps the column's string dtype (pandas' `str`): grouping, counting and
    comparing it is several times faster than on Python objects.
    """
    # A large file repeats a few values many times: normalise each distinct value once.
    codes, distinct = pd.factorize(values)
    if (codes < 0).any():
        return values.str.lower().str.split().str.join(" ").astype(values.dtype)
    done = pd.Series(distinct, dtype=values.dtype).str.lower().str.split().str.join(" ")
    return pd.Series(done.to_numpy()[codes], index=values.index).astype(values.dtype)


def row_problems(frame, mask, column, name, describe) -> list[Problem]:
    """One problem per flagged row, up to PROBLEMS_PER_RULE, then one line for the rest."""
    rows = frame.index[mask.to_numpy()]
    problems = [
        Problem(name, describe(frame.at[row, column]), row=int(row), column=column,
                value=str(frame.at[row, column]))
        for row in rows[:PROBLEMS_PER_RULE]
    ]
    if len(rows) > PROBLEMS_PER_RULE:
        problems.append(
            Problem(
                name,
                f"… and {len(rows) - PROBLEMS_PER_RULE:,} more rows with the same problem",
                column=column,
            )
        )
    return problems
