"""The opt-in online geocoder (Nominatim through geopy), driven by a fake HTTP adapter:
its answers are in Nominatim's documented JSON format, and it raises what geopy's real
adapters raise. No request leaves the machine; no test really sleeps."""

from __future__ import annotations

import itertools
import time
from urllib.parse import parse_qs, urlparse

import geopy.extra.rate_limiter
import pytest
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from routes_dash import __version__
from routes_dash.places import online, resolver
from routes_dash.places.files import read_cache, write_cache
from routes_dash.places.online import OnlineGeocoder
from routes_dash.places.records import Resolution
from routes_dash.places.resolver import Resolver

# https://nominatim.org/release-docs/develop/api/Search/ : format=json with addressdetails=1
HOUAYXAY = {
    "place_id": 1234,
    "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
    "osm_type": "node",
    "osm_id": 5678,
    "lat": "20.2774",
    "lon": "100.4128",
    "class": "place",
    "type": "town",
    "place_rank": 18,
    "importance": 0.43,
    "addresstype": "town",
    "name": "Houayxay",
    "display_name": "Houayxay, Bokeo Province, Laos",
    "address": {"town": "Houayxay", "state": "Bokeo Province", "country": "Laos",
                "country_code": "la"},
    "boundingbox": ["20.1174", "20.4374", "100.2528", "100.5728"],
}


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeNominatim(BaseSyncAdapter):
    """An HTTP adapter that answers from a script: a JSON value, or an exception to raise."""

    def __init__(self, *, proxies, ssl_context, script, clock):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.script = list(script)
        self.clock = clock
        self.calls: list[dict] = []

    def get_json(self, url, *, timeout, headers):
        self.calls.append({"url": url, "query": parse_qs(urlparse(url).query),
                           "timeout": timeout, "headers": headers, "at": self.clock()})
        step = self.script.pop(0) if self.script else []
        if isinstance(step, BaseException):
            raise step
        return step

    def get_text(self, url, *, timeout, headers):  # pragma: no cover
        raise AssertionError("Nominatim asks for JSON")


@pytest.fixture(autouse=True)
def _never_really_sleep(monkeypatch):
    def refuse(seconds):
        raise AssertionError(f"a test really slept {seconds} s")

    monkeypatch.setattr(time, "sleep", refuse)
    monkeypatch.setattr(geopy.extra.rate_limiter, "sleep", refuse)
    resolver.forget_lookups()


def scripted(script, **options):
    clock = FakeClock()
    adapters = []

    def factory(proxies, ssl_context):
        adapters.append(FakeNominatim(proxies=proxies, ssl_context=ssl_context,
                                      script=script, clock=clock))
        return adapters[-1]

    geocoder = OnlineGeocoder(adapter_factory=factory, clock=clock, sleep=clock.sleep,
                              **options)
    return geocoder, adapters[0], clock


def http_error(status: int, **headers) -> AdapterHTTPError:
    return AdapterHTTPError(f"Non-successful status code {status}", status_code=status,
                            headers=headers, text="")


def test_a_found_place_comes_back_as_nominatim_answered(tmp_path):
    geocoder, adapter, _ = scripted([[HOUAYXAY]])
    report = Resolver(tmp_path / "geocache.csv", None, online=geocoder).resolve(
        ["Ban Houay Sai Pier, Laos"]
    )
    (place,) = report.places
    assert (place.lat, place.lon) == (20.2774, 100.4128)
    assert place.provider == "nominatim"
    assert place.country == "Laos"
    assert place.resolved_name == "Houayxay, Bokeo Province, Laos"
    (call,) = adapter.calls
    assert call["url"].startswith("https://nominatim.openstreetmap.org/search?")
    assert call["query"]["q"] == ["Ban Houay Sai Pier, Laos"]
    assert call["query"]["format"] == ["json"]
    assert call["query"]["addressdetails"] == ["1"]
    assert call["query"]["countrycodes"] == ["la"]  # the country part narrows the search
    assert call["query"]["accept-language"] == ["en"]
    assert call["timeout"] == 10.0
    assert call["headers"]["User-Agent"].startswith(f"routes_dash/{__version__} (+")
    assert read_cache(tmp_path / "geocache.csv")["ban houay sai pier, laos"].provider == (
        "nominatim"
    )


def test_nothing_found_is_recorded_as_an_online_miss(tmp_path):
    geocoder, adapter, _ = scripted([[]])
    report = Resolver(tmp_path / "geocache.csv", None, online=geocoder).resolve(["Xyzzy Plugh"])
    assert report.places[0].provider == "miss:nominatim"
    assert report.failures == ()
    assert len(adapter.calls) == 1


