"""Loading the data for the page, cached so a filter change re-reads no file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from routes_dash.dataset import BUNDLED_DATA, Dataset, data_folder, load_folder
from routes_dash.schema import DataError


def _stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    """The folder's files and their modification times: editing a file reloads it."""
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*.csv")))


@st.cache_data(show_spinner="Loading the journeys …")
def _load(folder: str, stamp: tuple) -> Dataset:
    return load_folder(Path(folder))


@st.cache_data
def _arrivals(path: str, stamp: float) -> pd.DataFrame:
    return pd.read_csv(path)


def dataset_or_stop() -> Dataset:
    """The data folder's dataset; its problems on the page (and a stop) when it is invalid."""
    folder = data_folder()
    try:
        return _load(str(folder), _stamp(folder))
    except DataError as error:
        st.error(
            f"The data in `{folder}` cannot be shown: {len(error.problems)} problem(s) to fix. "
            "Nothing was changed."
        )
        st.code("\n".join(str(p) for p in error.problems), language=None)
        st.stop()


def arrivals() -> pd.DataFrame:
    """The yearly arrivals in South Korea: the data folder's own, else the bundled series."""
    path = data_folder() / "arrivals.csv"
    if not path.exists():
        path = BUNDLED_DATA / "arrivals.csv"
    return _arrivals(str(path), path.stat().st_mtime)
