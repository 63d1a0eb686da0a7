"""One page measured in this (fresh) process, for `./dev bench`: `python -m tools.bench_app
--page ours|peer|floor [--folder DIR] --reruns N` prints one JSON row.

A page runs in `streamlit.testing.v1.AppTest`, with ROUTES_DASH_DATA set to the folder:

- first run: the page's first full run, imports and loading included (nothing but this module
  and AppTest is imported before it, so it pays for them as a fresh server would; what a
  server does once as it starts, before any visitor, is done before it: `_started`), and its
  CPU time; `--only first` measures that alone, for another start;
- filter rerun: the median (and the worst) of N reruns, each after a change of the years
  slider to a range that keeps legs no view before kept, so nothing of that view is cached
  (each mode alone when the data has no year range); and their median CPU time (every
  thread of the process), which other work on a shared machine inflates less than the
  wall-clock time;
- revisit (ours): the median rerun after going back to a range already seen;
- other tabs (ours): the first opening of each closed tab after those reruns (only the open
  tab runs, so each is built on demand);
- sent per rerun: the bytes of the messages a filter rerun sends to the browser, counting a
  message that Streamlit's message cache lets the browser reuse (at least
  `global.minCachedMessageSize`, identical to one the browser already has) as the reference
  that replaces it;
- deck JSON: the map element's JSON as the browser receives it, after the last filter rerun;
- peak RSS: the process's peak resident memory (`resource.getrusage`, ru_maxrss);
- load+validate, locate, filter+aggregate, deck+figures (ours): each step on its own outside
  Streamlit, median of three.

The floor is an empty script run the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {"ours": REPO / "app.py", "peer": REPO / "tools" / "bench_peer.py", "floor": None}
TIMEOUT = 600  # seconds for one run: generous, a slow run is a result, not a failure
TAB_KEY = "tab"  # the page's tabs are bound to this key (ui/session.py)


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _timed_run(at) -> tuple[float, float]:
    """Wall-clock and CPU seconds (every thread of this process) of one run of `at`."""
    cpu = time.process_time()
    wall, _ = _timed(at.run)
    return wall, time.process_time() - cpu


def _median_time(action: Callable[[], object], times: int = 3) -> float:
    return statistics.median(_timed(action)[0] for _ in range(times))


def _peak_rss_mb() -> float:
    import resource

    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Sent:
    """The messages of each run, as AppTest's script runner hands them to its parser."""

    def __init__(self):
        from streamlit.testing.v1 import local_script_runner

        self.runs: list[list] = []
        parse = local_script_runner.parse_tree_from_messages

        def keep(messages):
            self.runs.append(list(messages))
            return parse(messages)

        local_script_runner.parse_tree_from_messages = keep

    def last_run_bytes(self) -> int:
        """What the last run sent, with what the run before it sent as the browser's cache."""
        from streamlit.runtime.forward_msg_cache import create_reference_msg

        before = {m.hash for m in self.runs[-2] if m.metadata.cacheable} if len(
            self.runs) > 1 else set()
        return sum(create_reference_msg(m).ByteSize() if m.metadata.cacheable
                   and m.hash in before else m.ByteSize() for m in self.runs[-1])


def _compile_once() -> None:
    """Have AppTest compile the page once per process, as a server does.

    A server's runtime keeps one compiled copy of the script for every session and rerun;
    AppTest makes a new `ScriptCache` on every run, so it parses, rewrites ("magic") and
    compiles the script again each time: about 4 ms for our page, nothing for the empty
    script, which is time no visitor waits for. Every page here (floor, ours, peer) gets the
    one cache a server would have.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    compiled = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: compiled


def _started(at) -> None:
    """Do for `at` what a server does once when it starts, before any visitor's first run.

    `streamlit run` scans the installed packages for components as its runtime starts;
    AppTest scans them in its first run instead (80-100 ms here, more with more packages
    installed), which no visitor of a running server waits for. Every page here (floor,
    ours, peer) is given the scan before its first run is timed.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    at._bidi_component_manager = components  # AppTest keeps its scan here, once per test


