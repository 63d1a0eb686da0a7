"""The route map's deck, asserted from its JSON: where legs end, how sure they look, which way
they go, what the view shows, how many colours, and which names are written."""

import json
import math

import numpy as np
import pytest
from conftest import bundled_data

from routes_dash.journeys import areas, routes, story
from routes_dash.journeys.filters import Filters, filter_legs
from routes_dash.places.countries import country_points
from routes_dash.render import legpaths, maplabels, maps, story_map, style


def deck_json(legs, **options):
    return json.loads(maps.build_deck(legs, **options).to_json())


def layer(deck, layer_id):
    return next(x for x in deck["layers"] if x["id"] == layer_id)


def person(slug):
    legs = bundled_data().legs
    return legs[legs["person"] == slug]


def view_of(deck):
    v = deck["initialViewState"]
    return maps.pdk.ViewState(longitude=v["longitude"], latitude=v["latitude"], zoom=v["zoom"])


def test_the_deck_is_offline_with_a_bundled_basemap(bundled):
    deck = deck_json(bundled.legs)
    assert "mapProvider" not in deck  # no tiles from anywhere
    assert deck["mapStyle"] == "__MAP_STYLE__"  # pydeck's "none chosen": Streamlit adds none
    assert layer(deck, "countries")["data"] == "app/static/countries.geojson"
    text = json.dumps({k: v for k, v in deck.items() if k != "layers"})
    assert "http" not in text and "NaN" not in json.dumps(deck)


def test_no_leg_ends_at_a_countrys_invented_centre(bundled):
    legs = bundled.legs[bundled.legs["located"]]
    data, _ = maps.route_data(legs)
    zoom = maps.fit_view(legs).zoom
    centres = list(country_points().values())
    area_ends = 0
    for row, span in zip(data.routes.to_dict("records"), legpaths.spans(data.routes),
                         strict=True):
        shape = span and legpaths.draw_all([span], zoom)[0]
        if shape is None or not (row["from_area"] or row["to_area"]):
            continue
        area_ends += 1
        ends = []
        if row["to_area"]:
            ends.append((shape.fades[-1][0][-1], row["to_area"]))
        if row["from_area"]:
            ends.append((shape.fades[0][0][0], row["from_area"]))
        for (lon, lat), key in ends:
            if key.startswith("near:"):  # the vicinity of a point: its disc is shaded
                continue
            # The line fades out to nothing, away from any country's point.
            label = areas.area(key).label
            if key.startswith("country:"):
                assert all(math.dist((lat, lon), c) > 0.5 for c in centres), (row, lon, lat)
            assert math.dist((lon, lat), label) > 0.15, (row, lon, lat)
        assert min(opacity for _, opacity in shape.fades) <= 0.15
    assert area_ends > 10
    deck = deck_json(legs)
    dots = {(round(p["lat"], 2), round(p["lon"], 2)) for p in layer(deck, "places")["data"]}
    assert not dots & {(round(lat, 2), round(lon, 2)) for lat, lon in centres}
    shaded = {f["properties"]["key"] for f in layer(deck, "areas")["data"]["features"]}
    assert {"country:China", "province:China:Jilin"} <= shaded


@pytest.mark.parametrize("zoom", [0.5, 2.75, 4.0, 6.25, 9.0])
def test_lines_drawn_all_at_once_are_the_lines_drawn_one_by_one(bundled, towns, zoom):
    every = [span for legs in (bundled.legs, towns[1].legs)
             for span in legpaths.spans(maps.route_data(legs)[0].routes) if span is not None]
    legpaths._drawn.clear()  # nothing drawn before: every line is worked out here
    with np.errstate(over="ignore"):  # a bend past the map's top is clipped at the pole
        at_once = legpaths.draw_all([None, *every], zoom)
        assert at_once[0] is None
        assert at_once[1:] == [legpaths._draw_one(span, zoom) for span in every]
    assert sum(not span.inside and span.edge_in is None for span in every) > 500


def test_a_province_is_its_bundled_polygon_and_a_sea_area_a_vicinity():
    key = areas.area_key("North Hamgyong Province, North Korea", "North Korea", "province",
                         129.77, 42.05)
    assert areas.area(key).contains(129.77, 42.05) and key.startswith("province:North Korea")
    sea = areas.area_key("Yellow Sea near the Northern Limit Line, South Korea", "South Korea",
                         "province", 125.696, 37.667)
    assert sea.startswith("near:")


