"""Every download format, as pure functions: located legs in, `{file name: bytes}` out.

Each format function takes the frame `journeys.locate_legs` makes (the current filtered
view or a whole data folder) and, where useful, the people frame:

| format | function | files | opens in |
|---|---|---|---|
| `csv` | `to_csv` | `legs-with-coordinates.csv` | any spreadsheet, pandas |
| `geojson` | `to_geojson` | `legs.geojson` | QGIS, geojson.io, kepler.gl, any GIS |
| `timelinejs` | `to_timelinejs` | `timeline.json` | Knight Lab TimelineJS |
| `storymap` | `to_storymap` | `storymap-<person>.json`, one per person | Knight Lab StoryMapJS |
| `flowmap` | `to_flowmap` | `locations.csv`, `flows.csv`, `properties.csv` | flowmap.blue |
| `kepler` | `to_kepler` | `kepler-arcs.csv` | kepler.gl (arc layer, time playback) |

What every format shares, so that nothing is silently wrong:
- Coordinates are the *shown* ones: after an anonymous person's places were coarsened to
  their countries. For such a leg (`precision_reduced`) the place names are coarsened too:
  `from`/`to` become the country's name, so no export names a place finer than the map.
- A leg whose places have no coordinates is left out of the geographic formats (GeoJSON,
  StoryMap, flowmap, kepler) and counted in the notes; the CSV keeps it with empty
  coordinates and `located` False.
- A leg of unknown year: empty/null year everywhere; left out of TimelineJS (which needs a
  year), with that said in the timeline's title slide; a flow with an empty `time` in
  flowmap's flows.csv; an empty `datetime` in the kepler CSV.
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

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from routes_dash import journeys, schema

Files = dict[str, bytes]

TITLE = "Escape routes of North Korean defectors"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FINE = ("exact", "city")
# StoryMapJS zoom by the precision a place is shown at (calculate_zoom may override it).
ZOOM = {"exact": 12, "city": 9, "province": 6, "country": 4}

# The columns the located legs frame must have; a frame without them is refused.
NEEDED = (*schema.LEG_COLUMNS, "name", "anonymized", "from_lat", "from_lon", "from_country",
          "to_lat", "to_lon", "to_country", "located", "shown_precision", "precision_reduced")
# The CSV's columns, in order. Extra columns of a user's file are left out on purpose: they
# might hold finer places than an anonymous person may be shown at.
CSV_COLUMNS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
               "precision", "shown_precision", "precision_reduced", "certainty", "source",
               "note", "anonymized", "located", "from_lat", "from_lon", "from_country",
               "to_lat", "to_lon", "to_country")
KEPLER_FIELDS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
                 "certainty", "source", "note", "precision", "shown_precision",
                 "precision_reduced")


# --- the formats ----------------------------------------------------------------------------


def to_csv(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """Every leg with its shown coordinates (empty when not located), formula cells neutralised."""
    shown = shown_legs(legs)
    return {"legs-with-coordinates.csv": csv_bytes(shown[list(CSV_COLUMNS)])}


def to_geojson(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """RFC 7946 FeatureCollection: a LineString per located leg, a Point per place.

    Coordinates are `[lon, lat]`. A leg that starts and ends at the same shown point (caught
    or held where it was) is a Point, since a line needs two distinct positions. Leg
    features have `"kind": "leg"` and the leg's fields (year and year_end as int or null);
    place features have `"kind": "place"`, name, country, shown_precision and counts. The
    collection's foreign member `notes` says what was left out or coarsened.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    features = []
    for row in located.to_dict("records"):
        start = [float(row["from_lon"]), float(row["from_lat"])]
        end = [float(row["to_lon"]), float(row["to_lat"])]
        geometry = ({"type": "Point", "coordinates": start} if start == end
                    else {"type": "LineString", "coordinates": [start, end]})
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"kind": "leg", **_leg_fields(row)}})
    for place in _places(located).itertuples(index=False):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(place.lon), float(place.lat)]},
            "properties": {"kind": "place", "name": place.name, "country": place.country,
                           "shown_precision": place.shown_precision, "legs": int(place.legs),
                           "people": int(place.people)},
        })
    collection = {"type": "FeatureCollection", "features": features, "notes": notes(legs)}
    return {"legs.geojson": _json_bytes(collection)}


