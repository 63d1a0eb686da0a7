// The charts' common parts and the timeline, as render/charts.py makes them: each chart a
// heading, a line saying what it counts, the plotly figure, a description for screen readers
// and its numbers as a table (a browser test compares the two on the same filters).
'use strict';
(function (RD) {
  // charts._figure: plotly's layout from plotly.py (data.charts.base) with the chart's own.
  // Copies of what the file carries: plotly.js writes into the objects it draws.
  RD.figure = (data, traces, layout, height) => ({data: traces,
    layout: {...structuredClone(data.charts.base), height, ...layout}});
  // A chart as the page shows it; `table` is {columns, rows} or null.
  RD.chart = (title, note, figure, alt, table) => ({title, note, figure, alt, table});
  RD.noLegs = (data, title) => RD.chart(title, data.charts.noLegs.note,
    {data: [], layout: structuredClone(data.charts.noLegs.layout)}, `${title}: empty`, null);
  RD.countedLegs = rows => `Counts of all ${RD.thousands(rows.length)} legs that match the `
    + 'filters.';
  RD.hover = text => RD.escape(text).replace(/\n/g, '<br>');

  // charts.count_step and count_axis: whole numbers, thousands separators, from zero.
  RD.countStep = function (largest) {
    const rough = Math.max(largest, 1) / 6;
    const power = 10 ** Math.floor(Math.log10(rough));
    return Math.max(1, Math.trunc([1, 2, 5, 10].map(m => m * power).find(v => v >= rough)));
  };
  RD.countAxis = (data, largest, title) => ({title: {text: title}, rangemode: 'tozero',
    tickformat: ',d', tick0: 0, dtick: RD.countStep(largest), gridcolor: data.charts.grid,
    zeroline: false, automargin: true});
  RD.countBy = function (rows, key) {
    const counts = new Map();
    for (const i of rows) counts.set(key(i), (counts.get(key(i)) || 0) + 1);
    return counts;
  };
  // Each outcome's group (style.OUTCOME_GROUP_OF).
  RD.groupOf = function (data) {
    if (!data.charts.groupOf) {
      data.charts.groupOf = {};
      for (const [group, outcomes] of Object.entries(data.charts.groups)) {
        for (const outcome of outcomes) data.charts.groupOf[outcome] = group;
      }
    }
    return data.charts.groupOf;
  };
  // describe.year_label
  RD.years = (start, end) => (start === null ? 'year unknown'
    : end === null || end === start ? String(start) : `${start}–${end}`);

  // numpy's round: halves to the even neighbour.
  function roundHalfEven(x) {
    const floor = Math.floor(x);
    if (x - floor !== 0.5) return Math.round(x);
    return floor % 2 === 0 ? floor : floor + 1;
  }

  // charts.timeline_people: by first known year (unknown last), then id; past `most`
  // people, `most` of them evenly spread over that order.
  function timelinePeople(L, rows, most) {
    const first = new Map();
    for (const i of rows) {
      const year = L.year[i], seen = first.get(L.person[i]);
      if (seen === undefined || (year !== null && (seen === null || year < seen))) {
        first.set(L.person[i], year);
      }
    }
    const year = p => (first.get(p) === null ? Infinity : first.get(p));
    const ordered = [...first.keys()].sort(RD.compare).map((p, k) => [p, k])
      .sort((a, b) => year(a[0]) - year(b[0]) || a[1] - b[1]).map(([p]) => p);
    if (ordered.length <= most) return {ordered, shown: ordered};
    const step = (ordered.length - 1) / (most - 1), picks = new Set();
    for (let k = 0; k < most; k++) {
      picks.add(k === most - 1 ? ordered.length - 1 : roundHalfEven(k * step));
    }
    return {ordered, shown: [...picks].sort((a, b) => a - b).map(k => ordered[k])};
  }

  // charts.timeline: a row per person, each leg in its years coloured by its outcome's
  // group; legs of unknown year apart, in a shaded column; `current` (a leg number) marked.
  RD.timeline = function (data, rows, current) {
    const L = data.legs, C = data.charts;
    if (!rows.length) return RD.figure(data, [], {}, 200);
    const {ordered, shown} = timelinePeople(L, rows, C.timelineMostPeople);
    const keep = new Set(shown);
    const frame = shown.length < ordered.length ? rows.filter(i => keep.has(L.person[i])) : rows;
    const known = frame.filter(i => L.year[i] !== null);
    const ends = frame.map(i => (L.year_end[i] === null ? L.year[i] : L.year_end[i]))
      .filter(v => v !== null);
    const last = known.length ? Math.max(...ends) : 2000;
    const first = known.length ? Math.min(...known.map(i => L.year[i])) : last - 1;
    const unknownX = last + C.unknownGap;
    const size = new Map(), seen = new Map();
    const groupKey = i => `${L.person[i]}\u0000${L.year[i] === null ? -1 : L.year[i]}`;
    for (const i of frame) size.set(groupKey(i), (size.get(groupKey(i)) || 0) + 1);
    const bars = frame.map(i => {
      const key = groupKey(i), n = seen.get(key) || 0;
      seen.set(key, n + 1);
      const isKnown = L.year[i] !== null, span = isKnown ? 1 : C.unknownWidth;
      const x0 = (isKnown ? L.year[i] : unknownX) + n / size.get(key) * span;
      const x1 = L.year_end[i] === null ? x0 + span / size.get(key) : L.year_end[i] + 1;
      return {i, x0, x1, length: Math.max(x1 - x0, 0.15)};
    });
    const byName = {};
    for (const i of frame) byName[L.person[i]] = L.name[i];
    const people = RD.unique(shown.map(p => byName[p]));
    const groupOf = RD.groupOf(data);
    const traces = [];
    for (const group of Object.keys(C.groups)) {
      const colour = C.groupColours[group];
      const part = bars.filter(b => groupOf[L.outcome[b.i]] === group);
      if (!part.length) continue;
      traces.push({type: 'bar', name: group, orientation: 'h', y: part.map(b => L.name[b.i]),
        x: part.map(b => b.length), base: part.map(b => b.x0),
        marker: {color: colour, line: {color: 'white', width: 1}},
        hovertext: part.map(b => RD.hover(L.description[b.i])), hoverinfo: 'text', width: 0.5,
        customdata: part.map(b => L.leg[b.i])});
    }
    const here = current === undefined ? undefined : bars.find(b => L.leg[b.i] === current);
    if (here) {
      traces.push({type: 'scatter', x: [(here.x0 + here.x1) / 2], y: [L.name[here.i]],
        mode: 'markers+text', marker: {symbol: 'triangle-down', size: 22, color: C.ink},
        text: [`leg ${current}`], textposition: 'top center', name: 'this step',
        hoverinfo: 'skip', cliponaxis: false, showlegend: false});
    }
    const step = last - first > 30 ? 10 : last - first > 12 ? 5 : last - first > 6 ? 2 : 1;
    const ticks = [];
    for (let t = first - first % step; t < last + 2; t += step) if (t >= first - 1) ticks.push(t);
    const labels = ticks.map(String);
    const layout = {barmode: 'overlay'};
    if (known.length < frame.length) {
      layout.shapes = [{type: 'rect', x0: unknownX - 0.3, x1: unknownX + C.unknownWidth + 0.3,
        xref: 'x', y0: 0, y1: 1, yref: 'y domain', fillcolor: '#eeeeee', line: {width: 0},
        layer: 'below'}];
      ticks.push(unknownX + C.unknownWidth / 2);
      labels.push('year<br>unknown');
    }
    layout.xaxis = {tickvals: ticks, ticktext: labels, showgrid: true, gridcolor: C.grid,
      automargin: true, ticklabeloverflow: 'allow', tickangle: 0,
      range: [first - 1, unknownX + C.unknownWidth + 0.5]};
    layout.yaxis = {categoryorder: 'array', categoryarray: [...people].reverse(),
      showticklabels: false, range: [-0.5, people.length - 0.2]};
    layout.annotations = people.map(name => ({x: 0, xref: 'paper', xanchor: 'left', y: name,
      yshift: 13, yanchor: 'bottom', text: RD.escape(name), showarrow: false,
      font: {size: 14}}));
    return RD.figure(data, traces, layout, Math.max(240, 110 + 54 * people.length));
  };

  // charts.timeline_chart: the figure, and per person their years, legs and last outcome.
  RD.timelineChart = function (data, rows) {
    const L = data.legs, most = data.charts.timelineMostPeople;
    let title = 'Timeline: each person\'s legs, coloured by outcome';
    if (!rows.length) return RD.noLegs(data, title);
    const {ordered, shown} = timelinePeople(L, rows, most);
    let note = 'Hover a bar for the leg, its outcome, its certainty and its source.';
    if (shown.length < ordered.length) {
      title = `Timeline: showing ${RD.thousands(shown.length)} of `
        + `${RD.thousands(ordered.length)} people, each person's legs coloured by outcome`;
      note = `A sample: ${shown.length} people evenly spread in the order of their first `
        + 'year; choose people in the sidebar to see anyone else. ' + note;
    }
    const per = new Map(shown.map(p => [p, {first: null, last: null, legs: 0, final: null}]));
    for (const i of rows) {
      const p = per.get(L.person[i]);
      if (!p) continue;
      p.legs += 1;
      p.final = i;
      if (L.year[i] !== null) p.first = Math.min(p.first ?? Infinity, L.year[i]);
      for (const year of [L.year[i], L.year_end[i]]) {
        if (year !== null) p.last = Math.max(p.last ?? -Infinity, year);
      }
    }
    const table = {columns: ['person', 'years', 'legs', 'last outcome'],
      rows: shown.map(person => {
        const p = per.get(person);
        return [L.name[p.final], RD.years(p.first, p.last), p.legs,
          L.outcome[p.final]];
      })};
    const years = rows.map(i => L.year[i]).filter(y => y !== null);
    const ends = rows.map(i => L.year_end[i]).filter(y => y !== null);
    const span = years.length ? `${Math.min(...years)}–${Math.max(...years, ...ends)}` : '';
    const alt = `Timeline of ${RD.thousands(shown.length)} people's journeys`
      + `${span ? `, ${span}` : ''}: a row per person, a bar per leg in its years, coloured `
      + 'by outcome.';
    return RD.chart(title, note, RD.timeline(data, rows), alt, table);
  };
})(window.routesDash);