def test_an_anonymous_person_stays_coarse():
    legs = person("ji-young")
    assert legs["anonymized"].all()
    deck = deck_json(legs)
    assert layer(deck, "places")["data"] == []  # no point of theirs: only areas
    assert layer(deck, "labels")["data"] == []


def test_certainty_is_strength_and_disputed_is_dashed(bundled):
    lines = layer(deck_json(bundled.legs), "routes")["data"]
    by_word = {}
    for line in lines:
        word = line["tip"].split("certainty: ")[1].split("\n")[0]
        by_word.setdefault(word, []).append(line)
    assert {"documented", "inferred", "disputed"} <= set(by_word)
    assert all(line["color"][3] >= 200 and line["dash"] == [0, 0]
               for line in by_word["documented"] + by_word["own account"])
    assert all(line["color"][3] < 130 for line in by_word["inferred"] + by_word["single report"])
    assert all(line["dash"] != [0, 0] for line in by_word["disputed"])


def test_each_line_has_an_arrow_pointing_along_it(bundled):
    deck = deck_json(bundled.legs)
    lines, arrows = layer(deck, "routes")["data"], layer(deck, "arrows")["data"]
    assert len(arrows) == len(lines)
    zoom = deck["initialViewState"]["zoom"]
    for line, arrow in zip(lines, arrows, strict=True):
        (x0, y0), (x1, y1) = (legpaths.project(*line["path"][i], zoom) for i in (0, -1))
        if math.hypot(x1 - x0, y1 - y0) < 5:
            continue
        bearing = math.degrees(math.atan2(-(y1 - y0), x1 - x0))
        assert abs((arrow["angle"] - bearing + 180) % 360 - 180) < 60


@pytest.mark.parametrize("chosen", [Filters(countries=("Laos",)),
                                    Filters(people=("park-ji-hyun",)),
                                    Filters(people=("yeonmi-park",)), Filters()])
def test_the_view_fits_every_line_shown(chosen):
    legs = filter_legs(bundled_data().legs, chosen)
    # (Every bundled journey, Korea to the United States and the United Kingdom, is wider
    # than a phone's map can hold at the smallest zoom.)
    for size in (maps.WIDE, maps.NARROW) if chosen.people or chosen.countries else (maps.WIDE,):
        deck = deck_json(legs, size=size)
        west, south, east, north = maplabels.bounds(view_of(deck), size)
        vertices = [p for name in ("routes", "fades") for line in layer(deck, name)["data"]
                    for p in line["path"]]
        assert vertices
        assert all(west <= lon <= east and south <= lat <= north for lon, lat in vertices)
    if chosen.countries:  # the legs through Laos: closer than all of them
        whole = deck_json(bundled_data().legs, size=maps.NARROW)
        assert deck["initialViewState"]["zoom"] > whole["initialViewState"]["zoom"]


@pytest.mark.parametrize("colour_by", style.COLOUR_BY)
def test_colour_by_uses_at_most_seven_colours(bundled, colour_by):
    lines = layer(deck_json(bundled.legs, colour_by=colour_by), "routes")["data"]
    colours = {tuple(line["color"][:3]) for line in lines}
    assert 1 < len(colours) <= 7
    _, palette = style.colour_categories(bundled.legs, colour_by)
    assert colours <= {tuple(style.rgb(c)[:3]) for c in palette.values()}


# Each text layer: its text's field, type size, anchor and width of a character per pixel
# of type (the placement's estimates; a story's stop tags are bold 16-pixel type).
_TEXT_LAYERS = {"labels": ("label", 15, "start", 0.58), "city-names": ("label", 12, "start", 0.52),
                "country-names": ("label", 12, "middle", 0.66),
                "numbers": ("label", 14, "end", 0.52), "stop-numbers": ("number", 16, "end", 0.56),
                "stop-names": ("name", 16, "start", 0.56)}


def _from_middle(x, middle: float, zoom: float):
    """Pixels east of the map's middle of the world's copy the map shows (it repeats the
    world east and west)."""
    world = legpaths.TILE * 2**zoom
    return (x - middle + world / 2) % world - world / 2


