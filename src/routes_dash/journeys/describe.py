"""Legs as a reader reads them: one line, the years, and the full text of a hover or tooltip."""

from __future__ import annotations

import numpy as np
import pandas as pd

from routes_dash.journeys.grouping import met_in_order
from routes_dash.journeys.privacy import COARSE_PRECISIONS, REDUCED_NOTE


def leg_label(legs: pd.DataFrame) -> pd.Series:
    """One line a person reads: `Hyesan, North Korea → Changbai, China`."""
    return legs["from"] + " → " + legs["to"]


def year_label(legs: pd.DataFrame) -> pd.Series:
    """`2007`, `2007–2009`, or `year unknown`."""
    labels = [_year_text(start, end) for start, end in zip(legs["year"].tolist(),
                                                           legs["year_end"].tolist(), strict=True)]
    return pd.Series(labels, index=legs.index, dtype=str)


def _year_text(start, end) -> str:
    if start is pd.NA or start is None:
        return "year unknown"
    if end is pd.NA or end is None or end == start:
        return str(start)
    return f"{start}–{end}"


def leg_description(legs: pd.DataFrame) -> pd.Series:
    """Plain text that tells a leg with its provenance: tooltips and hover text use it."""
    # Row by row in plain Python: the views describe a few hundred legs at a time (the first
    # legs of each route, a sample of people), where a chain of pandas string operations
    # costs more in overhead than the work itself.
    columns = ["name", "leg", "from", "to", "mode", "outcome", "certainty", "citation", "note",
               "shown_precision", "precision_reduced"]
    rows = zip(*(legs[c].tolist() for c in columns), year_label(legs).tolist(), strict=True)
    texts = []
    for (name, leg, start, end, mode, outcome, certainty, cited, note, shown, reduced,
         years) in rows:
        text = (f"{name} · leg {leg}\n{start} → {end}\n{mode} · {years} · {outcome}\n"
                f"certainty: {certainty or 'not given'}"
                f"{' (DISPUTED)' if certainty == 'disputed' else ''}\n"
                f"source: {cited or 'not given'}")
        if note != "":
            text += "\n" + note
        precision = _precision_text(shown, reduced)
        if precision:
            text += "\n" + precision
        texts.append(text)
    return pd.Series(texts, index=legs.index, dtype=str)


def precision_note(legs: pd.DataFrame) -> pd.Series:
    """How finely each leg's places are shown, when not as points: `places known only at
    country level`, or why they were coarsened; empty otherwise."""
    return pd.Series([_precision_text(shown, reduced) for shown, reduced in zip(
        legs["shown_precision"].tolist(), legs["precision_reduced"].tolist(), strict=True)],
        index=legs.index, dtype=str)


def _precision_text(shown: str, reduced: bool) -> str:
    if reduced:
        return REDUCED_NOTE
    return f"places known only at {shown} level" if shown in COARSE_PRECISIONS else ""


def view_summary(legs: pd.DataFrame, most_named: int = 3) -> str:
    """The view in words: `8 legs of Yeonmi Park, 2007–2009 (1 of unknown year), in North
    Korea, China, Mongolia and South Korea`. Up to `most_named` people (and one more country)
    are named, in the order met; past that they are counted."""
    # Counted first: Python strings are made of the names only when there are few to name.
    count = legs["name"].nunique()
    people = (_listed(legs["name"].unique().tolist(), most_named, "people")
              if count <= most_named else f"{count:,} people")
    countries = [c for c in met_in_order(legs["from_country"], legs["to_country"]) if c]
    text = f"{len(legs):,} {'leg' if len(legs) == 1 else 'legs'} of {people}"
    starts, ends = _years(legs)
    span = _known_span(starts, ends)
    unknown = int(np.isnan(starts).sum())
    if span:
        text += ", " + span
        if unknown:
            text += f" ({unknown:,} of unknown year)"
    elif unknown:
        text += ", year unknown"
    if countries:
        text += ", in " + _listed(countries, most_named + 1, "countries")
    return text


def _years(legs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each leg's first and last year as floats, NaN where unknown."""
    return tuple(legs[column].to_numpy(dtype=float, na_value=np.nan)
                 for column in ("year", "year_end"))


def years_span(legs: pd.DataFrame) -> str:
    """The years the legs reach, end years included: `2007–2009`, `2007`, or ''."""
    return _known_span(*_years(legs))


def _known_span(starts: np.ndarray, ends: np.ndarray) -> str:
    known = np.concatenate([starts, ends])
    known = known[~np.isnan(known)]
    return _span(int(known.min()), int(known.max())) if len(known) else ""


def span_of_years(years) -> str:
    """`years_span` of the years themselves, missing ones skipped (a story's few legs as
    records, without pandas' cost per story)."""
    known = [int(year) for year in years if not pd.isna(year)]
    return _span(min(known), max(known)) if known else ""


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _listed(names: list[str], most: int, kind: str) -> str:
    """`A`, `A and B`, `A, B and C`, or past `most` names `12 countries`."""
    if len(names) > most:
        return f"{len(names):,} {kind}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
