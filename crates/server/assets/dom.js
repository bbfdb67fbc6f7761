// Helpers both pages share: building elements, marking ranges of text, fetching JSON.
//
// Report text reaches the page only as text nodes (append of strings, createTextNode),
// never as HTML: a report containing <script> shows it as text.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const numbers = new Intl.NumberFormat('en');

/** An element with attributes (null/false ones left out) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v != null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

/**
 * `text` as a fragment with ranges wrapped. The API's ranges count UTF-8 bytes, not JS
 * string indices (they differ past any curly quote or dash), so we cut the encoded bytes.
 * layers: [{ranges: [{start, end}], make: () => Element}], outermost first; a piece of text
 * inside several layers' ranges is wrapped by each.
 */
export function markup(text, layers = []) {
  const bytes = encoder.encode(text);
  const n = bytes.length;
  // Clip to the text and move off the middle of a multi-byte character (10xxxxxx bytes).
  const snap = (i, step) => {
    i = Math.max(0, Math.min(n, i));
    while (i > 0 && i < n && (bytes[i] & 0xc0) === 0x80) i += step;
    return i;
  };
  const spans = layers.map((layer) =>
    (layer.ranges || [])
      .map((r) => [snap(r.start, -1), snap(r.end, 1)])
      .filter(([a, b]) => a < b));
  const cuts = new Set([0, n]);
  spans.flat().forEach(([a, b]) => cuts.add(a).add(b));
  const points = [...cuts].sort((x, y) => x - y);
  const fragment = document.createDocumentFragment();
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    let node = document.createTextNode(decoder.decode(bytes.subarray(a, b)));
    for (let j = layers.length - 1; j >= 0; j--) {
      if (spans[j].some(([s, e]) => s <= a && b <= e)) {
        const wrapper = layers[j].make();
        wrapper.append(node);
        node = wrapper;
      }
    }
    fragment.append(node);
  }
  return fragment;
}

/** The highlight layer for query matches. */
export const marks = (ranges) => ({ ranges, make: () => el('mark') });

/** GET path?params as JSON (an array value repeats its parameter); throws an Error with the server's one-line message (and .status). */
export async function getJson(path, params = {}, signal) {
  const query = new URLSearchParams();
  for (const [k, values] of Object.entries(params)) {
    // An array is a repeated parameter (publisher=A&publisher=B).
    for (const v of [].concat(values)) if (v !== '' && v != null) query.append(k, v);
  }
  let response;
  try {
    response = await fetch(`${path}?${query}`, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error('Could not reach the Dateline server (is `dateline serve` still running?)');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.error || `The server answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  if (body == null) throw new Error('The server answered with something that is not JSON');
  return body;
}

/** A link to a report, with the query so the report page can mark its words. */
export function reportHref(name, q) {
  // Slashes may stay as they are in a query string; readable paths make readable links.
  const path = encodeURIComponent(name).replaceAll('%2F', '/');
  return `/report?path=${path}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
}

/** A count with thousands separators, as the page's language writes it (1,523). */
export const count = (n) => numbers.format(n);

/** "1 report", "1,523 reports". */
export const reports = (n) => `${count(n)} ${n === 1 ? 'report' : 'reports'}`;
