// The search page's facets column: publishers, languages and dates (the timeline is
// timeline.js), and on a narrow screen the Filters button that opens it above the results.
//
// Publishers and languages are lists of checkboxes: ticking several keeps reports of any of
// them. The API counts the publisher facet without the publisher filter, so the publishers
// not chosen stay listed with what choosing them would add.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   #filters-toggle        "Filters" button (shown on narrow screens only; aria-expanded)
//   #facet-panel           what it opens: the facets (always shown on wide screens)
//   #publishers li         label > input[type=checkbox][value=NAME] + name, then .count;
//                          past the first 10, li[hidden] until button.show-all is clicked
//   #languages li          the same for languages (value: the ISO 639-1 code); the section
//                          #language-facet is shown only when the index says which they are

import { el, count } from './dom.js';
import { languageName } from './hits.js';
import { timeline } from './timeline.js';
import { readState, urlFor } from './state.js';

const TOP = 10; // choices shown before "Show all N"
const $ = (id) => document.getElementById(id);

/** Wires the Filters button and the checkboxes; `go(url)` shows another search. */
export function initFacets(go) {
  $('filters-toggle').addEventListener('click', () => setOpen($('facets').dataset.open !== 'true'));
  for (const [list, param] of [['publishers', 'publisher'], ['languages', 'lang']]) {
    $(list).addEventListener('change', (event) => {
      const box = event.target;
      const s = readState();
      const chosen = s[param].filter((v) => v !== box.value).concat(box.checked ? [box.value] : []);
      go(urlFor({ ...s, [param]: chosen, offset: 0 }));
    });
  }
}

/** Opens or closes the facets on a narrow screen (wide screens always show them). */
function setOpen(open) {
  $('facets').dataset.open = String(open);
  $('filters-toggle').setAttribute('aria-expanded', String(open));
}

/** The Filters button's label: how many filters are in force. */
export function labelToggle(active) {
  $('filters-toggle').textContent = active ? `Filters (${active})` : 'Filters';
}

/**
 * Checkbox items for `entries` ({name, count}, most first), `chosen` ticked; chosen values the
 * answer does not list (a bookmarked partial name) come first, without a count.
 */
function choices(entries, chosen, param, show = (name) => name) {
  const listed = new Set(entries.map((e) => e.name));
  const all = [...chosen.filter((v) => !listed.has(v)).map((name) => ({ name })), ...entries];
  const items = all.map((e, i) => {
    const checked = chosen.includes(e.name);
    return el('li', { hidden: i >= TOP && !checked },
      el('label', {},
        el('input', { type: 'checkbox', name: param, value: e.name, checked }),
        ` ${show(e.name)}`),
      e.count == null ? null : el('span', { class: 'count' }, count(e.count)));
  });
  const hidden = items.filter((li) => li.hidden);
  if (hidden.length) {
    const more = el('button', { type: 'button', class: 'secondary show-all' }, `Show all ${count(items.length)}`);
    more.addEventListener('click', () => {
      hidden.forEach((li) => { li.hidden = false; });
      hidden[0].querySelector('input').focus(); // the button goes away: keep the focus in the list
      more.parentElement.remove();
    });
    items.push(el('li', {}, more));
  }
  return items;
}

/**
 * Renders the facets answer (or clears them when `facets` is null). `link(change)` is the
 * URL of the current search with `change` applied (and the first page).
 */
export function renderFacets(s, facets, link) {
  if (!facets) {
    for (const id of ['publishers', 'publisher-notes', 'languages', 'language-notes', 'timeline']) $(id).replaceChildren();
    return;
  }
  $('publishers').replaceChildren(...choices(facets.publishers, s.publisher, 'publisher'));
  const notes = [
    facets.publishers.length === 0 && facets.no_publisher === 0 && 'No reports.',
    facets.other_publishers > 0 && `${count(facets.other_publishers)} more from other publishers.`,
    facets.no_publisher > 0 && `${count(facets.no_publisher)} without a publisher.`,
  ].filter(Boolean);
  $('publisher-notes').textContent = notes.join(' ');
  const languages = facets.languages ?? [];
  $('language-facet').hidden = languages.length === 0 && s.lang.length === 0;
  $('languages').replaceChildren(...choices(languages, s.lang, 'lang', languageName));
  $('language-notes').textContent = facets.no_language > 0 ? `${count(facets.no_language)} in no language we could tell.` : '';
  $('timeline').replaceChildren(...timeline(facets, (since, until) => link({ since, until })));
}
