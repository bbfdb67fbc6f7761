// The search page (/): search form, hits, facets (publishers, languages, dates, timeline),
// paging.
//
// The URL is the state (?q=&publisher=&lang=&since=&until=&offset=). Every change is a
// history.pushState followed by load(), and Back/Forward run load() again (popstate), so
// any view can be bookmarked and shared. Links are real <a href> links to those URLs;
// clicks on links marked data-nav are only intercepted to spare a full page load.
//
// Report text reaches the page only as text nodes (append of strings, createTextNode),
// never as HTML: a report containing <script> shows it as text.
//
// Hooks (tests/browser/check-page.mjs relies on these):
//   body[data-state]        "loading" while fetching, then "ready" or "error"
//   #search-form, #q        the search form and its query input
//   #error                  one-line error message under the search box (hidden if none)
//   #intro                  shown when there is no query
//   #filters a.remove-filter   one link per active filter, to the URL without it
//   #total                  "1–10 of 23 reports"; when nothing matched, "Did you mean" with
//                           one a.suggestion per suggestion (a link that runs it)
//   #results > li.hit       one hit: .hit-title a (headline link to /report),
//                           .meta .publisher / .date / .dateline / .author / .language,
//                           li.passage > a.loc ("name:line" link) + .text (with <mark>s)
//   #pager a#prev, a#next   paging links (hidden when there is no such page)
//   #publishers a           publisher facet links (a[aria-current] = active, links to the URL
//                           without it), .count; past the first 10, li[hidden] until
//                           button.show-all ("Show all N publishers") is clicked
//   #languages a            language facet links (a[aria-current] = active), .count
//   #since, #until          the date inputs
//   #timeline svg .bar      one rect per bucket (.bar.empty when count is 0); the others sit
//                           in an <a> with an aria-label, linking to that bucket's dates,
//                           over a transparent rect.slot (the whole slot is clickable)
//
// This module also exports the helpers report.js uses: markup, getJson, el.

const PAGE = 10;
const TOP_PUBLISHERS = 10; // shown before "Show all N publishers"
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An element with attributes (null/false ones left out) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v != null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

/**
 * `text` as a fragment with ranges wrapped. The API's ranges count UTF-8 bytes, not JS
 * string indices (they differ past any curly quote or dash), so we cut the encoded bytes.
 * layers: [{ranges: [{start, end}], make: () => Element}], outermost first; a piece of text
 * inside several layers' ranges is wrapped by each.
 */
export function markup(text, layers = []) {
  const bytes = encoder.encode(text);
  const n = bytes.length;
  // Clip to the text and move off the middle of a multi-byte character (10xxxxxx bytes).
  const snap = (i, step) => {
    i = Math.max(0, Math.min(n, i));
    while (i > 0 && i < n && (bytes[i] & 0xc0) === 0x80) i += step;
    return i;
  };
  const spans = layers.map((layer) =>
    (layer.ranges || [])
      .map((r) => [snap(r.start, -1), snap(r.end, 1)])
      .filter(([a, b]) => a < b));
  const cuts = new Set([0, n]);
  spans.flat().forEach(([a, b]) => cuts.add(a).add(b));
  const points = [...cuts].sort((x, y) => x - y);
  const fragment = document.createDocumentFragment();
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    let node = document.createTextNode(decoder.decode(bytes.subarray(a, b)));
    for (let j = layers.length - 1; j >= 0; j--) {
      if (spans[j].some(([s, e]) => s <= a && b <= e)) {
        const wrapper = layers[j].make();
        wrapper.append(node);
        node = wrapper;
      }
    }
    fragment.append(node);
  }
  return fragment;
}

/** The highlight layer for query matches. */
export const marks = (ranges) => ({ ranges, make: () => el('mark') });

