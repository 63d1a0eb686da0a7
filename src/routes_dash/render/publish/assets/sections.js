// The page's text sections: the map's legend, the certainty words, the people, every leg
// with its certainty and citation, the bibliography, and one step of a story. Every data
// text goes in as text (RD.el), never as HTML.
'use strict';
(function (RD) {
  const MOST_ROWS = 500;

  // render/legend.py: the modes drawn, then the alarming outcomes marked.
  RD.legend = function (data, rows, box) {
    const L = data.legs;
    const modes = new Set(rows.map(i => L.mode[i])), outcomes = new Set(rows.map(i => L.outcome[i]));
    box.replaceChildren();
    for (const mode of Object.keys(data.modeColours).filter(m => modes.has(m))) {
      const item = RD.el('span');
      item.append(RD.el('i', null, {style: `background:${data.modeColours[mode]}`}), mode);
      box.append(item);
    }
    for (const outcome of data.alarming.filter(o => outcomes.has(o))) {
      const item = RD.el('span');
      item.append(RD.el('i', null, {class: 'dot', style: `background:${data.outcomeColours[outcome]}`}),
                  `ended ${outcome}`);
      box.append(item);
    }
  };

  RD.certaintyLegend = function (data, box) {
    box.append(RD.el('strong', 'How certain each leg is, in five words:'));
    const list = RD.el('dl');
    for (const [word, meaning] of Object.entries(data.certainty)) {
      list.append(RD.el('dt', word), RD.el('dd', meaning));
    }
    box.append(list);
  };

  function citation(text, links) {
    const cell = RD.el('span', text || 'not given');
    links.forEach((url, k) => {
      const anchor = RD.link(url, `source ${k + 1}`);
      if (anchor) cell.append(' ', anchor);
    });
    return cell;
  }
  function certaintyWord(word) {
    return RD.el('span', word || 'not given', word === 'disputed' ? {class: 'disputed'} : {});
  }

  RD.people = function (data, rows, box) {
    const here = new Set(rows.map(i => data.legs.person[i]));
    const people = data.people.filter(q => here.has(q.person));
    box.replaceChildren();
    if (people.length > MOST_ROWS) {
      box.append(RD.el('p', `The first ${RD.thousands(MOST_ROWS)} of `
        + `${RD.thousands(people.length)} people; narrow the filters to see others.`,
      {class: 'caption'}));
    }
    for (const p of people.slice(0, MOST_ROWS)) {
      const item = RD.el('div', null, {class: 'person'});
      const head = RD.el('div');
      head.append(RD.el('strong', p.name));
      if (p.anonymized) {
        head.append(' ', RD.el('span', 'anonymous: places no finer than a province',
                               {class: 'tag'}));
      }
      item.append(head);
      if (p.summary) item.append(RD.el('div', p.summary));
      if (p.since) item.append(RD.el('div', `Since: ${p.since}`));
      if (p.citation) {
        const source = RD.el('div', 'Source: ', {class: 'caption'});
        source.append(citation(p.citation, p.links));
        item.append(source);
      }
      box.append(item);
    }
  };

  function table(box, head, body) {
    box.replaceChildren();
    const top = RD.el('tr');
    head.forEach(h => top.append(RD.el('th', h, {scope: 'col'})));
    const thead = RD.el('thead');
    thead.append(top);
    const tbody = RD.el('tbody');
    for (const cells of body) {
      const row = RD.el('tr');
      for (const cell of cells) {
        const td = RD.el('td');
        td.append(cell instanceof Node ? cell : String(cell));
        row.append(td);
      }
      tbody.append(row);
    }
    box.append(thead, tbody);
  }

  RD.legsTable = function (data, rows, box, caption) {
    const L = data.legs;
    const shown = rows.slice(0, MOST_ROWS);
    caption.textContent = rows.length > MOST_ROWS
      ? `The first ${RD.thousands(MOST_ROWS)} of ${RD.thousands(rows.length)} legs; narrow the `
        + 'filters to see others.' : `${RD.counted(rows.length, 'leg')}.`;
    table(box, ['person', 'leg', 'from → to', 'how', 'when', 'outcome', 'certainty', 'source',
                'note'],
    shown.map(i => [L.name[i], L.leg[i], `${L.from[i]} → ${L.to[i]}`, L.mode[i], L.when[i],
      L.outcome[i], certaintyWord(L.certainty[i]), citation(L.citation[i], RD.links(L.source_links[i])),
      L.note[i]]));
  };

  // journeys/citations.py bibliography: the sources of these legs, most used first.
  RD.sourcesTable = function (data, rows, box) {
    const legs = new Map(), people = new Map();
    for (const i of rows) {
      for (const s of data.legs.sources[i]) {
        legs.set(s, (legs.get(s) || 0) + 1);
        if (!people.has(s)) people.set(s, new Set());
        people.get(s).add(data.legs.person[i]);
      }
    }
    const used = [...legs.keys()].sort((a, b) => legs.get(b) - legs.get(a)
      || people.get(b).size - people.get(a).size || RD.compare(data.sources[a].id, data.sources[b].id));
    table(box, ['source', 'kind', 'legs', 'people'], used.map(s => [
      citation(data.sources[s].citation, data.sources[s].url ? [data.sources[s].url] : []),
      data.sources[s].kind, legs.get(s), people.get(s).size]));
  };

  // journeys/story.py content_note
  RD.contentNote = function (data, rows) {
    const L = data.legs;
    const found = [...rows.map(i => data.sensitive[L.outcome[i]]),
      ...rows.map(i => data.sensitive[L.mode[i]])].filter(Boolean);
    const topics = RD.unique(found);
    if (!topics.length) return '';
    const listed = topics.length === 1 ? topics[0]
      : `${topics.slice(0, -1).join(', ')} and ${topics[topics.length - 1]}`;
    return `Content note: this story includes ${listed}.`;
  };

  // ui/story_mode.py _leg_panel: one leg, large, with its certainty and source.
  RD.legPanel = function (data, i, box) {
    const L = data.legs;
    box.replaceChildren(RD.el('h4', `${L.from[i]} → ${L.to[i]}`));
    const facts = RD.el('table');
    for (const [label, value] of [['how', L.mode[i]], ['when', L.when[i]],
      ['what happened', L.outcome[i]], ['certainty', certaintyWord(L.certainty[i])],
      ['source', citation(L.citation[i], RD.links(L.source_links[i]))]]) {
      const row = RD.el('tr');
      const cell = RD.el('td');
      cell.append(value instanceof Node ? value : String(value));
      row.append(RD.el('th', label, {scope: 'row'}), cell);
      facts.append(row);
    }
    box.append(facts);
    const word = L.certainty[i];
    if (data.certainty[word]) {
      box.append(RD.el('p', `${word[0].toUpperCase()}${word.slice(1)}: ${data.certainty[word]}`,
                       {class: 'caption'}));
    }
    if (word === 'disputed') {
      box.append(RD.el('p', 'Disputed: sources disagree about this leg. See the note.',
                       {class: 'warning'}));
    }
    if (L.note[i]) box.append(RD.el('p', L.note[i]));
    if (L.precision_reduced[i]) {
      box.append(RD.el('p', 'Shown at country level to protect an anonymous person.',
                       {class: 'caption'}));
    } else if (L.shown_precision[i] === 'province' || L.shown_precision[i] === 'country') {
      box.append(RD.el('p', `Known only to a ${L.shown_precision[i]}.`, {class: 'caption'}));
    }
  };
})(window.routesDash);
