"""Loading the data for the page, cached so a filter change re-reads no file."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from routes_dash import bundled
from routes_dash.contract.problems import DataError
from routes_dash.journeys.dataset import Dataset, data_folder, load_folder
from routes_dash.journeys.filters import Filters, filter_legs
from routes_dash.ui import cache
from routes_dash.ui.plain import plain


def _steady_allocator() -> None:
    """Have pyarrow allocate with the system allocator, unless ARROW_DEFAULT_MEMORY_POOL says.

    Measured at 100,000 legs: with pyarrow's default pool here (mimalloc) filtering the legs
    took 20 ms and 65 ms on alternate reruns; with the system allocator a steady 25 ms.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        import pyarrow
    except ImportError:  # pandas then stores strings without pyarrow
        return
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


_steady_allocator()


def _stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    """The folder's files and their modification times: editing a file reloads it."""
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*.csv")))


# cache_resource, not cache_data: cache_data would unpickle a copy of every frame on every
# rerun (~0.1 s at 100,000 legs). The dataset is read-only: nothing writes into its frames,
# and pandas' copy-on-write keeps every frame derived from it separate.
@cache.resource(show_spinner="Loading the journeys …", max_entries=2)
def _load(folder: str, stamp: tuple) -> Dataset:
    return load_folder(Path(folder))


@cache.resource(show_spinner=False, max_entries=cache.FRAMES)
def _filtered(choice: str, version: str, columns: tuple[str, ...] | None, _chosen: Filters,
              _dataset: Dataset) -> pd.DataFrame:
    # Registered under the legs it keeps, not the choice that kept them: choices that keep
    # the same legs (a year range widened over years without a leg, a country added that
    # the chosen person's legs all touch) share every map, figure and table built from them.
    return _kept(version, columns, _chosen, _dataset)


# An upload's frames are its session's alone: kept in a cache of that session, which
# Streamlit empties when the session disconnects, never in the cache every session shares
# (where eight 17 MB uploads' legs would outlive their sessions).
@cache.resource(show_spinner=False, max_entries=2, scope="session")
def _filtered_upload(choice: str, version: str, columns: tuple[str, ...] | None,
                     _chosen: Filters, _dataset: Dataset) -> pd.DataFrame:
    return _kept(version, columns, _chosen, _dataset)


def _kept(version: str, columns: tuple[str, ...] | None, chosen: Filters,
          dataset: Dataset) -> pd.DataFrame:
    coded = None if columns is None else dataset.coded(columns, tuple(
        group for group in CODED if set(group) <= set(columns)))
    shown = filter_legs(dataset.legs, chosen, taken_from=coded)
    part = "" if columns is None else "|columns:" + ",".join(columns)
    return cache.remember(shown, f"{version}|rows:{cache.rows_digest(shown)}{part}")


@cache.resource(max_entries=2)
def _arrivals(path: str, stamp: float) -> pd.DataFrame:
    return pd.read_csv(path)  # read-only, as the dataset


def dataset_or_stop() -> Dataset:
    """The data folder's dataset; its problems on the page (and a stop) when it is invalid."""
    folder = data_folder()
    stamp = _stamp(folder)
    try:
        return cache.remember(_load(str(folder), stamp), f"{folder}|{stamp}")
    except DataError as error:
        st.error(
            f"The data in {plain(folder)} cannot be shown: {len(error.problems)} problem(s) to "
            "fix. Nothing was changed."
        )
        st.code("\n".join(str(p) for p in error.problems), language=None, wrap_lines=True)
        st.stop()


# The columns the header and the route map read of every view, all a view needs when the
# map's tab is open: copying every column of 100,000 legs took three times as long (the
# notes, sources and citations are most of the bytes), and each column of text left out
# here saves about 2 ms a click. What the map pins or lists, what it says of unlocated
# legs, and a colour choice's column other than the mode's are read from the dataset's
# own rows.
MAP_COLUMNS = ("person", "name", "leg", "mode", "year", "year_end", "from_country",
               "to_country", "located", "precision_reduced", "shown_precision")
# Of those, the text copied and counted as categories (integer codes), each group sharing
# its categories: at 100,000 legs a click took 13-30 ms less than with text. The names stay
# text: colouring by person ranks them by count, and categories would rank ties apart.
CODED = (("person",), ("mode",), ("from_country", "to_country"), ("shown_precision",))


def filtered(dataset: Dataset, chosen: Filters, columns: tuple[str, ...] | None = None
             ) -> pd.DataFrame:
    """The legs the filters keep (only `columns` of them, when given), computed once per
    dataset version, filter choice and columns, and keyed (`cache.key_of`) by which legs
    and columns they are."""
    version = cache.key_of(dataset)
    # A frozen dataclass of tuples: its repr is exact.
    kept = _filtered_upload if dataset.private else _filtered
    return kept(f"{version}|{chosen!r}", version, columns, chosen, dataset)


def arrivals() -> pd.DataFrame:
    """The yearly arrivals in South Korea: the data folder's own, else the bundled series."""
    path = data_folder() / "arrivals.csv"
    if not path.exists():
        path = bundled.DATA / "arrivals.csv"
    stamp = path.stat().st_mtime
    return cache.remember(_arrivals(str(path), stamp), f"{path}|{stamp}")
