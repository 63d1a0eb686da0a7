"""The benchmark runs end to end and prints every row; its timings are never asserted."""

import json

from routes_dash import bench
from routes_dash.cli import main


def test_the_benchmark_runs_end_to_end_on_a_tiny_size(capsys):
    assert main(["bench", "--legs", "200", "--reruns", "2"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    header = lines[0]
    for _, heading, _ in bench.COLUMNS:
        assert heading in header
    rows = [line for line in lines if line.startswith("| curated") or line.startswith("| synth")]
    assert [row.split("|")[1].strip() for row in rows] == ["curated", "synth 200"]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == len(bench.COLUMNS)
        assert "—" not in cells  # every measurement was made
    synth_row = rows[1].split("|")
    assert synth_row[2].strip() == "200"  # legs
    assert any(line.startswith("Floor (an empty Streamlit script") for line in lines)
    assert "load average" in out.out
    assert "synthetic legs" in out.err  # progress goes to stderr, the table to stdout


def test_json_output_and_bad_arguments(monkeypatch, capsys):
    floor = {"data": "floor", "first_s": 0.1, "rerun_s": 0.002, "revisit_s": 0.002}
    row = {key: 1 for key, _, _ in bench.COLUMNS} | {"data": "curated", "rerun_s": 0.004}
    monkeypatch.setattr(bench, "run", lambda *args, **kwargs: (floor, [row]))
    assert main(["bench", "--legs", "200", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["floor"]["data"] == "floor" and printed["rows"][0]["data"] == "curated"
    assert main(["bench", "--legs", "ten"]) == 2
    assert "--legs" in capsys.readouterr().err
    assert main(["bench", "--legs", "0"]) == 2
