// The map's names, placed at the view the map opens with so that no two overlap, most
// important first (render/maplabels.py label_layers), and one person's legs numbered where
// each starts (render/maps.py _numbers). Names are the data's own spelling.
'use strict';
(function (RD) {
  // maplabels._Placement: the label boxes kept so far, in the map's pixels.
  class Placement {
    constructor(centre, size, zoom, options) {
      Object.assign(this, {centre, size, zoom, options, boxes: []});
    }

    // Keep the label's box if it fits in the map and overlaps none kept (`force`: keep it
    // anyway); whether it was kept.
    add(lon, lat, text, font, anchor, {bold = false, caps = false, dot = false,
      force = false} = {}) {
      const {gap, margin, tile} = this.options;
      let [x, y] = RD.project(lon, lat, this.zoom, tile);
      // The world's copy nearest the middle: the map repeats the world east and west.
      const world = tile * 2 ** this.zoom;
      x = RD.modulo(x - this.centre[0] + world / 2, world) - world / 2 + this.size[0] / 2;
      y = y - this.centre[1] + this.size[1] / 2;
      const width = [...text].length * font * (caps ? 0.66 : bold ? 0.58 : 0.52) + 6;
      const height = font * 1.3;
      let box;
      if (anchor === 'dot') box = [x - 5, y - 5, x + 5, y + 5];
      else if (anchor === 'start') box = [x + gap - 2, y - height / 2, x + gap + width, y + height / 2];
      else if (anchor === 'end') box = [x - gap - width, y - height / 2, x - gap + 2, y + height / 2];
      else box = [x - width / 2, y - height / 2, x + width / 2, y + height / 2];
      const inside = box[0] >= 0 && box[1] >= 0 && box[2] <= this.size[0]
        && box[3] <= this.size[1];
      const point = `${RD.round(x)},${RD.round(y)}`;
      const free = this.boxes.every(([b, owner, kind]) => (owner === point && kind === 'dot'
        && anchor !== 'dot') || box[2] + margin <= b[0] || b[2] + margin <= box[0]
        || box[3] + margin <= b[1] || b[3] + margin <= box[1]);
      const keep = force || (inside && free);
      if (keep) {
        this.boxes.push([box, point, anchor]);
        if (dot && !force) this.boxes.push([[x - 4, y - 4, x + 4, y + 4], point, 'dot']);
      }
      return keep;
    }
  }

  // East may be past 180°: the world's copy east.
  const within = (lon, lat, [west, south, east, north]) => RD.modulo(lon - west, 360)
    <= east - west && lat >= south && lat <= north;
  const record = (lat, lon, label) => ({lat, lon, label});
  // pandas' sort_values(ascending=False, kind="stable"): ties keep their order.
  const byPriority = items => items.map((item, k) => [item, k])
    .sort((a, b) => b[0].priority - a[0].priority || a[1] - b[1]).map(([item]) => item);

  // maplabels.label_layers: the data of the text layers (and the cities' dots) for the route
  // places `places`, the main cities of `countries` and the countries' names.
  RD.labels = function (data, places, view, size, countries, badges) {
    const options = {...data.map.labels, tile: data.map.fit.tile};
    const {priority, size: font} = options;
    const box = RD.bounds(view, size, options.tile);
    const centre = RD.project(view.longitude, view.latitude, view.zoom, options.tile);
    const placed = new Placement(centre, size, view.zoom, options);
    for (const badge of badges) {
      placed.add(badge.lon, badge.lat, badge.label, font.badge, 'end', {force: true});
    }
    const shown = byPriority(places.map(p => ({...p, priority: priority.place + p.legs})))
      .slice(0, options.mostPlaces);
    const labels = shown.filter(p => placed.add(p.lon, p.lat, p.label, font.place, 'start',
      {bold: true})).map(p => record(p.lat, p.lon, p.label));
    for (const p of places) placed.add(p.lon, p.lat, '', 0, 'dot', {force: true});
    const candidates = options.cities.filter(([name, country, lat, lon]) =>
      within(lon, lat, box) && countries.has(country)
      && !places.some(p => Math.abs(lat - p.lat) < 0.2 && Math.abs(lon - p.lon) < 0.2))
      .map(([name, , lat, lon, population, capital]) => ({name, lat, lon,
        priority: capital ? priority.capital
          : priority.city + Math.min(Math.floor(population / 10 ** 6), 90)}));
    const cities = byPriority(candidates).filter(c => placed.add(c.lon, c.lat, c.name,
      font.city, 'start', {dot: true})).map(c => record(c.lat, c.lon, c.name));
    const names = countryNames(options, box, view.zoom, countries)
      .filter(c => placed.add(c.lon, c.lat, c.label, font.country, 'middle', {caps: true}));
    return {'country-names': names, cities, 'city-names': cities, labels, numbers: badges};
  };

  // maplabels._country_names: the countries in view whose name fits inside them at this
  // zoom, those the legs cross first, then the widest.
  function countryNames(options, box, zoom, crossed) {
    const {tile, size: font} = options;
    return options.countries.filter(([, lat, lon]) => within(lon, lat, box))
      .map(([name, lat, lon, west, south, east, north], k) => ({
        ...record(lat, lon, name.toUpperCase()), k, crossed: crossed.has(name),
        wide: RD.project(east, north, zoom, tile)[0] - RD.project(west, south, zoom, tile)[0]}))
      .filter(c => c.wide >= [...c.label].length * font.country * 0.5)
      .sort((a, b) => b.crossed - a.crossed || b.wide - a.wide || a.k - b.k)
      .map(c => record(c.lat, c.lon, c.label));
  }

  // maps._numbers: each leg's number at the place it starts from; on its line when it starts
  // somewhere in an area. Numbers closer than a badge share one ("1, 2").
  RD.numbers = function (data, drawn, level, zoom) {
    const L = data.legs, tile = data.map.fit.tile, near = data.map.labels.badgeNear;
    const spots = [];
    for (const [i, index] of drawn.routeOf) {
      const route = drawn.routes[index];
      const shape = RD.shapeOf(data, route.span, level);
      if (!route.from_area) spots.push([route.from_lon, route.from_lat, L.leg[i]]);
      else if (shape) spots.push([...shape[4], L.leg[i]]);
      else spots.push([...data.map.areas[route.from_area].label, L.leg[i]]);
    }
    const badges = [];
    for (const [lon, lat, number] of spots.map((s, k) => [s, k])
      .sort((a, b) => a[0][2] - b[0][2] || a[1] - b[1]).map(([s]) => s)) {
      const [x, y] = RD.project(lon, lat, zoom, tile);
      const badge = badges.find(b => Math.abs(b.x - x) < near && Math.abs(b.y - y) < near);
      if (!badge) badges.push({x, y, lon, lat, numbers: [number]});
      else if (!badge.numbers.includes(number)) badge.numbers.push(number);
    }
    return badges.map(b => ({lon: RD.round(b.lon, 3), lat: RD.round(b.lat, 3),
      label: b.numbers.join(', ')}));
  };
})(window.routesDash);
