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

import dataclasses
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from routes_dash.journeys import areas, routes, story
from routes_dash.journeys.privacy import COARSE_PRECISIONS
from routes_dash.render import legpaths, maplabels, maps

# Closest zoom for a leg between towns (about 18° of longitude across the map), and for a
# leg known only as a country or province.
TOWN_ZOOM = 4.5
AREA_ZOOM = 4.0
# The story map's size on a 1280×720 projector (a wider screen shows more around it, but
# names no more), on a phone, and the room its labels need: stop numbers run left of a
# place, names right.
MAP_SIZE = (520, 556)
PHONE_MAP_SIZE = (320, 556)
ROOM_LEFT, ROOM_RIGHT, ROOM_Y = 60, 190, 50
STOP_SIZE = 16
CURRENT = [27, 31, 36, 255]
EARLIER = [110, 116, 124, 255]
WHITE = [255, 255, 255, 255]


def slide_decks(legs: pd.DataFrame, size: tuple[int, int] = MAP_SIZE) -> list[pdk.Deck]:
    """The map of every slide of the story whose legs `story.steps` gave, in order: its
    legs numbered for the map once, not again for each slide and its earlier legs."""
    numbered = routes.number_legs(legs)
    return [slide_deck(legs, step, size, numbered) for step in range(1, len(legs) + 3)]


def slide_deck(legs: pd.DataFrame, step: int, size: tuple[int, int] = MAP_SIZE,
               numbered: routes.NumberedLegs | None = None) -> pdk.Deck:
    """The map of slide `step` (1 is the opening, len(legs) + 2 the closing) of the story
    whose legs `story.steps` gave, labelled for a map of `size` pixels. `numbered`:
    `routes.number_legs(legs)`, when the caller has it."""
    leg = step - 1
    view = slide_frame(legs, step, size)
    if 1 <= leg <= len(legs):
        shown, now, drawn, dimmed = (legs.iloc[:leg], (leg, leg + 1), legs.iloc[[leg - 1]],
                                     legs.iloc[: leg - 1])
    else:  # the opening and the closing: the whole route
        shown, now, drawn, dimmed = legs, (1, len(legs) + 1), legs, None
    tags = stop_tags(story.stops(shown), now, _projection(view.zoom))
    tags = _on_map(tags, view, size)
    deck = maps.build_deck(drawn, view=view, size=size, dimmed=dimmed, names_off_lines=True,
                           numbered_legs=numbered,
                           other_labels=tuple(maplabels.OtherLabel(
                               tag.lon, tag.lat, tag.number, _name(tag), STOP_SIZE)
                               for tag in tags))
    deck.layers += stop_layers(tags)
    return deck


def slide_frame(legs: pd.DataFrame, step: int, size: tuple[int, int] = MAP_SIZE
                ) -> pdk.ViewState:
    """`frame` for slide `step` of the story whose legs `story.steps` gave: its leg, or the
    whole route on the opening and the closing."""
    if 1 <= step - 1 <= len(legs):
        current = legs.iloc[[step - 2]]
        coarse = bool(current["shown_precision"].isin(COARSE_PRECISIONS).iloc[0])
        return frame(current, AREA_ZOOM if coarse else TOWN_ZOOM, size)
    return frame(legs, TOWN_ZOOM, size)


