"""Story mode as pure functions: one person's journey told as slides.

A story is an opening slide (who, the content note, the whole route, how many legs), one
slide per leg that leads with a sentence built from the data ("In 2009 Yeonmi Park went by
train from Qingdao to Beijing."), then the leg's note, how certain it is and its full
citation, and a closing slide (where the journey ended, the person's life since, the sources
used). The page (`ui/story_mode`) and the printable handout (`render/export/handout`) show the same
slides. Its link (`story=<person>&step=N&present=1`, N from 1 for the opening slide) is read
and written by `journeys.links`.

The data has no gender: sentences use the person's name, or "they" for anonymous people and
groups, and never a gendered pronoun. A place known only as a country or a province is said
to be just that ("where in China is not known"); a leg of unknown year has no time phrase,
and the opening slide says once which legs those are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from routes_dash.contract.schema import CERTAINTY_MEANINGS, COARSE_PRECISIONS
from routes_dash.journeys.citations import by_id, cited_sources, links_of
from routes_dash.journeys.describe import span_of_years
from routes_dash.journeys.sentences import Sentences, place

OPENING, LEG, CLOSING = "opening", "leg", "closing"

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
class Cited:
    """A source as a reader sees it: its full citation and its web links (http/https)."""

    text: str
    links: tuple[str, ...] = ()
    label: str = ""  # what it supports, when a slide cites for more than one thing


@dataclass(frozen=True)
class Slide:
    """One slide. Every text is plain data text: a view escapes it, never renders it."""

    kind: str  # OPENING, LEG or CLOSING
    title: str
    lead: str  # the sentence a class reads first
    body: tuple[str, ...] = ()  # paragraphs: the note, the summary, life since …
    warnings: tuple[str, ...] = ()  # the content note; a disputed leg
    certainty: str = ""  # a leg's certainty word, "" when not given
    sources: tuple[Cited, ...] = ()
    caption: str = ""  # how precisely the places are known or shown
    leg: int | None = None  # the leg a LEG slide tells
    used: tuple[Cited, ...] = ()  # the CLOSING slide's list: every source the legs cite


# The leg columns `slides` reads: a caller telling many stories from a wide frame passes only
# these, as each story's pandas calls then cost a fraction of what thirty columns do.
SLIDE_COLUMNS = ("person", "leg", "from", "to", "from_country", "to_country", "mode", "year",
                 "year_end", "outcome", "note", "certainty", "source", "citation",
                 "source_links", "located", "to_lat", "to_lon", "shown_precision",
                 "precision_reduced", "name", "anonymized")


def steps(legs: pd.DataFrame, person: str) -> pd.DataFrame:
    """One person's legs in the order of their story."""
    return legs[legs["person"] == person].sort_values("leg").reset_index(drop=True)


def clamp(step: int, count: int) -> int:
    return min(max(step, 1), max(count, 1))


def slide_count(legs: pd.DataFrame) -> int:
    """An opening slide, one per leg, a closing slide."""
    return len(legs) + 2


def content_note(legs: list[dict]) -> str:
    """A short note naming what a story contains that a class should be warned of, or ''."""
    found = [SENSITIVE[leg[column]] for column in ("outcome", "mode") for leg in legs
             if leg[column] in SENSITIVE]
    topics = list(dict.fromkeys(found))
    if not topics:
        return ""
    return f"Content note: this story includes {_and(topics)}."


def certainty_text(word: str) -> str:
    """A certainty word in plain words: `Own account: from the person's memoir …`."""
    if word in CERTAINTY_MEANINGS:
        return f"How sure: {word}, {CERTAINTY_MEANINGS[word].rstrip('.')}."
    return "How sure: not given."


def slides(legs: pd.DataFrame, person: pd.Series | dict,
           sources: pd.DataFrame | None = None) -> tuple[Slide, ...]:
    """The whole story of one person: `legs` from `steps`, `person` their people.csv row
    (with `citation`, `source_links`, `since_citation`, `since_source_links`), `sources`
    the sources table when the data has one (for the closing slide's list)."""
    return tell(legs.to_dict("records"), person, by_id(sources) if sources is not None else None)


def tell(legs: list[dict], person: pd.Series | dict, known: dict[str, dict] | None
         ) -> tuple[Slide, ...]:
    """`slides` from the legs as records (`steps`' order) and the sources by id (`by_id`;
    None without a sources table): what a caller telling thousands of stories calls, paying
    pandas' costs once for all of them, not once per story."""
    teller = Teller(person)
    told = [teller.leg_slide(leg, len(legs)) for leg in legs]
    return (teller.opening(legs), *told, teller.closing(legs, known))


