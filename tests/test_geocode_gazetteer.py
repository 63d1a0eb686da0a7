"""The offline gazetteer: real names from many countries against known coordinates."""

from __future__ import annotations

import gzip
import socket

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from routes_dash import bundled
from routes_dash.places import countries, gazetteer
from routes_dash.places.gazetteer import Gazetteer
from routes_dash.places.names import key_variants, name_key, words

# query, expected lat, lon, country (as countries.csv names it), tolerance in degrees.
# Coordinates: the project's research waypoints where it has them, else well-known values.
KNOWN = [
    # North Korea, with and without the country part, diacritics, suffixes, apostrophes
    ("Hoeryong, North Korea", 42.44, 129.75, "North Korea", 0.05),
    ("Hoeryŏng", 42.44, 129.75, "North Korea", 0.05),
    ("Hoeryong-si", 42.44, 129.75, "North Korea", 0.05),
    ("hoeryong", 42.44, 129.75, "North Korea", 0.05),
    ("Hyesan, North Korea", 41.40, 128.18, "North Korea", 0.05),
    ("Musan, DPRK", 42.23, 129.21, "North Korea", 0.05),
    ("Onsong, North Korea", 42.96, 129.99, "North Korea", 0.05),
    ("Onsŏng", 42.96, 129.99, "North Korea", 0.05),
    ("Namyang, North Korea", 42.95, 129.86, "North Korea", 0.05),
    ("Chongjin, Korea, North", 41.80, 129.78, "North Korea", 0.05),
    ("Ch'ŏngjin", 41.80, 129.78, "North Korea", 0.05),
    ("Ch\u2019ŏngjin", 41.80, 129.78, "North Korea", 0.05),
    ("Pyongyang", 39.03, 125.75, "North Korea", 0.05),
    ("P'yŏngsŏng, North Korea", 39.25, 125.87, "North Korea", 0.05),
    ("Sinŭiju", 40.10, 124.40, "North Korea", 0.05),
    ("Sinuiju, North Korea", 40.10, 124.40, "North Korea", 0.05),
    ("회령", 42.44, 129.75, "North Korea", 0.05),
    # China
    ("Changbai, China", 41.42, 128.20, "China", 0.05),
    ("Tumen (city), China", 42.97, 129.84, "China", 0.05),
    ("Yanji", 42.89, 129.50, "China", 0.05),
    ("Shenyang, China", 41.81, 123.43, "China", 0.05),
    ("Dalian, China", 38.91, 121.61, "China", 0.05),
    ("Qingdao", 36.07, 120.38, "China", 0.05),
    ("Beijing, PRC", 39.90, 116.40, "China", 0.05),
    ("Peking", 39.90, 116.40, "China", 0.05),
    ("Kunming", 25.04, 102.71, "China", 0.05),
    ("Mengla, China", 21.46, 101.56, "China", 0.05),
    ("Erenhot, China", 43.65, 111.98, "China", 0.05),
    ("Erlian", 43.65, 111.98, "China", 0.05),
    ("Erenhot Shi", 43.65, 111.98, "China", 0.05),
    ("Erlianhaote", 43.65, 111.98, "China", 0.05),
    ("Dandong, China", 40.13, 124.39, "China", 0.02),
    ("沈阳", 41.81, 123.43, "China", 0.05),
    # Mongolia and Russia
    ("Ulan Bator", 47.92, 106.92, "Mongolia", 0.05),
    ("Ulaanbaatar, Mongolia", 47.92, 106.92, "Mongolia", 0.05),
    ("Ulaan-Baatar", 47.92, 106.92, "Mongolia", 0.05),
    ("Zamyn-Uud, Mongolia", 43.72, 111.90, "Mongolia", 0.05),
    ("Vladivostok, Russia", 43.12, 131.89, "Russia", 0.05),
    ("Vladivostok, Russian Federation", 43.12, 131.89, "Russia", 0.05),
    # South-east Asia
    ("Luang Namtha, Laos", 20.95, 101.40, "Laos", 0.05),
    ("Louang Namtha", 20.95, 101.40, "Laos", 0.05),
    ("Boten, Laos", 21.18, 101.68, "Laos", 0.05),
    ("Huay Xai, Laos", 20.28, 100.41, "Laos", 0.05),
    ("Houayxay", 20.28, 100.41, "Laos", 0.05),
    ("Luang Prabang, Lao PDR", 19.89, 102.14, "Laos", 0.05),
    ("Vientiane, Laos", 17.97, 102.61, "Laos", 0.05),
    ("Chiang Khong, Thailand", 20.26, 100.41, "Thailand", 0.05),
    ("Chiang Saen, Thailand", 20.27, 100.09, "Thailand", 0.05),
    ("Mae Sai", 20.43, 99.88, "Thailand", 0.05),
    ("Chiang Rai, Thailand", 19.91, 99.84, "Thailand", 0.05),
    ("Bangkok", 13.76, 100.50, "Thailand", 0.05),
    ("Hanoi, Vietnam", 21.03, 105.85, "Vietnam", 0.05),
    ("Hà Nội, Viet Nam", 21.03, 105.85, "Vietnam", 0.05),
    ("Phnom Penh", 11.56, 104.92, "Cambodia", 0.05),
    ("Yangon, Myanmar", 16.80, 96.16, "Myanmar", 0.05),
    ("Rangoon, Burma", 16.80, 96.16, "Myanmar", 0.05),
    ("Manila, Philippines", 14.60, 120.98, "Philippines", 0.05),
    # Japan, South Korea
    ("Tokyo, Japan", 35.69, 139.69, "Japan", 0.05),
    ("Busan, South Korea", 35.10, 129.03, "South Korea", 0.05),
    ("Pusan", 35.10, 129.03, "South Korea", 0.05),
    ("Seoul, Republic of Korea", 37.57, 126.98, "South Korea", 0.05),
    ("서울", 37.57, 126.98, "South Korea", 0.05),
    # Where people resettle, and the rest of the world at city level
    ("Bury, United Kingdom", 53.59, -2.30, "United Kingdom", 0.05),
    ("Bury, UK", 53.59, -2.30, "United Kingdom", 0.05),
    ("Bury", 53.59, -2.30, "United Kingdom", 0.05),
    ("London, England", 51.51, -0.13, "United Kingdom", 0.05),
    ("Springfield, Illinois", 39.80, -89.64, "United States", 0.05),
    ("Springfield, MA, USA", 42.10, -72.59, "United States", 0.05),
    ("Toronto, Canada", 43.70, -79.42, "Canada", 0.05),
    ("São Paulo, Brazil", -23.55, -46.63, "Brazil", 0.05),
    ("Sao Paulo", -23.55, -46.63, "Brazil", 0.05),
    ("Berlin, Germany", 52.52, 13.40, "Germany", 0.05),
    ("Nairobi", -1.28, 36.82, "Kenya", 0.05),
    ("Sydney, Australia", -33.87, 151.21, "Australia", 0.05),
    ("Tbilisi, Georgia", 41.69, 44.83, "Georgia", 0.05),
    ("Atlanta, Georgia", 33.75, -84.39, "United States", 0.05),
]


