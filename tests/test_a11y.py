"""Accessibility and layout in Chromium, at a projector's, a large screen's and a phone's size.

axe-core (from npm, `npm ci`) finds no serious or critical problem on any tab or in story
mode; headings go in order; the keyboard's focus is always visible; every chart has a name;
at 1280×720 the map starts in the first screen; on a phone every tab can be seen.
Screenshots of each tab at each size land in test-output/ (`a11y-<tab>-<width>.png`, the
first screen, and `…-whole.png`, all of it). axe leaves out the map's canvas, and these
tests read no pixel of it: the map is built and laid out but not drawn (`draw_map=False`),
so its place in them is blank; test_browser's map tests draw it at each size.
"""

from __future__ import annotations

import pytest
from browser import Visit, require, serious

from routes_dash.ui.session import TABS

require()
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

PROJECTOR, SCREEN, PHONE = (1280, 720), (1920, 1080), (390, 844)


def _name(tab: str) -> str:
    return tab.split()[0].lower()


@pytest.mark.parametrize("size", [PROJECTOR, SCREEN, PHONE], ids=["1280", "1920", "390"])
def test_every_tab_passes_axe_with_headings_in_order(browser, server, size):
    v = Visit(browser, server, *size, draw_map=False)
    found = {}
    for tab in TABS:
        v.tab(tab)
        if tab == TABS[0]:
            # A projector's first screen shows the map's top half, a phone's its top; a
            # phone sees every tab and every colour choice, none cut off at the edge.
            phone = size == PHONE
            v.page.wait_for_load_state("networkidle")  # the map's and charts' code, its data
            top = v.page.locator('[data-testid="stDeckGlJsonChart"]').bounding_box()["y"]
            assert top < size[1] * (3 / 4 if phone else 1 / 2)
            controls = [v.page.get_by_role("tab", name=every) for every in TABS]
            controls += v.page.locator(".st-key-map_colour_by button").all()
            for control in controls:
                box = control.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], \
                    f"{control.inner_text()} is cut"
        v.shot(f"a11y-{_name(tab)}-{size[0]}", full_page=False)
        v.shot(f"a11y-{_name(tab)}-{size[0]}-whole")
        violations = v.axe()
        found[tab] = serious(violations)
        assert not [x for x in violations if x["id"] == "heading-order"], tab
        assert v.page.locator("h1").count() == 1
    assert v.errors == [] and v.outside == []
    v.close()
    assert not any(found.values()), "\n".join(f"{t}:\n{f}" for t, f in found.items() if f)


@pytest.mark.parametrize("link", [
    "/?story=ji-young&present=1",                  # an opening slide, anonymous
    "/?story=jang-jin-sung&step=7&present=1",      # a disputed leg
    "/?story=park-ji-hyun&step=10&present=1",      # a closing slide
    "/?story=hyeonseo-lee&step=2",                 # without the projector switch
], ids=["opening", "disputed", "closing", "not-presenting"])
def test_story_mode_passes_axe(browser, server, link):
    v = Visit(browser, server + link, *PROJECTOR, draw_map=False)
    v.page.wait_for_load_state("networkidle")
    v.shot(f"a11y-story-{link.split('story=')[1].replace('&', '-')}", full_page=False)
    assert serious(v.axe()) == "", link
    assert v.outside == []
    v.close()


def test_every_chart_has_a_name_and_a_table(browser, server):
    v = Visit(browser, server + "/?tab=Charts", *PROJECTOR)
    charts = v.page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() == 4
    for index in range(charts.count()):
        named = charts.nth(index).locator("[aria-label]").first
        assert len(named.get_attribute("aria-label")) > 20
    expanders = v.page.get_by_text("Show as a table")
    assert expanders.count() == 4
    expanders.first.click()
    table = v.page.locator('[data-testid="stTable"] table').first
    table.wait_for(state="visible")
    assert table.locator("th").count() >= 2 and "legs" in table.inner_text()
    v.close()


def test_the_keyboard_focus_is_always_visible(browser, server):
    v = Visit(browser, server, *PROJECTOR)
    stops = set()
    for _ in range(30):
        v.page.keyboard.press("Tab")
        focus = v.page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return {what: e.outerHTML.slice(0, 80), outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)};
        }""")
        if focus["what"].startswith("<body"):
            continue
        stops.add(focus["what"])
        assert focus["outline"] != "none" and focus["width"] >= 2, focus["what"]
    assert len(stops) > 10  # the walk went through the sidebar's widgets and into the page
    v.close()
