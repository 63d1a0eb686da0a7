// The page: filters in the sidebar, every section redrawn for the legs they keep, story
// mode with its steps, and the view in the address's #fragment so a link reopens it.
'use strict';
(function (RD) {
  const PLOT_CONFIG = {displaylogo: false, responsive: true,
                       modeBarButtonsToRemove: ['select2d', 'lasso2d']};
  const CHARTS = {'by-mode': RD.byMode, 'by-country': RD.byCountry, 'by-year': RD.byYear,
                  flow: RD.flow};
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
    $('arrivals-caveat').textContent = data.arrivalsCaveat;
    document.querySelectorAll('.certainty-legend').forEach(box => RD.certaintyLegend(data, box));
    filterControls(state);
    storyControls(state);
    state.map = RD.makeMap(data, $('map'));
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
    const onMap = rows.filter(i => data.legs.located[i]).length;
    $('summary').textContent = `${RD.counted(rows.length, 'leg')} of ${RD.counted(people, 'person')}`
      + ` shown, of ${RD.counted(data.count, 'leg')} in this file (${data.data}).`;
    $('map-caption').textContent = `${RD.counted(onMap, 'leg')} on the map`
      + (onMap < rows.length ? `; ${RD.thousands(rows.length - onMap)} have a place with no `
        + 'coordinates (they are in the tables).' : '.')
      + ' Hover a route for its legs, their certainty and their sources.';
    state.map.show(rows, RD.fit(RD.mapData(data, rows).points, 6.5));
    RD.legend(data, rows, $('map-legend'));
    RD.people(data, rows, $('people'));
    RD.legsTable(data, rows, $('legs-table'), $('legs-caption'));
    RD.sourcesTable(data, rows, $('sources-table'));
    const drawing = [Plotly.react('timeline', ...plot(RD.timeline(data, rows)))];
    for (const [id, make] of Object.entries(CHARTS)) {
      drawing.push(Plotly.react(id, ...plot(make(data, rows))));
    }
    await Promise.all(drawing);
    state.drawn = (state.drawn || 0) + 1;
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

  function storySteps(state) {
    const L = state.data.legs;
    return state.data.all.filter(i => L.person[i] === state.story.person)
      .sort((a, b) => L.leg[a] - L.leg[b] || a - b);
  }

  function move(state, delta) {
    const count = storySteps(state).length;
    state.story.step = Math.min(Math.max(state.story.step + delta, 1), Math.max(count, 1));
    showStory(state);
  }

  // ui/story_mode.py show: the map flies to the leg, earlier legs dimmed, later ones hidden.
  async function showStory(state) {
    const {data} = state;
    const L = data.legs;
    $('story-person').value = state.story.person || '';
    $('story').hidden = !state.story.person;
    writeFragment(state);
    if (!state.story.person) return;
    const steps = storySteps(state);
    const step = Math.min(Math.max(state.story.step, 1), steps.length);
    state.story.step = step;
    writeFragment(state);
    const i = steps[step - 1];
    $('story-name').textContent = L.name[i];
    const note = RD.contentNote(data, steps);
    $('story-content-note').textContent = note;
    $('story-content-note').hidden = !note;
    $('story-anonymous').hidden = !L.anonymized[i];
    $('story-step').textContent = `Step ${step} of ${steps.length}`;
    $('story-previous').disabled = step === 1;
    $('story-next').disabled = step === steps.length;
    const coarse = L.shown_precision[i] === 'province' || L.shown_precision[i] === 'country';
    state.storyMap.show([i], RD.fit(RD.mapData(data, [i]).points, coarse ? 4.5 : 7),
                        steps.slice(0, step - 1));
    $('story-unlocated').hidden = L.located[i];
    RD.legPanel(data, i, $('story-leg'));
    await Plotly.react('story-timeline', ...plot(RD.timeline(data, steps, step)));
    state.storyShown = (state.storyShown || 0) + 1;
  }

  start().catch(error => {
    console.error(error);
    $('summary').textContent = `This file could not be opened: ${error}`;
  });
})(window.routesDash);
