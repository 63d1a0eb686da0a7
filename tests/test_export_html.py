"""The one-file HTML as a file: self-contained, escaped, no finer than the map, small enough.
What it does in a browser is tested in test_export_html_browser.py."""

from __future__ import annotations

import base64
import gzip
import json
import re

import pytest
from test_export import ANONYMOUS_PEOPLE, anonymous_legs

from routes_dash import cli
from routes_dash.contract.load import read_people
from routes_dash.journeys import story
from routes_dash.render import export
from routes_dash.render.publish import ASSETS, CSP, VENDOR, to_html


def html_of(legs, people=None, view=None) -> str:
    (data,) = to_html(legs, people, view).values()
    return data.decode("utf-8")


def carried(page: str) -> dict:
    """The data the page carries, unpacked as its script unpacks it."""
    packed = re.search(r'<script type="application/octet-stream" id="journeys-data">([^<]*)<',
                       page).group(1)
    return json.loads(gzip.decompress(base64.b64decode(packed)))


@pytest.fixture(scope="module")
def bundled_page(bundled) -> str:
    view = export.View(data="the bundled journeys", sources=bundled.sources)
    return html_of(bundled.legs, bundled.people, view)


def test_the_file_fetches_nothing_and_forbids_any_request(bundled_page):
    assert f'content="{CSP}"' in bundled_page
    assert "default-src 'none'" in CSP and "connect-src data: blob:" in CSP
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=", bundled_page)
    for name in VENDOR:  # every library inside, whole
        code = (ASSETS / "vendor" / name).read_text(encoding="utf-8")
        assert code.replace("</script", "<\\/script")[-2000:] in bundled_page


def test_the_file_carries_every_leg_with_its_citation_and_certainty(bundled, bundled_page):
    data = carried(bundled_page)
    legs = data["legs"]
    assert len(legs["leg"]) == len(bundled.legs)
    citations = [legs["citation"]["values"][c] for c in legs["citation"]["codes"]]
    assert citations == bundled.legs["citation"].tolist()
    words = {legs["certainty"]["values"][c] for c in legs["certainty"]["codes"]}
    assert words == set(bundled.legs["certainty"])
    assert set(data["certainty"]) == {"documented", "own account", "single report", "inferred",
                                      "disputed"}
    cited = {s["id"] for s in data["sources"]}
    assert cited and cited <= set(bundled.sources["id"])
    assert data["title"] == "Escape routes of North Korean defectors: the bundled journeys"


def test_the_curated_data_makes_a_file_of_a_few_megabytes(bundled_page):
    size = len(bundled_page.encode("utf-8"))
    assert 1_000_000 < size < 4_000_000


def _pairs(value):
    """Every [x, y] pair of numbers inside a JSON value."""
    if isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, int | float) for v in value):
        yield tuple(value)
    elif isinstance(value, list | dict):
        for inner in value.values() if isinstance(value, dict) else value:
            yield from _pairs(inner)


def test_an_anonymous_person_is_no_finer_in_the_file_than_on_the_map():
    anonymous = anonymous_legs()
    data = carried(html_of(anonymous, read_people(ANONYMOUS_PEOPLE.encode())))
    assert anonymous.loc[anonymous["person"] == "anon", "precision_reduced"].all()
    # Seoul's city coordinates belong only to the anonymous person: not in the file's legs,
    # nor anywhere in what the map draws of them (its lines, shapes and areas).
    legs, drawing = data["legs"], data["map"]
    seoul = (126.98, 37.57)
    assert seoul[0] not in [round(v, 2) for v in legs["to_lon"] + legs["from_lon"] if v]
    assert seoul[1] not in [round(v, 2) for v in legs["to_lat"] + legs["from_lat"] if v]
    drawn = [drawing["spans"], drawing["shapes"], drawing["areas"]]
    assert not [p for p in _pairs(drawn) if (round(p[0], 2), round(p[1], 2)) == seoul]
    texts = [legs["description"]["values"][c] for c in legs["description"]["codes"]]
    owners = [legs["person"]["values"][c] for c in legs["person"]["codes"]]
    for place in ("Hyesan", "Changbai"):  # named only in the named person's leg
        assert {p for t, p in zip(texts, owners, strict=True) if place in t} == {"named"}


