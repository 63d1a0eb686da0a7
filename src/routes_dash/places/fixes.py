"""Places a user locates by hand on the upload page: gazetteer candidates for a place string,
typed coordinates checked, and the result as a geocache file to keep."""

from __future__ import annotations

import math

import pandas as pd

from routes_dash.contract.problems import Problem
from routes_dash.places.countries import find_country
from routes_dash.places.files import cache_text
from routes_dash.places.gazetteer import Gazetteer, default_gazetteer
from routes_dash.places.records import USER, Candidate, Resolution, now_utc


def candidates(
    place: str, limit: int = 10, *, gazetteer: Gazetteer | None = None
) -> tuple[Candidate, ...]:
    """The gazetteer's candidates for a place string, best first (empty when none)."""
    gazetteer = gazetteer or default_gazetteer()
    found = gazetteer.search(place, limit=limit).locations or gazetteer.similar(place, limit)
    out = []
    for location in found:
        raw = location.raw
        details = [d for d in (raw.get("admin1"),) if d]
        if raw.get("population"):
            details.append(f"population {raw['population']:,}")
        label = location.address + (f" ({'; '.join(details)})" if details else "")
        out.append(Candidate(
            raw["name"], raw["country"], location.latitude, location.longitude,
            raw.get("population"), raw.get("admin1", ""), raw.get("geonameid"), raw["match"],
            label,
        ))
    return tuple(out)


def hand_located(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of a "fix places" editor (place, lat, lon) that a user filled in, checked.

    Returns the usable fixes (place, lat, lon, country, resolved_name) and one problem per
    row whose coordinates cannot be a point on Earth; rows left empty are skipped.
    """
    fixes, problems = [], []
    for number, row in enumerate(rows.itertuples(index=False), start=1):
        lat, lon = _coordinate(row.lat), _coordinate(row.lon)
        if lat is None and lon is None:
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(Problem(
                "places to fix", f"'{row.place}' needs a latitude from -90 to 90 and a longitude "
                f"from -180 to 180 (got {row.lat!r}, {row.lon!r})", row=number))
            continue
        country = find_country(str(row.place).rsplit(",", 1)[-1])
        fixes.append({"place": row.place, "lat": lat, "lon": lon,
                      "country": country.name if country else "",
                      "resolved_name": f"{row.place} (located by hand)"})
    columns = ["place", "lat", "lon", "country", "resolved_name"]
    return pd.DataFrame(fixes, columns=columns), problems


def _coordinate(value) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def cache_csv(fixes: pd.DataFrame) -> bytes:
    """Hand-located places in the cache file's format, to keep beside a legs file."""
    when = now_utc()
    return cache_text(
        Resolution(r.place, r.lat, r.lon, r.country, USER, r.resolved_name, when)
        for r in fixes.itertuples(index=False)
    ).encode("utf-8")
