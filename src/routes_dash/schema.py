"""The data contract of legs.csv and people.csv (see DESIGN.md), and the error it raises.

Everything here is plain data: the allowed values, the column rules, the limits, and the
`DataError` that carries every problem found in a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MODES = (
    "on foot",
    "river crossing",
    "train",
    "bus",
    "car",
    "boat",
    "plane",
    "detention transfer",
    "deportation",
    "trafficked",
    "unknown",
)
OUTCOMES = (
    "crossed",
    "arrived",
    "caught",
    "repatriated",
    "detained",
    "released",
    "trafficked",
    "hiding",
    "turned back",
    "asylum",
    "resettled",
    "unknown",
)
# Finest first: a leg is never drawn finer than its precision.
PRECISIONS = ("exact", "city", "province", "country")
DEFAULT_PRECISION = "city"
CERTAINTIES = ("seed", "public", "uncertain", "disputed")

# Outcomes a reader must not miss on the map and in tables.
ALARMING_OUTCOMES = ("caught", "repatriated", "detained", "trafficked", "turned back")

LEG_REQUIRED = ("person", "leg", "from", "to", "mode", "year", "outcome")
LEG_OPTIONAL = ("year_end", "precision", "certainty", "source", "note")
LEG_COLUMNS = LEG_REQUIRED + LEG_OPTIONAL
# Columns the curated file must fill on every row: real people need their sources.
PROVENANCE = ("certainty", "source")

PEOPLE_REQUIRED = ("person", "name")
PEOPLE_OPTIONAL = ("born", "anonymized", "summary", "source")
PEOPLE_COLUMNS = PEOPLE_REQUIRED + PEOPLE_OPTIONAL

# Enum columns of legs.csv and the values each allows.
LEG_ENUMS = {
    "mode": MODES,
    "outcome": OUTCOMES,
    "precision": PRECISIONS,
    "certainty": CERTAINTIES,
}

TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0", "")

FIRST_YEAR = 1945  # the division of Korea; no journey in this story starts earlier

# One place for the limits on what a user may load (the upload limit in
# .streamlit/config.toml is the same number of megabytes).
MAX_FILE_MB = 25
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_ROWS = 250_000


def last_year() -> int:
    """The latest plausible year: this year."""
    return dt.date.today().year


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as a spreadsheet user would look for it."""

    file: str
    message: str
    row: int | None = None  # as a spreadsheet shows it: the header is row 1
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """A file does not follow the data contract; `problems` lists every reason."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        # File-wide problems first, then row by row as the reader scrolls the sheet.
        self.problems = tuple(sorted(problems, key=lambda p: p.row or 0))
        super().__init__("\n".join(str(p) for p in self.problems))
