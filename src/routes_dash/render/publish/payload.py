"""The data the one-file HTML carries: every leg of the file with what the page's rules made of
it (its description, its ends and line on the map, its colour categories, its sources), the
people, the sources, the stories, the map's drawing primitives (`mapdata`) and what the charts
need, as one JSON object.

Everything a rule decides once per leg, per line or per person is decided here, in Python, by
the functions the page uses (`leg_description`, `legpaths`, `areas`, `style`,
`journeys.story`); the page's script selects the legs the filters keep, counts them, fits the
map and places its labels (see assets/*.js; a browser test compares the two).
"""

from __future__ import annotations

import json

import pandas as pd

from routes_dash import bundled
from routes_dash.contract import schema
from routes_dash.contract.sources import cited_ids
from routes_dash.journeys.citations import bibliography, links_of
from routes_dash.journeys.describe import leg_description
from routes_dash.render import charts, flow, story_map, style
from routes_dash.render.export.common import View, notes, shown_legs
from routes_dash.render.publish.mapdata import map_payload
from routes_dash.render.publish.stories import stories

# The columns the page reads, as they are (text columns are sent as codes into their
# distinct values, which a large file repeats many times).
TEXT_COLUMNS = ("person", "name", "from", "to", "mode", "outcome", "certainty", "citation",
                "source_links", "note", "shown_precision", "from_country", "to_country",
                "when", "description")
NUMBER_COLUMNS = ("leg", "year", "year_end", "from_lat", "from_lon", "to_lat", "to_lon")
FLAG_COLUMNS = ("located", "precision_reduced", "anonymized")
# Story mode's map keeps context around a leg: never closer than the page's story map goes
# for a leg between towns, or for one known only as an area.
STORY_MAX_ZOOM = {"fine": story_map.TOWN_ZOOM, "coarse": story_map.AREA_ZOOM}


def payload(legs: pd.DataFrame, people: pd.DataFrame | None, view: View) -> dict:
    shown = shown_legs(legs).reset_index(drop=True)
    shown = shown.assign(description=leg_description(shown))
    drawing, map_columns = map_payload(shown)
    return {
        "title": view.title,
        "data": view.data,
        "filters": view.filters,
        "notes": notes(legs),
        "certainty": schema.CERTAINTY_MEANINGS,
        "modes": schema.MODES,
        "outcomes": schema.OUTCOMES,
        "alarming": schema.ALARMING_OUTCOMES,
        "coarse": schema.COARSE_PRECISIONS,
        "legs": {
            **{c: _coded(shown[c].fillna("").astype(str)) for c in TEXT_COLUMNS},
            **{c: _numbers(shown[c]) for c in NUMBER_COLUMNS},
            **{c: shown[c].astype(bool).astype(int).tolist() for c in FLAG_COLUMNS},
            **{c: _coded(v) if v.dtype == object else v.tolist()
               for c, v in map_columns.items()},
        },
        **_sources(shown, view.sources),
        "people": _people(shown, people),
        **stories(shown, people, view.sources),
        "storyMaxZoom": STORY_MAX_ZOOM,
        "map": drawing,
        "charts": _charts(shown, view.arrivals),
    }


def _charts(shown: pd.DataFrame, arrivals: pd.DataFrame | None) -> dict:
    """What the script needs to draw the charts as render/charts.py and render/flow.py draw
    them: their plotly layout, colours and limits, and the yearly arrivals series."""
    arrivals = arrivals if arrivals is not None else pd.read_csv(bundled.DATA / "arrivals.csv")
    by_year = charts.legs_by_year(shown, arrivals)
    figure = json.loads(by_year.figure.to_json())
    table = by_year.table.dropna(subset=["arrivals in South Korea"])
    base = json.loads(charts.styled_figure([], {}, 200).to_json())["layout"]
    empty = charts.no_legs_chart("")
    return {
        "base": {k: v for k, v in base.items() if k != "height"},
        "noLegs": {"layout": json.loads(empty.figure.to_json())["layout"], "note": empty.note},
        "ink": charts.INK, "grid": charts.GRID,
        "modeColours": style.MODE_COLORS,
        "groups": {group: list(outcomes) for group, outcomes in style.OUTCOME_GROUPS.items()},
        "groupColours": style.OUTCOME_GROUP_COLORS,
        "unknownGap": charts.UNKNOWN_GAP, "unknownWidth": charts.UNKNOWN_WIDTH,
        "timelineMostPeople": charts.TIMELINE_MOST_PEOPLE,
        "byYear": {"title": by_year.title, "alt": by_year.alt, "arrivals": figure["data"][1],
                   "yaxis2": figure["layout"]["yaxis2"],
                   "yearly": [[int(y), int(n)] for y, n in zip(
                       table["year"], table["arrivals in South Korea"], strict=True)]},
        "arrivalsCaveat": charts.ARRIVALS_CAVEAT,
        "flow": {"maxStages": flow.MAX_STAGES, "more": flow.MORE, "nodePad": flow.NODE_PAD,
                 "height": flow.HEIGHT, "tableRows": flow.FLOW_TABLE_ROWS, "nk": flow.NK},
    }


def _sources(shown: pd.DataFrame, sources: pd.DataFrame | None) -> dict:
    """The bibliography of the file (id, citation, url, kind) and each leg's sources in it."""
    cited = bibliography(shown, sources)
    index = {source_id: i for i, source_id in enumerate(cited["id"])}
    if sources is None:
        per_leg = [[index[c]] if c in index else [] for c in shown["source"]]
    else:
        per_leg = [[index[i] for i in cited_ids(c) if i in index] for c in shown["source"]]
    return {"sources": cited[["id", "citation", "url", "kind"]].to_dict("records"),
            "legSources": per_leg}


def _people(shown: pd.DataFrame, people: pd.DataFrame | None) -> list[dict]:
    """The people of these legs, as the page's people section shows them."""
    here = shown.drop_duplicates("person")[["person", "name", "anonymized"]]
    described = {} if people is None else {
        row["person"]: row for row in people.to_dict("records")}
    out = []
    for person, name, anonymized in here.itertuples(index=False, name=None):
        row = described.get(person, {})
        out.append({"person": person, "name": name, "anonymized": bool(anonymized),
                    "summary": str(row.get("summary") or ""),
                    "citation": str(row.get("citation") or ""),
                    "links": links_of(row.get("source_links") or ""),
                    "since": str(row.get("since") or "")})
    return sorted(out, key=lambda p: p["person"])


def _coded(values: pd.Series) -> dict:
    codes, distinct = pd.factorize(values)
    return {"values": distinct.tolist(), "codes": codes.tolist()}


def _numbers(values: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in values.tolist()]
