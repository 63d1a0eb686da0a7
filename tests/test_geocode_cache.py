"""The cache file: atomic writes, a writer killed mid-write, two writers at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from routes_dash.places.files import read_cache, write_cache
from routes_dash.places.records import CACHE_COLUMNS, Resolution

SRC = Path(__file__).resolve().parents[1] / "src"


def _rows(prefix: str, count: int) -> list[Resolution]:
    return [
        Resolution(f"{prefix} place {i}", round(i / 1000, 5), 100.0, "China", "gazetteer",
                   f"{prefix} {i}", "2026-01-01T00:00:00Z")
        for i in range(count)
    ]


def test_the_cache_round_trips_and_is_sorted(tmp_path):
    path = tmp_path / "geocache.csv"
    rows = [*_rows("b", 3), Resolution("A miss", None, None, "", "miss:gazetteer")]
    write_cache(path, rows)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(CACHE_COLUMNS)
    assert text.splitlines()[1].startswith("A miss,,,")
    cache = read_cache(path)
    assert set(cache) == {r.key for r in rows}
    assert cache["b place 2"] == rows[2]
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_a_miss_never_replaces_a_result_but_a_result_replaces_a_miss(tmp_path):
    path = tmp_path / "geocache.csv"
    write_cache(path, [Resolution("X", 1.0, 2.0, "", "nominatim")])
    write_cache(path, [Resolution("X", None, None, "", "miss:gazetteer")])
    assert read_cache(path)["x"].lat == 1.0
    write_cache(path, [Resolution("Y", None, None, "", "miss:gazetteer")])
    write_cache(path, [Resolution("y", 3.0, 4.0, "", "gazetteer")])
    assert read_cache(path)["y"].lat == 3.0


def test_the_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "geocache.csv"
    write_cache(path, _rows("a", 1))
    os.chmod(path, 0o640)
    write_cache(path, _rows("b", 1))
    assert path.stat().st_mode & 0o777 == 0o640


# A writer that stops half-way through writing the new file, says so, and waits to be killed.
SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from routes_dash.places import files, records

    def half_then_wait(stream, text):
        stream.write(text[: len(text) // 2])
        stream.flush()
        print("half written", flush=True)
        time.sleep(120)

    files._write_text = half_then_wait
    rows = [records.Resolution(f"new place {i}", 1.0, 2.0, "", "gazetteer") for i in range(5000)]
    files.write_cache(Path(sys.argv[1]), rows)
""")


def test_a_writer_killed_mid_write_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "geocache.csv"
    write_cache(path, _rows("old", 3))
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert writer.stdout.readline().strip() == "half written", writer.stderr.read()
        # Mid-write: readers still see the complete old file.
        assert path.read_bytes() == before
        assert len(read_cache(path)) == 3
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert set(read_cache(path)) == {f"old place {i}" for i in range(3)}
    # The half-written temporary file is left aside, and the lock died with its holder.
    assert len(list(tmp_path.glob(".geocache.csv.*.tmp"))) == 1
    write_cache(path, _rows("later", 2))
    assert len(read_cache(path)) == 5


def _write_many(path: str, prefix: str, count: int, start) -> None:
    start.wait()
    for row in _rows(prefix, count):
        write_cache(Path(path), [row])


ROWS_EACH = 40


def test_writers_at_once_lose_nothing(tmp_path):
    writers = 4
    path = tmp_path / "geocache.csv"
    write_cache(path, _rows("existing", 10))
    # fork: spawn children re-import the test modules, which other tests may have altered.
    context = multiprocessing.get_context("fork")
    start = context.Event()
    processes = [
        context.Process(target=_write_many, args=(str(path), f"writer{n}", ROWS_EACH, start))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * writers
    cache = read_cache(path)
    assert len(cache) == 10 + writers * ROWS_EACH
    for n in range(writers):
        assert all(f"writer{n} place {i}" in cache for i in range(ROWS_EACH))
    assert not list(tmp_path.glob(".*.tmp"))
