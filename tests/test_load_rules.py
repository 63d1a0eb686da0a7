"""Every rule of the data contract, on a small version of the file `./dev bench --validate`
times at the upload limit: refused with the rule's own message, naming the file, the row, the
column and the value; and the valid files read whole."""

import json

import pytest

from routes_dash.contract import schema
from tools import bench_validate

ROWS = 50
SIZE = schema.MAX_FILE_BYTES * ROWS // schema.MAX_ROWS  # the limit's bytes per row


@pytest.mark.parametrize("case", bench_validate.CASES, ids=lambda case: case.name)
def test_each_rule_names_file_row_column_and_value(case, monkeypatch):
    monkeypatch.setattr(schema, "MAX_ROWS", ROWS)  # the row limit, at this file's scale
    _, _, frame, error = bench_validate.read_case(case, case.build(ROWS, SIZE), ROWS, SIZE)
    assert bench_validate.verdict(case, frame, error) == ""
    if not case.expect:
        assert len(frame) == (ROWS // 2 if "UTF-16" in case.name else ROWS)
        return
    problem = next(p for p in error.problems if case.expect in str(p))
    assert (problem.file, problem.row, problem.column) == (f"{case.kind}.csv", case.row,
                                                           case.column)
    assert str(problem).startswith(f"{case.kind}.csv")
    if case.value is not None:
        assert problem.value == case.value
        assert f"'{case.value}'" in str(problem) or not case.value.strip("0123456789")


def test_the_benchmark_times_each_file_in_a_fresh_process(capsys):
    from tools import bench

    arguments = ["--validate", "--rows", "50", "--only", "leg", "--repeat", "1", "--json"]
    assert bench.main(arguments) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["case"] for r in results] == [c.name for c in bench_validate.CASES
                                            if "leg" in c.name]
    assert all(r["wrong"] == "" and r["seconds"] >= 0 for r in results)
    assert results[-1]["answer"].startswith("21 lines: legs.csv, row 2, column 'leg'")
    table = bench_validate.report(results)
    assert "| legs.csv | leg gap |" in table
