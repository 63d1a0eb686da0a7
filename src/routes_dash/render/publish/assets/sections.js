// The page's text sections: the certainty words, the people, every leg with its certainty
// and citation, the bibliography, the legs pinned from the map, a story's slide and sources,
// and each chart under its heading with its numbers as a table. Every data text goes in as
// text (RD.el), never as HTML.
'use strict';
(function (RD) {
  const MOST_ROWS = 500;
  const MOST_PINNED = 50;

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

  function table(box, head, body) {  // `body`: rows of cells, each a text or a node
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
    // Certainty and source first, as the page's table: a phone shows them without scrolling.
    table(box, ['certainty', 'source', 'person', 'leg', 'from → to', 'how', 'when', 'outcome',
                'note'],
    shown.map(i => [certaintyWord(L.certainty[i]),
      citation(L.citation[i], RD.links(L.source_links[i])), L.name[i], L.leg[i],
      `${L.from[i]} → ${L.to[i]}`, L.mode[i], L.when[i], L.outcome[i], L.note[i]]));
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

  // ui/overview.py show: a chart under its heading, named for screen readers, with its
  // numbers a click away (whole numbers with thousands separators, empty where none).
  RD.showChart = function (chart, box, config) {
    box.querySelector('.chart-title').textContent = chart.title;
    box.querySelector('.chart-note').textContent = chart.note;
    const plot = box.querySelector('.plot');
    plot.setAttribute('aria-label', chart.alt);
    const numbers = box.querySelector('.chart-table');
    numbers.hidden = !chart.table;
    if (chart.table) {
      const readable = v => (v === null ? '' : Number.isInteger(v) ? RD.thousands(v) : v);
      table(numbers.querySelector('table'), chart.table.columns,
            chart.table.rows.map(row => row.map(readable)));
    }
    return Plotly.react(plot, chart.figure.data, chart.figure.layout, config);
  };

  // ui/route_map.py _pinned: the legs of a clicked line, area or ringed dot, each with its
  // note, certainty and citation; `title` says what was clicked.
  RD.pinned = function (data, rows, title, box) {
    const L = data.legs;
    box.replaceChildren();
    box.hidden = !rows.length;
    if (!rows.length) return;
    const people = new Set(rows.map(i => L.person[i])).size;
    box.append(RD.el('h3', `Pinned: ${title}`), RD.el('p', `${RD.counted(rows.length, 'leg')}`
      + ` of ${RD.counted(people, 'person')}. Click elsewhere on the map to unpin.`,
    {class: 'caption'}));
    for (const i of rows.slice(0, MOST_PINNED)) {
      const leg = RD.el('div', null, {class: 'pinned-leg'});
      const word = L.certainty[i] || 'not given';
      const line = RD.el('p');
      line.append(RD.el('strong', L.name[i]), `, leg ${L.leg[i]}: ${L.from[i]} → ${L.to[i]}`,
        RD.el('br'), `${L.mode[i]} · ${L.when[i]} · ${L.outcome[i]} · certainty: `,
        certaintyWord(L.certainty[i]),
        data.certainty[word] ? ` (${data.certainty[word]})` : '');
      leg.append(line);
      if (L.note[i]) leg.append(RD.el('p', L.note[i]));
      const source = RD.el('p', 'Source: ', {class: 'caption'});
      source.append(citation(L.citation[i], RD.links(L.source_links[i])));
      leg.append(source);
      box.append(leg);
    }
    if (rows.length > MOST_PINNED) {
      box.append(RD.el('p', `The first ${MOST_PINNED} of ${RD.thousands(rows.length)} legs; `
        + 'the table of every leg lists all.', {class: 'caption'}));
    }
  };

  // A story's slides as render/publish/stories.py carries them: each field by name, each
  // text looked up in the stories' table of texts.
  RD.storySlides = function (data, person) {
    const text = k => data.storyTexts[k];
    const cited = ([citation, links, label]) => ({text: text(citation),
                                                   links: links.map(text), label: text(label)});
    const decode = {title: text, lead: text, sure: text, caption: text,
                    body: list => list.map(text), warnings: list => list.map(text),
                    sources: list => list.map(cited), used: list => list.map(cited)};
    return data.stories[person].slides.map(row => Object.fromEntries(data.slideFields.map(
      (field, k) => [field, decode[field] ? decode[field](row[k]) : row[k]])));
  };

  // A full citation, then a link for each of its web addresses, named by its site.
  function cite(one, label, tag = 'p') {
    const line = RD.el(tag, null, {class: 'cited'});
    if (label) line.append(RD.el('strong', `${label}: `));
    line.append(one.text);
    for (const url of one.links) {
      let site = url;
      try { site = new URL(url).hostname || url; } catch (error) { /* shown as written */ }
      const anchor = RD.link(url, site);
      if (anchor) line.append(' ', anchor);
    }
    return line;
  }

  // ui/slide.py draw: the title, a warning, the lead sentence, the note, how sure, the
  // source, the caption; every text from journeys/story.py, put in as text.
  RD.slide = function (slide, box) {
    box.replaceChildren(RD.el('h3', slide.title));
    for (const warning of slide.warnings) box.append(RD.el('p', warning, {class: 'warning'}));
    box.append(RD.el('p', slide.lead, {class: 'lead'}));
    for (const paragraph of slide.body) box.append(RD.el('p', paragraph));
    if (slide.kind === 'leg') box.append(RD.el('p', slide.sure, {class: 'sure'}));
    for (const one of slide.sources) {
      box.append(cite(one, one.label || (slide.kind === 'leg' ? 'Source' : '')));
    }
    if (slide.used.length) {
      box.append(RD.el('p', `This story cites ${RD.counted(slide.used.length, 'source')}: `
        + 'they are listed below the timeline.'));
    }
    if (slide.caption) box.append(RD.el('p', slide.caption, {class: 'caption'}));
  };

  // ui/story_mode.py show: every source the story cites, below its timeline.
  RD.storySources = function (slides, box) {
    box.replaceChildren(...slides[slides.length - 1].used.map(one => cite(one, '', 'li')));
  };
})(window.routesDash);
