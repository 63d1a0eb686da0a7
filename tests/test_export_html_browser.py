"""The one-file HTML opened from disk in Debian's Chromium with every request refused: the map,
the charts, the filters and story mode work in the page, with no error and no request, and
the page draws what the dashboard draws for the same filters.

Skips locally without /usr/bin/chromium; fails in CI instead.
"""

from __future__ import annotations

import io
import json
import math
from urllib.parse import unquote

import numpy as np
import pytest
from browser import OUTPUT, Visit, require
from conftest import FIXTURES, bundled_data
from PIL import Image

from routes_dash.journeys.dataset import load_folder
from routes_dash.journeys.filters import Filters, filter_legs
from routes_dash.render import charts, export, maps
from routes_dash.render.style import LAND, SEA

require()
pytestmark = pytest.mark.browser

READY = "document.documentElement.dataset.ready === 'true'"


def write_html(folder, dataset):
    view = export.View(data="the bundled journeys", sources=dataset.sources)
    (name, data), = export.WRITERS["html"](dataset.legs, dataset.people, view).items()
    path = folder / name
    path.write_bytes(data)
    return path


class Opened(Visit):
    """The HTML file in a page that records every request it makes."""

    def __init__(self, browser, path, width=1280, height=720):
        self.requests: list[str] = []
        super().__init__(browser, "about:blank", width=width, height=height, app=False)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(READY)

    def sent(self) -> list[str]:
        """Requests other than the file itself (none may leave it)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:"))]

    def drawn(self) -> int:
        return self.page.evaluate("() => routesDash.page.drawn")

    def act_and_redraw(self, action):
        before = self.drawn()
        action()
        self.page.wait_for_function(f"() => routesDash.page.drawn > {before}")


@pytest.fixture(scope="module")
def bundled_html(tmp_path_factory):
    return write_html(tmp_path_factory.mktemp("html"), bundled_data())


@pytest.fixture
def opened(browser, bundled_html):
    pages = []

    def make(**size):
        v = Opened(browser, bundled_html, **size)
        pages.append(v)
        return v

    yield make
    for v in pages:
        v.close()


def _share(image: Image.Image, hex_colour: str, tolerance: int = 6) -> float:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    pixels = np.asarray(image.resize((200, 150)), dtype=int).reshape(-1, 3)
    return float((np.abs(pixels - rgb).max(axis=1) <= tolerance).mean())


def test_the_file_opens_offline_with_map_and_charts_and_no_error(opened):
    v = opened()
    image = Image.open(io.BytesIO(v.page.locator("#map canvas").first.screenshot()))
    image = image.convert("RGB")
    assert _share(image, SEA) > 0.05, "the sea of the basemap is drawn"
    assert _share(image, LAND) > 0.05, "the countries of the basemap are drawn"
    drawn = v.page.evaluate("() => routesDash.page.map.drawn.routes.length")
    routes = next(layer for layer in maps.build_deck(bundled_data().legs).layers
                  if layer.id == "routes")
    assert drawn == len(routes.data), "every route the dashboard's map draws"
    modes = bundled_data().legs["mode"].nunique()
    assert v.page.locator("#by-mode .point").count() == modes
    assert v.page.locator("#flow .sankey-link").count() > 0
    assert v.page.locator("#timeline .point").count() == len(bundled_data().legs)
    assert v.errors == [] and v.outside == [] and v.sent() == []
    assert v.dialogs == []
    for width, height in ((1920, 1080), (1280, 720)):
        v.page.set_viewport_size({"width": width, "height": height})
        v.page.screenshot(path=OUTPUT / f"html-{width}.png")


def test_the_filters_run_in_the_page_and_narrow_every_section(opened):
    v = opened()
    legs = bundled_data().legs
    person = legs["person"].iloc[0]
    name = legs["name"].iloc[0]
    v.page.locator('[data-filter="people"] summary').click()
    v.act_and_redraw(lambda: v.page.get_by_label(name, exact=True).check())
    kept = filter_legs(legs, Filters(people=(person,)))
    assert v.page.locator("#summary").inner_text().startswith(f"{len(kept)} legs of 1 person")
    assert v.page.evaluate("() => routesDash.page.rows.length") == len(kept)
    assert f"person={person}" in unquote(v.page.evaluate("() => location.hash"))
    timeline = v.page.evaluate("() => document.getElementById('timeline').data")
    assert {y for trace in timeline for y in trace["y"]} == {name}
    assert v.page.locator("#legs-table tbody tr").count() == len(kept)

    first, last = 2004, 2009
    v.page.fill("#year-from", str(first))
    v.act_and_redraw(lambda: v.page.fill("#year-to", str(last)) or v.page.press("#year-to",
                                                                                "Enter"))
    kept = filter_legs(legs, Filters(people=(person,), years=(first, last)))
    assert v.page.evaluate("() => routesDash.page.rows.length") == len(kept)
    v.act_and_redraw(lambda: v.page.click("#clear-filters"))
    assert v.page.evaluate("() => routesDash.page.rows.length") == len(legs)
    assert v.errors == [] and v.sent() == []


def test_a_link_to_the_file_reopens_its_view(browser, bundled_html):
    legs = bundled_data().legs
    v = Visit(browser, "about:blank", app=False)
    v.page.goto(bundled_html.as_uri() + "#country=Mongolia&mode=on%20foot")
    v.page.wait_for_function(READY)
    kept = filter_legs(legs, Filters(countries=("Mongolia",), modes=("on foot",)))
    assert v.page.evaluate("() => routesDash.page.rows.length") == len(kept) > 0
    assert v.errors == []
    v.close()


def test_story_mode_steps_through_a_journey(opened):
    v = opened()
    legs = bundled_data().legs
    person = legs.groupby("person").size().idxmax()
    steps = legs[legs["person"] == person].sort_values("leg")
    v.page.select_option("#story-person", person)
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    assert v.page.inner_text("#story-step") == f"Step 1 of {len(steps)}"
    assert v.page.is_disabled("#story-previous")
    panel = v.page.inner_text("#story-leg")
    first = steps.iloc[0]
    assert first["certainty"] in panel and first["citation"][:40] in panel
    v.page.click("#story-next")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 2")
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 3")
    assert v.page.inner_text("#story-step") == f"Step 3 of {len(steps)}"
    assert f"story={person}&step=3" in v.page.evaluate("() => location.hash")
    earlier = v.page.evaluate("() => routesDash.page.storyMap.drawn.earlier.length")
    assert earlier >= 1, "earlier steps are drawn faintly"
    v.page.locator("#story-section").screenshot(path=OUTPUT / "html-story.png")
    assert v.errors == [] and v.sent() == []


def test_on_a_phone_the_file_reads_in_one_column(opened):
    v = opened(width=390, height=844)
    width = v.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "nothing runs off the side of a phone"
    v.page.screenshot(path=OUTPUT / "html-390.png")
    assert v.errors == []


# --- the page draws what the dashboard draws ----------------------------------------------------

CHOICES = [Filters(), Filters(countries=("China",)),
           Filters(modes=("plane", "on foot"), years=(2000, 2015))]


def _plain(value):
    """Figure JSON with numbers rounded and arrays as lists, to compare Python and the page."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in list(value)]
    if isinstance(value, float | np.floating):
        return round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _points(trace: dict) -> list:
    """A trace's points as sorted tuples: pandas sorts bars of equal count in no set order."""
    per_point = [trace[k] for k in ("y", "x", "base", "hovertext") if k in trace]
    colour = trace.get("marker", {}).get("color")
    if isinstance(colour, list):
        per_point.append(colour)
    return sorted(zip(*per_point, strict=True), key=repr)


