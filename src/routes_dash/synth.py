"""Synthetic journeys for load tests: `python -m routes_dash synth --legs N --out DIR`.

Writes a valid data folder (legs.csv, people.csv, places_curated.csv, geocache.csv) of exactly
N legs, built from the common routes in the project's research notes (journeys.md, "Common
routes"):

- the South-east Asia route: north-east China → Kunming → Mengla → Boten (Laos) → Luang
  Namtha → Huay Xai → across the Mekong by boat → Chiang Khong or Chiang Saen (Thailand) →
  Bangkok immigration detention → a flight to Seoul; some are caught in Laos instead and held
  in Vientiane;
- the Mongolia route: Beijing → Erenhot → on foot across the border near Zamyn-Uud →
  Mongolian guards → Ulaanbaatar → a flight to Seoul; some turn back;
- the embassy route in Beijing;
- repatriation: Chinese detention in Tumen city → handed over at Namyang (Onsong county),
  detention in North Korea, release, and often another attempt.

Every place it uses has the coordinates given in journeys.md ("Waypoints"), written as the
folder's curated places and, resolved, in its geocode cache, so the app needs no geocoding.
The people are fictional: ids `synth-000001`, names "Synthetic person 1", certainty
`uncertain`, source "synthetic: routes_dash synth". About one person in six is anonymised;
their legs are written at country level, as the curated data does for Ji-young. The same
seed always gives the same files.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from routes_dash import schema

SOURCE = "synthetic: routes_dash synth"
CERTAINTY = "uncertain"
DEFAULT_SEED = 8

NK, CN, LA, TH, MN, KR = "North Korea", "China", "Laos", "Thailand", "Mongolia", "South Korea"

# Waypoints from journeys.md, as a place is written in legs.csv: (lat, lon, country).
WAYPOINTS: dict[str, tuple[float, float, str]] = {
    "Hyesan, North Korea": (41.40, 128.18, NK),
    "Changbai, China": (41.42, 128.20, CN),
    "Hoeryong, North Korea": (42.44, 129.75, NK),
    "Musan, North Korea": (42.23, 129.21, NK),
    "Onsong, North Korea": (42.96, 129.99, NK),
    "Namyang, North Korea": (42.95, 129.86, NK),
    "Tumen, China": (42.97, 129.84, CN),
    "Yanji, China": (42.89, 129.50, CN),
    "Chongjin, North Korea": (41.80, 129.78, NK),
    "Pyongyang, North Korea": (39.03, 125.75, NK),
    "Pyongsong, North Korea": (39.25, 125.87, NK),
    "Shenyang, China": (41.81, 123.43, CN),
    "Dalian, China": (38.91, 121.61, CN),
    "Qingdao, China": (36.07, 120.38, CN),
    "Beijing, China": (39.90, 116.40, CN),
    # Not in the waypoints: the curated geocache's point for the mission (deliberately neutral
    # name, as embassy vs consulate is disputed in the curated data).
    "South Korean mission, Beijing, China": (39.95, 116.46, CN),
    "Kunming, China": (25.04, 102.71, CN),
    "Mengla, China": (21.46, 101.56, CN),
    "Boten, Laos": (21.18, 101.68, LA),
    "Luang Namtha, Laos": (20.95, 101.40, LA),
    "Vientiane, Laos": (17.97, 102.61, LA),
    "Huay Xai, Laos": (20.28, 100.41, LA),
    "Chiang Khong, Thailand": (20.26, 100.41, TH),
    "Chiang Saen, Thailand": (20.27, 100.09, TH),
    "Chiang Rai, Thailand": (19.91, 99.84, TH),
    "Bangkok, Thailand": (13.76, 100.50, TH),
    "Erenhot, China": (43.65, 111.98, CN),
    "Zamyn-Uud, Mongolia": (43.72, 111.90, MN),
    "Ulaanbaatar, Mongolia": (47.92, 106.92, MN),
    "Seoul, South Korea": (37.57, 126.98, KR),
    "Incheon airport, South Korea": (37.46, 126.44, KR),
}
# Where a country-level place is drawn: the bundled countries.csv points (the basemap's
# label points), as the geocoder draws a bare country.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    NK: (39.872, 126.421), CN: (32.456, 109.464), LA: (19.641, 102.57),
    TH: (15.461, 101.368), MN: (46.047, 104.832), KR: (36.33, 128.107),
}
# The points are written by hand from the research notes, so the folder lists them as its
# curated places (places_curated.csv) and its geocode cache holds their resolutions, as
# `python -m routes_dash geocode` would write them: the app finds every place in the cache
# and looks nothing up. Columns as routes_dash.geocode.CURATED_COLUMNS and CACHE_COLUMNS.
CURATED_COLUMNS = ["place", "lat", "lon", "country", "precision", "note", "source"]
CACHE_COLUMNS = ["place", "lat", "lon", "country", "provider", "resolved_name", "looked_up_at"]
WAYPOINT_SOURCE = "project research notes (journeys.md waypoints); synthetic data"
COUNTRY_SOURCE = "data/gazetteer/countries.csv (basemap label point); synthetic data"

# Yearly arrivals in South Korea (data/arrivals.csv, Ministry of Unification) weight the year
# a journey starts. The 947 arrivals up to 1998 have no yearly split: 1995–1998 get a flat
# 120 each, an assumption.
ARRIVALS = {
    1995: 120, 1996: 120, 1997: 120, 1998: 120, 1999: 148, 2000: 312, 2001: 583, 2002: 1142,
    2003: 1285, 2004: 1898, 2005: 1384, 2006: 2028, 2007: 2554, 2008: 2803, 2009: 2914,
    2010: 2402, 2011: 2706, 2012: 1502, 2013: 1514, 2014: 1397, 2015: 1275, 2016: 1418,
    2017: 1127, 2018: 1137, 2019: 1047, 2020: 229, 2021: 63, 2022: 67, 2023: 196, 2024: 236,
}
LAST_YEAR = max(ARRIVALS)

# Where journeys start, and how often: most people who leave come from the border provinces.
HOMES = {"Hyesan, North Korea": 4, "Musan, North Korea": 2, "Hoeryong, North Korea": 2,
         "Onsong, North Korea": 1, "Chongjin, North Korea": 2, "Pyongyang, North Korea": 1,
         "Pyongsong, North Korea": 1}
# (North Korean town, Chinese town across the river or just beyond it, how often).
CROSSINGS = (
    ("Hyesan, North Korea", "Changbai, China", 4),
    ("Namyang, North Korea", "Tumen, China", 2),
    ("Onsong, North Korea", "Tumen, China", 1),
    ("Musan, North Korea", "Yanji, China", 2),
    ("Hoeryong, North Korea", "Yanji, China", 2),
)
HIDEOUTS = ("Yanji, China", "Shenyang, China", "Dalian, China", "Qingdao, China")
# The last part of a journey and how often it is taken.
ENDINGS = (("south-east asia", 40), ("mongolia", 12), ("embassy", 10),
           ("repatriated", 20), ("hiding", 18))

COLUMNS = ["person", "leg", "from", "to", "mode", "year", "outcome", "year_end", "precision",
           "certainty", "source", "note"]


@dataclass(frozen=True)
class Leg:
    start: str
    end: str
    mode: str
    outcome: str
    year: int
    year_end: int | None = None
    note: str = ""


class _Journey:
    """One person's legs, written in order; `here` and `year` are where and when they are."""

    def __init__(self, rng: random.Random, home: str, year: int):
        self.rng = rng
        self.here = home
        self.year = year
        self.legs: list[Leg] = []

    def go(self, to: str, mode: str, outcome: str, *, years: int = 0, note: str = "") -> None:
        year = min(self.year, LAST_YEAR)
        end = min(self.year + years, LAST_YEAR) if years else None
        self.legs.append(Leg(self.here, to, mode, outcome, year, end, note))
        self.here = to
        self.year = end if end is not None else year

    def later(self, most: int) -> None:
        self.year = min(self.year + self.rng.randint(0, most), LAST_YEAR)

    def pick(self, *options):
        return self.rng.choice(options)


