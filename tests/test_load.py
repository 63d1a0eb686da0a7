"""The data contract: what the loader accepts, and a clear message for everything it refuses."""

import codecs

import pytest

from routes_dash.contract import problems, schema
from routes_dash.contract.load import read_legs, read_people
from routes_dash.contract.problems import DataError

HEADER = "person,leg,from,to,mode,year,outcome"
GOOD_ROWS = [
    "kim,1,\"Hyesan, North Korea\",\"Changbai, China\",river crossing,2007,crossed",
    "kim,2,\"Changbai, China\",\"Seoul, South Korea\",plane,2009,resettled",
]
PEOPLE = "person,name,born,anonymized,summary,source\nkim,Kim,1990,no,A test person.,test\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def problems_of(data: bytes, **kwargs) -> list[problems.Problem]:
    with pytest.raises(DataError) as caught:
        read_legs(data, **kwargs)
    return list(caught.value.problems)


def test_valid_legs_come_back_typed_and_in_order():
    legs = read_legs(csv(GOOD_ROWS[1], GOOD_ROWS[0]))
    assert list(legs["leg"]) == [1, 2]
    assert str(legs["year"].dtype) == "Int64"
    assert list(legs["precision"]) == ["city", "city"]  # the contract's default


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + csv(*GOOD_ROWS), "BOM"),
        (csv(GOOD_ROWS[0].replace("river crossing", "  River   CROSSING "), GOOD_ROWS[1]), "case"),
        (csv(GOOD_ROWS[0].replace("2007", ""), GOOD_ROWS[1]), "unknown year"),
        (csv(GOOD_ROWS[0] + ",kept", GOOD_ROWS[1] + ",", header=HEADER + ",my_notes"), "extra"),
        (csv(*GOOD_ROWS, header=" Person , LEG,from,to,Mode,year,outcome"), "header case"),
        ("\n".join([HEADER, *GOOD_ROWS]).encode("utf-16"), "utf-16 with BOM"),
    ],
)
def test_accepts(data, expected):
    legs = read_legs(data)
    assert len(legs) == 2
    assert legs.loc[0, "mode"] == "river crossing"
    if expected == "unknown year":
        assert legs["year"].isna().sum() == 1
    if expected == "extra":
        assert list(legs["my_notes"]) == ["kept", ""]


@pytest.mark.parametrize(
    ("data", "row", "column", "words"),
    [
        (csv(*GOOD_ROWS, header="person,leg,from,to,travel,year,outcome"), None, "mode",
         "column 'mode' is missing"),
        (csv(GOOD_ROWS[0].replace("river crossing", "swimming"), GOOD_ROWS[1]), 2, "mode",
         "'swimming' is not allowed; allowed: on foot"),
        (csv(GOOD_ROWS[0].replace("crossed", "escaped"), GOOD_ROWS[1]), 2, "outcome",
         "'escaped' is not allowed"),
        (csv(GOOD_ROWS[0] + ",,street", GOOD_ROWS[1] + ",,",
             header=HEADER + ",year_end,precision"), 2, "precision", "'street' is not allowed"),
        (csv(GOOD_ROWS[0] + ",sure", GOOD_ROWS[1] + ",", header=HEADER + ",certainty"), 2,
         "certainty", "'sure' is not allowed"),
        (csv(GOOD_ROWS[0].replace("2007", "1850"), GOOD_ROWS[1]), 2, "year", "from 1945 to"),
        (csv(GOOD_ROWS[0].replace("2007", "3000"), GOOD_ROWS[1]), 2, "year",
         "'3000' is not a year"),
        (csv(GOOD_ROWS[0].replace("2007", "about 2007"), GOOD_ROWS[1]), 2, "year", "not a year"),
        (csv(GOOD_ROWS[0], GOOD_ROWS[1].replace("kim,2", "kim,3")), 3, "leg", "missing: 2"),
        (csv(GOOD_ROWS[0], GOOD_ROWS[1].replace("kim,2", "kim,1")), 2, "leg", "more than once"),
        (csv(GOOD_ROWS[0].replace("kim,1", "kim,first"), GOOD_ROWS[1]), 2, "leg",
         "not a leg number"),
        (csv(GOOD_ROWS[0].replace('"Hyesan, North Korea"', ""), GOOD_ROWS[1]), 2, "from",
         "is empty"),
        (csv(GOOD_ROWS[0] + ",2001", GOOD_ROWS[1] + ",", header=HEADER + ",year_end"), 2,
         "year_end", "before the leg's start year"),
    ],
)
def test_rejects_with_file_row_column_value(data, row, column, words):
    problems = problems_of(data, file_name="legs.csv")
    located = [p for p in problems if p.column == column]
    assert located, problems
    assert located[0].row == row
    message = str(located[0])
    assert message.startswith("legs.csv")
    assert words in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (csv(*GOOD_ROWS).replace(b"Changbai", "Chángbái".encode("latin-1")), "not UTF-8"),
        (csv(*GOOD_ROWS).replace(b",", b";"), "separated by semicolons"),
        (csv(GOOD_ROWS[0] + ",surplus", GOOD_ROWS[1]), "has 8 cells but the header has 7"),
        (csv('kim,1,"Hyesan,Changbai,on foot,2001,crossed'), "cannot be read as CSV"),
    ],
)
def test_hostile_files_get_a_message(data, words):
    problems = problems_of(data)
    assert any(words in str(p) for p in problems), problems


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 100)
    path = tmp_path / "legs.csv"
    path.write_bytes(csv(*GOOD_ROWS) * 10)
    problems = problems_of(path)
    assert "larger than" in str(problems[0])