def test_a_place_known_only_as_an_area_is_drawn_as_that_area_never_as_a_point(bundled,
                                                                             bundled_page):
    data = carried(bundled_page)
    legs, drawing = data["legs"], data["map"]
    column = {name: [legs[name]["values"][c] for c in legs[name]["codes"]]
              for name in ("shown_precision", "from_area", "to_area")}
    coarse = [i for i, p in enumerate(column["shown_precision"]) if p in ("province", "country")]
    assert coarse and len(coarse) == bundled.legs["shown_precision"].isin(
        ["province", "country"]).sum()
    for i in coarse:
        if not legs["located"][i]:
            continue
        keys = [k for k in (column["from_area"][i], column["to_area"][i]) if k]
        assert keys, "a coarse leg has an area end"
        shapes = drawing["spans"][legs["span"][i]]["shapes"] or []
        for key in keys:
            middle = drawing["areas"][key]["label"]
            for shape in {s for s in shapes if s >= 0}:
                solid, fades = drawing["shapes"][shape][:2]
                ends = [solid[0], solid[-1]] + [p for path, _ in fades for p in path]
                # No line, solid or fading, reaches the area's middle: it fades out inside.
                assert all(abs(x - middle[0]) + abs(y - middle[1]) > 0.05 for x, y in ends)


def carried_slides(data: dict, person: str) -> list[dict]:
    """A person's slides in the file, their texts looked up as the page's script does."""
    texts = data["storyTexts"]

    def cited(one):
        return (texts[one[0]], tuple(texts[link] for link in one[1]), texts[one[2]])

    slides = []
    for row in data["stories"][person]["slides"]:
        slide = dict(zip(data["slideFields"], row, strict=True))
        slides.append({**{k: texts[slide[k]] for k in ("title", "lead", "sure", "caption")},
                       **{k: tuple(texts[t] for t in slide[k]) for k in ("body", "warnings")},
                       **{k: tuple(map(cited, slide[k])) for k in ("sources", "used")},
                       "kind": slide["kind"], "leg": slide["leg"]})
    return slides


def as_carried(slide: story.Slide) -> dict:
    def cited(one):
        return (one.text, one.links, one.label)

    return {"kind": slide.kind, "title": slide.title, "lead": slide.lead, "body": slide.body,
            "warnings": slide.warnings, "caption": slide.caption, "leg": slide.leg,
            "sure": story.certainty_text(slide.certainty) if slide.kind == story.LEG else "",
            "sources": tuple(map(cited, slide.sources)), "used": tuple(map(cited, slide.used))}


def test_the_files_story_mode_tells_the_slides_of_the_pages(bundled, bundled_page):
    data = carried(bundled_page)
    assert set(data["stories"]) == set(bundled.legs["person"])
    people = bundled.people.set_index("person")
    for person in bundled.legs["person"].unique():
        told = story.slides(story.steps(bundled.legs, person),
                            {**people.loc[person].to_dict(), "person": person},
                            bundled.sources)
        assert carried_slides(data, person) == [as_carried(s) for s in told], person


def test_an_anonymous_persons_slides_in_the_file_stay_coarse():
    anonymous = anonymous_legs()
    data = carried(html_of(anonymous, read_people(ANONYMOUS_PEOPLE.encode())))
    slides = carried_slides(data, "anon")
    said = " ".join(" ".join([s["title"], s["lead"], *s["body"], s["caption"]])
                    for s in slides)
    assert "they" in said and "A. (pseudonym) crossed" not in said
    for place in ("Hyesan", "Changbai", "Seoul"):
        assert place not in said
    assert "Hyesan" in " ".join(s["lead"] for s in carried_slides(data, "named"))
    assert slides[0]["caption"].startswith("An anonymous person")


def test_a_title_from_the_data_is_escaped_in_the_html():
    page = html_of(anonymous_legs(), view=export.View(data="<script>alert(1)</script> & co"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert carried(page)["title"].endswith("<script>alert(1)</script> & co")


def test_the_command_line_writes_the_html_with_its_sources_and_readme(tmp_path, capsys):
    assert cli.main(["export", "html", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["README.txt", "routes-dashboard.html", "sources.csv"]
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "routes-dashboard.html: any web browser, offline" in readme
    assert "routes-dashboard.html" in capsys.readouterr().out


def test_every_vendored_library_ships_with_its_licence():
    vendor = ASSETS / "vendor"
    listing = (vendor / "README.md").read_text(encoding="utf-8")
    for name in VENDOR:
        row = next(line for line in listing.splitlines() if f"`{name}`" in line)
        licence = re.search(r"`(LICENSE-[^`]+)`", row).group(1)
        assert "Permission is hereby granted" in (vendor / licence).read_text(encoding="utf-8")
