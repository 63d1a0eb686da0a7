"""Places known only as an area: which area (a country, a province, else the vicinity of a
point), and where a line meets its edge. Pure numpy over the bundled polygons.

`static/areas.geojson` holds every country of the basemap and the provinces of the region
(Natural Earth, built by tools/build_areas.py). A place at `country` level is its country's
polygon; at `province` level, the province whose name it gives (`Jilin Province, China`,
`North Hamgyong Province, North Korea`); a place no polygon describes (a sea area, a
province of a country not bundled) is the vicinity of its point, a disc. The map shades the
area and ends a leg at its edge, so that no leg reads as reaching a spot the data does not
give.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import orjson
import pandas as pd

from routes_dash import bundled
from routes_dash.journeys.grouping import first_rows, group_codes
from routes_dash.places.countries import find_country

AREA_LEVELS = ("province", "country")
# The radius of a place's vicinity when no polygon describes it, by level (km).
VICINITY_KM = {"province": 60.0, "country": 200.0}
_VICINITY_SIDES = 32
# Words that say what kind of area a name is, not which: "Jilin Province" is "Jilin".
_KIND_WORDS = {"province", "autonomous", "region", "do", "sheng", "special", "city",
               "municipality", "prefecture", "oblast", "krai", "kray", "state", "the"}


@dataclass(frozen=True)
class Area:
    """A country, a province or a point's vicinity, as the map shades it."""

    key: str  # country:<name>, province:<country>:<name> or near:<lon>,<lat>,<km>
    name: str
    kind: str  # country, province or vicinity
    label: tuple[float, float]  # lon, lat: a point well inside
    rings: tuple[np.ndarray, ...]  # closed rings of (lon, lat), holes included
    tip: str = ""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        points = np.concatenate(self.rings)
        return (float(points[:, 0].min()), float(points[:, 1].min()),
                float(points[:, 0].max()), float(points[:, 1].max()))

    @functools.cached_property
    def ring_bounds(self) -> np.ndarray:
        """Each ring's (west, south, east, north), reduced over all rings at once (a
        country of a thousand islands took 10 ms ring by ring)."""
        points = np.concatenate(self.rings)
        starts = np.cumsum([0] + [len(ring) for ring in self.rings[:-1]])
        return np.column_stack([np.minimum.reduceat(points, starts),
                                np.maximum.reduceat(points, starts)])

    def contains(self, lon: float, lat: float) -> bool:
        """Whether (lon, lat) is inside (even-odd over every ring; a ring whose bounds leave
        the point out crosses its ray an even number of times, so it is skipped)."""
        bounds = self.ring_bounds
        near = np.flatnonzero((bounds[:, 0] <= lon) & (lon <= bounds[:, 2])
                              & (bounds[:, 1] <= lat) & (lat <= bounds[:, 3]))
        inside = False
        for ring in (self.rings[i] for i in near.tolist()):
            x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
            spans = (y0 > lat) != (y1 > lat)
            with np.errstate(divide="ignore", invalid="ignore"):
                x_at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
            inside ^= bool(np.count_nonzero(spans & (lon < x_at)) % 2)
        return inside

    def crossings(self, start: tuple[float, float], end: tuple[float, float]) -> np.ndarray:
        """Where the straight line start → end crosses the area's edge, as fractions of its
        length (0 at start, 1 at end), in order."""
        (ax, ay), (bx, by) = start, end
        dx, dy = bx - ax, by - ay
        bounds = self.ring_bounds  # a ring apart from the line's box cannot cross it
        near = np.flatnonzero((bounds[:, 0] <= max(ax, bx)) & (min(ax, bx) <= bounds[:, 2])
                              & (bounds[:, 1] <= max(ay, by)) & (min(ay, by) <= bounds[:, 3]))
        found = []
        for ring in (self.rings[i] for i in near.tolist()):
            px, py = ring[:-1, 0], ring[:-1, 1]
            ex, ey = ring[1:, 0] - px, ring[1:, 1] - py
            denominator = dx * ey - dy * ex
            with np.errstate(divide="ignore", invalid="ignore"):
                t = ((px - ax) * ey - (py - ay) * ex) / denominator
                u = ((px - ax) * dy - (py - ay) * dx) / denominator
            hit = (denominator != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u < 1)
            found.append(t[hit])
        return np.sort(np.concatenate(found)) if found else np.array([])


