#!/usr/bin/env python3
"""Build the offline country basemap: static/countries.geojson.

This is a *build-time* tool. The app never runs it; it only reads the GeoJSON it
writes. Rerunning it with the same inputs and the same package versions writes a
byte-identical file.

What it does
------------
1. Reads ``countries-50m.json`` from the npm package ``world-atlas@2.0.2``
   (Natural Earth 4.1.0 "Admin 0 - Countries", 1:50m, as TopoJSON; Natural Earth
   is public domain). The package's ``.tgz`` can be read directly, no unpacking.
2. Decodes the TopoJSON *arcs* (delta-encoded, quantized integers + transform)
   with a small decoder in this file. It works on arcs rather than on finished
   polygons so that every border shared by two countries is simplified once and
   stays identical on both sides (no slivers or gaps along e.g. the Yalu and
   Tumen rivers between North Korea and China).
3. If topojson-client's ``topo2geo`` CLI is available (``--topo2geo`` or on
   PATH), checks that the decoder reproduces topo2geo's unsimplified output
   exactly, coordinate for coordinate. This is the reference decoder.
4. Simplifies the arcs with shapely (Douglas-Peucker, ``preserve_topology=True``,
   so simplified lines cannot cross each other and keep their end points, the
   junctions where borders meet). Tolerance: 0.02 deg (~2 km) inside a focus box
   (lon 90..146, lat -1..56: the Koreas, China, Mongolia, Japan, the Russian Far
   East, mainland South-east Asia), 0.05 deg (~5 km) elsewhere; an arc crossing
   the box edge is cut there and each piece gets its own tolerance. Then it
   rounds coordinates to 3 decimals (~100 m), drops Antarctica, rebuilds each
   country's (Multi)Polygon, cuts rings that cross the antimeridian (world-atlas
   stitches them for spherical renderers: Russia's Chukotka, Fiji) back into
   pieces within [-180, 180], repairs with ``make_valid`` and orients rings as
   RFC 7946 asks (exterior counter-clockwise, holes clockwise).
5. Adds a label point (``label_lon``, ``label_lat``): the pole of inaccessibility
   (shapely ``polylabel``) of the country's largest polygon, i.e. a point well
   inside it. Useful for labels and to snap country-precision places.
6. Writes a compact FeatureCollection, one feature per line, sorted by name.
   Properties: ``name`` (Natural Earth's short English name, as in world-atlas,
   e.g. "North Korea", "Dem. Rep. Congo"), ``iso_n3`` (world-atlas id: ISO 3166-1
   numeric as a 3-character string, ``null`` where Natural Earth has none, e.g.
   Kosovo, Somaliland, N. Cyprus), ``label_lon``, ``label_lat``.

What it needs (build only; none of it is a runtime dependency of the app)
-------------------------------------------------------------------------
- Python >= 3.10 with ``shapely`` (2.x; built with shapely 2.2.0 / GEOS 3.14.1).
  ``matplotlib`` only for ``--preview``.
- The world-atlas 2.0.2 tarball (from the npm registry): ``npm pack world-atlas@2.0.2``
- Optional but recommended, for the decoder cross-check: Node.js and
  ``topojson-client@3.1.0`` (provides ``topo2geo``).

How to run it (from the repository root)
----------------------------------------
    mkdir -p /tmp/basemap-build && cd /tmp/basemap-build
    npm pack world-atlas@2.0.2                      # -> world-atlas-2.0.2.tgz
    npm install --no-save topojson-client@3.1.0     # -> node_modules/.bin/topo2geo
    python3 -m venv venv && venv/bin/pip install shapely==2.2.0 matplotlib
    cd -    # back to the repository root
    /tmp/basemap-build/venv/bin/python tools/build_basemap.py \\
        --world-atlas /tmp/basemap-build/world-atlas-2.0.2.tgz \\
        --topo2geo /tmp/basemap-build/node_modules/.bin/topo2geo \\
        --preview /tmp/basemap_check.png

Options: ``--tolerance`` (degrees, default 0.05), ``--focus-tolerance`` (default
0.02), ``--focus-bbox W S E N``, ``--out`` (default ``static/countries.geojson``
in this script's repository), ``--preview PNG`` (renders lon 95..135, lat 10..50, or
``--preview-bbox W S E N``, for a visual check), ``--no-check`` (skip topo2geo).
The output is ~590 KB, 240 features; see static/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import shutil
import subprocess
import sys
import tarfile
from itertools import pairwise
from pathlib import Path

from shapely import make_valid
from shapely.affinity import translate
from shapely.geometry import MultiLineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "static" / "countries.geojson"
SOURCE_MEMBER = "package/countries-50m.json"
SOURCE_NAME = "countries-50m.json"
DEFAULT_TOLERANCE = 0.05  # degrees (~5 km) for the rest of the world
DEFAULT_FOCUS_TOLERANCE = 0.02  # degrees (~2 km) inside the focus box
# Focus box (west, south, east, north): the Koreas, China east of 90E, Mongolia, Japan,
# the Russian Far East up to 56N and mainland South-east Asia down to Singapore.
DEFAULT_FOCUS_BBOX = (90.0, -1.0, 146.0, 56.0)
DECIMALS = 3  # ~110 m at the equator
DROP_IDS = {"010"}  # Antarctica
DROP_NAMES = {"Antarctica"}


# --------------------------------------------------------------------------- input


def read_topology(path: Path) -> tuple[dict, str]:
    """Return (topology, sha256 of the JSON bytes) from a .tgz, a directory or a file."""
    if path.is_dir():
        data = (path / SOURCE_NAME).read_bytes()
    elif path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(SOURCE_MEMBER)
            if member is None:
                sys.exit(f"{path}: no {SOURCE_MEMBER} in the tarball")
            data = member.read()
    else:
        data = path.read_bytes()
    return json.loads(data), hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ TopoJSON decoding


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute [lon, lat] arcs, computed exactly as topojson-client does."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        kx, ky = transform["scale"]
        dx, dy = transform["translate"]
        x = y = 0
        out = []
        for p in arc:
            x += p[0]
            y += p[1]
            out.append((x * kx + dx, y * ky + dy))
        arcs.append(out)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    """Concatenate arcs into a ring (negative index = arc ~i reversed), like topojson-client."""
    points: list = []
    for i in indices:
        arc = arcs[~i] if i < 0 else arcs[i]
        if i < 0:
            arc = arc[::-1]
        if points:
            points.pop()
        points.extend(arc)
    while len(points) < 4:  # topojson-client pads degenerate rings the same way
        points.append(points[0])
    return points


def polygons_of(geom: dict) -> list[list[list[int]]]:
    """Arc indices as a list of polygons (each a list of rings)."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    raise ValueError(f"unexpected geometry type {geom['type']!r}")


