"""Where each route is drawn: a gentle curve bent to the right of travel (so that A → B and
B → A do not overlap), with an arrow head showing its direction. An end that is an area
(a place known only as a country or a province) is never drawn as a point: the line fades
out just inside the area's edge, where it enters; a leg from a town into the area around it
fades out on the way towards the area's middle. Both ends areas and one inside the other:
no line at all (the shaded area stands for it). Works in Web Mercator pixels at the view's
zoom, so that fades and arrows have the same size on screen whatever the distance.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from routes_dash.journeys import areas

TILE = 512  # Web Mercator world width at zoom 0, in pixels, as deck.gl uses
STUB_PX = 42  # how far a line runs into an area before it has faded out
BEND = 0.14  # the curve's bulge, as a share of its length
SAMPLES = 9
FADE_STEPS = 4
PAD_PX = 56  # kept free around the fitted routes: labels, fades, arrows
DECIMALS = 3
# Lines are drawn at zoom levels a quarter step apart, a view at the level at or below its
# zoom: views of nearly the same zoom share their curves (a filter change redraws only the
# routes it adds), and the one-file HTML draws at exactly these levels.
LEVEL_STEP = 0.25


def project(lon, lat, zoom: float = 0.0):
    """Web Mercator world pixels at `zoom` (y grows southwards), as deck.gl draws them."""
    scale = TILE * 2**zoom / (2 * math.pi)
    lat = np.clip(lat, -85.0, 85.0)
    x = scale * (np.radians(lon) + math.pi)
    y = scale * (math.pi - np.log(np.tan(math.pi / 4 + np.radians(lat) / 2)))
    return x, y


def on_the_world(lon):
    """A longitude of a world's copy east or west, on the world itself (-180 to 180)."""
    return (lon + 180) % 360 - 180


def from_middle(x, middle: float, zoom: float):
    """Pixels (`project` at `zoom`) east of a map's `middle` of the world's copy nearest it:
    the map repeats the world east and west, and that copy is the one it shows."""
    world = TILE * 2**zoom
    return (x - middle + world / 2) % world - world / 2


def level(zoom: float) -> float:
    """The zoom level a view of this zoom is drawn at: the level at or below it."""
    return round(math.floor(zoom / LEVEL_STEP + 1e-9) * LEVEL_STEP, 2)


def unproject(x, y, zoom: float = 0.0):
    scale = TILE * 2**zoom / (2 * math.pi)
    lon = np.degrees(x / scale - math.pi)
    lat = np.degrees(2 * np.arctan(np.exp(math.pi - y / scale)) - math.pi / 2)
    return lon, lat


@dataclass(frozen=True)
class Span:
    """Where a route runs on the straight line between its two ends' targets (a point, or
    an area's middle): fractions of that line. `edge_in`/`edge_out` are where it leaves
    the start area and enters the end area (None: that end is a point); `inside` says the
    point end lies within the other end's area (the line fades on the way to its middle)."""

    start: tuple[float, float]
    end: tuple[float, float]
    edge_in: float | None
    edge_out: float | None
    inside: str  # "", "from" (the start area holds the end point) or "to"
    from_area: str = ""
    to_area: str = ""

    def at(self, t: float) -> tuple[float, float]:
        (lon0, lat0), (lon1, lat1) = self.start, self.end
        return lon0 + (lon1 - lon0) * t, lat0 + (lat1 - lat0) * t

    def within(self, key: str, t: float) -> bool:
        """Whether the point at `t` lies in the area `key` (a line fades out inside it)."""
        lon, lat = self.at(t)
        return not key or areas.area(key).contains(on_the_world(lon), lat)


def spans(routes: pd.DataFrame) -> list[Span | None]:
    """Each route's span, None where it is drawn as no line (both ends one area)."""
    found = []
    for row in zip(routes["from_lon"].tolist(), routes["from_lat"].tolist(),
                   routes["to_lon"].tolist(), routes["to_lat"].tolist(),
                   routes["from_area"].tolist(), routes["to_area"].tolist(), strict=True):
        found.append(_span(*row))
    return found


