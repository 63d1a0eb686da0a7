"""The route map of the one-file HTML as drawing primitives, computed here for every leg of the
file by the page's own map code, so that the file's script only selects, counts, fits and
places labels (assets/routes.js, assets/labels.js):

- each leg's ends as the map groups them, its line (`span`) and its ends' areas;
- each line's fitting points and its drawn shape (`legpaths.draw_all`: the curve, the fades into
  areas, the arrow) at every zoom level of `LEVELS`; the file fits its view as the page does,
  then zooms out to the level below, where its shapes are exactly the page's;
- the areas (countries, provinces, vicinities) the legs' ends are, shaded as the page shades
  them; the colour of each "colour by" category; the cities and country names the labels
  choose from;
- the deck's layers as `maps.build_deck` writes them (pydeck's JSON, rendered in the file by
  @deck.gl/json), with their data left for the script to fill.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from routes_dash import bundled
from routes_dash.journeys import areas, routes
from routes_dash.render import legend, legpaths, maplabels, maps, style

# The zoom levels the file's map is drawn at (`legpaths.level`, as the page draws): a fitted
# view's zoom is rounded down to one of them (at most a quarter step further out than the
# page), so that every line's shape was drawn here, by legpaths.draw_all, at exactly that zoom.
LEVELS = np.arange(0.5, maps.MAX_ZOOM + legpaths.LEVEL_STEP / 2,
                   legpaths.LEVEL_STEP).round(2).tolist()
# A leg's ends as the map groups them into routes (with the colour category and certainty),
# and its line: the same geometry whatever the names.
ENDS = ["from", "to", "from_lat", "from_lon", "to_lat", "to_lon", "from_area", "to_area"]
LINE = ["from_lat", "from_lon", "to_lat", "to_lon", "from_area", "to_area"]
# The layers the script fills; the others keep the data pydeck gave them.
FILLED = ("areas", "earlier", "earlier-fades", "fades", "routes", "arrows", "places",
          "outcomes", "country-names", "cities", "city-names", "labels", "numbers")


def map_payload(shown: pd.DataFrame) -> tuple[dict, dict]:
    """(the map's tables, the per-leg columns: `ends`, `span`, the ends' areas and each
    "colour by" category, as Series on `shown`'s index) for the legs of the file."""
    frame = shown[shown["located"]]
    ends = _codes(frame, ENDS)
    span = _codes(frame, LINE)
    first = frame.iloc[pd.Series(np.arange(len(frame))).groupby(span.to_numpy()).first()]
    lines = first[LINE].reset_index(drop=True)
    spans, shapes = _spans(lines)
    keys = list(dict.fromkeys(pd.concat([frame["from_area"], frame["to_area"]]).tolist()))
    columns = {
        "ends": _per_leg(shown, ends), "span": _per_leg(shown, span),
        **{end: _per_leg(shown, frame[end], "") for end in ("from_area", "to_area")},
    }
    palettes = {}
    for choice in ("mode", "outcome", "certainty"):
        category, palettes[choice] = style.colour_categories(shown, choice)
        columns[f"colour_{choice}"] = category.astype(str)
    tables = {
        "template": _template(shown, first),
        "levels": LEVELS,
        "maxZoom": maps.MAX_ZOOM,
        "mostRoutes": routes.MOST_ROUTES_DRAWN,
        "spans": spans,
        "shapes": shapes,
        "areas": {key: _area(key) for key in keys if key},
        "colours": {
            "palettes": palettes, "people": list(style.PERSON_COLORS),
            "otherPeople": style.OTHER_PEOPLE, "otherColour": style.OTHER_COLOR,
        },
        "lineStyle": {"sure": list(style.SURE), "dashed": list(style.DASHED),
                      "faint": style.FAINT_OPACITY, "dash": style.DASH,
                      "dimmed": maps.DIMMED, "noCertainty": "not given"},
        "labels": _label_candidates(shown),
        "legend": {"colourBy": legend.COLOUR_BY_LABELS, "meanings": legend.MEANINGS,
                   "areaFill": style.AREA_FILL, "areaLine": style.AREA_LINE},
        "fit": {"tile": legpaths.TILE, "pad": legpaths.PAD_PX, "minZoom": 0.5,
                "world": {"longitude": maps.WORLD_VIEW.longitude,
                          "latitude": maps.WORLD_VIEW.latitude, "zoom": maps.WORLD_VIEW.zoom}},
    }
    return tables, columns


def _codes(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Group numbers 0, 1, 2 … in the order first met."""
    return frame.groupby(keys, sort=False, dropna=False).ngroup()


def _per_leg(shown: pd.DataFrame, values: pd.Series, missing=-1) -> pd.Series:
    """A value per leg of the file: `values` for the located legs, `missing` for the others."""
    return values.reindex(shown.index, fill_value=missing)


def _spans(lines: pd.DataFrame) -> tuple[list[dict], list[list]]:
    """Each line's points a view must show (`legpaths.extent`) and its shape at each level
    (an index into the shapes, -1 when it is drawn as no line), and the distinct shapes."""
    shapes: dict[str, int] = {}
    spans = []
    found = legpaths.spans(lines)
    # At the widest levels a long line's bend can pass the map's top: unproject then gives
    # the pole (exp overflows to inf), which is where deck.gl clips it.
    with np.errstate(over="ignore"):
        by_level = [legpaths.draw_all(found, zoom) for zoom in LEVELS]
    for row, span in enumerate(found):
        extent = [list(p) for p in legpaths.extent(lines.iloc[[row]], [span])]
        if span is None:  # both ends one area: its middle, and all of it when alone
            label = list(areas.area(lines["from_area"].iloc[row]).label)
            spans.append({"points": [label], "wholes": extent, "shapes": None})
            continue
        at_levels = []
        for drawn_at_level in by_level:
            drawn = drawn_at_level[row]
            if drawn is None:
                at_levels.append(-1)
                continue
            shape = json.dumps([drawn.solid, drawn.fades, drawn.arrow, drawn.angle,
                                drawn.middle], separators=(",", ":"))
            at_levels.append(shapes.setdefault(shape, len(shapes)))
        spans.append({"points": extent, "wholes": [], "shapes": at_levels})
    return spans, [json.loads(shape) for shape in shapes]


def _area(key: str) -> dict:
    """An area as the map shades it: its name for the tooltip, its middle, its outline."""
    area = areas.area(key)
    return {"tip": area.tip, "label": list(area.label),
            "rings": [np.round(ring, 3).tolist() for ring in area.rings]}


def _template(shown: pd.DataFrame, first: pd.DataFrame) -> dict:
    """The deck's layers and views as `maps.build_deck` writes them, every layer the file may
    need present (a story's earlier legs, numbers), their data emptied for the script, and the
    basemap inside it rather than fetched."""
    sample = shown.loc[first.index]
    deck = json.loads(maps.build_deck(sample, dimmed=sample, numbered=True).to_json())
    basemap = json.loads(bundled.BASEMAP.read_text(encoding="utf-8"))
    for layer in deck["layers"]:
        if layer["id"] == "countries":
            layer["data"] = basemap
        elif layer["id"] in FILLED:
            layer["data"] = []
    return {"layers": deck["layers"], "views": deck["views"]}


def _label_candidates(shown: pd.DataFrame) -> dict:
    """What the labels choose from besides the legs' places: the main cities of the countries
    the file's legs cross, the countries' names, and the placement's sizes and priorities."""
    countries = set(shown["from_country"]) | set(shown["to_country"])
    cities = maplabels.main_cities()
    cities = cities[cities["country"].isin(countries)]
    return {
        "cities": _rows(cities, ["name", "country", "lat", "lon", "population", "capital"]),
        "countries": _rows(maplabels.country_names(),
                           ["name", "lat", "lon", "west", "south", "east", "north"]),
        "priority": {"place": maplabels.PRIORITY_ROUTE_PLACE,
                     "capital": maplabels.PRIORITY_CAPITAL, "city": maplabels.PRIORITY_CITY},
        "mostPlaces": maplabels.MOST_PLACES,
        "size": {"place": maplabels.PLACE_SIZE, "city": maplabels.CITY_SIZE,
                 "country": maplabels.COUNTRY_SIZE, "badge": maplabels.BADGE_SIZE},
        "gap": maplabels.GAP_PX, "margin": maplabels.MARGIN_PX, "badgeNear": maps.BADGE_PX,
    }


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [list(row) for row in zip(*(frame[c].tolist() for c in columns), strict=True)]
