"""Shared test fixtures. Keep each fixture self-contained: several features add to this file."""

from __future__ import annotations

import functools
import html
import ipaddress
import re
import socket
from pathlib import Path

import pandas as pd
import pytest

from routes_dash.journeys.dataset import load_folder
from routes_dash.journeys.filters import Filters, filter_legs
from tools import synth

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]

# --- no network in any test -------------------------------------------------------------------


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).split("%")[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that connects to, or resolves, a non-loopback address.

    Returns the list of attempts (a test of this guard clears it after provoking one)."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: str):
        attempts.append(what)
        pytest.fail(f"a test tried to use the network: {what}", pytrace=True)

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            refuse(f"connect to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            refuse(f"connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_local(host):
            refuse(f"resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    # Code under test may swallow the failure (an `except BaseException`): fail here too.
    if attempts:
        pytest.fail(f"a test tried to use the network: {attempts}")


# --- data folders, loaded the way the app loads them -------------------------------------------


@pytest.fixture(scope="session")
def other_journeys():
    """A data folder of journeys that are not the bundled ones, one person anonymous."""
    return load_folder(FIXTURES / "other_journeys")


@functools.cache
def bundled_data():
    """The bundled data folder, loaded once: tests derive what they expect from it."""
    return load_folder(REPO / "data")


def bundled_legs_shown(**chosen) -> str:
    """How many bundled legs the filters keep, as the page's metric writes the number."""
    return f"{len(filter_legs(bundled_data().legs, Filters(**chosen))):,}"


def as_read(markdown: str) -> str:
    """What a reader sees of markdown made by `ui.plain.plain`: its character references
    decoded, its invisible word joiners gone (the page's own text passes unchanged)."""
    return html.unescape(markdown).replace("\u2060", "")


@pytest.fixture(scope="session")
def bundled():
    return bundled_data()


@pytest.fixture(scope="session")
def towns(tmp_path_factory):
    """15,000 synthetic legs through 1,000 towns: some 2,000 routes, more than a map draws,
    and some 700 places."""
    folder = synth.write_folder(tmp_path_factory.mktemp("towns"), 15_000, seed=11,
                                places=1_000)
    return folder, load_folder(folder)


@pytest.fixture
def located_legs(other_journeys) -> pd.DataFrame:
    return other_journeys.legs.copy()


def open_tab(at, label: str):
    """Open one of the page's tabs in an AppTest (only the open tab runs) and rerun."""
    at.session_state["tab"] = label
    return at.run()


def open_uploader(at):
    """Open the sidebar's "Your own data" section in an AppTest, as a reader opens it (its
    form is built only while open), and rerun; the AppTest."""
    if "upload_open" not in at.session_state or not at.session_state["upload_open"]:
        at.session_state["upload_open"] = True
        at.run()
    return at


def map_table(at):
    """The map's text alternative, the legs it shows one row each, opened as a reader opens
    it (it is built only while open)."""
    if "map_table_open" not in at.session_state or not at.session_state["map_table_open"]:
        at.session_state["map_table_open"] = True
        at.run()
    return next(d for d in at.dataframe if "what happened" in d.value.columns).value


# --- the real page in Chromium, driven with tests/browser.py -----------------------------------


@pytest.fixture(scope="module")
def server(request):
    """A real `streamlit run` of the page for one test module: on the bundled data, or on the
    folder a test names with `@pytest.mark.parametrize("server", [FOLDER], indirect=True)`."""
    from browser import serve

    process, url = serve(getattr(request, "param", None))
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module; skips locally without it
    and fails in CI (see browser.require)."""
    from browser import launch, require

    require()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


# --- what the page's header says it shows -------------------------------------------------------

_LEGS_SHOWN = re.compile(r"^\**([\d,\\]+) legs? of ")


def legs_in_header(text: str) -> str:
    """The number of legs a header sentence ("104 legs of 21 people, …") states, as written."""
    found = _LEGS_SHOWN.match(text.strip())
    assert found, f"not a header sentence: {text!r}"
    return found.group(1).replace("\\", "")


def header_sentence(at) -> str:
    """The sentence under the page's title in an AppTest, as a reader sees it."""
    read = [as_read(m.value) for m in at.main.markdown]
    found = [text for text in read if _LEGS_SHOWN.match(text)]
    assert found, "the header states the view"
    return found[0].strip("*").replace("\\", "")
