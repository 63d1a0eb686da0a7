"""`python -m routes_dash geocode`: resolve, keep, check; messages, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from routes_dash.cli import main
from routes_dash.places import resolver
from routes_dash.places.files import read_cache

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
HEADER = "person,leg,from,to,mode,year,outcome\n"


@pytest.fixture(autouse=True)
def _fresh_memory():
    resolver.forget_lookups()


@pytest.fixture
def legs(tmp_path) -> Path:
    path = tmp_path / "legs.csv"
    path.write_text(
        HEADER
        + 'a,1,"Hyesan, North Korea","Changbai, China",river crossing,2009,crossed\n'
        + 'a,2,"Changbai, China","Kunming, China",train,2009,arrived\n'
        + 'a,3,"Kunming, China",Laos,on foot,2009,crossed\n',
        encoding="utf-8",
    )
    return path


def test_geocode_resolves_writes_and_a_second_run_looks_nothing_up(legs, capsys):
    assert main(["geocode", str(legs)]) == 0
    out = capsys.readouterr().out
    assert "4 places; 0 from the cache, 4 looked up (gazetteer: 4)" in out
    assert f"wrote {legs.parent / 'geocache.csv'}" in out
    assert len(read_cache(legs.parent / "geocache.csv")) == 4
    assert main(["geocode", str(legs)]) == 0
    assert "4 places; 4 from the cache, 0 looked up" in capsys.readouterr().out


def test_check_looks_nothing_up_and_writes_nothing(legs, capsys):
    cache = legs.parent / "geocache.csv"
    assert main(["geocode", str(legs), "--check"]) == 2
    out = capsys.readouterr().out
    assert "4 not in it" in out
    assert "Hyesan, North Korea" in out and "used by a leg 1 (from)" in out
    assert not cache.exists()
    assert main(["geocode", str(legs)]) == 0
    before = cache.read_bytes()
    assert main(["geocode", str(legs), "--check"]) == 0
    assert "covers every place" in capsys.readouterr().out
    assert cache.read_bytes() == before


def test_unresolved_places_are_listed_with_the_legs_that_use_them(legs, capsys):
    with legs.open("a", encoding="utf-8") as stream:
        stream.write('b,1,"Hyesan, Narnia","Atlantis, China",bus,,unknown\n')
        stream.write('b,2,"Atlantis, China",Laos,bus,,unknown\n')
    assert main(["geocode", str(legs)]) == 2
    out = capsys.readouterr().out
    assert "6 looked up (gazetteer: 4 found, 2 missed)" in out
    assert "unresolved (2):" in out
    assert "Hyesan, Narnia: 'Narnia' is not a country" in out
    assert "Atlantis, China: no place called 'Atlantis' in China" in out
    assert "used by b leg 1 (to), b leg 2 (from)" in out
    # The misses are kept: the next run looks nothing up, and still says what is missing.
    assert main(["geocode", str(legs)]) == 2
    out = capsys.readouterr().out
    assert "0 looked up" in out and "recorded as a miss by gazetteer" in out


def test_cache_and_curated_options(legs, tmp_path, capsys):
    curated = tmp_path / "mine.csv"
    curated.write_text("place,lat,lon,country\n\"Kunming, China\",25,102.7,China\n",
                       encoding="utf-8")
    cache = tmp_path / "elsewhere" / "cache.csv"
    cache.parent.mkdir()
    assert main(["geocode", str(legs), "--cache", str(cache), "--curated", str(curated)]) == 0
    assert "(curated: 1; gazetteer: 3)" in capsys.readouterr().out
    assert read_cache(cache)["kunming, china"].provider == "curated"
    assert not (legs.parent / "geocache.csv").exists()


def test_a_curated_file_beside_the_legs_is_used(legs):
    (legs.parent / "places_curated.csv").write_text(
        "place,lat,lon,country\n\"Kunming, China\",25,102.7,China\n", encoding="utf-8")
    assert main(["geocode", str(legs)]) == 0
    assert read_cache(legs.parent / "geocache.csv")["kunming, china"].provider == "curated"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("person,leg\n", "the required column 'from' is missing"),
        (HEADER + "a,1,X,Y,flying carpet,2009,arrived\n", "'flying carpet' is not allowed"),
    ],
)
def test_bad_input_is_a_message_and_exit_1(tmp_path, capsys, content, message):
    path = tmp_path / "legs.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["geocode", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_broken_cache_is_reported_not_overwritten(legs, capsys):
    cache = legs.parent / "geocache.csv"
    cache.write_text("place,lat,lon\nX,north,0\n", encoding="utf-8")
    assert main(["geocode", str(legs)]) == 1
    assert "'north' is not a latitude" in capsys.readouterr().err
    assert cache.read_text(encoding="utf-8") == "place,lat,lon\nX,north,0\n"


def test_stats_reports_the_gazetteer_load_time(capsys):
    assert main(["geocode", "--stats"]) == 0
    out = capsys.readouterr().out
    assert "places.tsv.gz" in out and "loaded in" in out and "countries" in out


def test_the_module_runs_as_a_command(legs):
    done = subprocess.run(
        [sys.executable, "-m", "routes_dash", "geocode", str(legs), "--check"],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "src")}, check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not (BUNDLED / "legs.csv").exists(), reason="no bundled data/legs.csv yet")
def test_the_bundled_cache_covers_the_bundled_legs(tmp_path, capsys):
    # Copies, so that the check can never touch the real files.
    for name in ("legs.csv", "geocache.csv"):
        shutil.copy(BUNDLED / name, tmp_path / name)
    assert main(["geocode", str(tmp_path / "legs.csv"), "--check"]) == 0, capsys.readouterr()
    cache = read_cache(tmp_path / "geocache.csv")
    assert all(r.resolved for r in cache.values())
