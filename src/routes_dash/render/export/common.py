"""What every export format shares: the legs as they may be shown, the notes on what was left
out, CSV cells that no spreadsheet runs as a formula, and small writing helpers."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from routes_dash.contract import schema
from routes_dash.journeys.describe import year_label
from routes_dash.journeys.filters import Filters
from routes_dash.journeys.locate import ENDS
from routes_dash.journeys.notes import counted, view_notes
from routes_dash.journeys.privacy import FINE_PRECISIONS

Files = dict[str, bytes]


TITLE = "Escape routes of North Korean defectors"


# flowmap's flows of unknown year, apart from flows.csv (see tables.to_flowmap).
UNDATED_FLOWS = "flows-undated.csv"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True, eq=False)
class View:
    """What an export is of, beyond its legs: the data they come from and the filters that
    chose them, in words, so that a file names the data it actually holds. The one-file HTML
    also draws the sources and the yearly arrivals."""

    data: str = "legs given to routes_dash"  # where the legs come from: "the bundled journeys"
    filters: str = ""  # the filters that made the view, in words; "" when none is set
    sources: pd.DataFrame | None = None  # sources.csv, when the data has one
    arrivals: pd.DataFrame | None = None  # the yearly arrivals series (HTML only)

    @property
    def title(self) -> str:
        """`Escape routes …: the bundled journeys (person: Yeonmi Park)`."""
        return f"{TITLE}: {self.data}" + (f" ({self.filters})" if self.filters else "")


def data_label(origin: str) -> str:
    """A dataset's `origin` as an export names it: `your file x.csv (this browser session
    only)` → `your file x.csv`."""
    return re.sub(r"\s*\([^()]*\)$", "", origin)


def filters_in_words(filters: Filters, names: Mapping[str, str] | None = None) -> str:
    """The filters a reader chose, in words (`person: Yeonmi Park; years: 1997–2009`); ''
    when every leg is kept."""
    names = names or {}
    parts = []
    for label, values in (("person", [names.get(p, p) for p in filters.people]),
                          ("country", filters.countries), ("mode", filters.modes),
                          ("outcome", filters.outcomes)):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    if filters.years:
        first, last = filters.years
        parts.append(f"years: {first}" if first == last else f"years: {first}–{last}")
    return "; ".join(parts)


# The columns the located legs frame must have; a frame without them is refused.
NEEDED = (*schema.LEG_COLUMNS, "name", "anonymized", "from_lat", "from_lon", "from_country",
          "to_lat", "to_lon", "to_country", "located", "shown_precision", "precision_reduced",
          "citation", "source_links")


LEG_FIELDS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
              "precision", "shown_precision", "precision_reduced", "certainty", "source",
              "citation", "source_links", "note", "from_country", "to_country")


def notes(legs: pd.DataFrame) -> list[str]:
    """Plain sentences on what the exports leave out or show coarser, with counts."""
    return list(_notes(legs).values())


def _notes(legs: pd.DataFrame) -> dict[str, str]:
    """The notes by topic, so that a format can say one of them its own way."""
    _check(legs)
    out = {"count": f"{counted(len(legs), 'leg')} of {counted(legs['person'].nunique(), 'person')}"
                    ", each with its source and how certain it is."}
    words = legs["certainty"].replace("", "not given").value_counts()
    if len(words):
        out["certainty"] = ("How certain: " + ", ".join(
            f"{counted(int(words[w]), 'leg')} {w}" for w in (*schema.CERTAINTIES, "not given")
            if w in words) + ". Each leg's certainty word is in every export; a disputed "
            "leg's note names both versions.")
    unknown = int(legs["year"].isna().sum())
    if unknown:
        out["unknown_year"] = (
            f"{counted(unknown, 'leg')} of unknown year: the year is empty; TimelineJS leaves "
            f"{_them(unknown)} out (it needs a year); flowmap has {_them(unknown)} in "
            f"{UNDATED_FLOWS}, apart from flows.csv, whose time filter cannot place a flow "
            f"without a time; the kepler files give {_them(unknown)} an empty datetime.")
    return {**out, **view_notes(legs)}


def _them(count: int) -> str:
    return "it" if count == 1 else "them"


def shown_legs(legs: pd.DataFrame) -> pd.DataFrame:
    """The legs as they may be shown (`locate_legs` has already coarsened anonymous people's
    places), with `when`, the leg's years as a reader reads them (`2007–2009`,
    `year unknown`)."""
    _check(legs)
    return legs.assign(when=year_label(legs))


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with `'`; all else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (RFC 4180); cells of text columns neutralised, numbers and booleans as is."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column])
                or pd.api.types.is_bool_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise)
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone CR or LF,
    # which Python's csv module leaves bare when the line terminator is "\n" alone.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _check(legs: pd.DataFrame) -> None:
    missing = [c for c in NEEDED if c not in legs.columns]
    if missing:
        raise ValueError("the legs to export lack the column(s) "
                         f"{', '.join(missing)}; export the frame locate_legs makes")
    finer = legs["anonymized"].astype(bool) & legs["shown_precision"].isin(FINE_PRECISIONS)
    if finer.any():
        raise ValueError(f"{int(finer.sum())} legs of anonymous people would be exported "
                         "finer than a province; export the frame locate_legs makes")


def shown_points(located: pd.DataFrame) -> pd.DataFrame:
    """Each distinct shown point: name, country, coarsest shown precision, legs and people."""
    columns = ["lat", "lon", "place", "country", "shown_precision", "reduced", "person"]
    ends = [
        located[[f"{end}_lat", f"{end}_lon", end, f"{end}_country", "shown_precision",
                 "precision_reduced", "person"]].set_axis(columns, axis=1)
        for end in ENDS
    ]
    points = pd.concat(ends, ignore_index=True)
    if points.empty:
        return pd.DataFrame(columns=["lat", "lon", "name", "country", "shown_precision",
                                     "legs", "people"])
    # A point's name: a place as written (not a coarsened one) when there is one.
    points = points.sort_values("reduced", kind="stable")
    rank = {p: i for i, p in enumerate(schema.PRECISIONS)}
    grouped = points.groupby(["lat", "lon"], sort=False)
    return grouped.agg(
        name=("place", "first"),
        country=("country", "first"),
        shown_precision=("shown_precision",
                         lambda s: max(s, key=lambda p: rank.get(p, len(rank)))),
        legs=("place", "size"),
        people=("person", "nunique"),
    ).reset_index()


def _leg_fields(row: dict) -> dict:
    """A leg's fields for JSON: plain types, leg and years as int (years None when unknown)."""
    fields = {key: row[key] for key in LEG_FIELDS}
    fields["leg"] = int(row["leg"])
    fields["year"], fields["year_end"] = _year(row["year"]), _year(row["year_end"])
    fields["precision_reduced"] = bool(row["precision_reduced"])
    return fields


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _year(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _datetime(value: object) -> str:
    return "" if pd.isna(value) else f"{int(value):04d}-01-01 00:00"


def _slug(text: str) -> str:
    """A file- and id-safe form of a name: `Hyesan, North Korea` → `hyesan-north-korea`."""
    return re.sub(r"[^\w]+", "-", str(text).casefold()).strip("-_") or "x"


def _unique(names: Iterable[str]) -> list[str]:
    """The names in order, each one that was already taken suffixed -2, -3 …"""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name}-{number}"
        taken.add(candidate)
        out.append(candidate)
    return out


def _json_bytes(data: object) -> bytes:
    # allow_nan=False: a NaN that slipped through fails here instead of writing invalid JSON.
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
