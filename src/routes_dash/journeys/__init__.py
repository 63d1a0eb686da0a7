"""Journeys as pure pandas: legs joined to places, privacy, filters and their links, story steps."""
