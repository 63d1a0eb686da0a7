"""The provider chain: curated → cache → offline gazetteer → online, and what is kept."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from routes_dash.contract.load import read_legs
from routes_dash.contract.problems import DataError
from routes_dash.places import countries, files, fixes, records, resolver
from routes_dash.places.files import read_cache, read_curated, write_cache
from routes_dash.places.gazetteer import Gazetteer
from routes_dash.places.online import LookupFailed
from routes_dash.places.records import LookupFailure, Resolution
from routes_dash.places.resolver import Resolver

FIXTURES = Path(__file__).parent / "fixtures"
CURATED_HEADER = "place,lat,lon,country,precision,note,source\n"


class CountingGazetteer(Gazetteer):
    """The real gazetteer, counting the lookups made."""

    def __init__(self):
        super().__init__()
        self.searched: list[str] = []

    def geocode(self, query, **kwargs):
        self.searched.append(query)
        return super().geocode(query, **kwargs)


class FakeOnline:
    """Stands in for OnlineGeocoder: answers from a dict, counts lookups."""

    provider = "nominatim"

    def __init__(self, answers=None, fail=None):
        self.answers = answers or {}
        self.fail = fail or set()
        self.looked_up: list[str] = []

    def lookup(self, place, country_code=None):
        self.looked_up.append(place)
        if place in self.fail:
            raise LookupFailed(LookupFailure(place, self.provider, "GeocoderTimedOut", "slow"))
        if place in self.answers:
            lat, lon = self.answers[place]
            return _location(place, lat, lon)
        return None


def _location(place, lat, lon):
    from geopy.location import Location

    raw = {"display_name": f"{place} (online)", "address": {"country_code": "kr"}}
    return Location(f"{place} (online)", (lat, lon), raw)


@pytest.fixture(autouse=True)
def _fresh_memory():
    resolver.forget_lookups()
    yield
    resolver.forget_lookups()


@pytest.fixture
def curated_file(tmp_path) -> Path:
    path = tmp_path / "places_curated.csv"
    path.write_text(
        CURATED_HEADER
        + '"Incheon, South Korea",37.46,126.44,South Korea,exact,the airport,test\n'
        + '"Secret camp, North Korea",39.8,126.9,DPRK,city,approximate,test\n',
        encoding="utf-8",
    )
    return path


def chain(tmp_path, curated=None, online=None, gazetteer=None) -> Resolver:
    return Resolver(tmp_path / "geocache.csv", curated, gazetteer=gazetteer or CountingGazetteer(),
                    online=online)


# --- the order of the chain ---------------------------------------------------------------


def test_curated_wins_over_the_gazetteer(tmp_path, curated_file):
    report = chain(tmp_path, curated_file).resolve(["Incheon, South Korea"])
    (place,) = report.places
    assert (place.lat, place.lon, place.provider) == (37.46, 126.44, "curated")
    # The gazetteer alone would have said the city centre, 25 km east.
    assert Gazetteer().geocode("Incheon, South Korea").longitude == pytest.approx(126.7, abs=0.05)


def test_curated_countries_are_written_as_countries_csv_names_them(tmp_path, curated_file):
    report = chain(tmp_path, curated_file).resolve(["Secret camp, North Korea"])
    assert report.places[0].country == "North Korea"  # the file says "DPRK"


def test_curated_wins_over_the_cache(tmp_path, curated_file):
    write_cache(tmp_path / "geocache.csv",
                [Resolution("Incheon, South Korea", 37.45, 126.7, "South Korea", "gazetteer")])
    report = chain(tmp_path, curated_file).resolve(["Incheon, South Korea"])
    assert report.places[0].provider == "curated"
    assert report.providers == {"curated": 1}
    assert read_cache(tmp_path / "geocache.csv")["incheon, south korea"].lon == 126.44


def test_the_cache_wins_over_the_gazetteer(tmp_path):
    write_cache(tmp_path / "geocache.csv",
                [Resolution("Seoul, South Korea", 1.0, 2.0, "South Korea", "hand")])
    finder = CountingGazetteer()
    report = chain(tmp_path, gazetteer=finder).resolve(["Seoul, South Korea"])
    assert (report.places[0].lat, report.places[0].lon) == (1.0, 2.0)
    assert report.from_cache == ("Seoul, South Korea",)
    assert finder.searched == []


def test_the_gazetteer_comes_before_the_online_geocoder(tmp_path):
    online = FakeOnline({"Nowhere village, South Korea": (36.0, 127.0)})
    report = chain(tmp_path, online=online).resolve(
        ["Seoul, South Korea", "Nowhere village, South Korea"]
    )
    providers = {r.place: r.provider for r in report.places}
    assert providers == {"Seoul, South Korea": "gazetteer",
                         "Nowhere village, South Korea": "nominatim"}
    assert online.looked_up == ["Nowhere village, South Korea"]
    assert report.places[1].country == "South Korea"


def test_no_online_lookup_unless_asked(tmp_path):
    report = chain(tmp_path).resolve(["Nowhere village, South Korea"])
    (miss,) = report.places
    assert not miss.resolved
    assert miss.provider == "miss:gazetteer"
    assert miss.country == "South Korea"  # the country part is still known
    assert "no place called 'Nowhere village' in South Korea" in report.reason(miss.place)


# --- keeping results and misses -----------------------------------------------------------


def test_a_second_run_looks_nothing_up(tmp_path, curated_file):
    places = ["Hyesan, North Korea", "Incheon, South Korea", "Atlantis, China", "Laos"]
    first = chain(tmp_path, curated_file).resolve(places)
    assert len(first.looked_up) == 4 and first.written
    finder = CountingGazetteer()
    second = chain(tmp_path, curated_file, gazetteer=finder).resolve(places)
    assert second.looked_up == ()
    assert set(second.from_cache) == set(places)
    assert finder.searched == []
    assert [r.place for r in second.unresolved] == ["Atlantis, China"]


def test_misses_are_cached_and_not_retried(tmp_path):
    chain(tmp_path).resolve(["Atlantis, China"])
    cached = read_cache(tmp_path / "geocache.csv")["atlantis, china"]
    assert (cached.lat, cached.lon, cached.provider) == (None, None, "miss:gazetteer")
    finder = CountingGazetteer()
    again = chain(tmp_path, gazetteer=finder).resolve(["Atlantis, China"])
    assert finder.searched == []
    assert again.from_cache == ("Atlantis, China",)
    assert "recorded as a miss by gazetteer" in again.reason("Atlantis, China")


def test_an_online_run_retries_an_offline_miss_once(tmp_path):
    chain(tmp_path).resolve(["Atlantis, China"])
    online = FakeOnline()
    chain(tmp_path, online=online).resolve(["Atlantis, China"])
    assert online.looked_up == ["Atlantis, China"]
    assert read_cache(tmp_path / "geocache.csv")["atlantis, china"].provider == "miss:nominatim"
    again = FakeOnline()
    chain(tmp_path, online=again).resolve(["Atlantis, China"])
    assert again.looked_up == []  # the online geocoder already missed it


def test_retry_misses_looks_them_up_again(tmp_path):
    chain(tmp_path).resolve(["Atlantis, China"])
    finder = CountingGazetteer()
    chain(tmp_path, gazetteer=finder).resolve(["Atlantis, China"], retry_misses=True)
    assert finder.searched == ["Atlantis, China"]


def test_a_new_curated_entry_resolves_a_cached_miss(tmp_path):
    chain(tmp_path).resolve(["Atlantis, China"])
    curated = tmp_path / "places_curated.csv"
    curated.write_text(CURATED_HEADER + '"Atlantis, China",30,120,China,city,,test\n',
                       encoding="utf-8")
    report = chain(tmp_path, curated).resolve(["Atlantis, China"])
    assert report.places[0].provider == "curated"
    assert read_cache(tmp_path / "geocache.csv")["atlantis, china"].lat == 30.0


def test_a_removed_curated_entry_is_looked_up_afresh(tmp_path, curated_file):
    chain(tmp_path, curated_file).resolve(["Incheon, South Korea"])
    report = chain(tmp_path, None).resolve(["Incheon, South Korea"])
    assert report.places[0].provider == "gazetteer"


def test_a_failed_online_lookup_is_reported_and_not_recorded_as_an_online_miss(tmp_path):
    write_cache(tmp_path / "geocache.csv",
                [Resolution("Seoul, South Korea", 37.57, 126.98, "South Korea", "gazetteer")])
    online = FakeOnline(fail={"Atlantis, China"})
    report = chain(tmp_path, online=online).resolve(["Atlantis, China", "Seoul, South Korea"])
    assert [f.place for f in report.failures] == ["Atlantis, China"]
    assert "nominatim failed: GeocoderTimedOut" in report.reason("Atlantis, China")
    cache = read_cache(tmp_path / "geocache.csv")
    assert cache["seoul, south korea"].resolved  # everything already cached stays
    assert cache["atlantis, china"].provider == "miss:gazetteer"  # so --online tries again
    retry = FakeOnline({"Atlantis, China": (30.0, 120.0)})
    chain(tmp_path, online=retry).resolve(["Atlantis, China"])
    assert retry.looked_up == ["Atlantis, China"]


def test_places_are_matched_case_and_space_insensitively(tmp_path):
    write_cache(tmp_path / "geocache.csv",
                [Resolution("Hyesan, North Korea", 41.4, 128.18, "North Korea", "gazetteer")])
    finder = CountingGazetteer()
    report = chain(tmp_path, gazetteer=finder).resolve(
        ["  hyesan,   NORTH korea ", "Hyesan, North Korea"]
    )
    assert len(report.places) == 1
    assert report.places[0].lat == 41.4
    assert finder.searched == []


def test_nothing_is_looked_up_twice_in_a_process_when_the_cache_cannot_be_written(tmp_path):
    cache = tmp_path / "no-such-folder" / "geocache.csv"
    finder = CountingGazetteer()
    first = Resolver(cache, None, gazetteer=finder).resolve(["Yanji, China"])
    assert first.write_error and not first.written
    assert first.places[0].resolved
    second = Resolver(cache, None, gazetteer=finder).resolve(["Yanji, China"])
    assert finder.searched == ["Yanji, China"]
    assert second.places[0].resolved


def test_lookup_off_reports_what_the_cache_does_not_cover_and_writes_nothing(tmp_path):
    report = chain(tmp_path).resolve(["Yanji, China"], lookup=False)
    assert report.not_cached == ("Yanji, China",)
    assert not report.complete
    assert not (tmp_path / "geocache.csv").exists()


# --- the files ----------------------------------------------------------------------------


def test_a_hand_made_cache_with_only_coordinates_is_read(tmp_path):
    path = tmp_path / "geocache.csv"
    path.write_text('place,lat,lon,country\n"Hyesan, North Korea",41.4,128.18,North Korea\n'
                    "Nowhere,,,\n", encoding="utf-8")
    cache = read_cache(path)
    assert cache["hyesan, north korea"].resolved
    assert cache["nowhere"].provider == "miss:unknown"


def test_a_bad_cache_row_is_a_clear_error(tmp_path):
    path = tmp_path / "geocache.csv"
    path.write_text("place,lat,lon\nA,91,0\nB,x,1\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_cache(path)
    text = str(error.value)
    assert "row 2, column 'lat': '91' is not a latitude" in text
    assert "row 3, column 'lat': 'x' is not a latitude" in text


def test_a_bad_cache_is_never_overwritten(tmp_path):
    path = tmp_path / "geocache.csv"
    path.write_text("place,lat,lon\nA,91,0\n", encoding="utf-8")
    with pytest.raises(DataError):
        write_cache(path, [Resolution("B", 1.0, 2.0)])
    assert path.read_text(encoding="utf-8") == "place,lat,lon\nA,91,0\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('"X, China",30,120,Narnia,city,,\n', "'Narnia' is not a country"),
        ('"X, China",30,120,China,town,,\n', "'town' is not a precision"),
        ('"X, China",,120,China,city,,\n', "'' is not a latitude"),
        ('"X, China",30,120,China,city,,\n"x,  CHINA",1,2,China,city,,\n', "curated twice"),
    ],
)
def test_a_bad_curated_row_is_a_clear_error(tmp_path, row, message):
    path = tmp_path / "places_curated.csv"
    path.write_text(CURATED_HEADER + row, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_curated(path)


def test_the_bundled_curated_file_is_valid_and_covers_what_gazetteers_miss():
    curated = read_curated(files.BUNDLED_CURATED)
    for place in ("Yodok political prison camp, North Korea", "Jilin Province, China",
                  "Mongolian border (Gobi), Mongolia", "South Korean embassy, Beijing, China",
                  "South Korean mission, Beijing, China", "Incheon, South Korea"):
        assert records.place_key(place) in curated, place
    gobi = curated[records.place_key("Mongolian border (Gobi), Mongolia")]
    assert (gobi.lat, gobi.lon) == pytest.approx((43.72, 111.90), abs=0.05)
    yodok = curated[records.place_key("Yodok political prison camp, North Korea")]
    assert (yodok.lat, yodok.lon) == pytest.approx((39.8, 126.9), abs=0.15)
    # Each point lies within its country: inside the box around the gazetteer's places there.
    finder = Gazetteer()
    data = finder.data
    boxes: dict[str, list[float]] = {}
    for row in range(data.size):
        place = data.place(row)
        box = boxes.setdefault(place.country_code, [90.0, 180.0, -90.0, -180.0])
        box[:] = [min(box[0], place.lat), min(box[1], place.lon),
                  max(box[2], place.lat), max(box[3], place.lon)]
    for entry in curated.values():
        assert entry.source, entry.place
        south, west, north, east = boxes[finder.country(entry.country).iso2]
        assert south - 0.5 <= entry.lat <= north + 0.5, entry.place
        assert west - 0.5 <= entry.lon <= east + 0.5, entry.place


# --- for the app --------------------------------------------------------------------------


def test_places_table_for_the_app(tmp_path):
    legs = pd.DataFrame({
        "from": ["Hyesan, North Korea", "China", "Atlantis, China"],
        "to": ["Changbai, China", "hyesan, north korea", "Laos"],
    })
    table = resolver.places_table(legs, tmp_path)
    assert list(table.columns) == [*records.PLACES_COLUMNS, "level"]
    assert list(table["place"]) == ["Hyesan, North Korea", "Changbai, China", "China",
                                    "Atlantis, China", "Laos"]
    assert table["lat"].dtype == float and table["resolved"].dtype == bool
    by_place = table.set_index("place")
    assert by_place.loc["Hyesan, North Korea", "country"] == "North Korea"
    assert by_place.loc["China", "country"] == "China"
    assert not by_place.loc["Atlantis, China", "resolved"]
    assert math.isnan(by_place.loc["Atlantis, China", "lat"])
    assert not (tmp_path / "geocache.csv").exists()  # loading never writes; `geocode` does
    assert list(by_place["level"]) == ["city", "city", "country", "city", "country"]


def test_curated_places_carry_their_precision_as_level(tmp_path):
    legs = pd.DataFrame({"from": ["Jilin Province, China"],
                         "to": ["Yodok political prison camp, North Korea"]})
    levels = resolver.places_table(legs, tmp_path).set_index("place")["level"]
    assert levels["Jilin Province, China"] == "province"


def test_places_table_of_no_legs_is_empty_with_its_columns(tmp_path):
    table = resolver.places_table(pd.DataFrame({"from": [], "to": []}), tmp_path)
    assert list(table.columns) == [*records.PLACES_COLUMNS, "level"] and table.empty
    assert not (tmp_path / "geocache.csv").exists()


def test_places_table_without_writing_keeps_results_in_memory(tmp_path):
    legs = pd.DataFrame({"from": ["Yanji, China"], "to": ["Laos"]})
    first = resolver.places_table(legs, tmp_path, write=False)
    assert first["resolved"].all()
    assert not (tmp_path / "geocache.csv").exists()
    second = resolver.resolve_places(resolver.distinct_places(legs),
                                     cache_path=tmp_path / "geocache.csv", write=False)
    assert second.looked_up == ()


def test_country_points_and_candidates():
    points = countries.country_points()
    assert points["North Korea"] == pytest.approx((39.87, 126.42), abs=0.5)
    assert {"Laos", "Thailand", "Mongolia", "United Kingdom", "United States"} <= set(points)
    found = fixes.candidates("Springfield", limit=5)
    assert len(found) == 5
    assert found[0].country == "United States" and found[0].match == "name"
    assert "population" in found[0].label
    assert fixes.candidates("Atlantis, China") == ()
    (country,) = fixes.candidates("DPRK")
    assert (country.name, country.match) == ("North Korea", "country")


# --- journeys never seen before -----------------------------------------------------------

# place → (lat, lon, country, provider): the research waypoints where there are some.
UNSEEN = {
    "Sinuiju, North Korea": (40.10, 124.40, "North Korea", "gazetteer"),
    "Dandong, China": (40.13, 124.39, "China", "gazetteer"),
    "Shenyang, China": (41.81, 123.43, "China", "gazetteer"),
    "Kunming, China": (25.04, 102.71, "China", "gazetteer"),
    "Mohan, China": (21.19, 101.69, "China", "curated"),
    "Boten, Laos": (21.18, 101.68, "Laos", "gazetteer"),
    "Luang Prabang, Laos": (19.89, 102.14, "Laos", "gazetteer"),
    "Huay Xai, Laos": (20.28, 100.41, "Laos", "gazetteer"),
    "Chiang Saen, Thailand": (20.27, 100.09, "Thailand", "gazetteer"),
    "Bangkok, Thailand": (13.76, 100.50, "Thailand", "gazetteer"),
    "Seoul, South Korea": (37.57, 126.98, "South Korea", "gazetteer"),
    "Hoeryŏng, North Korea": (42.44, 129.75, "North Korea", "gazetteer"),
    "Tumen (city), China": (42.97, 129.84, "China", "gazetteer"),
    "Yanji": (42.89, 129.50, "China", "gazetteer"),
    "Beijing, PRC": (39.90, 116.40, "China", "gazetteer"),
    "Erlian, Inner Mongolia, China": (43.65, 111.98, "China", "gazetteer"),
    "Zamyn-Uud, Mongolia": (43.72, 111.90, "Mongolia", "gazetteer"),
    "Ulan Bator, Mongolia": (47.92, 106.92, "Mongolia", "gazetteer"),
    "Incheon, South Korea": (37.46, 126.44, "South Korea", "curated"),
    "Rason, DPRK": (42.26, 130.28, "North Korea", "gazetteer"),
    "Vladivostok, Russia": (43.12, 131.89, "Russia", "gazetteer"),
    "Hanoi, Vietnam": (21.03, 105.85, "Vietnam", "gazetteer"),
    "Phnom Penh, Cambodia": (11.56, 104.92, "Cambodia", "gazetteer"),
    "Manila, Philippines": (14.60, 120.98, "Philippines", "gazetteer"),
    "Tokyo, Japan": (35.69, 139.69, "Japan", "gazetteer"),
    "Busan, South Korea": (35.10, 129.03, "South Korea", "gazetteer"),
    "Onsŏng, North Korea": (42.96, 129.99, "North Korea", "gazetteer"),
    "Yangon, Myanmar": (16.80, 96.16, "Myanmar", "gazetteer"),
}


def test_unseen_journeys_resolve_offline_to_the_right_towns(tmp_path):
    legs = read_legs(FIXTURES / "unseen_journeys.csv", require_provenance=True)
    # An empty cache, the bundled curated file.
    report = resolver.resolve_places(resolver.distinct_places(legs),
                                     cache_path=tmp_path / "geocache.csv")
    assert report.unresolved == ()
    found = {r.place: r for r in report.places}
    assert set(found) == set(UNSEEN)
    for place, (lat, lon, country, provider) in UNSEEN.items():
        got = found[place]
        assert (got.lat, got.lon) == pytest.approx((lat, lon), abs=0.05), place
        assert (got.country, got.provider) == (country, provider), place
    # Sinuiju and Dandong face each other across the Yalu, 3 km apart: each is its own town.
    assert found["Sinuiju, North Korea"].resolved_name.startswith("Sinŭiju")
    assert found["Dandong, China"].resolved_name.startswith("Dandong")
