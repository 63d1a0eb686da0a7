"""Driving the real page in Debian's Chromium: shared by every browser test.

- `serve(folder)` starts a real `streamlit run` on a free loopback port.
- `Visit` is one page whose every request that leaves localhost is aborted and counted, with
  waits on conditions, never on fixed sleeps: `act(...)` performs a user action and waits
  until the rerun it causes has finished, `wait_for_map()` until the map has drawn its
  basemap, `axe()` audits the page with axe-core (installed by `npm ci`, see package.json).
  `Visit(..., draw_map=False)` is the page with its map built but never drawn, for a test
  that reads no pixel of the map (see NO_MAP_DRAWING).

Without /usr/bin/chromium the browser tests skip locally and fail under CI (`require()`); so
does the accessibility audit without axe-core (`npm ci`).
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# What axe-core leaves out, each a surface this project cannot change: the map's WebGL canvas
# (deck.gl draws pixels; the page names the map and lists every leg in the People tab), and
# the inside of plotly's SVG (the chart is named by `alt`, and its numbers are a table).
AXE_EXCLUDE = ("canvas", ".js-plotly-plot .main-svg", ".js-plotly-plot .modebar-container")
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
OUTPUT = REPO / "test-output"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Generous: the machine has two cores and other work may load them.
TIMEOUT_MS = 90_000

# The map's canvas out of the layout from before the page's first run. Chromium draws WebGL
# in software here, and a page's first frames of the map cost some 20 s of CPU, nearly all of
# it compiling shader pipelines, again on every page load. A canvas that takes no room has no
# pixels: deck.gl still builds every layer from the page's data, but makes no draw call, and
# the map's own box (`[data-testid="stDeckGlJsonChart"]`) keeps its size and place.
def no_map_drawing(canvas: str) -> str:
    """An init script that takes the maps' canvases (the CSS selector `canvas`) out of the
    layout."""
    return f"""document.addEventListener('DOMContentLoaded', () => {{
  const style = document.createElement('style');
  style.textContent = '{canvas} {{ display: none !important; }}';
  document.head.append(style);
}});"""


MAP_CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
NO_MAP_DRAWING = no_map_drawing(MAP_CANVAS)

# Counts the page's finished script runs, so that a test can wait for the run its action
# caused: each time the page's script state comes back to `notRunning`. A quick run (a tab
# whose parts are cached) may go from `rerunRequested` straight back to `notRunning`
# without the page ever showing `running`, so a run is never counted by `running` alone.
_RUN_COUNTER = """
() => {
  if (window.__runs !== undefined) return;
  window.__runs = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(records => {
    // Each record holds the state before its change; the last change led to the current.
    const states = [...records.map(r => r.oldValue),
                    app.getAttribute('data-test-script-state')];
    for (let i = 1; i < states.length; i++) {
      if (states[i] === 'notRunning' && states[i - 1] !== 'notRunning') window.__runs += 1;
    }
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
}
"""
_IDLE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]');
}
"""

# The height of everything in the page's scrolling element, and whether every chart has been
# drawn at its container's width after the window changed size.
_CONTENT_HEIGHT = """
() => Math.max(...[...document.querySelectorAll(
  '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'
)].map(e => e.scrollHeight))
"""
_SETTLED = """
() => [...document.querySelectorAll('.js-plotly-plot')].every(plot =>
  !plot._fullLayout || plot.offsetParent === null
  || Math.abs(plot._fullLayout.width - plot.getBoundingClientRect().width) < 2)
"""


def choose_legs_file(page, file) -> None:
    """Choose a legs file in the sidebar, as a reader does, and wait until the uploader lists
    it, sent (no spinner): a click on "Show my data" before then submits no file, which a
    busy machine made happen."""
    sidebar = page.get_by_test_id("stSidebar")
    uploader = sidebar.get_by_test_id("stFileUploader").first
    if not uploader.count():  # the uploader's section is built when opened
        sidebar.get_by_text("Upload your legs CSV", exact=True).click()
        # Drawn by the rerun the click causes; the form is sent once that run is over
        # (sent while it ran, the form's own run never came, on a busy machine).
        uploader.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(_IDLE, timeout=TIMEOUT_MS)
    uploader.locator('input[type="file"]').set_input_files(file, timeout=TIMEOUT_MS)
    chip = uploader.get_by_test_id("stFileChip").first
    chip.wait_for(timeout=TIMEOUT_MS)
    chip.get_by_test_id("stFileChipIconSpinner").wait_for(state="detached", timeout=TIMEOUT_MS)


def require() -> None:
    """Skip the calling test module without Chromium, unless in CI, where that fails."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing "
                    "(.ci/run installs it with apt-get)", pytrace=False)
    pytest.skip("no /usr/bin/chromium here (apt-get install chromium to run the browser tests)",
                allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen | None = None, seconds: float = 90) -> None:
    """Wait until a Streamlit server answers its health check."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy")


def serve(data_folder: Path | None = None, env: dict | None = None):
    """A real `streamlit run` of the page on a free port: (process, url)."""
    port = free_port()
    environment = {**os.environ, "ROUTES_DASH_DATA": str(data_folder or REPO / "data"),
                   **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
         "--server.port", str(port), "--server.headless", "true"],
        cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://localhost:{port}"
    try:
        wait_healthy(url, process)
    except RuntimeError:
        process.kill()
        raise RuntimeError("streamlit did not start: "
                           + process.stderr.read().decode()[-2000:]) from None
    return process, url


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

_STATE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {runs: window.__runs, url: location.href,
          script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length};
}
"""


class Visit:
    """A page with every request that leaves localhost aborted and counted (`app=False`: a page
    that is not the Streamlit app, such as an export opened from a file; `draw_map=False`:
    the map is built but not drawn, on this and every page the Visit opens)."""

    canvases = MAP_CANVAS  # what `draw_map=False` takes out of the layout

    def __init__(self, browser, url: str, width: int = 1400, height: int = 1100,
                 context=None, app: bool = True, draw_map: bool = True):
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        # A context of its own (a phone's user agent, touch) brings its own viewport.
        self.page = (context.new_page() if context is not None
                     else browser.new_page(viewport={"width": width, "height": height}))
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        if not draw_map:
            self.page.add_init_script(no_map_drawing(self.canvases))
        if app:
            self.open(url)
        else:  # a page that is not the Streamlit app: an export opened on its own
            self.page.goto(url)

    def _route(self, route):
        if route.request.url.startswith(("http://localhost", "http://127.0.0.1", "file:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stApp"]', state="attached")
        self.page.evaluate(_RUN_COUNTER)
        # The first run may have started before the counter: wait for its end, and for
        # the page to have something in it.
        self.page.wait_for_function(_IDLE, timeout=TIMEOUT_MS)
        self.page.wait_for_selector('[data-testid="stMainBlockContainer"] *')

    def wait_until_idle(self):
        self.page.wait_for_function(_IDLE, timeout=TIMEOUT_MS)

    def act(self, action: Callable[[], object]):
        """Do what a user does (click, type, press) and wait for the rerun it causes.

        Only for an action whose run the page shows: a run quick enough (a fragment, a
        cached slide) may go by without the page ever showing it running, and is then
        never counted. Wait for what such an action changes instead (the story tests wait
        for the slide)."""
        from playwright.sync_api import TimeoutError as PageTimeout  # only where it runs

        before = self.page.evaluate("() => window.__runs")
        action()
        try:
            self.page.wait_for_function(
                f"() => window.__runs > {before} && ({_IDLE})()", timeout=TIMEOUT_MS)
        except PageTimeout:
            # Say what the page was doing, so that a timeout on a busy machine can be told
            # from an action that caused no rerun.
            state = self.page.evaluate(_STATE)
            pytest.fail(f"no finished rerun within {TIMEOUT_MS / 1000:.0f} s of the action: "
                        f"{before} runs before, {state}")

    def tab(self, name: str):
        """Open a tab and wait until it is drawn, as a reader sees it: the tab chosen, its
        panel holding the tab's elements, the page idle. A closed tab has no panel, so a
        panel with elements in it is this run's. (A tab's run can be too quick for the
        page to show it running at all, so counting runs alone could wait for ever.)"""
        tab = self.page.get_by_role("tab", name=name)
        if tab.get_attribute("aria-selected") == "true":
            return
        tab.click()
        # Found again on each check: the page may draw its tabs anew, with new ids.
        self.page.wait_for_function(
            f"""(name) => {{
              const tab = [...document.querySelectorAll('[role="tab"]')]
                .find(t => t.innerText.trim() === name);
              const panel = tab && document.getElementById(tab.getAttribute('aria-controls'));
              return tab.getAttribute('aria-selected') === 'true' && panel
                && panel.querySelector('[data-testid="stElementContainer"]') !== null
                && ({_IDLE})();
            }}""", arg=name, timeout=TIMEOUT_MS)

    def map_canvas(self):
        return self.page.locator(MAP_CANVAS).first

    def wait_for_map(self):
        """The map's canvas is there and deck.gl has drawn the frames after its data came."""
        self.map_canvas().wait_for(state="visible")
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate("() => new Promise(done => requestAnimationFrame("
                           "() => requestAnimationFrame(() => done())))")

    def map_image(self) -> Image.Image:
        self.wait_for_map()
        return Image.open(io.BytesIO(self.map_canvas().screenshot())).convert("RGB")

    def legs_shown(self) -> str:
        """How many legs the header says the page shows, as written ("1,234")."""
        sentence = self.page.locator(".st-key-view").inner_text()
        return re.match(r"\s*([\d,]+) legs? of ", sentence).group(1)

    def axe(self, exclude: tuple[str, ...] = AXE_EXCLUDE) -> list[dict]:
        """axe-core's violations on the page as it is now (all impacts), each with its nodes.

        Streamlit components in iframes would need their own injection; this page has none.
        """
        if not AXE.exists():  # as `require` does for Chromium: skip locally, fail in CI
            if os.environ.get("CI"):
                pytest.fail(f"CI must run the accessibility audit: {AXE} is missing (.ci/run "
                            "runs `npm ci`)", pytrace=False)
            pytest.skip(f"{AXE} is missing here: run `npm ci` once to audit the page")
        self.page.add_script_tag(path=str(AXE))
        context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
        options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)},
                   "resultTypes": ["violations"]}
        result = self.page.evaluate("([context, options]) => axe.run(context, options)",
                                    [context, options])
        return result["violations"]

    def resize(self, width: int, height: int):
        """Change the window's size, as a reader turning a screen does, and wait until every
        chart has been drawn again at its new width (a new page would compile the map's
        shaders again: some 10 s in software WebGL)."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_function(_SETTLED)

    def shot(self, name: str, full_page: bool = True):
        """Save test-output/NAME.png: all of the page, or only what the window shows."""
        OUTPUT.mkdir(exist_ok=True)
        size = self.page.viewport_size
        if full_page:  # Streamlit scrolls inside its own element: show all of it at once
            height = self.page.evaluate(_CONTENT_HEIGHT)
            self.resize(size["width"], max(size["height"], min(height, 8000)))
        self.page.screenshot(path=OUTPUT / f"{name}.png")
        if full_page:
            self.resize(size["width"], size["height"])

    def close(self):
        self.page.close()


def serious(violations: list[dict]) -> str:
    """The serious and critical violations, one line per element, or "" when there are none."""
    lines = [f"{v['impact']} {v['id']}: {v['help']} at {json.dumps(node['target'])}: "
             f"{node['failureSummary'].splitlines()[-1].strip()}"
             for v in violations if v["impact"] in ("serious", "critical")
             for node in v["nodes"]]
    return "\n".join(lines)
