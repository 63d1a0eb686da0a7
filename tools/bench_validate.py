"""`./dev bench --validate`: every validation rule on the worst file it can meet.

For every rule of the data contract, a file at the upload limit (250,000 rows, just under
25 MB) that breaks the rule on every row, and the largest valid files; each is read from its
bytes, as an upload is (`read_legs`, `read_people` or `read_sources`), in a fresh process,
three times, and the fastest timed in seconds and in CPU seconds (the process's own, which
other work on the machine does not inflate). A bad file must be refused with its own rule's
message and a valid one read whole, else the table says so. Target: each answered in ≤ 3 s.
Timings are printed, never asserted (they depend on the machine and on what else it runs;
the load average is printed with them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from routes_dash.contract import schema
from tools.machine import machine

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
TIMEOUT = 300  # seconds for one file: a slow read is a result, not a failure

LEGS = list(schema.LEG_COLUMNS)
PEOPLE = list(schema.PEOPLE_COLUMNS)
SOURCES = list(schema.SOURCES_COLUMNS)
# The column each kind of file is padded in to reach the size of the upload limit.
PADDED = {"legs": "note", "people": "summary", "sources": "note"}


def valid_leg(i: int) -> dict[str, str]:
    return {"person": f"p{i // 5}", "leg": str(i % 5 + 1), "from": "Hyesan, North Korea",
            "to": "Changbai, China", "mode": "on foot", "year": str(1990 + i % 30),
            "outcome": "crossed", "year_end": "", "precision": "city",
            "certainty": "documented", "source": f"s{i % 40}", "note": ""}


def valid_person(i: int) -> dict[str, str]:
    return {"person": f"p{i}", "name": f"Person {i}", "born": str(1950 + i % 50),
            "anonymized": ("yes", "no")[i % 2], "summary": "", "source": f"s{i % 40}",
            "since": "", "since_source": ""}


def valid_source(i: int) -> dict[str, str]:
    return {"id": f"s{i}", "title": f"Source {i}", "author": "A. Writer",
            "outlet": "The Paper", "date": "2014-05-01", "url": f"https://example.org/{i}",
            "kind": "news", "accessed": "2024", "note": ""}


VALID_ROW = {"legs": valid_leg, "people": valid_person, "sources": valid_source}
HEADERS = {"legs": LEGS, "people": PEOPLE, "sources": SOURCES}


_PAD = "\x01"  # where the padding goes, until the file's size is known


def _cell(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def table(kind: str, rows: int, size: int, change: Callable[[int, dict], None] | None = None,
          header: list[str] | None = None) -> bytes:
    """A CSV of `kind` with `rows` rows, each made by `change(i, row)` from a valid row, its
    free-text column (when the change leaves it empty) padded to bring the file to just
    under `size` bytes."""
    header = header or HEADERS[kind]
    padded = PADDED[kind]
    lines = [",".join(header)]
    for i in range(rows):
        row = VALID_ROW[kind](i)
        if change:
            change(i, row)
        if not row.get(padded):
            row[padded] = _PAD
        lines.append(",".join(_cell(row.get(column, "")) for column in header))
    text = "\n".join(lines) + "\n"
    count = text.count(_PAD)
    pad = 0
    if count and size:
        pad = min(max(0, (size - len(text.encode()) + count) // count), schema.MAX_CELL_CHARS)
    return text.replace(_PAD, "n" * pad).encode()


def _set(**cells: Callable[[int], str] | str):
    """A `change` that sets each named cell, to a value or to `f(i)`."""
    def change(i: int, row: dict) -> None:
        for column, value in cells.items():
            row[column] = value(i) if callable(value) else value
    return change


@dataclass(frozen=True)
class Case:
    name: str  # what the file breaks, or "valid …"
    kind: str  # which file it is: legs, people, sources
    build: Callable[[int, int], bytes]  # (rows, bytes) → the file
    expect: str = ""  # words of the problem it must be refused with; "" for a valid file
    column: str | None = None  # the column the first problem names
    value: str | None = None  # the value the first problem names
    # What the file is checked against, read first: "people" (one other person), "sources"
    # (40 sources) or "sources at the limit" (a sources.csv as large as allowed).
    context: str = ""
    row: int | None = 2  # the row the first problem names (the first row of data)


def _rule(name, kind, expect, column, value, context="", /, **cells) -> Case:
    """A case whose file sets `cells` (column=value, or column=f(i)) in every row."""
    return Case(name, kind, lambda rows, size: table(kind, rows, size, _set(**cells)), expect,
                column, value, context)


def _gap(i, row):  # issue 20's file: every person's legs start at 2
    row.update(person=f"p{i}", leg="2")


def _repeat(i, row):
    row.update(person=f"p{i // 2}", leg="1")


def _before(i, row):
    row["year_end"] = str(int(row["year"]) - 1)


def _wide(columns: int) -> Callable[[int, int], bytes]:
    """Legs with `columns` columns, their places short to leave room for the extra cells."""
    header = LEGS + [f"extra{n}" for n in range(columns - len(LEGS))]
    cells = {column: "x" for column in header[len(LEGS):]} | {"from": "Hyesan", "to": "Yanji"}
    return lambda rows, size: table("legs", rows, size, _set(**cells), header)


def _utf16_without_bom(rows: int, size: int) -> bytes:
    return table("legs", rows // 2, size // 2).decode().encode("utf-16-le")


def _most_rows(rows: int, size: int) -> bytes:
    header, line = b"person,leg,from,to,mode,year,outcome\n", b"p,1,a,b,bus,,crossed\n"
    return header + line * max(rows + 1, (size - len(header)) // len(line))  # as many as fit


def _long_cells(rows: int, size: int) -> bytes:
    long = "n" * (schema.MAX_CELL_CHARS + 1)
    return table("legs", max(1, min(rows, size // (len(long) + 100))), 0, _set(note=long))


def _one_huge_cell(rows: int, size: int) -> bytes:
    huge = "Hyesan" * (max(schema.MAX_CELL_CHARS, min(10_000_000, size // 2)) // 6 + 1)
    return table("legs", 2, 0, _set(**{"from": lambda i: huge if i == 0 else "Hyesan"}))


def _bytes_in_every_row(find: bytes, replace: bytes) -> Callable[[int, int], bytes]:
    return lambda rows, size: table("legs", rows, size - rows).replace(find, replace)


def _open_quote(rows: int, size: int) -> bytes:
    """A quote opened in the first row and closed nowhere after it."""
    plain = _set(**{"from": "Hyesan", "to": "Changbai"})
    return table("legs", rows, size, plain).replace(b"\np0,1,", b'\n"p0,1,', 1)


def _over_the_size(rows: int, size: int) -> bytes:
    data = table("legs", rows, size)
    return data + b"n" * (schema.MAX_FILE_BYTES + 1 - len(data))


CASES: tuple[Case, ...] = (
    Case("valid legs", "legs", lambda rows, size: table("legs", rows, size)),
    Case("valid legs, 20 columns", "legs", _wide(schema.MAX_COLUMNS)),
    Case("valid legs, UTF-16 without BOM", "legs", _utf16_without_bom),
    Case("valid people", "people", lambda rows, size: table("people", rows, size)),
    Case("valid sources", "sources", lambda rows, size: table("sources", rows, size)),
    # --- the file as a whole
    Case("over 25 MB", "legs", _over_the_size, "is larger than", row=None),
    Case("over 250,000 rows", "legs", _most_rows, "rows; at most", row=None),
    Case("21 columns", "legs", _wide(schema.MAX_COLUMNS + 1), "columns; at most", row=1),
    Case("cells over 2,000 characters", "legs", _long_cells, "characters; at most", "note",
         "n" * 40 + "…"),
    Case("one 10 MB place name", "legs", _one_huge_cell, "characters; at most", "from",
         "Hyesan" * 6 + "Hyes…"),
    Case("a header and no rows", "legs", lambda rows, size: ",".join(LEGS).encode() + b"\n",
         "no rows of data", row=None),
    Case("a required column missing", "legs",
         lambda rows, size: table("legs", rows, size).replace(b"mode", b"travel", 1),
         "column 'mode' is missing", "mode", row=None),
    Case("a column twice", "legs",
         lambda rows, size: table("legs", rows, size).replace(b"note", b"mode", 1),
         "appears twice", "mode", row=1),
    Case("values in a column without a name", "legs",
         lambda rows, size: table("legs", rows, size).replace(b",source,", b",,", 1),
         "no name in the header", row=1),
    Case("a cell too many", "legs", _bytes_in_every_row(b"crossed", b"cross,ed"),
         "cells but the header has"),
    Case("a quote never closed", "legs", _open_quote, "never closed"),
    Case("not UTF-8", "legs", _bytes_in_every_row(b"Changbai", b"Ch\xe1ngbai"), "not UTF-8"),
    Case("a zero byte", "legs", _bytes_in_every_row(b"Hyesan", b"Hye\x00an"),
         "not a text file"),
    _rule("right-to-left override", "legs", "invisible character", "person", "p0<U+202E>",
          person=lambda i: f"p{i // 5}\u202e"),
    # --- legs.csv
    _rule("empty from", "legs", "is empty", "from", "", **{"from": ""}),
    _rule("mode not allowed", "legs", "is not allowed", "mode", "swim 0",
          mode=lambda i: f"swim {i}"),
    _rule("outcome not allowed", "legs", "is not allowed", "outcome", "fled 0",
          outcome=lambda i: f"fled {i}"),
    _rule("precision not allowed", "legs", "is not allowed", "precision", "street",
          precision="street"),
    _rule("certainty not allowed", "legs", "is not allowed", "certainty", "sure 0",
          certainty=lambda i: f"sure {i}"),
    _rule("certainty retired", "legs", "no longer uses", "certainty", "uncertain",
          certainty="uncertain"),
    _rule("year not a year", "legs", "is not a year", "year", "c.0",
          year=lambda i: f"c.{i}"),
    _rule("year as 2007.0", "legs", "is not a year", "year", "1990.0",
          year=lambda i: f"{1990 + i % 30}.0"),
    _rule("year_end not a year", "legs", "is not a year", "year_end", "2e3", year_end="2e3"),
    Case("year_end before year", "legs", lambda r, s: table("legs", r, s, _before),
         "before the leg's start year", "year_end", "1989"),
    _rule("leg not a number", "legs", "not a leg number", "leg", "#0",
          leg=lambda i: f"#{i}"),
    Case("leg repeated", "legs", lambda r, s: table("legs", r, s, _repeat), "more than once",
         "leg", "1"),
    Case("leg gap", "legs", lambda r, s: table("legs", r, s, _gap), "no gap", "leg", "2"),
    Case("person not in people.csv", "legs", lambda r, s: table("legs", r, s),
         "not described in people.csv", "person", "p0", context="people"),
    _rule("source not in sources.csv", "legs", "not an id in sources.csv", "source",
          "srcx-0", "sources", source=lambda i: f"srcx-{i}"),
    _rule("source not in 250,000 sources", "legs", "not an id in sources.csv", "source",
          "srcx-0", "sources at the limit", source=lambda i: f"srcx-{i}"),
    # --- people.csv
    _rule("name empty", "people", "is empty", "name", "", name=""),
    Case("person twice", "people",
         lambda r, s: table("people", r, s, _set(person=lambda i: f"p{i // 2}")),
         "described twice", "person", "p0", row=3),
    _rule("born not a year", "people", "is not a year", "born", "1950.0",
          born=lambda i: f"{1950 + i % 50}.0"),
    _rule("anonymized not yes or no", "people", "is not yes or no", "anonymized", "maybe 0",
          anonymized=lambda i: f"maybe {i}"),
    _rule("people's source not in sources.csv", "people", "not an id in sources.csv",
          "source", "srcx-0", "sources", source=lambda i: f"srcx-{i}"),
    # --- sources.csv
    _rule("title empty", "sources", "is empty", "title", "", title=""),
    Case("id twice", "sources",
         lambda r, s: table("sources", r, s, _set(id=lambda i: f"s{i // 2}")),
         "used by an earlier row", "id", "s0", row=3),
    _rule("id with a space", "sources", "is not an id", "id", "s 0",
          id=lambda i: f"s {i}"),
    _rule("kind not allowed", "sources", "not a kind of source", "kind", "blog", kind="blog"),
    _rule("date not a date", "sources", "is not a date", "date", "May 0",
          date=lambda i: f"May {i}"),
    _rule("url not a web address", "sources", "not a web address", "url",
          "javascript:alert(0)", url=lambda i: f"javascript:alert({i})"),
)


def read_case(case: Case, data: bytes, rows: int, size: int):
    """Read `data` as the case's kind of file (after its people or sources, untimed):
    (seconds, CPU seconds, the frame or None, the DataError or None)."""
    from routes_dash.contract.load import read_legs, read_people
    from routes_dash.contract.problems import DataError
    from routes_dash.contract.sources import read_sources

    known: dict = {}
    if case.context == "people":
        known["people"] = read_people(table("people", 1, 0, _set(person="someone-else")))
    elif case.context == "sources":
        known["sources"] = read_sources(table("sources", 40, 0))
    elif case.context:
        known["sources"] = read_sources(table("sources", rows, size))
    read = {"legs": read_legs, "people": read_people, "sources": read_sources}[case.kind]
    file_name = f"{case.kind}.csv"
    start, cpu = time.perf_counter(), time.process_time()
    try:
        frame, error = read(data, file_name=file_name, **known), None
    except DataError as refused:
        frame, error = None, refused
    return time.perf_counter() - start, time.process_time() - cpu, frame, error


def verdict(case: Case, frame, error) -> str:
    """'' when the file got the answer its case expects, else what went wrong."""
    if not case.expect:
        return "" if error is None else f"refused: {error.problems[0]}"
    if error is None:
        return f"read ({len(frame):,} rows), not refused"
    if not any(case.expect in str(p) for p in error.problems):
        return f"refused for another reason: {error.problems[0]}"
    return ""


def _worker(name: str, path: Path, rows: int, size: int) -> dict:
    import resource

    case = next(c for c in CASES if c.name == name)
    schema.MAX_ROWS = rows  # the row limit, at the files' scale
    data = path.read_bytes()
    seconds, cpu, frame, error = read_case(case, data, rows, size)
    lines = len(error.problems) if error else 0
    answer = (f"read {len(frame):,} rows" if error is None
              else f"{lines} line{'s' if lines > 1 else ''}: {error.problems[0]}")
    return {"case": name, "file": f"{case.kind}.csv", "bytes": len(data), "seconds": seconds,
            "cpu_s": cpu,
            "wrong": verdict(case, frame, error), "answer": answer,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(rows: int, repeat: int = 3, only: str = "", log=print) -> list[dict]:
    """Build each case's file and read it `repeat` times, each in a fresh process; one result
    per case, the fastest (the one other work on the machine delayed least)."""
    log("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    size = schema.MAX_FILE_BYTES * rows // schema.MAX_ROWS
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as folder:
        path = Path(folder) / "file.csv"
        for case in CASES:
            if only and only not in case.name:
                continue
            path.write_bytes(case.build(rows, size))
            log(f"… {case.name} ({path.stat().st_size:,} bytes)")
            runs = [_run_worker(case, path, rows) for _ in range(repeat)]
            results.append(min(runs, key=lambda run: run["seconds"]))
    return results


def _run_worker(case: Case, path: Path, rows: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench_validate", "--worker", case.name, "--file",
         str(path), "--rows", str(rows)],
        cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{case.name}: the worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> str:
    lines = ["| file | breaks | size | answered in | CPU | ≤ 3 s | peak RSS | answer |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        answer = f"WRONG: {r['wrong']}" if r["wrong"] else r["answer"]
        answer = answer.replace("|", "\\|")
        answer = answer if len(answer) <= 90 else answer[:89] + "…"
        lines.append(f"| {r['file']} | {r['case']} | {r['bytes'] / 1e6:.1f} MB | "
                     f"{r['seconds']:.2f} s | {r['cpu_s']:.2f} s | "
                     f"{'yes' if r['seconds'] <= TARGET_S else 'NO'} | "
                     f"{r['rss_mb']:.0f} MB | {answer} |")
    within = sum(r["seconds"] <= TARGET_S and not r["wrong"] for r in results)
    lines += ["", f"{within} of {len(results)} files answered as expected within "
              f"{TARGET_S:.0f} s. Machine: {machine()}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`./dev bench --validate [--rows N] [--repeat N] [--only WORDS] [--json]`."""
    parser = argparse.ArgumentParser(
        prog="./dev bench --validate",
        description="time every validation rule on a file at the upload limit that breaks it "
                    "on every row")
    parser.add_argument("--rows", type=int, default=schema.MAX_ROWS,
                        help=f"rows per file (default {schema.MAX_ROWS:,}, the limit); the "
                             "size scales with it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="fresh processes per file, the fastest reported (default 3)")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        size = schema.MAX_FILE_BYTES * args.rows // schema.MAX_ROWS
        print(json.dumps(_worker(args.worker, args.file, args.rows, size)))
        return 0
    if not 1 <= args.rows <= schema.MAX_ROWS or args.repeat < 1:
        print(f"--rows must be from 1 to {schema.MAX_ROWS:,}, --repeat at least 1",
              file=sys.stderr)
        return 2

    def log(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    results = measure(args.rows, args.repeat, args.only, log)
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0 if all(not r["wrong"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
