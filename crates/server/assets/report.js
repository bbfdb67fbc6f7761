// The report page (/report?path=NAME&q=QUERY&passage=OFFSET,LENGTH#L<n>): a report's
// metadata and every body line, numbered, with the query's words and the passage marked.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   body[data-state]     "loading", then "ready" or "error"
//   #error               one-line message (hidden if none): the error, or with the report
//                        shown, why the query's words are not marked (a malformed q)
//   #back                link back to the results (/?q=…)
//   #title, #meta        headline; a <dl> with dd.publisher, .date, .dateline, .author, .url, .name
//   #lines > .line#L<n>  one body line: a.ln (its number, a link to #L<n>) + .text
//   .line .passage       the part of a line inside the passage= range
//   .line mark           the query's words
//   .line.target         the line named by the #L<n> fragment (also styled via :target)
//   #similar             "Same story elsewhere": li > a (to the report) + .meta, the reports
//                        most like this one (hidden when there are none); a#similar-all
//                        lists them all on the search page

import { el, getJson, markup, marks, reportHref } from './dom.js';
import { similarHref } from './hits.js';

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const params = new URLSearchParams(location.search);
const name = params.get('path') ?? '';
const q = params.get('q') ?? '';
const SIMILAR = 5; // reports listed under "Same story elsewhere"

/** passage=OFFSET,LENGTH: a byte range in the file, or null. */
function passageRange() {
  const m = /^(\d+),(\d+)$/.exec(params.get('passage') ?? '');
  return m ? { start: Number(m[1]), end: Number(m[1]) + Number(m[2]) } : null;
}

/** The passage's part of a line, as a range into the line's text (or none). */
function passageInLine(line, passage) {
  if (!passage || passage.end <= line.offset || line.offset + line.length <= passage.start) return [];
  // A line whose text is not its file bytes (it was decoded from another encoding) cannot
  // be cut by file offsets: mark all of it.
  if (encoder.encode(line.text).length !== line.length) return [{ start: 0, end: Infinity }];
  return [{ start: passage.start - line.offset, end: passage.end - line.offset }];
}

function backLink() {
  // Coming from the results page, go back to exactly that view (filters, page) ...
  try {
    const from = new URL(document.referrer);
    if (from.origin === location.origin && from.pathname === '/') return from.pathname + from.search;
  } catch { /* no or foreign referrer */ }
  // ... otherwise to a search for the same query.
  return q ? `/?${new URLSearchParams({ q })}` : '/';
}

function renderMeta(report) {
  const rows = [];
  const row = (label, cls, ...value) => rows.push(el('dt', {}, label), el('dd', { class: cls }, ...value));
  if (report.publisher) row('Publisher', 'publisher', report.publisher);
  if (report.date) row(report.date_crawled ? 'Crawled' : 'Date', 'date', el('time', { datetime: report.date }, report.date));
  if (report.dateline) row('Dateline', 'dateline', report.dateline);
  if (report.author) row('Author', 'author', report.author);
  if (report.url) {
    // Only web links become links: no javascript: or file: URLs from a report's text.
    const web = /^https?:\/\//i.test(report.url);
    row('Source', 'url', web ? el('a', { href: report.url, rel: 'noopener noreferrer' }, report.url) : report.url);
  }
  row('File', 'name', report.name);
  $('meta').replaceChildren(...rows);
}

function renderLines(report, passage) {
  const lines = report.lines.map((line) => {
    const inPassage = passageInLine(line, passage);
    const layers = [{ ranges: inPassage, make: () => el('span', { class: 'passage' }) }, marks(line.highlights)];
    return el('div', { class: inPassage.length ? 'line in-passage' : 'line', id: `L${line.line}` },
      el('a', { class: 'ln', href: `#L${line.line}`, 'aria-label': `Line ${line.line}` }, String(line.line)),
      el('span', { class: 'text' }, markup(line.text, layers)));
  });
  $('lines').replaceChildren(...lines);
}

/** The lines arrive after the browser looked for #L<n>, so scroll to it ourselves. */
function showTarget() {
  document.querySelector('.line.target')?.classList.remove('target');
  const target = /^#L\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1))
    : document.querySelector('.line.in-passage');
  if (!target) return;
  target.classList.add('target');
  // A line can be very long (a whole report on one line): show its passage, else its first
  // match, rather than the middle of the line.
  const spot = target.querySelector('.passage') ?? target.querySelector('mark') ?? target;
  spot.scrollIntoView({ block: 'center' });
}

async function main() {
  $('q').value = q;
  $('back').href = backLink();
  try {
    if (!name) throw new Error('No report given: this page needs ?path=NAME (a link from the results).');
    const report = await getJson('/api/report', { path: name, q }).catch((e) => {
      if (e.status !== 400 || !q) throw e;
      // The query is malformed: show the report anyway, without its words marked.
      showError(`The search words could not be marked: ${e.message}`);
      return getJson('/api/report', { path: name });
    });
    document.title = `${report.title} – Dateline`;
    const title = markup(report.title, [marks(report.title_highlights)]);
    $('title').replaceChildren(...(report.title_derived
      ? [el('em', {}, title), el('span', { class: 'note' }, ' lead; no headline')] : [title]));
    renderMeta(report);
    renderLines(report, passageRange());
    $('report').hidden = false;
    showTarget();
    await renderSimilar();
    document.body.dataset.state = 'ready';
  } catch (e) {
    showError(e.message);
    document.body.dataset.state = 'error';
  }
}

/** The few reports most like this one: the same story from other outlets. */
async function renderSimilar() {
  let similar;
  try {
    similar = await getJson('/api/similar', { path: name, limit: SIMILAR, passages: 0 });
  } catch (e) {
    // The report is shown: say what is missing below it rather than failing the page.
    $('similar-hits').replaceChildren(el('li', { class: 'note' }, `Could not look for them: ${e.message}`));
    $('similar').hidden = false;
    return;
  }
  const items = similar.hits.map((hit) => el('li', {},
    el('a', { href: reportHref(hit.name) }, hit.title_derived ? el('em', {}, hit.title) : hit.title),
    el('span', { class: 'meta' }, ...[hit.publisher, hit.date].filter(Boolean).map((v) => ` · ${v}`))));
  $('similar-hits').replaceChildren(...items);
  $('similar-all').href = similarHref(name);
  $('similar').hidden = items.length === 0;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

window.addEventListener('hashchange', showTarget);
main();
