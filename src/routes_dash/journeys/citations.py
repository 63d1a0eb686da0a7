"""Full citations: what a reader sees in place of a source id, and the bibliography of a view.

With a sources.csv, a `source` cell's ids become "Author, “Title”, Outlet, date" and their
web links; without one (an upload may have none), the cell is shown as written and is a
link only when it is a web address.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from routes_dash.contract.sources import cited_ids
from routes_dash.contract.urls import is_web_url

LINK_SEPARATOR = " "  # between the web links of one leg's sources (URLs hold no spaces)


def citation(source: pd.Series | dict) -> str:
    """One source as a reader cites it: author, title, outlet, date, and what it is."""
    parts = [source.get("author", ""), f"“{source['title']}”", source.get("outlet", ""),
             source.get("date", "") or "undated"]
    text = ", ".join(part for part in parts if part)
    return text + (f" ({source['kind']})" if source.get("kind") else "")


def by_id(sources: pd.DataFrame | None) -> dict[str, dict]:
    """Source id → its row, with its `citation`; empty without a sources table."""
    if sources is None:
        return {}
    return {row["id"]: {**row, "citation": citation(row)} for row in sources.to_dict("records")}


def cite(cell: str, sources: dict[str, dict]) -> tuple[str, str]:
    """A `source` cell as (full citation, its web links joined by spaces)."""
    if not sources:
        return str(cell), str(cell) if is_web_url(cell) else ""
    found = [sources[i] for i in cited_ids(cell) if i in sources]
    return ("; ".join(s["citation"] for s in found),
            LINK_SEPARATOR.join(s["url"] for s in found if s.get("url")))


def with_citations(frame: pd.DataFrame, sources: dict[str, dict], column: str = "source",
                   prefix: str = "") -> pd.DataFrame:
    """`frame` with `<prefix>citation` and `<prefix>source_links` for its `column`."""
    # Once per distinct cell: a large file cites a few sources many times.
    codes, cells = pd.factorize(frame[column])
    cited = [cite(cell, sources) for cell in cells] + [("", "")]  # the last for a missing cell
    texts, links = (pd.array(list(values), dtype="str") for values in zip(*cited, strict=True))
    return frame.assign(**{f"{prefix}citation": texts.take(codes),
                           f"{prefix}source_links": links.take(codes)})


def links_of(cell: str) -> list[str]:
    """The web links a `source_links` cell holds."""
    return [link for link in str(cell).split(LINK_SEPARATOR) if link]


BIBLIOGRAPHY_COLUMNS = ["id", "citation", "url", "kind", "legs", "people"]


def bibliography(legs: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    """The sources these legs cite, most used first: id, citation, url, kind, and how many
    legs and people each supports. Without a sources table, each distinct `source` cell."""
    pairs = zip(legs["person"].tolist(), legs["source"].tolist(), strict=True)
    known = by_id(sources) if sources is not None else None
    return pd.DataFrame(cited_sources(pairs, known), columns=BIBLIOGRAPHY_COLUMNS)


def cited_sources(pairs: Iterable[tuple[str, str]], known: dict[str, dict] | None
                  ) -> list[dict]:
    """`bibliography`'s rows from (person, source cell) pairs, `known` from `by_id` (None
    without a sources table): counted in plain Python, as this runs once per story too,
    and a cell's ids are split once per distinct cell."""
    ids_of: dict[str, list[str]] = {}
    legs_citing: Counter[str] = Counter()
    people_citing: defaultdict[str, set] = defaultdict(set)
    for person, cell in pairs:
        if cell not in ids_of:
            ids_of[cell] = cited_ids(cell) if known is not None else [cell] if cell else []
        for cited in ids_of[cell]:
            legs_citing[cited] += 1
            people_citing[cited].add(person)
    if known is None:
        known = {cell: {"citation": cell, "url": cell if is_web_url(cell) else "", "kind": ""}
                 for cell in legs_citing}
    ids = sorted(i for i in legs_citing if i in known)
    ids.sort(key=lambda i: (-legs_citing[i], -len(people_citing[i])))  # stable: ties by id
    return [{"id": i, **{k: known[i].get(k, "") for k in ("citation", "url", "kind")},
             "legs": legs_citing[i], "people": len(people_citing[i])} for i in ids]