def test_non_utf8_names_the_row():
    data = csv(GOOD_ROWS[0], GOOD_ROWS[1].replace("Seoul", "S\xe9oul"))
    data = data.replace("S\xe9oul".encode(), b"S\xe9oul")
    (problem,) = problems_of(data)
    assert problem.row == 3


def test_every_problem_is_reported_not_just_the_first():
    data = csv(
        GOOD_ROWS[0].replace("river crossing", "walk"),
        GOOD_ROWS[1].replace("resettled", "happy"),
    )
    columns = {p.column for p in problems_of(data)}
    assert {"mode", "outcome"} <= columns


def test_person_missing_from_people_is_named():
    people = read_people(PEOPLE.encode())
    stranger = GOOD_ROWS[0].replace("kim,1", "lee,1")
    problems = problems_of(csv(stranger, GOOD_ROWS[1].replace("kim,2", "kim,1")), people=people)
    assert any("person 'lee' is not described in people.csv" in str(p) for p in problems)


def test_curated_files_need_source_and_certainty():
    data = csv(GOOD_ROWS[0] + ",documented,", GOOD_ROWS[1] + ",,https://example.org",
               header=HEADER + ",certainty,source")
    problems = problems_of(data, require_provenance=True)
    assert {(p.row, p.column) for p in problems} == {(2, "source"), (3, "certainty")}


def test_people_flags_and_duplicates():
    people = read_people(PEOPLE.encode())
    assert people.loc[0, "anonymized"] is False or not people.loc[0, "anonymized"]
    with pytest.raises(DataError) as caught:
        read_people((PEOPLE + "KIM,Kim again,,maybe,,\n").encode())
    text = str(caught.value)
    assert "described twice" in text
    assert "'maybe' is not yes or no" in text


# --- limits and hostile cells (issue 16) -------------------------------------------------------


def test_a_header_without_rows_is_refused_not_read_as_no_legs():
    (problem,) = problems_of(csv(), file_name="legs.csv")
    assert str(problem) == ("legs.csv: has a header row but no rows of data; add at least one "
                            "row below the header")


def test_too_many_columns_are_refused_from_the_header_alone():
    extra = [f"extra{i}" for i in range(schema.MAX_COLUMNS)]
    header = ",".join([HEADER, *extra])
    # The data rows are not even CSV: the header alone decides, before any row is parsed.
    (problem,) = problems_of(f"{header}\n\"unclosed,\n".encode())
    assert problem.row == 1
    assert (f"has {7 + schema.MAX_COLUMNS} columns; at most {schema.MAX_COLUMNS} are "
            "allowed") in str(problem)


def test_a_cell_longer_than_the_limit_is_refused_with_its_row_and_column():
    huge = "Hyesan" * schema.MAX_CELL_CHARS
    (problem,) = problems_of(csv(GOOD_ROWS[0].replace("Hyesan", huge), GOOD_ROWS[1]),
                             file_name="legs.csv")
    assert (problem.row, problem.column) == (2, "from")
    assert f"{len(huge) + 13:,} characters" in str(problem)
    assert f"at most {schema.MAX_CELL_CHARS:,}" in str(problem)
    assert len(problem.value) < 100 and problem.value.startswith("HyesanHyesan")


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(schema, "MAX_ROWS", 10)
    rows = [f"p{i},1,a,b,bus,2001,crossed" for i in range(500)]
    (problem,) = problems_of(csv(*rows))
    assert "has more than 10 rows; at most 10 are allowed" in str(problem)