@pytest.fixture(scope="module")
def finder() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(("query", "lat", "lon", "country", "tolerance"), KNOWN)
def test_known_places(finder, query, lat, lon, country, tolerance):
    location = finder.geocode(query)
    assert location is not None, finder.search(query).reason
    assert abs(location.latitude - lat) <= tolerance, location
    assert abs(location.longitude - lon) <= tolerance, location
    assert location.raw["country"] == country


def test_is_a_geopy_geocoder_returning_locations(finder):
    assert isinstance(finder, Geocoder)
    location = finder.geocode("Kunming", exactly_one=True)
    assert isinstance(location, Location)
    assert location.address == "Kunming, China"
    assert location.raw["provider"] == "gazetteer"
    assert location.raw["feature"] == "place"
    many = finder.geocode("Springfield", exactly_one=False)
    assert isinstance(many, list) and all(isinstance(x, Location) for x in many)
    assert finder.geocode("Nowhere-on-earth-xyz") is None
    assert finder.geocode("Nowhere-on-earth-xyz", exactly_one=False) is None


def test_springfield_candidates_are_ranked_by_population(finder):
    many = finder.geocode("Springfield", exactly_one=False, limit=20)
    assert len(many) >= 5
    populations = [loc.raw["population"] for loc in many if loc.raw["match"] == "name"]
    assert populations == sorted(populations, reverse=True)
    admin1 = {loc.raw["admin1"] for loc in many if loc.raw["country_code"] == "US"}
    assert {"IL", "MO", "MA"} <= admin1
    # The bare name means the largest one; a state or a country narrows it.
    assert many[0].raw["admin1"] == "MO"
    assert finder.geocode("Springfield, Illinois").raw["admin1"] == "IL"
    assert finder.geocode("Springfield, IL").raw["admin1"] == "IL"
    assert finder.geocode("Springfield, Australia").raw["country_code"] == "AU"


