"""sources.csv: the sources legs and people cite by id, checked, and the ids a `source`
cell names.

A `source` cell names one id or several joined by `;` when the data has a sources.csv;
without one (an upload may have none) it is free text or a URL, shown as written.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from routes_dash.contract import schema, table
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.rows import SPACE, normalised, row_problems
from routes_dash.contract.table import Source
from routes_dash.contract.urls import web_urls

# "Did you mean" compares an unknown id with every known one: it is offered for the first few
# unknown ids only, and only against a sources file of ordinary size.
_HINTS = 5
_HINT_POOL = 1_000
_DATE = "[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"


def read_sources(source: Source, *, file_name: str | None = None) -> pd.DataFrame:
    """Read and validate a sources file: unique ids, known kinds, dates as YYYY, YYYY-MM or
    YYYY-MM-DD, web addresses only (http or https). Raises `DataError` naming every
    problem."""
    name = table.file_name(source, file_name, "sources.csv")
    frame = table.contract_table(source, name, schema.SOURCES_REQUIRED,
                                 schema.SOURCES_OPTIONAL)
    frame["kind"] = normalised(frame["kind"])
    problems = []
    for column in schema.SOURCES_REQUIRED:
        problems += row_problems(
            frame, frame[column] == "", column, name,
            lambda _value, column=column: f"is empty; every source needs a {column}")
    repeated = frame["id"].duplicated(keep="first") & (frame["id"] != "")
    problems += row_problems(frame, repeated, "id", name,
                             lambda value: f"the id '{value}' is used by an earlier row too")
    spaced = frame["id"].str.contains(f"[{SPACE}{re.escape(schema.SOURCE_SEPARATOR)}]")
    problems += row_problems(
        frame, spaced, "id", name,
        lambda value: f"'{value}' is not an id: ids have no spaces and no "
                      f"'{schema.SOURCE_SEPARATOR}' (e.g. telegraph-2014-park)")
    problems += row_problems(
        frame, (frame["kind"] != "") & ~frame["kind"].isin(schema.SOURCE_KINDS), "kind", name,
        lambda value: f"'{value}' is not a kind of source; allowed: "
                      + ", ".join(schema.SOURCE_KINDS))
    for column in ("date", "accessed"):
        problems += row_problems(
            frame, (frame[column] != "") & ~frame[column].str.fullmatch(_DATE), column, name,
            lambda value: f"'{value}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, or "
                          "leave it empty")
    problems += row_problems(
        frame, (frame["url"] != "") & ~web_urls(frame["url"]), "url", name,
        lambda value: f"'{value}' is not a web address; only http:// and https:// links "
                      "are allowed")
    if problems:
        raise DataError(problems)
    return frame.reset_index(drop=True)


def cited_ids(cell: str) -> list[str]:
    """The ids a `source` cell names, in order: 'a; b' → ['a', 'b']."""
    return [part.strip() for part in str(cell).split(schema.SOURCE_SEPARATOR) if part.strip()]


def unknown_ids(frame: pd.DataFrame, column: str, sources: pd.DataFrame,
                name: str) -> list[Problem]:
    """A problem for each row whose `column` names an id sources.csv does not have."""
    known = sources["id"]
    # Each distinct cell once (a large file repeats a few citations many times), its ids
    # split, flattened and looked up in Arrow (pyarrow comes with Streamlit).
    codes, distinct = pd.factorize(frame[column])
    ids = pd.Series(distinct).astype("large_string[pyarrow]").str.split(schema.SOURCE_SEPARATOR)
    ids = ids.explode().str.strip()
    unknown = ((ids != "") & ~ids.isin(known)).groupby(level=0).any()
    bad = pd.Series(unknown.to_numpy(dtype=bool)[codes], index=frame.index)
    hints: dict[str, str] = {}

    def describe(cell: str) -> str:
        cited = cited_ids(cell)
        found = set(known[known.isin(cited)])
        missing = next(i for i in cited if i not in found)
        if missing not in hints and len(hints) < _HINTS and len(known) <= _HINT_POOL:
            close = difflib.get_close_matches(missing, list(known), n=1)
            hints[missing] = f" (did you mean '{close[0]}'?)" if close else ""
        return (f"'{missing}' is not an id in sources.csv{hints.get(missing, '')}; a source "
                f"names ids of sources.csv, several joined by '{schema.SOURCE_SEPARATOR}'")

    return row_problems(frame, bad, column, name, describe)
