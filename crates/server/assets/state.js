// The search page's state is its URL: ?q=&publisher=…&lang=…&since=&until=&sort=&offset=
// (publisher and lang repeat: any of them), or ?like=NAME for the reports most like one.

/** Parameters that may repeat, each value one more choice (OR). */
const LISTS = ['publisher', 'lang'];
const SINGLE = ['q', 'since', 'until', 'sort', 'like', 'offset'];

/** The state the current URL describes. */
export function readState() {
  const p = new URLSearchParams(location.search);
  const get = (k) => p.get(k) ?? '';
  return {
    q: get('q'), since: get('since'), until: get('until'), sort: get('sort'), like: get('like'),
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

/** The order the results are in: the chosen one, else the API's default for this query. */
export const sortOf = (s) => s.sort || (browsing(s) ? 'newest' : 'relevance');

/** The API parameters of the search `s` describes (filters and order; no paging). */
export function apiParams(s) {
  // An empty query with a filter means "everything the filter keeps".
  return { q: s.q.trim() || '*', since: s.since, until: s.until, publisher: s.publisher, lang: s.lang, sort: s.sort };
}

/** Records how far down the current history entry is scrolled, for Back to return there. */
export function rememberScroll() {
  history.replaceState({ ...history.state, scrollY: window.scrollY }, '');
}
