"""A CSV file of the contract, from a path or bytes, as a frame of stripped strings.

Parsing, the limits and the header are checked here (decoding in `text`), before any column
rule: every problem is a `Problem` naming the file (and the row or column where there is one),
raised as `DataError`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as arrow_csv

from routes_dash.contract import schema
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.rows import row_problems
from routes_dash.contract.text import (
    INVISIBLE,
    INVISIBLE_CLASS,
    Source,
    has_invisible,
    invisible_name,
    read_decoded,
    shown,
)


def contract_table(source: Source, name: str, required, optional) -> pd.DataFrame:
    """The file's table with every required column (else the problems), optional ones added
    empty where the file has none."""
    frame = read_table(source, name, required)
    if frame.empty:
        raise DataError([Problem(name, "has a header row but no rows of data; add at least "
                                       "one row below the header")])
    for column in optional:
        if column not in frame:
            frame[column] = ""
    return frame


def file_name(source: Source, given: str | None, default: str) -> str:
    if given:
        return given
    if isinstance(source, str | Path):
        return Path(source).name
    return default


def read_table(source: Source, name: str, required: Iterable[str] = ()) -> pd.DataFrame:
    """Bytes or a path → a frame of stripped strings with lower-case column names, its index
    the rows as a spreadsheet numbers them (the header is row 1). `required` columns must be
    in the header.

    Each limit is checked before the work it bounds: the size before reading, the header
    (its number of columns, the required ones, none twice) before parsing, the number of rows
    while parsing (never more than the limit and one are parsed), the length of cells as soon
    as the file is split into cells, before any value is read.
    """
    text, utf8 = read_decoded(source, name)
    _check_header(text, name, required)
    try:
        table = _strict_csv_cells(utf8)
        if table is None:
            # header=None: the header is read as a row too, so the C parser refuses any later
            # row that has more cells than the header instead of silently dropping or
            # shifting them.
            table = pd.read_csv(
                io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                skip_blank_lines=True, index_col=False, nrows=schema.MAX_ROWS + 2,
            )
    except pd.errors.EmptyDataError:
        raise DataError([Problem(name, "the file is empty; it needs a header row")]) from None
    except (pd.errors.ParserError, csv.Error, ValueError) as error:
        raise DataError([_parser_problem(name, error)]) from None
    if len(table) > schema.MAX_ROWS + 1:
        raise DataError([Problem(name, f"has more than {schema.MAX_ROWS:,} rows; at most "
                                       f"{schema.MAX_ROWS:,} are allowed")])
    header = _titles(table.iloc[0].fillna(""))
    # Again on the parsed header: a header the csv module could not split (a lone carriage
    # return, say) was let through above for the parser to read or name.
    _refuse_bad_header(header, name, required)
    frame = table.iloc[1:].fillna("")
    frame.columns = range(len(header))
    # Number rows as a spreadsheet shows them: the header is row 1, the first leg row 2.
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    problems = _long_cells(frame, header, name)
    if problems:
        raise DataError(problems)
    frame = frame.apply(lambda column: column.str.strip())
    problems = _unnamed_values(header, frame, name)
    if has_invisible(utf8):
        problems += _invisible_cells(frame, header, name)
    if problems:
        raise DataError(problems)
    frame = frame[[i for i, title in enumerate(header) if title]]
    frame.columns = [title for title in header if title]
    return frame


def _strict_csv_cells(data: bytes) -> pd.DataFrame | None:
    """Every row's cells (the header's too) as pyarrow's CSV parser reads them, columns
    numbered from 0; None, for pandas' C parser to read, unless both parsers read the file
    alike. pyarrow reads 100,000 legs in a fifth of the C parser's time, and differs from it
    only on files outside the common form: a quote that is not a quoted field's start, end
    or a doubled quote inside one (an unclosed quote at the end of the file, say), a line
    ending in a lone carriage return, a row with a different number of cells, one column
    (lines of spaces). Those still go to the C parser, which accepts or names them as
    before. The row limit holds too: a file with more lines than it allows is not given to
    a parser that reads to the end. `data`: the file's text as UTF-8."""
    if data.count(b"\n") > schema.MAX_ROWS + 1 or not _strictly_quoted(data):
        return None
    try:
        table = arrow_csv.read_csv(io.BytesIO(data), read_options=_ARROW_READ,
                                   parse_options=_ARROW_PARSE, convert_options=_ARROW_CONVERT)
    except pa.ArrowInvalid:
        return None
    if not 2 <= table.num_columns <= schema.MAX_COLUMNS:
        return None
    cells = table.to_pandas()
    cells.columns = range(table.num_columns)
    return cells


_ARROW_READ = arrow_csv.ReadOptions(autogenerate_column_names=True)
_ARROW_PARSE = arrow_csv.ParseOptions(newlines_in_values=True)
# Every cell a string as written: no type guessed, no empty or "NA" cell read as missing.
_ARROW_CONVERT = arrow_csv.ConvertOptions(
    column_types={f"f{i}": pa.string() for i in range(schema.MAX_COLUMNS)},
    null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False)
_QUOTE, _FIELD_ENDS = ord('"'), np.frombuffer(b",\n\r", dtype=np.uint8)


