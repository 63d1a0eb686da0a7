"""Story mode as pure functions: one person's legs told step by step.

The step lives in the URL (`story=<person>&step=N`, N from 1) so a teacher can prepare a link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

STORY_PARAM = "story"
STEP_PARAM = "step"
PRESENT_PARAM = "present"

# What a class should be told about before a story starts.
SENSITIVE = {
    "detained": "detention",
    "repatriated": "forced return to North Korea",
    "trafficked": "human trafficking",
    "caught": "arrest",
    "detention transfer": "detention",
    "deportation": "forced return to North Korea",
}


@dataclass(frozen=True)
class StoryLink:
    """What a URL asks of story mode; `person` is None outside story mode."""

    person: str | None
    step: int
    present: bool
    notices: tuple[str, ...] = ()


def from_query(query: Mapping[str, str | Sequence[str]], people: Sequence[str]) -> StoryLink:
    """Read `story`, `step` and `present` from a URL; unknown values are named in a notice."""
    def first(name: str) -> str:
        value = query.get(name)
        if value is None:
            return ""
        return (value if isinstance(value, str) else (list(value) or [""])[0]).strip()

    present = first(PRESENT_PARAM).lower() in ("1", "true", "yes")
    wanted = first(STORY_PARAM)
    if not wanted:
        return StoryLink(None, 1, present)
    by_key = {p.casefold(): p for p in people}
    person = by_key.get(wanted.casefold())
    if person is None:
        return StoryLink(None, 1, present, (
            f"The link asks for the story of {wanted!r}, who is not in the data; ignored.",))
    step_text = first(STEP_PARAM) or "1"
    notices: tuple[str, ...] = ()
    step = int(step_text) if step_text.isdigit() else 1
    if not step_text.isdigit():
        notices = (f"The link's step={step_text!r} is not a step number; starting at step 1.",)
    return StoryLink(person, max(step, 1), present, notices)


def to_query(person: str | None, step: int, present: bool) -> dict[str, str]:
    query = {STORY_PARAM: person, STEP_PARAM: str(step)} if person else {}
    if present:
        query[PRESENT_PARAM] = "1"
    return query


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
