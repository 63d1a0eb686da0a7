"""Synthetic journeys for load tests: `./dev synth --legs N --out DIR`.

Writes a valid data folder (legs.csv, people.csv, geocache.csv) of exactly N legs, built
along the common routes defectors take:

- the South-east Asia route: north-east China → Kunming → Mengla → Boten (Laos) → Luang
  Namtha → Huay Xai → across the Mekong by boat → Chiang Khong or Chiang Saen (Thailand) →
  Bangkok immigration detention → a flight to Seoul; some are caught in Laos instead and held
  in Vientiane;
- the Mongolia route: Beijing → Erenhot → on foot across the border near Zamyn-Uud →
  Mongolian guards → Ulaanbaatar → a flight to Seoul; some turn back;
- the embassy route in Beijing;
- repatriation: Chinese detention in Tumen city → handed over at Namyang (Onsong county),
  detention in North Korea, release, and often another attempt.

Every place is resolved through the bundled places chain (curated places and the offline
gazetteer) and written as the folder's geocode cache, so the app looks nothing up. The
people are fictional: ids `synth-000001`, names "Synthetic person 1", certainty
`inferred`, source "synthetic". About one person in six is anonymised;
their legs are written at country level, as the curated data does for Ji-young. The same
seed always gives the same files. The years journeys start are weighted by the yearly
arrivals in South Korea (the bundled arrivals.csv). A legs file stays within the loader's
size limit: near the row limit (250,000) its notes are left out.

With `--places N`, journeys also pass through up to N more towns, the most populous of the
bundled gazetteer in the countries of these routes (a share each, see TOWN_SHARES): people
set out from all over North Korea, hide all over China, and stop in Laotian and Thai towns
on the way south. Real data names many distinct places, and the map and the filters grow
with them, not only with legs.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routes_dash import bundled
from routes_dash.contract import schema
from routes_dash.places import gazetteer
from routes_dash.places.files import CACHE_FILE, cache_text, data_paths
from routes_dash.places.resolver import Resolver, distinct_places

SOURCE = "synthetic"
CERTAINTY = "inferred"  # fictional legs: no source vouches for them
DEFAULT_SEED = 8

# The arrivals up to 1998 have no yearly split: they are spread evenly over these years,
# an assumption.
EARLY_YEARS = range(1995, 1999)


def arrival_weights() -> dict[int, float]:
    """Year → how many defectors arrived in South Korea (the bundled arrivals.csv)."""
    arrivals = pd.read_csv(bundled.DATA / "arrivals.csv")
    cumulative = arrivals["note"].fillna("").str.contains("cumulative")
    weights = {year: float(arrivals.loc[cumulative, "arrivals"].sum()) / len(EARLY_YEARS)
               for year in EARLY_YEARS}
    weights.update(zip(arrivals.loc[~cumulative, "year"].astype(int),
                       arrivals.loc[~cumulative, "arrivals"].astype(float), strict=True))
    return weights


ARRIVALS = arrival_weights()
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

# With --places: each country's share of the extra towns, and how often a journey goes
# through one of them instead of the common waypoint (home, hideout, stop on the way).
TOWN_SHARES = {"North Korea": 0.15, "China": 0.65, "Laos": 0.05, "Thailand": 0.15}
TOWN_CODES = {"North Korea": "KP", "China": "CN", "Laos": "LA", "Thailand": "TH"}
TOWN_ODDS = 0.6


@dataclass(frozen=True)
class Towns:
    """Extra towns by country, "Town, Country" as people write them (see `gazetteer_towns`)."""

    by_country: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(towns) for towns in self.by_country.values())


NO_TOWNS = Towns()

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

    def __init__(self, rng: random.Random, home: str, year: int, towns: Towns = NO_TOWNS):
        self.rng = rng
        self.here = home
        self.year = year
        self.towns = towns
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

    def town_or(self, country: str, usual: str) -> str:
        """Now and then one of the extra towns of `country` instead of the `usual` place
        (always `usual`, and no draw from the random stream, without extra towns)."""
        towns = self.towns.by_country.get(country)
        if not towns or self.rng.random() >= TOWN_ODDS:
            return usual
        return self.rng.choice(towns)


def journey(rng: random.Random, start_year: int, towns: Towns = NO_TOWNS) -> list[Leg]:
    """One fictional journey along the common routes, caught and repatriated on the way or not."""
    j = _Journey(rng, _home(rng), start_year, towns)
    j.here = j.town_or("North Korea", j.here)
    for attempt in range(3):
        _cross_into_china(j)
        if attempt < 2 and rng.random() < 0.12:
            _repatriate(j, then_release=True)
            continue
        if rng.random() < 0.15:
            j.go(_hideout(j, j.pick(*HIDEOUTS[:2])), "trafficked", "trafficked",
                 years=rng.randint(1, 3), note="Sold to traffickers; held for years.")
        if rng.random() < 0.2:
            j.go(_hideout(j, j.pick(*[h for h in HIDEOUTS if h != j.here])),
                 j.pick("bus", "train"), "hiding",
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


def _hideout(j: _Journey, usual: str) -> str:
    """Where in China they go to hide: the `usual` hideout, or one of the extra towns."""
    place = j.town_or("China", usual)
    return usual if place == j.here else place


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
    _to(j, j.town_or("Laos", j.here), "bus", "car")
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
    _to(j, j.town_or("Thailand", j.here), "bus", "car")
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
    j.go(_hideout(j, j.pick(*[h for h in HIDEOUTS if h != j.here])),
         j.pick("bus", "train", "unknown"), "hiding", years=j.rng.randint(1, 8),
         note="Still in hiding.")


def person_id(number: int) -> str:
    return f"synth-{number:06d}"


def _country(place: str) -> str:
    """The country part of a place written `Town, Country`."""
    return place.rsplit(",", 1)[-1].strip()


def gazetteer_towns(count: int) -> Towns:
    """`count` towns of the bundled gazetteer (fewer if it has fewer): each country's share
    of TOWN_SHARES, its most populous first, one per name, each one that the bundled places
    chain finds again by its "Town, Country" name."""
    if count <= 0:
        return NO_TOWNS
    codes = {code: country for country, code in TOWN_CODES.items()}
    found: dict[str, list[tuple[int, str]]] = {country: [] for country in TOWN_CODES}
    path = bundled.GAZETTEER / gazetteer.PLACES_FILE
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        next(stream), next(stream)  # the format line and the column names
        for line in stream:
            if line.startswith(gazetteer.INDEX_MARKER):
                break
            _, name, _, _, code, _, population, _ = line.split("\t")
            if code in codes and not set(name) & set(",()"):
                found[codes[code]].append((-int(population), name))
    wanted = {country: round(count * share) for country, share in TOWN_SHARES.items()}
    candidates = {}
    for country in TOWN_SHARES:
        places = dict.fromkeys(f"{name}, {country}" for _, name in sorted(found[country]))
        # Twice what is wanted: the chain does not find a few of the names.
        candidates[country] = list(places)[: wanted[country] * 2]
    resolver = Resolver(*data_paths(bundled.DATA))
    report = resolver.resolve([p for places in candidates.values() for p in places],
                              write=False)
    missed = {r.place for r in report.unresolved}
    return Towns({country: tuple(p for p in places if p not in missed)[: wanted[country]]
                  for country, places in candidates.items()})


def synthesize(legs: int, seed: int = DEFAULT_SEED, towns: Towns = NO_TOWNS
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exactly `legs` legs of fictional people: (legs, people) as the CSVs hold them.

    About one person in six is anonymised: their places are written as countries at
    `country` precision; a third of those have no known years, like Ji-young. `towns`
    (from `gazetteer_towns`) are places journeys may pass through besides the waypoints.
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
        route = journey(rng, start, towns)[: legs - len(rows)]
        anonymized = rng.random() < 1 / 6
        unknown_years = anonymized and rng.random() < 1 / 3
        for index, leg in enumerate(route, start=1):
            start_place, end_place, precision = leg.start, leg.end, ""  # city, the default
            if anonymized:
                start_place, end_place = _country(leg.start), _country(leg.end)
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
    return legs_frame, people_frame


def cache_for(legs: pd.DataFrame) -> str:
    """The geocode cache of every place the legs name, resolved through the bundled chain.
    Raises ValueError when a place does not resolve: the routes name only known places."""
    # No wall-clock time in the files: the same seed gives the same bytes.
    resolver = Resolver(*data_paths(bundled.DATA), clock=lambda: "")
    report = resolver.resolve(distinct_places(legs), write=False)
    if report.unresolved:
        raise ValueError("places the bundled chain does not resolve: "
                         + ", ".join(r.place for r in report.unresolved))
    return cache_text(report.places)


def write_folder(out: str | Path, legs: int, seed: int = DEFAULT_SEED, places: int = 0
                 ) -> Path:
    """Write legs.csv, people.csv and geocache.csv of `legs` synthetic legs into `out`,
    through up to `places` extra towns of the gazetteer."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    legs_frame, people_frame = synthesize(legs, seed, gazetteer_towns(places))
    text = legs_frame.to_csv(index=False)
    if len(text.encode()) > schema.MAX_FILE_BYTES:
        # Near the row limit the notes would take the file past the loader's size limit:
        # without them, as a lean real file at the limit would be.
        text = legs_frame.assign(note="").to_csv(index=False)
    (folder / "legs.csv").write_text(text, encoding="utf-8")
    people_frame.to_csv(folder / "people.csv", index=False)
    (folder / CACHE_FILE).write_text(cache_for(legs_frame), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    """`./dev synth --legs N --out DIR [--seed S] [--places P]`."""
    parser = argparse.ArgumentParser(
        prog="./dev synth", description="write a data folder of N synthetic legs along the "
        "common routes")
    parser.add_argument("--legs", type=int, required=True, help="how many legs, e.g. 100000")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"the same seed gives the same files (default {DEFAULT_SEED})")
    parser.add_argument("--places", type=int, default=0,
                        help="journeys also pass through up to this many towns of the bundled "
                             "gazetteer (default 0: the common routes' waypoints only)")
    args = parser.parse_args(argv)
    if not 1 <= args.legs <= schema.MAX_ROWS:
        print(f"--legs must be from 1 to {schema.MAX_ROWS:,} (the loader's limit)",
              file=sys.stderr)
        return 2
    if args.places < 0:
        print("--places must be 0 or more", file=sys.stderr)
        return 2
    folder = write_folder(args.out, args.legs, args.seed, args.places)
    people = len(pd.read_csv(folder / "people.csv", usecols=["person"]))
    places = len(pd.read_csv(folder / CACHE_FILE, usecols=["place"]))
    print(f"{folder}: wrote {args.legs:,} legs of {people:,} synthetic people through "
          f"{places:,} distinct places (seed {args.seed}): legs.csv, people.csv, geocache.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