def verify_with_topo2geo(topo2geo: str, src: Path, topology: dict, arcs: list) -> None:
    """Compare our unsimplified decoding with topojson-client's, coordinate for coordinate."""
    if src.is_dir():
        raw = (src / SOURCE_NAME).read_bytes()
    elif src.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(src, "r:gz") as tar:
            raw = tar.extractfile(SOURCE_MEMBER).read()  # type: ignore[union-attr]
    else:
        raw = src.read_bytes()
    proc = subprocess.run([topo2geo, "countries=-"], input=raw, capture_output=True, check=True)
    reference = json.load(io.BytesIO(proc.stdout))
    geoms = topology["objects"]["countries"]["geometries"]
    if len(reference["features"]) != len(geoms):
        sys.exit("topo2geo check: feature count differs")
    for feat, geom in zip(reference["features"], geoms, strict=True):
        ours = [
            [[list(p) for p in ring_from_arcs(r, arcs)] for r in poly] for poly in polygons_of(geom)
        ]
        theirs = feat["geometry"]["coordinates"]
        if feat["geometry"]["type"] == "Polygon":
            theirs = [theirs]
        if ours != theirs or feat.get("id") != geom.get("id"):
            sys.exit(f"topo2geo check: decoding differs for {geom['properties']['name']!r}")
    print(f"decoder check: identical to topo2geo for {len(geoms)} features")


# ----------------------------------------------------------------- simplification