def journey(rng: random.Random, start_year: int) -> list[Leg]:
    """One fictional journey along the common routes, caught and repatriated on the way or not."""
    j = _Journey(rng, _home(rng), start_year)
    for attempt in range(3):
        _cross_into_china(j)
        if attempt < 2 and rng.random() < 0.12:
            _repatriate(j, then_release=True)
            continue
        if rng.random() < 0.15:
            j.go(j.pick(*HIDEOUTS[:2]), "trafficked", "trafficked", years=rng.randint(1, 3),
                 note="Sold to traffickers; held for years.")
        if rng.random() < 0.2:
            j.go(j.pick(*[h for h in HIDEOUTS if h != j.here]), j.pick("bus", "train"), "hiding",
                 years=rng.randint(1, 6), note="In hiding under a false identity.")
        if attempt < 2 and rng.random() < 0.06:
            _repatriate(j, then_release=True)
            continue
        break
    ending = rng.choices([e for e, _ in ENDINGS], weights=[w for _, w in ENDINGS])[0]
    {"south-east asia": _south_east_asia, "mongolia": _mongolia, "embassy": _embassy,
     "repatriated": lambda j: _repatriate(j, then_release=False),
     "hiding": _still_hiding}[ending](j)
    return j.legs


def _cross_into_china(j: _Journey) -> None:
    if j.here not in (nk for nk, _, _ in CROSSINGS):
        nk_town = j.rng.choices(CROSSINGS, weights=[c[2] for c in CROSSINGS])[0][0]
        j.go(nk_town, j.pick("train", "train", "bus", "car"), "arrived")
    cn_town = _across(j.here)
    note = "Across the river, then on to Yanji." if cn_town == "Yanji, China" else ""
    j.go(cn_town, j.pick("river crossing", "river crossing", "river crossing", "on foot"),
         "crossed", note=note)


