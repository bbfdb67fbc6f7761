// The search page (/): search form, hits, facets (facets.js, timeline.js), paging, and the
// start page (intro.js) when there is no query.
//
// The URL is the state (state.js: ?q=&publisher=&lang=&since=&until=&sort=&offset=, or
// ?like=NAME for the reports most like one: "same story elsewhere"; view=stories shows the
// search's stories (stories.js) instead of its hits, all_copies=true and distinct=story
// change how its hits collapse). Every change is a
// history.pushState followed by load(), and Back/Forward run load() again (popstate), so
// any view can be bookmarked and shared. Links are real <a href> links to those URLs;
// clicks on links marked data-nav are only intercepted to spare a full page load.
// Each history entry remembers how far down it was scrolled, and load() goes back there
// once its results are in: coming Back from a report, the reader is where they left.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   body[data-state]        "loading" while fetching, then "ready" or "error"
//   #search-form, #q        the search form and its query input
//   #error                  one-line error message under the search box (hidden if none)
//   #intro                  shown when there is no query
//   #filters a.remove-filter   one link per active filter, to the URL without it
//   #total                  "1–10 of 1,523 reports"; when nothing matched, "Did you mean" with
//                           one a.suggestion per suggestion (a link that runs it)
//   #hints li               when nothing matched: what to try; a.drop-filters runs the query
//                           without its filters
//   #results > li.hit       one hit (hits.js); li.tier marks where the reports matching
//                           most of the words begin
//   #views a#view-reports, a#view-stories   the search as hits or as stories (aria-current
//                           on the one shown)
//   #results > li.story     one story (stories.js), in the stories view
//   #tools                  select#sort (relevance, newest, oldest), a#export-csv, a#export-jsonl;
//                           #switches (hits only): input#all-copies ("Show every copy"),
//                           input#one-per-story ("One hit per story")
//   #like                   "Reports most like" a#like-report, shown on a ?like= view
//   #pager a#prev, a#next   paging links (hidden when there is no such page)
//   #since, #until          the date inputs (text, YYYY-MM-DD)

import { el, getJson, reportHref, count, reports } from './dom.js';
import { initFacets, labelToggle, renderFacets } from './facets.js';
import { hitItems, languageName } from './hits.js';
import { renderIntro } from './intro.js';
import { apiParams, readState, rememberScroll, searchParams, sortOf, urlFor } from './state.js';
import { storyElement } from './stories.js';

const PAGE = 10;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function go(url) {
  rememberScroll();
  // The same view again (a date's change event, then the form's submit) adds no history entry.
  if (url !== location.pathname + location.search) history.pushState(null, '', url);
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
  const scrollY = history.state?.scrollY; // set when this entry was left: restore it
  $('q').value = s.q;
  $('since').value = s.since;
  $('until').value = s.until;
  inFlight?.abort();
  const controller = (inFlight = new AbortController());
  showError('');
  renderFilters(s);
  document.body.dataset.state = 'loading';

  const searching = Boolean(s.q.trim() || s.publisher.length || s.lang.length || s.since || s.until);
  $('intro').hidden = searching || Boolean(s.like);
  $('facets').hidden = !searching || Boolean(s.like);
  $('tools').hidden = !searching || Boolean(s.like);
  $('views').hidden = !searching || Boolean(s.like);
  $('like').hidden = !s.like;
  if (!searching && !s.like) {
    document.title = 'Dateline';
    clearResults();
    return finish(controller, renderIntro(controller.signal));
  }

  $('results').setAttribute('aria-busy', 'true');
  // Render each answer as it comes (clearing its part on failure), unless a newer load
  // took over: then this one's answers, even its AbortErrors, must not touch the page.
  const current = () => controller === inFlight;
  const into = (render) => [
    (answer) => { if (current()) render(s, answer); },
    (e) => { if (current()) render(s, null); throw e; },
  ];
  const page = { limit: PAGE, offset: s.offset };
  let work;
  if (s.like) {
    document.title = `Like ${s.like} – Dateline`;
    $('like-report').href = reportHref(s.like);
    $('like-report').textContent = s.like;
    work = getJson('/api/similar', { path: s.like, ...page }, controller.signal).then(...into(renderHits));
  } else {
    document.title = `${s.q.trim() || 'Filtered'}${s.view === 'stories' ? ': stories' : ''} – Dateline`;
    renderTools(s);
    renderViews(s);
    const link = (change) => urlFor({ ...s, ...change, offset: 0 });
    const common = apiParams(s);
    // One story more than shown: whether there is a next page (the answer counts reports, not stories).
    const results = s.view === 'stories'
      ? getJson('/api/stories', { ...common, limit: PAGE + 1, offset: s.offset }, controller.signal).then(...into(renderStories))
      : getJson('/api/search', { ...searchParams(s), ...page }, controller.signal).then(...into(renderHits));
    work = Promise.all([
      results,
      getJson('/api/facets', common, controller.signal)
        .then(...into((state, answer) => renderFacets(state, answer, link))),
    ]);
  }
  await finish(controller, work);
  if (!current()) return;
  $('results').removeAttribute('aria-busy');
  if (scrollY != null) window.scrollTo(0, scrollY);
}

