"""Whatever a file holds, the loader and the CLI answer with success or the project's error."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes_dash.cli import main
from routes_dash.contract import table
from routes_dash.contract.load import read_legs, read_people
from routes_dash.contract.problems import DataError

HEADER = "person,leg,from,to,mode,year,outcome"
cell = st.one_of(
    st.sampled_from(["", "kim", "1", "2", "2007", "on foot", "crossed", '"a,b"', '"', " "]),
    st.text(alphabet=string.printable + "ŏŭ한국\u00a0", max_size=12),
)
row = st.lists(cell, min_size=0, max_size=9).map(",".join)
csv_text = st.tuples(st.sampled_from([HEADER, HEADER + ",note", "person;leg", ""]),
                     st.lists(row, max_size=6)).map(lambda t: "\n".join([t[0], *t[1]]))
settings_ = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome_of(read, data):
    try:
        read(data)
    except DataError as error:
        assert error.problems, "a DataError always names at least one problem"
        assert all(str(p) for p in error.problems)
        return "invalid"
    return "valid"


@settings_
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    outcome_of(read_legs, data)
    outcome_of(read_people, data)


@settings_
@given(csv_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_arbitrary_csv_text(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    outcome_of(read_legs, data)


@settings_
@given(csv_text)
def test_cli_validate_never_tracebacks(tmp_path, capsys, text):
    path = tmp_path / "legs.csv"
    path.write_text(text, encoding="utf-8")
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert (code == 0) == bool(out) and "Traceback" not in err
    if code == 1:
        assert err.startswith("legs.csv"), err


def test_problems_are_capped_per_rule_with_a_summary():
    rows = "\n".join(f"kim,{i},a,b,walk,2001,crossed" for i in range(1, 200))
    with pytest.raises(DataError) as raised:
        read_legs(f"{HEADER}\n{rows}\n".encode())
    mode = [p for p in raised.value.problems if p.column == "mode"]
    assert len(mode) == 21
    assert any("179 more rows" in str(p) for p in mode)


# Cells as spreadsheets write them (quoted ones holding commas, line breaks and doubled
# quotes), and the slips of a hand-edited file: a stray quote, comma or line break.
plain_cell = st.text(alphabet="ab é\t1", max_size=4)
quoted_cell = st.lists(st.sampled_from(["a", " ", ",", "\n", "\r\n", '""', "é"]),
                       max_size=5).map(lambda parts: '"' + "".join(parts) + '"')


@st.composite
def hand_edited_csv(draw):
    columns = draw(st.integers(2, 4))
    cells = st.lists(st.one_of(plain_cell, quoted_cell), min_size=columns, max_size=columns)
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    rows = [",".join(f"h{i}" for i in range(columns)),
            *map(",".join, draw(st.lists(cells, min_size=1, max_size=4)))]
    text = line_end.join(rows) + draw(st.sampled_from(["", line_end, line_end * 2]))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', ",", "\n", "\r", " ", '""'])) + text[at:]
    return text


def read_or_problems(text):
    try:
        frame = table.read_table(text.encode(), "hand.csv")
    except DataError as error:
        return [str(p) for p in error.problems]
    return [list(frame.columns), list(frame.index), frame.to_numpy().tolist()]


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hand_edited_csv())
def test_a_file_reads_the_same_whichever_parser_reads_it(monkeypatch, text):
    """pyarrow reads the files it can read exactly as pandas' C parser would; the others
    (a stray quote, a lone carriage return, a short row) go to the C parser."""
    read = read_or_problems(text)
    with monkeypatch.context() as patched:
        patched.setattr(table, "_strict_csv_cells", lambda text: None)
        assert read == read_or_problems(text)
