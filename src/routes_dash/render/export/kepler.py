"""A saved kepler.gl map (`kepler-map.json`, the format of kepler's "Export map → JSON"):
the arcs' rows and a map config whose arc layer is on and coloured by mode.

kepler's layer detection makes the same arc layer from `kepler-arcs.csv`, but hidden; this
file is what to load into kepler.gl to see the routes at once.
"""

from __future__ import annotations

import pandas as pd

from routes_dash.contract.schema import MODES
from routes_dash.render.export.common import View, _json_bytes
from routes_dash.render.style import MODE_COLORS, rgb

DATASET_ID = "legs"
# kepler's field types; every other column is a string.
_TYPES = {"from_lat": "real", "from_lng": "real", "to_lat": "real", "to_lng": "real",
          "datetime": "timestamp", "datetime_end": "timestamp", "leg": "integer",
          "year": "integer", "year_end": "integer", "precision_reduced": "boolean"}
_TIME_FORMAT = "YYYY-M-D H:m"
_TOOLTIP = ("name", "leg", "from", "to", "mode", "year", "outcome", "certainty", "citation",
            "note")


def kepler_map(arcs: pd.DataFrame, view: View) -> bytes:
    """The saved map: `{"datasets": [...], "config": {...}, "info": {...}}` (schema v1)."""
    fields = [{"name": name, "type": _TYPES.get(name, "string"),
               "format": _TIME_FORMAT if _TYPES.get(name) == "timestamp" else "",
               "analyzerType": _analyzer(_TYPES.get(name, "string"))}
              for name in arcs.columns]
    rows = [[_cell(value) for value in row] for row in arcs.itertuples(index=False, name=None)]
    used = set(arcs["mode"].unique())
    modes = [m for m in MODES if m in used]
    return _json_bytes({
        "datasets": [{"version": "v1", "data": {
            "id": DATASET_ID, "label": view.title, "color": [68, 119, 170],
            "allData": rows, "fields": fields}}],
        "config": {"version": "v1", "config": {
            "visState": {
                "filters": [],
                "layers": [{
                    "id": "routes", "type": "arc",
                    "config": {
                        "dataId": DATASET_ID, "label": "routes (from → to), coloured by mode",
                        "color": rgb(MODE_COLORS["unknown"])[:3],
                        "columns": {"lat0": "from_lat", "lng0": "from_lng",
                                    "lat1": "to_lat", "lng1": "to_lng"},
                        "isVisible": True, "hidden": False, "textLabel": [],
                        "visConfig": {"opacity": 0.8, "thickness": 3,
                                      "colorRange": _mode_colours(modes)},
                    },
                    "visualChannels": {"colorField": {"name": "mode", "type": "string"},
                                       "colorScale": "ordinal",
                                       "sizeField": None, "sizeScale": "linear"},
                }],
                "interactionConfig": {"tooltip": {"enabled": True, "fieldsToShow": {
                    DATASET_ID: [{"name": name, "format": None} for name in _TOOLTIP]}}},
                "layerBlending": "normal", "splitMaps": [],
            },
            "mapState": _map_state(arcs),
        }},
        "info": {"app": "routes_dash", "title": view.title,
                 "description": "Each leg with its certainty word and full citation."},
    })


def _mode_colours(modes: list[str]) -> dict:
    """The map's mode colours, as an ordinal colour range kepler applies by value."""
    colours = [MODE_COLORS[m] for m in modes] or [MODE_COLORS["unknown"]]
    return {"name": "routes_dash modes", "type": "qualitative", "category": "Custom",
            "colors": colours, "colorMap": [[m, MODE_COLORS[m]] for m in modes]}


def _map_state(arcs: pd.DataFrame) -> dict:
    lats = pd.concat([arcs["from_lat"], arcs["to_lat"]])
    lons = pd.concat([arcs["from_lng"], arcs["to_lng"]])
    middle = (float(lats.median()), float(lons.median())) if len(arcs) else (35.0, 115.0)
    return {"latitude": middle[0], "longitude": middle[1], "zoom": 3, "bearing": 0,
            "pitch": 0, "dragRotate": False}


def _analyzer(kind: str) -> str:
    return {"real": "FLOAT", "integer": "INT", "timestamp": "DATETIME",
            "boolean": "BOOLEAN"}.get(kind, "STRING")


def _cell(value: object) -> object:
    """A JSON cell: None for a missing value or an empty time, plain Python types."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return None if value == "" else value
