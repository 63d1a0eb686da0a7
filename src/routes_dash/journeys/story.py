"""Story mode as pure functions: one person's legs told step by step.

Its link (`story=<person>&step=N&present=1`) is read and written by `journeys.links`.
"""

from __future__ import annotations

import pandas as pd

# What a class should be told about before a story starts.
SENSITIVE = {
    "detained": "detention",
    "repatriated": "forced return to North Korea",
    "trafficked": "human trafficking",
    "caught": "arrest",
    "detention transfer": "detention",
    "deportation": "forced return to North Korea",
}


def steps(legs: pd.DataFrame, person: str) -> pd.DataFrame:
    """One person's legs in the order of their story."""
    return legs[legs["person"] == person].sort_values("leg").reset_index(drop=True)


def clamp(step: int, count: int) -> int:
    return min(max(step, 1), max(count, 1))


def content_note(story: pd.DataFrame) -> str:
    """A short note naming what a story contains that a class should be warned of, or ''."""
    found = [SENSITIVE[v] for column in ("outcome", "mode") for v in story[column]
             if v in SENSITIVE]
    topics = list(dict.fromkeys(found))
    if not topics:
        return ""
    listed = topics[0] if len(topics) == 1 else ", ".join(topics[:-1]) + " and " + topics[-1]
    return f"Content note: this story includes {listed}."
