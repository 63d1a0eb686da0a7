"""The route map as a `pydeck.Deck`: no tiles, a bundled country basemap, each route a curved
line that shows its direction, how sure it is, and whether its ends are points or areas.

What the map says, and how (the legend says the same, `render.legend`):
- colour: one category of the "colour by" choice (`style.colour_categories`, ≤ 7 colours);
- certainty: solid when documented or the person's own account, fainter when a single
  report or inferred, dashed when disputed;
- direction: an arrow head on each line, and lines bend to the right of travel;
- an end known only as a country or a province is an area: shaded, with a dashed edge; the
  line fades out just inside it (`render.legpaths`), never ending at an invented point;
- white dots with a dark ring: a leg ended there in arrest, detention, forced return,
  trafficking or being turned back (at places known as points);
- numbers (one person's journey): the order of the legs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import sys

import numpy as np
import orjson
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import camel_and_lower, default_serialize

from routes_dash import bundled
from routes_dash.journeys import areas, routes
from routes_dash.journeys.grouping import met_in_order
from routes_dash.render import legpaths, maplabels, style
from routes_dash.render.style import BORDER, LAND, SEA, rgb

# pydeck asks five times per Deck whether its Jupyter widget imports, and Python retries a
# failed import each time (about 1 ms per map). Without ipywidgets it cannot: say so once.
if importlib.util.find_spec("ipywidgets") is None:
    sys.modules.setdefault("pydeck.widget", None)
# pydeck reads a plain string as an expression over each row; literal strings need String.
PIXELS = pdk.types.String("pixels")
# The map's size in pixels the view is fitted for: a desktop or projector page, a phone.
WIDE = (900, 620)
NARROW = (360, 560)
MAX_ZOOM = 7.0
BADGE_PX = 22  # numbers closer than this share a badge
WORLD_VIEW = pdk.ViewState(latitude=35.0, longitude=115.0, zoom=2.6)
SEA_POLYGON = [[[-180, -85], [180, -85], [180, 85], [-180, 85]]]
DIMMED = [125, 125, 125, 140]
ARROW_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
             '<path d="M4 8 L60 32 L4 56 L18 32 Z" fill="#fff"/></svg>')
ARROW_ATLAS = "data:image/svg+xml;base64," + base64.b64encode(ARROW_SVG.encode()).decode()
ARROW_MAPPING = {"arrow": {"x": 0, "y": 0, "width": 64, "height": 64, "anchorX": 32,
                           "anchorY": 32, "mask": True}}


# Plain text, never HTML: the texts are data a user may have written.
TOOLTIP = {"text": "{tip}"}


class CompactDeck(pdk.Deck):
    """A `pydeck.Deck` whose JSON is written without indentation, by orjson.

    pydeck writes its JSON with indent=2, which makes `json.dumps` fall back to its pure-Python
    encoder: about 30 ms for a 250 kB map, paid on every rerun since `st.pydeck_chart` calls
    `to_json` each time. Without indentation the C encoder takes 6 ms for the bundled data's
    map (mostly the areas' outlines), orjson under 1 ms; the same JSON, smaller.
    """

    def to_json(self) -> str:
        return orjson.dumps(self, default=_serialize,
                            option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()


def _serialize(o):
    """pydeck's `default_serialize`, each attribute's name spelt in camel case once per
    process, not once per layer of every map (a fifth of writing the bundled data's map)."""
    return default_serialize(o, remap_function=_camel_case_keys)


def _camel_case_keys(attrs: dict) -> None:
    # As pydeck's `lower_camel_case_keys`: the names with "_" renamed in place.
    for name in [name for name in attrs if "_" in name]:
        attrs[_camel_case(name)] = attrs.pop(name)


@functools.cache
def _camel_case(name: str) -> str:
    return "data" if name == "_data" else camel_and_lower(name)


class WrittenDeck(pdk.Deck):
    """A map already written as JSON, for a page to keep between reruns.

    A kept `Deck` keeps every record of its layers: thousands of dicts and lists at
    thousands of routes, which Python's garbage collector walks again on each full pass
    (a page keeps up to 16 maps). Its JSON is one string, never walked.
    """

    def __init__(self, deck: CompactDeck):
        super().__init__(layers=[], map_provider=None, tooltip=TOOLTIP)
        self._written = deck.to_json()

    def to_json(self) -> str:
        return self._written


def build_deck(
    legs: pd.DataFrame,
    *,
    colour_by: str = "mode",
    dimmed: pd.DataFrame | None = None,
    numbered: bool = False,
    view: pdk.ViewState | None = None,
    size: tuple[int, int] = WIDE,
    max_zoom: float = MAX_ZOOM,
    labelled: tuple[str, ...] = (),
    other_labels: tuple[maplabels.OtherLabel, ...] = (),
    names_off_lines: bool = False,
    drawn_routes: tuple[routes.MapData, dict] | None = None,
    numbered_legs: routes.NumberedLegs | None = None,
) -> pdk.Deck:
    """The map of the located legs of `legs`, offline (no tiles: `map_provider=None`, the
    basemap and areas are served by the app itself).

    - `colour_by`: "mode", "outcome", "certainty" or "person" (`style.COLOUR_BY`).
    - `dimmed`: legs drawn grey beneath, unpickable (a story's earlier steps).
    - `numbered`: each line carries its legs' numbers (`leg` column): one person's story.
    - `view`: where to look; default `fit_view(legs, size=size, max_zoom=max_zoom)`: every
      leg of `legs` in view, areas' edges included. `size` is the map's size in pixels the
      fit is made for (`WIDE`, `NARROW`, or a story's own); `max_zoom` keeps context around
      a short leg.
    - `labelled`: place names whose labels win over any other (the places of `legs` come
      next, then cities and countries).
    - `other_labels`: labels a layer added to the deck draws (a story's numbered stops),
      which then name the places of the legs: the map's own labels keep clear of them and
      name none of those places again.
    - `names_off_lines`: city and country names keep off the lines too (a story's few
      lines; on a map of thousands the lines would leave no room, and placing around them
      would cost every click).
    - `drawn_routes`: `route_data(legs, colour_by)`, when the caller has it already (a
      page that also lists the routes): at 100,000 legs it takes a few hundred ms.
    - `numbered_legs`: `routes.number_legs` of a frame `legs` and `dimmed` are rows of,
      when the caller keeps one (a story's slides are all rows of its legs).

    Pickable layers, for `st.pydeck_chart(on_select=...)`: "routes" (objects carry `route`,
    the row of `route_data(legs, colour_by)[0].routes`), "areas" (objects carry `key` and
    `tip` in `properties`) and "outcomes" (objects carry `to`, the place).
    """
    data, palette = drawn_routes or route_data(legs, colour_by, numbered_legs)
    table = data.drawn_routes
    spans = legpaths.spans(table)
    faded = None
    if dimmed is not None and not dimmed.empty:
        faded = routes.map_data(dimmed, pd.Series("earlier", index=dimmed.index),
                                numbered_legs)
    view = view or _fit(table, spans, size, max_zoom, faded)
    detail = legpaths.level(view.zoom)
    drawn = legpaths.draw_all(spans, detail)
    lines, fades, arrows = _lines(table, drawn, palette)
    layers = [
        pdk.Layer("SolidPolygonLayer", data=[{"polygon": SEA_POLYGON}], id="sea",
                  get_polygon="polygon", get_fill_color=rgb(SEA)),
        pdk.Layer("GeoJsonLayer", data=bundled.BASEMAP_URL, id="countries", stroked=True,
                  filled=True, get_fill_color=rgb(LAND), get_line_color=rgb(BORDER),
                  line_width_min_pixels=0.6, pickable=False),
        *_area_layers(data.areas["key"].tolist()
                      + ([] if faded is None else faded.areas["key"].tolist()), detail),
    ]
    old_lines, old_fades = [], []
    if faded is not None:
        earlier = legpaths.draw_all(legpaths.spans(faded.routes), detail)
        old_lines, old_fades, _ = _lines(faded.routes, earlier, {"earlier": None})
        layers += [_path_layer("earlier", old_lines, pickable=False),
                   _path_layer("earlier-fades", old_fades, pickable=False)]
    layers += [
        _path_layer("fades", fades, pickable=False),
        _path_layer("routes", lines, pickable=True),
        pdk.Layer("IconLayer", data=arrows, id="arrows", get_position="position",
                  get_icon=pdk.types.String("arrow"), icon_atlas=pdk.types.String(ARROW_ATLAS),
                  icon_mapping=ARROW_MAPPING, get_size="size", size_units=PIXELS,
                  get_angle="angle", get_color="color", pickable=False),
        pdk.Layer("ScatterplotLayer", data=_records(data.places, ["lat", "lon"]), id="places",
                  get_position=["lon", "lat"], get_radius=4, radius_units=PIXELS,
                  get_fill_color=[35, 35, 35, 230], stroked=True,
                  get_line_color=[255, 255, 255, 230], line_width_min_pixels=1,
                  pickable=False),
        pdk.Layer("ScatterplotLayer",
                  data=_records(data.markers, ["to", "to_lat", "to_lon", "tip"]),
                  id="outcomes", get_position=["to_lon", "to_lat"], get_radius=7,
                  radius_units=PIXELS, get_fill_color=[255, 255, 255, 255], stroked=True,
                  get_line_color=[25, 25, 25, 255], line_width_min_pixels=2.5, pickable=True),
        *maplabels.label_layers(
            data.places, view, size, _countries(legs, dimmed), set(labelled),
            _numbers(legs, data, dict(zip(table.index, drawn, strict=True)), view.zoom)
            if numbered else [], other_labels,
            [line["path"] for line in (*lines, *fades, *old_lines, *old_fades)]
            if names_off_lines else []),
    ]
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        # A view of its own per fitted view: Streamlit then moves the map to it even after
        # the reader has panned or zoomed (it keeps the reader's view while this is equal).
        # The world repeated east and west: a narrow map framed on Asia reaches past the
        # 180th meridian (a phone's by a third), where there would be no sea and no land.
        views=[pdk.View("MapView", controller={"dragRotate": False, "touchRotate": False,
                                                "keyboard": True, "doubleClickZoom": True},
                        id=_view_id(view), repeat=True)],
        # No provider and pydeck's default style sentinel: Streamlit then adds no basemap
        # style of its own (map_style=None would make it fetch Carto's).
        map_provider=None,
        tooltip=TOOLTIP,
    )


def route_data(legs: pd.DataFrame, colour_by: str = "mode",
               numbered: routes.NumberedLegs | None = None) -> tuple[routes.MapData, dict]:
    """What `build_deck` draws for these legs and this colour choice, and the colours of
    its categories: the route numbers a selection on the map names are rows of it.
    `numbered`: the dataset's `routes.number_legs`, when `legs` are some of its legs."""
    category, palette = style.colour_categories(legs, colour_by)
    return routes.map_data(legs, category, numbered), palette


def fit_view(legs: pd.DataFrame, max_zoom: float = MAX_ZOOM,
             size: tuple[int, int] = WIDE) -> pdk.ViewState:
    """A view that shows every located leg of `legs` (where lines meet areas included) in a
    map of `size` pixels, or north-east Asia when there is none."""
    return fit_routes(routes.map_data(legs, pd.Series("", index=legs.index)), max_zoom, size)


def fit_routes(data: routes.MapData, max_zoom: float = MAX_ZOOM,
               size: tuple[int, int] = WIDE) -> pdk.ViewState:
    """`fit_view` of the routes `route_data` made that the map draws (whatever their
    colours: the routes' ends are the same)."""
    table = data.drawn_routes
    return _fit(table, legpaths.spans(table), size, max_zoom)


def _fit(table, spans, size, max_zoom, faded=None) -> pdk.ViewState:
    points = legpaths.extent(table, spans)
    if faded is not None:
        points += legpaths.extent(faded.routes, legpaths.spans(faded.routes))
    if not points:
        return WORLD_VIEW
    lon, lat, zoom = legpaths.fit(points, size[0], size[1], max_zoom)
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom)