class Teller:
    """The slides of one person's story."""

    def __init__(self, person: pd.Series | dict):
        self.person = dict(person)
        self.name = str(self.person.get("name") or self.person.get("person", ""))
        self.anonymous = bool(self.person.get("anonymized", False))
        self.sentences = Sentences(self.person)

    def opening(self, records: list[dict]) -> Slide:
        count = len(records)
        lead = f"{_counted(count, 'leg')}"
        years = span_of_years(leg[end] for leg in records for end in ("year", "year_end"))
        if years:
            lead += f", {years}"
        if count:
            first, last = records[0], records[-1]
            lead += (f": from {place(first['from'], first['from_country'])} "
                     f"to {place(last['to'], last['to_country'])}")
        body = [str(self.person.get("summary", ""))]
        unknown = [leg["leg"] for leg in records if pd.isna(leg["year"])]
        if unknown and len(unknown) == count:
            body.append("The years of this journey are not known.")
        elif unknown:
            body.append(f"When {_legs_named(unknown)} happened is not known.")
        disputed = [leg["leg"] for leg in records if leg["certainty"] == "disputed"]
        warnings = [content_note(records)]
        if disputed:
            warnings.append(f"Sources disagree about {_legs_named(disputed)}: "
                            f"{'its slide names' if len(disputed) == 1 else 'their slides name'}"
                            " both versions.")
        caption = ("An anonymous person: places are shown no finer than a province."
                   if self.anonymous else "")
        cited = _cited(self.person.get("citation", ""), self.person.get("source_links", ""),
                       "Who they are" if self.anonymous else f"About {self.sentences.subject}")
        return Slide(OPENING, self.name, lead + ".", _kept(body), _kept(warnings),
                     sources=cited, caption=caption)

    def leg_slide(self, leg: dict, count: int) -> Slide:
        warnings = ()
        if leg["certainty"] == "disputed":
            warnings = ("Disputed: sources disagree about this leg; the note says who says "
                        "what.",)
        return Slide(
            LEG, f"Leg {leg['leg']} of {count}", self.sentences.leg(leg), _kept([leg["note"]]),
            warnings, leg["certainty"], _cited(leg["citation"], leg["source_links"]),
            _precision_caption(leg), leg=int(leg["leg"]))

    def closing(self, records: list[dict], known: dict[str, dict] | None) -> Slide:
        if records:
            last = records[-1]
            year = last["year"] if pd.isna(last["year_end"]) else last["year_end"]
            lead = (f"The journey told here ends in {place(last['to'], last['to_country'])}"
                    f"{'' if pd.isna(year) else f', in {year}'}.")
        else:
            lead = "No leg of this journey is recorded."
        since = str(self.person.get("since", "") or "")
        body = (since,) if since else ("Nothing about life since is recorded here.",)
        cited = _cited(self.person.get("since_citation", ""),
                       self.person.get("since_source_links", ""), "Life since")
        cited_here = cited_sources(((leg["person"], leg["source"]) for leg in records), known)
        used = tuple(Cited(row["citation"], (row["url"],) if row["url"] else ())
                     for row in cited_here)
        return Slide(CLOSING, "Where the journey ended", lead, body, sources=cited, used=used)

def _precision_caption(leg: dict) -> str:
    if leg["precision_reduced"]:
        return "Shown at country level to protect an anonymous person."
    if leg["shown_precision"] in COARSE_PRECISIONS:
        return (f"Known only to a {leg['shown_precision']}: the map shades the whole "
                f"{leg['shown_precision']}, not a place in it.")
    if not leg["located"]:
        return "This leg's places have no coordinates, so it is not on the map."
    return ""


def _cited(text: str, links: str, label: str = "") -> tuple[Cited, ...]:
    if not text:
        return ()
    return (Cited(str(text), tuple(links_of(links)), label),)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _legs_named(numbers: list[int]) -> str:
    """`leg 3`, `legs 1–4 and 7`."""
    runs: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        if previous > start + 1:
            runs.append(f"{start}–{previous}")
        else:
            runs += [str(n) for n in range(start, previous + 1)]
        if number is not None:
            start = previous = number
    return ("leg " if len(numbers) == 1 else "legs ") + _and(runs)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _kept(texts) -> tuple[str, ...]:
    return tuple(t for t in texts if t)


def stops(legs: pd.DataFrame) -> pd.DataFrame:
    """The numbered stops of a story: stop 1 is where leg 1 starts, stop k + 1 where leg k
    ends. Stops at one point are one row: `numbers` lists them ("1, 4, 8"), `first` and
    `last` are the lowest and highest; `place` is the name at the first of them.

    Only located ends have a stop; an anonymous person's stops are at their shown (coarse)
    points, so they are never finer than the map.
    """
    columns = ["lat", "lon", "place", "numbers", "first", "last"]
    ends = [(1, legs.iloc[0]["from"], legs.iloc[0]["from_lat"], legs.iloc[0]["from_lon"])
            ] if len(legs) else []
    ends += [(number + 2, row["to"], row["to_lat"], row["to_lon"])
             for number, row in enumerate(legs.to_dict("records"))]
    grouped: dict[tuple[float, float], list] = {}
    for number, name, lat, lon in ends:
        if pd.isna(lat) or pd.isna(lon):
            continue
        grouped.setdefault((lat, lon), [name, []])[1].append(number)
    rows = [(lat, lon, place, ", ".join(map(str, numbers)), numbers[0], numbers[-1])
            for (lat, lon), (place, numbers) in grouped.items()]
    return pd.DataFrame(rows, columns=columns)
