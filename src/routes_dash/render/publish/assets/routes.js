// The route map's data for the legs the filters keep, as render/maps.py build_deck makes it:
// legs grouped into routes (journeys/routes.py map_data), each route's colour, width, dash
// and shape (drawn by Python at each zoom level, render/publish/mapdata.py), the areas, the
// place dots and the ringed dots where legs ended badly.
'use strict';
(function (RD) {
  const NAMES_IN_TIP = 2;

  // style.colour_categories: each leg's colour category and the colours of those present.
  RD.colourCategories = function (data, rows, colourBy) {
    const L = data.legs, colours = data.map.colours;
    if (colourBy !== 'person') {
      const category = L[`colour_${colourBy}`];
      const present = new Set(rows.map(i => category[i]));
      return {category, palette: Object.fromEntries(Object.entries(colours.palettes[colourBy])
        .filter(([name]) => present.has(name)))};
    }
    const counts = new Map();  // the busiest people, ties in the order first met
    for (const i of rows) counts.set(L.name[i], (counts.get(L.name[i]) || 0) + 1);
    const busiest = [...counts.keys()].map((name, k) => [name, k])
      .sort((a, b) => counts.get(b[0]) - counts.get(a[0]) || a[1] - b[1])
      .slice(0, colours.people.length).map(([name]) => name);
    const kept = new Set(busiest);
    const category = {};
    for (const i of rows) category[i] = kept.has(L.name[i]) ? L.name[i] : colours.otherPeople;
    const palette = Object.fromEntries(busiest.map((name, k) => [name, colours.people[k]]));
    if (rows.some(i => !kept.has(L.name[i]))) palette[colours.otherPeople] = colours.otherColour;
    return {category, palette};
  };

  // routes.map_data: routes, markers, places and areas of the located legs of `rows`;
  // `category(i)` is each leg's colour category.
  RD.mapData = function (data, rows, category) {
    const L = data.legs, none = data.map.lineStyle.noCertainty;
    const located = rows.filter(i => L.located[i]);
    const byKey = new Map(), routeOf = new Map();
    for (const i of located) {
      const certainty = L.certainty[i] || none;
      const key = `${L.ends[i]}\u0000${category(i)}\u0000${certainty}`;
      let route = byKey.get(key);
      if (!route) {
        route = {index: byKey.size, first: i, category: category(i), certainty, legs: 0,
          people: new Set(), names: [], modes: []};
        byKey.set(key, route);
      }
      route.legs += 1;
      if (!route.people.has(L.person[i])) {
        route.people.add(L.person[i]);
        route.names.push(L.name[i]);
      }
      if (!route.modes.includes(L.mode[i])) route.modes.push(L.mode[i]);
      routeOf.set(i, route.index);
    }
    const routes = [...byKey.values()].map(route => ({...route, ...ends(L, route.first),
      tip: tip(L, route)}));
    return {routes, routeOf, markers: markers(data, located), places: places(L, located),
      areas: areaKeys(L, located)};
  };

  // routes._busiest: past data.map.mostRoutes routes, the map draws those with the most
  // legs (of equal ones, the first met), in route order.
  RD.drawnRoutes = function (data, routes) {
    const most = data.map.mostRoutes;
    if (routes.length <= most) return routes;
    const busiest = new Set([...routes].sort((a, b) => b.legs - a.legs || a.index - b.index)
      .slice(0, most).map(route => route.index));
    return routes.filter(route => busiest.has(route.index));
  };

  // notes.undrawn_note: what the map leaves undrawn of these routes, or '' when nothing.
  RD.undrawnNote = function (routes, drawn) {
    if (drawn.length === routes.length) return '';
    const kept = new Set(drawn.map(route => route.index));
    const left = routes.filter(route => !kept.has(route.index)).map(route => route.legs);
    const sum = values => values.reduce((a, b) => a + b, 0);
    const fewest = Math.min(...left), most = Math.max(...left);
    const each = fewest === most ? RD.counted(most, 'leg')
      : `${RD.thousands(fewest)} to ${RD.thousands(most)} legs`;
    return `The map draws the ${RD.thousands(drawn.length)} busiest of its `
      + `${RD.thousands(routes.length)} routes: ${RD.thousands(sum(drawn.map(r => r.legs)))} of `
      + `its ${RD.thousands(sum(routes.map(r => r.legs)))} legs. The other `
      + `${RD.counted(left.length, 'route')} (${each} each, ${RD.counted(sum(left), 'leg')} in `
      + 'all) are left off the map, not out of the data: the charts count them, and fewer '
      + 'years, a country or a person draw them.';
  };

  function ends(L, i) {
    return {from: L.from[i], to: L.to[i], from_lat: L.from_lat[i], from_lon: L.from_lon[i],
      to_lat: L.to_lat[i], to_lon: L.to_lon[i], from_area: L.from_area[i],
      to_area: L.to_area[i], span: L.span[i]};
  }

  // routes._tips: short plain hover text; a click pins the details below the map.
  function tip(L, route) {
    const many = route.people.size;
    const who = many <= NAMES_IN_TIP ? route.names.join(', ') : `${RD.thousands(many)} people`;
    const legs = route.legs === 1 ? '1 leg' : `${RD.thousands(route.legs)} legs`;
    return `${L.from[route.first]} → ${L.to[route.first]}\n${who} · ${legs} · `
      + `${route.modes.join(', ')}\ncertainty: ${route.certainty}\n`
      + 'Click the line for notes and sources';
  }

  // routes._markers: point ends where legs ended in an alarming outcome, with their counts.
  function markers(data, located) {
    const L = data.legs, alarming = new Set(data.alarming), found = new Map();
    for (const i of located) {
      if (!alarming.has(L.outcome[i]) || L.to_area[i]) continue;
      const key = `${L.to[i]}\u0000${L.to_lat[i]}\u0000${L.to_lon[i]}`;
      const marker = found.get(key) || {to: L.to[i], to_lat: L.to_lat[i], to_lon: L.to_lon[i],
        outcomes: new Map()};
      marker.outcomes.set(L.outcome[i], (marker.outcomes.get(L.outcome[i]) || 0) + 1);
      found.set(key, marker);
    }
    return [...found.values()].map(m => ({to: m.to, to_lat: m.to_lat, to_lon: m.to_lon,
      legs: [...m.outcomes.values()].reduce((a, b) => a + b, 0),
      tip: `${m.to}\nlegs ended: ${[...m.outcomes].map(([o, n]) => `${o} (${RD.thousands(n)})`)
        .join(', ')}`}));
  }

  // routes._places: each point end, how many legs start or end there, and its label (the
  // first part of its name, as the data spells it).
  function places(L, located) {
    const found = new Map();
    for (const end of ['from', 'to']) {
      for (const i of located) {
        if (L[`${end}_area`][i]) continue;
        const lat = L[`${end}_lat`][i], lon = L[`${end}_lon`][i], key = `${lat},${lon}`;
        const place = found.get(key) || {place: L[end][i], lat, lon, legs: 0,
          label: L[end][i].split(',')[0].trim()};
        place.legs += 1;
        found.set(key, place);
      }
    }
    return [...found.values()];
  }

  function areaKeys(L, located) {
    const keys = [];
    for (const end of ['from_area', 'to_area']) {
      for (const i of located) if (L[end][i]) keys.push(L[end][i]);
    }
    return RD.unique(keys);
  }

  // maps._lines: each drawn route's solid line, fading pieces and arrow head.
  RD.lines = function (data, routes, level, palette) {
    const style = data.map.lineStyle;
    const busiest = Math.max(50, ...routes.map(r => r.legs));
    const lines = [], fades = [], arrows = [];
    for (const route of routes) {
      const shape = RD.shapeOf(data, route.span, level);
      if (!shape) continue;
      const [solid, fading, arrow, angle] = shape;
      const colour = palette[route.category];
      const sure = style.sure.includes(route.certainty);
      const dashed = style.dashed.includes(route.certainty);
      const strength = sure || dashed ? 1.0 : style.faint;
      const base = colour === undefined ? style.dimmed : rgb(colour, RD.round(235 * strength));
      const width = RD.round(Math.min(Math.max(route.legs * 50 / busiest, 1), 50) ** 0.5 * 1.8
        + 1.5, 1);
      const dash = dashed ? style.dash : [0, 0];
      lines.push({path: solid, color: base, width, dash, tip: route.tip, route: route.index,
        legs: route.legs});
      for (const [path, opacity] of fading) {
        fades.push({path, color: [...base.slice(0, 3), RD.round(base[3] * opacity)], width,
          dash});
      }
      if (colour !== undefined) {
        arrows.push({position: arrow, angle, size: RD.round(9 + width * 2.2),
          color: rgb(colour, 255)});
      }
    }
    return {lines, fades, arrows};
  };

  RD.shapeOf = function (data, span, level) {
    const shapes = data.map.spans[span].shapes;
    const index = shapes ? shapes[level] : -1;
    return index >= 0 ? data.map.shapes[index] : null;
  };

  // style.rgb
  function rgb(hex, alpha) {
    return [1, 3, 5].map(k => parseInt(hex.slice(k, k + 2), 16)).concat([alpha]);
  }
  RD.rgb = rgb;

  // maps._area_layers: the areas these ends are, as GeoJSON features.
  RD.areaFeatures = function (data, keys) {
    return RD.unique(keys).map(key => {
      const area = data.map.areas[key];
      return {type: 'Feature', properties: {key, tip: area.tip},
        geometry: {type: 'MultiPolygon', coordinates: area.rings.map(ring => [ring])}};
    });
  };

  // The points a view of these routes (and a story's earlier ones) must show.
  RD.routePoints = (data, routes) => RD.extent(routes.map(r => data.map.spans[r.span]));
})(window.routesDash);
