"""The story handout: one person's story as one printable, self-contained HTML page.

The slides of story mode in order, the route drawn as an inline SVG from the bundled
basemap, every leg's certainty and full citation with its links, and what the certainty
words mean. The page has no script, no font, no image and nothing to fetch: its Content
Security Policy forbids any request, so it reads the same from a file on a machine with no
network. Print CSS sets it on A4, a slide never split over two pages, each link's address
printed after it.

Every data text is HTML-escaped; links are the sources' http(s) addresses only.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from routes_dash.contract.schema import CERTAINTY_MEANINGS
from routes_dash.journeys import story
from routes_dash.render.export.common import TITLE, Files, View, shown_legs
from routes_dash.render.route_svg import legend, route_svg

STYLE = """
:root { color: #1b1f24; background: #ffffff; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  font-size: 18px; line-height: 1.45; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
.kicker { color: #3d4450; font-size: 0.9rem; margin: 0; }
h1 { font-size: 2.1rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.4rem; margin: 0 0 0.4rem; }
.slide { border-top: 2px solid #c9ced6; padding: 1rem 0 0.6rem; }
.number { color: #3d4450; font-size: 0.85rem; float: right; }
.lead { font-size: 1.3rem; font-weight: 600; }
.warning { border-left: 6px solid #b35c00; background: #fff4e5; padding: 0.4rem 0.8rem; }
.sure { font-weight: 600; }
.caption { font-style: italic; color: #3d4450; }
.sources { padding-left: 1.2rem; }
figure { margin: 0.6rem 0; }
figure svg { width: 100%; height: auto; border: 1px solid #c9ced6; }
figcaption ul { list-style: none; padding: 0; margin: 0.3rem 0; display: flex;
  flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.9rem; }
.swatch { display: inline-block; width: 2rem; height: 0; border-top: 4px solid;
  vertical-align: middle; margin-right: 0.4rem; }
a { color: #0b5a93; }
dt { font-weight: 600; }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .slide { break-inside: avoid; page-break-inside: avoid; }
  .opening { break-after: page; }
  figure svg { border: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: #1b1f24; text-decoration: none; }
  a::after { content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all; }
}
"""
# No request of any kind: no script, style only from this page, images only inline.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def story_page(legs: pd.DataFrame, slides: tuple[story.Slide, ...]) -> str:
    """The handout of one story: `legs` from `story.steps`, `slides` from `story.slides`."""
    opening = slides[0]
    count = len(slides)
    figure = _figure(legs, opening.title)
    sections = [_section(s, number, count, figure if s.kind == story.OPENING else "")
                for number, s in enumerate(slides, start=1)]
    words = "".join(f"<dt>{escape(word)}</dt><dd>{escape(meaning)}</dd>"
                    for word, meaning in CERTAINTY_MEANINGS.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(opening.title)}: the journey, step by step</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<p class="kicker">{escape(TITLE)} · a story handout for class</p>
{"".join(sections)}
<section class="slide">
<h2>What the certainty words mean</h2>
<dl>{words}</dl>
<p>These are real people. Places are shown only as precisely as the sources allow; an
anonymous person's places are never shown finer than a province.</p>
</section>
</main>
</body>
</html>
"""


def story_handouts(legs: pd.DataFrame, people: pd.DataFrame | None,
                   view: View | None = None) -> Files:
    """`story-<person>.html` for each person of `legs` (the export format `story`), citing
    the view's sources table."""
    sources = view.sources if view is not None else None
    legs = shown_legs(legs)  # refuses a frame that would show an anonymous person finely
    people = people if people is not None else pd.DataFrame(columns=["person", "name"])
    by_person = people.set_index("person")
    files = {}
    for person in legs["person"].drop_duplicates():
        steps = story.steps(legs, person)
        row = (by_person.loc[person].to_dict() if person in by_person.index
               else {"name": steps["name"].iloc[0]})
        told = story.slides(steps, {**row, "person": person}, sources)
        files[f"story-{person}.html"] = story_page(steps, told).encode("utf-8")
    return files


def _section(slide: story.Slide, number: int, count: int, figure: str) -> str:
    heading = "h1" if slide.kind == story.OPENING else "h2"
    parts = [f'<section class="slide {slide.kind}">',
             f'<p class="number">{number} / {count}</p>',
             f"<{heading}>{escape(slide.title)}</{heading}>"]
    parts += [f'<p class="warning">{escape(w)}</p>' for w in slide.warnings]
    parts.append(f'<p class="lead">{escape(slide.lead)}</p>')
    parts.append(figure)
    parts += [f"<p>{escape(paragraph)}</p>" for paragraph in slide.body]
    if slide.kind == story.LEG:
        parts.append(f'<p class="sure">{escape(story.certainty_text(slide.certainty))}</p>')
    parts += _sources(slide)
    if slide.caption:
        parts.append(f'<p class="caption">{escape(slide.caption)}</p>')
    parts.append("</section>\n")
    return "\n".join(p for p in parts if p)


def _sources(slide: story.Slide) -> list[str]:
    out = []
    for heading, cited in (("Source", slide.sources), ("Sources used in this story", slide.used)):
        items = []
        for one in cited:
            label = f"<strong>{escape(one.label)}:</strong> " if one.label else ""
            links = " ".join(f'<a href="{escape(link)}">{escape(link)}</a>' for link in one.links)
            items.append(f"<li>{label}{escape(one.text)}{' ' + links if links else ''}</li>")
        if items:
            out += [f"<p><strong>{heading}</strong></p>",
                    f'<ul class="sources">{"".join(items)}</ul>']
    return out


def _figure(legs: pd.DataFrame, name: str) -> str:
    located = legs[legs["located"]]
    if located.empty:
        return "<p>No place of this journey has coordinates, so there is no map.</p>"
    title = f"Map of the route of {name}, stops numbered in order"
    keys = "".join(f'<li><span class="swatch" style="border-top-color: {colour};'
                   f'{" border-top-style: dashed;" if dashed else ""}"></span>'
                   f"{escape(label)}</li>" for label, colour, dashed in legend(located))
    missing = len(legs) - len(located)
    note = (f"<p>{missing} leg(s) have no coordinates and are not on the map.</p>"
            if missing else "")
    return (f"<figure>{route_svg(located, title)}<figcaption><ul>{keys}</ul>"
            f"Numbers are the stops in order: stop 1 is where the journey starts, stop k + 1 "
            f"where leg k ends.{note}</figcaption></figure>")
