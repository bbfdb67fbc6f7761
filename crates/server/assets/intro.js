// The start page (no query yet): how many reports the index holds, and searches to try drawn
// from those reports themselves (their headlines, publishers and busiest dates), so every
// example finds something whatever the index holds.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   #health                   "Search the 1,523 news reports in this index."
//   #examples > li > a        one example search each (a link that runs it)

import { el, getJson, count, reports } from './dom.js';

// Headlines read for the examples: enough to find words that recur, one request.
const SAMPLE = 100;
const $ = (id) => document.getElementById(id);

/** Adjacent words of a headline, lower-cased: letters only, so a phrase search finds them. */
function pairs(title) {
  const words = title.split(/\s+/);
  const plain = (w) => /^\p{L}{3,}$/u.test(w);
  return words.slice(1).flatMap((w, i) => (plain(words[i]) && plain(w) ? [`${words[i]} ${w}`.toLowerCase()] : []));
}

/**
 * Words (or pairs) by how many headlines hold them, most first; ties go to the longer, which
 * is seldom a word like "about". Five letters or more: shorter ones are mostly grammar.
 */
function frequent(titles, split) {
  const seen = new Map();
  for (const title of titles) for (const w of new Set(split(title))) seen.set(w, (seen.get(w) ?? 0) + 1);
  return [...seen].sort(([a, m], [b, n]) => n - m || b.length - a.length || (a < b ? -1 : 1)).map(([w]) => w);
}

const words = (title) => (title.toLowerCase().match(/\p{L}{5,}/gu) ?? []);

/** A link to `/?params` with `text` as its words and `what` saying what it shows. */
function example(params, text, what) {
  return el('li', {}, el('a', { 'data-nav': true, href: `/?${new URLSearchParams(params)}` }, text), ` — ${what}`);
}

/** The examples for this index (none for an empty one). */
async function examples(signal) {
  const [sample, facets] = await Promise.all([
    getJson('/api/search', { q: '*', limit: SAMPLE, passages: 0 }, signal),
    getJson('/api/facets', { q: '*' }, signal),
  ]);
  // A derived title is a lead sentence, not a headline: its words say less about the topics.
  const titles = sample.hits.filter((h) => !h.title_derived).map((h) => h.title);
  const [first, second] = frequent(titles, words);
  const [phrase] = frequent(titles, pairs);
  const items = [];
  if (phrase) items.push(example({ q: `"${phrase}"` }, `"${phrase}"`, 'the exact phrase'));
  if (first && second) items.push(example({ q: `${first} OR ${second}` }, `${first} OR ${second}`, 'any of the words'));
  if (first) items.push(example({ q: `title:${first}` }, `title:${first}`, 'only in headlines (also body:, publisher:, dateline:, author:)'));
  for (const p of facets.publishers.slice(0, 2)) {
    items.push(example({ publisher: p.name }, p.name, `every report it published (${reports(p.count)})`));
  }
  const busiest = facets.timeline.buckets.reduce((a, b) => (b.count > (a?.count ?? 0) ? b : a), null);
  if (busiest) {
    const days = busiest.start === busiest.end ? busiest.start : `${busiest.start} to ${busiest.end}`;
    items.push(example({ since: busiest.start, until: busiest.end }, days,
      `the busiest ${facets.timeline.interval} (${reports(busiest.count)})`));
  }
  if (sample.total > 0) items.push(example({ q: '*' }, '*', 'every report'));
  return items;
}

/** Fills the start page. */
export async function renderIntro(signal) {
  const health = await getJson('/api/health', {}, signal);
  $('health').textContent = health.reports === 0 ? 'This index holds no reports yet: index a folder of reports first.'
    : `Search the ${count(health.reports)} news reports in this index.`;
  const items = health.reports === 0 ? [] : await examples(signal);
  $('examples').replaceChildren(...items);
  $('examples-intro').hidden = items.length === 0;
}
