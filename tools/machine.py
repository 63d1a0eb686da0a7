"""The line every benchmark prints under its figures: timings mean little without the
machine and what else it was running."""

from __future__ import annotations

import os
import sys


def machine() -> str:
    """`2 CPUs, load average 0.52 / 0.80 / 1.10 (1/5/15 min) now; Python 3.11.2`."""
    one, five, fifteen = os.getloadavg()
    return (f"{os.cpu_count()} CPUs, load average {one:.2f} / {five:.2f} / {fifteen:.2f} "
            f"(1/5/15 min) now; Python {sys.version.split()[0]}")
