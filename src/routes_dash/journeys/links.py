"""A view ⇄ its link: the filters and story mode as URL query parameters, as pure functions,
so that a link reproduces what its sender saw.

Filters: `person=a,b&country=China&years=1997-2009&mode=train&outcome=caught`; lists are
comma-separated, a value holding a comma in double quotes as in a CSV line
(`person="kim, jr",lee`); a missing parameter means "all". Story mode: `story=<person>&step=N`
(N from 1) and `present=1` for a projector. Values are matched case-insensitively; unknown
ones are dropped with a notice that names them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from routes_dash.journeys.filters import Filters, Options

LIST_PARAMS = {"people": "person", "countries": "country", "modes": "mode", "outcomes": "outcome"}
YEARS_PARAM = "years"

STORY_PARAM = "story"
STEP_PARAM = "step"
PRESENT_PARAM = "present"
# No story is longer; a longer number in a link means the last step. Its digits are read
# only up to this many, so that no link can ask Python for a huge number.
MAX_STEP = 9999


@dataclass(frozen=True)
class Parsed:
    filters: Filters
    notices: tuple[str, ...] = field(default=())


def filters_from_query(query: Mapping[str, str | Sequence[str]], options: Options) -> Parsed:
    """Read filters from a URL's query; anything the data does not have is named in a notice."""
    values: dict[str, object] = {}
    notices = []
    for attribute, param in LIST_PARAMS.items():
        wanted = _split(query.get(param))
        if not wanted:  # most links: no need to key thousands of people
            values[attribute] = ()
            continue
        by_key = {_key(a): a for a in getattr(options, attribute)}
        chosen = tuple(dict.fromkeys(by_key[_key(w)] for w in wanted if _key(w) in by_key))
        unknown = [w for w in wanted if _key(w) not in by_key]
        if unknown:
            notices.append(
                f"The link asks for {param} {', '.join(repr(u) for u in unknown)}, which the "
                f"data does not have; ignored."
            )
        values[attribute] = chosen
    years_text = _split(query.get(YEARS_PARAM))
    if years_text:
        years, notice = _years(years_text[0], options.years)
        values["years"] = years
        if notice:
            notices.append(notice)
    return Parsed(Filters(**values), tuple(notices))


def filters_to_query(filters: Filters) -> dict[str, str]:
    """The query parameters that reproduce `filters`; "all" is left out."""
    query = {
        param: _joined(getattr(filters, attribute))
        for attribute, param in LIST_PARAMS.items()
        if getattr(filters, attribute)
    }
    if filters.years:
        first, last = filters.years
        query[YEARS_PARAM] = str(first) if first == last else f"{first}-{last}"
    return query


def _joined(values: Sequence[str]) -> str:
    """Values as one CSV line: a value with a comma or a quote is quoted."""
    return ",".join(f'"{v.replace(chr(34), chr(34) * 2)}"' if "," in v or '"' in v else v
                    for v in values)


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    # One CSV line each: a line break in a link's value (csv refuses those) is a space.
    lines = [" ".join(part.splitlines()) for part in parts]
    return [item.strip() for line in lines
            for item in next(csv.reader([line], skipinitialspace=True), []) if item.strip()]


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


def _years(text: str, bounds: tuple[int, int] | None) -> tuple[tuple[int, int] | None, str]:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not match or bounds is None:
        return None, f"The link's years={text!r} is not a year range like 1997-2009; ignored."
    first = int(match.group(1))
    last = int(match.group(2) or first)
    first, last = min(first, last), max(first, last)
    clamped = (max(first, bounds[0]), min(last, bounds[1]))
    if clamped[0] > clamped[1]:
        return None, (f"The link's years={text!r} are outside the data's years "
                      f"{bounds[0]}–{bounds[1]}; ignored.")
    return clamped, ""


@dataclass(frozen=True)
class StoryLink:
    """What a URL asks of story mode; `person` is None outside story mode."""

    person: str | None
    step: int
    present: bool
    notices: tuple[str, ...] = ()


def story_from_query(query: Mapping[str, str | Sequence[str]], people: Sequence[str]) -> StoryLink:
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
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not re.fullmatch(r"[0-9]+", step_text):
        shown = step_text if len(step_text) <= 40 else step_text[:40] + "…"
        return StoryLink(person, 1, present, (
            f"The link's step={shown!r} is not a step number; starting at step 1.",))
    step = MAX_STEP if len(step_text.lstrip("0")) > len(str(MAX_STEP)) else int(step_text)
    return StoryLink(person, min(max(step, 1), MAX_STEP), present)


def story_to_query(person: str | None, step: int, present: bool) -> dict[str, str]:
    query = {STORY_PARAM: person, STEP_PARAM: str(step)} if person else {}
    if present:
        query[PRESENT_PARAM] = "1"
    return query
