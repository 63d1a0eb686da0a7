"""The real page in Debian's Chromium, served by `streamlit run`, with the network cut off.

Skips locally when /usr/bin/chromium is missing; under CI it fails instead, so the browser
tests always run there. Screenshots of each section land in test-output/.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable

import numpy as np
import pytest
from browser import OUTPUT, Visit, choose_legs_file, require
from conftest import FIXTURES, REPO, bundled_data, bundled_legs_shown
from PIL import Image

from routes_dash.bundled import BASEMAP_URL
from routes_dash.journeys import story
from routes_dash.journeys.dataset import load_folder
from routes_dash.journeys.filters import Filters, filter_legs
from routes_dash.render import export, maps

require()
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture
def visit(browser, server):
    opened = []

    def make(path: str = "/", **options):
        v = Visit(browser, server + path, **options)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.resize((200, 150)), dtype=int).reshape(-1, 3)


def _share(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 6) -> float:
    """The part of the image within `tolerance` of a colour."""
    return float((np.abs(_pixels(image) - rgb).max(axis=1) <= tolerance).mean())


def _hex(value: str) -> tuple[int, int, int]:
    return tuple(int(value.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def test_page_draws_offline_with_no_error(visit):
    from routes_dash.render.style import LAND, SEA

    v = visit()
    v.wait_for_map()
    assert v.page.locator('[data-testid="stException"]').count() == 0
    assert v.errors == []
    assert v.outside == [], "nothing may leave the machine"
    image = v.map_image()
    assert _share(image, _hex(SEA)) > 0.05, "the sea of the basemap is drawn"
    assert _share(image, _hex(LAND)) > 0.05, "the countries of the basemap are drawn"
    pixels = _pixels(image)
    other = np.ones(len(pixels), dtype=bool)
    for known in (_hex(SEA), _hex(LAND)):
        other &= np.abs(pixels - known).max(axis=1) > 30
    assert other.sum() > 200, "routes, markers and labels are drawn over the basemap"
    # The tab's icon is the map emoji, drawn in the browser, fetched from nowhere.
    v.page.wait_for_function(
        "(document.querySelector('link[rel~=icon]') || {}).href?.startsWith('data:')",
        timeout=60_000)
    icon = v.page.eval_on_selector("link[rel~=icon]", "link => decodeURIComponent(link.href)")
    assert "\N{WORLD MAP}" in icon
    v.shot("map")
    for tab, name in (("Timeline", "timeline"), ("Charts", "charts"),
                      ("People and sources", "people")):
        v.tab(tab)
        v.shot(name)
    v.tab("Timeline")
    assert v.page.get_by_role("heading", name="Timeline").count() == 1
    assert v.page.locator(".js-plotly-plot:visible").count() == 1
    v.tab("Charts")
    v.page.wait_for_url("**tab=Charts**")
    assert v.page.locator(".js-plotly-plot:visible").count() >= 4
    # The open tab is part of the link: the same link opens the charts.
    again = visit("/?tab=Charts")
    assert again.page.get_by_role("tab", name="Charts").get_attribute("aria-selected") == "true"
    assert v.errors == [] and v.outside == [] and again.outside == []


def test_choosing_a_person_with_the_mouse_narrows_the_map_and_the_link(visit):
    v = visit()
    before = v.map_image()
    assert v.legs_shown() == bundled_legs_shown()
    v.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    v.page.keyboard.type("Yeonmi")  # the list shows only the first few names
    v.act(v.page.get_by_role("option", name="Yeonmi Park").click)
    v.page.keyboard.press("Escape")
    v.page.wait_for_url("**person=yeonmi-park**")
    assert v.legs_shown() == bundled_legs_shown(people=("yeonmi-park",))
    after = v.map_image()
    assert before.tobytes() != after.tobytes()

    # The shared link is read for its words, not its map: drawing that is some 20 s of CPU.
    shared = visit(v.page.url.removeprefix(v.page.url.split("/?")[0]), draw_map=False)
    assert shared.legs_shown() == bundled_legs_shown(people=("yeonmi-park",))
    chosen = shared.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    assert "Yeonmi Park" in chosen.inner_text()
    assert shared.outside == [] and shared.errors == []


def _pixel(view, lat: float, lon: float, width: float, height: float) -> tuple[float, float]:
    """Web Mercator: where deck.gl draws (lat, lon) for this view, in canvas pixels."""
    scale = 512 * 2**view.zoom / (2 * math.pi)

    def project(la, lo):
        return scale * (math.radians(lo) + math.pi), scale * (
            math.pi - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)))

    cx, cy = project(view.latitude, view.longitude)
    x, y = project(lat, lon)
    return width / 2 + x - cx, height / 2 + y - cy


def _route_points(legs, size=maps.WIDE):
    """(view, [(lon, lat) of the middle of each drawn route line]) as the page draws them."""
    deck = json.loads(maps.build_deck(legs, size=size).to_json())
    v = deck["initialViewState"]
    view = maps.pdk.ViewState(latitude=v["latitude"], longitude=v["longitude"], zoom=v["zoom"])
    lines = next(x for x in deck["layers"] if x["id"] == "routes")["data"]
    return view, [line["path"][len(line["path"]) // 2] for line in lines]


def _hover_every_route(v: Visit, legs, found: Callable[[str], bool] = bool,
                       within_s: float = 90) -> list[str]:
    """Hover the middle of each drawn route; return the tooltips that showed. Hovered again
    while none of them is `found`, for up to `within_s` seconds: on a busy machine deck.gl
    may answer a hover later than the short wait for each tooltip."""
    v.wait_for_map()
    box = v.map_canvas().bounding_box()
    view, middles = _route_points(legs)
    points = [(x, y) for x, y in (_pixel(view, lat, lon, box["width"], box["height"])
                                  for lon, lat in middles)
              if 0 < x < box["width"] and 0 < y < box["height"]]
    tooltip = v.page.locator(".deck-tooltip").first
    seen: list[str] = []
    deadline = time.monotonic() + within_s
    while points and not any(map(found, seen)) and time.monotonic() < deadline:
        seen = []
        for x, y in points:
            v.page.mouse.move(box["x"] + x, box["y"] + y)
            try:  # a short wait: not every line's middle is free of other routes
                tooltip.wait_for(state="visible", timeout=2_000)
            except sync_api.TimeoutError:
                continue
            seen.append(tooltip.inner_text())
    return seen


def test_hovering_a_route_shows_its_tooltip(visit):
    v = visit("/?person=park-ji-hyun")
    legs = filter_legs(load_folder(REPO / "data").legs, Filters(people=("park-ji-hyun",)))
    tooltips = _hover_every_route(v, legs, lambda t: "Park Ji-hyun" in t and "certainty:" in t)
    assert any("Park Ji-hyun" in t and "certainty:" in t for t in tooltips)
    v.shot("tooltip")


HOSTILE = FIXTURES / "hostile"


@pytest.mark.parametrize("server", [HOSTILE], indirect=True)
def test_hostile_text_runs_nothing_and_links_nothing(visit):
    v = visit()
    legs = load_folder(HOSTILE).legs
    tooltips = _hover_every_route(v, legs, lambda t: "<" in t)
    assert tooltips, "the hostile legs are on the map"
    assert any("<" in t for t in tooltips), "markup in data is shown as text"
    for tab in ("Timeline", "Charts", "People and sources", "Route map"):
        v.tab(tab)
    page = v.page
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert v.dialogs == []
    assert v.outside == []
    v.shot("hostile")


def test_uploading_a_file_through_the_page_draws_it(visit, tmp_path):
    # The upload is read in the page's words, not the map's pixels: built but not drawn.
    v = visit(draw_map=False)
    legs = (FIXTURES / "other_journeys" / "legs.csv").read_bytes()
    path = tmp_path / "my-journeys.csv"
    path.write_bytes(legs.replace(b"Chiang Saen, Thailand", b"Chiang Sean, Thailand"))
    choose_legs_file(v.page, path)
    v.act(v.page.get_by_role("button", name="Show my data").click)
    assert v.legs_shown() == "10"
    assert v.page.get_by_text("1 place(s) of your file were not found").is_visible()
    v.shot("upload")
    assert v.errors == [] and v.outside == []


PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0 Mobile Safari/537.36")


@pytest.mark.parametrize(("width", "height", "path"), [
    (1920, 1080, "/"), (1280, 720, "/?person=yeonmi-park"), (390, 844, "/?person=yeonmi-park")])
def test_the_map_reads_at_each_screen_size(browser, server, width, height, path):
    phone = width < 600
    context = browser.new_context(viewport={"width": width, "height": height},
                                  user_agent=PHONE_AGENT if phone else None,
                                  is_mobile=phone, has_touch=phone)
    v = Visit(browser, server + path, context=context)
    try:
        v.wait_for_map()
        chart = v.page.locator('[data-testid="stDeckGlJsonChart"]')
        assert "journey legs" in chart.get_attribute("aria-label")
        legend = v.page.locator(".map-legend").first
        legend_box, page_width = legend.bounding_box(), v.page.viewport_size["width"]
        assert legend_box["x"] >= 0 and legend_box["x"] + legend_box["width"] <= page_width
        items = v.page.locator(".map-legend .item").all()
        boxes = [item.bounding_box() for item in items]
        for i, a in enumerate(boxes):  # the legend's entries never overlap
            for b in boxes[i + 1:]:
                assert (a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1
                        or a["y"] + a["height"] <= b["y"] + 1
                        or b["y"] + b["height"] <= a["y"] + 1)
        v.page.locator(".st-key-route_map_box").screenshot(
            path=str(OUTPUT / f"map-{width}.png"))
        assert v.errors == [] and v.outside == []
    finally:
        context.close()


def test_clicking_a_route_pins_its_legs_with_links(visit):
    v = visit("/?person=yeonmi-park")
    legs = filter_legs(load_folder(REPO / "data").legs, Filters(people=("yeonmi-park",)))
    v.wait_for_map()
    box = v.map_canvas().bounding_box()
    view, middles = _route_points(legs)
    for lon, lat in middles:
        x, y = _pixel(view, lat, lon, box["width"], box["height"])
        if not (0 < x < box["width"] and 0 < y < box["height"]):
            continue
        v.page.mouse.click(box["x"] + x, box["y"] + y)
        try:  # a short wait: a line's middle may lie under another line's label
            v.page.locator(".st-key-map_pinned").wait_for(state="visible", timeout=8_000)
            break
        except sync_api.TimeoutError:
            continue
    v.wait_until_idle()
    pinned = v.page.locator(".st-key-map_pinned")
    assert "Yeonmi Park" in pinned.inner_text() and "certainty" in pinned.inner_text()
    assert pinned.get_by_role("link").count() >= 1, "each source is a link"
    v.page.locator(".st-key-route_map_box").screenshot(path=str(OUTPUT / "map-pinned.png"))
    pinned.screenshot(path=str(OUTPUT / "map-pinned-details.png"))
    assert v.errors == [] and v.outside == []


# --- story mode on a classroom projector (1280×720, offline) -----------------------------------

PROJECTOR = {"width": 1280, "height": 720}
# Where the slide is on screen, and what the class can read without scrolling.
_SLIDE = """() => {
  const box = document.querySelector('.st-key-story_slide');
  const top = box.getBoundingClientRect().top, bottom = box.getBoundingClientRect().bottom;
  const texts = [...box.querySelectorAll('p, h2, li')];
  const sure = texts.find(e => e.innerText.startsWith('How sure'));
  const lead = box.querySelector('.st-key-story_lead p');
  const exit = [...document.querySelectorAll('button')].find(b => b.innerText === 'Exit story');
  return {
    title: box.querySelector('h2').innerText,
    lead: lead.innerText,
    leadVisible: lead.getBoundingClientRect().bottom <= bottom,
    sureVisible: !sure || sure.getBoundingClientRect().bottom <= bottom,
    slideBottom: bottom, slideTop: top,
    mapBottom: document.querySelector('[data-testid="stDeckGlJsonChart"]')
      .getBoundingClientRect().bottom,
    smallest: Math.min(...texts.filter(e => e.innerText.trim())
      .map(e => parseFloat(getComputedStyle(e).fontSize))),
    exitVisible: !!exit && exit.getBoundingClientRect().bottom <= window.innerHeight,
  };
}"""


_SHOWING = """title => {
  const heading = document.querySelector('.st-key-story_slide h2');
  return !!heading && heading.innerText === title;
}"""


def _told(person: str):
    data = bundled_data()
    legs = story.steps(data.legs, person)
    row = data.people.set_index("person").loc[person].to_dict()
    return story.slides(legs, {**row, "person": person}, data.sources)


def test_every_story_steps_through_offline_on_a_projector(browser, server):
    """Every bundled person's story, slide by slide with the → key, at 1280×720: the map
    and the slide (its sentence, the note, how sure) fit the first screen in type of
    24 px or more.

    What is read here is the slide's layout, not the map's drawing (test_a11y and the map
    tests look at that). Chromium draws WebGL in software here, so the map is built but not
    drawn: the basemap's country borders are served empty (some 1.5 s of CPU a slide), and
    the map's canvas takes no room (`draw_map=False`): deck.gl still builds every layer of
    every slide, and the map's box keeps its size, but it draws nothing, which took some
    12 s of each story's page load."""
    people = sorted(bundled_data().people["person"])
    v = Visit(browser, f"{server}/?story={people[0]}&present=1", draw_map=False, **PROJECTOR)
    v.page.route(f"**/{BASEMAP_URL}", lambda route: route.fulfill(
        content_type="application/json", body='{"type": "FeatureCollection", "features": []}'))
    try:
        for person in people:
            if v.page.url != f"{server}/?story={person}&present=1":
                v.open(f"{server}/?story={person}&present=1")
            for step, told in enumerate(_told(person), start=1):
                if step > 1:
                    v.page.keyboard.press("ArrowRight")
                    _wait_for_slide(v, step, told.title)
                seen = v.page.evaluate(_SLIDE)
                where = f"{person} slide {step}"
                assert seen["title"] == told.title and seen["lead"] == told.lead, where
                assert seen["mapBottom"] <= 720 and seen["slideBottom"] <= 720, where
                assert seen["leadVisible"] and seen["sureVisible"], where
                assert seen["smallest"] >= 24, where
                assert seen["exitVisible"], where
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def _wait_for_slide(v: Visit, step: int, title: str) -> None:
    """Wait for the slide the class would see. A step reruns only the slide's fragment, and
    a quick run may never show the page running, so runs are not counted (`Visit.act`):
    the link's step, then the slide's title, then the page idle."""
    v.page.wait_for_url(f"**step={step}**")
    v.page.wait_for_function(_SHOWING, arg=title)
    v.wait_until_idle()


