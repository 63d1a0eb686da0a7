"""The exports shaped for the tools that read them: flowmap.blue's tables (undated flows
apart), kepler.gl's arcs and map file, a TimelineJS export split per person past its
comfortable size, and files named after the data they hold. test_consumers.py opens them in
the tools themselves."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import pytest
from test_export import hostile_legs, read_back, two_people_legs

from routes_dash.render import export


@pytest.fixture
def two_people():
    return two_people_legs()


@pytest.fixture
def hostile():
    return hostile_legs()


# --- flowmap --------------------------------------------------------------------------------


def test_flowmap_tables_match_the_documented_columns_and_ids(two_people):
    files = export.to_flowmap(two_people)
    assert sorted(files) == ["flows-undated.csv", "flows.csv", "locations.csv",
                             "properties.csv"]
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
    for time in flows["time"]:
        assert re.fullmatch(r"\d{4}-01-01", time)
    # The leg of unknown year is apart, in flows-undated.csv, and the description says so.
    undated = pd.read_csv(io.BytesIO(files["flows-undated.csv"]), keep_default_na=False)
    assert undated.to_dict("records") == [
        {"origin": ids["Beijing, China"], "dest": ids["Seoul, South Korea"], "count": 1}]
    assert flows["count"].sum() + undated["count"].sum() == 4  # 6 legs, 2 not located
    properties = pd.read_csv(io.BytesIO(files["properties.csv"])).set_index("property")
    assert "1 leg of unknown year" in properties.loc["description", "value"]
    assert "flows-undated.csv" in properties.loc["description", "value"]


def test_flowmap_without_undated_legs_writes_no_undated_file(two_people):
    files = export.to_flowmap(two_people[two_people["year"].notna()])
    assert "flows-undated.csv" not in files


def test_exports_name_the_data_and_filters_they_hold(two_people):
    view = export.View(data="your file trip.csv", filters="person: alpha; years: 2009–2010")
    files = export.export_files(["flowmap", "geojson", "kepler"], two_people, view=view)
    properties = pd.read_csv(io.BytesIO(files["properties.csv"])).set_index("property")["value"]
    title = ("Escape routes of North Korean defectors: your file trip.csv "
             "(person: alpha; years: 2009–2010)")
    assert properties["title"] == title
    assert properties["source.name"].startswith("your file trip.csv")
    assert "curated" not in files["properties.csv"].decode()
    assert json.loads(files["legs.geojson"])["name"] == title
    assert json.loads(files["kepler-map.json"])["info"]["title"] == title
    assert files["README.txt"].decode().startswith(title + "\n")


def test_filters_in_words_name_people_by_name():
    from routes_dash.journeys.filters import Filters

    words = export.filters_in_words(Filters(people=("a",), countries=("China",),
                                            years=(1997, 2009), modes=("train",)),
                                    {"a": "Ann Example"})
    assert words == "person: Ann Example; country: China; mode: train; years: 1997–2009"
    assert export.filters_in_words(Filters()) == ""
    assert export.filters_in_words(Filters(years=(2001, 2001))) == "years: 2001"
    assert export.data_label("your file x.csv (this browser session only)") == "your file x.csv"


# --- kepler ---------------------------------------------------------------------------------


def test_kepler_csv_has_arcs_named_as_kepler_pairs_them_and_full_datetimes(two_people):
    back = read_back(export.to_kepler(two_people)["kepler-arcs.csv"])
    assert list(back.columns[:6]) == ["from_lat", "from_lng", "to_lat", "to_lng", "datetime",
                                      "datetime_end"]
    assert len(back) == int(two_people["located"].sum()) == 4
    assert back[["from_lat", "from_lng", "to_lat", "to_lng"]].notna().all().all()
    for value in back["datetime"]:
        assert value == "" or re.fullmatch(r"\d{4}-01-01 00:00", value)
    first = back[(back["person"] == "alpha") & (back["leg"] == 2)].iloc[0]
    assert first["datetime"] == "2009-01-01 00:00"
    assert first["datetime_end"] == "2010-01-01 00:00"
    unknown = back[(back["person"] == "alpha") & (back["leg"] == 3)].iloc[0]
    assert unknown["datetime"] == "" and pd.isna(unknown["year"])
    assert (unknown["to_lat"], unknown["to_lng"]) == pytest.approx((37.57, 126.98))


def test_kepler_map_holds_the_same_rows_and_a_visible_arc_layer(two_people):
    files = export.to_kepler(two_people)
    saved = json.loads(files["kepler-map.json"])
    (dataset,) = saved["datasets"]
    fields = [f["name"] for f in dataset["data"]["fields"]]
    assert fields == list(read_back(files["kepler-arcs.csv"]).columns)
    assert len(dataset["data"]["allData"]) == 4
    (layer,) = saved["config"]["config"]["visState"]["layers"]
    assert layer["type"] == "arc" and layer["config"]["isVisible"] is True
    assert set(layer["config"]["columns"].values()) <= set(fields)
    unknown = [row for row in dataset["data"]["allData"]
               if row[fields.index("person")] == "alpha" and row[fields.index("leg")] == 3]
    assert unknown[0][fields.index("datetime")] is None


def test_kepler_neutralises_formula_cells_but_not_coordinates(hostile):
    back = read_back(export.to_kepler(hostile)["kepler-arcs.csv"])
    assert back.loc[0, "to_lng"] == -2.3
    assert back.loc[0, "source"] == "'=HYPERLINK(\"http://x\")"


# --- TimelineJS past its comfortable size ------------------------------------------------------


def test_a_large_timeline_is_split_one_per_person(two_people, monkeypatch):
    from routes_dash.render.export import knightlab

    monkeypatch.setattr(knightlab, "TIMELINE_MOST_EVENTS", 3)
    monkeypatch.setattr(export, "TIMELINE_MOST_EVENTS", 3)
    files = export.export_files(["timelinejs"], two_people)
    assert sorted(n for n in files if n.startswith("timeline")) == [
        "timeline-alpha.json", "timeline-beta.json"]
    alpha = json.loads(files["timeline-alpha.json"])
    assert [e["unique_id"] for e in alpha["events"]] == ["alpha-leg-1", "alpha-leg-2"]
    assert "one per person" in alpha["title"]["text"]["text"]
    assert "1 leg of unknown year is not on this timeline" in alpha["title"]["text"]["text"]
    assert "one timeline per person (2 files)" in files["README.txt"].decode()
    assert export.download_name("timelinejs", two_people) == "timelines.zip"
    with zipfile.ZipFile(io.BytesIO(export.download("timelinejs", two_people))) as archive:
        assert {"timeline-alpha.json", "timeline-beta.json", "README.txt"} <= set(
            archive.namelist())
