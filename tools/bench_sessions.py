"""A classroom at once, for `./dev bench --sessions N[,M…]`: N real browser sessions open the
page on one fresh server at the same moment, then all change a filter at once.

The sessions are `tools/sessions.py`'s (`measure`): N Playwright contexts in one Debian
Chromium, each timed until its map has drawn (median, worst), failures with their reason,
the server's peak RSS (its whole process tree, sampled); then every session picks a person
at once and is timed until its page has drawn again. The server is started afresh for each
N (`sessions.started`): one `streamlit run app.py` as `./dev app` starts it, or nginx with
replicas (`replicas:2`, from `./dev serve`, where that branch has landed).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
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


def run(counts: Sequence[int], server: str = "plain", timeout: float = 120.0,
        log: Callable[[str], None] = lambda _: None) -> list[dict]:
    """One row per count: `sessions.measure` on a server started afresh for it."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="routes-dash-sessions-") as state:
        os.chmod(state, 0o755)  # nginx's workers read the files under it
        for count in counts:
            log(f"{count} browser sessions at once on {server} …")
            with sessions.started(server, Path(state)) as (url, pid):
                row = sessions.measure(url, count, server_pids=[pid], timeout=timeout)
            row["server"] = server
            rows.append(row)
    return rows


def table(rows: list[dict], server: str) -> str:
    """The rows as `tools/sessions.py` prints them, then each failure's reason."""
    lines = [sessions.table(rows, f"{server} (browser)")]
    for row in rows:
        lines += [f"- {row['sessions']} sessions, session {f['session']} failed at {f['phase']}:"
                  f" {f['reason']}" for f in row["failures"][:5]]
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(target, measured, holds) for the classroom: every page draws, the worst in 15 s, the
    server within 2 GB."""
    found = []
    for row in rows:
        if row["sessions"] != CLASS:
            continue
        worst = row["draw"]["worst"]
        found += [
            (f"{CLASS} sessions: every page draws", f"{row['drawn']} of {CLASS} drawn, "
             f"{len(row['failures'])} failures", row["drawn"] == CLASS),
            (f"{CLASS} sessions: worst page ≤ 15 s", "—" if worst is None else f"{worst:.1f} s",
             worst is not None and worst <= 15),
            (f"{CLASS} sessions: server ≤ 2 GB", f"{row['peak_rss_mb']:,} MB",
             row["peak_rss_mb"] <= 2048),
        ]
    return found
