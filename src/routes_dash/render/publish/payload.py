"""The data the one-file HTML carries: every shown leg with what the page's rules made of it
(its description, its route, its sources), the people, the sources, the map's deck JSON and
the charts' plotly layouts, as one JSON object.

Everything a rule decides once per leg is decided here, in Python, by the same functions the
page uses (`leg_description`, `journeys.routes`, `maps.build_deck`, the chart functions);
the page's script only filters rows and counts them (see assets/*.js).
"""

from __future__ import annotations

import json

import pandas as pd

from routes_dash import bundled
from routes_dash.contract import schema
from routes_dash.contract.sources import cited_ids
from routes_dash.journeys import routes
from routes_dash.journeys.citations import bibliography, links_of
from routes_dash.journeys.describe import leg_description
from routes_dash.journeys.story import SENSITIVE
from routes_dash.render import charts, maps
from routes_dash.render.export.common import View, notes, shown_legs
from routes_dash.render.style import MODE_COLORS, OUTCOME_COLORS

# The columns the page reads, as they are (text columns are sent as codes into their
# distinct values, which a large file repeats many times).
TEXT_COLUMNS = ("person", "name", "from", "to", "mode", "outcome", "certainty", "citation",
                "source_links", "note", "shown_precision", "from_country", "to_country",
                "when", "description")
NUMBER_COLUMNS = ("leg", "year", "year_end", "from_lat", "from_lon", "to_lat", "to_lon")
FLAG_COLUMNS = ("located", "precision_reduced", "anonymized")
_LAYERS_FILLED_IN_THE_PAGE = ("earlier", "routes", "places", "outcomes", "labels")


def payload(legs: pd.DataFrame, people: pd.DataFrame | None, view: View) -> dict:
    shown = shown_legs(legs).reset_index(drop=True)
    shown = shown.assign(description=leg_description(shown))
    segment = _segments(shown)
    return {
        "title": view.title,
        "data": view.data,
        "filters": view.filters,
        "notes": notes(legs),
        "certainty": schema.CERTAINTY_MEANINGS,
        "modes": schema.MODES,
        "outcomes": schema.OUTCOMES,
        "alarming": schema.ALARMING_OUTCOMES,
        "sensitive": SENSITIVE,
        "modeColours": MODE_COLORS,
        "outcomeColours": OUTCOME_COLORS,
        "legs": {
            **{c: _coded(shown[c].fillna("").astype(str)) for c in TEXT_COLUMNS},
            **{c: _numbers(shown[c]) for c in NUMBER_COLUMNS},
            **{c: shown[c].astype(bool).astype(int).tolist() for c in FLAG_COLUMNS},
            "segment": segment.tolist(),
        },
        **_sources(shown, view.sources),
        "people": _people(shown, people),
        **_drawing(shown, segment, view),
    }


def _segments(shown: pd.DataFrame) -> pd.Series:
    """Each leg's route on the map (legs sharing from, to, mode, outcome and coordinates
    are one route), numbered in the order first met; -1 for a leg not on the map."""
    keys = [*routes.SEGMENT_KEYS, "from_lat", "from_lon", "to_lat", "to_lon"]
    located = shown[shown["located"]]
    numbers = located.groupby(keys, sort=False, dropna=False).ngroup()
    return numbers.reindex(shown.index, fill_value=-1).astype(int)


def _drawing(shown: pd.DataFrame, segment: pd.Series, view: View) -> dict:
    """The deck JSON (basemap inline, the data layers left for the page to fill), each
    route's colour and each point's label as the map draws them, and the charts' layouts."""
    basemap = json.loads(bundled.BASEMAP.read_text(encoding="utf-8"))
    deck = json.loads(maps.build_deck(shown, basemap=basemap).to_json())
    drawn = {layer["id"]: layer.pop("data") for layer in deck["layers"]
             if layer["id"] in _LAYERS_FILLED_IN_THE_PAGE}
    for layer in deck["layers"]:
        if layer["id"] in _LAYERS_FILLED_IN_THE_PAGE:
            layer["data"] = []
    colour = {r["mode"]: r["color"] for r in drawn["routes"]}
    marker_colour = {r["outcome"]: r["color"] for r in drawn["outcomes"]}
    located = shown[segment >= 0]
    first = located.groupby(segment[segment >= 0], sort=True).head(1)
    labels = routes.map_data(shown).places
    arrivals = view.arrivals if view.arrivals is not None else pd.read_csv(
        bundled.DATA / "arrivals.csv")
    by_year = json.loads(charts.legs_by_year(shown, arrivals).to_json())
    return {
        "deck": deck,
        "segmentColour": [colour[m] for m in first["mode"]],
        "markerColour": marker_colour,
        "labels": [[lat, lon, label] for lat, lon, label in zip(
            labels["lat"], labels["lon"], labels["label"], strict=True)],
        # The charts' template and font, as plotly.py writes them; the page's script builds
        # each chart's traces and titles as render/charts.py does (a browser test compares).
        "chartStyle": {key: by_year["layout"][key] for key in ("template", "font")},
        "arrivals": by_year["data"][1],
        "arrivalsCaveat": charts.ARRIVALS_CAVEAT,
        "timelineMostPeople": charts.TIMELINE_MOST_PEOPLE,
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