TRACE_KEYS = ("type", "name", "orientation", "node", "link", "text", "hovertemplate")
LAYOUT_KEYS = ("height", "barmode", "shapes", "annotations")


def _essentials(figure: dict) -> dict:
    layout = figure["layout"]
    return {
        "traces": [{**{k: _plain(t[k]) for k in TRACE_KEYS if k in t},
                    "points": _points(_plain(t))} for t in figure["data"]],
        "title": layout["title"]["text"],
        "subtitle": layout["title"].get("subtitle", {}).get("text"),
        **{k: _plain(layout.get(k)) for k in LAYOUT_KEYS},
        "xaxis": _plain({k: layout.get("xaxis", {}).get(k) for k in ("tickvals", "range")}),
        "yaxis": _plain(layout.get("yaxis", {}).get("categoryarray")),
    }


@pytest.mark.parametrize("chosen", CHOICES, ids=["all", "China", "plane-or-foot-2000s"])
def test_the_page_draws_the_charts_and_map_as_the_dashboard(opened, chosen):
    v = opened()
    dataset = bundled_data()
    legs = filter_legs(dataset.legs, chosen)
    arrivals = dataset_arrivals()
    python = {"timeline": charts.timeline(legs), "byMode": charts.legs_by_mode(legs),
              "byCountry": charts.outcomes_by_country(legs),
              "byYear": charts.legs_by_year(legs, arrivals), "flow": charts.outcome_flow(legs)}
    page = v.page.evaluate("""(chosen) => {
        const data = routesDash.page.data, rows = routesDash.filter(data, chosen);
        const out = {};
        for (const name of ['timeline', 'byMode', 'byCountry', 'byYear', 'flow'])
            out[name] = routesDash[name](data, rows);
        const drawn = routesDash.layerData(data, rows, 2.6);
        out.map = {routes: drawn.routes, outcomes: drawn.outcomes,
                   view: routesDash.fit(drawn.points, 6.5)};
        return JSON.parse(JSON.stringify(out));
    }""", {"people": list(chosen.people), "countries": list(chosen.countries),
           "modes": list(chosen.modes), "outcomes": list(chosen.outcomes),
           "years": list(chosen.years) if chosen.years else None})
    for name, figure in python.items():
        made = json.loads(figure.to_json())
        if name == "byYear":  # the arrivals trace is plotly.py's own, passed through
            made["data"], page[name]["data"] = made["data"][:1], page[name]["data"][:1]
        assert _essentials(page[name]) == _essentials(_decoded(made)), name
    deck = json.loads(maps.build_deck(legs).to_json())
    layers = {layer["id"]: layer["data"] for layer in deck["layers"]}
    fields = ("from_lat", "from_lon", "to_lat", "to_lon", "mode", "outcome", "legs",
              "description", "color", "width")
    assert [{k: r[k] for k in fields} for r in page["map"]["routes"]] == [
        {k: r[k] for k in fields} for r in layers["routes"]]
    assert [(m["outcome"], m["legs"], m["description"]) for m in page["map"]["outcomes"]] == [
        (m["outcome"], m["legs"], m["description"]) for m in layers["outcomes"]]
    view = deck["initialViewState"]
    assert page["map"]["view"]["zoom"] == pytest.approx(view["zoom"])
    assert page["map"]["view"]["latitude"] == pytest.approx(view["latitude"])
    assert page["map"]["view"]["longitude"] == pytest.approx(view["longitude"])


def dataset_arrivals():
    import pandas as pd

    from routes_dash import bundled

    return pd.read_csv(bundled.DATA / "arrivals.csv")


def _decoded(figure: dict) -> dict:
    """plotly.py writes numeric arrays as {"dtype", "bdata"}: as plain lists here."""
    import base64

    def decode(value):
        if isinstance(value, dict) and "bdata" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return array.reshape(value["shape"]) if "shape" in value else array
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(figure)


# --- hostile text --------------------------------------------------------------------------------


def test_hostile_text_in_the_file_runs_nothing(browser, tmp_path):
    path = write_html(tmp_path, load_folder(FIXTURES / "hostile"))
    assert b"<script>window.__xss" not in path.read_bytes()
    v = Opened(browser, path)
    v.page.select_option("#story-person", "evil")
    v.page.wait_for_function("() => routesDash.page.storyShown >= 1")
    assert v.page.evaluate("() => window.__xss") is None
    assert v.dialogs == [] and v.errors == [] and v.sent() == []
    assert "<b>bold</b>" in v.page.inner_text("#legs-table")
    hrefs = v.page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                            ".map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert math.isfinite(len(hrefs))
    v.close()
