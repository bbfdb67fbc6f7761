// One search hit as the results list shows it, and the marker between the reports that
// matched every word of the query and those matching most of them.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   li.hit                  .hit-title a (headline link to /report),
//                           .meta .publisher / .date / .dateline / .author / .language,
//                           li.passage > a.loc ("name:line" link), a.trace ("Trace this":
//                           /trace with the passage as the claim) + .text (with <mark>s),
//                           p.copies ("Also ran in": a link per other copy, "+N more"),
//                           p.story (its story: reports, outlets, independent ones, days),
//                           a.similar ("Same story elsewhere": /?like=NAME)
//   li.tier                 "N reports matched every word; below, reports matching most of them"

import { el, markup, marks, reportHref, reports } from './dom.js';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "German" for "de"; the code itself for one the browser cannot name. */
export function languageName(code) {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code; // not a well-formed language tag
  }
}

/** The link to the reports most like report `name` (the same story from other outlets). */
export const similarHref = (name) => `/?${new URLSearchParams({ like: name })}`;

/** The trace page for a passage: the reports carrying its text, the first of them named. */
export const traceHref = (text) => `/trace?${new URLSearchParams({ q: text })}`;

/**
 * A hit's date as shown: the day, or the moment in UTC when the report states a time of day;
 * the report's own day first when that moment falls on another day in UTC (as the CLI shows it).
 */
export const dateText = (hit) => {
  if (hit.date_crawled) return `crawled ${hit.date}`;
  if (!hit.published_at) return hit.date;
  const utc = `${hit.published_at.slice(0, 16).replace('T', ' ')} UTC`;
  return utc.startsWith(hit.date) ? utc : `${hit.date} (${utc})`;
};

/** The list item for `hit`; `q` is the query, for the report page to mark its words. */
export function hitElement(hit, q) {
  const title = markup(hit.title, [marks(hit.title_highlights)]);
  const meta = [
    hit.publisher && el('span', { class: 'publisher' }, hit.publisher),
    hit.date && el('time', { class: 'date', datetime: hit.published_at || hit.date }, dateText(hit)),
    hit.dateline && el('span', { class: 'dateline' }, hit.dateline),
    hit.author && el('span', { class: 'author' }, `by ${hit.author}`),
    hit.language && el('span', { class: 'language' }, languageName(hit.language)),
    hit.passages.length === 0 && el('span', { class: 'name' }, hit.name),
  ].filter(Boolean);
  const passages = hit.passages.map((p) => el('li', { class: 'passage' },
    el('a', { class: 'loc', href: `${reportHref(hit.name, q)}&passage=${p.offset},${p.length}#L${p.line}` },
      `${hit.name}:${p.line}`),
    // Named after its passage: ten links called "Trace this" would not say which is which.
    el('a', { class: 'trace', href: traceHref(p.text), 'aria-label': `Trace this: who else carried ${hit.name}:${p.line}` },
      'Trace this'),
    el('p', { class: 'text' }, markup(p.text, [marks(p.highlights)]))));
  return el('li', { class: 'hit' },
    el('h2', { class: 'hit-title' },
      el('a', { href: reportHref(hit.name, q) }, hit.title_derived ? el('em', {}, title) : title),
      hit.title_derived ? el('span', { class: 'note' }, ' lead; no headline') : null),
    meta.length ? el('p', { class: 'meta' }, ...meta) : null,
    passages.length ? el('ul', { class: 'passages' }, ...passages) : null,
    copiesElement(hit, q),
    storyElement(hit),
    // Named after its hit: a list of links read out of context is not ten alike.
    el('p', { class: 'more' }, el('a', {
      class: 'similar', 'data-nav': true, href: similarHref(hit.name), 'aria-label': `Same story elsewhere: ${hit.title}`,
    }, 'Same story elsewhere')));
}

/** "Also ran in: The Hill · Yahoo News · +12 more": the other reports of the hit's copy group. */
function copiesElement(hit, q) {
  const copies = hit.copies;
  if (!copies || copies.count < 2) return null;
  const links = copies.also_ran_in.map((c) => el('a', { href: reportHref(c.name, q) }, c.publisher || c.name));
  const rest = copies.count - 1 - copies.also_ran_in.length;
  return el('p', { class: 'meta copies' },
    el('span', {}, copies.earliest ? 'Ran first; also ran in' : 'Also ran in'),
    ...links,
    rest > 0 ? el('span', {}, `+${rest} more`) : null);
}

/** "Story: 5 reports · 2 outlets · 5 independent · 2024-01-31": the event the hit reports. */
function storyElement(hit) {
  const story = hit.story;
  if (!story || !story.id) return null;
  const days = story.first_date === story.last_date ? story.first_date
    : `${story.first_date} to ${story.last_date}`;
  return el('p', { class: 'meta story' },
    el('span', {}, `Story: ${reports(story.reports)}`),
    el('span', {}, story.outlets === 1 ? '1 outlet' : `${story.outlets} outlets`),
    el('span', {}, `${story.independent} independent`),
    story.first_date ? el('span', {}, days) : el('span', {}, 'undated'));
}

/**
 * The results' list items: each hit, and before the first that does not match every word,
 * the marker saying so (at the top of a later page that starts below it).
 */
export function hitItems(result, q) {
  const items = result.hits.map((h) => hitElement(h, q));
  const every = result.matched_every_word;
  const first = result.hits.findIndex((h) => h.matches_every_word === false);
  if (every == null || first < 0) return items;
  const text = every === 0 ? 'No report matched every word; these match most of them.'
    : `${reports(every)} matched every word; below, reports matching most of them.`;
  items.splice(first, 0, el('li', { class: 'tier' }, text));
  return items;
}
