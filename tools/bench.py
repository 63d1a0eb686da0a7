"""`./dev bench`: how fast the dashboard is, beside an empty script and beside the plain page a
journalist would write (the peer, tools/bench_peer.py), on the same data in the same run.

    ./dev bench [--legs 1000,10000,100000] [--places 1000] [--reruns 7] [--peer-reruns 3]
                [--starts 3] [--sessions 30[,50]] [--server plain|replicas:N]
                [--client browser|protocol] [--sessions-legs N] [--no-pages] [--json]
    ./dev bench --validate …    the loader's worst cases (tools/bench_validate.py)
    ./dev bench --story …       story-mode steps (tools/bench_story.py)

One table: the floor (an empty Streamlit script), then for the curated data, each synthetic
size (`tools.synth`, waypoints of the common routes) and the largest size up to
PEER_MOST_LEGS again through `--places` gazetteer towns, our page and the peer (on data up
to PEER_MOST_LEGS legs). Each page is measured in a fresh Python process
(tools/bench_app.py says what each column is), and the table adds the ratios: rerun ÷ the
floor's, the peer's rerun ÷ ours, our first run ÷ the peer's (each page's first run and
filter rerun beside the peer the median of `--starts` fresh starts, taken in turns).
`--sessions` adds real browser sessions at once on one server (tools/bench_sessions.py).
Last, each target of the performance issue with what was measured. Timings are printed,
never asserted: they depend on the machine and what else it runs (the load average is
printed with them).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tools.machine import machine

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_PLACES = 1_000
DEFAULT_RERUNS = 7
DEFAULT_PEER_RERUNS = 3  # the peer takes seconds per rerun at 100,000 legs
# Fresh starts, in turns, of our page and the peer (for their first runs and their reruns,
# but on the curated data) and of the floor and the curated page (for their reruns): each is
# the median of its starts (`_more_starts`).
DEFAULT_STARTS = 3
PEER_MOST_LEGS = 100_000  # past this the peer's map alone is over 50 MB of JSON
# Other benchmarks plug in as tools/bench_<name>.py with `main(argv) -> int`:
# `./dev bench --<name> …` hands them the other arguments.
PLUGINS = ("validate", "story")

COLUMNS = [
    # key, heading, format
    ("data", "data", "{}"),
    ("page", "page", "{}"),
    ("legs", "legs", "{:,}"),
    ("places", "places", "{:,}"),
    ("first_s", "first run", "{:.2f} s"),
    ("rerun_s", "filter rerun", "ms"),
    ("rerun_max_s", "worst", "ms"),
    ("rerun_cpu_s", "rerun CPU", "ms"),
    ("revisit_s", "revisit", "ms"),
    ("tab_s", "other tab", "ms"),
    ("sent_bytes", "sent per rerun", "bytes"),
    ("deck_bytes", "deck JSON", "bytes"),
    ("rss_mb", "peak RSS", "{:,.0f} MB"),
    ("rerun_ratio", "rerun ÷ floor", "{:.1f}×"),
    ("peer_rerun_ratio", "peer's rerun ÷ ours", "ratio"),
    ("peer_first_ratio", "first run ÷ peer's", "{:.2f}"),
]
PAGE_NAMES = {"ours": "routes_dash", "peer": "peer", "floor": "empty script (floor)"}


# --- measuring: one fresh process per page and data ----------------------------------------------


def measure(page: str, folder: Path | None, reruns: int, only: str | None = None) -> dict:
    """`tools.bench_app` in a fresh Python process: one page on one data folder (`only`:
    "first" for its first run alone, "reruns" for that and the filter reruns)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    env.pop("ROUTES_DASH_DATA", None)
    command = [sys.executable, "-m", "tools.bench_app", "--page", page, "--reruns", str(reruns)]
    if folder is not None:
        command += ["--folder", str(folder)]
    if only:
        command += ["--only", only]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark of {page} on {folder} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compile_package() -> None:
    """Write the bytecode of the dashboard's modules before any page is timed, as `pip
    install` does and as a server's first start does for good: where PYTHONDONTWRITEBYTECODE
    is set, each fresh process would otherwise compile them again (some 60 ms of a first
    run) at a cost no visitor of a running server pays. The libraries' bytecode was written
    when they were installed."""
    import compileall

    compileall.compile_dir(REPO / "src" / "routes_dash", quiet=1)


