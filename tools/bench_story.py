"""Story mode's step timings, for `./dev bench` (or `python -m tools.bench_story`).

A step (Next, the → key, a leg clicked on the timeline) reruns only the slide, an
`st.fragment`. Measured on the curated data, stepping through the longest bundled story:

- floor: an empty Streamlit script rerun in AppTest (median);
- slide rerun: the slide's fragment alone in AppTest, each step a rerun after Next — what a
  real server reruns on a key press (AppTest cannot rerun one fragment of a page, so the
  fragment is run as a script of its own). First visits build the slide's map and timeline;
  revisits (Previous) find them built;
- page rerun: the whole page in AppTest after Next, sidebar included (what AppTest reruns);
- key to paint: in Debian's Chromium at 1280×720 against a real `streamlit run`, from the →
  key's keydown to the next slide's sentence on screen and two animation frames drawn after
  it; and to the end of the step's run (every element of the slide delivered).

Each AppTest measurement runs in a fresh process. Timings are printed, never asserted: they
depend on the machine and on what else it runs (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tools.machine import machine

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 600
DEFAULT_STEPS = 7
TARGET_RATIO, TARGET_PAINT_S = 10, 1.0


def longest_story() -> tuple[str, int]:
    """The bundled person with the most slides, and how many."""
    from routes_dash.journeys import story
    from routes_dash.journeys.dataset import load_folder

    legs = load_folder(REPO / "data").legs
    person = legs["person"].value_counts().idxmax()
    return str(person), story.slide_count(story.steps(legs, person))


def _slide_only(person: str) -> None:
    # Run by AppTest as a script of its own: the story's slide fragment and nothing else.
    import streamlit as st

    from routes_dash.journeys.filters import Filters
    from routes_dash.ui import loading, story_mode
    from routes_dash.ui.session import STORY_PERSON

    st.session_state.setdefault(STORY_PERSON, person)
    story_mode.current_slide(loading.dataset_or_stop(), person, Filters())


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _app_steps(what: str, person: str, steps: int) -> dict:
    """Reruns in AppTest: `floor`, `slide` (the fragment alone) or `page` (the whole page)."""
    from streamlit.testing.v1 import AppTest

    if what == "floor":
        at = AppTest.from_string("", default_timeout=TIMEOUT)
        at.run()
        times = [_timed(at.run) for _ in range(2 * steps)]
        return {"median_s": statistics.median(times)}
    if what == "slide":
        at = AppTest.from_function(_slide_only, kwargs={"person": person},
                                   default_timeout=TIMEOUT)
    else:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.query_params["story"] = person
    at.run()
    if at.exception:
        raise RuntimeError(f"the story raised: {[e.value for e in at.exception]}")
    first = [_timed(at.button(key="story_next").click().run) for _ in range(steps)]
    again = [_timed(at.button(key="story_previous").click().run) for _ in range(steps)]
    if at.exception:
        raise RuntimeError(f"the story raised: {[e.value for e in at.exception]}")
    return {"median_s": statistics.median(first), "worst_s": max(first),
            "revisit_s": statistics.median(again)}


def _worker(what: str, person: str, steps: int) -> dict:
    """`_app_steps` in a fresh Python process, so no cache of one measurement helps another."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), str(REPO / "src"), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("ROUTES_DASH_DATA", None)
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench_story", "--worker", what, "--person", person,
         "--steps", str(steps)], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"story benchmark ({what}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning';
}"""
SHOWN = "() => window.__step.painted !== null && window.__step.done !== null"
MISSED_AFTER_S = 20  # a key press with no slide after this long is counted as missed
_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Marks, in the page, the keydown, the next slide's sentence on screen, two frames after it,
# and the end of the step's run.
_WATCH = """(expected) => {
  window.__step = {key: null, text: null, painted: null, done: null};
  const step = window.__step;
  document.addEventListener('keydown', () => { step.key = performance.now(); },
                            {capture: true, once: true});
  const app = document.querySelector('[data-testid="stApp"]');
  const check = () => {
    const lead = document.querySelector('.st-key-story_lead p');
    if (step.text === null && lead && lead.innerText === expected) {
      step.text = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        step.painted = performance.now(); }));
    }
    if (step.text !== null && step.done === null
        && app.getAttribute('data-test-script-state') === 'notRunning') {
      step.done = performance.now();
    }
  };
  new MutationObserver(check).observe(document.body, {subtree: true, childList: true,
    characterData: true, attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_steps(person: str, steps: int) -> dict:
    """Key press → painted slide in Chromium against a real `streamlit run`."""
    if not CHROMIUM.exists():
        return {"skipped": f"no {CHROMIUM}"}
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from routes_dash.journeys import story
    from routes_dash.journeys.dataset import load_folder

    data = load_folder(REPO / "data")
    legs = story.steps(data.legs, person)
    row = data.people.set_index("person").loc[person].to_dict()
    leads = [s.lead for s in story.slides(legs, {**row, "person": person}, data.sources)]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
         "--server.headless", "true"], cwd=REPO, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env={**os.environ, "ROUTES_DASH_DATA": str(REPO / "data")})
    try:
        _wait_healthy(f"http://localhost:{port}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.set_default_timeout(TIMEOUT * 1000)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                "http://localhost") else r.abort())
            page.goto(f"http://localhost:{port}/?story={person}&present=1")
            page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas')
            page.wait_for_function(_IDLE)
            page.wait_for_load_state("networkidle")
            page.evaluate(_FRAMES)
            text, paint, done, missed = [], [], [], 0
            for step in range(1, steps + 1):
                page.evaluate(_WATCH, leads[step])
                page.keyboard.press("ArrowRight")
                while True:
                    try:
                        page.wait_for_function(SHOWN, timeout=MISSED_AFTER_S * 1000)
                        break
                    except PlaywrightTimeout:  # counted, and pressed again; the time runs on
                        missed += 1
                        page.keyboard.press("ArrowRight")
                page.wait_for_function(_IDLE)
                marks = page.evaluate("() => window.__step")
                text.append((marks["text"] - marks["key"]) / 1000)
                paint.append((marks["painted"] - marks["key"]) / 1000)
                done.append((max(marks["done"], marks["painted"]) - marks["key"]) / 1000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"text_s": statistics.median(text), "text_worst_s": max(text),
            "paint_s": statistics.median(paint), "paint_worst_s": max(paint),
            "done_s": statistics.median(done), "done_worst_s": max(done), "missed": missed}


def _wait_healthy(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def measure(steps: int = DEFAULT_STEPS, log: Callable[[str], None] = lambda _: None) -> dict:
    """Every story timing, as a dict (seconds)."""
    person, slides = longest_story()
    steps = max(1, min(steps, slides - 1))
    log(f"story mode: {steps} steps of {person}'s story …")
    result = {"person": person, "steps": steps,
              "floor": _worker("floor", person, steps),
              "slide": _worker("slide", person, steps),
              "page": _worker("page", person, steps),
              "browser": _browser_steps(person, steps)}
    for what in ("slide", "page"):
        result[what]["ratio"] = result[what]["median_s"] / result["floor"]["median_s"]
    return result


def table(result: dict) -> str:
    """The story timings as a Markdown table, with the targets."""
    floor = result["floor"]["median_s"]
    lines = [f"Story mode: {result['steps']} steps of {result['person']}'s story "
             "(curated data)", "",
             "| step | median | worst | revisit | × floor |", "|---|---|---|---|---|"]
    for what, label in (("slide", "slide rerun (the fragment a key press reruns)"),
                        ("page", "whole page rerun (AppTest, sidebar included)")):
        row = result[what]
        lines.append(f"| {label} | {row['median_s'] * 1000:.0f} ms | "
                     f"{row['worst_s'] * 1000:.0f} ms | {row['revisit_s'] * 1000:.0f} ms | "
                     f"{row['ratio']:.1f}× |")
    browser = result["browser"]
    if "skipped" in browser:
        lines.append(f"| key → painted slide (Chromium) | skipped: {browser['skipped']} | | | |")
    else:
        lines.append(f"| key → the slide's sentence on screen (Chromium, 1280×720) | "
                     f"{browser['text_s'] * 1000:.0f} ms | "
                     f"{browser['text_worst_s'] * 1000:.0f} ms | | |")
        lines.append(f"| key → painted slide, map drawn (Chromium, 1280×720) | "
                     f"{browser['paint_s'] * 1000:.0f} ms | "
                     f"{browser['paint_worst_s'] * 1000:.0f} ms | | |")
        lines.append(f"| key → step's run done (Chromium) | {browser['done_s'] * 1000:.0f} ms | "
                     f"{browser['done_worst_s'] * 1000:.0f} ms | | |")
        if browser.get("missed"):
            lines.append(f"| key presses with no slide after {MISSED_AFTER_S} s (pressed "
                         f"again) | {browser['missed']} | | | |")
    lines += ["", f"Floor: an empty script's rerun in AppTest, {floor * 1000:.1f} ms (median). "
              f"Targets: a slide rerun within {TARGET_RATIO}× the floor; key to paint under "
              f"{TARGET_PAINT_S:.0f} s. Machine: {machine()}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.bench_story [--steps N] [--json]`."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench_story",
                                     description="time story mode's steps")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS,
                        help=f"steps through the story (default {DEFAULT_STEPS})")
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--person", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:  # one AppTest measurement, in a fresh process started by `_worker`
        print(json.dumps(_app_steps(args.worker, args.person, args.steps)))
        return 0
    if args.steps < 1:
        print("--steps must be at least 1", file=sys.stderr)
        return 2
    result = measure(args.steps, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
