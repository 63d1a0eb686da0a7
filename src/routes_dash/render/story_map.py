"""Story mode's map: `maps.build_deck` framed for one slide of a story.

What the story adds to the route map, kept here apart from it:
- a zoom floor: a step never zooms in closer than shows the towns around and the border,
  so a leg is never a dot in an empty sea (an area known only as a country, wider still);
- numbered stops in place of the map's own place labels: stop k + 1 is where leg k ends,
  both ends of the current leg dark and labelled, the earlier stops grey;
- the opening and closing slides show the whole route; a leg's slide shows that leg, the
  earlier route dimmed (`dimmed=`) and the later legs not yet drawn.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from routes_dash.journeys import areas, story
from routes_dash.journeys.privacy import COARSE_PRECISIONS
from routes_dash.render import maps

# Closest zoom for a leg between towns (about 18° of longitude across the map), and for a
# leg known only as a country or province.
TOWN_ZOOM = 4.5
AREA_ZOOM = 4.0
# The story map's size on a 1280×720 projector (a wider screen shows more around it), and
# the room its labels need: stop numbers run left of a place, names right.
MAP_SIZE = (520, 556)
ROOM_LEFT, ROOM_RIGHT, ROOM_Y = 60, 190, 50
CURRENT = [27, 31, 36, 255]
EARLIER = [110, 116, 124, 255]
WHITE = [255, 255, 255, 255]


def slide_deck(legs: pd.DataFrame, step: int) -> pdk.Deck:
    """The map of slide `step` (1 is the opening, len(legs) + 2 the closing) of the story
    whose legs `story.steps` gave."""
    leg = step - 1
    if 1 <= leg <= len(legs):
        current = legs.iloc[[leg - 1]]
        coarse = bool(current["shown_precision"].isin(COARSE_PRECISIONS).iloc[0])
        view, wraps = frame(current, AREA_ZOOM if coarse else TOWN_ZOOM)
        shown, now = legs.iloc[:leg], (leg, leg + 1)
        deck = maps.build_deck(current, view=view, dimmed=legs.iloc[: leg - 1])
    else:  # the opening and the closing: the whole route
        view, wraps = frame(legs, TOWN_ZOOM)
        shown, now = legs, (1, len(legs) + 1)
        deck = maps.build_deck(legs, view=view)
    if wraps:  # a route across the Pacific: the world's copies east and west are drawn too
        deck.views = [pdk.View(type="MapView", controller=True, repeat=True)]
    # The numbered stops name every place drawn: the map's own labels would repeat them.
    deck.layers = [layer for layer in deck.layers if layer.id != "labels"]
    deck.layers += stop_layers(story.stops(shown), now, view.zoom)
    return deck


def frame(legs: pd.DataFrame, max_zoom: float) -> tuple[pdk.ViewState, bool]:
    """The view that shows the located legs with room for their labels on the story map,
    never closer than `max_zoom`; and whether the route crosses the 180th meridian (it is
    then framed across the Pacific, not across the rest of the world)."""
    located = legs[legs["located"]]
    lons = [*located["from_lon"], *located["to_lon"]]
    lats = [*located["from_lat"], *located["to_lat"]]
    if not lons:
        return maps.WORLD_VIEW, False
    # An end known only as a country or province shows all of its area, so that the map
    # never zooms in on the area's middle as if that were where it happened.
    for key in {key for end in ("from", "to") for key in located[f"{end}_area"] if key}:
        west, south, east, north = areas.area(key).bounds
        if east - west <= 180:  # not an area across the 180th meridian (Russia's east)
            lons += [west, east]
            lats += [south, north]
    wraps = max(lons) - min(lons) > 180
    if wraps:
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    west, east = min(lons), max(lons)
    north, south = _mercator_y(max(lats)), _mercator_y(min(lats))
    width, height = MAP_SIZE
    # Pixels at zoom 0 (a 512-pixel world): degrees of longitude, and Mercator's y.
    span_x = max((east - west) * 512 / 360, 1e-6)
    span_y = max((south - north) * 512 / (2 * math.pi), 1e-6)
    zoom = math.log2(min((width - ROOM_LEFT - ROOM_RIGHT) / span_x,
                         (height - 2 * ROOM_Y) / span_y))
    zoom = max(0.5, min(max_zoom, zoom))
    # Centred on the route, moved east so that the names to the right of it fit.
    pixels_per_degree = 512 * 2**zoom / 360
    centre = (west + east) / 2 + (ROOM_RIGHT - ROOM_LEFT) / 2 / pixels_per_degree
    latitude = math.degrees(2 * math.atan(math.exp(-(north + south) / 2)) - math.pi / 2)
    return pdk.ViewState(latitude=latitude, longitude=(centre + 180) % 360 - 180,
                         zoom=round(zoom, 2)), wraps


def _mercator_y(lat: float) -> float:
    return -math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85), -85)) / 2))


def stop_layers(stops: pd.DataFrame, now: tuple[int, int], zoom: float) -> list[pdk.Layer]:
    """Stop numbers on dark (current) or grey (earlier) tags, each place's name beside them.

    `now` is the first and last stop of what the slide tells: both are dark and named."""
    pixels_per_radian = 512 * 2**zoom / (2 * math.pi)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return math.radians(lon) * pixels_per_radian, _mercator_y(lat) * pixels_per_radian

    records = [{"lat": tag.lat, "lon": tag.lon, "number": tag.number,
                "name": " / ".join(_ascii(place) for place in tag.places),
                "color": CURRENT if tag.current else EARLIER}
               for tag in stop_tags(stops, now, project)]
    # Earlier stops first, so the current ones are drawn on top.
    records.sort(key=lambda r: r["color"] is CURRENT)
    common = {"get_position": ["lon", "lat"], "pickable": False,
              "font_family": pdk.types.String("sans-serif"), "font_weight": 700,
              "background": True, "get_size": 16,
              "get_alignment_baseline": pdk.types.String("center")}
    return [
        pdk.Layer("TextLayer", data=records, id="stop-numbers", get_text="number",
                  get_color=WHITE, get_background_color="color",
                  background_padding=[6, 3], get_text_anchor=pdk.types.String("end"),
                  get_pixel_offset=[-4, 0], **common),
        pdk.Layer("TextLayer", data=records, id="stop-names", get_text="name",
                  get_color="color", get_background_color=[255, 255, 255, 230],
                  background_padding=[4, 2], get_text_anchor=pdk.types.String("start"),
                  get_pixel_offset=[4, 0], **common),
    ]


@dataclass(frozen=True)
class StopTag:
    """One label of the numbered stops: "6, 7" and the places' names beside it."""

    lat: float
    lon: float
    number: str
    places: tuple[str, ...]
    current: bool  # one of the stops of what the slide tells


