"""What a reader can choose (people, countries, years, modes, outcomes) and the legs it keeps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes_dash.contract import schema


@dataclass(frozen=True)
class Filters:
    """What the reader chose; an empty tuple means everything."""

    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    modes: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """What can be chosen in the current data."""

    people: tuple[str, ...]
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    outcomes: tuple[str, ...]
    years: tuple[int, int] | None  # the known years' range, None when no year is known


def filter_options(legs: pd.DataFrame) -> Options:
    """What the reader can choose from in these legs."""
    countries = pd.concat([legs["from_country"], legs["to_country"]])
    years = legs["year"].dropna()
    modes, outcomes = set(legs["mode"].unique()), set(legs["outcome"].unique())
    return Options(
        people=tuple(sorted(legs["person"].unique())),
        countries=tuple(sorted(c for c in countries.unique() if c)),
        modes=tuple(m for m in schema.MODES if m in modes),
        outcomes=tuple(o for o in schema.OUTCOMES if o in outcomes),
        years=(int(years.min()), int(years.max())) if len(years) else None,
    )


def filter_legs(legs: pd.DataFrame, filters: Filters,
                taken_from: pd.DataFrame | None = None) -> pd.DataFrame:
    """The legs a reader's choice keeps: rows of `legs`, or of `taken_from` when given (the
    same rows, other columns). A year range leaves out legs of unknown year."""
    keep = np.ones(len(legs), dtype=bool)
    if filters.people:
        keep &= legs["person"].isin(filters.people).to_numpy()
    if filters.countries:
        keep &= (legs["from_country"].isin(filters.countries)
                 | legs["to_country"].isin(filters.countries)).to_numpy()
    if filters.modes:
        keep &= legs["mode"].isin(filters.modes).to_numpy()
    if filters.outcomes:
        keep &= legs["outcome"].isin(filters.outcomes).to_numpy()
    if filters.years:
        first, last = filters.years
        # Unknown years are NaN here, and NaN compares False: those legs are left out.
        start = legs["year"].to_numpy(dtype=float, na_value=np.nan)
        end = legs["year_end"].to_numpy(dtype=float, na_value=np.nan)
        end = np.where(np.isnan(end), start, end)
        keep &= (start <= last) & (end >= first)
    rows = legs if taken_from is None else taken_from
    if keep.all():
        return rows.copy(deep=False)  # copy-on-write: a new frame, no rows copied
    return rows[keep]
