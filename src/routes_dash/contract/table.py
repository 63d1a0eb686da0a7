"""A CSV file of the contract, from a path or bytes, as a frame of stripped strings.

Decoding, parsing and the header are checked here, before any column rule: every problem is
a `Problem` naming the file (and the row or column where there is one), raised as `DataError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from routes_dash.contract import schema
from routes_dash.contract.problems import DataError, Problem

Source = str | Path | bytes


def contract_table(source: Source, name: str, required, optional) -> pd.DataFrame:
    """The file's table with every required column (else the problems), optional ones added
    empty where the file has none."""
    frame = _read_table(source, name)
    problems = _missing_columns(frame, required, name)
    if problems:
        raise DataError(problems)
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


def _read_table(source: Source, name: str) -> pd.DataFrame:
    """Bytes or a path → a frame of stripped strings with lower-case column names."""
    data = _read_bytes(source, name)
    text = _decode(data, name)
    try:
        # header=None: the header is read as a row too, so the C parser refuses any later row
        # that has more cells than the header instead of silently dropping or shifting them.
        table = pd.read_csv(
            io.StringIO(text), header=None, dtype=str, keep_default_na=False,
            skip_blank_lines=True, index_col=False,
        )
    except pd.errors.EmptyDataError:
        raise DataError([Problem(name, "the file is empty; it needs a header row")]) from None
    except (pd.errors.ParserError, csv.Error, ValueError) as error:
        raise DataError([_parser_problem(name, error)]) from None
    header = [" ".join(str(c).split()).lower() for c in table.iloc[0]]
    frame = table.iloc[1:].fillna("")
    frame.columns = range(len(header))
    for column in frame:
        frame[column] = frame[column].astype(str).str.strip()
    problems = _header_problems(header, frame, name)
    if problems:
        raise DataError(problems)
    frame = frame[[i for i, title in enumerate(header) if title]]
    frame.columns = [title for title in header if title]
    if len(frame) > schema.MAX_ROWS:
        raise DataError(
            [Problem(name, f"has {len(frame):,} rows; at most {schema.MAX_ROWS:,} are allowed")]
        )
    # Number rows as a spreadsheet shows them: the header is row 1, the first leg row 2.
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _header_problems(header: list[str], frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    seen = set()
    for position, title in enumerate(header):
        if not title and (frame[position] != "").any():
            problems.append(Problem(
                name, f"column {position + 1} has values but no name in the header row", row=1))
        if title and title in seen:
            problems.append(Problem(
                name, f"the column '{title}' appears twice in the header", row=1, column=title))
        seen.add(title)
    return problems


def _read_bytes(source: Source, name: str) -> bytes:
    too_big = Problem(
        name, f"is larger than {schema.MAX_FILE_MB} MB, the most this dashboard reads"
    )
    if isinstance(source, bytes):
        if len(source) > schema.MAX_FILE_BYTES:
            raise DataError([too_big])
        return source
    path = Path(source)
    try:
        if path.stat().st_size > schema.MAX_FILE_BYTES:
            raise DataError([too_big])
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, f"no such file: {path}")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, f"{path} is a folder, not a file")]) from None
    except OSError as error:
        raise DataError([Problem(name, f"cannot be read: {error.strerror}")]) from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Spreadsheets' "Unicode text" export: the byte-order mark makes the encoding certain.
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            problem = Problem(name, "starts as UTF-16 text but is not valid UTF-16")
            raise DataError([problem]) from None
    if b"\x00" in data[:65536]:
        raise DataError(
            [Problem(name, "is not a text file (it holds binary data); save it as CSV (UTF-8)")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise DataError(
            [
                Problem(
                    name,
                    f"is not UTF-8 text (byte 0x{byte} cannot be read); "
                    "save it as 'CSV UTF-8' and load it again",
                    row=row,
                )
            ]
        ) from None
    if not text.strip():
        raise DataError([Problem(name, "the file is empty; it needs a header row")])
    return text


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
    return Problem(
        name,
        f"cannot be read as CSV ({message.splitlines()[-1] if message else type(error).__name__})"
        "; check that quotes are closed and every row has as many cells as the header",
    )

def _missing_columns(frame: pd.DataFrame, required: Iterable[str], name: str) -> list[Problem]:
    present = list(frame.columns)
    problems = [
        Problem(
            name,
            f"the required column '{column}' is missing; the header has: "
            + ", ".join(present),
            column=column,
        )
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
