"""Story mode of the one-file HTML: every person's slides, told by `journeys.story` as the
page tells them (the opening, one slide per leg led by its sentence, the closing), so that the
file's script only draws them and never builds a sentence of its own.

A slide travels as a list in the order of `SLIDE_FIELDS`, each of its texts a number into one
table of distinct texts (a large file repeats its citations, captions and titles many times).
"""

from __future__ import annotations

import pandas as pd

from routes_dash.journeys import story
from routes_dash.journeys.citations import by_id

# The fields of a slide as the file carries them (the page's script reads them by name).
SLIDE_FIELDS = ("kind", "title", "lead", "body", "warnings", "sure", "sources", "caption",
                "leg", "used")


class Texts:
    """The distinct texts of the stories, each numbered once."""

    def __init__(self):
        self.numbers: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.numbers.setdefault(text, len(self.numbers))

    def table(self) -> list[str]:
        return list(self.numbers)


def stories(shown: pd.DataFrame, people: pd.DataFrame | None,
            sources: pd.DataFrame | None) -> dict:
    """`stories`: per person, the rows of `shown` in the story's order (for the map and the
    timeline) and the slides; `storyTexts`: the texts the slides number; `slideFields`."""
    described = {} if people is None else {p["person"]: p for p in people.to_dict("records")}
    known = by_id(sources) if sources is not None else None
    narrow = shown[[c for c in story.SLIDE_COLUMNS if c in shown]]
    ordered = narrow.assign(row=range(len(shown))).sort_values(["person", "leg"], kind="stable")
    by_person: dict[str, list[dict]] = {}
    for leg in ordered.to_dict("records"):  # once for every story: records, then grouped
        by_person.setdefault(leg["person"], []).append(leg)
    text = Texts()
    told = {}
    for person, legs in by_person.items():
        told[person] = {"rows": [leg["row"] for leg in legs],
                        "slides": [_slide(s, text) for s in story.tell(
                            legs, _person_row(person, legs, described), known)]}
    return {"stories": told, "storyTexts": text.table(), "slideFields": SLIDE_FIELDS}


def _person_row(person: str, legs: list[dict], described: dict[str, dict]) -> dict:
    """The person's people.csv row, as story mode reads it; without one, their name, and
    whether they are anonymous as their legs say."""
    if person in described:
        return described[person]
    return {"person": person, "name": legs[0]["name"],
            "anonymized": bool(legs[0]["anonymized"])}


def _slide(slide: story.Slide, text: Texts) -> list:
    sure = story.certainty_text(slide.certainty) if slide.kind == story.LEG else ""
    fields = {
        "kind": slide.kind, "title": text(slide.title), "lead": text(slide.lead),
        "body": [text(t) for t in slide.body], "warnings": [text(t) for t in slide.warnings],
        "sure": text(sure), "sources": [_cited(c, text) for c in slide.sources],
        "caption": text(slide.caption), "leg": slide.leg,
        "used": [_cited(c, text) for c in slide.used],
    }
    return [fields[name] for name in SLIDE_FIELDS]


def _cited(cited: story.Cited, text: Texts) -> list:
    return [text(cited.text), [text(link) for link in cited.links], text(cited.label)]