# error raised by the adapter, geopy's error, attempts made (1 + retries), stops the run
ERRORS = [
    (GeocoderTimedOut("read timed out"), "GeocoderTimedOut", 3, False),
    (GeocoderUnavailable("name or service not known"), "GeocoderUnavailable", 3, True),
    (http_error(429, **{"Retry-After": "30"}), "GeocoderRateLimited", 3, True),
    (http_error(503), "GeocoderTimedOut", 3, False),
    (http_error(500), "GeocoderServiceError", 3, False),
    (http_error(502), "GeocoderServiceError", 3, False),
    (http_error(403), "GeocoderInsufficientPrivileges", 1, True),
    (http_error(400), "GeocoderQueryError", 1, False),
]


@pytest.mark.parametrize(("error", "name", "attempts", "stops"), ERRORS)
def test_each_failure_leaves_the_place_unresolved_and_keeps_the_cache(
    tmp_path, error, name, attempts, stops
):
    cache = tmp_path / "geocache.csv"
    write_cache(cache, [Resolution("Seoul, South Korea", 37.57, 126.98, "South Korea",
                                   "gazetteer")])
    geocoder, adapter, clock = scripted([error] * 10 + [[HOUAYXAY]] * 10)
    report = Resolver(cache, None, online=geocoder).resolve(
        ["Atlantis, Laos", "Seoul, South Korea", "El Dorado, Laos"]
    )
    first = report.failures[0]
    assert (first.place, first.provider, first.error) == ("Atlantis, Laos", "nominatim", name)
    assert "nominatim failed" in report.reason("Atlantis, Laos")
    by_place = {r.place: r for r in report.places}
    assert not by_place["Atlantis, Laos"].resolved
    assert by_place["Seoul, South Korea"].resolved
    kept = read_cache(cache)
    assert kept["seoul, south korea"].lat == 37.57  # everything already cached stays
    # The gazetteer's miss is recorded; the failed online lookup is not, so it is retried.
    assert kept["atlantis, laos"].provider == "miss:gazetteer"
    calls_for_first = [c for c in adapter.calls if c["query"]["q"] == ["Atlantis, Laos"]]
    assert len(calls_for_first) == attempts
    if stops:
        # Unreachable, refused or rate-limited: no more requests in this run.
        assert len(adapter.calls) == attempts
        assert report.failures[1].error == "skipped"
        assert not by_place["El Dorado, Laos"].resolved
        assert geocoder.stopped
    else:
        assert not geocoder.stopped
    if attempts > 1:
        assert 5.0 in clock.sleeps  # bounded retries, each after a pause


def test_requests_are_at_most_one_per_second(tmp_path):
    geocoder, adapter, clock = scripted([[HOUAYXAY]] * 5)
    Resolver(tmp_path / "geocache.csv", None, online=geocoder).resolve(
        [f"Atlantis {n}, Laos" for n in range(5)]
    )
    times = [call["at"] for call in adapter.calls]
    assert len(times) == 5
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
    assert clock.sleeps == pytest.approx([1.0] * 4)


def test_geopys_own_clock_and_sleep_are_used_when_none_is_injected(tmp_path, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(geopy.extra.rate_limiter, "default_timer", clock)
    monkeypatch.setattr(geopy.extra.rate_limiter, "sleep", clock.sleep)
    adapters = []

    def factory(proxies, ssl_context):
        adapters.append(FakeNominatim(proxies=proxies, ssl_context=ssl_context,
                                      script=[[HOUAYXAY]] * 3, clock=clock))
        return adapters[-1]

    geocoder = OnlineGeocoder(adapter_factory=factory)
    for n in range(3):
        geocoder.lookup(f"Atlantis {n}")
    assert clock.sleeps == pytest.approx([1.0, 1.0])


def test_nominatim_may_not_be_asked_faster_than_once_a_second():
    with pytest.raises(ValueError, match="1 request per second"):
        OnlineGeocoder(min_delay_seconds=0.5)


def test_the_user_agent_names_the_app_and_a_contact(monkeypatch):
    monkeypatch.delenv(online.CONTACT_ENV, raising=False)
    assert online.user_agent() == f"routes_dash/{__version__} (+contact in README)"
    monkeypatch.setenv(online.CONTACT_ENV, "mailto:maintainer@example.org")
    assert online.user_agent() == f"routes_dash/{__version__} (+mailto:maintainer@example.org)"


def test_online_is_off_unless_asked(tmp_path, monkeypatch):
    def no_online(*args, **kwargs):
        raise AssertionError("an online geocoder was made")

    monkeypatch.setattr(online, "OnlineGeocoder", no_online)
    report = resolver.resolve_places(["Atlantis, Laos"], cache_path=tmp_path / "geocache.csv")
    assert report.places[0].provider == "miss:gazetteer"
