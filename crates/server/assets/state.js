// The search page's state is its URL: ?q=&publisher=…&lang=…&since=&until=&sort=&offset=
// (publisher and lang repeat: any of them), or ?like=NAME for the reports most like one.
// How the results are shown is state too: view=stories lists the stories instead of the
// hits; all_copies=true shows every copy as a hit of its own, distinct=story one hit per
// story (both as the API takes them).

/** Parameters that may repeat, each value one more choice (OR). */
const LISTS = ['publisher', 'lang'];
const SINGLE = ['q', 'since', 'until', 'sort', 'like', 'view', 'all_copies', 'distinct', 'offset'];

/** The state the current URL describes. */
export function readState() {
  const p = new URLSearchParams(location.search);
  const get = (k) => p.get(k) ?? '';
  return {
    q: get('q'), since: get('since'), until: get('until'), sort: get('sort'), like: get('like'),
    // Only the values the page offers: a mistyped bookmark shows the default, not an error.
    view: get('view') === 'stories' ? 'stories' : '',
    all_copies: get('all_copies') === 'true' ? 'true' : '',
    distinct: get('distinct') === 'story' ? 'story' : '',
    publisher: p.getAll('publisher').filter(Boolean), lang: p.getAll('lang').filter(Boolean),
    offset: Math.max(0, parseInt(get('offset'), 10) || 0),
  };
}

/** The URL of `state` (empty values left out). */
export function urlFor(state) {
  const p = new URLSearchParams();
  for (const k of SINGLE) if (state[k]) p.set(k, state[k]);
  for (const k of LISTS) for (const v of state[k] ?? []) p.append(k, v);
  const query = p.toString();
  return query ? `/?${query}` : '/';
}

/** Whether the query is only "everything" (no words): then newest first is the default order. */
export const browsing = (s) => ['', '*'].includes(s.q.trim());

/** The order the results are in: the chosen one, else the API's default for this query (stories: newest). */
export const sortOf = (s) => s.sort || (browsing(s) || s.view === 'stories' ? 'newest' : 'relevance');

/** The API parameters of the search `s` describes (filters and order; no paging). */
export function apiParams(s) {
  // An empty query with a filter means "everything the filter keeps".
  return { q: s.q.trim() || '*', since: s.since, until: s.until, publisher: s.publisher, lang: s.lang, sort: s.sort };
}

/** The parameters of `/api/search` for `s`: its filters and order, and how copies and stories collapse. */
export const searchParams = (s) => ({ ...apiParams(s), all_copies: s.all_copies, distinct: s.distinct });

/** Records how far down the current history entry is scrolled, for Back to return there. */
export function rememberScroll() {
  history.replaceState({ ...history.state, scrollY: window.scrollY }, '');
}
