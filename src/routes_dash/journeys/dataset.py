"""A data folder (legs.csv, people.csv, geocache.csv) or an upload → one located, validated
`Dataset`. Loading reads files and never writes them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from routes_dash import bundled
from routes_dash.contract.load import read_legs, read_people
from routes_dash.journeys.locate import locate_legs
from routes_dash.places.countries import country_points
from routes_dash.places.records import place_key
from routes_dash.places.resolver import places_table

DATA_ENV = "ROUTES_DASH_DATA"


@dataclass(frozen=True)
class Dataset:
    """Everything the views read. `legs` is `locate_legs` output."""

    legs: pd.DataFrame
    people: pd.DataFrame
    unresolved: tuple[str, ...]  # place strings that have no coordinates
    origin: str  # where it came from, shown to the user
    validated: pd.DataFrame  # the legs as read, before places were joined
    places: pd.DataFrame  # places_table of the legs' places


def data_folder() -> Path:
    """The folder named by ROUTES_DASH_DATA, else the bundled data/."""
    return Path(os.environ.get(DATA_ENV) or bundled.DATA)


def load_folder(folder: Path) -> Dataset:
    """Read, validate and locate a data folder. Raises `DataError` naming every problem."""
    return load_legs_file(Path(folder) / "legs.csv")


def load_legs_file(path: Path) -> Dataset:
    """A legs file anywhere, with the people.csv, geocache.csv and curated places of its
    folder when there. Raises `DataError` naming every problem."""
    path = Path(path)
    people_path = path.parent / "people.csv"
    people = read_people(people_path) if people_path.is_file() else None
    legs = read_legs(path, people=people)
    origin = ("the bundled journeys" if path.parent.resolve() == bundled.DATA.resolve()
              else f"the folder {path.parent}")
    return _dataset(legs, people, places_table(legs, path.parent), origin)


def load_upload(
    legs_data: bytes, legs_name: str, people_data: bytes | None = None,
    people_name: str = "people.csv",
) -> Dataset:
    """A user's own legs (and people) file, read from bytes. New places are resolved offline
    through the bundled chain, in memory only: the bundled files stay untouched."""
    people = read_people(people_data, file_name=people_name) if people_data else None
    legs = read_legs(legs_data, file_name=legs_name, people=people)
    places = places_table(legs, bundled.DATA)
    return _dataset(legs, people, places, f"your file {legs_name} (this browser session only)")


def with_fixed_places(dataset: Dataset, fixes: pd.DataFrame) -> Dataset:
    """The dataset with places a user located by hand (place, lat, lon, country)."""
    if fixes.empty:
        return dataset
    fixed = fixes.assign(resolved=True, level="city", provider="user")
    keys = set(fixed["place"].map(place_key))
    kept = dataset.places[~dataset.places["place"].map(place_key).isin(keys)]
    places = pd.concat([kept, fixed], ignore_index=True)
    return _dataset(dataset.validated, dataset.people, places, dataset.origin)


def _dataset(legs, people, places, origin) -> Dataset:
    located = locate_legs(legs, places, people, country_points())
    ends = pd.concat([located.loc[located["from_lat"].isna(), "from"],
                      located.loc[located["to_lat"].isna(), "to"]])
    if people is None:
        people = pd.DataFrame({"person": sorted(legs["person"].unique())})
        people["name"] = people["person"]
        people["anonymized"] = False
    return Dataset(located, people, tuple(sorted(set(ends))), origin, legs, places)
