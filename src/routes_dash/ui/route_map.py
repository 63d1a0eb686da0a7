"""The route map section: colour-by choice and zoom buttons, the map (click a line or a
shaded area to pin its legs below), the legend, and the legs as a table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from routes_dash.contract.schema import CERTAINTY_MEANINGS
from routes_dash.journeys import routes
from routes_dash.journeys.citations import links_of
from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.describe import precision_note, year_label
from routes_dash.journeys.notes import undrawn_note, view_notes
from routes_dash.render import legend, maps, style
from routes_dash.ui import cache, certainty, session
from routes_dash.ui.plain import plain
from routes_dash.ui.session import MAP_COLOUR_BY, MAP_TABLE_OPEN, MAP_ZOOM

MAP_HEIGHT = 620
PHONE_HEIGHT = 540
TABLE_ROWS = 1_000


def show(dataset: Dataset, legs: pd.DataFrame) -> None:
    """The map of `legs` (`loading.MAP_COLUMNS` of the view's legs: what is pinned or listed
    is read from the dataset's own rows)."""
    key = cache.key_of(legs)
    phone = session.on_phone()
    with st.container(key="route_map_box"):
        choice, zoom_box = st.columns([3, 2], vertical_alignment="bottom", gap="small")
        colour_by = choice.segmented_control(
            "Colour the routes by", style.COLOUR_BY, default="mode", required=True,
            format_func=legend.COLOUR_BY_LABELS.get, key=MAP_COLOUR_BY) or "mode"
        zoom = _zoom_buttons(zoom_box, key)
        facts = _facts(key, legs, dataset.legs)
        data, palette, undrawn = _route_data(key, colour_by, legs, dataset.legs,
                                             dataset.numbered)
        deck = _deck(key, colour_by, phone, zoom, facts.one_person, legs, (data, palette))
        event = st.pydeck_chart(
            deck, height=PHONE_HEIGHT if phone else MAP_HEIGHT, width="stretch",
            on_select="rerun", selection_mode="single-object",
            # A new chart per view: a selection never outlives the routes it named.
            key="route_map_" + hashlib.sha1(f"{key}|{colour_by}".encode()).hexdigest()[:12],
            alt=" ".join(filter(None, (facts.alt_text, undrawn))))
        if undrawn:
            st.caption(f"**Not every route is drawn.** {undrawn}")
        st.html(legend.legend_html(
            legend.COLOUR_BY_LABELS[colour_by], palette, has_areas=len(data.areas["key"]) > 0,
            has_markers=len(data.markers["to"]) > 0, numbered=facts.one_person))
    _pinned(dataset.legs, legs, data, event)
    certainty.legend()
    for note in facts.notes:
        st.caption(plain(note))  # may name places of the data
    _table(key, legs, dataset.legs)


def _zoom_buttons(box, key: str) -> int:
    """Zoom in, zoom out and fit: steps away from the fitted view, reset by a new view."""
    if st.session_state.get(MAP_ZOOM, (key, 0))[0] != key:
        st.session_state[MAP_ZOOM] = (key, 0)
    steps = st.session_state.get(MAP_ZOOM, (key, 0))[1]
    with box.container(horizontal=True, horizontal_alignment="right", gap="small"):
        if st.button("Zoom in", icon=":material/zoom_in:", key="map_zoom_in"):
            steps += 1
        if st.button("Zoom out", icon=":material/zoom_out:", key="map_zoom_out"):
            steps -= 1
        if st.button("Fit", icon=":material/fit_screen:", key="map_fit",
                     help="Show every route shown again, after you moved or zoomed the map"):
            steps = 0
    st.session_state[MAP_ZOOM] = (key, steps)
    return steps


# Built once per view (filters, colour, phone or not, zoom steps) and kept written as
# JSON, which is all st.pydeck_chart reads of it.
@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _deck(key: str, colour_by: str, phone: bool, zoom: int, one_person: bool,
          _legs: pd.DataFrame, _drawn):
    size = maps.NARROW if phone else maps.WIDE
    view = _fitted(key, phone, _drawn[0])
    if zoom:
        view = type(view)(longitude=view.longitude, latitude=view.latitude,
                          zoom=max(0.5, min(12.0, view.zoom + zoom)))
    return maps.WrittenDeck(maps.build_deck(_legs, colour_by=colour_by, view=view, size=size,
                                            numbered=one_person, drawn_routes=_drawn))


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _fitted(key: str, phone: bool, _routes):
    # Keyed by the legs alone: every colour choice draws the same routes' ends.
    return maps.fit_routes(_routes, size=maps.NARROW if phone else maps.WIDE)


# Once per view: the deck, the legend and the pinned legs all read it; with what the map
# leaves undrawn (read off the routes' table: a few tenths of a millisecond a click).
@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _route_data(key: str, colour_by: str, _legs: pd.DataFrame, _every_leg: pd.DataFrame,
                _numbered):
    column = style.COLOUR_COLUMNS[colour_by]
    if column not in _legs:  # not among the columns every view copies: taken for this one
        _legs = _legs.assign(**{column: _every_leg[column].loc[_legs.index]})
    data, palette = maps.route_data(_legs, colour_by, _numbered)
    return data, palette, undrawn_note(data.routes)


@dataclass(frozen=True)
class _Facts:
    """What the map section says of a view beside the map."""

    one_person: bool  # the legs are one person's: the map numbers them
    alt_text: str
    notes: tuple[str, ...]  # what the view leaves out or shows coarser


# One cached call for the small facts of a view: each call of a cached function costs a
# few tenths of a millisecond before any work, a cost paid on every click.
@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _facts(key: str, _legs: pd.DataFrame, _every_leg: pd.DataFrame) -> _Facts:
    # Each person as a number (a view's people are categories: their codes), counted and
    # compared as numbers: taking every column of 100,000 legs to count them took 15 ms,
    # making Python strings of them 8 ms.
    people = pd.factorize(_legs["person"])[0]
    shown = people[_legs["located"].to_numpy(dtype=bool)]
    count = len(np.unique(shown))
    alt = (f"Map of {len(shown):,} journey legs of {count:,} "
           f"{'person' if count == 1 else 'people'}; the same legs are listed in the "
           "table below the map.")
    return _Facts(len(people) > 0 and bool((people == people[0]).all()), alt,
                  tuple(view_notes(_legs, _every_leg).values()))


def _pinned(every_leg: pd.DataFrame, legs: pd.DataFrame, data: routes.MapData, event
            ) -> None:
    """The legs of the clicked line, area or dot: every person, note, certainty and source
    (read from `every_leg`, the dataset's legs with all their columns)."""
    objects = (event or {}).get("selection", {}).get("objects", {})
    chosen, title = None, ""  # no empty frame made on every click: 0.8 ms here
    if objects.get("routes"):
        route = int(objects["routes"][0]["route"])
        if route < len(data.routes):
            chosen = routes.legs_of_routes(every_leg, data, [route])
            title = f"{chosen['from'].iloc[0]} → {chosen['to'].iloc[0]}" if len(chosen) else ""
    if objects.get("areas"):
        properties = objects["areas"][0].get("properties", {})
        chosen = routes.legs_in_area(every_leg, data, str(properties.get("key", "")))
        title = str(properties.get("tip", ""))
    if objects.get("outcomes"):
        place = objects["outcomes"][0].get("to", "")
        ended = legs.index[legs["located"].to_numpy(dtype=bool)].intersection(
            every_leg.index[every_leg["to"] == place], sort=False)
        chosen = every_leg.loc[ended].sort_values(["person", "leg"])
        title = f"Legs ending at {place}"
    if chosen is None or chosen.empty:
        st.caption("Click a line, a shaded area or a ringed dot on the map to pin its legs "
                   "here, with every person, note and source.")
        return
    with st.container(border=True, key="map_pinned"):
        st.subheader(plain(f"Pinned: {title}"), anchor=False)
        st.caption(f"{len(chosen):,} leg(s) of {chosen['person'].nunique():,} "
                   "person(s). Click elsewhere on the map to unpin.")
        for leg, years in zip(chosen.head(50).to_dict("records"),
                              year_label(chosen.head(50)).tolist(), strict=True):
            _pinned_leg(leg, years)
        if len(chosen) > 50:
            st.caption(f"The first 50 of {len(chosen):,} legs; the table below lists all.")


def _pinned_leg(leg: dict, years: str) -> None:
    word = leg["certainty"] or "not given"
    meaning = f" ({plain(CERTAINTY_MEANINGS[word])})" if word in CERTAINTY_MEANINGS else ""
    st.markdown(f"**{plain(leg['name'])}**, leg {leg['leg']}: {plain(leg['from'])} → "
                f"{plain(leg['to'])}  \n{plain(leg['mode'])} · {plain(years)} · "
                f"{plain(leg['outcome'])} · certainty: **{plain(word)}**{meaning}")
    if leg["note"]:
        st.text(leg["note"])
    st.caption(plain(f"Source: {leg['citation'] or 'not given'}"))
    for number, link in enumerate(links_of(leg["source_links"]), start=1):
        st.link_button(f"Open source {number}", link)


def _table(key: str, legs: pd.DataFrame, every_leg: pd.DataFrame) -> None:
    """The text alternative to the map: the legs it shows, one row each."""
    # Built only while open (a rerun opens it): closed, it costs a rerun nothing.
    box = st.expander("The legs on the map, as a table", key=MAP_TABLE_OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        st.dataframe(_table_rows(key, legs, every_leg), hide_index=True, key="map_table",
                     column_config={"link": st.column_config.LinkColumn("link")})
        # The legs on the map: those without coordinates are in the other tabs' tables.
        on_map = int(legs["located"].sum())
        if on_map > TABLE_ROWS:
            st.caption(f"The first {TABLE_ROWS:,} of the {on_map:,} legs on the map.")


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _table_rows(key: str, _legs: pd.DataFrame, _every_leg: pd.DataFrame) -> pd.DataFrame:
    shown = _every_leg.loc[_legs.index[_legs["located"].to_numpy(dtype=bool)][:TABLE_ROWS]]
    return pd.DataFrame({
        "person": shown["name"], "leg": shown["leg"], "from": shown["from"],
        "to": shown["to"], "how": shown["mode"], "year": year_label(shown),
        "what happened": shown["outcome"], "certainty": shown["certainty"],
        "precision": precision_note(shown), "source": shown["citation"],
        "link": [next(iter(links_of(links)), "") for links in shown["source_links"]]})
