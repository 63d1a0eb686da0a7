"""./dev serve on loopback: nginx in front of 2 Streamlit replicas, driven by Debian's Chromium.

Two browser sessions, pinned by their cookies to different replicas, each upload their own
file through nginx and keep it across a rerun; then `tools/sessions.py` measures two sessions
and SIGTERM stops nginx and every replica. Skips locally without nginx or Chromium; under CI
(`.ci/run` installs both) it fails instead.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from browser import NO_MAP_DRAWING, choose_legs_file
from conftest import FIXTURES, REPO, bundled_legs_shown

sys.path.insert(0, str(REPO / "tools"))
import sessions  # tools/ is not a package: by its path

SERVE = REPO / "deploy" / "serve.py"
CHROMIUM = Path("/usr/bin/chromium")
COOKIE = "routes_dash_replica"
LEGS = FIXTURES / "other_journeys" / "legs.csv"
OUTPUT = REPO / "test-output"


def _nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def test_serve_without_nginx_says_how_to_get_it_and_starts_nothing():
    env = {**os.environ, "NGINX": "/nonexistent/nginx"}
    done = subprocess.run([sys.executable, str(SERVE), "--check"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "nginx is needed" in done.stderr and "apt-get install nginx" in done.stderr


@pytest.fixture(scope="module")
def tools_present():
    missing = [what for what, ok in (("nginx", _nginx()), ("/usr/bin/chromium",
                                                             CHROMIUM.exists())) if not ok]
    if missing:
        why = (f"{' and '.join(missing)} missing here (apt-get install nginx chromium; "
               ".ci/run installs them)")
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the deploy test: {why}", pytrace=False)
        pytest.skip(why)
    pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie
                                     else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers)
    except OSError:
        return 0, {}


@pytest.fixture(scope="module")
def served(tools_present):
    """deploy/serve.py with 2 replicas on a free port; yields (url, process)."""
    # As root, nginx's workers run as nobody: the state dir must be one they can enter.
    state = Path(tempfile.mkdtemp(prefix="routes_dash-test-serve-"))
    state.chmod(0o755)
    port = _free_port()
    log = (state / "serve.out").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(SERVE), "--replicas", "2", "--port", str(port),
         "--listen", "127.0.0.1", "--state-dir", str(state)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "ROUTES_DASH_DATA": str(REPO / "data")})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # copying and compressing, two replicas' imports
        while _get(f"{url}/_stcore/health")[0] != 200:
            assert process.poll() is None, (state / "serve.out").read_text()
            assert time.monotonic() < deadline, (state / "serve.out").read_text()
            time.sleep(0.3)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(state, ignore_errors=True)


def _cookies_on_two_replicas(url: str) -> dict[str, str]:
    """A cookie value for each replica: {replica address: cookie}."""
    found: dict[str, str] = {}
    for i in range(64):
        status, headers = _get(f"{url}/_stcore/health", cookie=f"test-{i}")
        assert status == 200
        found.setdefault(headers["X-Replica"], f"test-{i}")
        if len(found) == 2:
            return found
    raise AssertionError(f"every cookie went to {found}: is the second replica up?")


class Browser:
    """One browser (its own cookies, so its own Streamlit session) pinned to one replica."""

    def __init__(self, browser, url: str, cookie: str):
        self.context = browser.new_context(viewport={"width": 1300, "height": 1000})
        self.context.add_cookies([{"name": COOKIE, "value": cookie, "url": url}])
        # What is read is the page's words and where its requests went, not the map's pixels:
        # the map is built but not drawn (some 20 s of CPU a draw in software WebGL).
        self.context.add_init_script(NO_MAP_DRAWING)
        self.outside: list[str] = []
        self.replicas: set[str] = set()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("response", self._response)
        self.page.goto(url + "/")

    def _route(self, route):
        if route.request.url.startswith(("http://127.0.0.1", "http://localhost")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _response(self, response):
        if "/_stcore/" in response.url and "x-replica" in response.headers:
            self.replicas.add(response.headers["x-replica"])

    def wait_drawn(self, filtered: bool = False):
        answer = self.page.wait_for_function(sessions.DRAWN_JS, arg=filtered, timeout=120_000,
                                             polling=200)
        assert answer.json_value() is True, "Streamlit gave up connecting"

    def upload(self, name: str, data: bytes):
        choose_legs_file(self.page, {"name": name, "mimeType": "text/csv", "buffer": data})
        self.page.get_by_role("button", name="Show my data").click()

    def shows(self, text: str, timeout: float = 120_000):
        self.page.get_by_text(text).first.wait_for(timeout=timeout)

    def legs(self) -> str:
        """How many legs the header's sentence says the page shows ("104 legs of …")."""
        sentence = self.page.locator(".st-key-view").inner_text()
        return re.match(r"([\d,]+) legs? of ", sentence).group(1)

    def pick_first_person(self):
        from playwright.sync_api import TimeoutError as Timeout

        menu = self.page.locator(sessions.PERSON_MENU).filter(has_text=sessions.PERSON_LABEL)
        option = self.page.locator(sessions.PERSON_OPTION).first
        # A click while the sidebar is redrawn may only focus the box, and a redraw may close
        # the list before its option is clicked: open it and pick again.
        for _ in range(10):
            menu.first.click(timeout=60_000)
            try:
                option.click(timeout=10_000)
                break
            except Timeout:
                self.page.keyboard.press("Escape")
        else:
            pytest.fail("the Person list never stayed open long enough to pick a person")
        self.page.keyboard.press("Escape")


