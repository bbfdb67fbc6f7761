// The search page (/): search form, hits, facets (facets.js, timeline.js), paging, and the
// start page (intro.js) when there is no query.
//
// The URL is the state (?q=&publisher=&since=&until=&offset=). Every change is a
// history.pushState followed by load(), and Back/Forward run load() again (popstate), so
// any view can be bookmarked and shared. Links are real <a href> links to those URLs;
// clicks on links marked data-nav are only intercepted to spare a full page load.
// Each history entry remembers how far down it was scrolled, and load() goes back there
// once its results are in: coming Back from a report, the reader is where they left.
//
// Hooks (tests/browser/check-page.mjs relies on these):
//   body[data-state]        "loading" while fetching, then "ready" or "error"
//   #search-form, #q        the search form and its query input
//   #error                  one-line error message under the search box (hidden if none)
//   #intro                  shown when there is no query
//   #filters a.remove-filter   one link per active filter, to the URL without it
//   #total                  "1–10 of 1,523 reports"; when nothing matched, "Did you mean" with
//                           one a.suggestion per suggestion (a link that runs it)
//   #hints li               when nothing matched: what to try; a.drop-filters runs the query
//                           without its filters
//   #results > li.hit       one hit: .hit-title a (headline link to /report),
//                           .meta .publisher / .date / .dateline / .author,
//                           li.passage > a.loc ("name:line" link) + .text (with <mark>s)
//   #pager a#prev, a#next   paging links (hidden when there is no such page)
//   #since, #until          the date inputs (text, YYYY-MM-DD)

import { el, getJson, markup, marks, reportHref, count, reports } from './dom.js';
import { initFacets, labelToggle, renderFacets } from './facets.js';
import { renderIntro } from './intro.js';

const PAGE = 10;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

// ---- state <-> URL ----

function readState() {
  const p = new URLSearchParams(location.search);
  const get = (k) => p.get(k) ?? '';
  return {
    q: get('q'), publisher: get('publisher'), since: get('since'), until: get('until'),
    offset: Math.max(0, parseInt(get('offset'), 10) || 0),
  };
}

function urlFor(state) {
  const p = new URLSearchParams();
  for (const k of ['q', 'publisher', 'since', 'until', 'offset']) if (state[k]) p.set(k, state[k]);
  const query = p.toString();
  return query ? `/?${query}` : '/';
}

function go(url) {
  rememberScroll();
  // The same view again (a date's change event, then the form's submit) adds no history entry.
  if (url !== location.pathname + location.search) history.pushState(null, '', url);
  load();
}