def _boxes(deck, size=maps.WIDE, layers=("labels", "city-names", "country-names", "numbers")):
    """Every label's box as the placement estimates it, in pixels of a map of `size`."""
    view = view_of(deck)
    cx, cy = legpaths.project(view.longitude, view.latitude, view.zoom)
    boxes = []
    for name in layers:
        field, font, anchor, factor = _TEXT_LAYERS[name]
        data = next((x["data"] for x in deck["layers"] if x["id"] == name), [])
        for label in data:
            x, y = legpaths.project(label["lon"], label["lat"], view.zoom)
            x, y = _from_middle(x, cx, view.zoom) + size[0] / 2, y - cy + size[1] / 2
            width, height = len(label[field]) * font * factor + 6, font * 1.3
            left = {"start": x + 4, "middle": x - width / 2, "end": x - 6 - width}[anchor]
            boxes.append((label[field], left, y - height / 2, left + width, y + height / 2))
    return boxes


@pytest.mark.parametrize("chosen", [Filters(), Filters(people=("yeonmi-park",)),
                                    Filters(countries=("China",)),
                                    Filters(people=("jang-jin-sung", "kang-chol-hwan"))])
def test_labels_name_places_cities_and_countries_and_never_overlap(chosen):
    legs = filter_legs(bundled_data().legs, chosen)
    deck = deck_json(legs, numbered=legs["person"].nunique() == 1)
    boxes = _boxes(deck)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            assert not overlap, f"{a[0]!r} overlaps {b[0]!r}"
    names = {label["label"] for name in ("labels", "city-names", "country-names")
             for label in layer(deck, name)["data"]}
    if not chosen.people:
        assert any(n.isupper() for n in names), "countries are named"
        assert "Beijing" in names  # the busiest place, even at the world's scale
    elif len(chosen.people) == 2:
        assert {"Seoul", "Beijing", "Pyongyang"} <= names


@pytest.mark.parametrize("chosen", [Filters(), Filters(countries=("China",)),
                                    Filters(countries=("Laos",))])
def test_city_and_country_names_never_cover_a_places_dot(towns, chosen):
    deck = deck_json(filter_legs(towns[1].legs, chosen))
    view, size = view_of(deck), maps.WIDE
    cx, cy = legpaths.project(view.longitude, view.latitude, view.zoom)
    dots = [(x - cx + size[0] / 2, y - cy + size[1] / 2) for x, y in (
        legpaths.project(p["lon"], p["lat"], view.zoom) for p in layer(deck, "places")["data"])]
    named = {c["label"] for c in layer(deck, "city-names")["data"]} | {
        c["label"] for c in layer(deck, "country-names")["data"]}
    for label, left, top, right, bottom in _boxes(deck):
        if label in named:
            assert not any(left < x + 5 and x - 5 < right and top < y + 5 and y - 5 < bottom
                           for x, y in dots), f"{label!r} covers a place's dot"


def _line_pixels(deck, size):
    """Points along every line the deck draws, a pixel or two apart, in map pixels."""
    view = view_of(deck)
    cx, cy = legpaths.project(view.longitude, view.latitude, view.zoom)
    points = []
    for name in ("routes", "fades", "earlier", "earlier-fades"):
        for line in next((x["data"] for x in deck["layers"] if x["id"] == name), []):
            lon, lat = np.asarray(line["path"], dtype=float).T
            x, y = legpaths.project(lon, lat, view.zoom)
            t = np.linspace(0, 1, 8)[:, None]
            xs = _from_middle((x[:-1] + (x[1:] - x[:-1]) * t).ravel(), cx, view.zoom) \
                + size[0] / 2
            ys = (y[:-1] + (y[1:] - y[:-1]) * t).ravel() - cy + size[1] / 2
            points += list(zip(xs.tolist(), ys.tolist(), strict=True))
    return points


STORIES = sorted(bundled_data().legs.loc[bundled_data().legs["located"], "person"].unique())


@pytest.mark.parametrize("size", [story_map.MAP_SIZE, story_map.PHONE_MAP_SIZE],
                         ids=["projector", "phone"])