def stop_tags(stops: pd.DataFrame, now: tuple[int, int],
              project: Callable[[float, float], tuple[float, float]]) -> list[StopTag]:
    """`story.stops` as labels that do not hide each other: stops whose labels would
    overlap where `project` (lon, lat → pixels) draws them share one tag. A tag is current
    when one of its stops is between `now`'s first and last (the slide's own stops)."""
    groups: list[tuple[float, float, list]] = []
    for row in stops.sort_values("first").itertuples():
        x, y = project(row.lon, row.lat)
        box = _label_box(x, y, [row])
        for head_x, head_y, members in groups:
            if _overlap(box, _label_box(head_x, head_y, members)):
                members.append(row)
                break
        else:
            groups.append((x, y, [row]))
    first, last = now
    tags = []
    for _, _, members in groups:
        numbers = sorted(int(n) for row in members for n in row.numbers.split(", "))
        tags.append(StopTag(
            members[0].lat, members[0].lon, ", ".join(map(str, numbers)),
            tuple(dict.fromkeys(row.place.split(",")[0].strip() for row in members)),
            any(first <= n <= last for n in numbers)))
    return tags


def _label_box(x: float, y: float, rows: list) -> tuple[float, float, float, float]:
    """About where a stop's tag is drawn, in pixels: its numbers run left of the place and
    its names right, 26 pixels high at 16-pixel type."""
    numbers = ", ".join(row.numbers for row in rows)
    names = " / ".join(row.place.split(",")[0] for row in rows)
    return x - 14 - 9 * len(numbers), y - 13, x + 10 + 9 * len(names), y + 13


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _ascii(name: str) -> str:
    # deck.gl's text layer draws ASCII only: accents folded (Hoeryŏng → Hoeryong); the
    # slide's text keeps the place as written.
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
