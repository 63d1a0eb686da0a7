// The journeys of this file: unpacked from the page, filtered as the dashboard filters them
// (journeys/filters.py), and the small helpers every section shares.
'use strict';
window.routesDash = window.routesDash || {};
(function (RD) {
  // The data is gzipped JSON in base64 (see render/publish/__init__.py).
  RD.load = async function () {
    const packed = document.getElementById('journeys-data').textContent.trim();
    const bytes = Uint8Array.from(atob(packed), c => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    const data = JSON.parse(await new Response(stream).text());
    const legs = {};
    for (const [name, column] of Object.entries(data.legs)) {
      legs[name] = column && column.codes ? column.codes.map(c => column.values[c]) : column;
    }
    for (const flag of ['located', 'precision_reduced', 'anonymized']) {
      legs[flag] = legs[flag].map(Boolean);
    }
    legs.sources = data.legSources;
    data.legs = legs;
    data.count = legs.person.length;
    data.all = Array.from({length: data.count}, (_, i) => i);
    return data;
  };

  // Python's sorted() order for strings (code points; the same as < for these texts).
  RD.compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  RD.unique = values => [...new Set(values)];
  // html.escape(text, quote=True): plotly reads a few tags in its texts, so data is escaped.
  RD.escape = text => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;')
    .replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  RD.thousands = n => Number(n).toLocaleString('en-US');
  // Python's round(x, digits): to the nearest, and a tie (exactly half way, which only a
  // number of few binary digits can be) to the even neighbour; toFixed alone rounds a tie
  // away from zero.
  RD.round = function (x, digits = 0) {
    const exact = Math.abs(x).toFixed(digits + 40);  // every decimal a tie could have
    if (!/^50*$/.test(exact.slice(-40))) return Number(x.toFixed(digits));
    const down = exact.slice(0, -40).replace(/\.$/, '');
    const magnitude = Number(down.slice(-1)) % 2 === 0 ? Number(down)
      : Number((Number(down) + 10 ** -digits).toFixed(digits));
    return Math.sign(x) * magnitude;
  };
  RD.counted = (n, noun) => `${RD.thousands(n)} ${n === 1 ? noun
    : ({person: 'people'}[noun] || noun + 's')}`;

  // An element with plain text (never HTML) and attributes.
  RD.el = function (tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    return node;
  };
  // A link only to a web address (http or https), opened apart from this file.
  RD.link = function (url, text) {
    if (!/^https?:\/\//i.test(url)) return null;
    return RD.el('a', text || url, {href: url, target: '_blank', rel: 'noopener noreferrer'});
  };
  RD.links = cell => String(cell || '').split(' ').filter(Boolean);

  // What can be chosen in this file (journeys/filters.py filter_options).
  RD.options = function (data) {
    const L = data.legs;
    const years = L.year.filter(y => y !== null);
    const modes = new Set(L.mode), outcomes = new Set(L.outcome);
    const names = {};
    L.person.forEach((p, i) => { names[p] = L.name[i]; });
    return {
      people: RD.unique(L.person).sort(RD.compare),
      names,
      countries: RD.unique([...L.from_country, ...L.to_country]).filter(Boolean)
        .sort(RD.compare),
      modes: data.modes.filter(m => modes.has(m)),
      outcomes: data.outcomes.filter(o => outcomes.has(o)),
      years: years.length ? [Math.min(...years), Math.max(...years)] : null,
    };
  };

  // The legs a choice keeps (journeys/filters.py filter_legs): row numbers in file order.
  // An empty list means everything; a year range leaves out legs of unknown year.
  RD.filter = function (data, chosen) {
    const L = data.legs;
    const sets = {};
    for (const key of ['people', 'countries', 'modes', 'outcomes']) {
      sets[key] = chosen[key] && chosen[key].length ? new Set(chosen[key]) : null;
    }
    return data.all.filter(i => {
      if (sets.people && !sets.people.has(L.person[i])) return false;
      if (sets.countries && !sets.countries.has(L.from_country[i])
          && !sets.countries.has(L.to_country[i])) return false;
      if (sets.modes && !sets.modes.has(L.mode[i])) return false;
      if (sets.outcomes && !sets.outcomes.has(L.outcome[i])) return false;
      if (chosen.years) {
        const start = L.year[i];
        if (start === null) return false;
        const end = L.year_end[i] === null ? start : L.year_end[i];
        if (!(start <= chosen.years[1] && end >= chosen.years[0])) return false;
      }
      return true;
    });
  };

  // The link of a view, as the dashboard's (journeys/links.py), in the address's #fragment.
  const PARAMS = {people: 'person', countries: 'country', modes: 'mode', outcomes: 'outcome'};
  RD.toFragment = function (chosen, story) {
    const parts = [];
    for (const [key, param] of Object.entries(PARAMS)) {
      if (chosen[key].length) parts.push(`${param}=${chosen[key].map(encodeURIComponent)}`);
    }
    if (chosen.years) {
      const [first, last] = chosen.years;
      parts.push(`years=${first === last ? first : `${first}-${last}`}`);
    }
    if (story.person) parts.push(`story=${encodeURIComponent(story.person)}&step=${story.step}`);
    return parts.join('&');
  };
  RD.fromFragment = function (fragment, options) {
    const query = new URLSearchParams(fragment.replace(/^#/, ''));
    const key = text => text.trim().replace(/\s+/g, ' ').toLowerCase();
    const chosen = {years: null};
    for (const [name, param] of Object.entries(PARAMS)) {
      const allowed = new Map(options[name].map(a => [key(a), a]));
      const wanted = (query.get(param) || '').split(',').filter(w => w.trim());
      chosen[name] = RD.unique(wanted.map(w => allowed.get(key(w))).filter(Boolean));
    }
    const years = /^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$/.exec(query.get('years') || '');
    if (years && options.years) {
      let [first, last] = [+years[1], +(years[2] || years[1])].sort((a, b) => a - b);
      first = Math.max(first, options.years[0]);
      last = Math.min(last, options.years[1]);
      if (first <= last) chosen.years = [first, last];
    }
    const person = options.people.find(p => p.toLowerCase() === (query.get('story') || '')
      .toLowerCase());
    const step = parseInt(query.get('step') || '1', 10);
    return {chosen, story: {person: person || null, step: step > 0 ? step : 1}};
  };
})(window.routesDash);
