"""Places a user locates by hand on the upload page: gazetteer candidates for a place string,
typed coordinates checked, and the result as a geocache file to keep."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from routes_dash.contract.problems import Problem
from routes_dash.places.countries import find_country
from routes_dash.places.files import cache_text
from routes_dash.places.records import USER, Candidate, Resolution, now_utc, place_key

if TYPE_CHECKING:
    from routes_dash.places.gazetteer import Gazetteer

FIX_COLUMNS = ["place", "lat", "lon", "country", "resolved_name"]


def candidates(
    place: str, limit: int = 10, *, gazetteer: Gazetteer | None = None
) -> tuple[Candidate, ...]:
    """The gazetteer's candidates for a place string, best first (empty when none): places
    of that name, else places spelled like it, closest first. Each is labelled with its
    province and country: "Kunming, Yunnan, China (population 1,023,674)"."""
    # Imported on the first search: the fixer shows only for an upload with places not found.
    from routes_dash.places.gazetteer import default_gazetteer

    gazetteer = gazetteer or default_gazetteer()
    found = gazetteer.search(place, limit=limit).locations or gazetteer.similar(place, limit)
    out = []
    for location in found:
        raw = location.raw
        where = [raw["name"], raw.get("admin1_name"), raw["country"]]
        label = ", ".join(dict.fromkeys(w for w in where if w))  # "Seoul, Seoul, …" once
        if raw.get("population"):
            label += f" (population {raw['population']:,})"
        out.append(Candidate(
            raw["name"], raw["country"], location.latitude, location.longitude,
            raw.get("population"), raw.get("admin1", ""), raw.get("geonameid"), raw["match"],
            label,
        ))
    return tuple(out)


def picked(place: str, candidate: Candidate) -> pd.DataFrame:
    """The fix (place, lat, lon, country, resolved_name) of a place located by picking one of
    its candidates."""
    return pd.DataFrame([{"place": place, "lat": candidate.lat, "lon": candidate.lon,
                          "country": candidate.country,
                          "resolved_name": f"{candidate.label} (picked by hand)"}],
                        columns=FIX_COLUMNS)


def legs_using(legs: pd.DataFrame, places: Iterable[str], listed: int = 3) -> pd.DataFrame:
    """For each place (as `place_key` matches it): `legs`, how many legs start or end there,
    and `used_by`, the first few of them ("kim · leg 2; lee · leg 1 and 3 more")."""
    wanted = {place_key(p): p for p in places}
    ends = pd.concat([legs[["person", "leg", end]].rename(columns={end: "place"})
                      for end in ("from", "to")])
    ends["place"] = ends["place"].map(lambda p: wanted.get(place_key(p)))
    ends = ends.dropna(subset=["place"]).drop_duplicates(["person", "leg", "place"])
    ends = ends.sort_values(["person", "leg"], kind="stable")
    ends["label"] = ends["person"].astype(str) + " · leg " + ends["leg"].astype(str)
    grouped = ends.groupby("place", sort=False)["label"]
    counts = grouped.size()
    first = grouped.agg(lambda labels: "; ".join(labels.iloc[:listed]))
    more = (counts - listed).clip(lower=0)
    used_by = first + more.map(lambda n: f" and {n:,} more" if n else "")
    out = pd.DataFrame({"legs": counts, "used_by": used_by})
    out = out.reindex(list(wanted.values())).fillna({"legs": 0, "used_by": "no leg"})
    return out.astype({"legs": int})


def hand_located(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of a "fix places" editor (place, lat, lon) that a user filled in, checked.

    Returns the usable fixes (place, lat, lon, country, resolved_name) and one problem per
    row whose coordinates cannot be a point on Earth; rows left empty are skipped.
    """
    fixes, problems = [], []
    for number, row in enumerate(rows.itertuples(index=False), start=1):
        if _blank(row.lat) and _blank(row.lon):
            continue
        lat, lon = _coordinate(row.lat), _coordinate(row.lon)
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(Problem(
                "places to fix", f"'{row.place}' needs a latitude from -90 to 90 and a longitude "
                f"from -180 to 180 (got {row.lat!r}, {row.lon!r})", row=number))
            continue
        country = find_country(str(row.place).rsplit(",", 1)[-1])
        fixes.append({"place": row.place, "lat": lat, "lon": lon,
                      "country": country.name if country else "",
                      "resolved_name": f"{row.place} (located by hand)"})
    return pd.DataFrame(fixes, columns=FIX_COLUMNS), problems


def _blank(value) -> bool:
    return value is None or value != value or str(value).strip() == ""  # NaN != NaN


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
