"""A classroom at once, for `./dev bench --sessions N[,M…]`: N real browser sessions open the
page on one fresh server at the same moment, then all change a filter at once.

The sessions are `tools/sessions.py`'s (`measure`): N Playwright contexts in one Debian
Chromium, each timed until its map has drawn (median, worst), failures with their reason,
the server's peak RSS (its whole process tree, sampled); then every session picks a person
at once and is timed until its page has drawn again. On a machine of two cores the browser
drawing N pages competes with the server it measures; `client="protocol"` instead replays
what one real browser asked of the server (the same files, the same websocket messages)
N times at once, drawing nothing, which measures what the server can serve. The server is
started afresh for each N (`sessions.started`): one `streamlit run app.py` as `./dev app`
starts it, or nginx with replicas (`replicas:2`, from `./dev serve`, where that branch has
landed).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tools import sessions

CLASS = 30  # the classroom of the targets


def missing() -> str | None:
    """Why the sessions cannot run here, or None."""
    if not Path(sessions.CHROMIUM).exists():
        return f"{sessions.CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (./dev test installs it)"
    return None


@contextlib.contextmanager
def _serving(folder: Path | None) -> Iterator[None]:
    """Servers started meanwhile show `folder` (ROUTES_DASH_DATA), else what they would."""
    before = os.environ.get("ROUTES_DASH_DATA")
    if folder is not None:
        os.environ["ROUTES_DASH_DATA"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ROUTES_DASH_DATA", None)
        else:
            os.environ["ROUTES_DASH_DATA"] = before


def run(counts: Sequence[int], server: str = "plain", client: str = "browser",
        folder: Path | None = None, timeout: float = 120.0,
        log: Callable[[str], None] = lambda _: None) -> list[dict]:
    """One row per count: `sessions.measure` on a server started afresh for it, showing the
    data `folder` (None: the bundled data, or ROUTES_DASH_DATA)."""
    rows = []
    with (tempfile.TemporaryDirectory(prefix="routes-dash-sessions-") as state,
          _serving(folder)):
        os.chmod(state, 0o755)  # nginx's workers read the files under it
        recording = None
        if client == "protocol":  # recorded on a server of its own: each measured one is cold
            with sessions.started("plain", Path(state)) as (url, _):
                recording = sessions.record(url, timeout)
        for count in counts:
            log(f"{count} sessions ({client}) at once on {server} …")
            with sessions.started(server, Path(state)) as (url, pid):
                row = sessions.measure(url, count, server_pids=[pid], timeout=timeout,
                                       client=client, recording=recording)
            row["server"] = server
            row["data"] = "bundled" if folder is None else folder.name
            rows.append(row)
    return rows


def table(rows: list[dict], server: str) -> str:
    """The rows as `tools/sessions.py` prints them, then each failure's reason."""
    label = f"{server} ({rows[0]['client']}, {rows[0]['data']} data)" if rows else server
    lines = [sessions.table(rows, label)]
    for row in rows:
        lines += [f"- {row['sessions']} sessions, session {f['session']} failed at {f['phase']}:"
                  f" {f['reason']}" for f in row["failures"][:5]]
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(target, measured, holds) for the classroom on the bundled data: every page draws, the
    worst in 15 s, the server within 2 GB."""
    found = []
    for row in rows:
        if row["sessions"] != CLASS or row["data"] != "bundled":
            continue
        worst, label = row["draw"]["worst"], f"{CLASS} sessions ({row['client']})"
        found += [
            (f"{label}: every page draws", f"{row['drawn']} of {CLASS} drawn, "
             f"{len(row['failures'])} failures", row["drawn"] == CLASS),
            (f"{label}: worst page ≤ 15 s", "—" if worst is None else f"{worst:.1f} s",
             worst is not None and worst <= 15),
            (f"{label}: server ≤ 2 GB", f"{row['peak_rss_mb']:,} MB",
             row["peak_rss_mb"] <= 2048),
        ]
    return found