def _split(arc: list, inside) -> list[tuple[bool, list]]:
    """Cut an arc where it enters or leaves the focus area; pieces share their cut vertex."""
    flags = [inside(p) for p in arc]
    cuts = sorted({0, len(arc) - 1} | {k for k in range(len(arc) - 1) if flags[k] != flags[k + 1]})
    pieces = []
    for a, b in pairwise(cuts):
        pieces.append((flags[a + 1], arc[a : b + 1]))
    return pieces or [(flags[0], arc)]


def _round_dedup(coords) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for x, y in coords:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not pts or p != pts[-1]:
            pts.append(p)
    return pts


def simplify_arcs(
    arcs: list,
    used: set[int],
    tolerance: float,
    focus_tolerance: float,
    focus: tuple[float, float, float, float],
) -> dict[int, list]:
    """Simplify the used arcs and round them to DECIMALS.

    Arcs are cut where they cross the edge of the focus box; pieces inside it get
    ``focus_tolerance``, pieces outside get ``tolerance``. Each group is simplified as
    one MultiLineString with preserve_topology=True, so lines in a group cannot be
    made to cross each other, and every piece keeps its end points (the junctions
    between borders and coasts), so neighbours keep sharing their borders exactly.
    """
    west, south, east, north = focus

    def inside(p) -> bool:
        return west <= p[0] <= east and south <= p[1] <= north

    order = sorted(used)
    pieces = {i: _split(arcs[i], inside) for i in order}
    simplified: dict[bool, list] = {}
    for group, tol in ((True, focus_tolerance), (False, tolerance)):
        lines = [piece for i in order for g, piece in pieces[i] if g == group]
        if not lines:
            simplified[group] = []
            continue
        result = MultiLineString(lines).simplify(tol, preserve_topology=True)
        if len(result.geoms) != len(lines):
            raise RuntimeError("simplification changed the number of lines")
        for before, after in zip(lines, result.geoms, strict=True):
            c = list(after.coords)
            if before[0] != before[-1] and (c[0] != before[0] or c[-1] != before[-1]):
                raise RuntimeError("simplification moved the end of a line")
        simplified[group] = [list(g.coords) for g in result.geoms]
    cursor = {True: 0, False: 0}
    out: dict[int, list] = {}
    for i in order:
        joined: list = []
        for group, _ in pieces[i]:
            coords = simplified[group][cursor[group]]
            cursor[group] += 1
            joined.extend(coords[1:] if joined else coords)
        pts = _round_dedup(joined)
        original = arcs[i]
        if original[0] == original[-1] and len(pts) < 4:
            pts = _round_dedup(original)  # a tiny island collapsed: keep it unsimplified
        if len(pts) == 1:
            pts = pts * 2
        out[i] = pts
    return out


def build_geometry(geom: dict, arcs: dict[int, list]) -> MultiPolygon | Polygon | None:
    parts = []
    for poly in polygons_of(geom):
        rings = [ring_from_arcs(r, arcs) for r in poly]  # type: ignore[arg-type]
        shell, holes = rings[0], rings[1:]
        if len({p for p in shell}) < 3:
            continue  # collapsed to nothing at this resolution
        holes = [h for h in holes if len(set(h)) >= 3]
        parts.extend(_cut_at_antimeridian(shell, holes))
    if not parts:
        return None
    fixed = make_valid(MultiPolygon(parts) if len(parts) > 1 else parts[0])
    polys = _polygons(fixed)
    if not polys:
        return None
    # Re-round: make_valid may add intersection points with more decimals.
    polys = [_round_polygon(p) for p in polys]
    polys = [p for p in polys if p is not None]
    merged = make_valid(MultiPolygon(polys)) if len(polys) > 1 else polys[0]
    polys = sorted(_polygons(merged), key=lambda p: (-p.area, p.bounds))
    polys = [orient(p, sign=1.0) for p in polys]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _unwrap(ring: list) -> list:
    """Make longitudes continuous: a step of more than 180 degrees goes the short way."""
    out = [ring[0]]
    for x, y in ring[1:]:
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while x - px < -180:
            x += 360
        out.append((x, y))
    return out


