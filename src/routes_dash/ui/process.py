"""What the server's Python process keeps for good, set once on the page's first run."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def importing_libraries() -> Iterator[None]:
    """Import the page's libraries with the garbage collector off, then freeze what they made.

    Importing pandas, pyarrow, pydeck and the page's modules makes some 97,000 objects that
    live as long as the process. On a fresh server's first page the collector walked them
    again and again while they were made (a full pass of about 80 ms and 25 ms of young
    ones). Off while they are imported, it never walks them: they are frozen as they are,
    with the few hundred objects the imports left as garbage (0.3 MB, once per process). On
    later runs the imports are done already and this costs nothing.
    """
    gc.disable()
    try:
        yield
        _freeze_imports()
    finally:
        gc.enable()


@functools.cache
def _freeze_imports() -> None:
    """Keep the objects of the imported libraries out of the garbage collector's full passes.

    A full pass walks every object Python tracks: with Streamlit, pandas, pyarrow and plotly
    imported that is 127,000 objects and 70 ms, and on a map of thousands of routes a pass
    came every second click. Modules, classes and functions live as long as the process, so
    they are frozen (`gc.freeze`) once, on the first run, before any data is read. A frozen
    object is never collected: what could become garbage later is the first session's own
    few objects.
    """
    gc.freeze()