def _strictly_quoted(data: bytes) -> bool:
    """Whether every quote of a CSV file opens or closes a quoted field or doubles a quote
    inside one, and every line ends in LF or CRLF.

    Counted in order, the quotes of such a file pair up: each odd one opens a field (a field
    starts before it) and each even one closes it (the field ends after it), unless the two
    stand side by side, a quote doubled inside the field."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    byte = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(byte == _QUOTE)
    if len(quotes) % 2:
        return False
    opening, closing = quotes[0::2], quotes[1::2]
    # The byte before each opening quote and after each closing one; the file's start and
    # end count as field ends.
    last = len(byte) - 1
    before = np.where(opening > 0, byte[opening - 1], _FIELD_ENDS[0])
    after = np.where(closing < last, byte[np.minimum(closing + 1, last)], _FIELD_ENDS[0])
    doubled = opening[1:] == closing[:-1] + 1
    opens = np.isin(before, _FIELD_ENDS)
    opens[1:] |= doubled
    closes = np.isin(after, _FIELD_ENDS)
    closes[:-1] |= doubled
    return bool(opens.all() and closes.all())


def _titles(cells) -> list[str]:
    """Column names as the contract matches them: lower case, single spaces."""
    return [" ".join(str(cell).split()).lower() for cell in cells]


def _check_header(text: str, name: str, required: Iterable[str]) -> None:
    """Refuse a header of more than MAX_COLUMNS cells, without a required column or with a
    column twice, reading no further than a header within the limits can reach."""
    reach = (schema.MAX_COLUMNS + 1) * (schema.MAX_CELL_CHARS + 3)
    records = csv.reader(io.StringIO(text[:reach]))
    try:
        header = next((cells for cells in records if cells), [])
    except csv.Error:
        return  # the parser names what is wrong with it
    if len(header) > schema.MAX_COLUMNS:
        cut = len(text) > reach and "\n" not in text[:reach]
        raise DataError([Problem(
            name, f"has {len(header):,}{' or more' if cut else ''} columns; at most "
            f"{schema.MAX_COLUMNS} are allowed", row=1)])
    _refuse_bad_header(_titles(header), name, required)


def _refuse_bad_header(titles: list[str], name: str, required: Iterable[str]) -> None:
    problems = _missing_columns([t for t in titles if t], required, name)
    twice = sorted({title for title in titles if title and titles.count(title) > 1})
    problems += [Problem(name, f"the column '{title}' appears twice in the header", row=1,
                         column=title) for title in twice]
    if problems:
        raise DataError(problems)


def _long_cells(frame: pd.DataFrame, header: list[str], name: str) -> list[Problem]:
    limit = schema.MAX_CELL_CHARS
    def start(value: str) -> str:
        return shown(value[:40]) + "…"

    problems = [Problem(name, f"a column name has {len(title):,} characters; at most "
                              f"{limit:,} are allowed", row=1, value=start(title))
                for title in header if len(title) > limit]
    for position, title in enumerate(header):
        lengths = frame[position].str.len()
        if lengths.max() > limit:
            problems += row_problems(
                frame, lengths > limit, position, name,
                lambda value: f"'{start(value)}' has {len(value):,} characters; at most "
                              f"{limit:,} are allowed in one cell",
                shown=start, label=title or f"column {position + 1}")
    return problems


def _invisible_cells(frame: pd.DataFrame, header: list[str], name: str) -> list[Problem]:
    def describe(value: str) -> str:
        return (f"'{shown(value)}' holds an invisible character ({invisible_name(value)}) "
                "that can make it look like another value or show reversed; delete it")

    problems = [Problem(name, describe(title), row=1, value=shown(title))
                for title in header if INVISIBLE.search(title)]
    for position, title in enumerate(header):
        problems += row_problems(
            frame, frame[position].str.contains(INVISIBLE_CLASS, regex=True), position, name,
            describe, shown=shown, label=title or f"column {position + 1}")
    return problems


def _unnamed_values(header: list[str], frame: pd.DataFrame, name: str) -> list[Problem]:
    return [Problem(name, f"column {position + 1} has values but no name in the header row",
                    row=1)
            for position, title in enumerate(header)
            if not title and (frame[position] != "").any()]


def _parser_problem(name: str, error: Exception) -> Problem:
    message = str(error).strip()
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if ragged:
        cells, line, seen = ragged.groups()
        return Problem(
            name,
            f"has {seen} cells but the header has {cells}; "
            "a value that contains a comma must be in double quotes",
            row=int(line),
        )
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:  # pandas counts rows from 0, the header's
        return Problem(name, "cannot be read as CSV: a quote opened in this row is never "
                             "closed; a value in quotes must end with a quote too",
                       row=int(unclosed.group(1)) + 1)
    return Problem(
        name,
        f"cannot be read as CSV ({message.splitlines()[-1] if message else type(error).__name__})"
        "; check that quotes are closed and every row has as many cells as the header",
    )

def _missing_columns(present: list[str], required: Iterable[str], name: str
                     ) -> list[Problem]:
    shown_header = ", ".join(title if len(title) <= 40 else title[:40] + "…"
                             for title in present)
    problems = [
        Problem(name, f"the required column '{column}' is missing; the header has: "
                      + shown_header, column=column)
        for column in required
        if column not in present
    ]
    if problems and len(present) == 1:
        header = present[0]
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if delimiter in header:
                problems.insert(
                    0,
                    Problem(name, f"the header is separated by {label}; save the file with commas"),
                )
                break
    return problems