def test_a_story_map_writes_no_name_past_its_edge_nor_over_a_stop_or_line(size):
    """On a 1280×720 projector and on a phone, every slide of every story: each name whole
    on the map (a stop of earlier legs cut by the edge is left out, names that would run
    past it or into another stop's tag are shortened), no two stops' tags over each other,
    and no city or country written over a stop's tag or a line."""
    for slug in STORIES:
        legs = story.steps(bundled_data().legs, slug)
        for step in range(1, len(legs) + 3):
            deck = json.loads(story_map.slide_deck(legs, step, size).to_json())
            places = _boxes(deck, size, ("city-names", "country-names"))
            tag_names = _boxes(deck, size, ("stop-names",))
            tag_numbers = _boxes(deck, size, ("stop-numbers",))
            current = {tag["number"] for tag in layer(deck, "stop-numbers")["data"]
                       if tag["color"] == story_map.CURRENT}
            # The slide's own stops always keep their numbers, framed with room for a few.
            for label, left, top, right, bottom in places + tag_names + [
                    box for box in tag_numbers if box[0] not in current]:
                assert left >= 0 and top >= 0 and right <= size[0] and bottom <= size[1], (
                    f"{slug}, slide {step}: {label!r} runs past the map's edge")
            tags = tag_names + tag_numbers
            for i, one in enumerate(tags):
                for other in tags[i + 1:]:
                    assert not (one[1] < other[3] and other[1] < one[3]
                                and one[2] < other[4] and other[2] < one[4]), (
                        f"{slug}, slide {step}: the stops' tags {one[0]!r} and {other[0]!r} "
                        "overlap")
            for place in places:
                for tag in tags:
                    assert not (place[1] < tag[3] and tag[1] < place[3]
                                and place[2] < tag[4] and tag[2] < place[4]), (
                        f"{slug}, slide {step}: {place[0]!r} covers the stop {tag[0]!r}")
                for x, y in _line_pixels(deck, size):
                    assert not (place[1] < x < place[3] and place[2] < y < place[4]), (
                        f"{slug}, slide {step}: a line crosses {place[0]!r}")


def test_labels_keep_the_datas_spelling(bundled):
    legs = bundled.legs.replace({"Hyesan, North Korea": "Hyesan, Nörth Koréa",
                                 "Changbai, China": "Chángbái, China"})
    deck = deck_json(legs[legs["person"] == "yeonmi-park"])
    labels = layer(deck, "labels")
    assert labels["characterSet"] == "auto"
    assert "Chángbái" in {label["label"] for label in labels["data"]}


def test_one_persons_legs_are_numbered():
    legs = person("yeonmi-park")
    numbers = layer(deck_json(legs, numbered=True), "numbers")["data"]
    shown = {int(n) for badge in numbers for n in badge["label"].split(", ")}
    assert shown == set(legs["leg"])


def test_a_story_step_draws_the_current_leg_over_the_earlier_ones():
    legs = person("hyeonseo-lee-family").sort_values("leg")
    current, earlier = legs.iloc[[2]], legs.iloc[:2]
    ends = (current["from"].iloc[0], current["to"].iloc[0])
    deck = deck_json(current, dimmed=earlier, numbered=True, labelled=ends, max_zoom=6)
    assert layer(deck, "earlier")["data"] and layer(deck, "routes")["data"]
    assert not layer(deck, "earlier")["pickable"]
    assert layer(deck, "numbers")["data"][0]["label"] == "3"
    assert deck["initialViewState"]["zoom"] <= 6


def test_a_clicked_route_names_its_legs(bundled):
    data, _ = maps.route_data(bundled.legs)
    for number in range(len(data.routes)):
        chosen = routes.legs_of_routes(bundled.legs, data, [number])
        route = data.routes.iloc[number]
        assert len(chosen) == route["legs"]
        assert set(chosen["from"]) == {route["from"]} and set(chosen["to"]) == {route["to"]}


def test_a_phone_too_narrow_for_every_route_shows_where_most_of_them_are(bundled):
    """On a phone the whole data (the United States to Japan) cannot fit even at the widest
    zoom: the view then holds most of the legs' ends, in East Asia, not the empty middle."""
    legs = bundled.legs[bundled.legs["located"]]
    view = maps.fit_view(legs, size=maps.NARROW)
    half = (maps.NARROW[0] - 2 * legpaths.PAD_PX) / 2 ** view.zoom / 2
    middle, _ = legpaths.project(view.longitude, view.latitude)
    ends, _ = legpaths.project(legs["to_lon"].to_numpy(), legs["to_lat"].to_numpy())
    across = float(legpaths.project(legs["to_lon"].max(), 0)[0]
                   - legpaths.project(legs["to_lon"].min(), 0)[0])
    assert across > 2 * half, "the data does not fit a phone: the case this is about"
    assert (abs(ends - middle) <= half).mean() > 0.5


