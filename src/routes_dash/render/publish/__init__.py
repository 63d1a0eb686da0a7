"""The whole dashboard of a view as one self-contained HTML file, for a USB stick or any static
web server: the route map (deck.gl, rendering pydeck's JSON with the shapes, areas and colours
Python drew, `mapdata`), the timeline and charts (plotly), the filters, story mode and the
sources, all running in the page.

Every script and all data are inside the file and its Content-Security-Policy forbids any
request (`default-src 'none'`), so nothing leaves it. The data travels gzipped and
base64-encoded (a browser's own DecompressionStream unpacks it): data text never touches the
HTML, and the page's script puts every text in with `textContent`, never as HTML.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
from importlib import resources

import pandas as pd

from routes_dash.render.export.common import Files, View
from routes_dash.render.publish.payload import payload

FILE_NAME = "routes-dashboard.html"
ASSETS = resources.files(__name__) / "assets"
VENDOR = ("deck.gl-core.min.js", "deck.gl-layers.min.js", "deck.gl-extensions.min.js",
          "deck.gl-json.min.js", "plotly-custom.min.js")
# The page's own scripts, in the order they build on each other.
SCRIPTS = ("data.js", "geometry.js", "routes.js", "labels.js", "mapview.js", "timeline.js",
           "charts.js", "flow.js", "sections.js", "page.js")
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data: blob:; font-src data:; worker-src blob:; connect-src data: blob:; "
       "base-uri 'none'; form-action 'none'")


def to_html(legs: pd.DataFrame, people: pd.DataFrame | None = None,
            view: View | None = None) -> Files:
    """`routes-dashboard.html`: the view's legs as one offline page (see the module doc)."""
    view = view or View()
    data = json.dumps(payload(legs, people, view), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")
    vendor = "\n".join(_script(ASSETS / "vendor" / name) for name in VENDOR)
    own = "\n".join(_script(ASSETS / name) for name in SCRIPTS)
    values = {"csp": CSP, "title": html.escape(view.title), "vendor": vendor, "data": packed,
              "style": (ASSETS / "page.css").read_text(encoding="utf-8"), "scripts": own}
    # One pass, so that a placeholder-like text inside a script is never replaced.
    page = re.sub(r"\{\{(\w+)\}\}", lambda match: values[match.group(1)],
                  (ASSETS / "page.html").read_text(encoding="utf-8"))
    return {FILE_NAME: page.encode("utf-8")}


def _script(path) -> str:
    # An inline script ends at the first `</script` anywhere in it, even inside a string.
    code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<script>{code}</script>"