def _view_id(view: pdk.ViewState) -> str:
    numbers = f"{view.longitude},{view.latitude},{view.zoom}"
    return "map-" + hashlib.sha1(numbers.encode()).hexdigest()[:10]


def _lines(table: pd.DataFrame, drawn, palette: dict):
    """(solid lines, fading pieces, arrow heads) of each drawn route, as deck records (a
    line carries its route number, the row label of `table`)."""
    busiest = max(int(table["legs"].max()), 50) if len(table) else 50
    # Worked out once per colour and certainty, and per count of legs: a map draws a
    # thousand routes in a few of each. The records share them, never changing them.
    looks: dict[tuple, tuple] = {}
    widths: dict[int, float] = {}
    lines, fades, arrows = [], [], []
    for route, shape, category, certainty, count, tip in zip(
            table.index.tolist(), drawn, table["category"].tolist(),
            table["certainty"].tolist(), table["legs"].tolist(), table["tip"].tolist(),
            strict=True):
        if shape is None:
            continue
        look = looks.get((category, certainty))
        if look is None:
            look = looks[(category, certainty)] = _look(palette.get(category), certainty)
        base, dash, arrow_color = look
        width = widths.get(count)
        if width is None:
            # Wider with more legs up to 50; past that, relative to the busiest route.
            width = widths[count] = round(min(max(count * 50 / busiest, 1), 50) ** 0.5 * 1.8
                                          + 1.5, 1)
        lines.append({"path": shape.solid, "color": base, "width": width, "dash": dash,
                      "tip": tip, "route": route, "legs": count})
        fades += [{"path": path, "color": [*base[:3], round(base[3] * opacity)],
                   "width": width, "dash": dash} for path, opacity in shape.fades]
        if arrow_color is not None:
            arrows.append({"position": shape.arrow, "angle": shape.angle,
                           "size": round(9 + width * 2.2), "color": arrow_color})
    return lines, fades, arrows