def test_the_country_part_narrows_the_search(finder):
    assert finder.geocode("Bury, United Kingdom").raw["country_code"] == "GB"
    assert finder.geocode("Tumen, China").latitude == pytest.approx(42.97, abs=0.05)
    # Tyumen (Russia) has "Tumen" as an alternate name; the Chinese town's own name wins.
    assert finder.geocode("Tumen").raw["country_code"] == "CN"
    assert finder.geocode("Tumen, Russia").raw["name"] == "Tyumen"
    assert finder.geocode("Dalian, Laos") is None


def test_an_unknown_country_part_is_a_clear_miss(finder):
    found = finder.search("Hyesan, Narnia")
    assert found.locations == ()
    assert "'Narnia' is not a country" in found.reason
    assert finder.geocode("Hyesan, Narnia") is None
    nowhere = finder.search("Atlantis, China")
    assert nowhere.locations == ()
    assert "no place called 'Atlantis' in China" in nowhere.reason


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ("North Korea", "North Korea", "KP"),
        ("DPRK", "North Korea", "KP"),
        ("Korea, North", "North Korea", "KP"),
        ("Democratic People's Republic of Korea", "North Korea", "KP"),
        ("South Korea", "South Korea", "KR"),
        ("Republic of Korea", "South Korea", "KR"),
        ("ROK", "South Korea", "KR"),
        ("Laos", "Laos", "LA"),
        ("Lao PDR", "Laos", "LA"),
        ("UK", "United Kingdom", "GB"),
        ("Great Britain", "United Kingdom", "GB"),
        ("USA", "United States", "US"),
        ("United States of America", "United States", "US"),
        ("Burma", "Myanmar", "MM"),
        ("the Philippines", "Philippines", "PH"),
        ("Viet Nam", "Vietnam", "VN"),
        ("Russian Federation", "Russia", "RU"),
        ("china", "China", "CN"),
        ("  MONGOLIA ", "Mongolia", "MN"),
    ],
)
def test_a_bare_country_is_its_representative_point(finder, query, name, code):
    location = finder.geocode(query)
    assert location.raw["feature"] == "country"
    assert location.address == name
    assert location.raw["country_code"] == code
    country = finder.country(query)
    assert (location.latitude, location.longitude) == (country.lat, country.lon)


# Rough boxes (south, west, north, east): a country's point must lie inside its country.
BOXES = {
    "North Korea": (37.6, 124.2, 43.0, 130.7),
    "South Korea": (33.1, 124.6, 38.6, 131.9),
    "China": (18.0, 73.5, 53.6, 134.8),
    "Mongolia": (41.5, 87.7, 52.2, 119.9),
    "Laos": (13.9, 100.1, 22.5, 107.7),
    "Thailand": (5.6, 97.3, 20.5, 105.7),
    "United Kingdom": (49.9, -8.7, 60.9, 1.8),
    "Russia": (41.2, 19.6, 81.9, 180.0),
}


@pytest.mark.parametrize(("name", "box"), BOXES.items())
def test_country_points_lie_inside_their_countries(finder, name, box):
    country = finder.country(name)
    south, west, north, east = box
    assert south <= country.lat <= north and west <= country.lon <= east


def test_country_codes_restrict_the_search(finder):
    assert finder.geocode("Bury", country_codes="FR") is None  # the Bury it knows is English
    assert finder.geocode("Bury", country_codes=["GB"]).raw["country_code"] == "GB"
    assert finder.geocode("Manila", country_codes=["US"]).raw["country_code"] == "US"
    assert finder.geocode("Manila").raw["country_code"] == "PH"


def test_candidates_for_an_ambiguous_name_span_countries(finder):
    many = finder.geocode("Bury", exactly_one=False)
    assert many[0].raw["country_code"] == "GB"
    manila = finder.geocode("Manila", exactly_one=False)
    assert {"PH", "US"} <= {loc.raw["country_code"] for loc in manila}


