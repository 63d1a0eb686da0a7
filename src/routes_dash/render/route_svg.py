"""A person's route as a static SVG drawn from the bundled basemap: for the printable story
handout, which must open from a file with no network and no script.

The countries are the page's own Natural Earth basemap, projected (Web Mercator, as the
page's map) into the route's frame, which is never narrower than `MIN_SPAN_DEGREES` so that
the border and the towns around stay in view. Legs are curves coloured by mode, dashed when
a place is known only as a country or province; stops are numbered as on the page.
"""

from __future__ import annotations

import functools
import json
import math
from html import escape

import pandas as pd

from routes_dash import bundled
from routes_dash.journeys import story
from routes_dash.journeys.privacy import COARSE_PRECISIONS
from routes_dash.render.story_map import StopTag, fit_names, overlap, stop_tags
from routes_dash.render.style import BORDER, LAND, MODE_COLORS, SEA

WIDTH, HEIGHT = 1000, 640
# Pixels around the route: the stops' numbers stand left of a place, their names right.
LEFT, RIGHT, TOP_BOTTOM = 80, 190, 50
MIN_SPAN_DEGREES = 12.0
LABEL = "#4a525c"  # country names: 6.5:1 on the land colour


def route_svg(legs: pd.DataFrame, title: str) -> str:
    """The SVG of these legs (one person's, in story order) over the basemap; `title` is its
    accessible name. Legs without coordinates are left out, as on the page."""
    located = legs[legs["located"]]
    frame = _Frame(_points(located))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="route-title">',
             f'<title id="route-title">{escape(title)}</title>',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{SEA}"/>']
    tags = stop_tags(story.stops(located), (1, len(located) + 1), frame)
    # Names end before the picture's edge and the next tag, as on the story's map.
    tags = fit_names(tags, [frame(tag.lon, tag.lat) for tag in tags], WIDTH - 4)
    parts += _countries(frame, [frame(tag.lon, tag.lat) for tag in tags])
    parts += _legs(located, frame)
    parts += _stops(tags, frame)
    parts.append("</svg>")
    return "\n".join(parts)


def legend(legs: pd.DataFrame) -> list[tuple[str, str, bool]]:
    """(mode, colour, dashed) for each mode the route uses, then the dashed line's meaning."""
    used = set(legs["mode"].unique())
    modes = [m for m in MODE_COLORS if m in used]
    entries = [(mode, MODE_COLORS[mode], False) for mode in modes]
    if legs["shown_precision"].isin(COARSE_PRECISIONS).any():
        entries.append(("place known only as a country or province", "#5b6470", True))
    return entries


class _Frame:
    """Web Mercator, scaled and shifted so that the points fit the picture.

    A route across the Pacific (Seoul to California) is drawn across it: when the points
    span more than half the world, western longitudes are counted east of 180°."""

    def __init__(self, points: list[tuple[float, float]]):
        if not points:
            points = [(115.0, 35.0)]  # north-east Asia, as the page's empty map
        lons = [lon for lon, _ in points]
        self.wraps = max(lons) - min(lons) > 180
        lons = [self.unwrap(lon) for lon in lons]
        lats = [lat for _, lat in points]
        centre_lon, centre_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
        half = MIN_SPAN_DEGREES / 2
        corners = [(min(min(lons), centre_lon - half), min(min(lats), centre_lat - half / 2)),
                   (max(max(lons), centre_lon + half), max(max(lats), centre_lat + half / 2))]
        (x0, y1), (x1, y0) = (_mercator(*c) for c in corners)
        self.scale = min((WIDTH - LEFT - RIGHT) / (x1 - x0),
                         (HEIGHT - 2 * TOP_BOTTOM) / (y1 - y0))
        self.dx = LEFT + (WIDTH - LEFT - RIGHT) / 2 - self.scale * (x0 + x1) / 2
        self.dy = HEIGHT / 2 - self.scale * (y0 + y1) / 2

    def unwrap(self, lon: float) -> float:
        return lon + 360 if self.wraps and lon < 0 else lon

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a route's point is drawn."""
        return self.project(self.unwrap(lon), lat)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _mercator(lon, lat)
        return round(self.scale * x + self.dx, 1), round(self.scale * y + self.dy, 1)

    def offsets(self, box: tuple[float, float, float, float]) -> list[float]:
        """By how many degrees east a (west, south, east, north) box is drawn to reach into
        the picture: none, 0, 360 (once round the world) or both."""
        found = []
        for offset in (0.0, 360.0) if self.wraps else (0.0,):
            x0, y0 = self.project(box[0] + offset, box[3])
            x1, y1 = self.project(box[2] + offset, box[1])
            if x1 >= 0 and x0 <= WIDTH and y1 >= 0 and y0 <= HEIGHT:
                found.append(offset)
        return found


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0), -85.0)
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _points(legs: pd.DataFrame) -> list[tuple[float, float]]:
    return [*zip(legs["from_lon"], legs["from_lat"], strict=True),
            *zip(legs["to_lon"], legs["to_lat"], strict=True)]


