// The page: filters in the sidebar, every section redrawn for the legs they keep, story
// mode with its slides, and the view in the address's #fragment so a link reopens it.
'use strict';
(function (RD) {
  const PLOT_CONFIG = {displaylogo: false, responsive: true,
                       modeBarButtonsToRemove: ['select2d', 'lasso2d']};
  const CHARTS = {timeline: RD.timelineChart, 'by-mode': RD.byMode, 'by-country': RD.byCountry,
                  'by-year': RD.byYear, flow: RD.flow};
  const LISTS = [['people', 'Person', 'Everyone'], ['countries',
    'Country (a leg starts or ends there)', 'All countries'], ['modes', 'Mode', 'All modes'],
  ['outcomes', 'Outcome', 'All outcomes']];
  const $ = id => document.getElementById(id);

  async function start() {
    // On a phone the filters start folded, so the map is what a reader sees first.
    if (matchMedia('(max-width: 900px)').matches) $('filters-box').open = false;
    const data = await RD.load();
    const options = RD.options(data);
    const opened = RD.fromFragment(location.hash, options);
    const state = {data, options, chosen: opened.chosen, story: opened.story};
    RD.page = state;
    $('about-data').textContent = `${data.title}. ${data.count.toLocaleString('en-US')} legs; `
      + (data.filters ? `the dashboard's filters when it was saved: ${data.filters}.`
        : 'every leg of the data.');
    for (const note of data.notes) $('about-notes').append(RD.el('li', note));
    $('arrivals-caveat').textContent = data.charts.arrivalsCaveat;
    document.querySelectorAll('.certainty-legend').forEach(box => RD.certaintyLegend(data, box));
    filterControls(state);
    mapControls(state);
    storyControls(state);
    state.map = RD.makeMap(data, $('map'), (kind, value) => pin(state, kind, value));
    state.storyMap = RD.makeMap(data, $('story-map'));
    await redraw(state);
    await showStory(state);
    window.addEventListener('hashchange', () => {
      if (location.hash.slice(1) === state.fragment) return;
      const again = RD.fromFragment(location.hash, options);
      state.chosen = again.chosen;
      state.story = again.story;
      setControls(state);
      redraw(state).then(() => showStory(state));
    });
    document.documentElement.dataset.ready = 'true';
  }

  function filterControls(state) {
    const box = $('filter-controls');
    for (const [key, label, all] of LISTS) {
      const choices = state.options[key];
      const details = RD.el('details', null, {class: 'filter', 'data-filter': key});
      const summary = RD.el('summary');
      summary.append(RD.el('span', label), RD.el('br'), RD.el('span', all, {class: 'caption'}));
      const list = RD.el('div', null, {class: 'choices', role: 'group', 'aria-label': label});
      for (const value of choices) {
        const option = RD.el('label');
        const box_ = RD.el('input', null, {type: 'checkbox', value});
        box_.addEventListener('change', () => {
          const picked = [...list.querySelectorAll('input:checked')].map(b => b.value);
          state.chosen[key] = choices.filter(c => picked.includes(c));
          redraw(state);
        });
        option.append(box_, ' ', key === 'people' ? state.options.names[value] : value);
        list.append(option);
      }
      details.append(summary, list);
      box.append(details);
    }
    if (state.options.years && state.options.years[0] < state.options.years[1]) {
      const [low, high] = state.options.years;
      const years = RD.el('fieldset', null, {class: 'filter'});
      years.append(RD.el('legend', 'Years'));
      const row = RD.el('div', null, {class: 'years'});
      const from = RD.el('input', null, {type: 'number', min: low, max: high, id: 'year-from',
                                          'aria-label': 'from year'});
      const to = RD.el('input', null, {type: 'number', min: low, max: high, id: 'year-to',
                                        'aria-label': 'to year'});
      row.append(from, '–', to);
      years.append(row, RD.el('p', 'Legs of unknown year are left out while a year range is '
                               + 'set.', {class: 'caption', id: 'years-note'}));
      const changed = () => {
        const first = Math.max(low, Math.min(+from.value || low, high));
        const last = Math.max(low, Math.min(+to.value || high, high));
        const range = [Math.min(first, last), Math.max(first, last)];
        state.chosen.years = range[0] === low && range[1] === high ? null : range;
        redraw(state);
      };
      from.addEventListener('change', changed);
      to.addEventListener('change', changed);
      box.append(years);
    }
    $('clear-filters').addEventListener('click', () => {
      state.chosen = {people: [], countries: [], modes: [], outcomes: [], years: null};
      setControls(state);
      redraw(state);
    });
    setControls(state);
  }

  function setControls(state) {
    for (const [key, , all] of LISTS) {
      const details = document.querySelector(`[data-filter="${key}"]`);
      details.querySelectorAll('input').forEach(b => { b.checked = state.chosen[key].includes(b.value); });
      const names = state.chosen[key].map(v => (key === 'people' ? state.options.names[v] : v));
      details.querySelector('.caption').textContent = names.length ? names.join(', ') : all;
    }
    const years = state.chosen.years || state.options.years;
    if ($('year-from')) {
      $('year-from').value = years[0];
      $('year-to').value = years[1];
      $('years-note').hidden = !state.chosen.years;
    }
  }

  async function redraw(state) {
    const {data} = state;
    const rows = RD.filter(data, state.chosen);
    state.rows = rows;
    setControls(state);
    writeFragment(state);
    const people = new Set(rows.map(i => data.legs.person[i])).size;
    $('summary').textContent = `${RD.counted(rows.length, 'leg')} of ${RD.counted(people, 'person')}`
      + ` shown, of ${RD.counted(data.count, 'leg')} in this file (${data.data}`
      + `${data.filters ? `, saved with the filters ${data.filters}` : ''}).`;
    drawMap(state);
    RD.people(data, rows, $('people'));
    RD.legsTable(data, rows, $('legs-table'), $('legs-caption'));
    RD.sourcesTable(data, rows, $('sources-table'));
    await Promise.all(Object.entries(CHARTS).map(([id, make]) =>
      RD.showChart(make(data, rows), $(id).closest('.chart-box'), PLOT_CONFIG)));
    state.drawn = (state.drawn || 0) + 1;
  }

  // The map of the rows kept, coloured as chosen; one person's legs numbered. A new view
  // unpins what was pinned.
  function drawMap(state) {
    const {data, rows} = state;
    const L = data.legs;
    const numbered = new Set(rows.map(i => L.person[i])).size === 1;
    const made = state.map.show(rows, {colourBy: state.colourBy, numbered});
    RD.mapLegend(data, made, state.colourBy, numbered, $('map-legend'));
    const onMap = rows.filter(i => L.located[i]).length;
    const people = new Set(rows.filter(i => L.located[i]).map(i => L.person[i])).size;
    $('map').setAttribute('aria-label', `Map of ${RD.counted(onMap, 'journey leg')} of `
      + `${RD.counted(people, 'person')}; the same legs are listed in the table of every leg.`
      + (made.undrawn ? ` ${made.undrawn}` : ''));
    $('map-undrawn').hidden = !made.undrawn;
    $('map-undrawn-text').textContent = made.undrawn;
    $('map-caption').textContent = `${RD.counted(onMap, 'leg')} on the map`
      + (onMap < rows.length ? `; ${RD.thousands(rows.length - onMap)} have a place with no `
        + 'coordinates (they are in the tables).' : '.')
      + ' Hover a line for its legs; click a line, a shaded area or a ringed dot to pin its '
      + 'legs, with every note and source, here.';
    RD.pinned(data, [], '', $('map-pinned'));
  }

  function mapControls(state) {
    state.colourBy = 'mode';
    const box = $('colour-by');
    for (const [choice, words] of Object.entries(state.data.map.legend.colourBy)) {
      const option = RD.el('label');
      const radio = RD.el('input', null, {type: 'radio', name: 'colour-by', value: choice});
      radio.checked = choice === state.colourBy;
      radio.addEventListener('change', () => {
        state.colourBy = choice;
        drawMap(state);
        state.drawn += 1;
      });
      option.append(radio, ' ', words);
      box.append(option);
    }
    $('zoom-in').addEventListener('click', () => state.map.zoom(1));
    $('zoom-out').addEventListener('click', () => state.map.zoom(-1));
    $('zoom-fit').addEventListener('click', () => state.map.zoom(0));
  }

  // ui/route_map.py _pinned: what a click on the map chose, and its legs.
  function pin(state, kind, value) {
    const {data} = state, L = data.legs, drawn = state.map.drawn.drawn;
    const byPersonAndLeg = rows => rows.map((i, k) => [i, k]).sort((a, b) =>
      RD.compare(L.person[a[0]], L.person[b[0]]) || L.leg[a[0]] - L.leg[b[0]] || a[1] - b[1])
      .map(([i]) => i);
    const ofRoutes = routes => byPersonAndLeg([...drawn.routeOf]
      .filter(([, route]) => routes.has(route)).map(([i]) => i));
    let rows = [], title = '';
    if (kind === 'route') {
      rows = ofRoutes(new Set([value]));
      title = `${drawn.routes[value].from} → ${drawn.routes[value].to}`;
    } else if (kind === 'area') {
      rows = ofRoutes(new Set(drawn.routes.filter(r => r.from_area === value
        || r.to_area === value).map(r => r.index)));
      title = data.map.areas[value].tip;
    } else if (kind === 'place') {
      rows = byPersonAndLeg(state.rows.filter(i => L.located[i] && L.to[i] === value));
      title = `Legs ending at ${value}`;
    }
    RD.pinned(data, rows, title, $('map-pinned'));
    state.pinned = rows.length;
  }

  const plot = made => [made.data, made.layout, PLOT_CONFIG];

  function writeFragment(state) {
    state.fragment = RD.toFragment(state.chosen, state.story);
    const url = state.fragment ? `#${state.fragment}` : location.pathname + location.search;
    history.replaceState(null, '', url);
  }

  function storyControls(state) {
    const picker = $('story-person');
    picker.append(RD.el('option', '— explore all journeys —', {value: ''}));
    for (const p of state.options.people) {
      picker.append(RD.el('option', state.options.names[p], {value: p}));
    }
    picker.addEventListener('change', () => {
      state.story = {person: picker.value || null, step: 1};
      showStory(state);
    });
    $('story-previous').addEventListener('click', () => move(state, -1));
    $('story-next').addEventListener('click', () => move(state, 1));
    document.addEventListener('keydown', event => {
      if (!state.story.person || /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) return;
      if (event.key === 'ArrowLeft') move(state, -1);
      if (event.key === 'ArrowRight') move(state, 1);
    });
  }

  // The slides of the story shown, decoded once per person.
  function storySlides(state) {
    const person = state.story.person;
    if (!state.slides || state.slides.person !== person) {
      state.slides = {person, slides: RD.storySlides(state.data, person)};
    }
    return state.slides.slides;
  }

  function move(state, delta) {
    const count = storySlides(state).length;
    state.story.step = Math.min(Math.max(state.story.step + delta, 1), count);
    showStory(state);
  }

  // ui/story_mode.py show: the slides of journeys/story.py (render/publish/stories.py), one
  // at a time. A leg's slide flies the map to the leg, earlier legs dimmed and later ones
  // hidden, and marks it on the timeline; the opening and closing slides show the whole route.
  async function showStory(state) {
    const {data} = state;
    const L = data.legs;
    $('story-person').value = state.story.person || '';
    $('story').hidden = !state.story.person;
    writeFragment(state);
    if (!state.story.person) return;
    const rows = data.stories[state.story.person].rows;
    const slides = storySlides(state);
    const step = Math.min(Math.max(state.story.step, 1), slides.length);
    state.story.step = step;
    writeFragment(state);
    const slide = slides[step - 1];
    $('story-step').textContent = `${step} of ${slides.length}`;
    $('story-previous').disabled = step === 1;
    $('story-next').disabled = step === slides.length;
    const at = rows.findIndex(i => L.leg[i] === slide.leg);
    if (at >= 0) {
      const coarse = data.coarse.includes(L.shown_precision[rows[at]]);
      state.storyMap.show([rows[at]], {dimmed: rows.slice(0, at), fitDimmed: false,
        maxZoom: data.storyMaxZoom[coarse ? 'coarse' : 'fine']});
    } else {
      state.storyMap.show(rows, {numbered: true, maxZoom: data.storyMaxZoom.fine});
    }
    RD.slide(slide, $('story-slide'));
    RD.storySources(slides, $('story-sources'));
    const timeline = $('story-timeline');
    await Plotly.react(timeline, ...plot(RD.timeline(data, rows, at >= 0 ? slide.leg
      : undefined)));
    if (!state.storyClicks) {
      // A bar clicked on the timeline goes to its leg's slide (each bar carries its leg).
      timeline.on('plotly_click', event => {
        const leg = event.points[0] && event.points[0].customdata;
        const to = storySlides(state).findIndex(s => s.leg !== null && s.leg === leg);
        if (to < 0) return;
        state.story.step = to + 1;
        showStory(state);
      });
      state.storyClicks = true;
    }
    state.storyShown = (state.storyShown || 0) + 1;
  }

  start().catch(error => {
    console.error(error);
    $('summary').textContent = `This file could not be opened: ${error}`;
  });
})(window.routesDash);
