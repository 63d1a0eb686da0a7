"""The one-file HTML opened from disk in Debian's Chromium with every request refused: the map
(areas, fades, colour by, numbers, a click that pins a route), the charts, the filters and
story mode work in the page, with no error and no request, and the page draws what the
dashboard draws for the same filters.

A test that reads no pixel of the maps and points at nothing on them opens the file with
its maps built but not drawn (`draw_map=False`, browser.no_map_drawing): its screenshots show
the maps' places blank. The opening test, the filters, a pinned route and story mode's
slides draw them (any error drawing them fails those).

Skips locally without /usr/bin/chromium; fails in CI instead.
"""

from __future__ import annotations

import base64
import io
import json
import math
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest
from browser import OUTPUT, Visit, require
from conftest import FIXTURES, bundled_data
from PIL import Image

from routes_dash import bundled
from routes_dash.journeys import notes, routes, story
from routes_dash.journeys.dataset import load_folder
from routes_dash.journeys.filters import Filters, filter_legs
from routes_dash.render import charts, export, flow, maps, story_map, style

require()
pytestmark = pytest.mark.browser

READY = "document.documentElement.dataset.ready === 'true'"


def write_html(folder, dataset, legs=None, filters=""):
    view = export.View(data="the bundled journeys", sources=dataset.sources, filters=filters)
    legs = dataset.legs if legs is None else legs
    (name, data), = export.WRITERS["html"](legs, dataset.people, view).items()
    path = folder / name
    path.write_bytes(data)
    return path


