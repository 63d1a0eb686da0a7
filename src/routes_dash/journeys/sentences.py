"""A leg of a journey in one sentence built from the data, as exact as the data and no more.

"In 2009 Yeonmi Park went by train from Qingdao to Beijing." The data has no gender, so a
sentence uses the person's name, or "they" for anonymous people and groups. A place known
only as a country or a province is said to be just that ("where in China is not known"); a
leg of unknown year has no time phrase (story mode's opening slide says which legs those
are, once). `journeys.story` builds the slides around these sentences.
"""

from __future__ import annotations

import re

import pandas as pd

from routes_dash.contract.schema import COARSE_PRECISIONS


class Sentences:
    """Sentences about one person (their people.csv row): named or, when anonymous,
    "they"."""

    def __init__(self, person: dict):
        name = str(person.get("name") or person.get("person", ""))
        anonymous = bool(person.get("anonymized", False))
        # "Jang Jin-sung (pen name)" is Jang Jin-sung in a sentence.
        self.subject = "they" if anonymous else re.sub(r"\s*\(.*\)\s*$", "", name)
        self.was = "were" if anonymous else "was"

    def leg(self, leg: dict) -> str:
        """The leg in one sentence, as exact as the data and no more."""
        time = when(leg["year"], leg["year_end"])
        start, end = leg["from"], leg["to"]
        start_country, end_country = leg["from_country"], leg["to_country"]
        start_area, end_area = _is_country(start, start_country), _is_country(end, end_country)
        if start == end or (end_area and _same(end, start_country) and leg["outcome"] in STAYS):
            # A stay (caught in China), or a stay that began at a named place.
            what = self._stay(leg["outcome"], leg["mode"]) + " in " + place(end, end_country)
            if start != end:
                what += f", starting in {place(start, start_country, with_country=False)}"
        else:
            same_country = bool(start_country) and _same(start_country, end_country)
            # "from somewhere in China to Yanji": the country is said, where in it is not.
            source = ("somewhere in " + country_name(start) if start_area and same_country
                      else place(start, start_country, with_country=not same_country))
            target = place(end, end_country, with_country=not same_country)
            what = (f"{self._move(leg['mode'], leg['outcome'])} from {source} "
                    f"{'into' if leg['outcome'] == 'crossed' else 'to'} {target}"
                    f"{self._then(leg, end_area)}")
            if start_area and same_country:
                start_area = False  # already said
        tail = _unknown_where(leg, start_area, end_area)
        return capital(f"{time}{self._subject(bool(time))} {what}{tail}.")

    def _subject(self, mid_sentence: bool) -> str:
        # "In 2019 the Roh family …": a leading article is lower case mid-sentence.
        if mid_sentence and self.subject.startswith("The "):
            return "the " + self.subject[4:]
        return self.subject

    def _move(self, mode: str, outcome: str) -> str:
        if outcome == "released":
            return f"{self.was} released and went"
        if outcome == "crossed" and mode in CROSSINGS:
            return CROSSINGS[mode]
        return MOVES.get(mode, "went").format(was=self.was)

    def _stay(self, outcome: str, mode: str) -> str:
        if mode == "trafficked" or outcome == "trafficked":
            return f"{self.was} trafficked"
        return STAYS.get(outcome, "{was} moved about").format(was=self.was)

    def _then(self, leg: dict, end_is_country: bool) -> str:
        outcome, mode = leg["outcome"], leg["mode"]
        if mode == "detention transfer" and outcome == "detained":
            return " and held there"
        if (outcome, mode) in (("repatriated", "deportation"), ("trafficked", "trafficked")):
            return ""
        if outcome == "hiding":
            lasting = not pd.isna(leg["year_end"]) and leg["year_end"] != leg["year"]
            return " and lived in hiding" if lasting else ", in hiding"
        if outcome == "resettled":
            country = leg["to_country"]
            return (" and resettled there" if end_is_country or not country
                    else f" and resettled in {country_name(country)}")
        return THEN.get(outcome, "").format(was=self.was)


# How a leg went, by mode ("{was}" is "was" or "were").
MOVES = {
    "on foot": "walked",
    "river crossing": "crossed the river",
    "train": "went by train",
    "bus": "went by bus",
    "car": "went by road",
    "boat": "went by boat",
    "plane": "flew",
    "detention transfer": "{was} taken in custody",
    "deportation": "{was} sent back",
    "trafficked": "{was} trafficked",
    "unknown": "went",
}
# A border crossing, by mode: "crossed on foot from … into …".
CROSSINGS = {
    "on foot": "crossed on foot",
    "river crossing": "crossed the river",
    "train": "crossed by train",
    "bus": "crossed by bus",
    "car": "crossed by road",
    "boat": "crossed by boat",
    "unknown": "crossed",
}
# What happened at the end of a leg, after the move.
THEN = {
    "caught": " and {was} caught",
    "repatriated": " and {was} sent back",
    "detained": " and {was} detained",
    "trafficked": " and {was} trafficked",
    "turned back": " and {was} turned back",
    "asylum": " and asked for asylum",
}
# A leg that stays in one place (or one country): what happened there.
STAYS = {
    "caught": "{was} caught",
    "detained": "{was} held in detention",
    "hiding": "lived in hiding",
    "released": "{was} released",
    "trafficked": "{was} trafficked",
}
# Countries a sentence names with "the".
THE_COUNTRIES = ("United States", "United Kingdom", "Philippines", "Netherlands",
                 "Czech Republic", "United Arab Emirates")


def when(year, year_end) -> str:
    if pd.isna(year):
        return ""
    if pd.isna(year_end) or year_end == year:
        return f"In {year} "
    return f"From {year} to {year_end} "


def _same(a: str, b: str) -> bool:
    return str(a).casefold() == str(b).casefold()


def _is_country(place: str, country: str) -> bool:
    return bool(country) and _same(place, country)


def country_name(country: str) -> str:
    return f"the {country}" if country in THE_COUNTRIES else country


def place(place: str, country: str, with_country: bool = True) -> str:
    """A place as a sentence names it: `Hyesan in North Korea`, `the Yodok political prison
    camp`, `China`, `the United States`."""
    if _is_country(place, country):
        return country_name(country)
    short = place
    if country and place.casefold().endswith(", " + country.casefold()):
        short = place[: -len(country) - 2]
    # "South Korean mission, Beijing" reads "South Korean mission in Beijing".
    short = " in ".join(short.rsplit(", ", 1))
    words = re.findall(r"[^\W\d_]+", short)
    # "Yodok political prison camp", "East Sea off Sokcho": a description takes "the".
    if (words and words[0][0].isupper() and words[0] != "The"
            and any(w.islower() and len(w) > 2 for w in words)):
        short = "the " + short
    return f"{short} in {country_name(country)}" if with_country and country else short


def _unknown_where(leg: dict, start_is_country: bool, end_is_country: bool) -> str:
    if leg["precision_reduced"]:
        return "; the places are named only by their country, to protect them"
    if leg["shown_precision"] not in COARSE_PRECISIONS:
        return ""
    if leg["shown_precision"] == "province":
        return "; where exactly is not known"
    if start_is_country != end_is_country and leg["from"] != leg["to"]:
        country = leg["to"] if end_is_country else leg["from"]
        if not (end_is_country and _same(country, leg["from_country"])):
            return f"; where in {country_name(country)} is not known"
    if not (start_is_country or end_is_country):
        return ""  # the places were named already: "from somewhere in China"
    return "; where is not known"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
