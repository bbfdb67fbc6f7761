// The search page's facets column: publishers and dates (the timeline is timeline.js), and
// on a narrow screen the Filters button that opens it above the results.
//
// Hooks (tests/browser/check-page.mjs relies on these):
//   #filters-toggle        "Filters" button (shown on narrow screens only; aria-expanded)
//   #facet-panel           what it opens: the facets (always shown on wide screens)
//   #publishers a          publisher facet links (a[aria-current] = active, links to the URL
//                          without it), .count; past the first 10, li[hidden] until
//                          button.show-all ("Show all N publishers") is clicked

import { el, count } from './dom.js';
import { timeline } from './timeline.js';

const TOP_PUBLISHERS = 10; // shown before "Show all N publishers"
const $ = (id) => document.getElementById(id);

/** Wires the Filters button. */
export function initFacets() {
  $('filters-toggle').addEventListener('click', () => setOpen($('facets').dataset.open !== 'true'));
}

/** Opens or closes the facets on a narrow screen (wide screens always show them). */
export function setOpen(open) {
  $('facets').dataset.open = String(open);
  $('filters-toggle').setAttribute('aria-expanded', String(open));
  if (open) $('facet-panel').querySelector('h2')?.scrollIntoView({ block: 'nearest' });
}

/** The Filters button's label: how many filters are in force. */
export function labelToggle(active) {
  $('filters-toggle').textContent = active ? `Filters (${active})` : 'Filters';
}

/**
 * Renders the facets answer (or clears them when `facets` is null). `link(change)` is the
 * URL of the current search with `change` applied (and the first page).
 */
export function renderFacets(s, facets, link) {
  if (!facets) {
    for (const id of ['publishers', 'publisher-notes', 'timeline']) $(id).replaceChildren();
    return;
  }
  const items = facets.publishers.map((p, i) => {
    const active = p.name === s.publisher; // its link removes the filter
    return el('li', { hidden: i >= TOP_PUBLISHERS && !active },
      el('a', {
        'data-nav': true, href: link({ publisher: active ? '' : p.name }),
        'aria-current': active ? 'true' : null, title: active ? 'Remove this filter' : null,
      }, p.name),
      el('span', { class: 'count' }, count(p.count)));
  });
  const hidden = items.filter((li) => li.hidden);
  if (hidden.length) {
    const more = el('button', { type: 'button', class: 'secondary show-all' },
      `Show all ${count(items.length)} publishers`);
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
    facets.other_publishers > 0 && `${count(facets.other_publishers)} more from other publishers.`,
    facets.no_publisher > 0 && `${count(facets.no_publisher)} without a publisher.`,
  ].filter(Boolean);
  $('publisher-notes').textContent = notes.join(' ');
  $('timeline').replaceChildren(...timeline(facets, (since, until) => link({ since, until })));
}