class Opened(Visit):
    """The HTML file in a page that records every request it makes (`draw_map=False`: its
    maps built but not drawn, for a test that reads no pixel of them and picks nothing on
    them with the pointer)."""

    # The file's two maps (`.map`: the page's and story mode's), as the dashboard's: each
    # map's container keeps its size, from which the page fits its view.
    canvases = ".map canvas"

    def __init__(self, browser, path, width=1280, height=720, fragment="", draw_map=True):
        self.requests: list[str] = []
        super().__init__(browser, "about:blank", width=width, height=height, app=False,
                         draw_map=draw_map)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_function(READY)

    def sent(self) -> list[str]:
        """Requests other than the file itself (none may leave it)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:"))]

    def value(self, expression: str):
        return self.page.evaluate(f"() => {expression}")

    def act_and_redraw(self, action):
        before = self.value("routesDash.page.drawn")
        action()
        self.page.wait_for_function(f"() => routesDash.page.drawn > {before}")

    def map_image(self, selector="#map") -> Image.Image:
        self.page.evaluate("() => new Promise(done => requestAnimationFrame("
                           "() => requestAnimationFrame(() => done())))")
        shot = self.page.locator(f"{selector} canvas").first.screenshot()
        return Image.open(io.BytesIO(shot)).convert("RGB")


@pytest.fixture(scope="module")
def bundled_html(tmp_path_factory):
    return write_html(tmp_path_factory.mktemp("html"), bundled_data())


@pytest.fixture
def opened(browser, bundled_html):
    pages = []

    def make(**options):
        v = Opened(browser, bundled_html, **options)
        pages.append(v)
        return v

    yield make
    for v in pages:
        v.close()


@pytest.fixture(scope="module")
def file_page(browser, bundled_html):
    """One page of the file for the tests that only call its functions on its data (each
    load compiles the map's shaders again: some 10 s in software WebGL); they read no
    pixel, so its maps are built but not drawn."""
    v = Opened(browser, bundled_html, draw_map=False)
    yield v
    v.close()


def _share(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 6) -> float:
    pixels = np.asarray(image.resize((200, 150)), dtype=int).reshape(-1, 3)
    return float((np.abs(pixels - rgb).max(axis=1) <= tolerance).mean())


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(style.rgb(colour)[:3])


def test_the_file_opens_offline_with_map_and_charts_and_no_error(opened):
    v = opened()
    image = v.map_image()
    assert _share(image, _hex(style.SEA)) > 0.05, "the sea of the basemap is drawn"
    assert _share(image, _hex(style.LAND)) > 0.05, "the countries of the basemap are drawn"
    # A country known only as an area is shaded (its fill over the land), not a point.
    alpha = style.AREA_FILL_ALPHA / 255
    shaded = [round(land * (1 - alpha) + fill * alpha)
              for land, fill in zip(_hex(style.LAND), _hex(style.AREA_FILL), strict=True)]
    assert _share(image, tuple(shaded), tolerance=8) > 0.005, "areas are shaded"
    legs = bundled_data().legs
    view = pdk.ViewState(**v.value("routesDash.page.map.drawn.view"))
    deck = maps.build_deck(legs, view=view)
    lines = next(layer for layer in deck.layers if layer.id == "routes")
    assert v.value("routesDash.page.map.drawn.layers.routes.length") == len(lines.data), \
        "every line the dashboard's map draws"
    assert not v.page.locator("#map-undrawn").is_visible(), "every route is drawn"
    assert v.page.locator("#map-legend").inner_text().count("fades inside the shaded area")
    assert v.page.locator("#by-mode .point").count() == legs["mode"].nunique()
    assert v.page.locator("#flow .sankey-link").count() > 0
    assert v.page.locator("#timeline .point").count() == len(legs)
    assert v.page.get_by_role("heading", name="How people travelled: legs by mode").count() == 1
    v.page.locator("#by-mode").locator("xpath=..").get_by_text("Show as a table").click()
    assert v.page.locator("#by-mode ~ details table tbody tr").count() == legs["mode"].nunique()
    assert v.errors == [] and v.outside == [] and v.sent() == []
    assert v.dialogs == []
    OUTPUT.mkdir(exist_ok=True)
    for width, height in ((1920, 1080), (1280, 720)):
        v.page.set_viewport_size({"width": width, "height": height})
        v.page.screenshot(path=OUTPUT / f"html-{width}.png")


def test_the_filters_run_in_the_page_and_narrow_every_section(opened):
    v = opened()
    legs = bundled_data().legs
    person = legs.groupby("person").size().idxmax()
    name = legs.loc[legs["person"] == person, "name"].iloc[0]
    v.page.locator('[data-filter="people"] summary').click()
    v.act_and_redraw(lambda: v.page.get_by_label(name, exact=True).check())
    kept = filter_legs(legs, Filters(people=(person,)))
    assert v.page.locator("#summary").inner_text().startswith(f"{len(kept)} legs of 1 person")
    assert v.value("routesDash.page.rows.length") == len(kept)
    assert f"person={person}" in unquote(v.value("location.hash"))
    timeline = v.value("document.getElementById('timeline').data")
    assert {y for trace in timeline for y in trace["y"]} == {name}
    assert v.page.locator("#legs-table tbody tr").count() == len(kept)
    # One person: their legs are numbered on the map, and the legend says so.
    numbers = v.value("routesDash.page.map.drawn.layers.numbers.map(n => n.label).join(', ')")
    assert sorted(int(n) for n in numbers.split(", ")) == sorted(kept.loc[kept["located"], "leg"])
    assert "where each leg starts" in v.page.locator("#map-legend").inner_text()
    v.page.locator("#map").scroll_into_view_if_needed()
    v.page.screenshot(path=OUTPUT / "html-1280-person.png")

    first, last = 2004, 2009
    v.page.fill("#year-from", str(first))
    v.act_and_redraw(lambda: v.page.fill("#year-to", str(last)) or v.page.press("#year-to",
                                                                                "Enter"))
    kept = filter_legs(legs, Filters(people=(person,), years=(first, last)))
    assert v.value("routesDash.page.rows.length") == len(kept)
    v.act_and_redraw(lambda: v.page.click("#clear-filters"))
    assert v.value("routesDash.page.rows.length") == len(legs)
    assert v.errors == [] and v.sent() == []


def test_colour_by_recolours_the_routes_and_its_legend(opened):
    v = opened(draw_map=False)  # the colours of the routes it made, not their pixels
    legs = bundled_data().legs
    v.act_and_redraw(lambda: v.page.get_by_label("how certain").check())
    _, palette = style.colour_categories(legs, "certainty")
    legend = v.page.locator("#map-legend").inner_text()
    assert "Colour: how certain" in legend and all(word in legend for word in palette)
    colours = v.value("[...new Set(routesDash.page.map.drawn.layers.routes"
                      ".map(r => r.color.slice(0, 3).join(',')))]")
    assert {tuple(map(int, c.split(","))) for c in colours} <= {
        tuple(style.rgb(c)[:3]) for c in palette.values()}
    assert v.errors == []


def test_a_click_on_a_route_pins_its_legs_with_their_sources(opened):
    v = opened(fragment="#person=yeonmi-park")
    v.page.locator("#map").scroll_into_view_if_needed()
    # The middle of the first route's line, where the reader's pointer would be.
    point = v.page.evaluate("""() => {
        const map = routesDash.page.map, line = map.drawn.layers.routes[0];
        const [x, y] = map.deck.getViewports()[0].project(line.path[4]);
        const box = map.deck.getCanvas().getBoundingClientRect();
        return {x: box.left + x, y: box.top + y};
    }""")
    # As a reader does: the pointer on the line shows its tip, then the click. (A click the
    # instant the pointer arrives, before deck.gl has picked anything there, found nothing
    # in about one run in six.)
    v.page.mouse.move(point["x"], point["y"])
    v.page.wait_for_function(
        "() => (document.querySelector('#map .deck-tooltip')?.textContent || '').includes('→')")
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_function("() => routesDash.page.pinned > 0")
    pinned = v.page.locator("#map-pinned").inner_text()
    legs = bundled_data().legs
    mine = legs[legs["person"] == "yeonmi-park"]
    assert pinned.startswith("Pinned: ") and "Source: " in pinned
    assert any(citation[:40] in pinned for citation in mine["citation"])
    assert v.page.locator("#map-pinned a[href^='http']").count() >= 1
    v.page.locator("#map-pinned").screenshot(path=OUTPUT / "html-pinned.png")
    assert v.errors == []


def test_a_link_to_the_file_reopens_its_view(opened):
    legs = bundled_data().legs
    v = opened(fragment="#country=Mongolia&mode=on%20foot", draw_map=False)
    kept = filter_legs(legs, Filters(countries=("Mongolia",), modes=("on foot",)))
    assert v.value("routesDash.page.rows.length") == len(kept) > 0
    assert v.errors == []


def test_a_file_saved_from_a_filtered_view_says_which_filters(browser, tmp_path):
    dataset = bundled_data()
    chosen = Filters(countries=("Laos",))
    words = export.filters_in_words(chosen)
    path = write_html(tmp_path, dataset, filter_legs(dataset.legs, chosen), filters=words)
    v = Opened(browser, path, draw_map=False)
    assert f"saved with the filters {words}" in v.page.inner_text("#summary")
    assert words in v.page.inner_text("#about-data")
    assert v.errors == [] and v.sent() == []
    v.close()


def _told(person: str) -> tuple[story.Slide, ...]:
    """A bundled person's slides, as the page's story mode tells them."""
    dataset = bundled_data()
    row = dataset.people.set_index("person").loc[person].to_dict()
    return story.slides(story.steps(dataset.legs, person), {**row, "person": person},
                        dataset.sources)


def _slide_text(v) -> dict:
    return v.value("""{
        const box = document.getElementById('story-slide');
        const text = selector => [...box.querySelectorAll(selector)].map(e => e.textContent);
        return {title: text('h3')[0], lead: text('.lead')[0], warnings: text('.warning'),
                sure: text('.sure')[0] || '', step: document.getElementById('story-step')
                .textContent, links: [...box.querySelectorAll('a')].map(a => a.href)};
    }""")


def test_story_mode_tells_the_pages_slides(opened):
    # Drawn: the one test that draws the story map, its slide's legs over the earlier ones.
    v = opened()
    legs = bundled_data().legs
    person = legs.groupby("person").size().idxmax()
    slides = _told(person)
    v.page.select_option("#story-person", person)
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    shown = _slide_text(v)
    assert shown["step"] == f"1 of {len(slides)}"
    assert (shown["title"], shown["lead"]) == (slides[0].title, slides[0].lead)
    assert shown["warnings"] == list(slides[0].warnings)
    assert v.page.is_disabled("#story-previous")
    assert v.value("routesDash.page.storyMap.drawn.layers.numbers.length") >= 1, \
        "the opening slide shows the whole route, numbered"
    v.page.click("#story-next")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 2")
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 3")
    shown = _slide_text(v)
    third = slides[2]
    assert shown["step"] == f"3 of {len(slides)}"
    assert (shown["title"], shown["lead"], shown["sure"]) == (
        third.title, third.lead, story.certainty_text(third.certainty))
    assert {link for cited in third.sources for link in cited.links} <= set(shown["links"])
    assert f"story={person}&step=3" in v.value("location.hash")
    earlier = v.value("routesDash.page.storyMap.drawn.layers.earlier.length")
    assert earlier >= 1, "earlier legs are drawn faintly"
    marker = v.value("document.getElementById('story-timeline').data.at(-1).text")
    assert marker == [f"leg {third.leg}"]
    # A bar clicked on the story's timeline goes to its leg's slide.
    leg = v.value("document.getElementById('story-timeline').data[0].customdata[0]")
    v.page.locator("#story-timeline").scroll_into_view_if_needed()
    box = v.page.locator("#story-timeline .trace.bars").first.locator(".point").first \
        .bounding_box()
    v.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    v.page.wait_for_function("() => routesDash.page.storyShown >= 4")
    step = next(n for n, s in enumerate(slides, 1) if s.leg == leg)
    assert _slide_text(v)["step"] == f"{step} of {len(slides)}"
    sources = v.page.inner_text("#story-sources")
    assert all(cited.text in sources for cited in slides[-1].used)
    assert v.errors == [] and v.sent() == []


def test_a_link_opens_the_story_at_its_slide_and_the_last_is_the_closing(opened):
    person = bundled_data().legs["person"].iloc[0]
    slides = _told(person)
    v = opened(fragment=f"#story={person}&step={len(slides)}", draw_map=False)
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    shown = _slide_text(v)
    assert (shown["title"], shown["lead"]) == (slides[-1].title, slides[-1].lead)
    assert v.page.is_disabled("#story-next")
    assert v.errors == []


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720), (390, 844)])
def test_a_story_slide_reads_large_at_every_size(opened, width, height):
    legs = bundled_data().legs
    person = legs.groupby("person").size().idxmax()
    v = opened(width=width, height=height, fragment=f"#story={person}&step=3",
               draw_map=False)
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    v.page.locator("#story-section").scroll_into_view_if_needed()
    v.page.locator(".story-nav").evaluate("e => e.scrollIntoView()")
    v.page.screenshot(path=OUTPUT / f"html-story-{width}.png")
    sizes = v.value("['.lead', '.sure'].map(s => parseFloat(getComputedStyle("
                    "document.querySelector('#story-slide ' + s)).fontSize))")
    assert min(sizes) >= (18 if width < 640 else 24), "a class at the back can read it"
    assert v.value("document.documentElement.scrollWidth") <= width
    assert v.errors == []


def test_on_a_phone_the_file_reads_in_one_column(opened):
    v = opened(width=390, height=844, draw_map=False)  # the view fitted to its box
    width = v.value("document.documentElement.scrollWidth")
    assert width <= 390, "nothing runs off the side of a phone"
    size = v.value("[document.getElementById('map').clientWidth, "
                   "document.getElementById('map').clientHeight]")
    assert v.value("routesDash.page.map.drawn.view.zoom") == maps.fit_view(
        bundled_data().legs, size=tuple(size)).zoom // 0.25 * 0.25, "fitted to the phone"
    v.page.screenshot(path=OUTPUT / "html-390.png")
    assert v.errors == []


# --- the page draws what the dashboard draws ----------------------------------------------------

MAP_SIZE = maps.WIDE
MAP_CHOICES = [(Filters(), "mode"), (Filters(countries=("China",)), "outcome"),
               (Filters(modes=("plane", "on foot"), years=(2000, 2015)), "certainty"),
               (Filters(countries=("Laos",)), "person"),
               (Filters(people=("yeonmi-park",)), "mode")]
MAP_LAYERS = ("routes", "fades", "arrows", "places", "outcomes", "labels", "cities",
              "city-names", "country-names", "numbers")


def _chosen(filters: Filters) -> dict:
    return {"people": list(filters.people), "countries": list(filters.countries),
            "modes": list(filters.modes), "outcomes": list(filters.outcomes),
            "years": list(filters.years) if filters.years else None}


def _close(a, b) -> bool:
    """Equal, numbers within a rounding step of the third decimal (the page's own)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, abs_tol=1.5e-3)
    return a == b


@pytest.mark.parametrize(("chosen", "colour_by"), MAP_CHOICES,
                         ids=["all", "China", "plane-or-foot-2000s", "Laos", "one-person"])
def test_the_file_draws_the_map_as_the_dashboard(file_page, chosen, colour_by):
    legs = filter_legs(bundled_data().legs, chosen)
    numbered = legs["person"].nunique() == 1
    page = file_page.page.evaluate("""([chosen, colourBy, numbered, size]) => {
        const data = routesDash.page.data, rows = routesDash.filter(data, chosen);
        const made = routesDash.mapLayers(data, rows, {colourBy, numbered, size});
        return JSON.parse(JSON.stringify(made));
    }""", [_chosen(chosen), colour_by, numbered, list(MAP_SIZE)])
    fitted = maps.fit_view(legs, size=MAP_SIZE)
    assert (page["fitted"]["longitude"], page["fitted"]["latitude"], page["fitted"]["zoom"]) \
        == (fitted.longitude, fitted.latitude, fitted.zoom), "the view fits as the page's"
    assert fitted.zoom - 0.25 < page["view"]["zoom"] <= fitted.zoom
    view = pdk.ViewState(**page["view"])
    deck = json.loads(maps.build_deck(legs, colour_by=colour_by, numbered=numbered, view=view,
                                      size=MAP_SIZE).to_json())
    layers = {layer["id"]: layer["data"] for layer in deck["layers"]}
    for layer in MAP_LAYERS:
        assert _close(page["layers"][layer], layers.get(layer, [])), layer
    areas = layers.get("areas", {"features": []})["features"]
    assert [f["properties"] for f in page["layers"]["areas"]] == [
        f["properties"] for f in areas], "the same areas, shaded"
    assert page["palette"] == maps.route_data(legs, colour_by)[1]


def test_past_the_most_routes_the_file_draws_and_says_what_the_dashboard_does(
        browser, tmp_path, monkeypatch):
    monkeypatch.setattr(routes, "MOST_ROUTES_DRAWN", 12)
    legs = bundled_data().legs
    v = Opened(browser, write_html(tmp_path, bundled_data()), draw_map=False)
    try:
        page = v.page.evaluate("""([size]) => {
            const data = routesDash.page.data, rows = routesDash.filter(data, {});
            const made = routesDash.mapLayers(data, rows, {size});
            return JSON.parse(JSON.stringify({layers: made.layers, view: made.view,
                                              undrawn: made.undrawn}));
        }""", [list(MAP_SIZE)])
        data, palette = maps.route_data(legs)
        deck = json.loads(maps.build_deck(legs, view=pdk.ViewState(**page["view"]),
                                          size=MAP_SIZE, drawn_routes=(data, palette)).to_json())
        layers = {layer["id"]: layer["data"] for layer in deck["layers"]}
        assert len(layers["routes"]) <= 12 < len(data.routes)
        for layer in ("routes", "fades", "arrows"):
            assert _close(page["layers"][layer], layers[layer]), layer
        said = notes.undrawn_note(data.routes)
        assert page["undrawn"] == said
        assert v.page.locator("#map-undrawn").is_visible()
        assert v.page.locator("#map-undrawn-text").inner_text() == said
        assert said in v.page.locator("#map").get_attribute("aria-label")
    finally:
        v.close()


def test_the_file_draws_a_story_step_as_the_dashboard(file_page):
    legs = bundled_data().legs
    person = legs.groupby("person").size().idxmax()
    steps = legs[legs["person"] == person].sort_values("leg")
    current, earlier = steps.iloc[[2]], steps.iloc[:2]
    page = file_page.page.evaluate("""([person, size]) => {
        const data = routesDash.page.data, rows = data.stories[person].rows;
        const made = routesDash.mapLayers(data, [rows[2]], {dimmed: rows.slice(0, 2),
            fitDimmed: false, size, maxZoom: data.storyMaxZoom.fine});
        return JSON.parse(JSON.stringify(made));
    }""", [person, list(MAP_SIZE)])
    assert page["fitted"]["zoom"] == maps.fit_view(current, max_zoom=story_map.TOWN_ZOOM,
                                                   size=MAP_SIZE).zoom
    deck = json.loads(maps.build_deck(current, view=pdk.ViewState(**page["view"]),
                                      dimmed=earlier, size=MAP_SIZE).to_json())
    layers = {layer["id"]: layer["data"] for layer in deck["layers"]}
    for layer in ("earlier", "earlier-fades", *MAP_LAYERS):
        assert _close(page["layers"].get(layer, []), layers.get(layer, [])), layer


CHART_CHOICES = [Filters(), Filters(countries=("China",)), Filters(people=("yeonmi-park",)),
                 Filters(outcomes=("caught", "repatriated", "detained")),
                 Filters(years=(1995, 2005))]


def _decoded(value):
    """plotly.py writes numeric arrays as {"dtype", "bdata"}: plain lists here, numbers
    rounded."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return _decoded((array.reshape(value["shape"]) if "shape" in value else array).tolist())
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_decoded(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def _as_page(chart: charts.Chart) -> dict:
    table = None if chart.table.empty else {
        "columns": list(chart.table.columns),
        "rows": [[None if pd.isna(x) else x.item() if hasattr(x, "item") else x for x in row]
                 for row in chart.table.itertuples(index=False)]}
    return {"title": chart.title, "note": chart.note, "alt": chart.alt, "table": table,
            "figure": _decoded(json.loads(chart.figure.to_json()))}


@pytest.mark.parametrize("chosen", CHART_CHOICES,
                         ids=["all", "China", "one-person", "caught", "1995-2005"])
def test_the_file_draws_the_charts_as_the_dashboard(file_page, chosen):
    legs = filter_legs(bundled_data().legs, chosen)
    arrivals = pd.read_csv(bundled.DATA / "arrivals.csv")
    page = file_page.page.evaluate("""(chosen) => {
        const data = routesDash.page.data, rows = routesDash.filter(data, chosen);
        const out = {};
        for (const name of ['timelineChart', 'byMode', 'byCountry', 'byYear', 'flow'])
            out[name] = routesDash[name](data, rows);
        out.story = routesDash.timeline(data, rows, 2);
        return JSON.parse(JSON.stringify(out));
    }""", _chosen(chosen))
    python = {"timelineChart": charts.timeline_chart(legs), "byMode": charts.legs_by_mode(legs),
              "byCountry": charts.outcomes_by_country(legs),
              "byYear": charts.legs_by_year(legs, arrivals), "flow": flow.outcome_flow(legs)}
    for name, chart in python.items():
        assert _decoded(page[name]) == _as_page(chart), name
    assert _decoded(page["story"]) == _decoded(json.loads(
        charts.timeline(legs, current=2).to_json()))


# --- hostile text --------------------------------------------------------------------------------


def test_hostile_text_in_the_file_runs_nothing(browser, tmp_path):
    path = write_html(tmp_path, load_folder(FIXTURES / "hostile"))
    assert b"<script>window.__xss" not in path.read_bytes()
    v = Opened(browser, path, draw_map=False)
    v.page.select_option("#story-person", "evil")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    assert "Evil <i>name</i>" in v.page.inner_text("#story-slide h3"), "the name as text"
    for _ in range(3):  # every slide, each leg's note and source as text
        v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 4")
    assert v.value("window.__xss") is None
    assert v.dialogs == [] and v.errors == [] and v.sent() == []
    assert "<b>bold</b>" in v.page.inner_text("#legs-table")
    hrefs = v.value("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    v.close()
