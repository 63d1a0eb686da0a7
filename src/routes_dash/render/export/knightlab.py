"""Knight Lab's TimelineJS and StoryMapJS: JSON they render as HTML, so every data text is
escaped and a source is a link only when it is a web address."""

from __future__ import annotations

import pandas as pd

from routes_dash.contract.schema import CERTAINTY_MEANINGS
from routes_dash.contract.urls import is_web_url
from routes_dash.journeys.citations import links_of
from routes_dash.journeys.notes import counted, is_are
from routes_dash.journeys.privacy import COARSE_PRECISIONS
from routes_dash.render.export.common import (
    Files,
    View,
    _h,
    _json_bytes,
    _notes,
    _slug,
    _unique,
    _year,
    shown_legs,
)

# StoryMapJS zoom by the precision a place is shown at (calculate_zoom may override it).
ZOOM = {"exact": 12, "city": 9, "province": 6, "country": 4}


# Past this many events one timeline opens too slowly in TimelineJS 3.9 (its start-up grows
# faster than the events: measured in the README's Exports section), so the export writes
# one timeline per person instead.
TIMELINE_MOST_EVENTS = 500


def to_timelinejs(legs: pd.DataFrame, people: pd.DataFrame | None = None,
                  view: View | None = None) -> Files:
    """TimelineJS JSON: a title slide and one event per leg of known year, in
    `timeline.json`; past `TIMELINE_MOST_EVENTS` events, one `timeline-<person>.json` per
    person instead, each saying why.

    `start_date.year` (and `end_date.year` for a leg that lasted years) are numbers; the
    group is the person's name; `unique_id` is `<person>-leg-<n>`. Legs of unknown year are
    left out, and the title slide says how many and whose.
    """
    view = view or View()
    shown = shown_legs(legs)
    dated = int(shown["year"].notna().sum())
    if dated <= TIMELINE_MOST_EVENTS:
        return {"timeline.json": _timeline(shown, view.title, [])}
    people_count = shown["person"].nunique()
    why = (f"One of {people_count:,} timelines, one per person: a single timeline of all "
           f"{dated:,} events would take minutes to open in TimelineJS.")
    files: Files = {}
    journeys = shown.groupby("person", sort=True)
    names = _unique(_slug(p) for p in journeys.groups)
    for (_, journey), file_id in zip(journeys, names, strict=True):
        files[f"timeline-{file_id}.json"] = _timeline(
            journey, f"{journey['name'].iloc[0]}: {view.title}", [why])
    return files


def _timeline(shown: pd.DataFrame, headline: str, first_lines: list[str]) -> bytes:
    dated = shown[shown["year"].notna()]
    undated = shown[shown["year"].isna()]
    ids = _unique(f"{_slug(p)}-leg-{int(n)}" for p, n in zip(dated["person"], dated["leg"],
                                                               strict=True))
    events = []
    for row, unique_id in zip(dated.to_dict("records"), ids, strict=True):
        event = {
            "start_date": {"year": int(row["year"])},
            "display_date": _h(row["when"]),
            "text": {"headline": _h(f"{row['name']}: {row['from']} → {row['to']}"),
                     "text": _leg_html(row)},
            "group": _h(row["name"]),
            "unique_id": unique_id,
        }
        end = _year(row["year_end"])
        if end is not None and end != int(row["year"]):
            event["end_date"] = {"year": end}
        events.append(event)
    said = _notes(shown)
    if len(undated):
        whose = ", ".join(sorted(undated["name"].unique()))
        said["unknown_year"] = (
            f"{counted(len(undated), 'leg')} of unknown year {is_are(len(undated))} not on this "
            f"timeline, which needs a year for every event: {whose}. The CSV and map exports "
            "have them.")
    lines = [*first_lines, said.pop("count"), said.pop("unknown_year", ""), *said.values()]
    timeline = {
        "title": {"text": {"headline": _h(headline),
                           "text": "".join(f"<p>{_h(line)}</p>" for line in lines if line)}},
        "events": events,
        "eras": [],
        "scale": "human",
    }
    return _json_bytes(timeline)