def test_clicking_a_leg_on_the_timeline_goes_to_its_slide(browser, server):
    # The timeline and the slide are read, not the map: it is built but not drawn.
    v = Visit(browser, f"{server}/?story=yeonmi-park&present=1", draw_map=False, **PROJECTOR)
    try:
        chart = v.page.locator(".js-plotly-plot").first
        chart.evaluate("e => e.scrollIntoView({block: 'center'})")
        bars = chart.locator(".barlayer .point path")
        # Plotly catches the mouse on a layer above its bars: point at the bar's middle.
        box = bars.nth(bars.count() - 1).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        v.page.mouse.move(x, y)
        tooltip = v.page.locator(".hoverlayer .hovertext").first
        tooltip.wait_for(state="visible")
        leg = int(re.search(r"· leg (\d+)", tooltip.text_content()).group(1))
        v.page.mouse.click(x, y)
        legs = len(story.steps(bundled_data().legs, "yeonmi-park"))
        _wait_for_slide(v, leg + 1, f"Leg {leg} of {legs}")
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def test_copy_link_and_exit_story(browser, server):
    # The link and the buttons are read, not the map: it is built but not drawn.
    v = Visit(browser, f"{server}/?story=joseph-kim&step=4&present=1", draw_map=False,
              **PROJECTOR)
    try:
        v.page.get_by_role("button", name="Copy link to this step").click()
        link = v.page.locator('[data-testid="stPopoverBody"] code').inner_text()
        assert link == v.page.url
        v.page.keyboard.press("Escape")
        v.act(v.page.get_by_role("button", name="Exit story").click)
        v.page.wait_for_url(lambda url: "story=" not in url)
        assert v.page.get_by_role("tab", name="Route map").is_visible()
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def test_the_story_handout_opens_from_a_file_with_no_network(browser, tmp_path):
    data = bundled_data()
    legs = data.legs[data.legs["person"] == "shin-dong-hyuk"]
    files = export.export_files(["story"], legs, data.people, data.sources)
    (name,) = [n for n in files if n.endswith(".html")]
    path = tmp_path / name
    path.write_bytes(files[name])
    tab = browser.new_page(viewport={"width": 1000, "height": 800})
    requests: list[str] = []
    tab.route("**/*", lambda route: (requests.append(route.request.url),
                                    route.continue_() if route.request.url.startswith("file:")
                                    else route.abort()))
    try:
        tab.goto(path.as_uri())
        assert requests == [path.as_uri()], "nothing but the file itself"
        assert tab.locator("section.slide").count() == len(_told("shin-dong-hyuk")) + 1
        box = tab.locator("figure svg").bounding_box()
        assert box["width"] > 600 and box["height"] > 350
        OUTPUT.mkdir(exist_ok=True)
        tab.screenshot(path=OUTPUT / "story-handout.png", full_page=True)
        pdf = tab.pdf(format="A4")  # printable: Chromium lays it out on A4 pages
        assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    finally:
        tab.close()
