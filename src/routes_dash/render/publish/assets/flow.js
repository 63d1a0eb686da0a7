// How journeys unfolded, as render/flow.py draws it: people from country to country, stage by
// stage, into the group of their last outcome (a Sankey), and every path as a table.
'use strict';
(function (RD) {
  // flow._countries: each person's countries in leg order, repeats in a row collapsed, and
  // their last leg; people in id order.
  function journeys(L, rows) {
    const located = rows.filter(i => L.from_country[i] !== '' && L.to_country[i] !== '')
      .map((i, k) => [i, k])
      .sort((a, b) => RD.compare(L.person[a[0]], L.person[b[0]]) || L.leg[a[0]] - L.leg[b[0]]
        || a[1] - b[1]).map(([i]) => i);
    const paths = [];
    for (const i of located) {
      let path = paths[paths.length - 1];
      if (!path || path.person !== L.person[i]) {
        path = {person: L.person[i], countries: [L.from_country[i]]};
        paths.push(path);
      }
      if (path.countries[path.countries.length - 1] !== L.to_country[i]) {
        path.countries.push(L.to_country[i]);
      }
      path.last = i;
    }
    const names = RD.unique(located.flatMap(i => [L.from_country[i], L.to_country[i]]))
      .sort(RD.compare);
    return {paths, names};
  }

  // flow._flow: the nodes [stage, label] in id order (by stage, then label), the links
  // [source, target, people] by source then target.
  function sankey(data, paths, names) {
    const F = data.charts.flow, L = data.legs, groupOf = RD.groupOf(data);
    const groups = Object.keys(data.charts.groups);
    const labels = [...names, F.more, ...groups];
    const width = labels.length, more = names.length, final = F.maxStages + 1;
    const code = (stage, label) => stage * width + label;
    const chains = paths.map(path => {
      const chain = path.countries.slice(0, F.maxStages + 1).map((country, stage) =>
        code(stage, stage === F.maxStages ? more : names.indexOf(country)));
      chain.push(code(final, more + 1 + groups.indexOf(groupOf[L.outcome[path.last]])));
      return chain;
    });
    const codes = RD.unique(chains.flat()).sort((a, b) => a - b);
    const id = new Map(codes.map((c, k) => [c, k]));
    const counts = new Map();
    for (const chain of chains) {
      for (let k = 0; k + 1 < chain.length; k++) {
        const pair = id.get(chain[k]) * codes.length + id.get(chain[k + 1]);
        counts.set(pair, (counts.get(pair) || 0) + 1);
      }
    }
    const nodes = codes.map(c => [Math.floor(c / width), labels[c % width]]);
    const links = [...counts.keys()].sort((a, b) => a - b)
      .map(p => [Math.floor(p / codes.length), p % codes.length, counts.get(p)]);
    return {nodes, links};
  }

  // flow._positions: a column per stage (the last outcomes at the right edge), the busiest
  // node of a column on top, "more countries" at the bottom.
  function positions(data, nodes, links) {
    const F = data.charts.flow;
    const incoming = nodes.map(() => 0), outgoing = nodes.map(() => 0);
    for (const [source, target, value] of links) {
      outgoing[source] += value;
      incoming[target] += value;
    }
    const people = nodes.map((_, i) => Math.max(incoming[i], outgoing[i]));
    const stages = nodes.map(([stage]) => stage);
    const present = RD.unique(stages).sort((a, b) => a - b);
    const pad = F.nodePad / F.height;
    const members = stage => nodes.map((_, i) => i).filter(i => stages[i] === stage);
    const fullest = Math.max(...present.map(s => members(s).reduce((t, i) => t + people[i], 0)));
    const crowded = Math.max(...present.map(s => members(s).length));
    const scale = (1 - pad * (crowded - 1)) / fullest;
    const x = nodes.map(() => 0), y = nodes.map(() => 0);
    present.forEach((stage, column) => {
      const order = members(stage).map((i, k) => [i, k]).sort((a, b) =>
        (nodes[a[0]][1] === F.more) - (nodes[b[0]][1] === F.more)
        || people[b[0]] - people[a[0]] || a[1] - b[1]).map(([i]) => i);
      let top = 0.0;
      for (const i of order) {
        const height = people[i] * scale;
        x[i] = 0.001 + 0.998 * column / Math.max(present.length - 1, 1);
        y[i] = Math.min(Math.max(top + height / 2, 0.001), 0.999);
        top += height + pad;
      }
    });
    return {x, y};
  }

  function linkColour(data, target, intoOutcome) {
    if (intoOutcome) {
      const [red, green, blue] = RD.rgb(data.charts.groupColours[target], 0);
      return `rgba(${red},${green},${blue},0.35)`;
    }
    return target === data.charts.flow.nk ? 'rgba(136,34,85,0.5)' : 'rgba(79,109,143,0.28)';
  }

  // flow._paths: every distinct path (all its countries) with its last outcome, most
  // travelled first.
  function pathTable(data, paths) {
    const L = data.legs, groupOf = RD.groupOf(data), found = new Map();
    for (const path of paths) {
      const outcome = L.outcome[path.last];
      const key = [path.countries.join(' → '), outcome, groupOf[outcome]];
      const seen = found.get(key.join('\u0000'));
      if (seen) seen[3] += 1;
      else found.set(key.join('\u0000'), [...key, 1]);
    }
    const rows = [...found.values()].map((row, k) => [row, k])
      .sort((a, b) => b[0][3] - a[0][3] || a[1] - b[1]).map(([row]) => row)
      .slice(0, data.charts.flow.tableRows);
    return {columns: ['countries, in order', 'last outcome', 'its group', 'people'], rows};
  }

  // flow.outcome_flow
  RD.flow = function (data, rows) {
    const F = data.charts.flow;
    const title = 'How journeys unfolded: countries passed through, then the last outcome';
    const {paths, names} = journeys(data.legs, rows);
    if (!paths.length) return RD.noLegs(data, title);
    const {nodes, links} = sankey(data, paths, names);
    const final = Math.max(...nodes.map(([stage]) => stage));
    const {x, y} = positions(data, nodes, links);
    const trace = {
      type: 'sankey', arrangement: 'snap', valueformat: ',d', valuesuffix: ' people',
      textfont: {color: data.charts.ink, size: 15},
      node: {label: nodes.map(([, label]) => RD.escape(label)), pad: F.nodePad, thickness: 18,
        x, y, color: nodes.map(([stage, label]) => (stage === final
          ? data.charts.groupColours[label] : label === F.nk ? '#882255' : '#4f6d8f')),
        line: {width: 0}, hovertemplate: '%{label}: %{value:,} people<extra></extra>'},
      link: {source: links.map(l => l[0]), target: links.map(l => l[1]),
        value: links.map(l => l[2]),
        color: links.map(([, t]) => linkColour(data, nodes[t][1], nodes[t][0] === final)),
        hovertemplate: '%{source.label} → %{target.label}: %{value:,} people<extra></extra>'},
    };
    const annotations = [
      {x: 0, y: 0, yref: 'paper', yanchor: 'top', xanchor: 'left',
        text: 'where journeys began', showarrow: false, font: {size: 14}},
      {x: 1, y: 0, yref: 'paper', yanchor: 'top', xanchor: 'right', text: 'last outcome',
        showarrow: false, font: {size: 14}}];
    const figure = RD.figure(data, [trace], {annotations,
      margin: {l: 10, r: 10, t: 10, b: 34}}, F.height);
    const table = pathTable(data, paths);
    const people = RD.thousands(paths.length);
    const note = `Each band counts people: ${people} people whose places are located, grouped `
      + `by the countries they passed through (at most ${F.maxStages} drawn; the table lists `
      + 'every country). Returns to North Korea are in wine red.';
    const [path, , , count] = table.rows[0];
    const alt = `Sankey diagram of ${people} people's journeys from country to country into `
      + `their last outcome; the most common path is ${path} (${RD.thousands(count)} people).`;
    return RD.chart(title, note, figure, alt, table);
  };
})(window.routesDash);
