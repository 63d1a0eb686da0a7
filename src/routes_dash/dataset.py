"""A data folder (legs.csv, people.csv, geocache.csv) → one located, validated `Dataset`."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from routes_dash.journeys import locate_legs
from routes_dash.load import read_legs, read_people

BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"
BASEMAP = Path(__file__).resolve().parents[2] / "static" / "countries.geojson"
DATA_ENV = "ROUTES_DASH_DATA"


@dataclass(frozen=True)
class Dataset:
    """Everything the views read. `legs` is `journeys.locate_legs` output."""

    legs: pd.DataFrame
    people: pd.DataFrame
    unresolved: tuple[str, ...]  # place strings that have no coordinates
    origin: str  # where it came from, shown to the user


def data_folder() -> Path:
    """The folder named by ROUTES_DASH_DATA, else the bundled data/."""
    return Path(os.environ.get(DATA_ENV) or BUNDLED_DATA)


def load_folder(folder: Path) -> Dataset:
    """Read, validate and locate a data folder. Raises `DataError` naming every problem."""
    people_path = folder / "people.csv"
    people = read_people(people_path) if people_path.exists() else None
    legs = read_legs(folder / "legs.csv", people=people)
    places = _read_cache(folder / "geocache.csv")
    return _dataset(legs, people, places, str(folder))


def _dataset(legs, people, places, origin) -> Dataset:
    located = locate_legs(legs, places, people, country_points())
    ends = pd.concat([located.loc[located["from_lat"].isna(), "from"],
                      located.loc[located["to_lat"].isna(), "to"]])
    if people is None:
        people = pd.DataFrame({"person": sorted(legs["person"].unique())})
        people["name"] = people["person"]
        people["anonymized"] = False
    return Dataset(located, people, tuple(sorted(set(ends))), origin)


def _read_cache(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({"place": [], "lat": [], "lon": [], "country": []})
    return pd.read_csv(path, keep_default_na=False, na_values={"lat": [""], "lon": [""]})


@cache
def country_points() -> dict[str, tuple[float, float]]:
    """Country name → the basemap's label point (lat, lon), inside the country's largest part."""
    features = json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["name"]: (f["properties"]["label_lat"], f["properties"]["label_lon"])
            for f in features}