def run(sizes: Sequence[int], places: int = DEFAULT_PLACES, reruns: int = DEFAULT_RERUNS,
        peer_reruns: int = DEFAULT_PEER_RERUNS, seed: int = 8, curated: Path | None = None,
        log: Callable[[str], None] = lambda _: None, starts: int = DEFAULT_STARTS
        ) -> tuple[dict, list[dict]]:
    """The floor and, per data folder, our page's row and the peer's, with their ratios.
    Where the peer runs too, each page's first run is the median of `starts` fresh starts
    taken in turns (ours, the peer's, ours …), and so is its filter rerun (the median of
    each start's), but on the curated data: the floor's and the curated page's reruns are
    the median of `starts` starts of each, in turns, their ratio being the target."""
    from routes_dash import bundled
    from tools.synth import write_folder

    _compile_package()
    log("floor: an empty Streamlit script …")
    floor = measure("floor", None, reruns)
    rows: list[dict] = []

    def both(label: str, folder: Path, reruns_in_turns: bool = True) -> None:
        log(f"{label}: our page …")
        ours = {"data": label, **measure("ours", folder, reruns)}
        rows.append(ours)
        if peer_reruns and ours["legs"] <= PEER_MOST_LEGS:
            log(f"{label}: the peer …")
            peer = {"data": label, **measure("peer", folder, peer_reruns)}
            peer.update(legs=ours["legs"], people=ours["people"], places=ours["places"])
            rows.append(peer)
            if starts > 1:
                log(f"{label}: {starts - 1} more start(s) of each, in turns …")
                _more_starts([(ours, folder), (peer, folder)], starts - 1,
                             "reruns" if reruns_in_turns else "first", reruns,
                             ("first_s", "first_cpu_s")
                             + (("rerun_s", "rerun_cpu_s") if reruns_in_turns else ()),
                             ("rerun_max_s",) if reruns_in_turns else ())

    both("curated", curated or bundled.DATA, reruns_in_turns=False)
    if starts > 1:
        log(f"floor and curated: {starts - 1} more start(s) of each, in turns …")
        _more_starts([(floor, None), (rows[0], curated or bundled.DATA)], starts - 1,
                     "reruns", reruns, ("rerun_s", "rerun_cpu_s"), ("rerun_max_s",))
    with tempfile.TemporaryDirectory(prefix="routes-dash-bench-") as temp:
        for size in sizes:
            both(f"synth {size:,}", write_folder(Path(temp) / f"synth-{size}", size, seed))
        if places and sizes:  # the largest size the peer is measured on, if any
            size = max([s for s in sizes if s <= PEER_MOST_LEGS] or sizes)
            log(f"writing {size:,} legs through {places:,} gazetteer towns …")
            both(f"synth {size:,}, {places:,} towns",
                 write_folder(Path(temp) / f"towns-{size}", size, seed, places))
    for row in [floor, *rows]:
        row["rerun_ratio"] = row["rerun_s"] / floor["rerun_s"]
        row["rerun_cpu_ratio"] = row["rerun_cpu_s"] / floor["rerun_cpu_s"]
    for ours, peer in itertools.pairwise(rows):
        if ours["page"] == "ours" and peer["page"] == "peer":
            ours["peer_rerun_ratio"] = peer["rerun_s"] / ours["rerun_s"]
            ours["peer_first_ratio"] = ours["first_s"] / peer["first_s"]
            ours["peer_first_cpu_ratio"] = ours["first_cpu_s"] / peer["first_cpu_s"]
    return floor, rows


def _more_starts(pages: list[tuple[dict, Path | None]], count: int, only: str, reruns: int,
                 keys: tuple[str, ...], worst_keys: tuple[str, ...] = ()) -> None:
    """`count` more starts of each row's page on its folder, in turns (`only`: what each
    start measures, `bench_app --only`); each of a row's `keys` becomes the median over its
    starts, all of which it keeps (`<key>_starts`), and each of its `worst_keys` the
    largest. One start of each page, seconds apart,
    compares two moments of a shared machine as much as two pages: here one page's first
    run moved by 20% from start to start, and a busy spell between the floor (a few
    milliseconds) and the curated page moved their ratio by half."""
    for row, _ in pages:
        for key in keys + worst_keys:
            row[f"{key}_starts"] = [row[key]]
    for _ in range(count):
        for row, folder in pages:
            start = measure(row["page"], folder, reruns, only=only)
            for key in keys + worst_keys:
                row[f"{key}_starts"].append(start[key])
    for row, _ in pages:
        for key in keys:
            row[key] = statistics.median(row[f"{key}_starts"])
        for key in worst_keys:
            row[key] = max(row[f"{key}_starts"])