def test_focus_countries_are_covered_well_and_the_world_at_city_level(finder):
    data = finder.data
    counts: dict[str, int] = {}
    for row in range(data.size):
        code = data.place(row).country_code
        counts[code] = counts.get(code, 0) + 1
    for code, at_least in {"KP": 100, "KR": 250, "CN": 10000, "MN": 200, "LA": 80,
                           "TH": 800, "GB": 3000, "US": 15000, "RU": 4000}.items():
        assert counts.get(code, 0) >= at_least, code
    assert len(counts) >= 200  # every inhabited country has some places


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hoeryŏng", ["hoeryong"]),
        ("Ch\u2019ŏngjin", ["chongjin"]),
        ("Ch'ongjin", ["chongjin"]),
        ("  Ulan   Bator ", ["ulan", "bator"]),
        ("Hà Nội", ["ha", "noi"]),
        ("Đà Nẵng", ["da", "nang"]),
        ("Kraków", ["krakow"]),
        ("Łódź", ["lodz"]),
        ("Ørsta", ["orsta"]),
        ("Straße", ["strasse"]),
        ("Musan-ŭp", ["musan", "up"]),
        ("Tumen (city)", ["tumen", "city"]),
        ("서울", ["서울"]),
    ],
)
def test_words_strip_diacritics_apostrophes_and_punctuation(text, expected):
    assert words(text) == expected


def test_name_keys_and_variants():
    assert name_key("Ulan Bator") == name_key("Ulan-Bator") == name_key("ULANBATOR")
    assert key_variants("Hoeryong-si") == ["hoeryongsi", "hoeryong"]
    assert key_variants("Ban Houayxay") == ["banhouayxay", "houayxay"]
    assert key_variants("Erenhot Shi") == ["erenhotshi", "erenhot"]
    assert key_variants("Sil-li") == ["silli", "sil"]
    assert key_variants("Go-ri") == ["gori"]  # never strip a name to under three letters
    assert key_variants("") == []


# --- the files ----------------------------------------------------------------------------


def test_the_index_is_sorted_for_bisection():
    with gzip.open(bundled.GAZETTEER / gazetteer.PLACES_FILE, "rt",
                   encoding="utf-8") as stream:
        lines = stream.read().split("\n")
    assert lines[0] == gazetteer.FORMAT
    index = [line for line in lines[lines.index(gazetteer.INDEX_MARKER) + 1 :] if line]
    assert index == sorted(index)
    keys = [line.split("\t")[0] for line in index]
    assert len(keys) == len(set(keys))
    # Keys are what the runtime normaliser makes: the build and the lookups agree.
    assert all(key == name_key(key) for key in keys[:: max(1, len(keys) // 2000)])


def test_data_loads_once_per_process():
    assert gazetteer.load(bundled.GAZETTEER) is gazetteer.load(bundled.GAZETTEER)
    assert gazetteer.default_gazetteer() is gazetteer.default_gazetteer()


def test_a_missing_or_stale_file_is_a_clear_error(tmp_path):
    (tmp_path / countries.COUNTRIES_FILE).write_text(
        (bundled.GAZETTEER / countries.COUNTRIES_FILE).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(gazetteer.GazetteerFileError, match="build it with"):
        Gazetteer(tmp_path).geocode("Seoul")
    with gzip.open(tmp_path / gazetteer.PLACES_FILE, "wt", encoding="utf-8") as stream:
        stream.write("#routes_dash-gazetteer/0\n")
    gazetteer.load.cache_clear()
    with pytest.raises(gazetteer.GazetteerFileError, match="rebuild it"):
        Gazetteer(tmp_path).geocode("Seoul")
    gazetteer.load.cache_clear()


def test_the_gazetteer_never_uses_the_network(finder, monkeypatch):
    def no_socket(*args, **kwargs):
        raise AssertionError("the gazetteer opened a socket")

    monkeypatch.setattr(socket, "socket", no_socket)
    assert finder.geocode("Hoeryong, North Korea") is not None
    with pytest.raises(GeocoderUnavailable):
        finder.adapter.get_json("https://example.org", timeout=1, headers={})


def test_the_network_guard_fails_a_test_that_connects(no_network):
    with pytest.raises(pytest.fail.Exception):
        socket.create_connection(("192.0.2.1", 80), timeout=0.01)
    with pytest.raises(pytest.fail.Exception):
        socket.getaddrinfo("nominatim.openstreetmap.org", 443)
    assert len(no_network) == 2
    no_network.clear()
