"""The code's shape: data flows one way through the folders, Streamlit stays in ui/, the
package ships what it needs, and the README's export table is the registry's."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from routes_dash import bundled
from routes_dash.render import export

PACKAGE = REPO / "src" / "routes_dash"
# Each folder may import from itself and the folders before it, never from one after it.
PIPELINE = ["contract", "places", "journeys", "render", "ui"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).parts, _imports(path)


def test_only_the_page_and_ui_import_streamlit():
    offenders = [
        "/".join(parts) for parts, imported in _modules()
        if parts[0] not in ("ui", "app.py")
        and any(name == "streamlit" or name.startswith("streamlit.") for name in imported)
    ]
    assert offenders == []


def test_data_flows_one_way_through_the_folders():
    backwards = []
    for parts, imported in _modules():
        if parts[0] not in PIPELINE:
            continue
        stage = PIPELINE.index(parts[0])
        for name in imported:
            segments = name.split(".")
            later = (segments[0] == "routes_dash" and len(segments) > 1
                     and segments[1] in PIPELINE and PIPELINE.index(segments[1]) > stage)
            if later:
                backwards.append(f"{'/'.join(parts)} imports {name}")
    assert backwards == []


def test_the_runtime_package_does_not_import_the_developer_tools():
    assert [
        "/".join(parts) for parts, imported in _modules()
        if any(name == "tools" or name.startswith("tools.") for name in imported)
    ] == []


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(out), str(REPO)], check=True,
                   capture_output=True)
    (built,) = out.glob("routes_dash-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_ships_the_data_the_basemap_and_the_page(wheel):
    names = set(wheel.namelist())
    package = Path(str(bundled.DATA)).parent
    shipped = [bundled.PAGE, bundled.BASEMAP, package / ".streamlit" / "config.toml",
               *sorted(bundled.DATA.glob("*.csv")), *sorted(bundled.GAZETTEER.glob("*"))]
    missing = [str(path.relative_to(package.parent)) for path in shipped
               if str(path.relative_to(package.parent)) not in names]
    assert missing == []


def test_the_readme_lists_every_export_format_as_the_registry_does():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for fmt in export.FORMATS.values():
        assert f"| `{fmt.name}` | {fmt.files} | {fmt.opens_in} |" in readme, fmt.name
