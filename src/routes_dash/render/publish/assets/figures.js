// The timeline and the charts of the rows the filters keep, as render/charts.py makes them
// (a browser test compares the two on the same filters). Plotly's template and font come
// from plotly.py (data.chartStyle).
'use strict';
(function (RD) {
  const FONT_SIZE = 15;
  const UNKNOWN_GAP = 3, UNKNOWN_WIDTH = 4;
  const NK = 'North Korea';

  // charts._figure
  function figure(data, traces, layout, title, height, subtitle, legendY) {
    const base = {
      ...data.chartStyle, title: {text: title, x: 0, xanchor: 'left'},
      font: {...data.chartStyle.font, family: 'sans-serif', size: FONT_SIZE}, height,
      margin: {l: 10, r: 10, t: 60, b: 40}, plot_bgcolor: 'white',
      legend: {orientation: 'h', y: legendY === undefined ? -0.18 : legendY, x: 0},
    };
    if (subtitle) {
      base.title.subtitle = {text: RD.escape(subtitle)};
      base.margin.t = 80;
    }
    return {data: traces, layout: {...layout, ...base}};
  }
  const counted = n => `Counts of all ${RD.thousands(n)} legs that match the filters.`;
  const hover = text => RD.escape(text).replace(/\n/g, '<br>');

  function countBy(rows, key) {
    const counts = new Map();
    for (const i of rows) counts.set(key(i), (counts.get(key(i)) || 0) + 1);
    return counts;
  }
  // numpy's round: halves to the even neighbour.
  function roundHalfEven(x) {
    const floor = Math.floor(x);
    if (x - floor !== 0.5) return Math.round(x);
    return floor % 2 === 0 ? floor : floor + 1;
  }

  // charts._by_first_year and charts._sample
  function byFirstYear(data, rows) {
    const L = data.legs, first = new Map();  // person → first known year, or null
    for (const i of rows) {
      const year = L.year[i], seen = first.get(L.person[i]);
      if (seen === undefined || (year !== null && (seen === null || year < seen))) {
        first.set(L.person[i], year);
      }
    }
    const people = [...first.keys()].sort(RD.compare);
    const year = p => (first.get(p) === null ? Infinity : first.get(p));
    return people.map((p, k) => [p, k]).sort((a, b) => year(a[0]) - year(b[0]) || a[1] - b[1])
      .map(([p]) => p);
  }
  function sample(ordered, most) {
    if (ordered.length <= most) return ordered;
    const step = (ordered.length - 1) / (most - 1);
    const picks = new Set();
    for (let k = 0; k < most; k++) {
      picks.add(k === most - 1 ? ordered.length - 1 : roundHalfEven(k * step));
    }
    return [...picks].sort((a, b) => a - b).map(k => ordered[k]);
  }

  // charts.timeline
  RD.timeline = function (data, rows, current) {
    const L = data.legs, most = data.timelineMostPeople;
    if (!rows.length) return figure(data, [], {}, 'Timeline: no legs match the filters', 300);
    const ordered = byFirstYear(data, rows);
    const shown = sample(ordered, most);
    const sampled = shown.length < ordered.length;
    const keep = new Set(shown);
    const frame = sampled ? rows.filter(i => keep.has(L.person[i])) : rows;
    const known = frame.filter(i => L.year[i] !== null);
    const ends = frame.map(i => (L.year_end[i] === null ? L.year[i] : L.year_end[i]))
      .filter(v => v !== null);
    const last = known.length ? Math.max(...ends) : 2000;
    const first = known.length ? Math.min(...known.map(i => L.year[i])) : last - 1;
    const unknownX = last + UNKNOWN_GAP;
    const size = new Map(), seen = new Map();
    const groupOf = i => `${L.person[i]}\u0000${L.year[i] === null ? -1 : L.year[i]}`;
    for (const i of frame) size.set(groupOf(i), (size.get(groupOf(i)) || 0) + 1);
    const bars = frame.map(i => {
      const group = groupOf(i), n = seen.get(group) || 0;
      seen.set(group, n + 1);
      const isKnown = L.year[i] !== null, span = isKnown ? 1 : UNKNOWN_WIDTH;
      const x0 = (isKnown ? L.year[i] : unknownX) + n / size.get(group) * span;
      const x1 = L.year_end[i] === null ? x0 + span / size.get(group) : L.year_end[i] + 1;
      return {i, x0, x1, length: Math.max(x1 - x0, 0.15)};
    });
    const byName = {};
    for (const i of frame) byName[L.person[i]] = L.name[i];
    const people = RD.unique(shown.map(p => byName[p]));
    const traces = [];
    for (const outcome of data.outcomes) {
      const part = bars.filter(b => L.outcome[b.i] === outcome);
      if (!part.length) continue;
      traces.push({type: 'bar', name: outcome, orientation: 'h', y: part.map(b => L.name[b.i]),
        x: part.map(b => b.length), base: part.map(b => b.x0),
        marker: {color: data.outcomeColours[outcome], line: {color: 'white', width: 1}},
        hovertext: part.map(b => hover(L.description[b.i])), hoverinfo: 'text', width: 0.6});
    }
    const here = current === undefined ? undefined : bars.find(b => L.leg[b.i] === current);
    if (here) {
      traces.push({type: 'scatter', x: [(here.x0 + here.x1) / 2], y: [L.name[here.i]],
        mode: 'markers+text', marker: {symbol: 'triangle-down', size: 22, color: '#111'},
        text: [`step ${current}`], textposition: 'top center', name: 'this step',
        hoverinfo: 'skip', cliponaxis: false});
    }
    const layout = {barmode: 'overlay', hoverlabel: {align: 'left'}};
    if (known.length < frame.length) {
      layout.shapes = [{type: 'rect', x0: unknownX - 0.3, x1: unknownX + UNKNOWN_WIDTH + 0.3,
        xref: 'x', y0: 0, y1: 1, yref: 'y domain', fillcolor: '#eeeeee', line: {width: 0},
        layer: 'below'}];
      layout.annotations = [{x: unknownX + UNKNOWN_WIDTH / 2, y: 1.0, yref: 'paper',
        yanchor: 'bottom', text: 'year unknown', showarrow: false,
        font: {size: 14, color: '#444'}}];
    }
    const step = last - first > 12 ? 5 : last - first > 6 ? 2 : 1;
    const ticks = [];
    for (let t = first - first % step; t < last + 2; t += step) if (t >= first - 1) ticks.push(t);
    layout.xaxis = {tickvals: ticks, ticktext: ticks.map(String), showgrid: true,
      gridcolor: '#e6e6e6', range: [first - 1, unknownX + UNKNOWN_WIDTH + 0.5]};
    layout.yaxis = {categoryorder: 'array', categoryarray: [...people].reverse()};
    const height = Math.max(300, (sampled ? 200 : 160) + 48 * people.length);
    const legendY = -0.12 - 40 / height;
    if (!sampled) {
      return figure(data, traces, layout, 'Timeline: each person\'s legs, coloured by outcome',
                    height, '', legendY);
    }
    return figure(data, traces, layout, `Timeline: showing ${RD.thousands(people.length)} of `
      + `${RD.thousands(ordered.length)} people, each person's legs coloured by outcome`, height,
      `A sample: ${people.length} people evenly spread in the order of their first year; `
      + 'choose people in the sidebar to see anyone else.', legendY);
  };

  // charts.legs_by_mode
  RD.byMode = function (data, rows) {
    const counts = countBy(rows, i => data.legs.mode[i]);
    const modes = data.modes.filter(m => counts.get(m) > 0)
      .sort((a, b) => counts.get(a) - counts.get(b));
    return figure(data, [{type: 'bar', x: modes.map(m => counts.get(m)), y: modes,
      orientation: 'h', marker: {color: modes.map(m => data.modeColours[m])},
      hovertemplate: '%{y}: %{x} legs<extra></extra>'}],
    {xaxis: {title: {text: 'legs'}}}, 'How people travelled: legs by mode', 380,
    counted(rows.length));
  };

  // charts.outcomes_by_country
  RD.byCountry = function (data, rows) {
    const L = data.legs;
    const country = i => L.to_country[i] || 'place not located';
    const totals = countBy(rows, country);
    const cells = countBy(rows, i => `${country(i)}\u0000${L.outcome[i]}`);
    const countries = [...totals.keys()].sort(RD.compare)
      .sort((a, b) => totals.get(a) - totals.get(b));
    const present = new Set(rows.map(i => L.outcome[i]));
    const traces = data.outcomes.filter(o => present.has(o)).map(outcome => ({
      type: 'bar', name: outcome, y: countries,
      x: countries.map(c => cells.get(`${c}\u0000${outcome}`) || 0), orientation: 'h',
      marker: {color: data.outcomeColours[outcome]},
      hovertemplate: `%{y}: %{x} legs ${outcome}<extra></extra>`}));
    return figure(data, traces, {barmode: 'stack',
      xaxis: {title: {text: 'legs ending in the country'}}},
    'Outcomes by country where the leg ended', 140 + 40 * Math.max(countries.length, 3),
    counted(rows.length));
  };

  // charts.legs_by_year
  RD.byYear = function (data, rows) {
    const perYear = countBy(rows.filter(i => data.legs.year[i] !== null), i => data.legs.year[i]);
    const years = [...perYear.keys()].sort((a, b) => a - b);
    const traces = [{type: 'bar', x: years, y: years.map(y => perYear.get(y)),
      name: 'legs in the data', marker: {color: '#4477AA'},
      hovertemplate: '%{x}: %{y} legs<extra></extra>'}, data.arrivals];
    const layout = {
      yaxis: {title: {text: 'legs in the data'}, rangemode: 'tozero'},
      yaxis2: {title: {text: 'arrivals in South Korea'}, overlaying: 'y', side: 'right',
               rangemode: 'tozero', showgrid: false, tickformat: ','}};
    const unknown = rows.length - rows.filter(i => data.legs.year[i] !== null).length;
    let title = 'Legs by year, beside yearly arrivals in South Korea';
    if (unknown) title += ` (${RD.thousands(unknown)} legs of unknown year not shown)`;
    return figure(data, traces, layout, title, 420, counted(rows.length));
  };

  // charts.outcome_flow and charts._flow: people from country to country, then their last
  // outcome; a return to North Korea in wine red.
  RD.flow = function (data, rows) {
    const L = data.legs;
    const located = rows.filter(i => L.from_country[i] !== '' && L.to_country[i] !== '');
    const ordered = [...located].sort((a, b) => RD.compare(L.person[a], L.person[b])
      || L.leg[a] - L.leg[b] || a - b);
    const paths = [];  // per person: [countries with repeats collapsed, last outcome]
    for (const i of ordered) {
      let path = paths[paths.length - 1];
      if (!path || path.person !== L.person[i]) {
        path = {person: L.person[i], countries: [L.from_country[i]]};
        paths.push(path);
      }
      if (path.countries[path.countries.length - 1] !== L.to_country[i]) {
        path.countries.push(L.to_country[i]);
      }
      path.outcome = L.outcome[i];
    }
    const nodes = new Map(), met = [];
    const meet = (stage, label) => `${stage}\u0000${label}`;
    for (const p of paths) {
      const end = meet(p.countries.length, `last outcome: ${p.outcome}`);
      if (p.countries.length === 1) met.push(end);  // met before its only country
      p.countries.forEach((c, stage) => met.push(meet(stage, c)));
      if (p.countries.length > 1) met.push(end);
    }
    for (const key of met) if (!nodes.has(key)) nodes.set(key, nodes.size);
    const links = new Map();
    for (const p of paths) {
      const chain = [...p.countries.map((c, stage) => meet(stage, c)),
        meet(p.countries.length, `last outcome: ${p.outcome}`)];
      for (let k = 0; k + 1 < chain.length; k++) {
        const key = `${nodes.get(chain[k])},${nodes.get(chain[k + 1])}`;
        links.set(key, (links.get(key) || 0) + 1);
      }
    }
    const nodeLabels = [...nodes.keys()].map(key => key.split('\u0000')[1]);
    const pairs = [...links.keys()].map(key => key.split(',').map(Number));
    // plotly.js 4 fails on a sankey with nothing in it: no trace then, the same empty chart.
    return figure(data, paths.length === 0 ? [] : [{
      type: 'sankey', arrangement: 'snap',
      node: {label: nodeLabels.map(RD.escape), pad: 18, thickness: 16,
             color: nodeLabels.map(x => (x === NK ? '#882255' : '#4477AA'))},
      link: {source: pairs.map(p => p[0]), target: pairs.map(p => p[1]),
             value: [...links.values()],
             color: pairs.map(p => (nodeLabels[p[1]] === NK ? 'rgba(136,34,85,0.55)'
               : 'rgba(68,119,170,0.35)')),
             hovertemplate: '%{source.label} → %{target.label}: %{value} people<extra></extra>'},
    }], {}, 'How journeys unfolded: countries passed through, then the last outcome '
      + '(returns to North Korea in wine red)', 480,
    `Each band counts people: ${RD.thousands(paths.length)} people whose places are located, `
      + 'grouped by the countries they passed through.');
  };
})(window.routesDash);