/** GET path?params as JSON; throws an Error with the server's one-line message (and .status). */
export async function getJson(path, params = {}, signal) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) query.set(k, v);
  let response;
  try {
    response = await fetch(`${path}?${query}`, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error('Could not reach the Dateline server (is `dateline serve` still running?)');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.error || `The server answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  if (body == null) throw new Error('The server answered with something that is not JSON');
  return body;
}

/** A link to a report, with the query so the report page can mark its words. */
export function reportHref(name, q) {
  // Slashes may stay as they are in a query string; readable paths make readable links.
  const path = encodeURIComponent(name).replaceAll('%2F', '/');
  return `/report?path=${path}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
}

// ---- state <-> URL ----

function readState() {
  const p = new URLSearchParams(location.search);
  const get = (k) => p.get(k) ?? '';
  return {
    q: get('q'), publisher: get('publisher'), lang: get('lang'), since: get('since'),
    until: get('until'),
    offset: Math.max(0, parseInt(get('offset'), 10) || 0),
  };
}

function urlFor(state) {
  const p = new URLSearchParams();
  for (const k of ['q', 'publisher', 'lang', 'since', 'until', 'offset']) if (state[k]) p.set(k, state[k]);
  const query = p.toString();
  return query ? `/?${query}` : '/';
}

function go(url) {
  history.pushState(null, '', url);
  load();
}

// ---- rendering ----

const $ = (id) => document.getElementById(id);
let inFlight = null; // the AbortController of the load whose answers we are waiting for

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

async function load() {
  const s = readState();
  $('q').value = s.q;
  $('publisher-input').value = s.publisher;
  $('lang-input').value = s.lang;
  $('since').value = s.since;
  $('until').value = s.until;
  inFlight?.abort();
  const controller = (inFlight = new AbortController());
  showError('');
  renderFilters(s);
  document.body.dataset.state = 'loading';

  const searching = Boolean(s.q.trim() || s.publisher || s.lang || s.since || s.until);
  $('intro').hidden = searching;
  $('facets').hidden = !searching;
  if (!searching) {
    document.title = 'Dateline';
    for (const id of ['total', 'results']) $(id).replaceChildren();
    $('pager').hidden = true;
    return finish(controller, getJson('/api/health', {}, controller.signal).then((h) => {
      $('health').textContent = `Search the ${h.reports} news reports in this index.`;
    }));
  }

  document.title = `${s.q.trim() || 'Filtered'} – Dateline`;
  $('results').setAttribute('aria-busy', 'true');
  // An empty query with a filter means "everything the filter keeps".
  const common = {
    q: s.q.trim() || '*', since: s.since, until: s.until, publisher: s.publisher, lang: s.lang,
  };
  // Render each answer as it comes (clearing its part on failure), unless a newer load
  // took over: then this one's answers, even its AbortErrors, must not touch the page.
  const current = () => controller === inFlight;
  const into = (render) => [
    (answer) => { if (current()) render(s, answer); },
    (e) => { if (current()) render(s, null); throw e; },
  ];
  const search = getJson('/api/search', { ...common, limit: PAGE, offset: s.offset }, controller.signal)
    .then(...into(renderHits));
  const facets = getJson('/api/facets', common, controller.signal).then(...into(renderFacets));
  await finish(controller, Promise.all([search, facets]));
  if (current()) $('results').removeAttribute('aria-busy');
}

/** Waits for `work`; unless a newer load took over, shows its error and the final state. */
async function finish(controller, work) {
  try {
    await work;
    if (controller === inFlight) document.body.dataset.state = 'ready';
  } catch (e) {
    if (controller !== inFlight || e.name === 'AbortError') return;
    showError(e.message);
    document.body.dataset.state = 'error';
  }
}

function renderFilters(s) {
  const items = [['publisher', 'Publisher'], ['lang', 'Language'], ['since', 'From'], ['until', 'To']]
    .filter(([k]) => s[k])
    .map(([k, label]) => el('li', {},
      el('a', {
        class: 'remove-filter', 'data-nav': true, href: urlFor({ ...s, [k]: '', offset: 0 }),
        'aria-label': `Remove filter ${label}: ${s[k]}`,
      }, `${label}: ${s[k]}`, el('span', { 'aria-hidden': 'true' }, ' ×'))));
  $('filters').replaceChildren(...items);
}

function renderHits(s, result) {
  if (!result) {
    $('total').replaceChildren();
    $('results').replaceChildren();
    $('pager').hidden = true;
    return;
  }
  const { total, hits } = result;
  const plural = total === 1 ? 'report' : 'reports';
  $('total').textContent = total === 0 ? 'No reports match.'
    : hits.length === 0 ? `No more results: ${total} ${plural} in all.`
      : hits.length === total ? `${total} ${plural}`
        : `${s.offset + 1}–${s.offset + hits.length} of ${total} ${plural}`;
  const suggestions = total === 0 ? (result.suggestions ?? []) : [];
  if (suggestions.length) {
    const links = suggestions.flatMap((q, i) => [i ? ', ' : '',
      el('a', { class: 'suggestion', 'data-nav': true, href: urlFor({ ...s, q, offset: 0 }) }, q)]);
    $('total').append(' Did you mean ', ...links, '?');
  }
  $('results').start = s.offset + 1;
  $('results').replaceChildren(...hits.map((h) => hitElement(h, s.q.trim())));

  const prev = $('prev'), next = $('next');
  prev.hidden = s.offset === 0;
  prev.href = urlFor({ ...s, offset: Math.max(0, Math.min(s.offset, total) - PAGE) });
  next.hidden = s.offset + hits.length >= total;
  next.href = urlFor({ ...s, offset: s.offset + PAGE });
  $('pager').hidden = prev.hidden && next.hidden;
}

function hitElement(hit, q) {
  const title = markup(hit.title, [marks(hit.title_highlights)]);
  const meta = [
    hit.publisher && el('span', { class: 'publisher' }, hit.publisher),
    hit.date && el('time', { class: 'date', datetime: hit.date }, hit.date_crawled ? `crawled ${hit.date}` : hit.date),
    hit.dateline && el('span', { class: 'dateline' }, hit.dateline),
    hit.author && el('span', { class: 'author' }, `by ${hit.author}`),
    hit.language && el('span', { class: 'language', lang: hit.language }, hit.language),
    hit.passages.length === 0 && el('span', { class: 'name' }, hit.name),
  ].filter(Boolean);
  const passages = hit.passages.map((p) => el('li', { class: 'passage' },
    el('a', { class: 'loc', href: `${reportHref(hit.name, q)}&passage=${p.offset},${p.length}#L${p.line}` },
      `${hit.name}:${p.line}`),
    el('p', { class: 'text' }, markup(p.text, [marks(p.highlights)]))));
  return el('li', { class: 'hit' },
    el('h2', { class: 'hit-title' },
      el('a', { href: reportHref(hit.name, q) }, hit.title_derived ? el('em', {}, title) : title),
      hit.title_derived ? el('span', { class: 'note' }, ' lead; no headline') : null),
    meta.length ? el('p', { class: 'meta' }, ...meta) : null,
    passages.length ? el('ul', { class: 'passages' }, ...passages) : null);
}

function renderFacets(s, facets) {
  if (!facets) {
    for (const id of ['publishers', 'publisher-notes', 'languages', 'timeline']) $(id).replaceChildren();
    return;
  }
  const items = facets.publishers.map((p, i) => {
    const active = p.name === s.publisher; // its link removes the filter
    return el('li', { hidden: i >= TOP_PUBLISHERS && !active },
      el('a', {
        'data-nav': true, href: urlFor({ ...s, publisher: active ? '' : p.name, offset: 0 }),
        'aria-current': active ? 'true' : null, title: active ? 'Remove this filter' : null,
      }, p.name),
      el('span', { class: 'count' }, String(p.count)));
  });
  const hidden = items.filter((li) => li.hidden);
  if (hidden.length) {
    const more = el('button', { type: 'button', class: 'secondary show-all' },
      `Show all ${items.length} publishers`);
    more.addEventListener('click', () => {
      hidden.forEach((li) => { li.hidden = false; });
      hidden[0].querySelector('a').focus(); // the button goes away: keep the focus in the list
      more.parentElement.remove();
    });
    items.push(el('li', {}, more));
  }
  $('publishers').replaceChildren(...items);
  const notes = [
    facets.publishers.length === 0 && facets.no_publisher === 0 && 'No reports.',
    facets.other_publishers > 0 && `${facets.other_publishers} more from other publishers.`,
    facets.no_publisher > 0 && `${facets.no_publisher} without a publisher.`,
  ].filter(Boolean);
  $('publisher-notes').textContent = notes.join(' ');
  $('languages').replaceChildren(...facets.languages.map((l) => {
    const active = l.name === s.lang;
    return el('li', {},
      el('a', {
        'data-nav': true, href: urlFor({ ...s, lang: active ? '' : l.name, offset: 0 }),
        'aria-current': active ? 'true' : null, title: active ? 'Remove this filter' : null,
      }, l.name),
      el('span', { class: 'count' }, String(l.count)));
  }));
  $('timeline').replaceChildren(...timeline(s, facets).filter(Boolean));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The timeline: one bar per bucket, each (when not empty) a link to that bucket's dates. */
function timeline(s, facets) {
  const { interval, buckets, dropped } = facets.timeline;
  const notShown = (n, kind) => (n > 0 ? el('p', { class: 'note' },
    `${n} ${kind} ${n === 1 ? 'report' : 'reports'} not shown.`) : null);
  // Older: dates spanning over 1,000 years keep only the latest 1,000 (year) buckets.
  const notes = [notShown(dropped, 'older'), notShown(facets.undated, 'undated')];
  if (buckets.length === 0) return [el('p', { class: 'note' }, 'No dated reports.'), ...notes];
  const BAR = 10, HEIGHT = 40;
  // At least 12 slots wide, so a single bar does not stretch across the whole chart.
  const width = Math.max(buckets.length, 12) * BAR;
  const left = (width - buckets.length * BAR) / 2;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'group',
    'aria-label': `Reports per ${interval}`,
  });
  buckets.forEach((b, i) => {
    const days = b.start === b.end ? b.start : `${b.start} to ${b.end}`;
    const label = `${days}: ${b.count} ${b.count === 1 ? 'report' : 'reports'}`;
    const height = b.count ? Math.max(3, (b.count / max) * HEIGHT) : 1;
    const x = left + i * BAR;
    const bar = svg('rect', {
      class: b.count ? 'bar' : 'bar empty', x: x + 1, y: HEIGHT - height, width: BAR - 2, height,
    });
    if (!b.count) {
      bar.append(svg('title', {}, label));
      chart.append(bar);
      return;
    }
    // The link covers its whole slot (a transparent rect behind the bar), so a short bar is
    // still easy to hit, and the focus outline goes round the slot.
    chart.append(svg('a', {
      href: urlFor({ ...s, since: b.start, until: b.end, offset: 0 }), 'data-nav': '', 'aria-label': label,
    }, svg('title', {}, label), svg('rect', { class: 'slot', x, y: 0, width: BAR, height: HEIGHT }), bar));
  });
  const first = buckets[0].start, last = buckets[buckets.length - 1].end;
  return [chart, el('p', { class: 'axis' }, el('span', {}, first), el('span', {}, `per ${interval}`),
    el('span', {}, last)), ...notes];
}

// ---- events ----

function init() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target); // includes #since/#until (form="search-form")
    go(urlFor({ ...Object.fromEntries(form), offset: 0 }));
  });

  // A date typed into the box applies once its year is complete: while typing "2024" the
  // input passes through 0002, 0020 and 0202, which must not each start a search.
  for (const id of ['since', 'until']) {
    $(id).addEventListener('change', (event) => {
      const v = event.target.value;
      if (v === '' || /^[1-9]\d{3}-/.test(v)) go(urlFor({ ...readState(), [id]: v, offset: 0 }));
    });
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-nav]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab etc.
    event.preventDefault();
    go(link.getAttribute('href')); // getAttribute: an SVG <a>'s .href is not a string
    // The clicked link is re-rendered away: move focus (and the view, e.g. from the facets
    // below the results on a phone, or the pager at the bottom) to the top of the results.
    $('total').focus();
  });

  window.addEventListener('popstate', load);
  load();
}

// report.js imports this module for its helpers; only the search page has the form.
if (document.getElementById('search-form')) init();