def to_storymap(legs: pd.DataFrame, people: pd.DataFrame | None = None,
                view: View | None = None) -> Files:
    """StoryMapJS JSON, one `storymap-<person>.json` per person (one StoryMap is one route).

    The first slide is the overview (the person, their summary, what was left out); then
    one slide per place in the order the journey reaches it: where the first leg starts,
    then where each leg ends (and where a leg starts when that is not where the last one
    ended). Each slide has location name/lat/lon/zoom/line, a headline, a text with the
    leg's certainty and source, and the date. Places without coordinates have no slide.
    """
    shown = shown_legs(legs)
    described = _people_by_id(people)
    names = _unique(_slug(p) for p in shown["person"].unique())
    files: Files = {}
    for (person, journey), file_id in zip(shown.groupby("person", sort=True), names,
                                          strict=True):
        journey = journey.sort_values("leg", kind="stable")
        slides = _story_slides(journey)
        left_out = int((~journey["located"]).sum())
        overview = _overview_slide(journey, described.get(person, {}), left_out)
        storymap = {"storymap": {"language": "en", "map_type": "osm:standard",
                                 "calculate_zoom": True, "slides": [overview, *slides]}}
        files[f"storymap-{file_id}.json"] = _json_bytes(storymap)
    return files


def _story_slides(journey: pd.DataFrame) -> list[dict]:
    slides: list[dict] = []
    last_point = None
    for row in journey[journey["located"]].to_dict("records"):
        start = (float(row["from_lat"]), float(row["from_lon"]))
        if start != last_point:
            what = "Where the journey starts" if not slides else "Where the next leg starts"
            slides.append(_place_slide(
                row["from"], start, row["shown_precision"], line=bool(slides),
                headline=row["from"], date=row["when"],
                text=f"<p>{what}: leg {int(row['leg'])} leaves from here.</p>",
            ))
        end = (float(row["to_lat"]), float(row["to_lon"]))
        slides.append(_place_slide(
            row["to"], end, row["shown_precision"], line=True, date=row["when"],
            headline=f"Leg {int(row['leg'])}: {row['outcome']} · {row['to']}",
            text=_leg_html(row),
        ))
        last_point = end
    return slides


def _place_slide(name, point, precision, *, line, headline, text, date) -> dict:
    return {
        "location": {"name": _h(name), "lat": point[0], "lon": point[1],
                     "zoom": ZOOM.get(precision, 6), "line": line},
        "text": {"headline": _h(headline), "text": text},
        "date": _h(date),
    }


def _overview_slide(journey: pd.DataFrame, person: dict, left_out: int) -> dict:
    name = str(journey["name"].iloc[0])
    parts = []
    summary = str(person.get("summary") or "")
    if summary:
        parts.append(f"<p>{_h(summary)}</p>")
    if person.get("citation"):
        parts.append(f"<p>Source: {_citation_html(person['citation'], person['source_links'])}"
                     "</p>")
    if bool(journey["anonymized"].iloc[0]):
        parts.append("<p>Anonymous: shown no finer than a province, at most.</p>")
    parts.append(f"<p>{len(journey)} legs. Each slide gives the leg's certainty and source.</p>")
    disputed = int((journey["certainty"] == "disputed").sum())
    if disputed:
        parts.append(f"<p><strong>{disputed} of these legs are disputed</strong>; their notes "
                     "give the versions.</p>")
    if left_out:
        parts.append(f"<p>{left_out} legs are not in this story because a place has no "
                     "coordinates.</p>")
    return {"type": "overview", "text": {"headline": _h(name), "text": "".join(parts)}}


def _leg_html(row: dict) -> str:
    """A leg for TimelineJS and StoryMapJS, which render HTML: every data text escaped."""
    word = row["certainty"]
    certainty = (f"<strong>{_h(word)}</strong>" if word == "disputed" else _h(word or "not given"))
    if word in CERTAINTY_MEANINGS:
        certainty += f": {_h(CERTAINTY_MEANINGS[word])}"
    parts = [
        f"<p>{_h(row['from'])} → {_h(row['to'])}</p>",
        f"<p>{_h(row['mode'])} · {_h(row['when'])} · {_h(row['outcome'])}</p>",
        f"<p>Certainty: {certainty}</p>",
        f"<p>Source: {_citation_html(row['citation'], row['source_links'])}</p>",
    ]
    if row["note"]:
        parts.append(f"<p>{_h(row['note'])}</p>")
    if row["precision_reduced"]:
        parts.append("<p>Shown at country level to protect an anonymous person.</p>")
    elif row["shown_precision"] in COARSE_PRECISIONS:
        parts.append(f"<p>Places known only at {_h(row['shown_precision'])} level.</p>")
    return "".join(parts)


def _citation_html(citation: str, links: str) -> str:
    """A leg's full citation, then each of its web links (http and https only)."""
    if not citation:
        return "not given"
    anchors = [f'<a href="{_h(link)}">{_h(link)}</a>' for link in links_of(links)
               if is_web_url(link)]
    return _h(citation) + "".join(f"<br>{a}" for a in anchors)


def _people_by_id(people: pd.DataFrame | None) -> dict[str, dict]:
    if people is None or people.empty:
        return {}
    return {row["person"]: row for row in people.to_dict("records")}
