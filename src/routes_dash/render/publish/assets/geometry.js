// Where things are on the map: Web Mercator pixels as deck.gl draws them, the view that fits
// the lines shown, and the zoom level whose shapes Python drew (render/legpaths.py project,
// unproject, extent and fit; render/maplabels.py bounds).
'use strict';
(function (RD) {
  const RADIANS = Math.PI / 180, DEGREES = 180 / Math.PI;  // as numpy's radians, degrees

  RD.project = function (lon, lat, zoom, tile) {
    const scale = tile * 2 ** zoom / (2 * Math.PI);
    const clipped = Math.min(Math.max(lat, -85), 85);
    return [scale * (lon * RADIANS + Math.PI),
      scale * (Math.PI - Math.log(Math.tan(Math.PI / 4 + clipped * RADIANS / 2)))];
  };

  // Python's a % n (the sign of n, not of a): where a point is in a world that repeats.
  RD.modulo = (a, n) => ((a % n) + n) % n;
  // legpaths.on_the_world: a longitude of a world's copy east or west, on the world itself.
  RD.onTheWorld = lon => RD.modulo(lon + 180, 360) - 180;

  RD.unproject = function (x, y, zoom, tile) {
    const scale = tile * 2 ** zoom / (2 * Math.PI);
    return [(x / scale - Math.PI) * DEGREES,
      (2 * Math.atan(Math.exp(Math.PI - y / scale)) - Math.PI / 2) * DEGREES];
  };

  // legpaths.extent: the points a view must show for these lines: their point ends and where
  // they meet areas; an area that stands for legs with no line adds its middle, or all of it
  // when nothing else is shown.
  RD.extent = function (spans) {
    const points = [], wholes = [];
    for (const span of spans) {
      points.push(...span.points);
      wholes.push(...span.wholes);
    }
    const distinct = new Set(points.map(p => `${p[0]},${p[1]}`)).size;
    return distinct > 1 || !wholes.length ? points : wholes;
  };

  // legpaths._densest: the middle of the values when the whole map holds them all, else the
  // middle of the most values the map less its margins holds (the first such window).
  const densest = (values, window, whole) => {
    const ordered = [...values].sort((a, b) => a - b), n = ordered.length;
    if (ordered[n - 1] - ordered[0] <= whole) return (ordered[0] + ordered[n - 1]) / 2;
    let best = 0, bestEnd = 0, end = 0;
    for (let start = 0; start < n; start++) {
      while (end < n && ordered[end] <= ordered[start] + window) end++;
      if (end - start > bestEnd - best) [best, bestEnd] = [start, end];
    }
    return (ordered[best] + ordered[bestEnd - 1]) / 2;
  };

  // legpaths.fit: the view that shows every point in a map of `size` pixels, with room
  // around them for labels and fades; north-east Asia when there is nothing to show.
  RD.fit = function (points, size, maxZoom, map) {
    const {tile, pad, minZoom, world} = map.fit;
    if (!points.length) return {...world};
    const xy = points.map(([lon, lat]) => RD.project(lon, lat, 0, tile));
    const xs = xy.map(p => p[0]), ys = xy.map(p => p[1]);
    const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys),
      Math.max(...ys)];
    const spanX = Math.max(right - left, 1e-9), spanY = Math.max(bottom - top, 1e-9);
    let zoom = Math.log2(Math.min((size[0] - 2 * pad) / spanX, (size[1] - 2 * pad) / spanY));
    zoom = Math.max(minZoom, Math.min(maxZoom, zoom));
    const shown = 2 ** zoom;
    const [lon, lat] = RD.unproject(densest(xs, (size[0] - 2 * pad) / shown, size[0] / shown),
                                    densest(ys, (size[1] - 2 * pad) / shown, size[1] / shown),
                                    0, tile);
    return {longitude: RD.round(RD.onTheWorld(lon), 4), latitude: RD.round(lat, 4),
      zoom: RD.round(zoom, 2)};
  };

  // The file draws a view at the zoom level at or below its own (see render/publish/mapdata.py
  // LEVELS): the shapes Python drew there are then exactly the page's at that view.
  RD.onLevel = function (view, map) {
    const levels = map.levels;
    const below = levels.filter(level => level <= view.zoom + 1e-9);
    return {...view, zoom: below.length ? below[below.length - 1] : levels[0]};
  };
  RD.levelIndex = (zoom, map) => {
    const index = map.levels.indexOf(zoom);
    return index >= 0 ? index : (zoom > map.levels[map.levels.length - 1]
      ? map.levels.length - 1 : 0);
  };

  // maplabels.bounds: (west, south, east, north) a view shows in a map of `size` pixels.
  RD.bounds = function (view, size, tile) {
    const [x, y] = RD.project(view.longitude, view.latitude, view.zoom, tile);
    const [west, north] = RD.unproject(x - size[0] / 2, y - size[1] / 2, view.zoom, tile);
    const [east, south] = RD.unproject(x + size[0] / 2, y + size[1] / 2, view.zoom, tile);
    return [west, south, east, north];
  };
})(window.routesDash);