# Geometry of the places alone, the same in every view: worked out once per pair of ends.
@functools.lru_cache(maxsize=2**16)
def _span(from_lon, from_lat, to_lon, to_lat, from_key, to_key) -> Span | None:
    a = areas.area(from_key) if from_key else None
    b = areas.area(to_key) if to_key else None
    start = a.label if a else (from_lon, from_lat)
    end = b.label if b else (to_lon, to_lat)
    if a and b and (a.key == b.key or a.contains(*end) or b.contains(*start)):
        return None
    # The shorter way round the world: a leg across the Pacific is drawn across it, its end
    # a world further east or west (the map repeats the world), not back across Eurasia.
    turn = 360.0 * round((end[0] - start[0]) / 360)
    drawn_end = (end[0] - turn, end[1])
    if a and a.contains(*end):
        return Span(start, drawn_end, None, None, "from", from_key, to_key)
    if b and b.contains(*start):
        return Span(start, drawn_end, None, None, "to", from_key, to_key)
    edge_in = float(a.crossings(start, drawn_end).max(initial=0.0)) if a else None
    edge_out = float(b.crossings((start[0] + turn, start[1]), end).min(initial=1.0)) if b else None
    if edge_in is not None and edge_out is not None and edge_out < edge_in:
        # The areas overlap along the line (a sea just off the coast the leg comes ashore
        # on): it crosses from one into the other in the middle of where both hold it.
        edge_in = edge_out = (edge_in + edge_out) / 2
    return Span(start, drawn_end, edge_in, edge_out, "", from_key, to_key)


def extent(routes: pd.DataFrame, found: list[Span | None]) -> list[tuple[float, float]]:
    """The points a view must show: point ends and where lines meet areas; an area that
    stands for legs with no line adds its middle, or its whole extent when nothing else is
    shown."""
    points, wholes = [], []
    for span, from_key in zip(found, routes["from_area"].tolist(), strict=True):
        if span is None:
            whole = areas.area(from_key)
            west, south, east, north = whole.bounds
            points.append(whole.label)
            wholes += [(west, south), (east, north)]
            continue
        (ax, ay), (bx, by) = span.start, span.end
        shown = [span.edge_in, span.edge_out]
        if span.edge_in is None and span.inside != "from":
            shown.append(0.0)
        if span.edge_out is None and span.inside != "to":
            shown.append(1.0)
        points += [(ax + (bx - ax) * t, ay + (by - ay) * t) for t in shown if t is not None]
    return points if len(set(points)) > 1 or not wholes else wholes


@dataclass(frozen=True)
class Drawn:
    """One route as drawn: its solid path, the pieces of its fading ends (each a path and
    its opacity, 0–1), where its arrow head and its number go, and the arrow's angle
    (degrees, counter-clockwise from east).

    Tuples of floats, never lists: the cache keeps thousands of routes, and Python's
    garbage collector soon stops tracking a tuple of floats, where it would walk every list
    of every kept route again on each full pass."""

    solid: tuple[tuple[float, float], ...]
    fades: tuple[tuple[tuple[tuple[float, float], ...], float], ...]
    arrow: tuple[float, float]
    angle: float
    middle: tuple[float, float]


# Drawn lines by (span, zoom), shared between views (at one level, a route is drawn once),
# so read and never changed; the least recently used go past _MOST_DRAWN.
_drawn: dict[tuple[Span, float], Drawn | None] = {}
_drawn_lock = threading.Lock()
_MOST_DRAWN = 2**14
_MISSING = object()
# Where a line's arrow head and its number go: this share of its solid part ahead of and
# behind its middle.
ARROW_AHEAD, NUMBER_BEHIND = 0.12, 0.18
# Where a line between two points (solid from end to end) is sampled, its arrow head and
# its number, as fractions of the curve: the same for every such line.
_POINT_TO_POINT = np.concatenate([np.linspace(0.0, 1.0, SAMPLES),
                                  [0.5 + ARROW_AHEAD, 0.5 - NUMBER_BEHIND]])


def draw_all(spans: list[Span | None], zoom: float) -> list[Drawn | None]:
    """The curve of each span at this zoom (`_draw_one`; None for None), the lines from a
    point to a point that are not drawn yet at this zoom drawn all at once: one by one, a
    map of a thousand new routes took 160 ms."""
    with _drawn_lock:
        found = [None if span is None else _drawn.get((span, zoom), _MISSING)
                 for span in spans]
        for span, drawn in zip(spans, found, strict=True):
            if span is not None and drawn is not _MISSING:  # used again: the newest
                _drawn[(span, zoom)] = _drawn.pop((span, zoom))
    new = {span for span, drawn in zip(spans, found, strict=True) if drawn is _MISSING}
    simple = [span for span in new if _point_to_point(span)]
    made = dict(zip(simple, _draw_points(simple, zoom), strict=True))
    made.update((span, _draw_one(span, zoom)) for span in new if span not in made)
    with _drawn_lock:
        for span, drawn in made.items():
            _drawn[(span, zoom)] = drawn
        while len(_drawn) > _MOST_DRAWN:
            del _drawn[next(iter(_drawn))]
    return [made[span] if drawn is _MISSING else drawn
            for span, drawn in zip(spans, found, strict=True)]


