// The search page's stories view (?view=stories): the stories of the query's best-ranked
// reports, as /api/stories lists them, each with its first report, its reports over time
// (drawn by timeline.js, as the results' timeline is), its outlets, and how many of its
// reports are independent and how many are copies of another.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   #results > li.story   one story
//     .hit-title a        its first report's headline, a link to /report
//     p.first             "First report" .publisher · .date
//     p.counts            "6 reports · 5 independent · 1 copy · 3 outlets · 2024-01-31 to 2024-02-01"
//     p.outlets           "Independent sources · The Rio Times · Emily’s Hope · 3 naming no outlet"
//     p.best a            the report that matched the query best, when it is not the first
//     .timeline           its reports per day (or month, or year): timeline.js's hooks

import { el, count, reportHref, reports } from './dom.js';
import { timeline } from './timeline.js';

const DAY = 86_400_000;
// A story of up to two months is drawn day by day, of up to five years month by month.
const DAYS_AT_MOST = 62;
const MONTHS_AT_MOST = 60;

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The buckets from `first` to `last` (YYYY-MM-DD), one per `interval`, with their reports. */
function buckets(interval, days) {
  const first = Date.parse(days[0].date);
  const last = Date.parse(days.at(-1).date);
  const keyOf = { day: (d) => d, month: (d) => d.slice(0, 7), year: (d) => d.slice(0, 4) }[interval];
  const counts = new Map();
  for (const d of days) counts.set(keyOf(d.date), (counts.get(keyOf(d.date)) ?? 0) + d.reports);
  const out = [];
  // Empty days (months, years) between stay as empty bars: the axis is time, not reports.
  for (let at = new Date(first); at.getTime() <= last;) {
    const start = iso(at.getTime());
    if (interval === 'day') at.setUTCDate(at.getUTCDate() + 1);
    else if (interval === 'month') at.setUTCMonth(at.getUTCMonth() + 1, 1);
    else at.setUTCFullYear(at.getUTCFullYear() + 1, 0, 1);
    // A bucket ends the day before the next begins; the first starts on the first report's day.
    out.push({ start, end: iso(at.getTime() - DAY), count: counts.get(keyOf(start)) ?? 0 });
  }
  return out;
}

/** A story's timeline in the shape of the facets answer, which timeline.js draws. */
export function storyFacets(story) {
  const days = story.timeline;
  if (days.length === 0) return { timeline: { interval: 'day', buckets: [], dropped: 0 }, undated: story.undated };
  const span = (Date.parse(days.at(-1).date) - Date.parse(days[0].date)) / DAY;
  const interval = span < DAYS_AT_MOST ? 'day' : span < MONTHS_AT_MOST * 30.5 ? 'month' : 'year';
  return { timeline: { interval, buckets: buckets(interval, days), dropped: 0 }, undated: story.undated };
}

/** The story's days: "2024-01-31", "2024-01-31 to 2024-02-01" or "undated". */
function daysText(story) {
  if (!story.first_date) return 'undated';
  return story.first_date === story.last_date ? story.first_date : `${story.first_date} to ${story.last_date}`;
}

/**
 * The list item of `story`; `q` is the query (for the report page to mark its words) and
 * `hrefFor(since, until)` the link of a bar of its timeline.
 */
export function storyElement(story, q, hrefFor) {
  const first = story.first_report;
  const best = story.best_match;
  const c = story.corroboration;
  const sources = [...c.outlets, ...(c.unnamed ? [`${count(c.unnamed)} naming no outlet`] : [])];
  return el('li', { class: 'story' },
    el('h2', { class: 'hit-title' }, el('a', { href: reportHref(first.name, q) }, first.title)),
    el('p', { class: 'meta first' },
      el('span', {}, 'First report'),
      first.publisher && el('span', { class: 'publisher' }, first.publisher),
      first.date ? el('time', { class: 'date', datetime: first.date }, first.date)
        : el('span', { class: 'date' }, 'undated')),
    el('p', { class: 'meta counts' },
      el('span', {}, reports(story.reports)),
      el('span', {}, `${count(story.independent)} independent`),
      el('span', {}, story.copies === 1 ? '1 copy' : `${count(story.copies)} copies`),
      el('span', {}, story.outlets === 1 ? '1 outlet' : `${count(story.outlets)} outlets`),
      el('span', {}, daysText(story))),
    sources.length ? el('p', { class: 'meta outlets' },
      el('span', {}, 'Independent sources'), ...sources.map((name) => el('span', {}, name))) : null,
    best.name === first.name ? null : el('p', { class: 'meta best' },
      el('span', {}, 'Best match'), el('a', { href: reportHref(best.name, q) }, best.title)),
    el('div', { class: 'timeline' }, ...timeline(storyFacets(story), hrefFor)));
}
