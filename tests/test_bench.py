"""The benchmark runs end to end and reports every measurement; its timings are never asserted."""

import json

from tools import bench


def test_the_benchmark_runs_end_to_end_on_a_tiny_size(capsys):
    assert bench.main(["--legs", "200", "--reruns", "2", "--json"]) == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    rows = printed["rows"]
    assert [row["data"] for row in rows] == ["curated", "synth 200"]
    for row in rows:
        missing = [key for key, _, _ in bench.COLUMNS if not isinstance(row.get(key), str)
                   and not (isinstance(row.get(key), int | float) and row[key] >= 0)]
        assert missing == [], f"{row['data']}: not measured: {missing}"
    assert rows[1]["legs"] == 200
    assert printed["floor"]["rerun_s"] > 0


def test_the_table_shows_every_column_in_its_unit():
    floor = {"first_s": 0.1, "rerun_s": 0.0025, "imports_s": 0.45}
    row = {key: 1.0 for key, _, _ in bench.COLUMNS} | {
        "data": "curated", "legs": 49, "rerun_s": 0.1204, "deck_bytes": 26485}
    text = bench.table(floor, [row])
    header, _, line = text.splitlines()[:3]
    assert [h.strip() for h in header.strip("|").split("|")] == [h for _, h, _ in bench.COLUMNS]
    cells = dict(zip([key for key, _, _ in bench.COLUMNS],
                     [c.strip() for c in line.strip("|").split("|")], strict=True))
    assert cells["rerun_s"] == "120 ms" and cells["deck_bytes"] == "26,485 B"
    assert "rerun median 2.5 ms" in text


def test_bad_arguments_are_refused_with_a_message(capsys):
    assert bench.main(["--legs", "ten"]) == 2
    assert "--legs" in capsys.readouterr().err
    assert bench.main(["--legs", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
