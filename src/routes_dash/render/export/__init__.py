"""Every download format, as pure functions: located legs in, `{file name: bytes}` out.

Each format's writer takes the frame `locate_legs` makes (the current filtered view or a
whole data folder), the people frame (or None) and a `View` (or None): the data and the
filters the legs come from, in words, so that a file names what it holds.

`FORMATS` below is the one list of formats: the command line, the page's Download tab and
the README's table are read from it (a test holds the README to it).

What every format shares, so that nothing is silently wrong:
- Coordinates and place names are the *shown* ones, after `journeys.privacy` coarsened an
  anonymous person's places: no export names or places anything finer than the map.
- A leg whose places have no coordinates is left out of the geographic formats (GeoJSON,
  StoryMap, flowmap, kepler) and counted in the notes; the CSV keeps it with empty
  coordinates and `located` False.
- A leg of unknown year: empty/null year everywhere; left out of TimelineJS (which needs a
  year), with that said in the timeline's title slide; in flowmap's flows-undated.csv,
  apart from flows.csv; an empty `datetime` in the kepler files.
- `notes(legs)` says all this with the counts; `export_files` adds it as README.txt.
- CSV cells: every cell of a *text* column that starts with `=`, `+`, `-`, `@`, tab, CR or
  LF is prefixed with `'` so no spreadsheet runs it as a formula. Numeric columns
  (coordinates, years, leg numbers, counts) are written as numbers and never prefixed, so a
  longitude of -2.3 stays the number -2.3. The rule is by column type, not by cell content:
  a note that reads `-5 °C` is text and is prefixed.
- TimelineJS and StoryMapJS render HTML: every data text in them is HTML-escaped and a
  source becomes a link only when it is an http(s) URL.
"""


from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from routes_dash.contract.schema import CERTAINTY_MEANINGS
from routes_dash.journeys.citations import bibliography
from routes_dash.render.export.common import (
    Files,
    View,
    csv_bytes,
    data_label,
    filters_in_words,
    notes,
)
from routes_dash.render.export.geo import to_geojson
from routes_dash.render.export.handout import story_handouts
from routes_dash.render.export.knightlab import TIMELINE_MOST_EVENTS, to_storymap, to_timelinejs
from routes_dash.render.export.tables import to_csv, to_flowmap, to_kepler

__all__ = ["FORMATS", "TIMELINE_MOST_EVENTS", "WRITERS", "ExportFormat", "View", "data_label",
           "download", "download_name", "export_files", "filters_in_words", "notes",
           "to_csv", "to_flowmap", "to_geojson", "to_kepler", "to_storymap", "to_timelinejs",
           "zip_files"]

Writer = Callable[[pd.DataFrame, pd.DataFrame | None, View | None], Files]
BIBLIOGRAPHY = "sources.csv"


def _to_html(legs: pd.DataFrame, people: pd.DataFrame | None, view: View | None) -> Files:
    # Imported when used: the HTML's assets are large, and render.publish builds on this
    # package's common helpers.
    from routes_dash.render.publish import to_html

    return to_html(legs, people, view)


@dataclass(frozen=True)
class ExportFormat:
    """One export format: what it writes, what it is called on the page, what opens it."""

    name: str  # as the command line takes it
    label: str  # the page's download button
    files: str  # the files it writes, as the README lists them
    opens_in: str  # what opens it, for the page, the command line and the README
    download_name: str  # a single-file format downloads as its file, others as a zip
    mime: str
    write: Writer | None  # None for `all`, which writes every other format


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("csv", "CSV (spreadsheets)", "`legs-with-coordinates.csv`",
                 "any spreadsheet or pandas: every leg, with its shown coordinates",
                 "legs-with-coordinates.csv", "text/csv", to_csv),
    ExportFormat("geojson", "GeoJSON (GIS)", "`legs.geojson`",
                 "QGIS, geojson.io, kepler.gl or any GIS: legs as lines, places as points",
                 "legs.geojson", "application/geo+json", to_geojson),
    ExportFormat("timelinejs", "TimelineJS", "`timeline.json` (past "
                 f"{TIMELINE_MOST_EVENTS} events: `timeline-<person>.json`, one per person)",
                 "Knight Lab TimelineJS: one event per leg of known year",
                 "timeline.json", "application/json", to_timelinejs),
    ExportFormat("storymap", "StoryMapJS (zip)", "`storymap-<person>.json`, one per person",
                 "Knight Lab StoryMapJS: one story per person, one slide per place",
                 "storymap.zip", "application/zip", to_storymap),
    ExportFormat("flowmap", "flowmap.blue (zip)", "`locations.csv`, `flows.csv`, "
                 "`properties.csv`, `flows-undated.csv` (legs of unknown year)",
                 "flowmap.blue: locations, flows (people per leg and year) and properties",
                 "flowmap.zip", "application/zip", to_flowmap),
    ExportFormat("kepler", "kepler.gl (zip)", "`kepler-arcs.csv`, `kepler-map.json`",
                 "kepler.gl: arcs with a datetime for time playback; the map file shows them "
                 "at once, coloured by mode",
                 "kepler.zip", "application/zip", to_kepler),
    ExportFormat("html", "Whole dashboard (one HTML file)", "`routes-dashboard.html`",
                 "any web browser, offline: the map, timeline, charts, filters, story mode "
                 "and sources of this view in one file",
                 "routes-dashboard.html", "text/html", _to_html),
    ExportFormat("story", "Story handouts (zip)", "`story-<person>.html`, one per person",
                 "any web browser, offline: one person's story as slides, a route map and "
                 "citations, printable on A4",
                 "story-handouts.zip", "application/zip", story_handouts),
    ExportFormat("all", "Everything (zip)", "all of the above",
                 "every format above, with README.txt",
                 "routes-export.zip", "application/zip", None),
)}
WRITERS = {name: f.write for name, f in FORMATS.items() if f.write is not None}


