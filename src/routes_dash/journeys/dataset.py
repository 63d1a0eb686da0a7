"""A data folder (legs.csv, people.csv, geocache.csv) or an upload → one located, validated
`Dataset`. Loading reads files and never writes them."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from routes_dash import bundled
from routes_dash.contract.load import read_legs, read_people
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.sources import read_sources
from routes_dash.journeys.citations import by_id, with_citations
from routes_dash.journeys.grouping import as_categories
from routes_dash.journeys.locate import locate_legs, with_countries_placed
from routes_dash.journeys.routes import NumberedLegs, number_legs
from routes_dash.places.countries import country_points
from routes_dash.places.records import place_key
from routes_dash.places.resolver import places_table

DATA_ENV = "ROUTES_DASH_DATA"
BUNDLED_ORIGIN = "the bundled journeys"


@dataclass(frozen=True)
class Dataset:
    """Everything the views read. `legs` is `locate_legs` output with each leg's full
    `citation` and `source_links`; `people` has the same for `source` (and `since_`)."""

    legs: pd.DataFrame
    people: pd.DataFrame
    unresolved: tuple[str, ...]  # place strings of the file that have no coordinates
    origin: str  # where it came from, shown to the user
    validated: pd.DataFrame  # the legs as read, before places were joined
    places: pd.DataFrame  # places_table of the legs' places
    sources: pd.DataFrame | None = None  # sources.csv, when the data has one
    private: bool = False  # an upload: one browser session's alone, never shared

    @functools.cached_property
    def numbered(self) -> NumberedLegs:
        """The located legs numbered for the map, once: every view's routes are counted
        from it (`routes.map_data`)."""
        return number_legs(self.legs)

    def coded(self, columns: tuple[str, ...], groups: tuple[tuple[str, ...], ...]
              ) -> pd.DataFrame:
        """`columns` of the legs with the text of each of `groups` as categories
        (`grouping.as_categories`), built once per dataset and columns: a view of many legs
        then copies and counts those columns as integer codes."""
        key = (columns, groups)
        if key not in self._coded:
            self._coded[key] = as_categories(self.legs[list(columns)], groups)
        return self._coded[key]

    @functools.cached_property
    def _coded(self) -> dict:
        return {}


def data_folder() -> Path:
    """The folder named by ROUTES_DASH_DATA, else the bundled data/."""
    return Path(os.environ.get(DATA_ENV) or bundled.DATA)


def load_folder(folder: Path) -> Dataset:
    """Read, validate and locate a data folder. Raises `DataError` naming every problem."""
    return load_legs_file(Path(folder) / "legs.csv")


def read_folder(folder: Path, *, curated: bool = False):
    """(legs, people, sources) of a data folder: people.csv and sources.csv when there
    (sources.csv is required of the curated data). Raises `DataError`."""
    folder = Path(folder)
    sources_path = folder / "sources.csv"
    if curated and not sources_path.is_file():
        raise DataError([Problem("sources.csv", f"is missing beside {folder / 'legs.csv'}; "
                                 "the curated data cites every source by its id there")])
    sources = read_sources(sources_path) if sources_path.is_file() else None
    people_path = folder / "people.csv"
    people = read_people(people_path, sources=sources) if people_path.is_file() else None
    legs = read_legs(folder / "legs.csv", people=people, sources=sources,
                     require_provenance=curated)
    return legs, people, sources


def load_legs_file(path: Path) -> Dataset:
    """A legs file anywhere, with the people.csv, sources.csv, geocache.csv and curated
    places of its folder when there. Raises `DataError` naming every problem."""
    path = Path(path)
    if path.name == "legs.csv":
        legs, people, sources = read_folder(path.parent)
    else:  # a legs file of another name: its folder's other files are not its own
        legs, people, sources = read_legs(path), None, None
    origin = (BUNDLED_ORIGIN if path.parent.resolve() == bundled.DATA.resolve()
              else f"the folder {path.parent}")
    return _dataset(legs, people, places_table(legs, path.parent), origin, sources)


def load_upload(
    legs_data: bytes, legs_name: str, people_data: bytes | None = None,
    people_name: str = "people.csv", sources_data: bytes | None = None,
    sources_name: str = "sources.csv",
) -> Dataset:
    """A user's own legs (and people and sources) files, read from bytes. New places are
    resolved offline through the bundled chain, in memory only: the bundled files stay
    untouched."""
    sources = read_sources(sources_data, file_name=sources_name) if sources_data else None
    people = (read_people(people_data, file_name=people_name, sources=sources)
              if people_data else None)
    legs = read_legs(legs_data, file_name=legs_name, people=people, sources=sources)
    places = places_table(legs, bundled.DATA)
    return _dataset(legs, people, places, f"your file {legs_name} (this browser session only)",
                    sources, private=True)


def with_fixed_places(dataset: Dataset, fixes: pd.DataFrame) -> Dataset:
    """The dataset with places a user located by hand (place, lat, lon, country)."""
    if fixes.empty:
        return dataset
    fixed = fixes.assign(resolved=True, level="city", provider="user")
    keys = set(fixed["place"].map(place_key))
    kept = dataset.places[~dataset.places["place"].map(place_key).isin(keys)]
    places = pd.concat([kept, fixed], ignore_index=True)
    return _dataset(dataset.validated, dataset.people, places, dataset.origin,
                    dataset.sources, private=dataset.private)


def _dataset(legs, people, places, origin, sources, private=False) -> Dataset:
    points = country_points()
    located = locate_legs(legs, places, people, points, sources)
    # As the file names them (the place fixer is for the file's owner), not as shown.
    placed = with_countries_placed(places.set_index("place", drop=False), points)
    unresolved = placed.loc[placed["lat"].isna(), "place"]
    if people is None:
        people = pd.DataFrame({"person": sorted(legs["person"].unique())})
        people["name"] = people["person"]
        people["anonymized"] = False
    cited = by_id(sources)
    people = people.assign(**{c: people.get(c, "") for c in ("source", "since_source")})
    people = with_citations(with_citations(people, cited), cited, "since_source", "since_")
    return Dataset(located, people, tuple(sorted(set(unresolved))), origin, legs, places,
                   sources, private)
