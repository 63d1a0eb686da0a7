"""What the server's Python process keeps for good, set once on the page's first run."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_imports() -> None:
    """Keep the objects of the imported libraries out of the garbage collector's full passes.

    A full pass walks every object Python tracks: with Streamlit, pandas, pyarrow and plotly
    imported that is 127,000 objects and 70 ms, and on a map of thousands of routes a pass
    came every second click. Modules, classes and functions live as long as the process, so
    they are frozen (`gc.freeze`) once, on the first run, before any data is read. A frozen
    object is never collected: nothing is garbage yet then (a collection there found none),
    and what could become garbage later is the first session's own few objects.
    """
    gc.freeze()
