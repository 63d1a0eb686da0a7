// The aggregate charts of the rows the filters keep, as render/charts.py makes them: legs by
// mode, outcomes by country, legs by year beside the yearly arrivals.
'use strict';
(function (RD) {
  // charts.legs_by_mode
  RD.byMode = function (data, rows) {
    const title = 'How people travelled: legs by mode';
    if (!rows.length) return RD.noLegs(data, title);
    const counts = RD.countBy(rows, i => data.legs.mode[i]);
    const modes = data.modes.filter(m => counts.get(m) > 0)
      .map((m, k) => [m, k]).sort((a, b) => counts.get(a[0]) - counts.get(b[0]) || a[1] - b[1])
      .map(([m]) => m);
    const trace = {type: 'bar', x: modes.map(m => counts.get(m)), y: modes, orientation: 'h',
      showlegend: false, marker: {color: modes.map(m => data.charts.modeColours[m])},
      hovertemplate: '%{y}: %{x:,} legs<extra></extra>'};
    const layout = {xaxis: RD.countAxis(data, Math.max(...trace.x), 'legs'),
      yaxis: {automargin: true}};
    const table = {columns: ['mode', 'legs'], rows: [...modes].reverse().map(m => [m, counts.get(m)])};
    const [mode, legs] = table.rows[0];
    const alt = `Bar chart of the legs by mode of travel; the most common is ${mode} `
      + `(${RD.thousands(legs)} of ${RD.thousands(rows.length)} legs).`;
    return RD.chart(title, RD.countedLegs(rows),
      RD.figure(data, [trace], layout, 120 + 26 * modes.length), alt, table);
  };

  // charts.outcomes_by_country: where legs ended, stacked by their outcome's group; the
  // hover names the outcomes in each group.
  RD.byCountry = function (data, rows) {
    const title = 'Outcomes by country where the leg ended';
    if (!rows.length) return RD.noLegs(data, title);
    const L = data.legs, groupOf = RD.groupOf(data);
    const country = i => L.to_country[i] || 'place not located';
    const totals = RD.countBy(rows, country);
    const cells = RD.countBy(rows, i => `${country(i)}\u0000${groupOf[L.outcome[i]]}`);
    const outcomes = RD.countBy(rows, i => `${country(i)}\u0000${groupOf[L.outcome[i]]}`
      + `\u0000${L.outcome[i]}`);
    const countries = [...totals.keys()].sort(RD.compare).map((c, k) => [c, k])
      .sort((a, b) => totals.get(a[0]) - totals.get(b[0]) || a[1] - b[1]).map(([c]) => c);
    const present = new Set(rows.map(i => groupOf[L.outcome[i]]));
    const groups = Object.keys(data.charts.groups).filter(g => present.has(g));
    const detail = (c, group) => [...outcomes.keys()].filter(k => k.startsWith(`${c}\u0000${group}\u0000`))
      .sort(RD.compare).map(k => `${k.split('\u0000')[2]} ${outcomes.get(k)}`).join(', ');
    const traces = groups.map(group => ({type: 'bar', name: group, y: countries,
      x: countries.map(c => cells.get(`${c}\u0000${group}`) || 0), orientation: 'h',
      customdata: countries.map(c => detail(c, group)),
      marker: {color: data.charts.groupColours[group], line: {color: 'white', width: 1}},
      hovertemplate: `%{y}: %{x:,} legs ${group} (%{customdata})<extra></extra>`}));
    const layout = {barmode: 'stack', yaxis: {automargin: true},
      xaxis: RD.countAxis(data, Math.max(...totals.values()), 'legs')};
    const table = {columns: ['country where the leg ended', ...groups, 'all legs'],
      rows: [...countries].reverse().map(c => [c, ...groups.map(g => cells.get(`${c}\u0000${g}`)
        || 0), totals.get(c)])};
    const top = table.rows[0];
    const alt = 'Stacked bar chart of the legs by the country where they ended and their '
      + `outcome; most end in ${top[0]} (${RD.thousands(top[top.length - 1])} legs).`;
    return RD.chart(title, RD.countedLegs(rows),
      RD.figure(data, traces, layout, 150 + 28 * Math.max(countries.length, 3)), alt, table);
  };

  // charts.legs_by_year: legs started per year beside the yearly arrivals in South Korea.
  RD.byYear = function (data, rows) {
    const L = data.legs, B = data.charts.byYear;
    const dated = rows.filter(i => L.year[i] !== null);
    const perYear = RD.countBy(dated, i => L.year[i]);
    const years = [...perYear.keys()].sort((a, b) => a - b);
    const counts = years.map(y => perYear.get(y));
    const traces = [{type: 'bar', x: years, y: counts, name: 'legs in the data (left axis)',
      marker: {color: '#4477AA'}, hovertemplate: '%{x}: %{y:,} legs<extra></extra>'},
    structuredClone(B.arrivals)];
    const layout = {xaxis: {tickformat: 'd', automargin: true},
      yaxis: RD.countAxis(data, counts.length ? Math.max(...counts) : 1, 'legs in the data'),
      yaxis2: structuredClone(B.yaxis2)};
    let note = RD.countedLegs(rows);
    const unknown = rows.length - dated.length;
    if (unknown) note += ` ${RD.thousands(unknown)} legs of unknown year are not shown.`;
    const arrivals = new Map(B.yearly);
    const table = {columns: ['year', 'legs in the data', 'arrivals in South Korea'],
      rows: RD.unique([...years, ...arrivals.keys()]).sort((a, b) => a - b)
        .map(y => [y, perYear.get(y) || 0, arrivals.has(y) ? arrivals.get(y) : null])};
    return RD.chart(B.title, note, RD.figure(data, traces, layout, 420), B.alt, table);
  };
})(window.routesDash);
