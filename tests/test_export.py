"""Every export format, parsed back and checked against its tool's documented shape."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routes_dash import bundled, cli
from routes_dash.contract.load import read_legs, read_people
from routes_dash.journeys.dataset import load_folder
from routes_dash.journeys.locate import locate_legs
from routes_dash.render import export
from routes_dash.render.export import common

ROOT = Path(__file__).resolve().parents[1]

HEADER = "person,leg,from,to,mode,year,outcome,year_end,precision,certainty,source,note\n"
PLACES = pd.DataFrame([
    ("Hyesan, North Korea", 41.4, 128.18, "North Korea"),
    ("Changbai, China", 41.42, 128.2, "China"),
    ("Beijing, China", 39.9, 116.4, "China"),
    ("Seoul, South Korea", 37.57, 126.98, "South Korea"),
    ("Bury, United Kingdom", 53.59, -2.3, "United Kingdom"),
    ("China", 32.456, 109.464, "China"),
    ("Nowhere Known, China", float("nan"), float("nan"), "China"),
], columns=["place", "lat", "lon", "country"])
COUNTRY_POINTS = {"North Korea": (39.872, 126.421), "China": (32.456, 109.464)}


def located(legs_csv: str, people_csv: str | None = None, country_points=None) -> pd.DataFrame:
    people = read_people(people_csv.encode()) if people_csv else None
    legs = read_legs((HEADER + legs_csv).encode(), people=people)
    return locate_legs(legs, PLACES, people, country_points)


def only(files: dict[str, bytes]) -> bytes:
    (data,) = files.values()
    return data


# --- scenarios --------------------------------------------------------------------------------


@pytest.fixture
def two_people():
    """Two named people: the same crossing in 2009, one unknown-year leg, one unresolved place."""
    return located(
        'alpha,1,"Hyesan, North Korea","Changbai, China",river crossing,2009,crossed,,city,'
        "documented,https://example.org/a,\n"
        'alpha,2,"Changbai, China","Beijing, China",train,2009,arrived,2010,city,disputed,'
        '"memoir, 2015","Sources disagree: <b>1</b> vs 2 & more"\n'
        'alpha,3,"Beijing, China","Seoul, South Korea",plane,,resettled,,city,single report,'
        "an unsigned article,\n"
        'beta,1,"Hyesan, North Korea","Changbai, China",on foot,2009,crossed,,city,documented,'
        "https://example.org/b,\n"
        'beta,2,"Changbai, China","Nowhere Known, China",bus,2010,hiding,,city,inferred,'
        "a report,\n"
        'beta,3,"Nowhere Known, China","Bury, United Kingdom",plane,2011,resettled,,city,'
        "documented,https://example.org/c,\n"
    )


@pytest.fixture
def hostile():
    """Cells a spreadsheet would run as formulas, and a negative longitude."""
    return located(
        'gamma,1,"Beijing, China","Bury, United Kingdom",plane,2008,resettled,,city,documented,'
        '"=HYPERLINK(""http://x"")","@SUM(1)"\n'
        'gamma,2,"Bury, United Kingdom","Bury, United Kingdom",unknown,2009,hiding,,city,'
        'documented,"+44 source","-leading text"\n'
    )


ANONYMOUS_PEOPLE = (
    "person,name,born,anonymized,summary,source\n"
    "anon,A. (pseudonym),,true,An anonymous person.,an article\n"
    "named,Named Person,1980,false,Someone public.,https://example.org/n\n"
)


@pytest.fixture
def anonymous():
    """An anonymous person whose legs the data gives at city precision: shown per country."""
    return located(
        'anon,1,"Hyesan, North Korea","Changbai, China",river crossing,2007,crossed,,city,'
        "single report,an article,Crossed at night.\n"
        'anon,2,"Changbai, China","Seoul, South Korea",plane,2008,resettled,,city,single report,'
        "an article,\n"
        'named,1,"Hyesan, North Korea","Changbai, China",river crossing,2007,crossed,,city,'
        "documented,https://example.org/n,\n",
        ANONYMOUS_PEOPLE, COUNTRY_POINTS,
    )


@pytest.fixture(scope="module")
def curated():
    return load_folder(bundled.DATA)


# --- csv ------------------------------------------------------------------------------------


def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), keep_default_na=False,
                       na_values={c: [""] for c in ("from_lat", "from_lon", "to_lat", "to_lon",
                                                    "year", "year_end", "lat0", "lng0", "lat1",
                                                    "lng1")})


def test_csv_round_trips_numbers_unchanged_and_formulas_neutralised(hostile):
    back = read_back(only(export.to_csv(hostile)))
    assert back.loc[0, "source"] == "'=HYPERLINK(\"http://x\")"
    assert back.loc[0, "note"] == "'@SUM(1)"
    assert back.loc[1, "source"] == "'+44 source"
    assert back.loc[1, "note"] == "'-leading text"
    # The negative longitude is a number, not a formula: read back as the same float.
    assert back["to_lon"].dtype == float
    assert back.loc[0, "to_lon"] == -2.3
    assert back.loc[1, "from_lon"] == -2.3
    # Everything else is unchanged.
    for column in ("person", "from", "to", "mode", "outcome", "certainty", "name"):
        assert list(back[column]) == list(hostile[column]), column
    for column in ("from_lat", "from_lon", "to_lat", "to_lon"):
        assert list(back[column]) == list(hostile[column]), column
    assert list(back["leg"]) == [1, 2]
    assert list(back["year"]) == [2008, 2009]
    assert list(back["located"]) == [True, True]


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\nx", "'\nx"), ("a=b", "a=b"), ("", ""), ("'=x", "'=x"),
    (-2.3, -2.3), (5, 5), (None, None),
])
def test_neutralise_prefixes_only_text_that_starts_like_a_formula(cell, written):
    assert common.neutralise(cell) == written


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
def test_any_text_round_trips_through_the_csv_as_neutralised(text):
    frame = pd.DataFrame({"note": [text], "lon": [-2.3]})
    back = pd.read_csv(io.BytesIO(common.csv_bytes(frame)), dtype={"note": str},
                       keep_default_na=False)
    assert back.loc[0, "note"] == common.neutralise(text)
    assert back.loc[0, "lon"] == -2.3


def test_csv_keeps_unlocated_legs_with_empty_coordinates(two_people):
    back = read_back(only(export.to_csv(two_people)))
    assert len(back) == len(two_people)
    missing = back[back["to"] == "Nowhere Known, China"]
    assert missing["to_lat"].isna().all()
    assert (~missing["located"]).all()
    assert back["year"].isna().sum() == 1


def test_csv_leaves_out_extra_columns():
    legs = read_legs((HEADER.strip() + ",exact_spot\n" + 'x,1,"Beijing, China","Seoul, South '
                      'Korea",plane,2008,resettled,,city,documented,src,,"39.9123,116.4"\n').encode())
    data = only(export.to_csv(locate_legs(legs, PLACES)))
    assert b"exact_spot" not in data and b"39.9123" not in data


# --- geojson --------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_in_lon_lat_order(two_people):
    collection = json.loads(only(export.to_geojson(two_people)))
    assert collection["type"] == "FeatureCollection"
    legs = [f for f in collection["features"] if f["properties"]["kind"] == "leg"]
    places = [f for f in collection["features"] if f["properties"]["kind"] == "place"]
    # The two legs through the unresolved place are left out, and the notes say so.
    assert len(legs) == len(two_people) - 2
    assert any("2 legs are not on the map (nor in the map formats" in n
               for n in collection["notes"])
    assert any("Nowhere Known, China" in n for n in collection["notes"])
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        positions = (geometry["coordinates"] if geometry["type"] == "LineString"
                     else [geometry["coordinates"]])
        for lon, lat in positions:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    seoul = next(f for f in places if f["properties"]["name"] == "Seoul, South Korea")
    assert seoul["geometry"]["coordinates"] == pytest.approx([126.98, 37.57], abs=0.05)
    to_seoul = next(f for f in legs if f["properties"]["to"] == "Seoul, South Korea")
    assert to_seoul["geometry"]["type"] == "LineString"
    start, end = to_seoul["geometry"]["coordinates"]
    assert (start, end) == (pytest.approx([116.4, 39.9]), pytest.approx([126.98, 37.57]))


def test_geojson_properties_carry_the_leg_with_years_as_int_or_null(two_people):
    collection = json.loads(only(export.to_geojson(two_people)))
    legs = [f["properties"] for f in collection["features"] if f["properties"]["kind"] == "leg"]
    by_leg = two_people.set_index(["person", "leg"])
    for props in legs:
        row = by_leg.loc[(props["person"], props["leg"])]
        for key in ("year", "year_end"):
            expected = None if pd.isna(row[key]) else int(row[key])
            assert props[key] == expected and type(props[key]) is type(expected), key
        assert type(props["leg"]) is int
        for key in ("person", "from", "to", "mode", "outcome", "certainty", "source", "note",
                    "precision", "shown_precision"):
            assert isinstance(props[key], str), key
    by_leg = {(p["person"], p["leg"]): p for p in legs}
    assert by_leg[("alpha", 2)]["year_end"] == 2010
    assert by_leg[("alpha", 2)]["certainty"] == "disputed"
    assert by_leg[("alpha", 3)]["year"] is None


def test_geojson_leg_that_stays_in_one_place_is_a_point(hostile):
    collection = json.loads(only(export.to_geojson(hostile)))
    stay = next(f for f in collection["features"]
                if f["properties"]["kind"] == "leg" and f["properties"]["leg"] == 2)
    assert stay["geometry"] == {"type": "Point", "coordinates": [-2.3, 53.59]}


# --- timelinejs -----------------------------------------------------------------------------


def test_timelinejs_has_an_event_per_leg_of_known_year(two_people):
    timeline = json.loads(only(export.to_timelinejs(two_people)))
    assert set(timeline) >= {"title", "events"}
    assert timeline["scale"] == "human"
    events = timeline["events"]
    assert len(events) == int(two_people["year"].notna().sum()) == 5
    for event in events:
        assert type(event["start_date"]["year"]) is int
        assert event["text"]["headline"] and event["text"]["text"]
        assert event["group"] in {"alpha", "beta"}
    assert len({e["unique_id"] for e in events}) == len(events)
    ranged = next(e for e in events if e["unique_id"] == "alpha-leg-2")
    assert ranged["end_date"] == {"year": 2010}
    assert "end_date" not in next(e for e in events if e["unique_id"] == "alpha-leg-1")
    # The leg of unknown year is left out, and the title slide says so.
    assert "alpha-leg-3" not in {e["unique_id"] for e in events}
    assert "1 leg of unknown year is not on this timeline" in timeline["title"]["text"]["text"]


def test_timelinejs_escapes_data_text_and_links_only_web_sources(two_people):
    events = json.loads(only(export.to_timelinejs(two_people)))["events"]
    disputed = next(e for e in events if e["unique_id"] == "alpha-leg-2")["text"]["text"]
    assert "&lt;b&gt;1&lt;/b&gt; vs 2 &amp; more" in disputed
    assert "<b>" not in disputed
    assert "<strong>disputed</strong>" in disputed
    assert "memoir, 2015" in disputed and "<a " not in disputed
    linked = next(e for e in events if e["unique_id"] == "alpha-leg-1")["text"]["text"]
    assert '<a href="https://example.org/a">' in linked


def test_timelinejs_group_is_the_person_s_name(anonymous):
    events = json.loads(only(export.to_timelinejs(anonymous)))["events"]
    assert {e["group"] for e in events} == {"A. (pseudonym)", "Named Person"}


# --- storymap -------------------------------------------------------------------------------


def test_storymap_writes_one_file_per_person_starting_with_an_overview(two_people):
    files = export.to_storymap(two_people)
    assert sorted(files) == ["storymap-alpha.json", "storymap-beta.json"]
    for data in files.values():
        storymap = json.loads(data)["storymap"]
        assert storymap["language"] == "en"
        assert storymap["map_type"] == "osm:standard"
        assert storymap["calculate_zoom"] is True
        first, *rest = storymap["slides"]
        assert first["type"] == "overview"
        assert rest
        for slide in rest:
            location = slide["location"]
            assert set(location) >= {"name", "lat", "lon", "zoom", "line"}
            assert isinstance(location["lat"], float) and isinstance(location["lon"], float)
            assert isinstance(location["line"], bool)
            assert slide["text"]["headline"] and "date" in slide


def test_storymap_slides_follow_the_journey_with_certainty_and_source(two_people):
    slides = json.loads(export.to_storymap(two_people)["storymap-alpha.json"])["storymap"][
        "slides"]
    names = [s["location"]["name"] for s in slides[1:]]
    assert names == ["Hyesan, North Korea", "Changbai, China", "Beijing, China",
                     "Seoul, South Korea"]
    assert slides[1]["location"]["line"] is False
    seoul = slides[-1]
    assert (seoul["location"]["lon"], seoul["location"]["lat"]) == pytest.approx((126.98, 37.57))
    assert "Certainty: single report: one report only" in seoul["text"]["text"]
    assert "Source: an unsigned article" in seoul["text"]["text"]
    assert seoul["date"] == "year unknown"
    assert "&lt;b&gt;" in slides[3]["text"]["text"]


def test_storymap_says_which_legs_it_could_not_place(two_people):
    slides = json.loads(export.to_storymap(two_people)["storymap-beta.json"])["storymap"][
        "slides"]
    assert "2 legs are not in this story" in slides[0]["text"]["text"]
    assert [s["location"]["name"] for s in slides[1:]] == ["Hyesan, North Korea",
                                                          "Changbai, China"]


def test_storymap_file_names_are_safe(two_people):
    frame = two_people.assign(person=two_people["person"].map({"alpha": "../../etc",
                                                               "beta": "a/b"}))
    assert sorted(export.to_storymap(frame)) == ["storymap-a-b.json", "storymap-etc.json"]


# --- flowmap --------------------------------------------------------------------------------


def test_flowmap_tables_match_the_documented_columns_and_ids(two_people):
    files = export.to_flowmap(two_people)
    assert sorted(files) == ["flows.csv", "locations.csv", "properties.csv"]
    locations = pd.read_csv(io.BytesIO(files["locations.csv"]), keep_default_na=False)
    flows = pd.read_csv(io.BytesIO(files["flows.csv"]), keep_default_na=False)
    properties = pd.read_csv(io.BytesIO(files["properties.csv"]), keep_default_na=False)
    assert list(locations.columns) == ["id", "name", "lat", "lon"]
    assert list(flows.columns) == ["origin", "dest", "count", "time"]
    assert list(properties.columns) == ["property", "value"]
    assert locations["id"].is_unique
    assert set(flows["origin"]) | set(flows["dest"]) <= set(locations["id"])
    seoul = locations.set_index("name").loc["Seoul, South Korea"]
    assert (seoul["lat"], seoul["lon"]) == pytest.approx((37.57, 126.98))
    assert {"title", "description", "source.name"} <= set(properties["property"])


def test_flowmap_counts_people_per_route_and_year(two_people):
    files = export.to_flowmap(two_people)
    locations = pd.read_csv(io.BytesIO(files["locations.csv"]), keep_default_na=False)
    flows = pd.read_csv(io.BytesIO(files["flows.csv"]), keep_default_na=False)
    ids = dict(zip(locations["name"], locations["id"], strict=True))
    crossing = flows[(flows["origin"] == ids["Hyesan, North Korea"])
                     & (flows["dest"] == ids["Changbai, China"])]
    assert crossing[["count", "time"]].to_dict("records") == [{"count": 2, "time": "2009-01-01"}]
    assert flows["count"].sum() == 4  # 6 legs, 2 of them not located
    for time in flows["time"]:
        assert time == "" or re.fullmatch(r"\d{4}-01-01", time)
    # The leg of unknown year is a flow without time, and the description says so.
    unknown = flows[flows["time"] == ""]
    assert list(unknown["dest"]) == [ids["Seoul, South Korea"]]
    properties = pd.read_csv(io.BytesIO(files["properties.csv"])).set_index("property")
    assert "1 leg of unknown year" in properties.loc["description", "value"]


# --- kepler ---------------------------------------------------------------------------------


def test_kepler_csv_has_arcs_and_full_datetimes(two_people):
    back = read_back(only(export.to_kepler(two_people)))
    assert list(back.columns[:6]) == ["lat0", "lng0", "lat1", "lng1", "datetime", "datetime_end"]
    assert len(back) == int(two_people["located"].sum()) == 4
    assert back[["lat0", "lng0", "lat1", "lng1"]].notna().all().all()
    for value in back["datetime"]:
        assert value == "" or re.fullmatch(r"\d{4}-01-01 00:00", value)
    first = back[(back["person"] == "alpha") & (back["leg"] == 2)].iloc[0]
    assert first["datetime"] == "2009-01-01 00:00"
    assert first["datetime_end"] == "2010-01-01 00:00"
    unknown = back[(back["person"] == "alpha") & (back["leg"] == 3)].iloc[0]
    assert unknown["datetime"] == "" and pd.isna(unknown["year"])
    assert (unknown["lat1"], unknown["lng1"]) == pytest.approx((37.57, 126.98))


def test_kepler_neutralises_formula_cells_but_not_coordinates(hostile):
    back = read_back(only(export.to_kepler(hostile)))
    assert back.loc[0, "lng1"] == -2.3
    assert back.loc[0, "source"] == "'=HYPERLINK(\"http://x\")"


# --- anonymity, in every format ---------------------------------------------------------------


def test_anonymous_legs_are_never_exported_finer_than_shown(anonymous):
    files = export.export_files(["all"], anonymous, read_people(ANONYMOUS_PEOPLE.encode()))
    anon = anonymous[anonymous["person"] == "anon"]
    assert anon["precision_reduced"].all()
    # The city coordinates of Seoul appear nowhere: its leg is shown at country level and
    # South Korea has no country point, so that leg has no coordinates at all.
    for name, data in files.items():
        assert b"126.98" not in data, name
        assert b"37.57" not in data, name
    back = read_back(files["legs-with-coordinates.csv"])
    anon_back = back[back["person"] == "anon"]
    assert list(anon_back["from"]) == ["North Korea", "China"]
    assert anon_back.iloc[0][["from_lat", "from_lon"]].tolist() == [39.872, 126.421]
    assert anon_back.iloc[0][["to_lat", "to_lon"]].tolist() == [32.456, 109.464]
    assert anon_back.iloc[1][["to_lat", "to_lon"]].isna().all()
    assert anon_back.iloc[1]["to"] == "South Korea"
    # The named person's crossing keeps its city places and coordinates.
    named = back[back["person"] == "named"].iloc[0]
    assert (named["from"], named["from_lat"]) == ("Hyesan, North Korea", 41.4)
    # The anonymous person's city names appear only for the named person's leg.
    storymap = json.loads(files["storymap-anon.json"])["storymap"]["slides"]
    assert [s["location"]["name"] for s in storymap[1:]] == ["North Korea", "China"]
    assert b"Hyesan" not in files["storymap-anon.json"]
    assert b"Changbai" not in files["storymap-anon.json"]
    timeline = json.loads(files["timeline.json"])
    for event in timeline["events"]:
        if event["group"] == "A. (pseudonym)":
            assert "Hyesan" not in json.dumps(event) and "Changbai" not in json.dumps(event)
    readme = files["README.txt"].decode()
    assert "2 legs of anonymous people are shown at country level" in readme


def test_a_frame_that_would_show_an_anonymous_person_finely_is_refused(anonymous):
    unsafe = anonymous.assign(shown_precision=anonymous["precision"])
    for write in export.WRITERS.values():
        with pytest.raises(ValueError, match="anonymous"):
            write(unsafe, None)


def test_a_frame_without_the_located_columns_is_refused():
    legs = read_legs((HEADER + 'x,1,a,b,plane,2008,resettled,,city,documented,src,\n').encode())
    with pytest.raises(ValueError, match="from_lat"):
        export.to_csv(legs)


# --- the bundled data, the README, the zip ------------------------------------------------------


def test_every_format_of_the_bundled_data_parses(curated):
    files = export.export_files(["all"], curated.legs, curated.people)
    storymaps = [n for n in files if n.startswith("storymap-")]
    assert len(storymaps) == curated.legs["person"].nunique()
    for name in storymaps:
        assert json.loads(files[name])["storymap"]["slides"][0]["type"] == "overview"
    collection = json.loads(files["legs.geojson"])
    seoul = [f for f in collection["features"]
             if f["properties"].get("name") == "Seoul, South Korea"]
    assert seoul[0]["geometry"]["coordinates"] == pytest.approx([126.98, 37.57], abs=0.05)
    timeline = json.loads(files["timeline.json"])
    assert len(timeline["events"]) == int(curated.legs["year"].notna().sum())
    flows = pd.read_csv(io.BytesIO(files["flows.csv"]), keep_default_na=False)
    locations = pd.read_csv(io.BytesIO(files["locations.csv"]), keep_default_na=False)
    assert set(flows["origin"]) | set(flows["dest"]) <= set(locations["id"])
    back = read_back(files["legs-with-coordinates.csv"])
    assert len(back) == len(curated.legs)
    bury = back[back["to"] == "Bury, United Kingdom"].iloc[0]
    assert bury["to_lon"] == -2.3
    assert "unknown year" in files["README.txt"].decode()


def test_readme_names_every_file_and_what_opens_it(two_people):
    files = export.export_files(["storymap", "flowmap"], two_people)
    readme = files["README.txt"].decode()
    for name in files:
        if name != "README.txt":
            assert name in readme
    assert "StoryMapJS" in readme and "flowmap.blue" in readme
    assert "Places not found: Nowhere Known, China" in readme


@pytest.mark.parametrize("case", ["no legs", "no leg located"])
def test_every_format_copes_with_nothing_to_draw(case, two_people):
    frame = two_people.iloc[0:0] if case == "no legs" else two_people.assign(
        located=False, from_lat=float("nan"), to_lat=float("nan"))
    files = export.export_files(["all"], frame)
    assert json.loads(files["legs.geojson"])["features"] == []
    if case == "no legs":
        assert json.loads(files["timeline.json"])["events"] == []
    assert pd.read_csv(io.BytesIO(files["flows.csv"])).empty
    assert pd.read_csv(io.BytesIO(files["kepler-arcs.csv"])).empty
    for name in files:
        if name.startswith("storymap-"):
            slides = json.loads(files[name])["storymap"]["slides"]
            assert [s["type"] for s in slides] == ["overview"]


def test_unknown_format_is_refused(two_people):
    with pytest.raises(ValueError, match="unknown export format"):
        export.export_files(["pdf"], two_people)


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_downloads_are_single_files_or_zips_with_a_readme(fmt, two_people):
    data = export.download(fmt, two_people)
    if export.FORMATS[fmt].download_name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert "README.txt" in names and len(names) >= 2
            assert archive.testzip() is None
    else:
        assert data == only(export.WRITERS[fmt](two_people, None))
    assert export.download(fmt, two_people) == data  # the same view gives the same bytes


# --- the command line -------------------------------------------------------------------------


def test_cli_writes_every_format_and_prints_the_files(tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    assert cli.main(["export", "all", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    written = sorted(p.name for p in out.iterdir())
    assert sorted(Path(line).name for line in printed) == written
    assert all(Path(line).is_file() for line in printed)
    assert {"legs-with-coordinates.csv", "legs.geojson", "timeline.json", "locations.csv",
            "flows.csv", "properties.csv", "kepler-arcs.csv", "README.txt"} <= set(written)
    json.loads((out / "legs.geojson").read_text(encoding="utf-8"))


def test_cli_reads_a_legs_file_with_its_folder(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "my-legs.csv").write_text(
        HEADER + 'x,1,"Beijing, China","Seoul, South Korea",plane,2008,resettled,,city,documented,'
        "src,\n", encoding="utf-8")
    PLACES.to_csv(folder / "geocache.csv", index=False)
    code = cli.main(["export", "timelinejs", "--out", str(tmp_path / "out"),
                     "--legs", str(folder / "my-legs.csv")])
    assert code == 0
    assert capsys.readouterr().out.split() == [
        str(tmp_path / "out" / name) for name in ("timeline.json", "sources.csv", "README.txt")]
    timeline = json.loads((tmp_path / "out" / "timeline.json").read_text(encoding="utf-8"))
    assert timeline["events"][0]["start_date"] == {"year": 2008}


def test_cli_bad_legs_file_gives_messages_and_exit_1(tmp_path, capsys):
    bad = tmp_path / "legs.csv"
    bad.write_text(HEADER + "x,1,a,b,by magic,20O8,resettled,,city,documented,src,\n",
                   encoding="utf-8")
    code = cli.main(["export", "csv", "--out", str(tmp_path / "out"), "--legs", str(bad)])
    captured = capsys.readouterr()
    assert code == 1
    assert "legs.csv, row 2, column 'mode'" in captured.err
    assert "'20O8' is not a year" in captured.err
    assert captured.out == ""
    assert not (tmp_path / "out").exists()


def test_cli_missing_legs_file_and_unwritable_folder_are_messages(tmp_path, capsys):
    assert cli.main(["export", "csv", "--out", str(tmp_path), "--legs",
                     str(tmp_path / "none.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert cli.main(["export", "csv", "--out", str(blocker / "sub")]) == 1
    assert "cannot write the export" in capsys.readouterr().err


def test_cli_never_overwrites_its_input(tmp_path, capsys):
    legs = tmp_path / "README.txt"  # a legs file whose name an export would write
    legs.write_text(HEADER + 'x,1,"Beijing, China","Seoul, South Korea",plane,2008,resettled,,'
                    "city,documented,src,\n", encoding="utf-8")
    PLACES.to_csv(tmp_path / "geocache.csv", index=False)
    before = legs.read_bytes()
    assert cli.main(["export", "csv", "--out", str(tmp_path), "--legs", str(legs)]) == 1
    assert "would overwrite" in capsys.readouterr().err
    assert legs.read_bytes() == before


def test_cli_as_a_process_prints_no_traceback(tmp_path):
    bad = tmp_path / "legs.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = subprocess.run(
        [sys.executable, "-m", "routes_dash", "export", "geojson", "--out", str(tmp_path / "o"),
         "--legs", str(bad)],
        capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "legs.csv" in result.stderr


# --- the page section -------------------------------------------------------------------------


def _exports_page(empty: bool = False):
    from routes_dash import bundled
    from routes_dash.journeys.dataset import load_folder
    from routes_dash.ui import downloads

    dataset = load_folder(bundled.DATA)
    legs = dataset.legs.iloc[0:0] if empty else dataset.legs
    downloads.show(legs, dataset.people, dataset.sources)


def test_page_offers_every_format_as_a_download():
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_exports_page, default_timeout=30).run()
    assert not page.exception
    buttons = page.get("download_button")
    assert sorted(b.proto.label for b in buttons) == sorted([
        "CSV (spreadsheets)", "GeoJSON (GIS)", "TimelineJS", "StoryMapJS (zip)",
        "flowmap.blue (zip)", "kepler.gl", "Story handouts (zip)", "Everything (zip)"])
    # Built when pressed (deferred), and pressing it does not rerun the page.
    assert all(b.proto.deferred_file_id and b.proto.ignore_rerun for b in buttons)
    captions = " ".join(c.value for c in page.caption)
    assert "unknown year" in captions and "anonymous people stay as coarse" in captions


def test_page_with_no_legs_says_there_is_nothing_to_download():
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_exports_page, kwargs={"empty": True}, default_timeout=30).run()
    assert not page.exception
    assert not page.get("download_button")
    assert "nothing to download" in page.info[0].value