def _only(person: str) -> bytes:
    rows = list(csv.reader(io.StringIO(LEGS.read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [rows[0], *(r for r in rows[1:] if r[0] == person)])
    return out.getvalue().encode()


@pytest.mark.browser
def test_two_sessions_on_two_replicas_keep_their_own_uploads(served):
    url, process = served
    pinned = _cookies_on_two_replicas(url)
    (replica_a, cookie_a), (replica_b, cookie_b) = sorted(pinned.items())
    mine = {"a": ("class-a.csv", LEGS.read_bytes(), "10"),
            "b": ("class-b.csv", _only("test-anon"), "3")}
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=sessions.CHROMIUM_ARGS)
        try:
            a, b = Browser(chromium, url, cookie_a), Browser(chromium, url, cookie_b)
            for who in (a, b):
                who.wait_drawn()
                assert who.legs() == bundled_legs_shown(), "the bundled data first"
            for who, key in ((a, "a"), (b, "b")):
                name, data, _ = mine[key]
                who.upload(name, data)
            for who, key in ((a, "a"), (b, "b")):
                name, _, legs = mine[key]
                who.shows(f"your file {name} (this browser session only)")
                who.wait_drawn()
                assert who.legs() == legs
            # A rerun each (a filter): the upload stays, and stays its own.
            for who in (a, b):
                who.pick_first_person()
            for who, key, other in ((a, "a", "b"), (b, "b", "a")):
                who.wait_drawn(filtered=True)
                who.shows(f"your file {mine[key][0]} (this browser session only)")
                assert who.page.get_by_text(mine[other][0]).count() == 0
            assert a.legs() != "10", "the filter narrowed the upload"
            assert b.legs() == "3"
            assert a.replicas == {replica_a} and b.replicas == {replica_b}, \
                "each browser stays on its replica"
            assert a.outside == [] and b.outside == []
            OUTPUT.mkdir(exist_ok=True)
            a.page.screenshot(path=OUTPUT / "deploy-session-a.png")
            b.page.screenshot(path=OUTPUT / "deploy-session-b.png")
        finally:
            chromium.close()

    # The measurement tool, on two sessions of its light client.
    result = sessions.measure(url + "/", 2, client="protocol", server_pids=[process.pid],
                              timeout=90)
    assert result["failures"] == [] and result["drawn"] == 2
    assert result["filter"]["redrawn"] == 2
    assert result["peak_rss_mb"] > 100, "two replicas and nginx were sampled"

    running = sessions.descendants([process.pid]) - {process.pid}
    assert len(running) >= 4, "2 replicas, nginx's master and a worker"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    deadline = time.monotonic() + 30
    while sessions.descendants(running) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sessions.descendants(running), "SIGTERM stops nginx and every replica"
    assert _get(f"{url}/_stcore/health")[0] == 0