@functools.cache
def _basemap() -> tuple[tuple[str, tuple[float, float], tuple, tuple], ...]:
    """(name, label point, bounding box, rings) of each country, read once per process."""
    countries = json.loads(bundled.BASEMAP.read_text(encoding="utf-8"))["features"]
    out = []
    for feature in countries:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        rings = tuple(tuple(map(tuple, ring)) for polygon in polygons for ring in polygon)
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        properties = feature["properties"]
        out.append((properties["name"], (properties["label_lon"], properties["label_lat"]),
                    (min(lons), min(lats), max(lons), max(lats)), rings))
    return tuple(out)


def _countries(frame: _Frame, taken: list[tuple[float, float]]) -> list[str]:
    """The countries in the picture, named where no stop's label is and no other country's
    name is: the widest first (in Europe at the scale of a route to Asia, names would
    otherwise run over each other)."""
    shapes, candidates = [], []
    for name, (label_lon, label_lat), box, rings in _basemap():
        for offset in frame.offsets(box):
            path = []
            for ring in rings:
                points = [frame.project(lon + offset, lat) for lon, lat in ring]
                kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
                if len(kept) > 2:
                    path.append("M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z")
            if path:
                shapes.append(f'<path d="{"".join(path)}"/>')
            x, y = frame.project(label_lon + offset, label_lat)
            free = all(abs(x - sx) > 150 or abs(y - sy) > 30 for sx, sy in taken)
            large = box[2] - box[0] > 3 or box[3] - box[1] > 3  # not every island
            if free and large and 40 < x < WIDTH - 40 and 20 < y < HEIGHT - 20:
                candidates.append((box[2] - box[0], x, y, name))
    names, kept = [], []
    for _, x, y, name in sorted(candidates, key=lambda candidate: -candidate[0]):
        half = len(name) * _COUNTRY_CHARACTER_PX / 2 + _NAME_GAP_PX
        box = (x - half, y - 14 - _NAME_GAP_PX, x + half, y + 4 + _NAME_GAP_PX)
        if not any(overlap(box, other) for other in kept):
            kept.append(box)
            names.append(f'<text x="{x:g}" y="{y:g}">{escape(name)}</text>')
    return ([f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.8" '
             'stroke-linejoin="round">', *shapes, "</g>",
             f'<g font-family="sans-serif" font-size="15" font-style="italic" '
             f'fill="{LABEL}" text-anchor="middle">', *names, "</g>"])


_COUNTRY_CHARACTER_PX = 8  # a character's width, about, in the names' 15-pixel italic
_NAME_GAP_PX = 2  # around each name: two names are kept 4 pixels apart


def _legs(legs: pd.DataFrame, frame: _Frame) -> list[str]:
    out = ['<g fill="none" stroke-width="4" stroke-linecap="round">']
    for leg in legs.itertuples():
        (x0, y0), (x1, y1) = frame(leg.from_lon, leg.from_lat), frame(leg.to_lon, leg.to_lat)
        # A gentle bend, to the left of the direction of travel: a way there and a way back
        # between the same places stay apart.
        bend = 0.18
        cx, cy = (x0 + x1) / 2 - (y1 - y0) * bend, (y0 + y1) / 2 + (x1 - x0) * bend
        dashed = ' stroke-dasharray="10 8"' if leg.shown_precision in COARSE_PRECISIONS else ""
        out.append(f'<path d="M{x0:g} {y0:g}Q{cx:.1f} {cy:.1f} {x1:g} {y1:g}" '
                   f'stroke="{MODE_COLORS.get(leg.mode, "#555555")}"{dashed}/>')
    out.append("</g>")
    return out


def _stops(tags: list[StopTag], frame: _Frame) -> list[str]:
    # 16-pixel bold, as the story map's tags, whose widths `fit_names` reckons with.
    out = ['<g font-family="sans-serif" font-weight="700">']
    for tag in tags:
        x, y = frame(tag.lon, tag.lat)
        number = escape(tag.number)
        width = 14 + 9 * len(tag.number)
        out.append(f'<rect x="{x - width:g}" y="{y - 13:g}" width="{width}" height="26" rx="6" '
                   f'fill="#1b1f24"/><text x="{x - width / 2:g}" y="{y + 6:g}" fill="#ffffff" '
                   f'font-size="16" text-anchor="middle">{number}</text>')
        out.append(f'<text x="{x + 6:g}" y="{y + 6:g}" font-size="16" fill="#1b1f24" '
                   'stroke="#ffffff" stroke-width="4" paint-order="stroke">'
                   f'{escape(" / ".join(tag.places))}</text>')
    out.append("</g>")
    return out