def _point_to_point(span: Span) -> bool:
    return span.edge_in is None and span.edge_out is None and not span.inside


def _draw_points(spans: list[Span], zoom: float) -> list[Drawn | None]:
    """`_draw_one` of spans between two points, worked out for all of them at once with the
    same arithmetic, in the same order: the same lines."""
    if not spans:
        return []
    (lon0, lat0), (lon1, lat1) = (np.array([[*s.start, *s.end] for s in spans]).T
                                  .reshape(2, 2, -1))
    ax, ay = project(lon0, lat0, zoom)
    bx, by = project(lon1, lat1, zoom)
    # As `_draw_one` cuts the line at its ends, t0 = 0 and t1 = 1.
    p0 = np.stack(project(lon0 + (lon1 - lon0) * 0.0, lat0 + (lat1 - lat0) * 0.0, zoom), 1)
    p1 = np.stack(project(lon0 + (lon1 - lon0) * 1.0, lat0 + (lat1 - lat0) * 1.0, zoom), 1)
    direction = p1 - p0
    control = (p0 + p1) / 2 + np.stack([-direction[:, 1], direction[:, 0]], 1) * BEND
    u = _POINT_TO_POINT[None, :, None]
    points = ((1 - u) ** 2 * p0[:, None] + 2 * (1 - u) * u * control[:, None]
              + u**2 * p1[:, None]).reshape(-1, 2)
    lon, lat = unproject(points[:, 0], points[:, 1], zoom)
    lonlat = [(round(x, DECIMALS), round(y, DECIMALS))
              for x, y in zip(lon.tolist(), lat.tolist(), strict=True)]
    tangents = _bezier_tangent(p0, control, p1, _POINT_TO_POINT[SAMPLES]).tolist()
    drawn = []
    for i, length in enumerate(np.hypot(bx - ax, by - ay).tolist()):
        if length < 1e-6:
            drawn.append(None)
            continue
        line = lonlat[i * len(_POINT_TO_POINT):(i + 1) * len(_POINT_TO_POINT)]
        dx, dy = tangents[i]
        drawn.append(Drawn(tuple(line[:SAMPLES]), (), line[SAMPLES], round(
            math.degrees(math.atan2(-dy, dx)), 1), line[SAMPLES + 1]))
    return drawn