# --- printing ------------------------------------------------------------------------------------


def _cell(value, form: str) -> str:
    if value is None:
        return "—"
    if form == "ms":
        return f"{value * 1000:.1f} ms" if value < 0.01 else f"{value * 1000:,.0f} ms"
    if form == "ratio":
        return f"{value:.1f}×" if value < 10 else f"{value:,.0f}×"
    if form == "bytes":
        return f"{value / 1e6:.1f} MB" if value >= 1e6 else f"{value / 1e3:,.0f} kB"
    return form.format(value)


def table(floor: dict, rows: list[dict]) -> str:
    """The floor and the rows as one Markdown table, then what the columns mean."""
    lines = ["| " + " | ".join(heading for _, heading, _ in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in [{"data": "—", **floor}, *rows]:
        cells = {key: _cell(row.get(key), form) for key, _, form in COLUMNS}
        cells["page"] = PAGE_NAMES[row["page"]]
        lines.append("| " + " | ".join(cells[key] for key, _, _ in COLUMNS) + " |")
    lines += [
        "",
        "First run: a fresh process, imports and loading included (importing the page's "
        f"libraries alone: {floor.get('imports_s', float('nan')):.2f} s); beside the peer, the "
        "median of fresh starts of each taken in turns. Filter rerun: each to "
        "a year range that keeps legs no view before kept (median, worst, median CPU time of "
        "the process; beside the peer, the median of each start's median and CPU time, the "
        "worst of every start; the curated page's in turns with the floor's); revisit: "
        "back to a range seen before; other tab: opening a closed tab (median); sent per "
        "rerun: bytes to the browser, messages it already holds counted as "
        "references; deck JSON: the map element; peak RSS: the process that ran the page.",
        f"Machine: {machine()}.",
    ]
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(target, measured, holds) for every target the rows can speak to."""
    found = []
    for row in (r for r in rows if r["page"] == "ours"):
        label = row["data"]
        if label == "curated":
            found.append(("curated: filter rerun ≤ 15× the floor",
                          f"{row['rerun_ratio']:.1f}× (in CPU time {row['rerun_cpu_ratio']:.1f}×)",
                          row["rerun_ratio"] <= 15))
        elif row["legs"] == 100_000:
            if "peer_rerun_ratio" in row:
                found += [
                    (f"{label}: filter rerun ≥ 40× faster than the peer",
                     f"{row['peer_rerun_ratio']:.0f}×", row["peer_rerun_ratio"] >= 40),
                    (f"{label}: first run ≤ ¼ of the peer's",
                     f"{row['peer_first_ratio']:.2f} (in CPU time "
                     f"{row['peer_first_cpu_ratio']:.2f})", row["peer_first_ratio"] <= 0.25)]
            found.append((f"{label}: deck JSON ≤ 1 MB", _cell(row["deck_bytes"], "bytes"),
                          row["deck_bytes"] <= 1_000_000))
        elif row["legs"] == 250_000:
            found += [(f"{label}: first run ≤ 5 s",
                       f"{row['first_s']:.2f} s (CPU {row['first_cpu_s']:.2f} s)",
                       row["first_s"] <= 5),
                      (f"{label}: filter rerun ≤ 600 ms", f"{_cell(row['rerun_s'], 'ms')} "
                       f"(CPU {_cell(row['rerun_cpu_s'], 'ms')})", row["rerun_s"] <= 0.6)]
    return found


def target_lines(found: list[tuple[str, str, bool]]) -> str:
    return "\n".join(f"- {'holds' if holds else 'MISSED'}: {target}: {measured}"
                     for target, measured, holds in found)


# --- the command ---------------------------------------------------------------------------------


def _plugin(argv: list[str]) -> int | None:
    """Run `tools/bench_<name>.py` when asked with `--<name>`; None when not asked."""
    asked = [name for name in PLUGINS if f"--{name}" in argv]
    if not asked:
        return None
    name = asked[0]
    try:
        module = importlib.import_module(f"tools.bench_{name}")
    except ModuleNotFoundError:
        print(f"--{name}: tools/bench_{name}.py is not in this checkout", file=sys.stderr)
        return 2
    return module.main([arg for arg in argv if arg != f"--{name}"])


def _counts(text: str, what: str) -> list[int]:
    """Comma-separated counts; ValueError with a message saying what is wrong."""
    try:
        counts = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"{what} takes numbers like 1000,10000, not {text!r}") from None
    if any(count < 1 for count in counts):
        raise ValueError(f"{what}: each number must be at least 1")
    return counts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    plugged = _plugin(argv)
    if plugged is not None:
        return plugged
    parser = argparse.ArgumentParser(prog="./dev bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--legs", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="synthetic sizes, comma-separated (default 1000,10000,100000; "
                             "250000 is the upload limit)")
    parser.add_argument("--places", type=int, default=DEFAULT_PLACES,
                        help="the largest size up to 100,000 again, through this many "
                             f"gazetteer towns (default {DEFAULT_PLACES:,}; 0: not)")
    parser.add_argument("--reruns", type=int, default=DEFAULT_RERUNS,
                        help=f"filter reruns of our page per data (default {DEFAULT_RERUNS})")
    parser.add_argument("--peer-reruns", type=int, default=DEFAULT_PEER_RERUNS,
                        help=f"filter reruns of the peer (default {DEFAULT_PEER_RERUNS}; 0: "
                             "no peer)")
    parser.add_argument("--starts", type=int, default=DEFAULT_STARTS,
                        help="fresh starts of our page and the peer, in turns, for their first "
                             f"runs and reruns (the median; default {DEFAULT_STARTS})")
    parser.add_argument("--seed", type=int, default=8, help="seed of the synthetic data")
    parser.add_argument("--sessions", help="browser sessions at once, e.g. 30 or 10,30,50")
    parser.add_argument("--server", default="plain",
                        help="for --sessions: plain (one streamlit run) or replicas:N")
    parser.add_argument("--sessions-legs", type=int, default=0,
                        help="for --sessions: serve this many synthetic legs instead of the "
                             "bundled data")
    parser.add_argument("--client", choices=["browser", "protocol"], default="browser",
                        help="for --sessions: browser (N pages drawn in one Chromium) or "
                             "protocol (N sessions replaying one browser's requests and "
                             "messages, nothing drawn)")
    parser.add_argument("--no-pages", action="store_true",
                        help="only the sessions: no page table")
    parser.add_argument("--json", action="store_true", help="print everything as JSON")
    args = parser.parse_args(argv)
    try:
        sizes = _counts(args.legs, "--legs")
        counts = _counts(args.sessions, "--sessions") if args.sessions else []
    except ValueError as refused:
        print(refused, file=sys.stderr)
        return 2
    if min(args.reruns, args.starts) < 1 or min(args.peer_reruns, args.places,
                                                  args.sessions_legs) < 0:
        print("--reruns and --starts must be at least 1; --peer-reruns, --places and "
              "--sessions-legs at least 0", file=sys.stderr)
        return 2
    if counts:
        from tools import bench_sessions

        why = bench_sessions.missing()
        if why:
            print(f"--sessions needs a browser: {why}", file=sys.stderr)
            return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result: dict = {"targets": []}
    if not args.no_pages:
        floor, rows = run(sizes, args.places, args.reruns, args.peer_reruns, args.seed, log=log,
                          starts=args.starts)
        result.update(floor=floor, rows=rows, targets=targets(rows))
    if counts:
        with tempfile.TemporaryDirectory(prefix="routes-dash-bench-") as temp:
            folder = None
            if args.sessions_legs:
                from tools.synth import write_folder

                folder = write_folder(Path(temp) / f"synthetic-{args.sessions_legs}",
                                      args.sessions_legs, args.seed)
            result["sessions"] = bench_sessions.run(counts, args.server, args.client, folder,
                                                    log=log)
        result["targets"] += bench_sessions.targets(result["sessions"])
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    parts = []
    if "rows" in result:
        parts.append(table(result["floor"], result["rows"]))
    if "sessions" in result:
        parts.append(bench_sessions.table(result["sessions"], args.server))
    if result["targets"]:
        parts.append("Targets:\n" + target_lines(result["targets"]))
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
