"""The data contract of legs.csv and people.csv: the allowed values, the columns, the limits.

Everything here is plain data, the one place each rule is written; the README's "The data"
section describes the same contract for people.
"""

from __future__ import annotations

import datetime as dt

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
# Known only as an area: never drawn or named as if it were a point.
COARSE_PRECISIONS = ("province", "country")
# How certain a leg is, in words a reader understands; the page, the story and every
# export's README.txt show these meanings beside the words.
CERTAINTY_MEANINGS = {
    "documented": "independent records or several independent reports agree.",
    "own account": "from the person's memoir or interviews (and press retelling them), "
                   "not checked independently.",
    "single report": "one report only, not corroborated (e.g. an unsigned news article).",
    "inferred": "this dataset's own deduction; the note says from what.",
    "disputed": "sources disagree; the note names both versions and who says what.",
}
CERTAINTIES = tuple(CERTAINTY_MEANINGS)
# Words of an earlier version of the contract, refused with a message naming the new ones.
RETIRED_CERTAINTIES = ("seed", "public", "uncertain")

# Outcomes a reader must not miss on the map and in tables.
ALARMING_OUTCOMES = ("caught", "repatriated", "detained", "trafficked", "turned back")

LEG_REQUIRED = ("person", "leg", "from", "to", "mode", "year", "outcome")
LEG_OPTIONAL = ("year_end", "precision", "certainty", "source", "note")
LEG_COLUMNS = LEG_REQUIRED + LEG_OPTIONAL
# Columns the curated file must fill on every row: real people need their sources.
PROVENANCE = ("certainty", "source")

PEOPLE_REQUIRED = ("person", "name")
# `since`: one or two sentences on the person's life after the journey (story mode's last
# slide), cited by `since_source`.
PEOPLE_OPTIONAL = ("born", "anonymized", "summary", "source", "since", "since_source")
PEOPLE_COLUMNS = PEOPLE_REQUIRED + PEOPLE_OPTIONAL

# sources.csv: one row per source that legs and people cite by id.
SOURCES_REQUIRED = ("id", "title")
SOURCES_OPTIONAL = ("author", "outlet", "date", "url", "kind", "accessed", "note")
SOURCES_COLUMNS = SOURCES_REQUIRED + SOURCES_OPTIONAL
SOURCE_KINDS = ("news", "memoir", "interview", "encyclopedia", "official", "report",
                "documentary", "other")
# Several sources of one leg or person are joined by this.
SOURCE_SEPARATOR = ";"

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

# One place for the limits on what a user may load; tests/test_limits.py holds
# .streamlit/config.toml (the upload widget) and the README to the same numbers. A megabyte
# is 10^6 bytes, as Streamlit's upload widget counts it in the browser.
MAX_FILE_MB = 25
MAX_FILE_BYTES = MAX_FILE_MB * 1_000_000
MAX_ROWS = 250_000
# The contract has 12 columns; a few more of a user's own are kept. Parsing costs grow with
# rows × columns: at this width a file at the row limit is still read in about 2 s.
MAX_COLUMNS = 20
# The longest cell of the bundled data is under 500 characters (a person's summary).
MAX_CELL_CHARS = 2_000


def last_year() -> int:
    """The latest plausible year: this year."""
    return dt.date.today().year