/** The order control, the switches and the export links, for search `s`. */
function renderTools(s) {
  $('sort').value = sortOf(s);
  // Stories list every report of a story: collapsing copies or stories is for hits only.
  $('switches').hidden = s.view === 'stories';
  $('all-copies').checked = s.all_copies === 'true';
  $('one-per-story').checked = s.distinct === 'story';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(apiParams(s))) for (const one of [].concat(v)) if (one) params.append(k, one);
  for (const format of ['csv', 'jsonl']) {
    params.set('format', format);
    $(`export-${format}`).href = `/api/export?${params}`;
  }
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

/** The Reports and Stories links: the current search in each view, the one shown marked. */
function renderViews(s) {
  for (const [id, view] of [['view-reports', ''], ['view-stories', 'stories']]) {
    $(id).href = urlFor({ ...s, view, offset: 0 });
    if (s.view === view) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
}

const FILTERS = [['publisher', 'Publisher'], ['lang', 'Language'], ['since', 'From'], ['until', 'To']];

/** Each filter value in force: [parameter, label, value]. */
const activeFilters = (s) => FILTERS.flatMap(([k, label]) => [].concat(s[k] || []).map((v) => [k, label, v]));

function renderFilters(s) {
  const active = activeFilters(s);
  const without = (k, v) => urlFor({ ...s, [k]: Array.isArray(s[k]) ? s[k].filter((x) => x !== v) : '', offset: 0 });
  const items = active.map(([k, label, v]) => {
    const shown = k === 'lang' ? languageName(v) : v;
    return el('li', {}, el('a', {
      class: 'remove-filter', 'data-nav': true, href: without(k, v), 'aria-label': `Remove filter ${label}: ${shown}`,
    }, `${label}: ${shown}`, el('span', { 'aria-hidden': 'true' }, ' ×')));
  });
  $('filters').replaceChildren(...items);
  labelToggle(active.length);
}

/** Empties the results (their answer failed, or there is no search). */
function clearResults() {
  for (const id of ['total', 'hints', 'results']) $(id).replaceChildren();
  $('pager').hidden = true;
}

function renderHits(s, result) {
  if (!result) return clearResults();
  const { total, hits } = result;
  const range = `${count(s.offset + 1)}–${count(s.offset + hits.length)}`;
  $('total').textContent = total === 0 ? 'No reports match.'
    : hits.length === 0 ? `No more results: ${reports(total)} in all.`
      // `total` counts reports: with one hit per story, fewer hits than that are the whole answer.
      : s.distinct ? `${range}, one per story, of ${reports(total)}`
        : hits.length === total ? reports(total)
          // A short page is the last: the reports not shown are copies folded into its hits.
          : hits.length < PAGE && s.all_copies !== 'true' ? `${range}, each with its copies, of ${reports(total)}`
            : `${range} of ${reports(total)}`;
  const suggestions = total === 0 ? (result.suggestions ?? []) : [];
  if (suggestions.length) {
    const links = suggestions.flatMap((q, i) => [i ? ', ' : '',
      el('a', { class: 'suggestion', 'data-nav': true, href: urlFor({ ...s, q, offset: 0 }) }, q)]);
    $('total').append(' Did you mean ', ...links, '?');
  }
  $('hints').replaceChildren(...(total === 0 ? hints(s) : []));
  $('results').replaceChildren(...hitItems(result, s.q.trim()));
  // Copies and stories collapse into one hit each: a page short of full is the last one.
  renderPager(s, total, hits.length === PAGE && s.offset + hits.length < total);
}

/** The stories view: the stories of the search's best-ranked reports, one page of them. */
function renderStories(s, answer) {
  if (!answer) return clearResults();
  const { total } = answer;
  const shown = answer.stories.slice(0, PAGE);
  const more = answer.stories.length > PAGE;
  const many = (n) => (n === 1 ? '1 story' : `${count(n)} stories`);
  $('total').textContent = total === 0 ? 'No reports match.'
    : shown.length === 0 ? `No more stories: ${reports(total)} matched.`
      : s.offset === 0 && !more ? `${many(shown.length)} of ${reports(total)}`
        : `Stories ${count(s.offset + 1)}–${count(s.offset + shown.length)} of ${reports(total)}`;
  $('hints').replaceChildren(...(total === 0 ? hints(s) : []));
  const q = s.q.trim();
  const bar = (since, until) => urlFor({ ...s, view: '', since, until, offset: 0 });
  $('results').replaceChildren(...shown.map((story) => storyElement(story, q, bar)));
  renderPager(s, total, more);
}

/** The Previous and Next links around page `s.offset`; `more`: whether a next page has results. */
function renderPager(s, total, more) {
  const prev = $('prev'), next = $('next');
  prev.hidden = s.offset === 0;
  prev.href = urlFor({ ...s, offset: Math.max(0, Math.min(s.offset, total) - PAGE) });
  next.hidden = !more;
  next.href = urlFor({ ...s, offset: s.offset + PAGE });
  $('pager').hidden = prev.hidden && next.hidden;
}

/** What to try when nothing matched, for this search. */
function hints(s) {
  const q = s.q.trim();
  const filters = [...new Set(activeFilters(s).map(([k]) => ({ publisher: 'publisher', lang: 'language' })[k] ?? 'date'))];
  const words = q.split(/\s+/).filter((w) => w && !/^(OR|AND|NOT)$/.test(w));
  return [
    filters.length && q && el('li', {}, `Without the ${filters.join(' and ')} ${filters.length === 1 ? 'filter' : 'filters'}: `,
      el('a', { class: 'drop-filters', 'data-nav': true, href: urlFor({ q }) }, `search all reports for ${q}`), '.'),
    q && q !== '*' && el('li', {}, 'Check the spelling: names are often spelt several ways.'),
    q.includes('"') && el('li', {}, 'A phrase in quotes must appear word for word; without the quotes its words may stand anywhere.'),
    words.length > 1 && !/\bOR\b/.test(q) && el('li', {}, 'Fewer words, or OR between them (',
      el('code', {}, words.slice(0, 2).join(' OR ')), '), find more.'),
  ].filter(Boolean);
}

// ---- events ----

function init() {
  // load() puts the view back itself, once the results it scrolls to are there.
  history.scrollRestoration = 'manual';
  initFacets(go);
  $('sort').addEventListener('change', () => {
    const s = readState();
    const sort = $('sort').value;
    go(urlFor({ ...s, sort: sort === sortOf({ ...s, sort: '' }) ? '' : sort, offset: 0 }));
  });
  // A switch keeps the focus where it is: only the results below it change.
  for (const [id, param, on] of [['all-copies', 'all_copies', 'true'], ['one-per-story', 'distinct', 'story']]) {
    $(id).addEventListener('change', () => go(urlFor({ ...readState(), [param]: $(id).checked ? on : '', offset: 0 })));
  }
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    for (const id of ['since', 'until']) if (!dateOk(id)) return;
    // A new query keeps the filters and order in force, and starts at its first page.
    go(urlFor({ ...readState(), q: $('q').value, since: $('since').value, until: $('until').value, like: '', offset: 0 }));
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