def test_a_map_reaching_past_the_180th_meridian_draws_the_world_there(bundled):
    """A narrow map framed on Asia reaches past 180° east (a phone's story map of a leg in
    China, by a third of its width): the basemap's sea and land are drawn there too, as
    the world's copy east of it, never a blank strip."""
    reaching = []
    for slug in STORIES:
        legs = story.steps(bundled.legs, slug)
        for step in range(1, len(legs) + 3):
            view = story_map.slide_frame(legs, step, story_map.PHONE_MAP_SIZE)
            east = view.longitude + story_map.PHONE_MAP_SIZE[0] / 2 * 360 / (512 * 2**view.zoom)
            if east > 180:
                reaching.append((slug, step, legs))
    assert reaching, "a phone's story reaches past 180° east: the case this is about"
    for slug, step, legs in reaching[:3]:
        deck = json.loads(story_map.slide_deck(legs, step, story_map.PHONE_MAP_SIZE).to_json())
        assert deck["views"][0]["repeat"], f"{slug}, slide {step}: blank past 180° east"
        assert {"sea", "countries"} <= {x["id"] for x in deck["layers"]}


@pytest.mark.parametrize("zoom", [2.0, 4.5, 7.0])
def test_a_leg_between_overlapping_areas_runs_from_one_into_the_other(bundled, zoom):
    """A sea area just off the coast a leg comes ashore on overlaps that country along the
    line (East Sea off Sokcho → South Korea): the line crosses from one into the other
    there, between the two areas, never flung off the map towards a pole."""
    data, _ = maps.route_data(bundled.legs)
    both = data.routes[(data.routes["from_area"] != "") & (data.routes["to_area"] != "")]
    overlapping = 0
    for row, span in zip(both.itertuples(), legpaths.spans(both), strict=True):
        if span is None:
            continue
        a, b = areas.area(row.from_area), areas.area(row.to_area)
        overlapping += bool(a.crossings(span.start, span.end).max(initial=0.0)
                            > b.crossings(span.start, span.end).min(initial=1.0))
        west, south, east, north = (min(a.bounds[0], b.bounds[0]), min(a.bounds[1], b.bounds[1]),
                                    max(a.bounds[2], b.bounds[2]), max(a.bounds[3], b.bounds[3]))
        drawn = legpaths.draw_all([span], zoom)[0]
        for lon, lat in (*drawn.solid, *(p for piece, _ in drawn.fades for p in piece)):
            assert west - 1 <= lon <= east + 1 and south - 1 <= lat <= north + 1, (
                f"{row.from_area} → {row.to_area} drawn at {lon}, {lat}")
    assert overlapping, "the bundled data has a leg between overlapping areas"


def test_a_leg_across_the_pacific_is_drawn_across_it(bundled):
    """Seoul → Torrance, South Korea → New York: each line goes the shorter way round the
    world (across the Pacific, the map repeating the world), never back across Eurasia and
    the Atlantic."""
    deck = deck_json(bundled.legs)
    lines = layer(deck, "routes")["data"]
    across = [line for line in lines
              if abs(line["path"][-1][0] - line["path"][0][0]) > 90]
    assert across, "the bundled data has legs between Asia and the Americas"
    for line in lines:
        lons = np.array([lon for lon, _ in line["path"]])
        assert np.abs(np.diff(lons)).sum() <= 180, line["tip"][:80]


@pytest.mark.parametrize("size", [story_map.MAP_SIZE, story_map.PHONE_MAP_SIZE],
                         ids=["projector", "phone"])
def test_every_story_slide_shows_its_legs_arrows_on_its_map(size):
    """The legs a slide is about are drawn on its map: each one's arrow within the frame
    (the world's copy east or west counted, as the map repeats it)."""
    for slug in STORIES:
        legs = story.steps(bundled_data().legs, slug)
        for step in range(1, len(legs) + 3):
            deck = json.loads(story_map.slide_deck(legs, step, size).to_json())
            view = view_of(deck)
            cx, cy = legpaths.project(view.longitude, view.latitude, view.zoom)
            for arrow in layer(deck, "arrows")["data"]:
                x, y = legpaths.project(*arrow["position"], view.zoom)
                x = _from_middle(x, cx, view.zoom) + size[0] / 2
                assert 0 <= x <= size[0] and 0 <= y - cy + size[1] / 2 <= size[1], (
                    f"{slug}, slide {step}: a leg's arrow is off the map")