def _cut_at_antimeridian(shell: list, holes: list) -> list[Polygon]:
    """Planar polygons for one TopoJSON polygon, cut at +-180 degrees if it crosses there.

    world-atlas stitches Natural Earth's antimeridian cuts for spherical renderers
    (d3-geo), so e.g. Russia's Chukotka and Fiji's Vanua Levu come as rings that jump
    from +179.x to -179.x. Drawn on a flat map (deck.gl) such a ring would smear across
    the whole world, so it is unwrapped and cut back into pieces within [-180, 180].
    """

    def jumps(r):
        return any(abs(b[0] - a[0]) > 180 for a, b in pairwise(r))

    if not jumps(shell) and not any(jumps(h) for h in holes):
        return [Polygon(shell, holes)]
    shell_u = _unwrap(shell)
    if abs(shell_u[0][0] - shell_u[-1][0]) > 1e-9:
        raise RuntimeError("ring encloses a pole; cannot cut it at the antimeridian")
    centre = (min(x for x, _ in shell_u) + max(x for x, _ in shell_u)) / 2
    holes_u = []
    for h in holes:
        hu = _unwrap(h)
        shift = 360 * round((centre - hu[0][0]) / 360)
        holes_u.append([(x + shift, y) for x, y in hu])
    whole = make_valid(Polygon(shell_u, holes_u))
    pieces = []
    for k in (-1, 0, 1):
        clip = whole.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        if not clip.is_empty:
            pieces.extend(_polygons(translate(clip, xoff=-360 * k)))
    return pieces


def _polygons(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    if hasattr(g, "geoms"):  # GeometryCollection: keep only areal parts
        return [p for sub in g.geoms for p in _polygons(sub)]
    return []  # lines / points produced by make_valid


def _round_ring(coords) -> list | None:
    pts = []
    for x, y in coords:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not pts or p != pts[-1]:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts if len(set(pts)) >= 3 else None


def _round_polygon(p: Polygon) -> Polygon | None:
    shell = _round_ring(p.exterior.coords)
    if shell is None:
        return None
    holes = [h for h in (_round_ring(i.coords) for i in p.interiors) if h is not None]
    q = Polygon(shell, holes)
    if not q.is_valid:
        parts = _polygons(make_valid(q))
        if not parts:
            return None
        q = max(parts, key=lambda x: x.area)
    return q


# -------------------------------------------------------------------- label points


def label_point(geometry) -> tuple[float, float]:
    """Pole of inaccessibility of the largest polygon (area weighted by cos(lat))."""
    polys = _polygons(geometry)

    def weighted_area(p: Polygon) -> float:
        return p.area * math.cos(math.radians(p.centroid.y))

    largest = max(polys, key=lambda p: (weighted_area(p), p.bounds))
    try:
        pt = polylabel(largest, tolerance=0.01)
    except Exception:  # pragma: no cover - polylabel failing is unexpected
        pt = largest.representative_point()
    lon, lat = round(pt.x, DECIMALS), round(pt.y, DECIMALS)
    if not largest.contains(type(pt)(lon, lat)):
        rp = largest.representative_point()
        lon, lat = round(rp.x, DECIMALS), round(rp.y, DECIMALS)
    return lon, lat


# ------------------------------------------------------------------------- output


def _coords(obj):
    """Coordinates of a shapely mapping as plain nested lists of rounded floats."""
    if isinstance(obj, (tuple, list)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(obj[0]), DECIMALS), round(float(obj[1]), DECIMALS)]
        return [_coords(o) for o in obj]
    raise TypeError(obj)


def write_geojson(features: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(f, separators=(",", ":"), ensure_ascii=False, allow_nan=False) for f in features
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)


