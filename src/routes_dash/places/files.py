"""The cache and curated places files: read them, and write the cache atomically under a lock.

The cache is written atomically (a temporary file in the same folder, then `os.replace`)
under an exclusive lock on a lock file beside it, re-reading and merging under the lock, so
two processes writing at once lose nothing and a process killed mid-write leaves the old
file intact.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from routes_dash import bundled
from routes_dash.contract import schema
from routes_dash.contract.problems import DataError, Problem
from routes_dash.contract.text import read_text
from routes_dash.places.countries import find_country
from routes_dash.places.records import (
    CACHE_COLUMNS,
    CURATED,
    MISS,
    CuratedPlace,
    Resolution,
    place_key,
)

try:  # POSIX; elsewhere writes are still atomic but not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

CACHE_FILE = "geocache.csv"
# When a cache row was looked up, as `now_utc` writes it (or nothing, in a hand-made file).
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)?")
CURATED_FILE = "places_curated.csv"
BUNDLED_CURATED = bundled.DATA / CURATED_FILE


def read_cache(path: str | Path) -> dict[str, Resolution]:
    """The cache file as place key → `Resolution`; an absent file is an empty cache.

    Only `place`, `lat` and `lon` are required, so a hand-made file of coordinates works.
    Raises `DataError` naming every bad row.
    """
    path = Path(path)
    if not path.exists():
        return {}
    rows, problems = _rows(path, ("place", "lat", "lon"))
    cache: dict[str, Resolution] = {}
    for number, row in rows:
        lat, lon, point_problems = _point(row, path.name, number, allow_empty=True)
        problems += point_problems
        if not _TIME.fullmatch(row.get("looked_up_at", "")):
            problems.append(Problem(
                path.name, f"'{row['looked_up_at']}' is not a time as this app writes it "
                "(2024-05-01T12:00:00Z); the file may be cut short",
                row=number, column="looked_up_at", value=row["looked_up_at"]))
        if not row["place"]:
            problems.append(Problem(path.name, "the place is empty", row=number, column="place"))
            continue
        provider = row.get("provider", "")
        if lat is None and not provider:
            provider = MISS + "unknown"
        resolution = Resolution(
            row["place"], lat, lon, row.get("country", ""), provider,
            row.get("resolved_name", ""), row.get("looked_up_at", ""),
        )
        cache[resolution.key] = resolution
    if problems:
        raise DataError(problems)
    return cache


def read_curated(path: str | Path) -> dict[str, CuratedPlace]:
    """The curated places file as place key → `CuratedPlace`. Raises `DataError`."""
    path = Path(path)
    rows, problems = _rows(path, ("place", "lat", "lon", "country"))
    curated: dict[str, CuratedPlace] = {}
    for number, row in rows:
        lat, lon, point_problems = _point(row, path.name, number, allow_empty=False)
        problems += point_problems
        precision = (row.get("precision") or schema.DEFAULT_PRECISION).lower()
        if precision not in schema.PRECISIONS:
            problems.append(Problem(
                path.name, f"'{precision}' is not a precision; allowed: "
                + ", ".join(schema.PRECISIONS), row=number, column="precision"))
        if not row["place"]:
            problems.append(Problem(path.name, "the place is empty", row=number, column="place"))
            continue
        country = find_country(row["country"]) if row["country"] else None
        if country is None:
            problems.append(Problem(
                path.name, f"'{row['country']}' is not a country in data/gazetteer/countries.csv"
                " (write it as people do, e.g. 'North Korea')", row=number, column="country",
                value=row["country"]))
            continue
        key = place_key(row["place"])
        if key in curated:
            problems.append(Problem(
                path.name, f"'{row['place']}' is curated twice", row=number, column="place"))
        if lat is not None and lon is not None:
            curated[key] = CuratedPlace(
                row["place"], lat, lon, country.name, precision,
                row.get("note", ""), row.get("source", ""),
            )
    if problems:
        raise DataError(problems)
    return curated


def write_cache(path: str | Path, resolutions: Iterable[Resolution]) -> dict[str, Resolution]:
    """Add `resolutions` to the cache file and return the merged cache.

    Under an exclusive lock on `.<name>.lock` beside the file: re-read the file, merge (a
    new result replaces the old one, but a miss never replaces another provider's result),
    write a temporary file in the same folder and `os.replace` it over the old one.
    """
    path = Path(path)
    new = list(resolutions)
    with _locked(path):
        cache = read_cache(path)
        for resolution in new:
            old = cache.get(resolution.key)
            keep_old = (
                old is not None and old.resolved and not resolution.resolved
                and old.provider != CURATED
            )
            if not keep_old:
                cache[resolution.key] = resolution
        _replace(path, cache_text(cache.values()))
    return cache


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _replace(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: readers see the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            _write_text(stream, text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _write_text(stream, text: str) -> None:
    """Write in pieces (a test interrupts this to kill a writer mid-file)."""
    step = 1 << 16
    for start in range(0, len(text), step):
        stream.write(text[start : start + step])


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def cache_text(resolutions: Iterable[Resolution]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CACHE_COLUMNS)
    for r in sorted(resolutions, key=lambda r: (r.key, r.place)):
        writer.writerow([
            r.place, _number(r.lat), _number(r.lon), r.country, r.provider,
            r.resolved_name, r.looked_up_at,
        ])
    return out.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _rows(path: Path, required: tuple[str, ...]):
    """(row number, {column: cell}) of each non-blank row, and the problems of the file as a
    whole. A row with fewer cells than the header, or a quote left open, is a problem: this
    app writes every cell of every row, so either means the file was cut short."""
    name = path.name
    text = read_text(path, name)
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [" ".join(c.split()).lower() for c in next(reader)]
    except csv.Error as error:
        raise DataError([_csv_problem(name, error, reader.line_num)]) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError([
            Problem(name, f"the required column '{c}' is missing; the header has: "
                    + ", ".join(header), column=c) for c in missing
        ])
    rows, problems = [], []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(
                    name, f"has {len(cells)} cells but the header has {len(header)}; "
                    + ("a value that contains a comma must be in double quotes"
                       if len(cells) > len(header) else "the file looks cut short"),
                    row=number))
                continue
            rows.append((number, dict(zip(header, [" ".join(c.split()) for c in cells],
                                          strict=True))))
    except csv.Error as error:
        problems.append(_csv_problem(name, error, reader.line_num))
    return rows, problems


def _csv_problem(name: str, error: csv.Error, line: int) -> Problem:
    reason = str(error)
    if "unexpected end of data" in reason:
        reason = "a quote is opened and never closed; the file looks cut short"
    return Problem(name, f"cannot be read as CSV ({reason})", row=line)


def _point(row: dict, name: str, number: int, *, allow_empty: bool):
    lat_text, lon_text = row["lat"], row["lon"]
    if allow_empty and not lat_text and not lon_text:
        return None, None, []
    problems = []
    values = []
    for column, text, limit in (("lat", lat_text, 90), ("lon", lon_text, 180)):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > limit:
            problems.append(Problem(
                name, f"'{text}' is not a {'latitude' if column == 'lat' else 'longitude'} "
                f"(a number from -{limit} to {limit}"
                + (", or empty for a miss)" if allow_empty else ")"),
                row=number, column=column, value=text))
            value = None
        values.append(value)
    if problems:
        return None, None, problems
    return values[0], values[1], []


def data_paths(folder: str | Path) -> tuple[Path, Path]:
    """The cache and curated files of a data folder (the bundled curated file when the
    folder has none)."""
    folder = Path(folder)
    curated = folder / CURATED_FILE
    return folder / CACHE_FILE, curated if curated.exists() else BUNDLED_CURATED
