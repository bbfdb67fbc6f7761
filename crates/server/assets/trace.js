// The trace page (/trace?q=CLAIM): every report carrying a claim, in time order, the first
// named, each with the passage the claim aligns to, and how many independent sources carry
// it (a copy group counts once). It calls /api/trace.
//
// Hooks (the browser test, tests/browser/, relies on these):
//   body[data-state]   "loading" while fetching, then "ready" or "error"
//   #claim             the claim input
//   #summary           "Carried by 3 reports from 2 independent sources: …"
//   #first             "First report: NAME (publisher, date)"
//   #carriers > li     one report, in time order; a.loc links to its passage in the report

import { el, getJson, markup, marks, reportHref, reports } from './dom.js';
import { dateText } from './hits.js';

const $ = (id) => document.getElementById(id);

function carrierItem(report, claim) {
  const p = report.passage;
  const meta = [
    report.publisher && el('span', { class: 'publisher' }, report.publisher),
    report.date ? el('time', { class: 'date', datetime: report.published_at || report.date }, dateText(report))
      : el('span', { class: 'date' }, 'undated'),
    el('span', { class: 'coverage' }, `${Math.round(report.coverage * 100)}% of the claim`),
  ].filter(Boolean);
  return el('li', { class: 'hit carrier' },
    el('h2', { class: 'hit-title' }, el('a', { href: reportHref(report.name, claim) }, report.title)),
    el('p', { class: 'meta' }, ...meta),
    el('p', { class: 'passage' },
      el('a', { class: 'loc', href: `${reportHref(report.name, claim)}&passage=${p.offset},${p.length}#L${p.line}` },
        `${report.name}:${p.line}`),
      el('span', { class: 'text' }, ' ', markup(p.text, [marks(p.highlights)]))));
}

function describe(report) {
  const about = [report.publisher, report.date && dateText(report)].filter(Boolean).join(', ');
  return about ? `${report.name} (${about})` : report.name;
}

async function load() {
  const claim = new URLSearchParams(location.search).get('q') ?? '';
  $('claim').value = claim;
  if (!claim.trim()) {
    document.body.dataset.state = 'ready';
    return;
  }
  try {
    const trace = await getJson('/api/trace', { q: claim });
    const c = trace.corroboration;
    const sources = `${c.independent} independent ${c.independent === 1 ? 'source' : 'sources'}`;
    const outlets = [...c.outlets, ...(c.unnamed ? [`${c.unnamed} naming no outlet`] : [])].join(', ');
    $('summary').textContent = trace.reports.length
      ? `Carried by ${reports(trace.reports.length)} from ${sources} (reprints count once): ${outlets}.`
      : `No report carries this claim (${reports(trace.candidates)} holding most of its words were aligned).`;
    $('summary').hidden = false;
    const first = trace.reports[0];
    $('first').textContent = !first ? ''
      : trace.first ? `First report: ${describe(first)}${trace.first_ties ? `, with ${reports(trace.first_ties)} of that day not told apart (no time of day)` : ''}.`
      : 'First report: unknown (no report carrying it is dated).';
    $('first').hidden = !first;
    $('carriers').replaceChildren(...trace.reports.map((r) => carrierItem(r, claim)));
    document.body.dataset.state = 'ready';
  } catch (e) {
    $('error').textContent = e.message;
    $('error').hidden = false;
    document.body.dataset.state = 'error';
  }
}

load();
