"""The map's names: the places on the routes, the main cities around them and the countries,
as deck.gl text layers that never overlap (deck.gl's collision filter keeps the most
important label where two would collide, at every zoom) and are spelled as the data spells
them (Unicode: the font atlas is built from the characters the labels use)."""

from __future__ import annotations

import csv
import functools
import json

import pandas as pd
import pydeck as pdk

from routes_dash import bundled
from routes_dash.render import legpaths

PIXELS = pdk.types.String("pixels")
# Higher wins where two labels collide: the places the legs shown go through first (the
# busiest first), then capitals, big cities, and the countries' names.
PRIORITY_ROUTE_PLACE = 600
PRIORITY_CAPITAL = 300
PRIORITY_CITY = 200
PRIORITY_COUNTRY = 100
MOST_PLACES = 60
_COLLISION = [{"@@type": "CollisionFilterExtension"}]
# Names sit to the right of their dot (an en space apart). (deck.gl's
# collision filter ignores pixel offsets, so the gap is a character, not an offset.)
GAP = "\u2002"
_COMMON = {
    "get_position": ["lon", "lat"], "get_text": "label",
    "character_set": pdk.types.String("auto"),
    "font_family": pdk.types.String("'Source Sans', 'Source Sans Pro', 'DejaVu Sans', sans-serif"),
    "size_units": PIXELS, "extensions": _COLLISION, "get_collision_priority": "priority",
    # Test a slightly bigger box than drawn: a small gap between neighbouring labels.
    "collision_test_props": {"sizeScale": 1.25}, "pickable": False,
}


@functools.cache
def _cities() -> pd.DataFrame:
    with (bundled.STATIC / "cities.csv").open(encoding="utf-8", newline="") as stream:
        frame = pd.DataFrame(csv.DictReader(stream))
    return frame.astype({"lat": float, "lon": float, "population": int, "capital": int})


@functools.cache
def _countries() -> pd.DataFrame:
    features = json.loads(bundled.BASEMAP.read_text(encoding="utf-8"))["features"]
    return pd.DataFrame([(f["properties"]["name"], f["properties"]["label_lat"],
                          f["properties"]["label_lon"]) for f in features],
                        columns=["name", "lat", "lon"])


def bounds(view: pdk.ViewState, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """(west, south, east, north) a view shows in a map of `size` pixels."""
    x, y = legpaths.project(view.longitude, view.latitude, view.zoom)
    west, north = legpaths.unproject(x - size[0] / 2, y - size[1] / 2, view.zoom)
    east, south = legpaths.unproject(x + size[0] / 2, y + size[1] / 2, view.zoom)
    return float(west), float(south), float(east), float(north)


def _within(frame: pd.DataFrame, box) -> pd.DataFrame:
    west, south, east, north = box
    return frame[frame["lon"].between(west, east) & frame["lat"].between(south, north)]


def label_layers(places: pd.DataFrame, view: pdk.ViewState, size: tuple[int, int],
                 countries: set[str], first: set[str] = frozenset()) -> list[pdk.Layer]:
    """Text layers for the route places (`places`: place, lat, lon, legs, label), the main
    cities of `countries` (those the legs cross) and every country's name in view. Places
    named in `first` always win a collision (a story's current leg)."""
    box = bounds(view, size)
    shown = places.sort_values("legs", ascending=False, kind="stable").head(MOST_PLACES)
    route_labels = shown.assign(label=GAP + shown["label"], priority=[
        1000 if place in first else PRIORITY_ROUTE_PLACE + min(int(legs), 300)
        for place, legs in zip(shown["place"], shown["legs"], strict=True)])
    cities = _within(_cities(), box)
    cities = cities[cities["country"].isin(countries)]
    near_route = pd.Series(False, index=cities.index)
    for lat, lon in zip(places["lat"], places["lon"], strict=True):
        near_route |= ((cities["lat"] - lat).abs() < 0.25) & ((cities["lon"] - lon).abs() < 0.25)
    cities = cities[~near_route].assign(
        label=lambda c: GAP + c["name"],
        priority=lambda c: [PRIORITY_CAPITAL if capital else PRIORITY_CITY + min(p // 10**6, 90)
                            for capital, p in zip(c["capital"], c["population"], strict=True)])
    names = _within(_countries(), box).assign(
        label=lambda c: c["name"].str.upper(), priority=PRIORITY_COUNTRY)
    return [
        pdk.Layer("TextLayer", data=_records(names), id="country-names", get_size=12,
                  get_color=[105, 105, 115, 255], font_weight=600,
                  **_COMMON),
        pdk.Layer("ScatterplotLayer", data=_records(cities), id="cities",
                  get_position=["lon", "lat"], get_radius=2.5, radius_units=PIXELS,
                  get_fill_color=[120, 120, 120, 200], pickable=False),
        pdk.Layer("TextLayer", data=_records(cities), id="city-names", get_size=12,
                  get_color=[55, 55, 55, 255], get_text_anchor=pdk.types.String("start"),
                  **_COMMON),
        pdk.Layer("TextLayer", data=_records(route_labels), id="labels", get_size=15,
                  get_color=[15, 15, 15, 255], font_weight=700,
                  get_text_anchor=pdk.types.String("start"), background=True,
                  get_background_color=[255, 255, 255, 200], background_padding=[0, 1, 3, 1],
                  **_COMMON),
    ]


def _records(frame: pd.DataFrame) -> list[dict]:
    fields = ["lat", "lon", "label", "priority"]
    columns = [frame[f].tolist() for f in fields]
    return [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)]


def number_layer(rows: list[dict]) -> pdk.Layer:
    """Numbered badges (`rows`: lon, lat, label), white on black, left of their point
    (names are on the right), always shown."""
    return pdk.Layer("TextLayer", data=rows, id="numbers", get_position=["lon", "lat"],
                     get_text="label", get_size=14, size_units=PIXELS,
                     character_set=pdk.types.String("auto"), font_weight=800,
                     get_color=[255, 255, 255, 255], background=True,
                     get_text_anchor=pdk.types.String("end"),
                     get_background_color=[20, 20, 20, 240], background_padding=[5, 2],
                     background_border_radius=8, pickable=False)
