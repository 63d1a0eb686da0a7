"""The map's names: the places on the routes, the main cities around them and the countries,
as deck.gl text layers spelled as the data spells them (Unicode: the font atlas is built
from the characters the labels use, `characterSet: "auto"`). They are placed here, at the
view the map opens with, most important first, and a label that would overlap one already
placed is left out. (deck.gl's own collision filter fades labels that merely touch and
ignores pixel offsets, so it does not guarantee this.)"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pydeck as pdk

from routes_dash import bundled
from routes_dash.journeys import areas, routes
from routes_dash.render import legpaths

PIXELS = pdk.types.String("pixels")
# Placed in this order: the places the legs shown go through (the busiest first), then
# capitals, big cities, and the countries' names.
PRIORITY_ROUTE_PLACE = 600
PRIORITY_CAPITAL = 300
PRIORITY_CITY = 200
PRIORITY_COUNTRY = 100
MOST_PLACES = 60
PLACE_SIZE, CITY_SIZE, COUNTRY_SIZE, BADGE_SIZE = 15, 12, 12, 14
GAP_PX = 6  # between a dot and its name
MARGIN_PX = 3  # between two labels
CELL_PX = 64  # the grid labels are looked up by
DOT_PX = 5  # half the side of the box a place's dot keeps clear of labels
# A grid cell (column, row) and a box as one number, for grouping dots by cell at once:
# the map's cells shifted to be positive, and more boxes than a map ever places.
_CELL_OFFSET, _CELL_SPAN, _MOST_BOXES = 2**10, 2**11, 2**24
_COMMON = {
    "get_position": ["lon", "lat"], "get_text": "label",
    "character_set": pdk.types.String("auto"),
    "font_family": pdk.types.String("'Source Sans', 'Source Sans Pro', 'DejaVu Sans', sans-serif"),
    "size_units": PIXELS, "pickable": False,
}


@dataclass(frozen=True)
class OtherLabel:
    """A label another layer draws at a point (a story's numbered stop): `left` text ends
    just left of the point, `right` text starts just right of it, in `size`-pixel bold type.
    The map's own labels keep clear of it; the places are named by such labels alone."""

    lon: float
    lat: float
    left: str
    right: str
    size: float


@functools.cache
def main_cities() -> pd.DataFrame:
    """The bundled main cities (GeoNames): name, country, lat, lon, population, capital."""
    with (bundled.STATIC / "cities.csv").open(encoding="utf-8", newline="") as stream:
        frame = pd.DataFrame(csv.DictReader(stream))
    return frame.astype({"lat": float, "lon": float, "population": int, "capital": int})


@functools.cache
def country_names() -> pd.DataFrame:
    """Each country's name, label point and the span of its largest part (west, south,
    east, north), so that only a country its name fits in is named.

    Read from the areas' countries, the basemap's own polygons already read as arrays to
    locate the legs (parsing the basemap again took 30 ms of a server's first view). A
    hole's span lies inside its part's, so the largest of every ring's is a part's."""
    rows = []
    for country in areas.countries():
        spans = country.ring_bounds
        west, south, east, north = spans[np.argmax(
            (spans[:, 2] - spans[:, 0]) * (spans[:, 3] - spans[:, 1]))]
        rows.append((country.name, country.label[1], country.label[0],
                     west, south, east, north))
    return pd.DataFrame(rows, columns=["name", "lat", "lon", "west", "south", "east", "north"])


def bounds(view: pdk.ViewState, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """(west, south, east, north) a view shows in a map of `size` pixels."""
    x, y = legpaths.project(view.longitude, view.latitude, view.zoom)
    west, north = legpaths.unproject(x - size[0] / 2, y - size[1] / 2, view.zoom)
    east, south = legpaths.unproject(x + size[0] / 2, y + size[1] / 2, view.zoom)
    return float(west), float(south), float(east), float(north)


def label_layers(places: routes.Columns, view: pdk.ViewState, size: tuple[int, int],
                 countries: set[str], first: set[str] = frozenset(),
                 badges: list[dict] = (), others: tuple[OtherLabel, ...] = (),
                 lines: list = ()) -> list[pdk.Layer]:
    """Text layers for the numbered `badges` (lon, lat, label: always shown, left of their
    point), the route places (`places`: place, lat, lon, legs, label; right of their dot),
    the main cities of `countries` (those the legs cross) and the countries' names, placed
    at this view so that no two overlap, nor any of the labels `others` layers draw (which
    then name the places: the route places get no label here): the most important first
    (places named in `first`; then the busiest places, capitals, big cities, countries).
    Cities and countries keep off the dots, and off the `lines` (paths of (lon, lat)
    points) given: a story's few lines, where a name a line crosses is hard to read."""
    box = bounds(view, size)
    centre = legpaths.project(view.longitude, view.latitude, view.zoom)
    placed = _Placement(centre, size, view.zoom)
    for badge, point in zip(badges, placed.pixels([b["lon"] for b in badges],
                                                  [b["lat"] for b in badges]), strict=True):
        placed.add(point, badge["label"], BADGE_SIZE, "end", force=True)
    for other, point in zip(others, placed.pixels([o.lon for o in others],
                                                  [o.lat for o in others]), strict=True):
        placed.add(point, other.left, other.size, "end", bold=True, force=True)
        placed.add(point, other.right, other.size, "start", bold=True, force=True)
    lats, lons = np.asarray(places["lat"], dtype=float), np.asarray(places["lon"], dtype=float)
    priority = np.array([2000 if place in first else PRIORITY_ROUTE_PLACE + legs
                         for place, legs in zip(places["place"].tolist(),
                                                places["legs"].tolist(), strict=True)])
    # Where other labels are drawn, they name the places: the map names none again.
    busiest = [] if others else np.argsort(-priority, kind="stable")[:MOST_PLACES].tolist()
    labels, (x, y) = places["label"].tolist(), placed.pixel_arrays(lons, lats)
    route_labels = _named(lons, lats, labels, [row for row in busiest if placed.add(
        (float(x[row]), float(y[row])), labels[row], PLACE_SIZE, "start", bold=True)])
    placed.keep_off(x, y)  # the other labels keep off the dots
    for line in lines:
        placed.keep_off(*_every_few_pixels(*placed.pixel_arrays(*zip(*line, strict=True))))
    city = _city_columns()
    rows = np.flatnonzero(_within(city.lon, city.lat, box) & np.isin(
        city.country, [city.codes[c] for c in countries if c in city.codes]))
    near_route = ((np.abs(city.lat[rows, None] - lats) < 0.2)
                  & (np.abs(city.lon[rows, None] - lons) < 0.2)).any(axis=1)
    rows = rows[~near_route].tolist()
    cities = _named(city.lon, city.lat, city.name, [
        row for row, point in zip(rows, placed.pixels(city.lon[rows], city.lat[rows]),
                                  strict=True)
        if placed.add(point, city.name[row], CITY_SIZE, "start", dot=True)])
    country = _country_columns()
    shown = _country_names(box, view.zoom, countries)
    names = _named(country.lon, country.lat, country.label, [
        row for row, point in zip(shown, placed.pixels(country.lon[shown], country.lat[shown]),
                                  strict=True)
        if placed.add(point, country.label[row], COUNTRY_SIZE, "middle", caps=True)])
    layers = [
        pdk.Layer("TextLayer", data=names, id="country-names", get_size=COUNTRY_SIZE,
                  get_color=[95, 95, 105, 255], font_weight=600, **_COMMON),
        pdk.Layer("ScatterplotLayer", data=cities, id="cities",
                  get_position=["lon", "lat"], get_radius=2.5, radius_units=PIXELS,
                  get_fill_color=[110, 110, 110, 220], pickable=False),
        pdk.Layer("TextLayer", data=cities, id="city-names", get_size=CITY_SIZE,
                  get_color=[55, 55, 55, 255], get_text_anchor=pdk.types.String("start"),
                  get_pixel_offset=[GAP_PX, 0], **_COMMON),
        pdk.Layer("TextLayer", data=route_labels, id="labels", get_size=PLACE_SIZE,
                  get_color=[15, 15, 15, 255], font_weight=700,
                  get_text_anchor=pdk.types.String("start"), get_pixel_offset=[GAP_PX, 0],
                  background=True, get_background_color=[255, 255, 255, 205],
                  background_padding=[3, 1], **_COMMON),
    ]
    if badges:
        layers.append(pdk.Layer(
            "TextLayer", data=list(badges), id="numbers", get_position=["lon", "lat"],
            get_text="label", get_size=BADGE_SIZE, font_weight=800,
            get_color=[255, 255, 255, 255], background=True,
            get_background_color=[20, 20, 20, 240], background_padding=[5, 2],
            background_border_radius=8, get_text_anchor=pdk.types.String("end"),
            get_pixel_offset=[-GAP_PX, 0], **{k: v for k, v in _COMMON.items()
                                               if k not in ("get_position", "get_text")}))
    return layers


def _within(lons: np.ndarray, lats: np.ndarray, box) -> np.ndarray:
    west, south, east, north = box  # east may be past 180°: the world's copy east
    return ((lons - west) % 360 <= east - west) & (lats >= south) & (lats <= north)


class _Cities(NamedTuple):
    """The main cities in the order they are placed, as arrays read on every view."""

    name: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    country: np.ndarray  # as a code of `codes`
    codes: dict[str, int]  # each country's code


class _Countries(NamedTuple):
    """The countries that may be named, as arrays read on every view."""

    label: np.ndarray  # the name as the map spells it
    name: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    wide: np.ndarray  # the largest part's width, in pixels at zoom 0
    room: np.ndarray  # the pixels the label needs


@functools.cache
def _city_columns() -> _Cities:
    """The main cities in the order they are placed: capitals, then the most populous."""
    cities = main_cities()
    priority = [PRIORITY_CAPITAL if capital else PRIORITY_CITY + min(p // 10**6, 90)
                for capital, p in zip(cities["capital"], cities["population"], strict=True)]
    cities = cities.assign(priority=priority).sort_values("priority", ascending=False,
                                                          kind="stable")
    country, countries = pd.factorize(cities["country"])
    return _Cities(np.asarray(cities["name"].tolist(), dtype=object),
                   cities["lon"].to_numpy(), cities["lat"].to_numpy(), country,
                   {name: code for code, name in enumerate(countries.tolist())})


@functools.cache
def _country_columns() -> _Countries:
    """`country_names` with each name as labelled and its largest part's width at zoom 0."""
    names = country_names()
    west_x = legpaths.project(names["west"].to_numpy(), names["south"].to_numpy())[0]
    east_x = legpaths.project(names["east"].to_numpy(), names["north"].to_numpy())[0]
    labels = np.asarray(names["name"].str.upper().tolist(), dtype=object)
    return _Countries(labels, np.asarray(names["name"].tolist(), dtype=object),
                      names["lon"].to_numpy(), names["lat"].to_numpy(), east_x - west_x,
                      np.array([len(label) * COUNTRY_SIZE * 0.5 for label in labels]))


def _country_names(box, zoom: float, crossed: set[str]) -> list[int]:
    """The rows of `_country_columns` in view whose name fits inside them at this zoom:
    those the legs cross first, then the widest (a small island is not named in a view of
    the world)."""
    columns = _country_columns()
    wide = columns.wide * 2**zoom
    shown = _within(columns.lon, columns.lat, box) & (wide >= columns.room)
    crossing = np.array([country in crossed for country in columns.name.tolist()])
    return [row for row in np.lexsort((-wide, ~crossing)).tolist() if shown[row]]


def _named(lons, lats, names, rows: list[int]) -> list[dict]:
    """The text layer's rows of these labels: lat, lon, label (plain Python values)."""
    return [{"lat": lat, "lon": lon, "label": names[row]}
            for row, lat, lon in zip(rows, np.asarray(lats)[rows].tolist(),
                                     np.asarray(lons)[rows].tolist(), strict=True)]


class _Placement:
    """Label boxes kept so far, in the map's pixels at the view's zoom, found by the grid
    cells they cover (a map of a thousand places checks each label against its neighbours,
    not against every box)."""

    def __init__(self, centre, size: tuple[int, int], zoom: float):
        self.centre, self.size, self.zoom = centre, size, zoom
        # Each box with the point it belongs to: a name never collides with its own dot.
        self.boxes: list[tuple[tuple[float, float, float, float], tuple]] = []
        self.cells: dict[tuple[int, int], list[int]] = {}

    def pixel_arrays(self, lons, lats) -> tuple[np.ndarray, np.ndarray]:
        """Where these points are on the map, in its pixels from the top left: (x, y)."""
        x, y = legpaths.project(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float),
                                self.zoom)
        return (legpaths.from_middle(x, self.centre[0], self.zoom) + self.size[0] / 2,
                y - self.centre[1] + self.size[1] / 2)

    def pixels(self, lons, lats) -> list[tuple[float, float]]:
        """`pixel_arrays` as a point (x, y) each."""
        x, y = self.pixel_arrays(lons, lats)
        return list(zip(x.tolist(), y.tolist(), strict=True))

    def add(self, point: tuple[float, float], text: str, font: float, anchor: str, *,
            bold: bool = False, caps: bool = False, dot: bool = False,
            force: bool = False) -> bool:
        """Keep the label's box if it fits in the map and overlaps none kept (`force`: keep
        it anyway); whether it was kept."""
        x, y = point
        width = len(text) * font * (0.66 if caps else 0.58 if bold else 0.52) + 6
        height = font * 1.3
        if anchor == "start":
            box = (x + GAP_PX - 2, y - height / 2, x + GAP_PX + width, y + height / 2)
        elif anchor == "end":
            box = (x - GAP_PX - width, y - height / 2, x - GAP_PX + 2, y + height / 2)
        else:
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        spot = (round(x), round(y))
        keep = force or (
            box[0] >= 0 and box[1] >= 0 and box[2] <= self.size[0] and box[3] <= self.size[1]
            and self._clear(box, (spot, "dot")))
        if keep:
            self._keep(box, (spot, anchor))
            if dot and not force:  # a city's own dot, for the labels after it
                self._keep((x - 4, y - 4, x + 4, y + 4), (spot, "dot"))
        return keep

    def keep_off(self, x: np.ndarray, y: np.ndarray) -> None:
        """Keep the labels placed later off the dots at these pixels (`pixel_arrays`). Dots
        off the map are left out (no label on it comes near them); the others' boxes and
        grid cells are worked out at once: at a thousand places, one dot at a time was most
        of the placing."""
        reach = DOT_PX + MARGIN_PX
        on_map = ((x >= -reach) & (x <= self.size[0] + reach)
                  & (y >= -reach) & (y <= self.size[1] + reach))
        x, y = x[on_map], y[on_map]
        if not len(x):
            return
        boxes = np.column_stack([x - DOT_PX, y - DOT_PX, x + DOT_PX, y + DOT_PX])
        first = len(self.boxes)
        spots = zip(np.rint(x).astype(np.int64).tolist(), np.rint(y).astype(np.int64).tolist(),
                    strict=True)
        self.boxes += [(box, (spot, "dot"))
                       for box, spot in zip(map(tuple, boxes.tolist()), spots, strict=True)]
        # A dot's box is smaller than a cell: it covers its corners' cells, one to four.
        # Each (cell, dot) as one number, sorted: the dots of a cell together, in order.
        cells = (boxes // CELL_PX).astype(np.int64) + _CELL_OFFSET
        dots = np.arange(first, first + len(boxes))
        pairs = np.unique(np.concatenate([
            (cells[:, column] * _CELL_SPAN + cells[:, row]) * _MOST_BOXES + dots
            for column, row in ((0, 1), (2, 1), (0, 3), (2, 3))]))
        cell, dot = np.divmod(pairs, _MOST_BOXES)
        starts = np.flatnonzero(np.diff(cell, prepend=-1))
        for key, members in zip(cell[starts].tolist(), np.split(dot, starts[1:]), strict=True):
            column, row = divmod(key, _CELL_SPAN)
            self.cells.setdefault((column - _CELL_OFFSET, row - _CELL_OFFSET), []).extend(
                members.tolist())

    def _keep(self, box, owner) -> None:
        self.boxes.append((box, owner))
        for cell in _cells(box):
            self.cells.setdefault(cell, []).append(len(self.boxes) - 1)

    def _clear(self, box, own_dot) -> bool:
        """Whether no box kept lies within the margin of `box`, but the dot `own_dot` (a
        name never collides with its own dot). The boxes of the grid cells it covers are
        looked at until one is in the way: most labels tried are left out (on the bundled
        data's maps, seven in ten)."""
        for cell in _cells((box[0] - MARGIN_PX, box[1] - MARGIN_PX,
                            box[2] + MARGIN_PX, box[3] + MARGIN_PX)):
            for i in self.cells.get(cell, ()):
                b, owner = self.boxes[i]
                if (box[2] + MARGIN_PX > b[0] and b[2] + MARGIN_PX > box[0]
                        and box[3] + MARGIN_PX > b[1] and b[3] + MARGIN_PX > box[1]
                        and owner != own_dot):
                    return False
        return True


def _every_few_pixels(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points along a line (x, y: its points in pixels), no two further apart than a dot's
    box is wide: a label that keeps off them keeps off the line."""
    if len(x) < 2:
        return x, y
    steps = np.maximum(np.ceil(np.hypot(np.diff(x), np.diff(y)) / DOT_PX), 1).astype(int)
    # Each piece from its start, `steps` points of it, then the line's last point.
    piece = np.repeat(np.arange(len(steps)), steps)
    t = np.arange(len(piece)) - np.repeat(np.cumsum(steps) - steps, steps)
    t = t / steps[piece]
    return (np.append(x[piece] + (x[piece + 1] - x[piece]) * t, x[-1]),
            np.append(y[piece] + (y[piece + 1] - y[piece]) * t, y[-1]))


def _cells(box) -> list[tuple[int, int]]:
    """The grid cells (CELL_PX square) a box covers."""
    return [(cx, cy) for cx in range(int(box[0] // CELL_PX), int(box[2] // CELL_PX) + 1)
            for cy in range(int(box[1] // CELL_PX), int(box[3] // CELL_PX) + 1)]
