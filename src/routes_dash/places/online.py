"""The opt-in online geocoder: Nominatim (or any geopy geocoder) used as its policy asks.

Nothing here runs unless `geocode --online` asks for it; nothing else in the package touches
the network.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from routes_dash import __version__
from routes_dash.places.records import LookupFailure

NOMINATIM_POLICY = "https://operations.osmfoundation.org/policies/nominatim/"


CONTACT_ENV = "ROUTES_DASH_CONTACT"


def user_agent(contact: str | None = None) -> str:
    """The User-Agent sent to online geocoders: the app, its version and how to reach us."""
    contact = contact or os.environ.get(CONTACT_ENV) or "contact in README"
    return f"routes_dash/{__version__} (+{contact})"


class LookupFailed(Exception):
    """An online lookup failed; `failure` says how."""

    def __init__(self, failure: LookupFailure):
        super().__init__(f"{failure.place}: {failure.error}: {failure.message}")
        self.failure = failure


class _Permanent(Exception):
    """Wraps an error that retrying cannot fix, so the rate limiter does not retry it."""

    def __init__(self, error: GeopyError):
        super().__init__(str(error))
        self.error = error


class _RateLimiter(RateLimiter):
    """geopy's RateLimiter with an injectable clock and sleep (tests never really wait)."""

    def __init__(self, func, *, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None, **kwargs):
        super().__init__(func, **kwargs)
        self._injected_clock = clock
        self._injected_sleep = sleep

    def _clock(self):
        return self._injected_clock() if self._injected_clock else super()._clock()

    def _sleep(self, seconds):
        if self._injected_sleep:
            self._injected_sleep(seconds)
        else:
            super()._sleep(seconds)


class OnlineGeocoder:
    """Nominatim (or any geopy geocoder) used as the policy asks: at most one request per
    second (geopy's RateLimiter), the project's own User-Agent, a timeout per request, at
    most `max_retries` retries of a transient error, and results kept in the cache by the
    caller. After the service turns out unreachable, refuses us (403) or rate-limits us
    (429) even after retries, it stops asking for the rest of the run.
    """

    def __init__(
        self,
        geocoder=None,
        *,
        provider: str = "nominatim",
        timeout: float = 10.0,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        adapter_factory=None,
        contact: str | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        if geocoder is None:
            if min_delay_seconds < 1.0:
                raise ValueError(
                    f"Nominatim allows at most 1 request per second ({NOMINATIM_POLICY})"
                )
            geocoder = Nominatim(user_agent=user_agent(contact), timeout=timeout,
                                 adapter_factory=adapter_factory)
        self.geocoder = geocoder
        self.provider = provider
        self.stopped = ""  # why online lookups stopped for this run, if they did
        self._limited = _RateLimiter(
            self._geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
            error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
            swallow_exceptions=False, clock=clock, sleep=sleep,
        )

    def _geocode(self, query: str, country_codes: str | None):
        options = {"exactly_one": True, "addressdetails": True, "language": "en"}
        if country_codes:
            options["country_codes"] = country_codes
        try:
            return self.geocoder.geocode(query, **options)
        except (GeocoderQueryError, GeocoderAuthenticationFailure,
                GeocoderInsufficientPrivileges) as error:
            raise _Permanent(error) from error

    def lookup(self, place: str, country_code: str | None = None) -> Location | None:
        """The best result for `place`, None when the service knows no such place.
        Raises `LookupFailed` when the lookup failed."""
        if self.stopped:
            raise LookupFailed(LookupFailure(place, self.provider, "skipped", self.stopped))
        try:
            return self._limited(place, country_code.lower() if country_code else None)
        except _Permanent as wrapped:
            error = wrapped.error
            if isinstance(error, GeocoderAuthenticationFailure | GeocoderInsufficientPrivileges):
                self.stopped = f"{self.provider} refused our requests; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except GeocoderRateLimited as error:
            self.stopped = f"{self.provider} rate-limited us; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except GeocoderUnavailable as error:
            self.stopped = f"{self.provider} is unreachable; stopped for this run"
            raise LookupFailed(self._failure(place, error)) from None
        except (GeocoderTimedOut, GeocoderServiceError, GeopyError) as error:
            raise LookupFailed(self._failure(place, error)) from None

    def _failure(self, place: str, error: Exception) -> LookupFailure:
        return LookupFailure(place, self.provider, type(error).__name__, str(error) or "")
