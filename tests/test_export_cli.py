"""The exports from the command line and from the page's Download tab."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_export import HEADER, PLACES, ROOT

from routes_dash import cli
from routes_dash.render import export

# --- the command line -------------------------------------------------------------------------


def test_cli_writes_every_format_and_prints_the_files(tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    assert cli.main(["export", "all", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    written = sorted(p.name for p in out.iterdir())
    assert sorted(Path(line).name for line in printed) == written
    assert all(Path(line).is_file() for line in printed)
    assert {"legs-with-coordinates.csv", "legs.geojson", "timeline.json", "locations.csv",
            "flows.csv", "properties.csv", "kepler-arcs.csv", "kepler-map.json",
            "README.txt"} <= set(written)
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
    from routes_dash.journeys.filters import Filters
    from routes_dash.ui import downloads

    dataset = load_folder(bundled.DATA)
    legs = dataset.legs.iloc[0:0] if empty else dataset.legs
    downloads.show(dataset, legs, Filters())


def test_page_offers_every_format_as_a_download():
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_exports_page, default_timeout=30).run()
    assert not page.exception
    buttons = page.get("download_button")
    assert sorted(b.proto.label for b in buttons) == sorted(
        f.label for f in export.FORMATS.values())
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
