// The route map: pydeck's deck JSON (render/maps.py build_deck) rendered by @deck.gl/json,
// its data layers filled with the legs the filters keep, grouped as journeys/routes.py
// groups them (each leg's route number, colour and description come from Python).
'use strict';
(function (RD) {
  const SHOWN_PER_SEGMENT = 3;
  const WORLD_VIEW = {latitude: 35.0, longitude: 115.0, zoom: 2.6};

  // routes._joined_descriptions
  function joined(texts, total) {
    const text = texts.join('\n\n');
    const rest = total - texts.length;
    return rest > 0 ? `${RD.thousands(total)} legs on this route; the first ${texts.length}:`
      + `\n\n${text}\n\n… and ${RD.thousands(rest)} more` : text;
  }

  // routes.map_data: segments, outcome markers, places and points of these rows.
  RD.mapData = function (data, rows) {
    const L = data.legs;
    const bySegment = new Map();
    for (const i of rows) {
      if (!L.located[i]) continue;
      let segment = bySegment.get(L.segment[i]);
      if (!segment) {
        segment = {i, legs: 0, heads: []};
        bySegment.set(L.segment[i], segment);
      }
      segment.legs += 1;
      if (segment.heads.length < SHOWN_PER_SEGMENT) segment.heads.push(i);
    }
    const segments = [...bySegment.entries()].map(([number, s]) => ({
      from: L.from[s.i], to: L.to[s.i], mode: L.mode[s.i], outcome: L.outcome[s.i],
      from_lat: L.from_lat[s.i], from_lon: L.from_lon[s.i],
      to_lat: L.to_lat[s.i], to_lon: L.to_lon[s.i], legs: s.legs, heads: s.heads,
      color: data.segmentColour[number],
      description: joined(s.heads.map(h => L.description[h]), s.legs)}));
    const alarming = new Set(data.alarming);
    const markers = new Map();
    for (const s of segments) {
      if (!alarming.has(s.outcome)) continue;
      const key = `${s.to_lat},${s.to_lon},${s.outcome}`;
      const marker = markers.get(key) || {to_lat: s.to_lat, to_lon: s.to_lon,
        outcome: s.outcome, legs: 0, heads: [], color: data.markerColour[s.outcome]};
      marker.legs += s.legs;
      marker.heads.push(...s.heads);
      markers.set(key, marker);
    }
    for (const m of markers.values()) {
      const shown = m.heads.sort((a, b) => a - b).slice(0, SHOWN_PER_SEGMENT);
      m.description = joined(shown.map(h => L.description[h]), m.legs);
    }
    const places = new Map();
    for (const end of ['from', 'to']) {
      for (const s of segments) {
        const key = `${s[end + '_lat']},${s[end + '_lon']}`;
        const place = places.get(key) || {lat: s[end + '_lat'], lon: s[end + '_lon'],
          place: s[end], legs: 0, label: RD.labelAt(data, key)};
        place.legs += s.legs;
        places.set(key, place);
      }
    }
    const points = RD.unique([...segments.map(s => `${s.from_lon},${s.from_lat}`),
      ...segments.map(s => `${s.to_lon},${s.to_lat}`)]).map(p => p.split(',').map(Number));
    return {segments, markers: [...markers.values()], places: [...places.values()], points};
  };

  RD.labelAt = function (data, key) {
    if (!data.labelIndex) {
      data.labelIndex = new Map(data.labels.map(([lat, lon, label]) => [`${lat},${lon}`, label]));
    }
    return data.labelIndex.get(key) || '';
  };

  // pydeck's compute_view, as maps._fit uses it: fit most points, a little zoomed out.
  RD.fit = function (points, maxZoom) {
    if (!points.length) return {...WORLD_VIEW};
    const mean = list => [list.reduce((s, p) => s + p[0], 0) / list.length,
      list.reduce((s, p) => s + p[1], 0) / list.length];
    const center = mean(points);
    let kept = points;
    if (points.length >= 20) {  // the nearest 90 % of the points, as view_proportion=0.9
      kept = points.map(p => [p, Math.hypot(p[0] - center[0], p[1] - center[1])])
        .sort((a, b) => a[1] - b[1]).slice(0, Math.floor(0.9 * points.length)).map(p => p[0]);
    }
    const xs = kept.map(p => p[0]), ys = kept.map(p => p[1]);
    const widest = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    let zoom = 21;
    if (widest >= 360 / 2 ** 20) {
      zoom = Math.max(1, Math.trunc(-(Math.log(widest) / Math.log(2))
                                    + Math.log(360) / Math.log(2)));
    }
    return {latitude: center[1], longitude: center[0],
            zoom: Math.max(1, Math.min(maxZoom, zoom - 0.4))};
  };

  // routes.spaced_labels: the busiest places whose labels do not overlap at this zoom.
  RD.spacedLabels = function (places, zoom, most = 40) {
    const perDegree = 512 * 2 ** zoom / 360;
    const width = 110 / perDegree, height = 24 / perDegree;
    const chosen = [];
    for (const p of [...places].sort((a, b) => b.legs - a.legs)) {
      if (chosen.length >= most || !p.label) continue;
      if (chosen.every(c => Math.abs(p.lat - c.lat) >= height || Math.abs(p.lon - c.lon) >= width)) {
        chosen.push(p);
      }
    }
    return chosen;
  };

  // maps.build_deck: each route as wide as its legs, relative to the busiest past 50.
  function widths(segments) {
    const busiest = Math.max(50, ...segments.map(s => s.legs));
    return segments.map(s => ({...s, width: Math.round(
      Math.sqrt(Math.min(50, Math.max(1, s.legs * (50 / busiest)))) * 3 * 10) / 10}));
  }

  // The layers' data for these rows (and, in story mode, earlier rows drawn faintly).
  RD.layerData = function (data, rows, zoom, dimmed) {
    const drawn = RD.mapData(data, rows);
    const faded = RD.mapData(data, dimmed || []).segments
      .map(s => ({...s, color: [120, 120, 120, 110], width: 2.0}));
    return {routes: widths(drawn.segments), outcomes: drawn.markers, places: drawn.places,
            labels: RD.spacedLabels(drawn.places, zoom), earlier: faded, points: drawn.points};
  };

  // A deck.gl map of pydeck's JSON in `container`; `show(rows, view, dimmed)` redraws it.
  RD.makeMap = function (data, container) {
    const classes = {};
    for (const [name, value] of Object.entries(deck)) {
      if (typeof value === 'function' && /(Layer|View)$/.test(name)) classes[name] = value;
    }
    const converter = new deck.JSONConverter({configuration: new deck.JSONConfiguration({classes})});
    const props = converter.convert(data.deck);
    delete props.mapStyle;  // no basemap style: the countries are a layer of the deck
    const state = {rendered: 0};
    const map = new deck.Deck({
      ...props, parent: container, width: '100%', height: '100%',
      // pydeck's tooltip {"text": "{description}"}: plain text, never HTML.
      getTooltip: ({object}) => object && object.description ? {
        text: object.description,
        style: {maxWidth: '420px', whiteSpace: 'pre-wrap', fontSize: '13px'}} : null,
      onAfterRender: () => { state.rendered += 1; },
      onError: error => { state.error = String(error); console.error(error); },
    });
    state.deck = map;
    state.show = function (rows, view, dimmed) {
      const filled = RD.layerData(data, rows, view.zoom, dimmed);
      map.setProps({
        initialViewState: {...view},
        layers: props.layers.map(layer => filled[layer.id]
          ? layer.clone({data: filled[layer.id]}) : layer),
      });
      state.drawn = filled;
    };
    return state;
  };
})(window.routesDash);
