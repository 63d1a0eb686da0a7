"""The route map as a `pydeck.Deck`: no tiles, a bundled country basemap, legs as arcs."""

from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from pydeck.data_utils import compute_view

from routes_dash import bundled
from routes_dash.journeys import routes
from routes_dash.render.style import BORDER, LAND, MODE_COLORS, OUTCOME_COLORS, SEA, rgb

# pydeck reads a plain string as an expression over each row; literal strings need String.
PIXELS = pdk.types.String("pixels")
# Fitting to a view needs at least a small area; one place alone gets a regional zoom.
MAX_ZOOM = 6.5
WORLD_VIEW = pdk.ViewState(latitude=35.0, longitude=115.0, zoom=2.6)
SEA_POLYGON = [[[-180, -85], [180, -85], [180, 85], [-180, 85]]]


class CompactDeck(pdk.Deck):
    """A `pydeck.Deck` whose JSON is written without indentation.

    pydeck writes its JSON with indent=2, which makes `json.dumps` fall back to its pure-Python
    encoder: about 30 ms for a 250 kB map, paid on every rerun since `st.pydeck_chart` calls
    `to_json` each time. The same JSON without indentation is written by the C encoder in a
    few milliseconds, and is smaller.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize,
                          separators=(",", ":"))


def build_deck(
    legs: pd.DataFrame,
    view: pdk.ViewState | None = None,
    # The bundled Natural Earth countries, served by Streamlit from static/ on the same host:
    # the browser fetches them once from localhost instead of with every render of the map.
    basemap: str | dict = bundled.BASEMAP_URL,
    dimmed: pd.DataFrame | None = None,
) -> pdk.Deck:
    """The map of the located legs: basemap, routes coloured by mode, outcome markers, labels.

    Nothing leaves the machine: `map_provider=None` means no tile request at all, and the
    countries are a layer read from the app's own server. `dimmed` legs (a story's earlier
    steps) are drawn faintly beneath.
    """
    summary = routes.map_data(legs)
    segments = summary.segments
    # Wider with more legs up to 50; past that, relative to the busiest route, so that busy
    # and quiet routes still look different when every route has hundreds of legs.
    busiest = max(int(segments["legs"].max()), 50) if len(segments) else 50
    scaled = (segments["legs"] * (50 / busiest)).clip(lower=1, upper=50)
    segments = segments.assign(
        color=segments["mode"].map(lambda m: rgb(MODE_COLORS[m], 220)),
        width=(scaled ** 0.5 * 3).round(1),
    )
    markers = summary.markers
    markers = markers.assign(color=markers["outcome"].map(lambda o: rgb(OUTCOME_COLORS[o])))
    places = summary.places
    view = view or _fit(summary.points)
    faded = routes.route_segments(dimmed if dimmed is not None else legs.iloc[0:0])
    faded = faded.assign(color=[[120, 120, 120, 110]] * len(faded), width=2.0)
    layers = [
        pdk.Layer("SolidPolygonLayer", data=[{"polygon": SEA_POLYGON}], id="sea",
                  get_polygon="polygon", get_fill_color=rgb(SEA)),
        pdk.Layer("GeoJsonLayer", data=basemap, id="countries", stroked=True, filled=True,
                  get_fill_color=rgb(LAND), get_line_color=rgb(BORDER),
                  line_width_min_pixels=0.6, pickable=False),
        pdk.Layer("ArcLayer", data=_records(faded, _SEGMENT_FIELDS), id="earlier",
                  get_source_position=["from_lon", "from_lat"],
                  get_target_position=["to_lon", "to_lat"],
                  get_source_color="color", get_target_color="color", get_width="width",
                  get_height=0.35, width_min_pixels=2, pickable=True),
        pdk.Layer("ArcLayer", data=_records(segments, _SEGMENT_FIELDS), id="routes",
                  get_source_position=["from_lon", "from_lat"],
                  get_target_position=["to_lon", "to_lat"],
                  get_source_color="color", get_target_color="color", get_width="width",
                  get_height=0.35, great_circle=False, width_min_pixels=2, pickable=True,
                  auto_highlight=True),
        pdk.Layer("ScatterplotLayer", data=_records(places, ["lat", "lon", "label"]),
                  id="places", get_position=["lon", "lat"], get_radius=4,
                  radius_units=PIXELS, get_fill_color=[40, 40, 40, 200], pickable=False),
        pdk.Layer("ScatterplotLayer", data=_records(markers, _MARKER_FIELDS), id="outcomes",
                  get_position=["to_lon", "to_lat"], get_radius=7, radius_units=PIXELS,
                  get_fill_color="color", stroked=True, get_line_color=[255, 255, 255, 255],
                  line_width_min_pixels=2, pickable=True),
        pdk.Layer("TextLayer", data=_records(routes.spaced_labels(places, view.zoom),
                                             ["lat", "lon", "label"]), id="labels",
                  get_position=["lon", "lat"], get_text="label", get_size=14,
                  get_color=[30, 30, 30, 255], get_pixel_offset=[0, -16],
                  font_family=pdk.types.String("sans-serif"), font_weight=600, background=True,
                  get_background_color=[255, 255, 255, 200], background_padding=[3, 1],
                  pickable=False),
    ]
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        # No provider and pydeck's default style sentinel: Streamlit then adds no basemap
        # style of its own (map_style=None would make it fetch Carto's).
        map_provider=None,
        # Plain text, never HTML: the descriptions are data a user may have written.
        tooltip={"text": "{description}"},
    )


_SEGMENT_FIELDS = ["from_lat", "from_lon", "to_lat", "to_lon", "mode", "outcome", "legs",
                   "description", "color", "width"]
_MARKER_FIELDS = ["to_lat", "to_lon", "outcome", "legs", "description", "color"]


def _records(frame: pd.DataFrame, fields: list[str]) -> list[dict]:
    # As frame.to_dict("records") gives them (plain Python values), without its overhead.
    columns = [frame[field].tolist() for field in fields]
    return [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)]


def fit_view(legs: pd.DataFrame, max_zoom: float = MAX_ZOOM) -> pdk.ViewState:
    """A view that shows every located leg, or north-east Asia when there are none."""
    located = legs[legs["located"]]
    return _fit(pd.concat([
        located[["from_lon", "from_lat"]].set_axis(["lon", "lat"], axis=1),
        located[["to_lon", "to_lat"]].set_axis(["lon", "lat"], axis=1),
    ]).drop_duplicates(), max_zoom)


def _fit(points: pd.DataFrame, max_zoom: float = MAX_ZOOM) -> pdk.ViewState:
    """The view of distinct (lon, lat) points, in the order first met."""
    if points.empty:
        return WORLD_VIEW
    # Fit where most routes are: with many places, a far outlier (a flight to the UK) may
    # run off the edge rather than shrink every route in Asia to a smudge.
    proportion = 0.9 if len(points) >= 20 else 1
    view = compute_view(points[["lon", "lat"]].to_numpy().tolist(), view_proportion=proportion)
    view.zoom = max(1.0, min(max_zoom, view.zoom - 0.4))
    return view
