"""The story handout: one printable HTML page per person that needs nothing but itself."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape, unescape

from conftest import FIXTURES, REPO, bundled_data

from routes_dash.journeys import story
from routes_dash.journeys.dataset import load_folder
from routes_dash.render import export
from routes_dash.render.export.common import View
from routes_dash.render.export.handout import story_handouts
from routes_dash.render.route_svg import WIDTH


def handout(person: str) -> str:
    data = bundled_data()
    legs = data.legs[data.legs["person"] == person]
    (page,) = story_handouts(legs, data.people, View(sources=data.sources)).values()
    return page.decode("utf-8")


def test_the_handout_has_every_slide_in_order_with_its_citation():
    data = bundled_data()
    legs = story.steps(data.legs, "jang-jin-sung")
    page = handout("jang-jin-sung")
    count = story.slide_count(legs)
    numbers = re.findall(r'<p class="number">(\d+) / (\d+)</p>', page)
    assert numbers == [(str(n), str(count)) for n in range(1, count + 1)]
    positions = [page.index(f"<h2>Leg {leg} of {len(legs)}</h2>") for leg in legs["leg"]]
    assert positions == sorted(positions)
    for leg in legs.to_dict("records"):
        assert escape(leg["citation"]) in page
    assert "Where the journey ended" in page
    assert "How sure: disputed" in page


_NUMBER = re.compile(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="(\d+)" height="26" rx="6"')
_NAMES = re.compile(r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="(\d+)" fill="#1b1f24"[^>]*>'
                    r'([^<]*)</text>')


_COUNTRIES = re.compile(r'font-size="15" font-style="italic"[^>]*>(.*?)</g>', re.S)
_COUNTRY = re.compile(r'<text x="([-\d.]+)" y="([-\d.]+)">([^<]*)</text>')


def test_the_handouts_country_names_never_run_over_each_other():
    """A route from Asia to Europe shows Europe small: its countries' names (15-pixel
    italic, some 8 pixels a character, centred) are left out rather than written over each
    other."""
    for person in sorted(bundled_data().people["person"]):
        (group,) = _COUNTRIES.findall(handout(person))
        boxes = [(repr(unescape(name)), float(x) - 4 * len(unescape(name)), float(y) - 14,
                  float(x) + 4 * len(unescape(name)), float(y) + 4)
                 for x, y, name in _COUNTRY.findall(group)]
        assert _overlapping(boxes) is None, f"{person}: {_overlapping(boxes)} run over each other"


def test_the_handouts_stop_names_stay_in_the_picture_and_apart():
    """Every bundled person's route picture: each stop's numbers and names inside it, no
    tag over another (bold type: a character some 0.56 of its size wide); names too long
    for the room end in "…" (the slides below say them in full)."""
    for person in sorted(bundled_data().people["person"]):
        page = handout(person)
        boxes = [(f"{person}: number", float(x), float(y), float(x) + int(w), float(y) + 26)
                 for x, y, w in _NUMBER.findall(page)]
        boxes += [(f"{person}: {unescape(text)!r}", float(x), float(y) - 19,
                   float(x) + 0.56 * int(size) * len(unescape(text)), float(y) + 7)
                  for x, y, size, text in _NAMES.findall(page) if text]
        assert boxes, person
        for name, left, _, right, _ in boxes:
            assert left >= 0 and right <= WIDTH, f"{name} runs out of the picture"
        assert _overlapping(boxes) is None, f"{_overlapping(boxes)} overlap"


def _overlapping(boxes: list[tuple]) -> tuple[str, str] | None:
    """The names of the first two boxes (name, left, top, right, bottom) that overlap."""
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            if one[1] < other[3] and other[1] < one[3] and one[2] < other[4] and other[2] < one[4]:
                return one[0], other[0]
    return None


def test_the_handout_asks_for_nothing_outside_itself():
    page = handout("ji-young")
    assert "default-src 'none'" in page  # its Content-Security-Policy forbids any request
    assert not re.search(r"<(script|img|link|iframe|object)\b", page, re.IGNORECASE)
    assert not re.search(r"\bsrc=|url\(|@import", page)
    assert "<svg" in page and page.count("<path") > 10, "the basemap is drawn inline"
    assert "@page { size: A4" in page and "break-inside: avoid" in page


def test_the_handout_escapes_every_data_text_and_links_only_web_addresses():
    hostile = load_folder(FIXTURES / "hostile")
    (page,) = story_handouts(hostile.legs, hostile.people, View(sources=hostile.sources)).values()
    text = page.decode("utf-8")
    assert "<script>window" not in text and "<img src=x" not in text
    assert "&lt;img src=x onerror=window.__xss=7&gt;" in text
    assert not re.search(r'href="(?!https?://)', text), "only http(s) links"


def test_an_anonymous_persons_handout_is_no_finer_than_the_page():
    data = bundled_data()
    page = handout("ji-young")
    legs = data.legs[data.legs["person"] == "ji-young"]
    assert legs["precision_reduced"].any() or legs["shown_precision"].isin(
        ("province", "country")).all()
    assert "An anonymous person: places are shown no finer than a province." in page


def test_export_story_for_one_person_writes_one_page(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "routes_dash", "export", "story", "--person", "ji-young",
         "--out", str(tmp_path)], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.txt", "sources.csv",
                                                          "story-ji-young.html"]
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "story-ji-young.html: any web browser, offline" in readme


def test_export_for_an_unknown_person_names_the_people_there_are(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "routes_dash", "export", "story", "--person", "nobody",
         "--out", str(tmp_path)], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 1
    assert "--person 'nobody': not in" in done.stderr and "ji-young" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_download_tab_offers_every_persons_handout_in_one_zip():
    data = bundled_data()
    files = export.export_files(["story"], data.legs, data.people, data.sources)
    pages = [name for name in files if name.startswith("story-")]
    assert len(pages) == data.legs["person"].nunique()
