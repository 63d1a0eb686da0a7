"""Shared fixtures: small frames built the way the app builds them."""

from pathlib import Path

import pandas as pd
import pytest

from routes_dash.dataset import load_folder

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def other_journeys():
    """A data folder of journeys that are not the bundled ones, one person anonymous."""
    return load_folder(FIXTURES / "other_journeys")


@pytest.fixture(scope="session")
def bundled():
    return load_folder(REPO / "data")


@pytest.fixture
def located_legs(other_journeys) -> pd.DataFrame:
    return other_journeys.legs.copy()
