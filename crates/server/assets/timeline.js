// The timeline of the search page: reports per day, week, month or year, as bars that link
// to their dates, over an axis of dates, with each bar's count shown on hover and focus.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   #timeline .bars            the chart (role=group, aria-label "Reports per month")
//   #timeline a.slot           a bar with reports: a link to its dates with an aria-label
//                              "2024-01-01 to 2024-01-31: 1,234 reports"; span.slot.empty has none
//   #timeline .slot .bar       the bar itself (its height is its count)
//   #timeline .tip             the count label of the bar pointed at or focused (hidden otherwise)
//   #timeline .ticks .tick     the date axis

import { el, count, reports } from './dom.js';

// At the 17rem the facets column has, 48 bars leave about 5 px each: narrower ones cannot
// be pointed at, so beyond that neighbouring buckets are shown together.
const MAX_BARS = 48;

// Group sizes that keep groups on calendar boundaries (a group of 12 months is a year).
const NICE = {
  month: [1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200],
  year: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
};

/** The bucket's place on its interval's own scale, so groups start on round dates. */
function ordinal(interval, bucket, index) {
  const [year, month] = bucket.start.split('-').map(Number);
  if (interval === 'month') return year * 12 + month - 1;
  if (interval === 'year') return year;
  return index;
}

/** The buckets as at most about MAX_BARS bars, and what one bar spans. */
function bars(interval, buckets) {
  const wanted = Math.ceil(buckets.length / MAX_BARS);
  const per = (NICE[interval] ?? []).find((n) => n >= wanted) ?? wanted;
  if (per === 1) return { per, bars: buckets };
  const groups = new Map();
  buckets.forEach((b, i) => {
    const key = Math.floor(ordinal(interval, b, i) / per);
    const group = groups.get(key);
    if (group) {
      group.end = b.end;
      group.count += b.count;
    } else {
      groups.set(key, { ...b });
    }
  });
  return { per, bars: [...groups.values()] };
}

/** How a date is written on the axis: as long as the bars need. */
function short(date, interval, per) {
  if (interval === 'year' || (interval === 'month' && per % 12 === 0)) return date.slice(0, 4);
  if (interval === 'month') return date.slice(0, 7);
  return date;
}

/** Which bars get a date on the axis: both ends and a few between, spread evenly. */
function tickIndices(n, long) {
  const ticks = Math.min(n, long ? 3 : 4);
  if (ticks < 2) return [0];
  return [...new Set(Array.from({ length: ticks }, (_, k) => Math.round((k * (n - 1)) / (ticks - 1))))];
}

/** The timeline's elements for `facets`; `hrefFor(start, end)` is the link to a bar's dates. */
export function timeline(facets, hrefFor) {
  const { interval, buckets, dropped } = facets.timeline;
  const notShown = (n, kind) => (n > 0 ? el('p', { class: 'note' }, `${count(n)} ${kind} ${n === 1 ? 'report' : 'reports'} not shown.`) : null);
  // Older: dates spanning over 1,000 years keep only the latest 1,000 (year) buckets.
  const notes = [notShown(dropped, 'older'), notShown(facets.undated, 'undated')].filter(Boolean);
  if (buckets.length === 0) return [el('p', { class: 'note' }, 'No dated reports.'), ...notes];

  const { per, bars: shown } = bars(interval, buckets);
  const max = Math.max(1, ...shown.map((b) => b.count));
  // Twelve months are a year: say so.
  const [n, name] = interval === 'month' && per % 12 === 0 ? [per / 12, 'year'] : [per, interval];
  const unit = n === 1 ? name : `${n} ${name}s`;
  const tip = el('p', { class: 'tip', 'aria-hidden': 'true', hidden: true });
  const chart = el('div', { class: 'bars', role: 'group', 'aria-label': `Reports per ${unit}` });
  shown.forEach((b, i) => {
    const days = b.start === b.end ? b.start : `${b.start} to ${b.end}`;
    const label = `${days}: ${reports(b.count)}`;
    const bar = el('span', { class: 'bar' });
    // CSSOM, not a style attribute: the page's policy forbids inline styles.
    bar.style.height = `${(b.count / max) * 100}%`;
    if (!b.count) {
      chart.append(el('span', { class: 'slot empty', title: label }, bar));
      return;
    }
    // The link is the whole slot (full height), so a short bar is still easy to hit.
    const slot = el('a', { class: 'slot', href: hrefFor(b.start, b.end), 'data-nav': true, 'aria-label': label }, bar);
    const show = () => {
      tip.textContent = label;
      tip.hidden = false;
      const centre = ((i + 0.5) / shown.length) * 100;
      tip.style.left = `${centre}%`;
      // Near an end the label is anchored to that end, so it stays inside the chart.
      tip.dataset.anchor = centre < 30 ? 'start' : centre > 70 ? 'end' : 'middle';
    };
    const hide = () => { if (!chart.contains(document.activeElement)) tip.hidden = true; };
    slot.addEventListener('pointerenter', show);
    slot.addEventListener('focus', show);
    slot.addEventListener('pointerleave', () => { if (document.activeElement === slot) show(); else hide(); });
    slot.addEventListener('blur', () => { tip.hidden = true; });
    chart.append(slot);
  });

  const long = short(shown[0].start, interval, per).length > 7;
  const ticks = el('div', { class: 'ticks', 'aria-hidden': 'true' }, ...tickIndices(shown.length, long).map((i, k, all) => {
    const tick = el('span', { class: 'tick' }, short(shown[i].start, interval, per));
    tick.style.left = `${((i + 0.5) / shown.length) * 100}%`;
    tick.dataset.anchor = k === 0 && all.length > 1 ? 'start' : k === all.length - 1 && k > 0 ? 'end' : 'middle';
    return tick;
  }));
  const caption = el('p', { class: 'note' }, `Reports per ${unit}; the highest bar is ${count(max)}.`);
  return [el('div', { class: 'chart' }, tip, chart, ticks), caption, ...notes];
}