def export_files(formats: Sequence[str], legs: pd.DataFrame,
                 people: pd.DataFrame | None = None,
                 sources: pd.DataFrame | None = None, view: View | None = None) -> Files:
    """The files of these formats (`all` means every one), the bibliography of these legs
    (sources.csv: each source's full citation, link and how many legs it supports) and a
    README.txt with the certainty words and the notes. `view.sources` defaults to
    `sources`."""
    view = view or View()
    if view.sources is None and sources is not None:
        view = replace(view, sources=sources)
    chosen = list(WRITERS) if "all" in formats else list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}; "
                         f"choose from {', '.join(FORMATS)}")
    by_format = {name: WRITERS[name](legs, people, view) for name in chosen}
    files: Files = {}
    for made in by_format.values():
        files.update(made)
    files[BIBLIOGRAPHY] = csv_bytes(bibliography(legs, sources))
    return {**files, "README.txt": readme(by_format, legs, view).encode("utf-8")}


def download(name: str, legs: pd.DataFrame, people: pd.DataFrame | None = None,
             sources: pd.DataFrame | None = None, view: View | None = None) -> bytes:
    """What the page's download button for a format gives: the file of a single-file
    format, else (or when it wrote several files) a zip of the files, sources.csv and
    README.txt."""
    if download_name(name, legs).endswith(".zip"):
        return zip_files(export_files([name], legs, people, sources, view))
    (only,) = WRITERS[name](legs, people, view).values()
    return only


def download_name(name: str, legs: pd.DataFrame) -> str:
    """The file a format downloads as: a zip when a TimelineJS export splits per person."""
    if name == "timelinejs" and int(legs["year"].notna().sum()) > TIMELINE_MOST_EVENTS:
        return "timelines.zip"
    return FORMATS[name].download_name


def zip_files(files: Files) -> bytes:
    """The files in one zip, with fixed timestamps so the same export gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def readme(by_format: dict[str, Files], legs: pd.DataFrame, view: View) -> str:
    """README.txt: what each file is, what opens it, what was left out and why."""
    lines = [view.title, "=" * len(view.title), "",
             "These files describe real people. Every leg carries its full citation and a "
             "certainty word; read them before you quote anything, and do not make any "
             "anonymous person's places more precise than given here.", "",
             "What the certainty words mean:"]
    lines += [f"- {word}: {meaning}" for word, meaning in CERTAINTY_MEANINGS.items()]
    lines += ["", "Files:"]
    for fmt, made in by_format.items():
        lines.append(f"- {', '.join(made) or '(no file)'}: {FORMATS[fmt].opens_in}")
    lines.append(f"- {BIBLIOGRAPHY}: every source these legs cite, with its full citation, "
                 "its link and how many legs and people it supports")
    lines += ["", "What was left out or coarsened:"]
    lines += [f"- {note}" for note in notes(legs)]
    timelines = [n for n in by_format.get("timelinejs", {}) if n != "timeline.json"]
    if timelines:
        lines.append(f"- TimelineJS: one timeline per person ({len(timelines):,} files), since "
                     f"a timeline of more than {TIMELINE_MOST_EVENTS} events takes minutes to "
                     "open in TimelineJS.")
    lines += ["", "CSV files: text cells that begin with = + - @, a tab or a line break are "
              "prefixed with ' so that spreadsheets do not run them as formulas; numbers "
              "(coordinates, years) are never changed.", ""]
    return "\n".join(lines)