def _draw_one(span: Span, zoom: float) -> Drawn | None:
    """The curve of a span at this zoom; None when its two ends are one point.

    An end in an area stays solid for half a stub past the area's edge, then fades out
    over the other half: it crosses into the area and stops nowhere in particular.
    """
    (ax, ay), (bx, by) = (project(*span.start, zoom), project(*span.end, zoom))
    length = math.hypot(bx - ax, by - ay)
    if length < 1e-6:
        return None
    # Never more than a third of the line: a short leg in a wide view stays a line.
    stub = min(STUB_PX / length, 0.3)
    if span.inside == "from":  # from somewhere in the area to its point
        reach = _inside(span, span.from_area, 1.0, -1.4 * stub)
        t0, t1, solid_from, solid_to = 1 - reach, 1.0, 0.5, 1.0
    elif span.inside == "to":  # from a point out into the area around it
        reach = _inside(span, span.to_area, 0.0, 1.4 * stub)
        t0, t1, solid_from, solid_to = 0.0, reach, 0.0, 0.5
    else:
        t0 = solid_start = 0.0
        t1 = solid_end = 1.0
        if span.edge_in is not None:  # out of the start area: never from its middle
            # (No crossing found: the line starts a stub away from the area's middle.)
            edge = span.edge_in if span.edge_in > 1e-3 else stub
            reach = _inside(span, span.from_area, edge, -min(stub, 0.35 * edge))
            t0, solid_start = edge - reach, edge - reach / 2
        if span.edge_out is not None:  # into the end area: never up to its middle
            edge = span.edge_out if span.edge_out < 1 - 1e-3 else 1 - stub
            reach = _inside(span, span.to_area, edge, min(stub, 0.35 * (1 - edge)))
            t1, solid_end = edge + reach, edge + reach / 2
        width = max(t1 - t0, 1e-9)
        solid_from = (solid_start - t0) / width
        solid_to = max(solid_from, (solid_end - t0) / width)
    # The ends where the straight line from start to end (in degrees, as the edges were
    # found) is cut, then curved on screen.
    (lon0, lat0), (lon1, lat1) = span.start, span.end
    p0 = np.array(project(lon0 + (lon1 - lon0) * t0, lat0 + (lat1 - lat0) * t0, zoom))
    p1 = np.array(project(lon0 + (lon1 - lon0) * t1, lat0 + (lat1 - lat0) * t1, zoom))
    direction = p1 - p0
    # Right of travel on screen (y grows downwards).
    control = (p0 + p1) / 2 + np.array([-direction[1], direction[0]]) * BEND

    # Every point of the line at once (its solid path, each fading piece, the arrow head and
    # the number's place): numpy's cost per call outweighed the arithmetic, 11 calls a line.
    pieces, strengths = [np.linspace(solid_from, solid_to, SAMPLES)], []
    for low, high, rising in ((0.0, solid_from, True), (solid_to, 1.0, False)):
        if high - low < 1e-6:
            continue
        cuts = np.linspace(low, high, FADE_STEPS + 1)
        for step, (a, b) in enumerate(pairwise(cuts.tolist())):
            strength = (step + 0.5) / FADE_STEPS
            pieces.append([a, (a + b) / 2, b])
            strengths.append(round(strength if rising else 1 - strength, 2))
    middle = (solid_from + solid_to) / 2
    arrow_at = middle + (solid_to - solid_from) * ARROW_AHEAD
    pieces += [[arrow_at], [middle - (solid_to - solid_from) * NUMBER_BEHIND]]
    points = _bezier(p0, control, p1, np.concatenate(pieces))
    lon, lat = unproject(points[:, 0], points[:, 1], zoom)
    lonlat = [(round(x, DECIMALS), round(y, DECIMALS))
              for x, y in zip(lon.tolist(), lat.tolist(), strict=True)]
    ends = np.cumsum([0, *map(len, pieces)]).tolist()
    solid, *fading, arrow, number = (tuple(lonlat[a:b]) for a, b in pairwise(ends))
    tangent = _bezier_tangent(p0, control, p1, arrow_at)
    return Drawn(solid, tuple(zip(fading, strengths, strict=True)), arrow[0],
                 round(math.degrees(math.atan2(-tangent[1], tangent[0])), 1), number[0])


def _inside(span: Span, key: str, edge: float, step: float) -> float:
    """How far from `edge` (along the line, towards `step`'s sign) the line may run and still
    end inside the area: halved until its end is in (a bay between edge and middle)."""
    for _ in range(6):
        if span.within(key, edge + step):
            break
        step /= 2
    return abs(step)


def _bezier(p0, control, p1, u) -> np.ndarray:
    u = np.asarray(u, dtype=float)[:, None]
    return (1 - u) ** 2 * p0 + 2 * (1 - u) * u * control + u**2 * p1


def _bezier_tangent(p0, control, p1, u: float) -> np.ndarray:
    return 2 * (1 - u) * (control - p0) + 2 * u * (p1 - control)


def fit(points: list[tuple[float, float]], width: int, height: int,
        max_zoom: float, min_zoom: float = 0.5) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) that shows every point in a map of width × height
    pixels, with room around them for labels and fades."""
    lon, lat = np.array(points, dtype=float).T
    x, y = project(lon, lat)
    span_x, span_y = max(float(np.ptp(x)), 1e-9), max(float(np.ptp(y)), 1e-9)
    zoom = math.log2(min((width - 2 * PAD_PX) / span_x, (height - 2 * PAD_PX) / span_y))
    zoom = max(min_zoom, min(max_zoom, zoom))
    # At the widest zoom a world-spanning view may still not fit (a phone): then the map
    # shows where most of the points are, not the empty middle between far-apart ones.
    shown = 2**zoom
    centre = unproject(_densest(x, (width - 2 * PAD_PX) / shown, width / shown),
                       _densest(y, (height - 2 * PAD_PX) / shown, height / shown))
    return round(on_the_world(float(centre[0])), 4), round(float(centre[1]), 4), round(zoom, 2)


def _densest(values: np.ndarray, window: float, whole: float) -> float:
    """The middle of the values when the whole map (`whole` wide) holds them all, margins
    given up; else the middle of the most values a `window` (the map less its margins)
    holds, the first such window when several hold as many."""
    ordered = np.sort(values)
    if ordered[-1] - ordered[0] <= whole:
        return float(ordered[0] + ordered[-1]) / 2
    ends = np.searchsorted(ordered, ordered + window, side="right")
    start = int(np.argmax(ends - np.arange(len(ordered))))
    return float(ordered[start] + ordered[ends[start] - 1]) / 2
