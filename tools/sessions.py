"""Many browsers opening the page at the same moment: a class following the teacher's link.

    measure(url, sessions, *, filter_change=True, server_pids=(), client="browser") -> dict

opens `sessions` Playwright browser contexts (separate cookies, so separate Streamlit
sessions) in one headless Chromium, sends them all to `url` at once and reports, per session,
the time until its map has drawn: the script run has finished (Streamlit's own
`data-test-script-state` on the app is "notRunning"), the status widget is gone and the
deck.gl canvas is on the page. A session that does not get there in `timeout` seconds, or
whose connection is given up, is a failure with its reason (and the requests that failed),
never an exception. Then every drawn session picks the first person in the sidebar's "Person"
multiselect at once, and the time from its click to its re-drawn page is reported the same
way. While it runs, the servers' resident memory (the given pids and all their descendants,
summed) is sampled every 0.2 s, and the CPU time they and the client used is counted, with
the share of the machine's CPU time its host took meanwhile (a virtual machine's "steal":
on a busy host two cores give less than two cores' work, and the times grow with it).

On one small machine N Chromium pages cost far more CPU than the server they measure.
client="protocol" records once what a real Chromium session asks of the server (record())
and has N sessions replay it: the same files before and after the same websocket messages,
each session with its own cookies, six keep-alive connections and its own websocket,
nothing drawn; "drawn" is then every file fetched and the script run finished.

The command line measures a running server, or starts a fresh one for each row:

    python tools/sessions.py --url http://localhost:8080 --sessions 10,30,50
    python tools/sessions.py --start plain --sessions 10,30,50     # one `streamlit run`
    python tools/sessions.py --start replicas:2 --sessions 10,30,50  # ./dev serve --replicas 2
    ... --client protocol     # replay one browser's requests and messages, nothing drawn
    ... --json                # the dicts, one a line
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
PERSON_LABEL = "Person"
PERSON_MENU = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'
# The list's first entry is "Select all": pick the first person instead.
PERSON_OPTION = '[role="option"]:not([data-key="__select_all__"])'

# Truthy when the page is drawn; the string "disconnected" when Streamlit gave up connecting.
DRAWN_JS = """(filtered) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') === 'DISCONNECTED_FOREVER')
    return 'disconnected';
  if (filtered && !location.search.includes('person=')) return false;
  return app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !!document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
}"""


# --- the servers' memory and CPU, from /proc ---------------------------------------------------

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pids: Iterable[int]) -> set[int]:
    """The pids and every process below them."""
    tree, found, todo = _children(), set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found and os.path.exists(f"/proc/{pid}"):
            found.add(pid)
            todo.extend(tree.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _cpu_times() -> tuple[int, int]:
    """(stolen, every) clock tick of the machine's CPUs since boot, from /proc/stat; (0, 0)
    where it cannot be read."""
    try:
        with open("/proc/stat") as f:
            # user nice system idle iowait irq softirq steal: guest time is within user.
            ticks = [int(t) for t in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0, 0
    return (ticks[7] if len(ticks) == 8 else 0), sum(ticks)


def _stolen_percent(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    every = after[1] - before[1]
    return round(100 * (after[0] - before[0]) / every, 1) if every > 0 else None


class Sampler(threading.Thread):
    """Peak summed RSS of some process trees, and the CPU seconds they used meanwhile."""

    def __init__(self, roots: Iterable[int], every: float = 0.2, exclude: Iterable[int] = ()):
        super().__init__(daemon=True)
        self.roots, self.every, self.exclude = tuple(roots), every, tuple(exclude)
        self.peak = 0
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        self._done = threading.Event()
        self._baseline = True
        self.sample()  # CPU used before the measurement is not counted
        self._baseline = False

    def sample(self) -> None:
        total = 0
        for pid in descendants(self.roots) - descendants(self.exclude):
            total += _rss(pid)
            ticks = _cpu_ticks(pid)
            # A process that appears later used all of its CPU time during the measurement.
            self._first.setdefault(pid, ticks if self._baseline else 0)
            self._last[pid] = ticks
        self.peak = max(self.peak, total)

    def run(self) -> None:
        while not self._done.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(self._last[p] - self._first[p] for p in self._last) / _TICK


# --- one measurement ---------------------------------------------------------------------------


def _summary(times: list[float]) -> dict:
    if not times:
        return {"median": None, "worst": None, "all": []}
    return {"median": round(statistics.median(times), 2), "worst": round(max(times), 2),
            "all": [round(t, 2) for t in sorted(times)]}


class _Session:
    def __init__(self, index: int, page):
        self.index, self.page = index, page
        self.problems: list[str] = []
        self.replica: str | None = None
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request) -> None:
        if request.url.startswith("http"):  # not the websocket's own close
            self.problems.append(f"{_short(request.url)}: {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"{_short(response.url)}: HTTP {response.status}")
        if "/_stcore/host-config" in response.url and "x-replica" in response.headers:
            self.replica = response.headers["x-replica"]

    async def wait_drawn(self, timeout: float, filtered: bool) -> str | None:
        """None when drawn, else why not."""
        try:
            handle = await self.page.wait_for_function(
                DRAWN_JS, arg=filtered, timeout=timeout * 1000, polling=200)
            if await handle.json_value() == "disconnected":
                return "Streamlit gave up connecting to the server"
            return None
        except Exception as error:  # a timeout, or the page crashed
            return f"{_first_line(error)}{await self._state()}"

    async def _state(self) -> str:
        with contextlib.suppress(Exception):
            state = await self.page.evaluate("""() => {
              const app = document.querySelector('[data-testid="stApp"]');
              const dialog = document.querySelector('[role="dialog"]');
              return app ? `script ${app.getAttribute('data-test-script-state')}, connection `
                + `${app.getAttribute('data-test-connection-state')}`
                + (dialog ? `, dialog: ${dialog.innerText.slice(0, 120)}` : '')
                : 'no Streamlit app on the page'; }""")
            return f" ({state})"
        return ""

    def failure(self, phase: str, reason: str) -> dict:
        more = "; ".join(dict.fromkeys(self.problems))[:400]
        return {"session": self.index, "phase": phase,
                "reason": reason + (f"; failed requests: {more}" if more else "")}


def _short(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[-1][:80]


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


async def _measure(url: str, sessions: int, filter_change: bool, timeout: float) -> dict:
    from playwright.async_api import async_playwright

    result: dict = {"failures": []}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS)
        try:
            contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(sessions)]
            people = [_Session(i, await c.new_page()) for i, c in enumerate(contexts)]
            loop = asyncio.get_running_loop()
            start = loop.time()

            async def open_one(s: _Session) -> float | None:
                try:
                    await s.page.goto(url, wait_until="commit", timeout=timeout * 1000)
                except Exception as error:
                    result["failures"].append(s.failure("open", _first_line(error)))
                    return None
                left = max(1.0, timeout - (loop.time() - start))
                why = await s.wait_drawn(left, filtered=False)
                if why:
                    result["failures"].append(s.failure("open", why))
                    return None
                return loop.time() - start

            opened = await asyncio.gather(*(open_one(s) for s in people))
            result["draw"] = _summary([t for t in opened if t is not None])
            result["drawn"] = sum(t is not None for t in opened)
            result["replicas"] = dict(Counter(s.replica for s in people if s.replica))
            if filter_change:
                drawn = [s for s, t in zip(people, opened, strict=True) if t is not None]
                result["filter"] = await _change_filter(drawn, result["failures"], timeout)
        finally:
            await browser.close()
    return result


async def _change_filter(people: list[_Session], failures: list[dict], timeout: float) -> dict:
    """Every session picks the first person at once; seconds from its click to its redraw."""
    loop = asyncio.get_running_loop()

    async def open_menu(s: _Session) -> bool:
        menu = s.page.locator(PERSON_MENU).filter(has_text=PERSON_LABEL).first
        option = s.page.locator(PERSON_OPTION).first
        deadline = loop.time() + timeout
        while True:  # a click while the sidebar is redrawn may only focus the box: again
            try:
                await menu.click(timeout=timeout * 1000)
                await option.wait_for(timeout=5_000)
                return True
            except Exception as error:
                if loop.time() > deadline:
                    failures.append(s.failure("filter", f"opening the Person list: "
                                                        f"{_first_line(error)}"))
                    return False
                with contextlib.suppress(Exception):
                    await s.page.keyboard.press("Escape")

    async def pick(s: _Session) -> float | None:
        try:
            await s.page.locator(PERSON_OPTION).first.click(timeout=timeout * 1000)
        except Exception as error:
            failures.append(s.failure("filter", f"picking a person: {_first_line(error)}"))
            return None
        clicked = loop.time()
        why = await s.wait_drawn(timeout, filtered=True)
        if why:
            failures.append(s.failure("filter", why))
            return None
        return loop.time() - clicked

    ready = await asyncio.gather(*(open_menu(s) for s in people))
    people = [s for s, ok in zip(people, ready, strict=True) if ok]
    times = await asyncio.gather(*(pick(s) for s in people))
    summary = _summary([t for t in times if t is not None])
    summary["redrawn"] = sum(t is not None for t in times)
    return summary


# --- the protocol client: what a browser asks of the server, without drawing anything ----------


async def _record(url: str, timeout: float) -> dict:
    """One real browser session, watched: the files it fetches before its websocket opens and
    after, and the websocket messages it sends on opening and on picking a person."""
    from playwright.async_api import async_playwright

    origin = url.split("://", 1)[0] + "://" + url.split("://", 1)[1].split("/", 1)[0]
    rec: dict = {"before": [], "after": [], "open": [], "filter": []}
    phase = {"files": "before", "frames": "open"}

    def on_request(request) -> None:
        path = request.url.removeprefix(origin)
        if (request.method == "GET" and request.url.startswith(origin + "/")
                and not path.startswith("/_stcore/stream") and request.resource_type != "document"
                and path not in rec["before"] + rec["after"]):
            rec[phase["files"]].append(path)

    def on_websocket(ws) -> None:
        phase["files"] = "after"
        ws.on("framesent", lambda payload: isinstance(payload, bytes)
              and rec[phase["frames"]].append(payload))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport=VIEWPORT)
            page.on("request", on_request)
            page.on("websocket", on_websocket)
            await page.goto(url, timeout=timeout * 1000)
            await page.wait_for_function(DRAWN_JS, arg=False, timeout=timeout * 1000,
                                         polling=200)
            with contextlib.suppress(Exception):  # the basemap is fetched after the run
                await page.wait_for_load_state("networkidle", timeout=15_000)
            session = _Session(0, page)
            failures: list[dict] = []
            phase["frames"] = "filter"
            await _change_filter([session], failures, timeout)
            if failures:
                raise RuntimeError(f"recording {url}: {failures[0]['reason']}")
        finally:
            await browser.close()
    if not rec["open"] or not rec["filter"]:
        raise RuntimeError(f"recording {url}: the browser sent no websocket message")
    return rec


def record(url: str, timeout: float = 120.0) -> dict:
    """What one browser asks of the server at `url` (see _record); for client="protocol"."""
    return asyncio.run(_record(url, timeout))


class _Connection:
    """One keep-alive HTTP/1.1 connection, as a browser holds six per server."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]]]:
        """GET path; the body is read and dropped. A keep-alive connection the server had
        closed meanwhile is opened again once, as browsers do."""
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                     *(f"{k}: {v}" for k, v in headers.items()), "", ""]
            self.writer.write("\r\n".join(lines).encode("latin-1"))
            try:
                await self.writer.drain()
                status = await self.reader.readline()
                if not status:
                    raise ConnectionError("Server disconnected")
            except ConnectionError:
                self.close()
                if fresh or attempt == 2:
                    raise
                continue
            return await self._answer(status)
        raise AssertionError("unreachable")

    async def _answer(self, status_line: bytes) -> tuple[int, list[tuple[str, str]]]:
        status = int(status_line.split()[1])
        headers = []
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip().lower(), value.strip()))
        fields = dict(headers)
        if status in (204, 304) or 100 <= status < 200:
            pass
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
        elif "content-length" in fields:
            await self.reader.readexactly(int(fields["content-length"]))
        else:
            await self.reader.read()  # to the end: the server closes
            fields["connection"] = "close"
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class _Light:
    """One session as the server sees a browser: the same requests, nothing drawn."""

    def __init__(self, index: int, url: str, rec: dict, timeout: float):
        self.index, self.rec, self.timeout = index, rec, timeout
        scheme, rest = url.split("://", 1)
        if scheme != "http":
            raise ValueError("the protocol client speaks plain http only")
        self.origin = f"http://{rest.split('/', 1)[0]}"
        self.path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        host, _, port = rest.split("/", 1)[0].partition(":")
        self.connections = [_Connection(host, int(port or 80), timeout) for _ in range(6)]
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.replica: str | None = None
        self.problems: list[str] = []

    async def _get(self, connection: _Connection, path: str) -> None:
        # As Chromium asks; bodies are read and dropped, never decompressed.
        headers = {"Accept-Encoding": "gzip, deflate, br, zstd",
                   "User-Agent": "routes_dash tools/sessions.py"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, answer = await connection.get(path, headers)
        for name, value in answer:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            elif name == "x-replica" and "/_stcore/host-config" in path:
                self.replica = value
        if status >= 400:
            self.problems.append(f"{_short(path)}: HTTP {status}")

    async def _fetch(self, paths: list[str]) -> None:
        """Six connections at a time, as a browser fetches a page's files."""
        queue = list(reversed(paths))

        async def worker(connection: _Connection) -> None:
            while queue:
                path = queue.pop()
                try:
                    await self._get(connection, path)
                except (OSError, ValueError, asyncio.IncompleteReadError) as error:
                    connection.close()
                    raise ConnectionError(f"{_short(path)}: {error or type(error).__name__}"
                                          ) from error

        await asyncio.gather(*(worker(c) for c in self.connections))

    async def _run(self, frames: list[bytes]) -> None:
        """Send the frames; return when the script run they start has finished."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        for frame in frames:
            await self.ws.send(frame)
        while True:
            message = ForwardMsg.FromString(await self.ws.recv())
            if message.WhichOneof("type") == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue
                if status != "FINISHED_SUCCESSFULLY":
                    raise RuntimeError(f"the script run ended {status}")
                return

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        await self._get(self.connections[0], self.path)  # the page, then what it names
        await self._fetch(self.rec["before"])
        self.ws = await connect(
            self.origin.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", self.cookies.get("_streamlit_xsrf", "")],
            additional_headers={"Origin": self.origin, "Cookie": "; ".join(
                f"{k}={v}" for k, v in self.cookies.items())},
            open_timeout=self.timeout, max_size=None, ping_interval=None)
        await self._run(self.rec["open"])
        await self._fetch(self.rec["after"])

    async def change_filter(self) -> None:
        await self._run(self.rec["filter"])

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        for connection in self.connections:
            connection.close()

    def failure(self, phase: str, error: BaseException) -> dict:
        reason = _first_line(error) if str(error) else type(error).__name__
        more = "; ".join(dict.fromkeys(self.problems))[:400]
        return {"session": self.index, "phase": phase,
                "reason": reason + (f"; failed requests: {more}" if more else "")}


async def _measure_protocol(url: str, sessions: int, filter_change: bool, timeout: float,
                            rec: dict) -> dict:
    result: dict = {"failures": []}
    loop = asyncio.get_running_loop()
    people = [_Light(i, url, rec, timeout) for i in range(sessions)]
    start = loop.time()

    async def open_one(s: _Light) -> float | None:
        try:
            await asyncio.wait_for(s.open(), timeout)
            return loop.time() - start
        except Exception as error:  # a timeout too
            result["failures"].append(s.failure("open", error))
            return None

    async def filter_one(s: _Light) -> float | None:
        began = loop.time()
        try:
            await asyncio.wait_for(s.change_filter(), timeout)
            return loop.time() - began
        except Exception as error:  # a timeout too
            result["failures"].append(s.failure("filter", error))
            return None

    try:
        opened = await asyncio.gather(*(open_one(s) for s in people))
        result["draw"] = _summary([t for t in opened if t is not None])
        result["drawn"] = sum(t is not None for t in opened)
        result["replicas"] = dict(Counter(s.replica for s in people if s.replica))
        if filter_change:
            drawn = [s for s, t in zip(people, opened, strict=True) if t is not None]
            times = await asyncio.gather(*(filter_one(s) for s in drawn))
            result["filter"] = _summary([t for t in times if t is not None])
            result["filter"]["redrawn"] = sum(t is not None for t in times)
    finally:
        await asyncio.gather(*(s.close() for s in people))
    return result

def measure(url: str, sessions: int, *, filter_change: bool = True,
            server_pids: Iterable[int] = (), timeout: float = 120.0, client: str = "browser",
            recording: dict | None = None) -> dict:
    """Open `sessions` browser sessions on `url` at once; see the module's docstring.

    client="browser": N contexts in one Chromium, each drawing its page. client="protocol":
    N sessions that ask the server exactly what one real browser session asked (`recording`,
    from record(url); made first when not given): the same files before and after the same
    websocket messages, nothing drawn, so that the client does not eat the cores the servers
    are measured on; "drawn" is then the script run finished and every file fetched.

    Returns {"url", "sessions", "drawn", "draw": {"median", "worst", "all"}, "failures":
    [{"session", "phase", "reason"}], "filter": {..., "redrawn"} (with filter_change),
    "replicas": {X-Replica: sessions} (behind ./dev serve), "peak_rss_mb", "server_cpu_s",
    "client_cpu_s", "stolen_pct", "load_before", "seconds"}. Times are seconds."""
    if client == "protocol" and recording is None:
        recording = record(url, timeout)
    elif client not in ("browser", "protocol"):
        raise ValueError(f"client is 'browser' or 'protocol', not {client!r}")
    load_before = os.getloadavg()
    cpu_before = _cpu_times()
    server_pids = tuple(server_pids)
    server = Sampler(server_pids)
    # This process and the browser it started, not a server it may have started too.
    sampler = Sampler([os.getpid()], exclude=server_pids)
    server.start()
    sampler.start()
    started = time.monotonic()
    try:
        result = asyncio.run(
            _measure(url, sessions, filter_change, timeout) if client == "browser" else
            _measure_protocol(url, sessions, filter_change, timeout, recording))
    finally:
        server.stop()
        sampler.stop()
    return {
        "url": url, "sessions": sessions, "client": client, **result,
        "peak_rss_mb": round(server.peak / 2**20) if server_pids else None,
        "server_cpu_s": round(server.cpu_seconds, 1) if server_pids else None,
        "client_cpu_s": round(sampler.cpu_seconds, 1),
        "stolen_pct": _stolen_percent(cpu_before, _cpu_times()),
        "load_before": [round(x, 2) for x in load_before],
        "seconds": round(time.monotonic() - started, 1),
    }


# --- servers to measure, started afresh --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def started(kind: str, state_dir: Path) -> Iterator[tuple[str, int]]:
    """`plain`: one `streamlit run app.py` as `./dev app` starts it; `replicas:N`:
    deploy/serve.py (nginx + N replicas). Yields (url, pid) once the page answers."""
    port = _free_port()
    if kind == "plain":
        args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--server.headless", "true"]
    elif kind.startswith("replicas:"):
        args = [sys.executable, str(REPO / "deploy" / "serve.py"), "--replicas",
                kind.split(":", 1)[1], "--port", str(port), "--listen", "127.0.0.1",
                "--state-dir", str(state_dir)]
    else:
        raise ValueError(f"--start plain or replicas:N, not {kind!r}")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(args, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 240
            while not _answers(f"{url}/_stcore/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{kind} did not start: {log.read().decode()[-2000:]}")
                time.sleep(0.3)
            yield url + "/", process.pid
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


# --- the command line --------------------------------------------------------------------------


def _cell(value, unit: str = "") -> str:
    return "–" if value is None else f"{value}{unit}"


def table(rows: list[dict], label: str) -> str:
    lines = ["| server | sessions | drawn | failures | page drawn median | worst | filter "
             "redraw median | worst | peak RSS | server CPU | client CPU | split | CPU stolen "
             "| load before |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        f = r.get("filter") or {}
        split = "/".join(str(n) for n in sorted(r.get("replicas", {}).values(), reverse=True))
        lines.append(
            f"| {label} | {r['sessions']} | {r['drawn']} | {len(r['failures'])} | "
            f"{_cell(r['draw']['median'], ' s')} | {_cell(r['draw']['worst'], ' s')} | "
            f"{_cell(f.get('median'), ' s')} | {_cell(f.get('worst'), ' s')} | "
            f"{_cell(r['peak_rss_mb'], ' MB')} | {_cell(r['server_cpu_s'], ' s')} | "
            f"{r['client_cpu_s']} s | {split or '–'} | {_cell(r.get('stolen_pct'), ' %')} | "
            f"{r['load_before'][0]} |")
    return "\n".join(lines)


def _save_recording(rec: dict, path: Path) -> None:
    frames = {k: [base64.b64encode(f).decode() for f in rec[k]] for k in ("open", "filter")}
    path.write_text(json.dumps({**rec, **frames}, indent=1))


def _load_recording(path: Path) -> dict:
    rec = json.loads(path.read_text())
    return {**rec, **{k: [base64.b64decode(f) for f in rec[k]] for k in ("open", "filter")}}


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running server's page")
    where.add_argument("--start", help="start a fresh server for each row: plain | replicas:N")
    parser.add_argument("--sessions", default="10,30,50", help="comma-separated (10,30,50)")
    parser.add_argument("--client", choices=["browser", "protocol"], default="browser",
                        help="browser: N pages in one Chromium; protocol: N sessions replaying "
                             "one browser's requests and messages, nothing drawn")
    parser.add_argument("--recording", type=Path,
                        help="with --client protocol: reuse this recording (JSON), or save the "
                             "one made to it, so that several runs replay the same browser")
    parser.add_argument("--pids", default="", help="with --url: the servers' pids, for RSS")
    parser.add_argument("--no-filter", action="store_true", help="skip the filter change")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per phase")
    parser.add_argument("--json", action="store_true", help="one JSON object per row")
    args = parser.parse_args(argv)
    # Ctrl-C or SIGTERM stops at once, and the server this started with it (asyncio.run would
    # otherwise take SIGINT over and only cancel the measurement under way).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    counts = [int(n) for n in args.sessions.split(",") if n.strip()]
    label = f"{args.start or args.url} ({args.client})"
    rows = []
    with tempfile.TemporaryDirectory(prefix="routes_dash-sessions-") as state:
        os.chmod(state, 0o755)  # as root, nginx's workers (nobody) read the files under it
        recording = None
        if args.client == "protocol" and args.recording and args.recording.exists():
            recording = _load_recording(args.recording)
        elif args.client == "protocol":
            # Recorded on a server of its own, so that every measured server starts cold.
            with contextlib.ExitStack() as stack:
                url = args.url or stack.enter_context(started("plain", Path(state)))[0]
                recording = record(url, args.timeout)
            if args.recording:
                _save_recording(recording, args.recording)
        for n in counts:
            with contextlib.ExitStack() as stack:
                if args.start:
                    url, pid = stack.enter_context(started(args.start, Path(state)))
                    pids = [pid]
                else:
                    url, pids = args.url, [int(p) for p in args.pids.split(",") if p.strip()]
                row = measure(url, n, filter_change=not args.no_filter, server_pids=pids,
                              timeout=args.timeout, client=args.client, recording=recording)
            row["server"] = args.start or args.url
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
            for failure in row["failures"][:5]:
                print(f"  failure, {failure['phase']}, session {failure['session']}: "
                      f"{failure['reason']}", file=sys.stderr)
    if not args.json:
        print(table(rows, label))
    return 0

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:
        print(f"sessions: stopped ({stop or 'SIGINT'})", file=sys.stderr)
        sys.exit(130)
