"""routes_dash: an offline map and timeline dashboard of the escape journeys of North Korean
defectors, driven by one curated CSV of journey legs."""

__version__ = "0.1.0"
