"""The limits on what a user may load are stated once and enforced the same everywhere: the
upload widget (.streamlit/config.toml), the loader (contract/schema.py) and the README."""

import tomllib

import pytest

from routes_dash import bundled
from routes_dash.contract import schema
from routes_dash.contract.load import read_legs
from routes_dash.contract.problems import DataError
from tests.conftest import REPO


def test_megabytes_are_millions_of_bytes_as_the_upload_widget_counts_them():
    config = tomllib.loads((bundled.PAGE.parent / ".streamlit" / "config.toml").read_text())
    # Streamlit's uploader refuses files over maxUploadSize × 10^6 bytes in the browser.
    assert config["server"]["maxUploadSize"] == schema.MAX_FILE_MB
    assert schema.MAX_FILE_BYTES == schema.MAX_FILE_MB * 10**6 == 25_000_000


def test_the_readme_states_the_limits_the_loader_enforces():
    readme = " ".join((REPO / "README.md").read_text().split())
    for stated in (f"{schema.MAX_FILE_MB} MB ({schema.MAX_FILE_BYTES:,} bytes)",
                   f"{schema.MAX_ROWS:,} rows", f"{schema.MAX_COLUMNS} columns",
                   f"{schema.MAX_CELL_CHARS:,} characters"):
        assert stated in readme, stated


def test_one_byte_over_the_limit_is_refused_saying_the_limit_in_bytes():
    data = b"person,leg,from,to,mode,year,outcome\n" + b"x" * schema.MAX_FILE_BYTES
    with pytest.raises(DataError) as refused:
        read_legs(data, file_name="big.csv")
    (problem,) = refused.value.problems
    assert str(problem) == ("big.csv: is larger than 25 MB (25,000,000 bytes), the most this "
                            "dashboard reads")
