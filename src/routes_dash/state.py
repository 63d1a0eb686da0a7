"""Filter state ⇄ URL query parameters, as pure functions, so a link reproduces a view.

`person=a,b&country=China&years=1997-2009&mode=train&outcome=caught`: lists are
comma-separated; a missing parameter means "all". Values are matched case-insensitively;
unknown ones are dropped with a notice that names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LIST_PARAMS = {"people": "person", "countries": "country", "modes": "mode", "outcomes": "outcome"}
YEARS_PARAM = "years"


@dataclass(frozen=True)
class Filters:
    """What the reader chose; an empty tuple means everything."""

    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    modes: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """What can be chosen in the current data."""

    people: tuple[str, ...]
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    outcomes: tuple[str, ...]
    years: tuple[int, int] | None  # the known years' range, None when no year is known


@dataclass(frozen=True)
class Parsed:
    filters: Filters
    notices: tuple[str, ...] = field(default=())


def from_query(query: Mapping[str, str | Sequence[str]], options: Options) -> Parsed:
    """Read filters from a URL's query; anything the data does not have is named in a notice."""
    values: dict[str, object] = {}
    notices = []
    for attribute, param in LIST_PARAMS.items():
        allowed = getattr(options, attribute)
        wanted = _split(query.get(param))
        by_key = {_key(a): a for a in allowed}
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


def to_query(filters: Filters) -> dict[str, str]:
    """The query parameters that reproduce `filters`; "all" is left out."""
    query = {
        param: ",".join(getattr(filters, attribute))
        for attribute, param in LIST_PARAMS.items()
        if getattr(filters, attribute)
    }
    if filters.years:
        first, last = filters.years
        query[YEARS_PARAM] = str(first) if first == last else f"{first}-{last}"
    return query


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    return [item.strip() for part in parts for item in part.split(",") if item.strip()]


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