def fold(name: str) -> str:
    """A name as areas are matched: accents, case, apostrophes and kind words dropped
    (`Hamgyŏng-bukto` → `hamgyongbukto`, `North Hamgyong Province` → `northhamgyong`)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"['’`]", "", plain.lower())
    words = re.sub(r"[^a-z0-9]+", " ", words).split()
    return "".join(w for w in words if w not in _KIND_WORDS)


@functools.cache
def _bundled() -> tuple[dict[str, tuple[dict, tuple[np.ndarray, ...]]],
                        dict[str, dict[str, str]], dict[str, str]]:
    """(properties and rings by key, province keys by country and folded alias, country key
    by ISO numeric code), read once per process.

    The rings are arrays at once: kept as the parsed JSON's lists, their 55,000 points would
    be 55,000 lists that Python's garbage collector walks on each full pass, for good."""
    features = orjson.loads(bundled.AREAS.read_bytes())["features"]
    by_key, provinces, by_code = {}, {}, {}
    for feature in features:
        p, geometry = feature["properties"], feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        by_key[p["key"]] = (p, tuple(np.asarray(ring, dtype=float)
                                     for polygon in polygons for ring in polygon))
        for alias in filter(None, p["aliases"].split("|")):
            provinces.setdefault(p["country"], {}).setdefault(alias, p["key"])
        if p.get("iso_n3"):
            by_code[p["iso_n3"]] = p["key"]
    return by_key, provinces, by_code


@functools.lru_cache(maxsize=1024)
def area(key: str) -> Area:
    """The area of a key `area_key` gave."""
    if key.startswith("near:"):
        return _vicinity(key)
    p, rings = _bundled()[0][key]
    return Area(key, p["name"], p["kind"], (p["label_lon"], p["label_lat"]), rings, p["tip"])


def countries() -> list[Area]:
    """Every country of the basemap, in its order."""
    return [area(key) for key, (p, _) in _bundled()[0].items() if p["kind"] == "country"]


def area_key(place: str, country: str, level: str, lon: float, lat: float) -> str:
    """The key of the area a place shown at `level` is: its country's, the province it
    names, or (when no polygon describes it: a sea area, a town shown at province level)
    its point's vicinity. Empty for a point place."""
    if level not in AREA_LEVELS or lon != lon or lat != lat:
        return ""
    _, provinces, by_code = _bundled()
    found = find_country(country) if country else None
    country_key = by_code.get(f"{found.iso_numeric:03d}") if found else None
    if level == "country" and country_key:
        return country_key
    if level == "province" and country_key:
        named = provinces.get(country_key.removeprefix("country:"), {})
        key = named.get(fold(place.split(",")[0]))
        if key is not None:
            return key
    return f"near:{lon:.3f},{lat:.3f},{VICINITY_KM[level]:g}"


def end_areas(legs: pd.DataFrame, end: str) -> pd.Series:
    """The area key of each leg's `end` ("from" or "to"), empty where it is a point."""
    columns = [end, f"{end}_country", f"{end}_level", f"{end}_lon", f"{end}_lat"]
    keys = np.full(len(legs), "", dtype=object)
    # Only an end shown at an area's level is an area: the others are grouped not at all
    # (grouping every end of 100,000 legs by five columns took 25 ms).
    coarse = legs[f"{end}_level"].isin(AREA_LEVELS).to_numpy(dtype=bool)
    if coarse.any():
        shown = legs.loc[coarse, columns]
        codes = group_codes(shown, columns)
        distinct = first_rows(shown, codes, columns).itertuples(index=False, name=None)
        keys[coarse] = np.array([area_key(*values) for values in distinct], dtype=object)[codes]
    return pd.Series(keys, index=legs.index, dtype=object)


def _vicinity(key: str) -> Area:
    lon, lat, km = (float(v) for v in key.removeprefix("near:").split(","))
    angles = np.linspace(0, 2 * math.pi, _VICINITY_SIDES + 1)
    degrees = km / 111.32
    ring = np.column_stack([lon + degrees * np.cos(angles) / max(math.cos(math.radians(lat)),
                                                                  0.1),
                            lat + degrees * np.sin(angles)])
    return Area(key, f"within about {km:g} km", "vicinity", (lon, lat), (ring,),
                f"A place known only roughly: somewhere within about {km:g} km of here.")