def preview(features: list[dict], png: Path, bbox=(95, 10, 135, 50)) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    west, south, east, north = bbox
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    height = 10 * aspect * (north - south) / (east - west)
    fig, ax = plt.subplots(figsize=(10, height), dpi=110)
    ax.set_facecolor("#dbe7f0")
    for f in features:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        verts, codes = [], []
        for poly in polys:
            for ring in poly:
                verts.extend(ring)
                codes.extend(
                    [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
                )
        face = "#f2c9c4" if f["properties"]["name"] == "North Korea" else "#f4f1ea"
        ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=face, edgecolor="#666", lw=0.5))
        p = f["properties"]
        if west <= p["label_lon"] <= east and south <= p["label_lat"] <= north:
            ax.plot(p["label_lon"], p["label_lat"], "k.", ms=2)
            ax.annotate(
                p["name"],
                (p["label_lon"], p["label_lat"]),
                fontsize=7,
                ha="center",
                xytext=(0, 3),
                textcoords="offset points",
            )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect)
    ax.set_title("countries.geojson check")
    fig.savefig(png, bbox_inches="tight")
    plt.close(fig)
    print(f"preview: {png}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--world-atlas",
        type=Path,
        required=True,
        help="world-atlas-2.0.2.tgz, its unpacked package/ dir, or countries-50m.json",
    )
    ap.add_argument(
        "--topo2geo",
        default=None,
        help="topojson-client's topo2geo, for the decoder check (default: from PATH)",
    )
    ap.add_argument("--no-check", action="store_true", help="skip the topo2geo decoder check")
    ap.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help=f"simplification tolerance in degrees (default {DEFAULT_TOLERANCE})",
    )
    ap.add_argument(
        "--focus-tolerance",
        type=float,
        default=DEFAULT_FOCUS_TOLERANCE,
        help=f"tolerance inside the focus box (default {DEFAULT_FOCUS_TOLERANCE})",
    )
    ap.add_argument(
        "--focus-bbox",
        type=float,
        nargs=4,
        default=DEFAULT_FOCUS_BBOX,
        metavar=("WEST", "SOUTH", "EAST", "NORTH"),
        help="focus box in degrees (default %(default)s)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--preview", type=Path, default=None, help="also render a PNG check")
    ap.add_argument(
        "--preview-bbox",
        type=float,
        nargs=4,
        default=(95, 10, 135, 50),
        metavar=("WEST", "SOUTH", "EAST", "NORTH"),
        help="area the preview shows (default 95 10 135 50)",
    )
    args = ap.parse_args(argv)

    topology, sha = read_topology(args.world_atlas)
    print(f"source: {SOURCE_NAME} sha256={sha}")
    arcs = decode_arcs(topology)

    if not args.no_check:
        topo2geo = args.topo2geo or shutil.which("topo2geo")
        if topo2geo:
            verify_with_topo2geo(topo2geo, args.world_atlas, topology, arcs)
        else:
            print("warning: topo2geo not found; decoder check skipped", file=sys.stderr)

    geoms = [
        g
        for g in topology["objects"]["countries"]["geometries"]
        if g.get("id") not in DROP_IDS and g["properties"].get("name") not in DROP_NAMES
    ]
    used = {~i if i < 0 else i for g in geoms for poly in polygons_of(g) for r in poly for i in r}
    simple = simplify_arcs(arcs, used, args.tolerance, args.focus_tolerance, tuple(args.focus_bbox))

    features = []
    for g in geoms:
        name = g["properties"].get("name")
        geometry = build_geometry(g, simple)
        if geometry is None:
            print(f"warning: {name!r} vanished at this tolerance; dropped", file=sys.stderr)
            continue
        if not geometry.is_valid:
            sys.exit(f"{name!r}: geometry still invalid after repair")
        lon, lat = label_point(geometry)
        m = mapping(geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "iso_n3": g.get("id"),
                    "label_lon": lon,
                    "label_lat": lat,
                },
                "geometry": {"type": m["type"], "coordinates": _coords(m["coordinates"])},
            }
        )
    features.sort(key=lambda f: (f["properties"]["name"] or "", f["properties"]["iso_n3"] or ""))

    write_geojson(features, args.out)
    n_pts = sum(len(r) for f in features for r in _rings(f["geometry"]))
    print(
        f"wrote {args.out}: {len(features)} features, {n_pts} points, "
        f"{args.out.stat().st_size} bytes, tolerance {args.tolerance} deg "
        f"({args.focus_tolerance} deg inside {tuple(args.focus_bbox)})"
    )
    if args.preview:
        preview(features, args.preview, tuple(args.preview_bbox))
    return 0


def _rings(geometry: dict):
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        yield from poly


if __name__ == "__main__":
    raise SystemExit(main())