def _look(color: str | None, certainty: str) -> tuple[list, list, list | None]:
    """A route's (line colour, dash, arrow colour) for its colour (None: dimmed, no arrow)
    and its certainty: solid or dashed, strong or faint."""
    sure = certainty in style.SURE
    strength = 1.0 if sure or certainty in style.DASHED else style.FAINT_OPACITY
    base = DIMMED if color is None else rgb(color, round(235 * strength))
    dash = style.DASH if certainty in style.DASHED else [0, 0]
    return base, dash, None if color is None else rgb(color, 255)


def _path_layer(layer_id: str, data: list[dict], pickable: bool) -> pdk.Layer:
    return pdk.Layer("PathLayer", data=data, id=layer_id, get_path="path",
                     get_color="color", get_width="width", width_units=PIXELS,
                     width_min_pixels=1.5, cap_rounded=True, joint_rounded=True,
                     pickable=pickable, auto_highlight=pickable,
                     extensions=[{"@@type": "PathStyleExtension", "dash": True}],
                     get_dash_array="dash", dash_justified=True)


def _area_layers(keys: list[str], level: float) -> list[pdk.Layer]:
    """The areas these ends are, shaded with a dashed edge: countries and provinces (the
    bundled polygons, thinned to what this zoom level and two steps closer can show) and
    the vicinities of places no polygon describes."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    features = [_area_feature(key, level) for key in keys]
    return [pdk.Layer(
        "GeoJsonLayer", data={"type": "FeatureCollection", "features": features}, id="areas",
        stroked=True, filled=True,
        get_fill_color=rgb(style.AREA_FILL, style.AREA_FILL_ALPHA),
        get_line_color=rgb(style.AREA_LINE, 200), line_width_min_pixels=1.4, get_line_width=1,
        pickable=True, auto_highlight=True,
        extensions=[{"@@type": "PathStyleExtension", "dash": True}], get_dash_array=[4, 3])]


# The same in every view at this level: written as JSON once, and copied as it is into
# each map's JSON (the outlines are most of a map's bytes, and writing their numbers again
# was most of writing a map).
@functools.lru_cache(maxsize=4096)
def _area_feature(key: str, level: float) -> orjson.Fragment:
    """The area as a GeoJSON feature, without the rings smaller than half a pixel two zoom
    levels closer (islands too small to see; the bundled outlines are simplified already)."""
    tolerance = 0.5 * 360 / (legpaths.TILE * 2 ** (level + 2))
    rings, extents = _outline(key)
    return orjson.Fragment(orjson.dumps(
        {"type": "Feature", "properties": {"key": key, "tip": areas.area(key).tip},
         # Each ring its own polygon: the holes of the bundled countries are lakes too small
         # to matter at these scales.
         "geometry": {"type": "MultiPolygon", "coordinates": [
             [ring] for ring, extent in zip(rings, extents, strict=True)
             if extent >= tolerance]}},
        option=orjson.OPT_SORT_KEYS))  # as the map's JSON is written


@functools.lru_cache(maxsize=1024)
def _outline(key: str) -> tuple[list, list[float]]:
    """The area's rings as the deck writes them, and each ring's extent (its larger side).
    Tuples of floats, as `legpaths.Drawn`: the garbage collector stops looking at them."""
    shape = areas.area(key)
    return ([tuple(map(tuple, np.round(ring, legpaths.DECIMALS).tolist()))
             for ring in shape.rings],
            [float(np.ptp(ring, axis=0).max()) for ring in shape.rings])


def _numbers(legs: pd.DataFrame, data: routes.MapData, drawn, zoom: float) -> list[dict]:
    """Each leg's number at the place it starts from (numbered stops); on its line when it
    starts somewhere in an area. Numbers closer than a badge share one ("1, 2")."""
    spots = []
    for number, route in zip(legs.loc[data.route_of.index, "leg"].tolist(),
                             data.route_of.tolist(), strict=True):
        row, shape = data.routes.iloc[route], drawn.get(route)
        if not row["from_area"]:
            spots.append((row["from_lon"], row["from_lat"], number))
        elif shape is not None:
            spots.append((*shape.middle, number))
        else:
            spots.append((*areas.area(row["from_area"]).label, number))
    badges: list[list] = []  # x, y, lon, lat, numbers
    for lon, lat, number in sorted(spots, key=lambda s: s[2]):
        x, y = legpaths.project(lon, lat, zoom)
        near = next((b for b in badges if abs(b[0] - x) < BADGE_PX and abs(b[1] - y) < BADGE_PX),
                    None)
        if near is None:
            badges.append([x, y, lon, lat, [number]])
        elif number not in near[4]:
            near[4].append(number)
    return [{"lon": round(float(b[2]), 3), "lat": round(float(b[3]), 3),
             "label": ", ".join(str(n) for n in b[4])} for b in badges]


def _countries(legs: pd.DataFrame, dimmed: pd.DataFrame | None) -> set[str]:
    frames = [legs] if dimmed is None else [legs, dimmed]
    return {c for f in frames for c in met_in_order(f["from_country"], f["to_country"])}


def _records(frame: pd.DataFrame, fields: list[str]) -> list[dict]:
    # As frame.to_dict("records") gives them (plain Python values), without its overhead.
    columns = [frame[field].tolist() for field in fields]
    return [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)]