def to_timelinejs(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """TimelineJS JSON: a title slide and one event per leg of known year.

    `start_date.year` (and `end_date.year` for a leg that lasted years) are numbers; the
    group is the person's name; `unique_id` is `<person>-leg-<n>`. Legs of unknown year are
    left out, and the title slide says how many and whose.
    """
    shown = shown_legs(legs)
    dated = shown[shown["year"].notna()]
    undated = shown[shown["year"].isna()]
    ids = _unique(f"{_slug(p)}-leg-{int(n)}" for p, n in zip(dated["person"], dated["leg"],
                                                               strict=True))
    events = []
    for row, unique_id in zip(dated.to_dict("records"), ids, strict=True):
        event = {
            "start_date": {"year": int(row["year"])},
            "display_date": _h(row["when"]),
            "text": {"headline": _h(f"{row['name']}: {row['from']} → {row['to']}"),
                     "text": _leg_html(row)},
            "group": _h(row["name"]),
            "unique_id": unique_id,
        }
        end = _year(row["year_end"])
        if end is not None and end != int(row["year"]):
            event["end_date"] = {"year": end}
        events.append(event)
    said = _notes(legs)
    if len(undated):
        whose = ", ".join(sorted(undated["name"].unique()))
        said["unknown_year"] = (
            f"{_n(len(undated), 'leg')} of unknown year {_is(len(undated))} not on this "
            f"timeline, which needs a year for every event: {whose}. The CSV and map exports "
            "have them.")
    lines = [said.pop("count"), said.pop("unknown_year", ""), *said.values()]
    lines = [line for line in lines if line]
    timeline = {
        "title": {"text": {"headline": _h(TITLE),
                           "text": "".join(f"<p>{_h(line)}</p>" for line in lines)}},
        "events": events,
        "eras": [],
        "scale": "human",
    }
    return {"timeline.json": _json_bytes(timeline)}


def to_storymap(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """StoryMapJS JSON, one `storymap-<person>.json` per person (one StoryMap is one route).

    The first slide is the overview (the person, their summary, what was left out); then
    one slide per place in the order the journey reaches it: where the first leg starts,
    then where each leg ends (and where a leg starts when that is not where the last one
    ended). Each slide has location name/lat/lon/zoom/line, a headline, a text with the
    leg's certainty and source, and the date. Places without coordinates have no slide.
    """
    shown = shown_legs(legs)
    described = _people_by_id(people)
    names = _unique(_slug(p) for p in shown["person"].unique())
    files: Files = {}
    for (person, journey), file_id in zip(shown.groupby("person", sort=True), names,
                                          strict=True):
        journey = journey.sort_values("leg", kind="stable")
        slides = _story_slides(journey)
        left_out = int((~journey["located"]).sum())
        overview = _overview_slide(journey, described.get(person, {}), left_out)
        storymap = {"storymap": {"language": "en", "map_type": "osm:standard",
                                 "calculate_zoom": True, "slides": [overview, *slides]}}
        files[f"storymap-{file_id}.json"] = _json_bytes(storymap)
    return files


def to_flowmap(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """flowmap.blue's three tables: locations.csv, flows.csv, properties.csv.

    locations: `id,name,lat,lon`, one row per shown point. flows: `origin,dest,count,time`,
    count = the number of people who made that origin→destination leg in that year, time =
    the leg's start year as an ISO date (`2009-01-01`). A leg of unknown year makes a flow
    with an empty time: flowmap.blue keeps such a flow but its time filter cannot place it.
    properties: title, description (with the notes), source.name.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    places = _places(located)
    places["id"] = _unique(_slug(n) for n in places["name"])
    point_id = {(lat, lon): i for lat, lon, i in zip(places["lat"], places["lon"], places["id"],
                                                       strict=True)}
    ends = located.assign(
        origin=[point_id[p] for p in zip(located["from_lat"], located["from_lon"], strict=True)],
        dest=[point_id[p] for p in zip(located["to_lat"], located["to_lon"], strict=True)],
        time=located["year"].map(lambda y: f"{int(y):04d}-01-01" if pd.notna(y) else ""),
    )
    flows = (ends.groupby(["origin", "dest", "time"], sort=False)["person"].nunique()
             .rename("count").reset_index()[["origin", "dest", "count", "time"]]
             .sort_values(["time", "origin", "dest"], kind="stable"))
    description = " ".join([
        "Escape journeys of North Korean defectors, by leg. count = number of people who made "
        "that leg in that year (time = the leg's start year, as 1 January).",
        *notes(legs),
    ])
    properties = pd.DataFrame({
        "property": ["title", "description", "source.name"],
        "value": [TITLE, description,
                  "routes_dash curated legs; each leg's own source is in the CSV export"],
    })
    return {
        "locations.csv": csv_bytes(places[["id", "name", "lat", "lon"]]),
        "flows.csv": csv_bytes(flows),
        "properties.csv": csv_bytes(properties),
    }


def to_kepler(legs: pd.DataFrame, people: pd.DataFrame | None = None) -> Files:
    """A CSV kepler.gl reads as arcs: lat0, lng0, lat1, lng1, datetime and the leg's fields.

    `datetime` is the start year as `2008-01-01 00:00` (kepler's time playback needs full
    datetimes; the day is not known), `datetime_end` the same for year_end; both are empty
    when the year is unknown. Only located legs.
    """
    shown = shown_legs(legs)
    located = shown[shown["located"]]
    arcs = pd.DataFrame({
        "lat0": located["from_lat"], "lng0": located["from_lon"],
        "lat1": located["to_lat"], "lng1": located["to_lon"],
        "datetime": located["year"].map(_datetime),
        "datetime_end": located["year_end"].map(_datetime),
    })
    for field in KEPLER_FIELDS:
        arcs[field] = located[field]
    return {"kepler-arcs.csv": csv_bytes(arcs)}


FORMATS: dict[str, Callable[[pd.DataFrame, pd.DataFrame | None], Files]] = {
    "csv": to_csv,
    "geojson": to_geojson,
    "timelinejs": to_timelinejs,
    "storymap": to_storymap,
    "flowmap": to_flowmap,
    "kepler": to_kepler,
}
# What each format is for, as the README and the page tell it.
OPENS_IN = {
    "csv": "any spreadsheet or pandas: every leg, with its shown coordinates",
    "geojson": "QGIS, geojson.io, kepler.gl or any GIS: legs as lines, places as points",
    "timelinejs": "Knight Lab TimelineJS: one event per leg of known year",
    "storymap": "Knight Lab StoryMapJS: one story per person, one slide per place",
    "flowmap": "flowmap.blue: locations, flows (people per leg and year) and properties",
    "kepler": "kepler.gl: arcs with a datetime for time playback",
}
# A single-file format downloads as its file; a multi-file one as a zip with README.txt.
DOWNLOADS = {
    "csv": ("legs-with-coordinates.csv", "text/csv"),
    "geojson": ("legs.geojson", "application/geo+json"),
    "timelinejs": ("timeline.json", "application/json"),
    "storymap": ("storymap.zip", "application/zip"),
    "flowmap": ("flowmap.zip", "application/zip"),
    "kepler": ("kepler-arcs.csv", "text/csv"),
    "all": ("routes-export.zip", "application/zip"),
}


def export_files(formats: Sequence[str], legs: pd.DataFrame,
                 people: pd.DataFrame | None = None) -> Files:
    """The files of these formats (`all` means every one) plus a README.txt with the notes."""
    chosen = list(FORMATS) if "all" in formats else list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}; "
                         f"choose from {', '.join(FORMATS)} or all")
    by_format = {name: FORMATS[name](legs, people) for name in chosen}
    files: Files = {}
    for made in by_format.values():
        files.update(made)
    return {**files, "README.txt": readme(by_format, legs).encode("utf-8")}


def download(fmt: str, legs: pd.DataFrame, people: pd.DataFrame | None = None) -> bytes:
    """What the page's download button for `fmt` gives (DOWNLOADS has its name and type):
    the file of a single-file format, else a zip of the files and README.txt."""
    if DOWNLOADS[fmt][0].endswith(".zip"):
        return zip_files(export_files([fmt], legs, people))
    (only,) = FORMATS[fmt](legs, people).values()
    return only


def zip_files(files: Files) -> bytes:
    """The files in one zip, with fixed timestamps so the same export gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def readme(by_format: dict[str, Files], legs: pd.DataFrame) -> str:
    """README.txt: what each file is, what opens it, what was left out and why."""
    lines = [TITLE, "=" * len(TITLE), "",
             "These files describe real people. Every leg carries its source and a certainty "
             "word (seed, public, uncertain, disputed); read them before you quote anything, "
             "and do not make any anonymous person's places more precise than given here.",
             "", "Files:"]
    for fmt, made in by_format.items():
        lines.append(f"- {', '.join(made) or '(no file)'}: {OPENS_IN[fmt]}")
    lines += ["", "What was left out or coarsened:"]
    lines += [f"- {note}" for note in notes(legs)]
    lines += ["", "CSV files: text cells that begin with = + - @, a tab or a line break are "
              "prefixed with ' so that spreadsheets do not run them as formulas; numbers "
              "(coordinates, years) are never changed.", ""]
    return "\n".join(lines)


# --- what is left out, said once for every format ------------------------------------------


def notes(legs: pd.DataFrame) -> list[str]:
    """Plain sentences on what the exports leave out or show coarser, with counts."""
    return list(_notes(legs).values())


def _notes(legs: pd.DataFrame) -> dict[str, str]:
    """The notes by topic, so that a format can say one of them its own way."""
    _check(legs)
    out = {"count": f"{_n(len(legs), 'leg')} of {_n(legs['person'].nunique(), 'person')}, "
                    "each with its source and how certain it is."}
    disputed = int((legs["certainty"] == "disputed").sum())
    uncertain = int((legs["certainty"] == "uncertain").sum())
    flagged = [f"{_n(disputed, 'leg')} {_is(disputed)} disputed" if disputed else "",
               f"{_n(uncertain, 'leg')} {_is(uncertain)} uncertain" if uncertain else ""]
    if disputed or uncertain:
        out["certainty"] = (" and ".join(f for f in flagged if f) + ": the certainty is in "
                            "every export and the note gives the versions.")
    unknown = int(legs["year"].isna().sum())
    if unknown:
        out["unknown_year"] = (
            f"{_n(unknown, 'leg')} of unknown year: the year is empty; TimelineJS leaves "
            f"{_them(unknown)} out (it needs a year); flowmap's flows.csv gives "
            f"{_them(unknown)} an empty time and the kepler CSV an empty datetime.")
    missing = legs[~legs["located"]]
    if len(missing):
        withheld = int(missing["precision_reduced"].sum())
        open_ = ~missing["precision_reduced"]
        unresolved = sorted(set(missing.loc[open_ & missing["from_lat"].isna(), "from"])
                            | set(missing.loc[open_ & missing["to_lat"].isna(), "to"]))
        text = (f"{_n(len(missing), 'leg')} {_is(len(missing))} left out of the map formats "
                "(GeoJSON, StoryMap, flowmap, kepler) because a place has no coordinates; the "
                "CSV keeps them with empty coordinates")
        if unresolved:
            text += f". Places not found: {'; '.join(unresolved)}"
        if withheld:
            # The places themselves are not named: they are finer than may be shown.
            text += (f". {withheld} of them belong to anonymous people whose country has no "
                     "point, so no coordinates are given at all")
        out["unlocated"] = text + "."
    reduced = int(legs["precision_reduced"].sum())
    if reduced:
        out["reduced"] = (f"{_n(reduced, 'leg')} of anonymous people {_is(reduced)} exported "
                          "at country level (coordinates and place names), coarser than the "
                          "data, to protect them (precision_reduced is true).")
    coarse = int((legs["shown_precision"].isin(("province", "country"))
                  & ~legs["precision_reduced"]).sum())
    if coarse:
        out["coarse"] = (f"{_n(coarse, 'leg')} {_is(coarse)} known only to a province or a "
                         "country; the points are that area's centre (shown_precision says "
                         "which).")
    return out


def _n(count: int, noun: str) -> str:
    plural = {"person": "people"}.get(noun, noun + "s")
    return f"{count} {noun if count == 1 else plural}"


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _them(count: int) -> str:
    return "it" if count == 1 else "them"


# --- shared pieces --------------------------------------------------------------------------


def shown_legs(legs: pd.DataFrame) -> pd.DataFrame:
    """The legs as they may be shown: a coarsened leg's place names become its countries.

    Adds `when`, the leg's years as a reader reads them (`2007–2009`, `year unknown`).
    """
    _check(legs)
    shown = legs.copy()
    reduced = shown["precision_reduced"].astype(bool)
    for end in journeys.ENDS:
        country = shown[f"{end}_country"].where(shown[f"{end}_country"] != "",
                                                "a place withheld to protect an anonymous person")
        shown[end] = shown[end].where(~reduced, country)
    shown["when"] = journeys.year_label(shown)
    return shown


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with `'`; all else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (RFC 4180); cells of text columns neutralised, numbers and booleans as is."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column])
                or pd.api.types.is_bool_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise)
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone CR or LF,
    # which Python's csv module leaves bare when the line terminator is "\n" alone.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _check(legs: pd.DataFrame) -> None:
    missing = [c for c in NEEDED if c not in legs.columns]
    if missing:
        raise ValueError("the legs to export lack the column(s) "
                         f"{', '.join(missing)}; export the frame journeys.locate_legs makes")
    finer = legs["anonymized"].astype(bool) & legs["shown_precision"].isin(FINE)
    if finer.any():
        raise ValueError(f"{int(finer.sum())} legs of anonymous people would be exported "
                         "finer than a province; export the frame journeys.locate_legs makes")


def _places(located: pd.DataFrame) -> pd.DataFrame:
    """Each distinct shown point: name, country, coarsest shown precision, legs and people."""
    columns = ["lat", "lon", "place", "country", "shown_precision", "reduced", "person"]
    ends = [
        located[[f"{end}_lat", f"{end}_lon", end, f"{end}_country", "shown_precision",
                 "precision_reduced", "person"]].set_axis(columns, axis=1)
        for end in journeys.ENDS
    ]
    points = pd.concat(ends, ignore_index=True)
    if points.empty:
        return pd.DataFrame(columns=["lat", "lon", "name", "country", "shown_precision",
                                     "legs", "people"])
    # A point's name: a place as written (not a coarsened one) when there is one.
    points = points.sort_values("reduced", kind="stable")
    rank = {p: i for i, p in enumerate(schema.PRECISIONS)}
    grouped = points.groupby(["lat", "lon"], sort=False)
    return grouped.agg(
        name=("place", "first"),
        country=("country", "first"),
        shown_precision=("shown_precision",
                         lambda s: max(s, key=lambda p: rank.get(p, len(rank)))),
        legs=("place", "size"),
        people=("person", "nunique"),
    ).reset_index()


LEG_FIELDS = ("person", "name", "leg", "from", "to", "mode", "year", "year_end", "outcome",
              "precision", "shown_precision", "precision_reduced", "certainty", "source", "note",
              "from_country", "to_country")


def _leg_fields(row: dict) -> dict:
    """A leg's fields for JSON: plain types, leg and years as int (years None when unknown)."""
    fields = {key: row[key] for key in LEG_FIELDS}
    fields["leg"] = int(row["leg"])
    fields["year"], fields["year_end"] = _year(row["year"]), _year(row["year_end"])
    fields["precision_reduced"] = bool(row["precision_reduced"])
    return fields


def _story_slides(journey: pd.DataFrame) -> list[dict]:
    slides: list[dict] = []
    last_point = None
    for row in journey[journey["located"]].to_dict("records"):
        start = (float(row["from_lat"]), float(row["from_lon"]))
        if start != last_point:
            what = "Where the journey starts" if not slides else "Where the next leg starts"
            slides.append(_place_slide(
                row["from"], start, row["shown_precision"], line=bool(slides),
                headline=row["from"], date=row["when"],
                text=f"<p>{what}: leg {int(row['leg'])} leaves from here.</p>",
            ))
        end = (float(row["to_lat"]), float(row["to_lon"]))
        slides.append(_place_slide(
            row["to"], end, row["shown_precision"], line=True, date=row["when"],
            headline=f"Leg {int(row['leg'])}: {row['outcome']} · {row['to']}",
            text=_leg_html(row),
        ))
        last_point = end
    return slides


def _place_slide(name, point, precision, *, line, headline, text, date) -> dict:
    return {
        "location": {"name": _h(name), "lat": point[0], "lon": point[1],
                     "zoom": ZOOM.get(precision, 6), "line": line},
        "text": {"headline": _h(headline), "text": text},
        "date": _h(date),
    }


def _overview_slide(journey: pd.DataFrame, person: dict, left_out: int) -> dict:
    name = str(journey["name"].iloc[0])
    parts = []
    summary = str(person.get("summary") or "")
    if summary:
        parts.append(f"<p>{_h(summary)}</p>")
    if person.get("source"):
        parts.append(f"<p>Source: {_source_html(str(person['source']))}</p>")
    if bool(journey["anonymized"].iloc[0]):
        parts.append("<p>Anonymous: shown no finer than a province, at most.</p>")
    parts.append(f"<p>{len(journey)} legs. Each slide gives the leg's certainty and source.</p>")
    disputed = int((journey["certainty"] == "disputed").sum())
    if disputed:
        parts.append(f"<p><strong>{disputed} of these legs are disputed</strong>; their notes "
                     "give the versions.</p>")
    if left_out:
        parts.append(f"<p>{left_out} legs are not in this story because a place has no "
                     "coordinates.</p>")
    return {"type": "overview", "text": {"headline": _h(name), "text": "".join(parts)}}


def _leg_html(row: dict) -> str:
    """A leg for TimelineJS and StoryMapJS, which render HTML: every data text escaped."""
    certainty = (_h(row["certainty"]) or "not given") if row["certainty"] != "disputed" \
        else "<strong>disputed</strong>: sources disagree"
    parts = [
        f"<p>{_h(row['from'])} → {_h(row['to'])}</p>",
        f"<p>{_h(row['mode'])} · {_h(row['when'])} · {_h(row['outcome'])}</p>",
        f"<p>Certainty: {certainty}</p>",
        f"<p>Source: {_source_html(row['source'])}</p>",
    ]
    if row["note"]:
        parts.append(f"<p>{_h(row['note'])}</p>")
    if row["precision_reduced"]:
        parts.append("<p>Shown at country level to protect an anonymous person.</p>")
    elif row["shown_precision"] in ("province", "country"):
        parts.append(f"<p>Places known only at {_h(row['shown_precision'])} level.</p>")
    return "".join(parts)


def _source_html(source: str) -> str:
    if not source:
        return "not given"
    if re.fullmatch(r"https?://\S+", source, flags=re.IGNORECASE):
        return f'<a href="{_h(source)}">{_h(source)}</a>'
    return _h(source)


def _people_by_id(people: pd.DataFrame | None) -> dict[str, dict]:
    if people is None or people.empty:
        return {}
    return {row["person"]: row for row in people.to_dict("records")}


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _year(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _datetime(value: object) -> str:
    return "" if pd.isna(value) else f"{int(value):04d}-01-01 00:00"


def _slug(text: str) -> str:
    """A file- and id-safe form of a name: `Hyesan, North Korea` → `hyesan-north-korea`."""
    return re.sub(r"[^\w]+", "-", str(text).casefold()).strip("-_") or "x"


def _unique(names: Iterable[str]) -> list[str]:
    """The names in order, each one that was already taken suffixed -2, -3 …"""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name}-{number}"
        taken.add(candidate)
        out.append(candidate)
    return out


def _json_bytes(data: object) -> bytes:
    # allow_nan=False: a NaN that slipped through fails here instead of writing invalid JSON.
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")

