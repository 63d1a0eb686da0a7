"""A hostile visitor against the real page in Chromium: links and file names that try to
inject an outside image or a phishing link, or to raise, and the place fixer as an uploader
sees it. Every request that leaves the machine is aborted and counted. The map is built but
not drawn (its place is blank in the screenshots): test_browser's hostile test hovers it."""

from __future__ import annotations

import re

import pytest
from browser import TIMEOUT_MS, Visit, choose_legs_file, launch, require, serve
from conftest import FIXTURES, bundled_data

require()
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

TRACKER = "![p](http://tracker.example/p.png)"
PHISH = "[Log in again to continue](https://phish.example/login)"


@pytest.fixture(scope="module")
def site():
    """Chromium and a real `streamlit run` of the page on the bundled data."""
    process, url = serve()
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium, url
            chromium.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def visit(site):
    """A page of the site. These tests read the page's words, links and requests, never a
    pixel of the map: it is built but not drawn (`draw_map=False`), which saves the some
    20 s of CPU a page load's first map frames take in software WebGL."""
    chromium, url = site
    pages: list[Visit] = []
    yield lambda path="/", **size: pages.append(
        Visit(chromium, url + path, draw_map=False, **size)) or pages[-1]
    for page in pages:
        page.close()


# Every image and link of the page that points away from this server.
OUTSIDE = """() => [...document.querySelectorAll('img[src], a[href]')]
  .map(e => new URL(e.getAttribute('src') || e.getAttribute('href'), location.href))
  .filter(u => u.protocol.startsWith('http') && u.hostname !== location.hostname)
  .map(u => u.href)"""


def injected(v: Visit) -> list[str]:
    """What of an injection the page made real: outside images and links, outside requests."""
    return v.page.evaluate(OUTSIDE) + v.outside


@pytest.mark.parametrize("query", [f"story={TRACKER}", f"story={PHISH}", f"person={PHISH}",
                                   f"country={TRACKER}"])
def test_a_link_value_fetches_nothing_and_links_nothing(visit, query):
    v = visit("/?" + query.replace("#", "%23"))
    notice = v.page.locator('[data-testid="stAlert"]', has_text="tracker.example").or_(
        v.page.locator('[data-testid="stAlert"]', has_text="phish.example"))
    notice.first.wait_for()
    assert "](" in notice.first.inner_text(), "the value is shown as it was written"
    assert injected(v) == []


def test_a_step_that_is_no_number_opens_the_story_without_a_traceback(visit):
    person = bundled_data().people["person"].iloc[0]
    v = visit(f"/?story={person}&step=%C2%B2")  # ²
    assert v.page.get_by_text(re.compile(r"^1 of \d+$")).first.is_visible()
    assert v.page.locator('[data-testid="stException"]').count() == 0
    assert v.errors == [] and v.outside == []


def test_a_file_named_like_a_link_is_named_as_plain_text(visit, tmp_path):
    v = visit()
    # A file name cannot hold "/": these point outside all the same.
    path = tmp_path / "![p](http:tracker.example) [Log in](https:phish.example).csv"
    path.write_bytes(b"nonsense")
    choose_legs_file(v.page, path)
    v.page.get_by_role("button", name="Show my data").click()
    # Waited for by what it shows: refusing a file this small is a run so quick that the
    # page may never show it running, and `act` would wait for a run it cannot see.
    error = v.page.locator('[data-testid="stAlert"]', has_text="cannot be shown")
    error.wait_for(timeout=TIMEOUT_MS)
    assert "[Log in](https:phish.example)" in error.inner_text()
    assert injected(v) == []


@pytest.mark.parametrize("sizes", [[(1920, 1080), (1280, 720)], [(390, 844)]],
                         ids=["desktop-and-projector", "phone"])
def test_the_place_fixer_as_an_uploader_sees_it(visit, tmp_path, sizes):
    width, height = sizes[0]
    v = visit(width=width, height=height)
    legs = (FIXTURES / "other_journeys" / "legs.csv").read_bytes()
    path = tmp_path / "my-journeys.csv"
    path.write_bytes(legs.replace(b"Kunming, China", b"Kunmming, China")
                     .replace(b"Chiang Saen, Thailand", b"Ban Nowhere Xyz, Thailand"))
    phone = width < 600
    if phone:  # the sidebar starts closed, and covers the page when open
        v.page.get_by_test_id("stExpandSidebarButton").click()
    choose_legs_file(v.page, path)
    v.act(v.page.get_by_role("button", name="Show my data").click)
    if phone:
        v.page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    fixer = v.page.get_by_test_id("stExpander").filter(has_text="of your file were not found")
    assert "2 place(s) of your file were not found" in fixer.inner_text()
    candidates = fixer.get_by_role("radiogroup")
    if not candidates.count():  # the most used place may have no candidate: pick the typo
        fixer.get_by_test_id("stSelectbox").click()  # opens the list: no rerun yet
        v.act(v.page.get_by_role("option", name="Kunmming, China").click)
    assert candidates.first.inner_text().startswith("Kunming, Yunnan, China")
    for width, height in sizes:  # the same window made smaller, as on a projector
        v.resize(width, height)
        fixer.scroll_into_view_if_needed()
        v.shot(f"upload-fixer-{width}x{height}", full_page=False)
    v.act(fixer.get_by_role("button", name="Use this place").click)
    assert "1 place(s) of your file were not found" in fixer.inner_text()
    assert v.errors == [] and v.outside == []
