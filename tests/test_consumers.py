"""Each export opened in the real tool that reads it, offline: kepler.gl's processors and layer
detection and flowmap.gl's selectors under node, TimelineJS in Chromium, the GeoJSON through
GDAL (pyogrio).

The node packages come from the repository's package.json (`npm ci`, which .ci/run does);
without them (or without node, pyogrio or Chromium) these tests skip locally and fail in CI.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from routes_dash.render import export

CONSUMERS = Path(__file__).parent / "consumers"
NODE_MODULES = REPO / "node_modules"


def need(available: bool, what: str) -> None:
    """Skip without a consumer locally; in CI, where .ci/run installs them all, fail."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the consumer tests: {what} is missing (.ci/run installs it)",
                    pytrace=False)
    pytest.skip(f"{what} is missing here (see .ci/run)")


def node_package(name: str) -> None:
    need(shutil.which("node") is not None and (NODE_MODULES / name / "package.json").is_file(),
         f"node and the npm package {name} (`npm ci`)")


def run_node(*args: str | Path) -> dict:
    result = subprocess.run(["node", *map(str, args)], capture_output=True, text=True,
                            cwd=REPO, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def written(tmp_path: Path, fmt: str, dataset, view: export.View | None = None) -> Path:
    folder = tmp_path / fmt
    folder.mkdir()
    files = export.export_files([fmt], dataset.legs, dataset.people, dataset.sources, view)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(params=["bundled", "other"])
def dataset(request, bundled, other_journeys):
    """The bundled journeys, and a folder of other journeys with an anonymous person."""
    return bundled if request.param == "bundled" else other_journeys


# --- kepler.gl ----------------------------------------------------------------------------------


def test_kepler_detects_the_arcs_and_loads_the_map_with_them_shown(tmp_path, dataset):
    node_package("@kepler.gl/processors")
    folder = written(tmp_path, "kepler", dataset)
    report = run_node(CONSUMERS / "kepler.cjs", folder / "kepler-arcs.csv",
                      folder / "kepler-map.json")
    located = dataset.legs[dataset.legs["located"]]
    ends = {"lat0": "from_lat", "lng0": "from_lng", "lat1": "to_lat", "lng1": "to_lng"}

    csv = report["csv"]
    assert csv["rows"] == len(located)
    assert [(p["lat"], p["lng"]) for p in csv["pairs"]] == [("from_lat", "from_lng"),
                                                            ("to_lat", "to_lng")]
    arcs = [layer for layer in csv["layers"] if layer["type"] == "arc"]
    assert [a["columns"] for a in arcs] == [ends], "kepler's own detection draws the legs"
    assert csv["fields"]["datetime"] == "timestamp", "time playback works"

    saved = report["map"]
    assert saved["rows"] == len(located)
    assert saved["fields"]["datetime"] == "timestamp"
    (layer,) = saved["layers"]
    assert layer == {"type": "arc", "dataId": "legs", "visible": True, "columns": ends,
                     "colorField": "mode"}, "the map file shows the arcs at once"
    assert -90 <= saved["mapState"]["latitude"] <= 90


# --- flowmap.gl ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flowmap_script(tmp_path_factory) -> Path:
    """flowmap.mjs bundled with esbuild: @flowmap.gl/data 9.4 is ESM that node cannot import
    as shipped (extensionless imports, a named import from CommonJS)."""
    node_package("@flowmap.gl/data")
    out = tmp_path_factory.mktemp("flowmap") / "flowmap.mjs"
    subprocess.run(
        [str(NODE_MODULES / ".bin" / "esbuild"), str(CONSUMERS / "flowmap.mjs"), "--bundle",
         "--platform=node", "--format=esm", "--log-level=warning",
         "--define:process.env.NODE_ENV=\"production\"", f"--outfile={out}"],
        check=True, cwd=REPO, timeout=120)
    return out


def test_flowmap_places_every_flow_in_its_year_with_no_invalid_date(tmp_path, dataset,
                                                                     flowmap_script):
    folder = written(tmp_path, "flowmap", dataset)
    report = run_node(flowmap_script, folder / "locations.csv", folder / "flows.csv")
    flows = pd.read_csv(folder / "flows.csv")
    assert report["placed"] == report["flows"] == len(flows) > 0
    assert report["invalidLocations"] == []
    assert report["total"] == flows["count"].sum()
    assert "Invalid Date" not in {b["time"] for b in report["countsByTime"]}
    assert sum(b["count"] for b in report["countsByTime"]) == report["total"]
    assert report["totalInFullRange"] == report["total"], "no flow vanishes on the time slider"
    years = dataset.legs.loc[dataset.legs["located"], "year"].dropna()
    assert report["granularity"] == "YEAR"
    # flowmap's extent ends where the last year's bin does: 1 January of the next year.
    assert report["timeExtent"] == [f"{int(years.min())}-01-01",
                                    f"{int(years.max()) + 1}-01-01"]


def test_flowmap_opens_the_undated_flows_on_their_own(tmp_path, bundled, flowmap_script):
    folder = written(tmp_path, "flowmap", bundled)
    report = run_node(flowmap_script, folder / "locations.csv", folder / "flows-undated.csv")
    undated = pd.read_csv(folder / "flows-undated.csv")
    assert report["placed"] == report["flows"] == len(undated) > 0
    assert report["total"] == undated["count"].sum()
    assert report["countsByTime"] == []
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "flows-undated.csv" in readme


# --- GeoJSON through GDAL -----------------------------------------------------------------------


def test_gdal_reads_every_leg_and_place_of_the_geojson(tmp_path, dataset):
    try:
        import pyogrio
        from pyogrio import raw
    except ImportError:
        raw = None
    need(raw is not None, "pyogrio (GDAL's Python binding, in the test extra)")
    title = "Escape routes of North Korean defectors: a test view"
    folder = written(tmp_path, "geojson", dataset, export.View(data="a test view"))
    meta, _, geometry, values = raw.read(folder / "legs.geojson")
    assert meta["crs"] == "EPSG:4326"
    fields = dict(zip(meta["fields"], values, strict=True))
    kinds = pd.Series(fields["kind"])
    located = dataset.legs[dataset.legs["located"]]
    assert (kinds == "leg").sum() == len(located)
    legs = kinds == "leg"
    assert {"certainty", "citation", "source_links", "shown_precision"} <= set(fields)
    assert set(pd.Series(fields["certainty"])[legs]) == set(located["certainty"])
    assert pd.Series(fields["citation"])[legs].tolist() == located["citation"].tolist()
    assert len(geometry) == len(kinds)
    assert pyogrio.list_layers(folder / "legs.geojson")[0][0] == title


# --- TimelineJS in Chromium ---------------------------------------------------------------------

TIMELINE_DIST = NODE_MODULES / "@knight-lab" / "timelinejs" / "dist"
# TimelineJS's options for working offline: no CDN script_path (its fonts and locale come
# from there), no web font, the built-in English, no analytics.
OFFLINE_OPTIONS = {"script_path": "", "font": None, "language": "en", "hash_bookmark": False}


def timeline_page(folder: Path, data_file: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>timeline</title>
<link rel="stylesheet" href="/dist/css/timeline.css"><script src="/dist/js/timeline.js"></script>
</head><body><div id="timeline" style="width:1280px;height:640px"></div><script>
window.__ready = false;
const timeline = new TL.Timeline('timeline', {(folder / data_file).read_text(encoding='utf-8')},
                                 {json.dumps(OFFLINE_OPTIONS)});
timeline.on('ready', () => window.__ready = true);
</script></body></html>"""


@functools.cache
def _quiet_handler(root: str):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=root, **kwargs)

        def log_message(self, *args):
            pass

    return Quiet


def serve_folder(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _quiet_handler(str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def open_timeline(browser, folder: Path, data_file: str) -> dict:
    """TimelineJS opens `data_file` of `folder`; what it drew, its errors and requests."""
    from browser import Visit

    (folder / "dist").symlink_to(TIMELINE_DIST)
    (folder / "index.html").write_text(timeline_page(folder, data_file), encoding="utf-8")
    server, url = serve_folder(folder)
    try:
        visit = Visit(browser, f"{url}/index.html", width=1280, height=720, app=False)
        visit.page.wait_for_function("window.__ready")
        drawn = visit.page.evaluate("""() => ({
            markers: document.querySelectorAll('.tl-timemarker').length,
            slides: document.querySelectorAll('.tl-slide').length,
            message: (document.querySelector('.tl-message-content') || {}).textContent || ''})""")
        visit.close()
    finally:
        server.shutdown()
    return {**drawn, "outside": visit.outside, "errors": visit.errors}


@pytest.mark.browser
def test_timelinejs_renders_every_event_offline(tmp_path, dataset, browser):
    node_package("@knight-lab/timelinejs")
    folder = written(tmp_path, "timelinejs", dataset)
    timeline = json.loads((folder / "timeline.json").read_text(encoding="utf-8"))
    events = timeline["events"]
    drawn = open_timeline(browser, folder, "timeline.json")
    assert drawn["errors"] == [] and drawn["outside"] == []
    assert drawn["markers"] == len(events) == int(dataset.legs["year"].notna().sum())
    assert drawn["slides"] == len(events) + 1, "every event and the title slide"
    assert not drawn["message"]


@pytest.mark.browser
def test_timelinejs_opens_each_timeline_of_a_view_split_per_person(tmp_path, bundled, browser,
                                                                   monkeypatch):
    from routes_dash.render.export import knightlab

    node_package("@knight-lab/timelinejs")
    monkeypatch.setattr(knightlab, "TIMELINE_MOST_EVENTS", 10)
    folder = written(tmp_path, "timelinejs", bundled)
    files = sorted(p.name for p in folder.glob("timeline-*.json"))
    assert len(files) == bundled.legs["person"].nunique()
    busiest = max(files, key=lambda name: len(json.loads((folder / name).read_bytes())["events"]))
    events = json.loads((folder / busiest).read_bytes())["events"]
    drawn = open_timeline(browser, folder, busiest)
    assert drawn["errors"] == [] and drawn["outside"] == []
    assert drawn["markers"] == len(events) > 0