/** Records the scroll position in the current history entry. */
function rememberScroll() {
  history.replaceState({ ...history.state, scrollY: window.scrollY }, '');
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
  const scrollY = history.state?.scrollY; // set when this entry was left: restore it
  $('q').value = s.q;
  $('publisher-input').value = s.publisher;
  $('since').value = s.since;
  $('until').value = s.until;
  inFlight?.abort();
  const controller = (inFlight = new AbortController());
  showError('');
  renderFilters(s);
  document.body.dataset.state = 'loading';

  const searching = Boolean(s.q.trim() || s.publisher || s.since || s.until);
  $('intro').hidden = searching;
  $('facets').hidden = !searching;
  if (!searching) {
    document.title = 'Dateline';
    for (const id of ['total', 'hints', 'results']) $(id).replaceChildren();
    $('pager').hidden = true;
    return finish(controller, renderIntro(controller.signal));
  }

  document.title = `${s.q.trim() || 'Filtered'} – Dateline`;
  $('results').setAttribute('aria-busy', 'true');
  // An empty query with a filter means "everything the filter keeps".
  const common = { q: s.q.trim() || '*', since: s.since, until: s.until, publisher: s.publisher };
  // Render each answer as it comes (clearing its part on failure), unless a newer load
  // took over: then this one's answers, even its AbortErrors, must not touch the page.
  const current = () => controller === inFlight;
  const into = (render) => [
    (answer) => { if (current()) render(s, answer); },
    (e) => { if (current()) render(s, null); throw e; },
  ];
  const link = (change) => urlFor({ ...s, ...change, offset: 0 });
  const search = getJson('/api/search', { ...common, limit: PAGE, offset: s.offset }, controller.signal)
    .then(...into(renderHits));
  const facets = getJson('/api/facets', common, controller.signal)
    .then(...into((state, answer) => renderFacets(state, answer, link)));
  await finish(controller, Promise.all([search, facets]));
  if (!current()) return;
  $('results').removeAttribute('aria-busy');
  if (scrollY != null) window.scrollTo(0, scrollY);
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

const FILTERS = [['publisher', 'Publisher'], ['since', 'From'], ['until', 'To']];

function renderFilters(s) {
  const active = FILTERS.filter(([k]) => s[k]);
  const items = active.map(([k, label]) => el('li', {},
    el('a', {
      class: 'remove-filter', 'data-nav': true, href: urlFor({ ...s, [k]: '', offset: 0 }),
      'aria-label': `Remove filter ${label}: ${s[k]}`,
    }, `${label}: ${s[k]}`, el('span', { 'aria-hidden': 'true' }, ' ×'))));
  $('filters').replaceChildren(...items);
  labelToggle(active.length);
}

function renderHits(s, result) {
  if (!result) {
    for (const id of ['total', 'hints', 'results']) $(id).replaceChildren();
    $('pager').hidden = true;
    return;
  }
  const { total, hits } = result;
  $('total').textContent = total === 0 ? 'No reports match.'
    : hits.length === 0 ? `No more results: ${reports(total)} in all.`
      : hits.length === total ? reports(total)
        : `${count(s.offset + 1)}–${count(s.offset + hits.length)} of ${reports(total)}`;
  const suggestions = total === 0 ? (result.suggestions ?? []) : [];
  if (suggestions.length) {
    const links = suggestions.flatMap((q, i) => [i ? ', ' : '',
      el('a', { class: 'suggestion', 'data-nav': true, href: urlFor({ ...s, q, offset: 0 }) }, q)]);
    $('total').append(' Did you mean ', ...links, '?');
  }
  $('hints').replaceChildren(...(total === 0 ? hints(s) : []));
  $('results').start = s.offset + 1;
  $('results').replaceChildren(...hits.map((h) => hitElement(h, s.q.trim())));

  const prev = $('prev'), next = $('next');
  prev.hidden = s.offset === 0;
  prev.href = urlFor({ ...s, offset: Math.max(0, Math.min(s.offset, total) - PAGE) });
  next.hidden = s.offset + hits.length >= total;
  next.href = urlFor({ ...s, offset: s.offset + PAGE });
  $('pager').hidden = prev.hidden && next.hidden;
}

/** What to try when nothing matched, for this search. */
function hints(s) {
  const q = s.q.trim();
  const filters = [...new Set([s.publisher && 'publisher', (s.since || s.until) && 'date'].filter(Boolean))];
  const words = q.split(/\s+/).filter((w) => w && !/^(OR|AND|NOT)$/.test(w));
  return [
    filters.length && q && el('li', {}, `Without the ${filters.join(' and ')} ${filters.length === 1 ? 'filter' : 'filters'}: `,
      el('a', { class: 'drop-filters', 'data-nav': true, href: urlFor({ q }) }, `search all reports for ${q}`), '.'),
    q && q !== '*' && el('li', {}, 'Check the spelling: names are often spelt several ways.'),
    q.includes('"') && el('li', {}, 'A phrase in quotes must appear word for word; without the quotes its words may stand anywhere.'),
    words.length > 1 && !/\bOR\b/.test(q) && el('li', {}, 'Every word must be in a report: fewer words, or OR between them (',
      el('code', {}, words.slice(0, 2).join(' OR ')), '), find more.'),
  ].filter(Boolean);
}

function hitElement(hit, q) {
  const title = markup(hit.title, [marks(hit.title_highlights)]);
  const meta = [
    hit.publisher && el('span', { class: 'publisher' }, hit.publisher),
    hit.date && el('time', { class: 'date', datetime: hit.date }, hit.date),
    hit.dateline && el('span', { class: 'dateline' }, hit.dateline),
    hit.author && el('span', { class: 'author' }, `by ${hit.author}`),
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

// ---- events ----

function init() {
  // load() puts the view back itself, once the results it scrolls to are there.
  history.scrollRestoration = 'manual';
  initFacets();
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target); // includes #since/#until (form="search-form")
    for (const id of ['since', 'until']) if (!dateOk(id)) return;
    go(urlFor({ ...Object.fromEntries(form), offset: 0 }));
  });

  // A date applies once it is a whole YYYY-MM-DD (or emptied): not at each keystroke.
  for (const id of ['since', 'until']) {
    $(id).addEventListener('change', (event) => {
      if (dateOk(id)) go(urlFor({ ...readState(), [id]: event.target.value.trim(), offset: 0 }));
    });
    $(id).addEventListener('input', () => { $(id).removeAttribute('aria-invalid'); $('date-help').classList.remove('error-text'); });
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    // Leaving for a report (or anywhere): this entry keeps how far down it was.
    rememberScroll();
    if (!link.matches('[data-nav]')) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab etc.
    event.preventDefault();
    go(link.getAttribute('href'));
    // The clicked link is re-rendered away: move focus (and the view, e.g. from the facets
    // below the results on a phone, or the pager at the bottom) to the top of the results.
    $('total').focus();
  });
  window.addEventListener('pagehide', rememberScroll);

  window.addEventListener('popstate', load);
  load();
}

/** Whether date input `id` is empty or a YYYY-MM-DD day; if not, says how to write it. */
function dateOk(id) {
  const input = $(id);
  input.value = input.value.trim();
  const ok = input.value === '' || ISO_DAY.test(input.value);
  if (ok) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  $('date-help').classList.toggle('error-text', !ok);
  return ok;
}

init();
