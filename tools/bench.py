"""`./dev bench`: how fast the dashboard is, from the curated data to 100k legs.

One run measures, for the curated data folder and for each size N (synthesised into a
temporary folder with `tools.synth`):

- load+validate: reading and checking legs.csv and people.csv (`read_people`, `read_legs`);
- locate: the places' coordinates from the geocode cache (`places_table`) joined to
  every leg (`locate_legs`);
- filter+aggregate: a year-range filter and the map's grouping into routes (`map_data`);
- deck+figures: building the pydeck map and every plotly figure of the page;
- deck JSON: the size of `deck.to_json()`, what the browser receives for the map;
- first run: the page's first full run in `streamlit.testing.v1.AppTest` in a fresh process
  (imports, loading and every section included), with ROUTES_DASH_DATA set to the folder;
- filter rerun: the median (and the worst) of several reruns, each after a filter change to a
  year range not seen before, so nothing of that view is cached;
- revisit rerun: the median rerun after going back to a year range already seen (cached);
- peak RSS: the process's peak resident memory after the app's runs (`resource.getrusage`,
  ru_maxrss), i.e. the server side of the page, before the component timings above.

and the floor: an empty Streamlit script run the same way (first run, median rerun). Each
measurement runs in its own fresh Python process, so one size's caches and memory do not
leak into the next. Timings are printed, never asserted: they depend on the machine and on
what else it runs (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tools import bench_story

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_RERUNS = 7
TIMEOUT = 600  # seconds for one AppTest run: generous, a slow run is a result, not a failure

COLUMNS = [
    # key, heading, format
    ("data", "data", "{}"),
    ("legs", "legs", "{:,}"),
    ("people", "people", "{:,}"),
    ("load_s", "load+validate", "{:.3f} s"),
    ("locate_s", "locate (cache)", "{:.3f} s"),
    ("filter_s", "filter+aggregate", "{:.3f} s"),
    ("build_s", "deck+figures", "{:.3f} s"),
    ("deck_bytes", "deck JSON", "{:,} B"),
    ("first_s", "first run", "{:.2f} s"),
    ("rerun_s", "filter rerun (median)", "{:.0f} ms"),
    ("rerun_max_s", "worst", "{:.0f} ms"),
    ("rerun_ratio", "× floor", "{:.1f}×"),
    ("revisit_s", "revisit rerun", "{:.0f} ms"),
    ("rss_mb", "peak RSS", "{:.0f} MB"),
]
MILLISECONDS = {"rerun_s", "rerun_max_s", "revisit_s"}


# --- measuring, inside one worker process ---------------------------------------------------


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _median_time(action: Callable[[], object], times: int = 3) -> float:
    return statistics.median(_timed(action)[0] for _ in range(times))


def _peak_rss_mb() -> float:
    import resource

    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app_runs(script: Path | None, folder: Path | None, reruns: int) -> dict:
    """First run, filter-change reruns and revisits of `script` in AppTest (the floor when
    `script` is None: an empty script rerun as often)."""
    from streamlit.testing.v1 import AppTest

    if folder is not None:
        os.environ["ROUTES_DASH_DATA"] = str(folder)
    if script is None:
        at = AppTest.from_string("", default_timeout=TIMEOUT)
    else:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    first, _ = _timed(at.run)
    _raise_exceptions(at)
    changes = _filter_changes(at, reruns) if script is not None else [None] * (reruns + 2)
    times = []
    for change in changes[:reruns]:
        if change is not None:
            change(at)
        times.append(_timed(at.run)[0])
        _raise_exceptions(at)
    revisits = []
    for change in changes[:2] * 2:  # back and forth between two views seen before
        if change is not None:
            change(at)
        revisits.append(_timed(at.run)[0])
    return {"first_s": first, "rerun_s": statistics.median(times), "rerun_max_s": max(times),
            "rerun_all_s": times, "revisit_s": statistics.median(revisits),
            "rss_mb": _peak_rss_mb()}


def _raise_exceptions(at) -> None:
    if at.exception:
        raise RuntimeError(f"the app raised: {[e.value for e in at.exception]}")


def _filter_changes(at, count: int) -> list[Callable]:
    """`count` filter changes, each to a year range the run has not seen yet.

    Year ranges that keep most legs (the heaviest views): first, last-1 … ; without a year
    slider (no known years), each mode alone.
    """
    sliders = [s for s in at.slider if s.key == "filter_years"]
    if sliders:
        low, high = int(sliders[0].min), int(sliders[0].max)
        ranges = [(low + i, high) for i in range(1, high - low + 1)]
        ranges += [(low, high - i) for i in range(1, high - low + 1)]
        ranges = ranges[:count] or [(low, high)]
        return [lambda at, r=r: at.slider(key="filter_years").set_value(r)
                for r in (ranges * count)[:count]]
    modes = [m for m in at.multiselect(key="filter_modes").options]
    return [lambda at, m=m: at.multiselect(key="filter_modes").set_value([m])
            for m in (modes * count)[:count]]


def _components(folder: Path) -> dict:
    """Each step of the page on its own, outside Streamlit (median of three)."""
    import pandas as pd

    from routes_dash import bundled
    from routes_dash.contract.load import read_legs, read_people
    from routes_dash.journeys import filters, routes
    from routes_dash.journeys.locate import locate_legs
    from routes_dash.places.countries import country_points
    from routes_dash.places.resolver import places_table
    from routes_dash.render import charts, legend, maps

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
        return (maps.build_deck(shown), charts.timeline(shown), charts.legs_by_mode(shown),
                charts.outcomes_by_country(shown), charts.legs_by_year(shown, arrivals),
                charts.outcome_flow(shown),
                legend.legend_drawing(*legend.legend_entries(shown)))

    deck = build()[0]
    return {
        "legs": len(legs), "people": int(legs["person"].nunique()),
        "load_s": _median_time(load),
        "locate_s": _median_time(locate),
        "filter_s": _median_time(lambda: routes.map_data(
            filters.filter_legs(located, chosen))),
        "build_s": _median_time(build),
        "deck_bytes": len(deck.to_json().encode()),
    }


def worker(label: str, folder: Path | None, reruns: int) -> dict:
    """One row, measured in this (fresh) process: the app's runs first, then its parts."""
    row: dict = {"data": label}
    if folder is None:
        row.update(_app_runs(None, None, reruns))
        start = time.perf_counter()
        import routes_dash.render.charts
        import routes_dash.render.maps
        import routes_dash.ui.loading  # noqa: F401  (the libraries the page imports)
        row["imports_s"] = time.perf_counter() - start
        return row
    row.update(_app_runs(APP, folder, reruns))
    row.update(_components(folder))
    return row


