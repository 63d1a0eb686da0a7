"""Checks shared by every table of the contract: values matched case- and space-insensitively,
and one problem per bad row, capped, so a file of 250,000 bad rows gets a readable message."""

from __future__ import annotations

import pandas as pd

from routes_dash.contract.problems import Problem

# Past this many rows with the same problem, one line sums up the rest.
PROBLEMS_PER_RULE = 20
# The characters Python's `str.split()` splits on (`str.isspace`), as literal characters, so
# that a pattern using them runs in Arrow's regular expressions (pandas hands `\s` to Python's
# `re`, one value at a time).
SPACE = "\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = f"[{SPACE}]+"


def normalised(values: pd.Series) -> pd.Series:
    """Lower case, single spaces: values are matched case- and space-insensitively.

    The result keeps the column's string dtype (pandas' `str`, in Arrow): lowering, collapsing
    spaces, grouping and comparing it run in Arrow's compiled code, not once per value in
    Python.
    """
    # A large file repeats a few values many times: normalise each distinct value once.
    codes, distinct = pd.factorize(values.fillna(""))
    done = (pd.Series(distinct, dtype=values.dtype).str.lower()
            .str.replace(_SPACES, " ", regex=True).str.strip(" "))
    return pd.Series(done.array.take(codes), index=values.index)


def whole_numbers(text: pd.Series, low: int, high: int) -> pd.Series:
    """Cells written in digits only (2007; not 2007.0, 2e3 or ２００７) from `low` to `high`,
    as nullable integers; anything else is <NA>. Each distinct cell is parsed once."""
    codes, distinct = pd.factorize(text)
    distinct = pd.Series(distinct, dtype=text.dtype)
    digits = distinct.str.fullmatch("[0-9]{1,9}").fillna(False).astype(bool)
    number = pd.to_numeric(distinct.where(digits), errors="coerce")
    number = number.where(number.between(low, high)).astype("Int64")
    return pd.Series(number.array.take(codes), index=text.index)


def row_problems(frame, mask, column, name, describe, *, shown=str, label=None
                 ) -> list[Problem]:
    """One problem per flagged row, up to PROBLEMS_PER_RULE, then one line counting the rest:
    only the examples are formatted, whatever the number of rows.

    `describe(value)` says what is wrong with a cell; `shown(value)` is the value as the
    message shows it; `label` names the column when `column` is a position.
    """
    rows = frame.index[mask.to_numpy(dtype=bool, na_value=False)]
    label = column if label is None else label
    problems = []
    for row in rows[:PROBLEMS_PER_RULE]:
        value = frame.at[row, column]
        problems.append(Problem(name, describe(value), row=int(row), column=label,
                                value=shown(value)))
    return problems + more_problems(name, label, len(rows))


def more_problems(name: str, column: str | None, count: int, unit: str = "rows"
                  ) -> list[Problem]:
    """The line that counts what is past the first PROBLEMS_PER_RULE examples, if anything."""
    more = count - PROBLEMS_PER_RULE
    if more <= 0:
        return []
    return [Problem(name, f"… and {more:,} more {unit} with the same problem", column=column,
                    more=more)]
