// The route map: render/maps.py build_deck's layers (pydeck's JSON, rendered by
// @deck.gl/json) filled with the legs the filters keep; hover for a route's summary, click a
// line, an area or a ringed dot to pin its legs below the map.
'use strict';
(function (RD) {
  const MAX_BUTTON_ZOOM = 12, MIN_ZOOM = 0.5;

  // build_deck's layers' data for these rows: `colourBy`, a story's earlier legs `dimmed`
  // grey beneath, one person's legs `numbered`, in a map of `size` pixels at `view` (by
  // default fitted to the legs, as the page fits it, at the zoom level at or below), `steps`
  // zoomed in (or out) from there, as the page's zoom buttons do; `fitDimmed: false` fits
  // the view to `rows` alone (a story's current leg).
  RD.mapLayers = function (data, rows, {colourBy = 'mode', dimmed = [], numbered = false,
    view = null, steps = 0, fitDimmed = true, size, maxZoom = data.map.maxZoom}) {
    const L = data.legs;
    const {category, palette} = RD.colourCategories(data, rows, colourBy);
    const drawn = RD.mapData(data, rows, i => category[i]);
    const lined = RD.drawnRoutes(data, drawn.routes);
    const faded = dimmed.length ? RD.mapData(data, dimmed, () => 'earlier') : null;
    const fitted = RD.fit([...RD.routePoints(data, lined),
      ...(faded && fitDimmed ? RD.routePoints(data, faded.routes) : [])], size, maxZoom,
    data.map);
    let shown = view || RD.onLevel(fitted, data.map);
    if (steps) {
      shown = {...shown, zoom: Math.max(MIN_ZOOM, Math.min(MAX_BUTTON_ZOOM, shown.zoom + steps))};
    }
    const level = RD.levelIndex(Math.min(shown.zoom, data.map.maxZoom), data.map);
    const {lines, fades, arrows} = RD.lines(data, lined, level, palette);
    const layers = {
      routes: lines, fades, arrows,
      areas: RD.areaFeatures(data, [...drawn.areas, ...(faded ? faded.areas : [])]),
      places: drawn.places.map(p => ({lat: p.lat, lon: p.lon})),
      outcomes: drawn.markers.map(({to, to_lat, to_lon, tip}) => ({to, to_lat, to_lon, tip})),
    };
    if (faded) {
      const earlier = RD.lines(data, faded.routes, level, {});
      layers.earlier = earlier.lines;
      layers['earlier-fades'] = earlier.fades;
    }
    const countries = new Set();
    for (const i of [...rows, ...dimmed]) countries.add(L.from_country[i]).add(L.to_country[i]);
    const badges = numbered ? RD.numbers(data, drawn, level, shown.zoom) : [];
    Object.assign(layers, RD.labels(data, drawn.places, shown, size, countries, badges));
    return {layers, view: shown, fitted, palette, drawn,
      undrawn: RD.undrawnNote(drawn.routes, lined)};
  };

  // The deck.gl classes @deck.gl/json may create from pydeck's JSON.
  function converter() {
    const classes = {};
    for (const [name, value] of Object.entries(deck)) {
      if (typeof value === 'function' && /(Layer|View|Extension)$/.test(name)) {
        classes[name] = value;
      }
    }
    return new deck.JSONConverter({configuration: new deck.JSONConfiguration({classes})});
  }

  // A map in `container`; `show(rows, options)` redraws it (options as RD.mapLayers'),
  // `zoom(steps)` moves it in or out from its fitted view, `onPick(kind, value)` is told of
  // a click on a route (its index), an area (its key) or a ringed dot (its place).
  RD.makeMap = function (data, container, onPick) {
    const template = converter().convert(data.map.template);
    const state = {rendered: 0, steps: 0};
    const size = () => [Math.max(container.clientWidth, 1), Math.max(container.clientHeight, 1)];
    const map = new deck.Deck({
      parent: container, width: '100%', height: '100%', views: template.views, layers: [],
      initialViewState: RD.onLevel(data.map.fit.world, data.map),
      // pydeck's tooltip {"text": "{tip}"}: plain text, never HTML.
      getTooltip: ({object}) => {
        const text = object && (object.tip || (object.properties && object.properties.tip));
        return text ? {text, style: {maxWidth: '360px', whiteSpace: 'pre-wrap',
          fontSize: '14px'}} : null;
      },
      onClick: ({object, layer}) => {
        if (!onPick) return;
        if (!object || !layer) onPick(null);
        else if (layer.id === 'routes') onPick('route', object.route);
        else if (layer.id === 'areas') onPick('area', object.properties.key);
        else if (layer.id === 'outcomes') onPick('place', object.to);
      },
      onAfterRender: () => { state.rendered += 1; },
      onError: error => { state.error = String(error); console.error(error); },
    });
    function draw() {
      const made = RD.mapLayers(data, state.rows, {...state.options, steps: state.steps,
        size: size()});
      map.setProps({
        initialViewState: {...made.view, transitionDuration: 0},
        layers: template.layers.map(layer => (made.layers[layer.id] === undefined ? layer
          : layer.clone({data: made.layers[layer.id]}))),
      });
      state.drawn = made;
    }
    state.deck = map;
    state.show = function (rows, options = {}) {
      Object.assign(state, {rows, options, steps: 0});
      draw();
      return state.drawn;
    };
    state.zoom = function (steps) {
      state.steps = steps === 0 ? 0 : state.steps + steps;
      draw();
    };
    return state;
  };

  // The legend under the map (render/legend.py legend_html): the colours of this choice, then
  // what line styles and marks mean.
  RD.mapLegend = function (data, made, colourBy, numbered, box) {
    const words = data.map.legend;
    const colours = RD.el('div', null, {class: 'map-legend'});
    colours.append(RD.el('span', `Colour: ${words.colourBy[colourBy]}`, {class: 'title'}));
    for (const [name, colour] of Object.entries(made.palette)) {
      colours.append(item(swatch('line', {'--colour': colour}), name));
    }
    const styles = RD.el('div', null, {class: 'map-legend'});
    const grey = {'--colour': '#444444'};
    styles.append(item(swatch('line arrow', grey), words.meanings.direction),
      item(swatch('line', grey), words.meanings.sure),
      item(swatch('line faint', grey), words.meanings.faint),
      item(swatch('line dashed', grey), words.meanings.disputed));
    if (made.drawn.areas.length) {
      const fade = swatch('fade', {...grey, '--area': `${words.areaFill}55`,
        '--edge': words.areaLine});
      fade.append(RD.el('span', null, {class: 'lead'}), RD.el('span', null, {class: 'area'}));
      styles.append(item(fade, words.meanings.area));
    }
    if (made.drawn.markers.length) styles.append(item(swatch('ring'), words.meanings.ended));
    if (numbered) styles.append(item(RD.el('span', '1', {class: 'badge'}), words.meanings.numbered));
    box.replaceChildren(colours, styles);
  };

  function swatch(kind, colours = {}) {
    const drawing = RD.el('span', null, {class: `swatch ${kind}`, 'aria-hidden': 'true'});
    for (const [name, value] of Object.entries(colours)) drawing.style.setProperty(name, value);
    return drawing;
  }
  function item(drawing, text) {
    const entry = RD.el('span', null, {class: 'item'});
    entry.append(drawing, RD.el('span', text));
    return entry;
  }
})(window.routesDash);
