"""Where the files shipped inside the package are, found with `importlib.resources` so that a
plain `pip install .` finds them as well as a checkout does.

The checkout's top-level `data/`, `static/` and `app.py` are links to these.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = Path(str(resources.files("routes_dash")))

# The curated journeys and their context: legs.csv, people.csv, places_curated.csv,
# geocache.csv, arrivals.csv.
DATA = _PACKAGE / "data"
GAZETTEER = DATA / "gazetteer"
# Streamlit serves the folder `static/` beside the page script at `app/static/`.
PAGE = _PACKAGE / "app.py"
STATIC = _PACKAGE / "static"
BASEMAP = STATIC / "countries.geojson"
BASEMAP_URL = "app/static/countries.geojson"
# Every country and the region's provinces, for places known only as an area
# (tools/build_areas.py).
AREAS = STATIC / "areas.geojson"
AREAS_URL = "app/static/areas.geojson"