def _home(rng: random.Random, other_than: str = "") -> str:
    homes = [h for h in HOMES if h != other_than]
    return rng.choices(homes, weights=[HOMES[h] for h in homes])[0]


def _across(nk_town: str) -> str:
    return next(cn for nk, cn, _ in CROSSINGS if nk == nk_town)


def _repatriate(j: _Journey, *, then_release: bool) -> None:
    """Caught in China, handed over at Namyang, held in Onsong county; maybe released."""
    j.go("Tumen, China", "detention transfer", "caught", note="Caught by Chinese police.")
    j.go("Namyang, North Korea", "deportation", "repatriated")
    j.go("Onsong, North Korea", "detention transfer", "detained",
         years=j.rng.randint(0, 2))
    if then_release:
        j.year = min(j.year + 1, LAST_YEAR)
        j.go(_home(j.rng, j.here), j.pick("train", "unknown"), "released")
        j.later(2)


def _to(j: _Journey, place: str, *modes: str) -> None:
    if j.here != place:
        j.go(place, j.pick(*modes), "arrived")


def _south_east_asia(j: _Journey) -> None:
    _to(j, "Kunming, China", "train", "train", "bus")
    if j.rng.random() < 0.3:  # told in full: every stop on the way to the Mekong
        j.go("Mengla, China", "bus", "arrived")
        j.go("Boten, Laos", "on foot", "crossed", note="Through the hills past the border post.")
        j.go("Luang Namtha, Laos", j.pick("car", "bus"), "arrived")
    else:
        j.go("Luang Namtha, Laos", "car", "crossed",
             note="Smuggled across the border at Mohan-Boten.")
    if j.rng.random() < 0.12:
        j.go("Vientiane, Laos", "detention transfer", "detained", note="Caught in Laos.")
        j.go(j.pick("Seoul, South Korea", "Incheon airport, South Korea"), "plane", "resettled")
        return
    if j.rng.random() < 0.3:
        j.go("Huay Xai, Laos", "bus", "arrived")
    j.go(j.pick("Chiang Khong, Thailand", "Chiang Saen, Thailand"), "boat", "crossed",
         note="Across the Mekong by boat.")
    if j.rng.random() < 0.2:
        j.go("Chiang Rai, Thailand", "car", "detained", note="Gave themselves up to Thai police.")
    j.go("Bangkok, Thailand", "detention transfer", "detained",
         note="Immigration detention, then asylum.")
    j.later(1)
    j.go(j.pick("Seoul, South Korea", "Incheon airport, South Korea"), "plane", "resettled")


def _mongolia(j: _Journey) -> None:
    _to(j, "Beijing, China", "train", "bus")
    j.go("Erenhot, China", j.pick("train", "bus"), "arrived")
    if j.rng.random() < 0.15:
        j.go("Zamyn-Uud, Mongolia", "on foot", "turned back",
             note="Turned back in the desert before the border.")
        j.here = "Erenhot, China"  # they never crossed
        _embassy(j)
        return
    j.go("Zamyn-Uud, Mongolia", "on foot", "caught", note="Picked up by Mongolian guards.")
    j.go("Ulaanbaatar, Mongolia", "detention transfer", "detained")
    j.go("Seoul, South Korea", "plane", "resettled")


def _embassy(j: _Journey) -> None:
    _to(j, "Beijing, China", "train", "bus")
    j.go("South Korean mission, Beijing, China", "car", "asylum", years=j.rng.randint(0, 1))
    j.go(j.pick("Seoul, South Korea", "Incheon airport, South Korea"), "plane", "resettled")


def _still_hiding(j: _Journey) -> None:
    j.go(j.pick(*[h for h in HIDEOUTS if h != j.here]), j.pick("bus", "train", "unknown"),
         "hiding", years=j.rng.randint(1, 8), note="Still in hiding.")