def frame(legs: pd.DataFrame, max_zoom: float, size: tuple[int, int] = MAP_SIZE
          ) -> pdk.ViewState:
    """The view that shows the located legs with room for their labels on a story map of
    `size` pixels, never closer than `max_zoom`; a route across the 180th meridian is framed
    across the Pacific, not across the rest of the world."""
    located = legs[legs["located"]]
    lons = [*located["from_lon"], *located["to_lon"]]
    lats = [*located["from_lat"], *located["to_lat"]]
    if not lons:
        return maps.WORLD_VIEW
    # An end known only as a country or province shows all of its area, so that the map
    # never zooms in on the area's middle as if that were where it happened.
    for key in {key for end in ("from", "to") for key in located[f"{end}_area"] if key}:
        west, south, east, north = areas.area(key).bounds
        if east - west <= 180:  # not an area across the 180th meridian (Russia's east)
            lons += [west, east]
            lats += [south, north]
    if max(lons) - min(lons) > 180:  # across the Pacific
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    west, east = min(lons), max(lons)
    north, south = _mercator_y(max(lats)), _mercator_y(min(lats))
    width, height = size
    # Pixels at zoom 0 (a 512-pixel world): degrees of longitude, and Mercator's y.
    span_x = max((east - west) * 512 / 360, 1e-6)
    span_y = max((south - north) * 512 / (2 * math.pi), 1e-6)
    zoom = math.log2(min(max(width - ROOM_LEFT - ROOM_RIGHT, 1) / span_x,
                         (height - 2 * ROOM_Y) / span_y))
    # Never so far out that the world is narrower than the map (a phone's goes furthest).
    zoom = max(max(0.0, math.log2(width / 512)), min(max_zoom, zoom))
    # Centred on the route with the room for names to its right; a route too wide for that
    # keeps the room for numbers to its left (names are shortened to fit), or is centred.
    pixels_per_degree = 512 * 2**zoom / 360
    span = (east - west) * pixels_per_degree
    slack = width - span - ROOM_LEFT - ROOM_RIGHT
    left = (ROOM_LEFT + slack / 2 if slack >= 0
            else ROOM_LEFT if span + ROOM_LEFT <= width else (width - span) / 2)
    centre = west + (width / 2 - left) / pixels_per_degree
    latitude = math.degrees(2 * math.atan(math.exp(-(north + south) / 2)) - math.pi / 2)
    return pdk.ViewState(latitude=latitude, longitude=legpaths.on_the_world(centre),
                         zoom=round(zoom, 2))


def _mercator_y(lat: float) -> float:
    return -math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85), -85)) / 2))


def _projection(zoom: float) -> Callable[[float, float], tuple[float, float]]:
    """(lon, lat) → pixels of the world map at `zoom` (Web Mercator, 512 pixels at 0)."""
    pixels_per_radian = 512 * 2**zoom / (2 * math.pi)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return math.radians(lon) * pixels_per_radian, _mercator_y(lat) * pixels_per_radian

    return project


