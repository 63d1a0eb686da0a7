"""Measure the page against a hostile uploader, on a real `streamlit run` in Chromium.

    .venv/bin/python -m tools.bench_hostile [--only stall|memory] [--uploads 24]

1. Stall: while one browser session uploads each of the worst small files (200 and 6,000
   places nobody knows, 5,000 and 50,000 columns, one 10 MB cell), other visitors open the
   page again and again; prints their page loads beside the same loads with nobody
   uploading. A visitor here is a websocket client that asks for the page as a browser does
   and times the server's answer until the page's script has finished (a browser would add
   its own drawing, which is not the server's to stall).
2. Memory: one session uploads `--uploads` distinct legs files of about 17 MB each, one
   after the other; prints the server's resident memory (RSS) after each, its peak, and
   after that session has closed.

It prints, asserts nothing, and takes several minutes. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tools import synth
from tools.machine import machine

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 300_000
HEADER = "person,leg,from,to,mode,year,outcome"
LARGE_LEGS = 128_000  # about 17 MB of legs.csv
# Counts the page's script runs, so that the uploader can wait for the run its click caused.
RUN_COUNTER = """() => {
  if (window.__runs !== undefined) return;
  window.__runs = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(records => {
    for (const r of records) {
      if (r.oldValue === 'running') { window.__runs += 1; return; }
    }
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
}"""
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelector('[data-testid="stMainBlockContainer"] *') !== null;
}"""


def worst_files(folder: Path) -> dict[str, Path]:
    """The worst small file of each kind the red team found."""
    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def unknown(count: int) -> str:
        rows = [f"kim,{n},Qzxv Hamlet {n},Wqpz Village {n},on foot,2001,crossed"
                for n in range(1, count // 2 + 1)]
        return HEADER + "\n" + "\n".join(rows) + "\n"

    def wide(columns: int) -> str:
        extra = [f"c{n}" for n in range(columns - 7)]
        row = 'kim,1,"Hyesan, North Korea","Changbai, China",on foot,2001,crossed'
        return ",".join([HEADER, *extra]) + "\n" + row + "," * len(extra) + "\n"

    return {
        "200 unknown places (100 legs)": write("unknown-200.csv", unknown(200)),
        "6,000 unknown places (3,000 legs)": write("unknown-6000.csv", unknown(6000)),
        "5,000 columns": write("wide-5000.csv", wide(5_000)),
        "50,000 columns": write("wide-50000.csv", wide(50_000)),
        "one 10 MB place cell": write("huge-cell.csv", HEADER + "\nkim,1," + "x" * 10_000_000
                                      + ",\"Changbai, China\",on foot,2001,crossed\n"),
    }


def large_files(folder: Path, count: int) -> list[Path]:
    """`count` distinct legs files of about 17 MB: one synthetic file, each copy with its
    own first note (so no cache can take one for another)."""
    source = folder / "synth"
    synth.main(["--legs", str(LARGE_LEGS), "--out", str(source)])
    text = (source / "legs.csv").read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    files = []
    for n in range(count):
        path = folder / f"large-{n:02d}.csv"
        path.write_text(f"{header}\n{first}upload {n}\n{rest}", encoding="utf-8")
        files.append(path)
    return files


def serve() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
         "--server.port", str(port), "--server.headless", "true"],
        cwd=REPO, env={**os.environ, "ROUTES_DASH_DATA": str(REPO / "data")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def new_page(browser, url: str | None = None):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith("http://localhost") else route.abort())
    if url:
        page.goto(url)
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    return page


async def _visit(url: str) -> float:
    started = time.perf_counter()
    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    async with websockets.connect(stream, max_size=None, subprotocols=["streamlit"]) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        ask.rerun_script.page_script_hash = ""
        await ws.send(ask.SerializeToString())
        while True:
            answer = ForwardMsg()
            answer.ParseFromString(await ws.recv())
            if answer.WhichOneof("type") == "script_finished":
                return time.perf_counter() - started


def visitor_load(url: str) -> float:
    """Seconds from a new visitor's connection until the page's script has run for them."""
    # In a thread of its own: Playwright's sync API keeps an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _visit(url)).result()


class Visitors:
    """Visitors opening the page one after another, in a thread, until stopped."""

    def __init__(self, url: str):
        self.url, self.loads, self._stop = url, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.loads.append(visitor_load(self.url))

    def stop(self) -> list[float]:
        self._stop.set()
        self._thread.join()
        return self.loads


def upload(page, path: Path) -> None:
    """Upload `path` as the legs file and wait until the run it causes has finished."""
    page.evaluate(RUN_COUNTER)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(path)
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    before = page.evaluate("() => window.__runs")
    page.get_by_role("button", name="Show my data").click()
    page.wait_for_function(f"() => window.__runs > {before} && ({IDLE})()",
                           timeout=TIMEOUT_MS)


def measure_stall(browser, url: str, files: dict[str, Path]) -> None:
    quiet = [visitor_load(url) for _ in range(10)]
    print("\nA visitor's page load while another session uploads:")
    print("| upload | size | visitor loads | median | worst | the upload took |")
    print("|---|---|---|---|---|---|")
    print(f"| nobody uploading | | {len(quiet)} | {statistics.median(quiet):.2f} s | "
          f"{max(quiet):.2f} s | |")
    for label, path in files.items():
        uploader = new_page(browser, url)
        visitors = Visitors(url)
        started = time.perf_counter()
        upload(uploader, path)
        took = time.perf_counter() - started
        loads = visitors.stop()
        uploader.close()
        print(f"| {label} | {path.stat().st_size:,} B | {len(loads)} | "
              f"{statistics.median(loads):.2f} s | {max(loads):.2f} s | {took:.1f} s |")


def measure_memory(browser, url: str, pid: int, files: list[Path]) -> None:
    print(f"\nServer memory while one session uploads {len(files)} distinct files of about "
          f"{files[0].stat().st_size / 1e6:.0f} MB ({LARGE_LEGS:,} legs each):")
    print(f"start: RSS {rss_mb(pid):.0f} MB")
    uploader = new_page(browser, url)
    for n, path in enumerate(files, start=1):
        upload(uploader, path)
        shown = uploader.get_by_text(f"Showing your file {path.name}").count()
        print(f"after upload {n:2d}: RSS {rss_mb(pid):.0f} MB"
              + ("" if shown else " (the page does not show it!)"))
    peak = rss_mb(pid, "VmHWM")
    uploader.close()
    # The server lets a session go when its browser tab has closed: give it a moment.
    time.sleep(10)
    visitor_load(url)
    print(f"peak RSS {peak:.0f} MB; after the session closed: RSS {rss_mb(pid):.0f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("stall", "memory"))
    parser.add_argument("--uploads", type=int, default=24)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        print(machine())
        if args.only != "memory":
            process, url = serve()
            try:
                visitor_load(url)  # warm: the first run loads the bundled data
                measure_stall(browser, url, worst_files(folder))
            finally:
                process.kill()
        if args.only != "stall":
            files = large_files(folder, args.uploads)
            process, url = serve()
            try:
                visitor_load(url)
                measure_memory(browser, url, process.pid, files)
            finally:
                process.kill()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