def app_runs(page: str, reruns: int, extras: bool = True) -> dict:
    """First run, filter-change reruns (and, for ours, revisits and tabs, unless not
    `extras`) of `page`."""
    from streamlit.testing.v1 import AppTest

    _compile_once()
    sent = _Sent()
    script = PAGES[page]
    at = (AppTest.from_string("", default_timeout=TIMEOUT) if script is None
          else AppTest.from_file(str(script), default_timeout=TIMEOUT))
    _started(at)
    first, first_cpu = _timed_run(at)
    _raise_exceptions(at)
    changes = filter_changes(at, reruns) if script is not None else [None] * reruns
    times, cpu, sizes = [], [], []
    for change in changes:
        if change is not None:
            change(at)
        wall, used = _timed_run(at)
        times.append(wall)
        cpu.append(used)
        _raise_exceptions(at)
        sizes.append(sent.last_run_bytes())
    row = {"first_s": first, "first_cpu_s": first_cpu, "rerun_s": statistics.median(times),
           "rerun_max_s": max(times), "rerun_all_s": times,
           "rerun_cpu_s": statistics.median(cpu), "sent_bytes": statistics.median(sizes)}
    decks = at.get("deck_gl_json_chart")
    if decks:
        row["deck_bytes"] = len(decks[0].proto.json.encode())
    if not extras:
        return row
    if page != "peer":  # the peer caches nothing: a revisit is a rerun like any other
        revisits = []
        for change in changes[:2] * 2:  # back and forth between two views seen before
            if change is not None:
                change(at)
            revisits.append(_timed(at.run)[0])
        row["revisit_s"] = statistics.median(revisits)
    if page == "ours":
        row["tabs_s"] = _tabs(at)
        row["tab_s"] = statistics.median(row["tabs_s"].values())
    row["rss_mb"] = _peak_rss_mb()
    return row


def _raise_exceptions(at) -> None:
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.value for e in at.exception]}")


def filter_changes(at, count: int) -> list[Callable]:
    """`count` filter changes, each to a year range that keeps legs no view before kept.

    Year ranges that keep most legs (the heaviest views): first+1 … last, first+2 … last, …,
    then first … last-1, …, each kept only if it keeps another number of legs than the ranges
    before it (the page reuses what it built for the same legs); without a year slider (no
    known years), each mode alone.
    """
    sliders = [s for s in at.slider if s.key == "filter_years"]
    if sliders:
        low, high = int(sliders[0].min), int(sliders[0].max)
        ranges = _new_leg_sets(low, high) or [(low, high)]
        return [lambda at, r=r: at.slider(key="filter_years").set_value(r)
                for r in (ranges * count)[:count]]
    modes = list(at.multiselect(key="filter_modes").options)
    return [lambda at, m=m: at.multiselect(key="filter_modes").set_value([m])
            for m in (modes * count)[:count]]


def _new_leg_sets(low: int, high: int) -> list[tuple[int, int]]:
    """The year ranges of `filter_changes`, in order, that each keep a new number of legs of
    the data folder (a leg is kept when its years overlap the range)."""
    import numpy as np
    import pandas as pd

    years = pd.read_csv(Path(os.environ["ROUTES_DASH_DATA"]) / "legs.csv",
                        usecols=lambda column: column in ("year", "year_end"))
    start = pd.to_numeric(years["year"], errors="coerce").to_numpy(dtype=float)
    end = (pd.to_numeric(years["year_end"], errors="coerce").to_numpy(dtype=float)
           if "year_end" in years else start)
    end = np.where(np.isnan(end), start, end)
    candidates = [(low + i, high) for i in range(1, high - low + 1)]
    candidates += [(low, high - i) for i in range(1, high - low + 1)]
    seen = {int(np.count_nonzero((start <= high) & (end >= low)))}
    ranges = []
    for first, last in candidates:
        kept = int(np.count_nonzero((start <= last) & (end >= first)))
        if kept not in seen:
            seen.add(kept)
            ranges.append((first, last))
    return ranges