def _shown_projection(view: pdk.ViewState) -> Callable[[float, float], tuple[float, float]]:
    """`_projection` at the view's zoom, onto the world's copy the map shows: the map
    repeats the world east and west, and shows a place in the copy nearest its middle."""
    project = _projection(view.zoom)
    middle = project(view.longitude, view.latitude)[0]

    def shown(lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return middle + legpaths.from_middle(x, middle, view.zoom), y

    return shown


def _on_map(tags: list[StopTag], view: pdk.ViewState, size: tuple[int, int]
            ) -> list[StopTag]:
    """The tags as a map of `size` shows them whole and apart (`fit_names`), and an earlier
    stop whose tag is still cut by an edge ("1, 2 H") left out, as it reads as nothing. The
    slide's own stops are always tagged."""
    project = _shown_projection(view)
    x, y = project(view.longitude, view.latitude)
    width, height = size
    bounds = (x - width / 2 + _TAG_GAP_PX, y - height / 2 + _TAG_GAP_PX,
              x + width / 2 - _TAG_GAP_PX, y + height / 2 - _TAG_GAP_PX)
    at = [project(tag.lon, tag.lat) for tag in tags]
    return [tag for tag, (tag_x, tag_y) in zip(fit_names(tags, at, bounds[2]), at, strict=True)
            if tag.current or _inside(_label_box(tag_x, tag_y, tag.number, _name(tag)), bounds)]


def fit_names(tags: list[StopTag], at: list[tuple[float, float]], right: float
              ) -> list[StopTag]:
    """The tags, drawn at the pixels `at`, with names that end before `right` and before
    the numbers of any tag further right on the same line: shortened with "…", or none
    when not even enough of the first fits to be read."""
    starts = [_label_box(x, y, tag.number, "")[0] for tag, (x, y) in zip(tags, at, strict=True)]
    return [_shortened(tag, x, min([right, *(
        start - _TAG_GAP_PX for start, (other_x, other_y) in zip(starts, at, strict=True)
        if other_x > x and abs(other_y - y) < _TAG_PX)]))
        for tag, (x, y) in zip(tags, at, strict=True)]


def _shortened(tag: StopTag, x: float, right: float) -> StopTag:
    """`tag` at `x` with only the names that end before `right` (pixels), "…" for the rest;
    a first name too long alone is cut short ("Yellow Sea near t…"), if enough of it fits
    to be read."""
    for count in range(len(tag.places), 0, -1):
        places = tag.places if count == len(tag.places) else (*tag.places[:count], "…")
        if _label_box(x, 0, tag.number, _joined(places))[2] <= right:
            return dataclasses.replace(tag, places=places)
    fits = int((right - _label_box(x, 0, tag.number, "")[2]) // _CHARACTER_PX) - 3
    first = _ascii(tag.places[0]) if tag.places else ""
    return dataclasses.replace(
        tag, places=(first[:fits].rstrip() + "…",) if fits >= _FEWEST_CHARACTERS else ())


def _name(tag: StopTag) -> str:
    return _joined(tag.places)


def _joined(places: tuple[str, ...]) -> str:
    # deck.gl's text layer draws ASCII only: accents folded (Hoeryŏng → Hoeryong, "…" →
    # "..."); the slide's text keeps the place as written.
    return " / ".join(_ascii(place) for place in places)


def stop_layers(tags: list[StopTag]) -> list[pdk.Layer]:
    """Stop numbers on dark (current) or grey (earlier) tags, each place's name beside them."""
    records = [{"lat": tag.lat, "lon": tag.lon, "number": tag.number, "name": _name(tag),
                "color": CURRENT if tag.current else EARLIER} for tag in tags]
    # Earlier stops first, so the current ones are drawn on top.
    records.sort(key=lambda r: r["color"] is CURRENT)
    common = {"get_position": ["lon", "lat"], "pickable": False,
              "font_family": pdk.types.String("sans-serif"), "font_weight": 700,
              "background": True, "get_size": STOP_SIZE,
              "get_alignment_baseline": pdk.types.String("center")}
    return [
        pdk.Layer("TextLayer", data=records, id="stop-numbers", get_text="number",
                  get_color=WHITE, get_background_color="color",
                  background_padding=[6, 3], get_text_anchor=pdk.types.String("end"),
                  get_pixel_offset=[-4, 0], **common),
        pdk.Layer("TextLayer", data=[r for r in records if r["name"]], id="stop-names",
                  get_text="name",
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
        box = _label_box(x, y, row.numbers, _first_part(row.place))
        for head_x, head_y, members in groups:
            if overlap(box, _label_box(head_x, head_y, _runs(_numbers(members)),
                                        " / ".join(_first_part(m.place) for m in members))):
                members.append(row)
                break
        else:
            groups.append((x, y, [row]))
    first, last = now
    tags = []
    for _, _, members in groups:
        numbers = _numbers(members)
        tags.append(StopTag(
            members[0].lat, members[0].lon, _runs(numbers),
            tuple(dict.fromkeys(_first_part(row.place) for row in members)),
            any(first <= n <= last for n in numbers)))
    return tags


def _numbers(rows: list) -> list[int]:
    """The stop numbers of these `story.stops` rows, in order."""
    return sorted(int(n) for row in rows for n in row.numbers.split(", "))


def _runs(numbers: list[int]) -> str:
    """"1, 2, 5-7, 9": three or more stops in a row as a range, so that a tag of many
    stops stays short (ASCII: the map's text layer draws no other)."""
    parts, start = [], 0
    for end in range(1, len(numbers) + 1):
        if end == len(numbers) or numbers[end] != numbers[end - 1] + 1:
            run = numbers[start:end]
            parts += [f"{run[0]}-{run[-1]}"] if len(run) >= 3 else [str(n) for n in run]
            start = end
    return ", ".join(parts)


def _first_part(place: str) -> str:
    return place.split(",")[0].strip()


def _label_box(x: float, y: float, numbers: str, names: str
               ) -> tuple[float, float, float, float]:
    """About where a stop's tag is drawn, in pixels: its numbers run left of the place and
    its names right, 26 pixels high at 16-pixel type."""
    return (x - 14 - _CHARACTER_PX * len(numbers), y - _TAG_PX / 2,
            x + 10 + _CHARACTER_PX * len(names), y + _TAG_PX / 2)


_CHARACTER_PX = 9  # a character's width, about, in the tags' bold 16-pixel type
_TAG_PX = 26  # a tag's height
_TAG_GAP_PX = 4  # kept clear between a tag and the next, or the edge
_FEWEST_CHARACTERS = 6  # of a name cut short: fewer read as nothing


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (left, top, right, bottom) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: tuple[float, ...], bounds: tuple[float, ...]) -> bool:
    return (bounds[0] <= box[0] and box[2] <= bounds[2]
            and bounds[1] <= box[1] and box[3] <= bounds[3])


def _ascii(name: str) -> str:
    # deck.gl's text layer draws ASCII only: accents folded (Hoeryŏng → Hoeryong); the
    # slide's text keeps the place as written.
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