def test_a_nul_byte_far_into_the_file_is_refused_with_its_row():
    rows = [f"p{i},1,a,b,bus,2001,crossed" for i in range(5000)]
    data = csv(*rows[:-1], rows[-1].replace("bus", "b\x00us"))
    assert data.index(b"\x00") > 65536
    (problem,) = problems_of(data)
    assert "not a text file" in str(problem)
    assert problem.row == 5001


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    text = "\n".join([HEADER, *GOOD_ROWS]).replace("Changbai", "장백")
    legs = read_legs(text.encode(encoding))
    assert list(legs["to"]) == ["장백, China", "Seoul, South Korea"]


def test_utf16_cut_in_the_middle_of_a_character_is_named_as_utf16():
    data = "\n".join([HEADER, *GOOD_ROWS]).encode("utf-16-le")[:-1]
    (problem,) = problems_of(data)
    assert "UTF-16" in str(problem)
    assert "binary" not in str(problem)


@pytest.mark.parametrize(("column", "value"), [("year", "2007.0"), ("year", "2e3"),
                                               ("year", "２００７"), ("leg", "1.0")])
def test_a_number_is_written_in_digits_only(column, value):
    row = GOOD_ROWS[0].replace("kim,1", f"kim,{value}" if column == "leg" else "kim,1")
    row = row.replace("2007", value) if column == "year" else row
    problems = problems_of(csv(row, GOOD_ROWS[1]), file_name="legs.csv")
    located = [p for p in problems if p.column == column]
    assert (located[0].row, located[0].value) == (2, value)
    assert f"'{value}' is not a" in str(located[0])


@pytest.mark.parametrize(("hidden", "name"), [
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u200b", "ZERO WIDTH SPACE"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"), ("\u3164", "HANGUL FILLER"),
    ("\x1b", "a control character")])
# The scan reads the file's own bytes when it is UTF-8, and the text encoded again otherwise.
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_invisible_characters_are_refused_so_two_people_never_look_alike(hidden, name,
                                                                        encoding):
    twin = GOOD_ROWS[1].replace("kim,2", f"ki{hidden}m,1")
    data = csv(GOOD_ROWS[0], twin).decode().encode(encoding)
    (problem,) = problems_of(data, file_name="legs.csv")
    assert (problem.row, problem.column) == (3, "person")
    code = f"U+{ord(hidden):04X}"
    assert problem.value == f"ki<{code}>m"
    assert f"'ki<{code}>m' holds an invisible character ({code} {name})" in str(problem)
    assert hidden not in str(problem)


def test_every_invisible_format_or_control_character_is_refused():
    import unicodedata

    from routes_dash.contract.text import INVISIBLE

    hidden = [chr(c) for c in range(0x110000)
              if unicodedata.category(chr(c)) in ("Cf", "Cc", "Zl", "Zp")
              and chr(c) not in "\t\n\r"]
    assert [f"U+{ord(c):04X}" for c in hidden if not INVISIBLE.search(c)] == []
    assert not INVISIBLE.search("Hyesan, North Korea; 혜산 (惠山), Hoeryŏng\t")


def test_an_invisible_character_is_found_among_typographic_quotes_dashes_and_hangul():
    """The file's scan looks closely only at characters that could be invisible; quotes,
    dashes and Hangul are among them and must not hide one, at any place in the text."""
    from routes_dash.contract.text import INVISIBLE, has_invisible

    cells = "Hyesan, “North” Korea – 혜산’s route… é"
    hidden = [chr(c) for c in range(0x110000) if INVISIBLE.match(chr(c))]
    missed = [f"U+{ord(c):04X}" for c in hidden
              if not (has_invisible(f"{cells}{c}{cells}") and has_invisible(f"{cells}{c}")
                      and has_invisible(c))]
    assert missed == []
    assert not has_invisible(cells * 1000)


def test_a_leg_gap_in_every_person_is_counted_past_the_examples():
    rows = [f"p{i:04d},2,a,b,bus,2001,crossed" for i in range(1000)]
    problems = problems_of(csv(*rows), file_name="legs.csv")
    assert len(problems) == 21
    assert str(problems[0]).startswith("legs.csv, row 2, column 'leg': person 'p0000' has legs 2")
    # The count of the rest comes after the examples it continues.
    assert str(problems[-1]) == ("legs.csv, column 'leg': … and 980 more people with the same "
                                 "problem")


def test_a_source_date_in_other_digits_is_refused():
    from routes_dash.contract.sources import read_sources

    with pytest.raises(DataError, match="'２０１４' is not a date"):
        read_sources("id,title,date\nsrc,A title,２０１４\n".encode())