def person_id(number: int) -> str:
    return f"synth-{number:06d}"


def synthesize(legs: int, seed: int = DEFAULT_SEED
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Exactly `legs` legs of fictional people: (legs, people, curated places) as the CSVs
    hold them.

    About one person in six is anonymised: their places are written as countries at
    `country` precision; a third of those have no known years, like Ji-young.
    """
    if not 1 <= legs <= schema.MAX_ROWS:
        raise ValueError(f"legs must be from 1 to {schema.MAX_ROWS:,} (the loader's limit)")
    rng = random.Random(seed)
    years, weights = list(ARRIVALS), list(ARRIVALS.values())
    rows: list[tuple] = []
    people: list[tuple] = []
    number = 0
    while len(rows) < legs:
        number += 1
        pid = person_id(number)
        start = rng.choices(years, weights=weights)[0]
        route = journey(rng, start)[: legs - len(rows)]
        anonymized = rng.random() < 1 / 6
        unknown_years = anonymized and rng.random() < 1 / 3
        for index, leg in enumerate(route, start=1):
            start_place, end_place, precision = leg.start, leg.end, "city"
            if anonymized:
                start_place, end_place = WAYPOINTS[leg.start][2], WAYPOINTS[leg.end][2]
                precision = "country"
            year = "" if unknown_years else leg.year
            year_end = "" if unknown_years or leg.year_end is None else leg.year_end
            rows.append((pid, index, start_place, end_place, leg.mode, year, leg.outcome,
                         year_end, precision, CERTAINTY, SOURCE, leg.note))
        born = "" if anonymized else start - rng.randint(14, 45)
        people.append((pid, f"Synthetic person {number}", born, "true" if anonymized else "false",
                       f"A fictional journey of {len(route)} legs for load tests.", SOURCE))
    legs_frame = pd.DataFrame(rows, columns=COLUMNS)
    people_frame = pd.DataFrame(
        people, columns=["person", "name", "born", "anonymized", "summary", "source"])
    return legs_frame, people_frame, places_for(legs_frame)


def places_for(legs: pd.DataFrame) -> pd.DataFrame:
    """Every place the legs name, as curated places: waypoints (city) and countries."""
    rows = []
    for place in sorted(set(legs["from"]) | set(legs["to"])):
        if place in WAYPOINTS:
            lat, lon, country = WAYPOINTS[place]
            rows.append((place, lat, lon, country, "city", "", WAYPOINT_SOURCE))
        else:
            (lat, lon), country = COUNTRY_POINTS[place], place
            rows.append((place, lat, lon, country, "country", "", COUNTRY_SOURCE))
    return pd.DataFrame(rows, columns=CURATED_COLUMNS)


def cache_for(places: pd.DataFrame) -> pd.DataFrame:
    """The geocode cache of curated places: each resolved by the curated tier, as itself."""
    return pd.DataFrame({
        "place": places["place"], "lat": places["lat"], "lon": places["lon"],
        "country": places["country"], "provider": "curated", "resolved_name": places["place"],
        "looked_up_at": "",
    }, columns=CACHE_COLUMNS)


def write_folder(out: str | Path, legs: int, seed: int = DEFAULT_SEED) -> Path:
    """Write legs.csv, people.csv, places_curated.csv and geocache.csv of `legs` synthetic
    legs into `out`."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    legs_frame, people_frame, places = synthesize(legs, seed)
    legs_frame.to_csv(folder / "legs.csv", index=False)
    people_frame.to_csv(folder / "people.csv", index=False)
    places.to_csv(folder / "places_curated.csv", index=False)
    cache_for(places).to_csv(folder / "geocache.csv", index=False)
    return folder


def add_command(commands) -> None:
    """`python -m routes_dash synth …`, registered by cli.py."""
    parser = commands.add_parser(
        "synth", help="write a data folder of N synthetic legs along the common routes")
    parser.add_argument("--legs", type=int, required=True, help="how many legs, e.g. 100000")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"the same seed gives the same files (default {DEFAULT_SEED})")
    parser.set_defaults(run=_run)


def _run(args) -> int:
    if not 1 <= args.legs <= schema.MAX_ROWS:
        print(f"--legs must be from 1 to {schema.MAX_ROWS:,} (the loader's limit)",
              file=sys.stderr)
        return 2
    folder = write_folder(args.out, args.legs, args.seed)
    people = len(pd.read_csv(folder / "people.csv", usecols=["person"]))
    print(f"{folder}: wrote {args.legs:,} legs of {people:,} synthetic people "
          f"(seed {args.seed}): legs.csv, people.csv, places_curated.csv, geocache.csv")
    return 0