def _tabs(at) -> dict[str, float]:
    """Seconds to open each closed tab once (it is built then, for the current view)."""
    opened = at.tabs[0].label if at.tabs else None
    labels = [tab.label for tab in at.tabs]
    times = {}
    for label in labels:
        if label == opened:
            continue
        at.session_state[TAB_KEY] = label
        times[label] = _timed(at.run)[0]
        _raise_exceptions(at)
    at.session_state[TAB_KEY] = opened
    at.run()
    return times


def components(folder: Path) -> dict:
    """Each step of our page on its own, outside Streamlit (median of three)."""
    import pandas as pd

    from routes_dash import bundled
    from routes_dash.contract.load import read_legs, read_people
    from routes_dash.journeys import filters
    from routes_dash.journeys.locate import locate_legs
    from routes_dash.places.countries import country_points
    from routes_dash.places.resolver import places_table
    from routes_dash.render import charts, flow, legend, maps

    def load():
        people = read_people(folder / "people.csv")
        return people, read_legs(folder / "legs.csv", people=people)

    def locate():  # the geocode cache answers every place; nothing is written
        places = places_table(legs, folder)
        return locate_legs(legs, places, people, country_points())

    people, legs = load()
    located = locate()
    options = filters.filter_options(located)
    chosen = filters.Filters(years=(options.years[0] + 1, options.years[1])
                             if options.years and options.years[0] < options.years[1] else None)
    shown = filters.filter_legs(located, chosen)
    arrivals_path = folder / "arrivals.csv"
    arrivals = pd.read_csv(arrivals_path if arrivals_path.exists()
                           else bundled.DATA / "arrivals.csv")

    def build():
        return (maps.build_deck(shown), charts.timeline_chart(shown),
                charts.legs_by_mode(shown), charts.outcomes_by_country(shown),
                charts.legs_by_year(shown, arrivals), flow.outcome_flow(shown),
                legend.legend_html("mode", maps.route_data(shown)[1]))

    return {
        "legs": len(legs), "people": int(legs["person"].nunique()),
        "places": len(set(legs["from"]) | set(legs["to"])),
        "load_s": _median_time(load),
        "locate_s": _median_time(locate),
        "filter_s": _median_time(lambda: maps.route_data(
            filters.filter_legs(located, chosen))),
        "build_s": _median_time(build),
    }


def measure(page: str, folder: Path | None, reruns: int, only: str | None = None) -> dict:
    """One row, measured in this process: the page's runs first, then our page's parts;
    `only` "first" (the first run) or "reruns" (the first run and the filter reruns), for
    another start of a page measured already."""
    if only == "first":
        return first_run(page, folder)
    if folder is not None:
        os.environ["ROUTES_DASH_DATA"] = str(folder)
    if only == "reruns":
        return app_runs(page, reruns, extras=False)
    row = {"page": page, **app_runs(page, reruns)}
    if page == "floor":
        start = time.perf_counter()
        import routes_dash.render.charts
        import routes_dash.render.maps
        import routes_dash.ui.loading  # noqa: F401  (the libraries the page imports)
        row["imports_s"] = time.perf_counter() - start
    elif page == "ours" and folder is not None:
        row.update(components(folder))
    return row


def first_run(page: str, folder: Path | None) -> dict:
    """The page's first run alone, in this fresh process (another start of `measure`'s)."""
    from streamlit.testing.v1 import AppTest

    if folder is not None:
        os.environ["ROUTES_DASH_DATA"] = str(folder)
    _compile_once()
    at = AppTest.from_file(str(PAGES[page]), default_timeout=TIMEOUT)
    _started(at)
    first, first_cpu = _timed_run(at)
    _raise_exceptions(at)
    return {"first_s": first, "first_cpu_s": first_cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one page, measured in this process")
    parser.add_argument("--page", choices=sorted(PAGES), required=True)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--reruns", type=int, required=True)
    parser.add_argument("--only", choices=["first", "reruns"],
                        help="only the first run, or the first run and the filter reruns")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.page, args.folder, args.reruns, args.only)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