# --- orchestrating: one fresh process per row -------------------------------------------------


def measure(label: str, folder: Path | None, reruns: int) -> dict:
    """Run `worker` in a fresh Python process and return its row."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    env.pop("ROUTES_DASH_DATA", None)
    # Nothing but this module is imported before the app's first run, so that run pays for
    # its imports as a fresh server would.
    command = [sys.executable, "-m", "tools.bench", "--worker", label,
               "--reruns", str(reruns)]
    if folder is not None:
        command += ["--folder", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark of {label} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes: Sequence[int], reruns: int = DEFAULT_RERUNS, seed: int = 8,
        curated: Path | None = None, log: Callable[[str], None] = lambda _: None
        ) -> tuple[dict, list[dict]]:
    """The floor and one row per data folder: curated, then each synthetic size."""
    from routes_dash import bundled
    from tools.synth import write_folder

    log("floor: an empty Streamlit script …")
    floor = measure("floor", None, reruns)
    rows = []
    log("curated data …")
    rows.append(measure("curated", curated or bundled.DATA, reruns))
    with tempfile.TemporaryDirectory(prefix="routes-dash-bench-") as temp:
        for size in sizes:
            log(f"{size:,} synthetic legs …")
            folder = write_folder(Path(temp) / f"synth-{size}", size, seed)
            rows.append(measure(f"synth {size:,}", folder, reruns))
    for row in rows:
        row["rerun_ratio"] = row["rerun_s"] / floor["rerun_s"]
        row["first_ratio"] = row["first_s"] / floor["first_s"]
    return floor, rows


def table(floor: dict, rows: list[dict]) -> str:
    """The rows as a Markdown table, then the floor and the machine."""
    lines = ["| " + " | ".join(heading for _, heading, _ in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in rows:
        cells = []
        for key, _, form in COLUMNS:
            value = row.get(key)
            if key in MILLISECONDS and value is not None:
                value *= 1000
            cells.append("—" if value is None else form.format(value))
        lines.append("| " + " | ".join(cells) + " |")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines += [
        "",
        f"Floor (an empty Streamlit script in AppTest): first run {floor['first_s']:.2f} s, "
        f"rerun median {floor['rerun_s'] * 1000:.1f} ms; importing the app's libraries "
        f"(pandas, plotly, pydeck) {floor.get('imports_s', float('nan')):.2f} s.",
        "First run: a fresh process, so it includes those imports and loading the data. "
        "Filter rerun: each to a year range not seen before (nothing cached); revisit: back to "
        "one already seen.",
        "Peak RSS: resource.getrusage(RUSAGE_SELF).ru_maxrss of the process that ran the app.",
        f"Machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f} / "
        f"{load[2]:.2f} (1/5/15 min) at the end; Python {sys.version.split()[0]}.",
    ]
    return "\n".join(lines)


# --- the command ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """`./dev bench [--legs …] [--reruns N] [--seed S] [--json]`."""
    parser = argparse.ArgumentParser(
        prog="./dev bench", description="time the dashboard on the curated data and on "
        "synthetic data")
    parser.add_argument("--legs", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="synthetic sizes, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--reruns", type=int, default=DEFAULT_RERUNS,
                        help=f"filter-change reruns per size (default {DEFAULT_RERUNS})")
    parser.add_argument("--seed", type=int, default=8, help="seed of the synthetic data")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:  # one measurement, in a fresh process started by `measure`
        print(json.dumps(worker(args.worker, args.folder, args.reruns)))
        return 0
    try:
        sizes = [int(part.replace("_", "")) for part in args.legs.split(",") if part.strip()]
    except ValueError:
        print(f"--legs takes sizes like 1000,10000,100000, not {args.legs!r}", file=sys.stderr)
        return 2
    if args.reruns < 1 or any(size < 1 for size in sizes):
        print("--legs sizes and --reruns must be at least 1", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    floor, rows = run(sizes, args.reruns, args.seed, log=log)
    story = bench_story.measure(args.reruns, log=log)  # story mode's step timings
    if args.json:
        print(json.dumps({"floor": floor, "rows": rows, "story": story}, indent=2))
    else:
        print(table(floor, rows))
        print("\n" + bench_story.table(story))
    return 0


if __name__ == "__main__":
    sys.exit(main())
