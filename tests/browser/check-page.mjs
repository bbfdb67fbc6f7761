// Drives `dateline serve`'s pages in headless Chromium, as a person would.
//
//   node tests/browser/check-page.mjs BASE_URL ARTIFACT_DIR
//
// BASE_URL is a running server over the bundled reports, a reprint of one of them, the
// hostile one (see step 7) and 1,500 Reuters reports of 1987;
// screenshots go to ARTIFACT_DIR. Prints "ok N …" per step; on the first failure prints
// "not ok N …: why" and exits 1. Any page error, console error, dialog or request to another
// host fails the step it happens in. CHROMIUM overrides the browser (default /usr/bin/chromium).
// The element hooks used here are listed at the top of crates/server/assets/*.js.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import { errorSteps, searchSteps } from './steps-search.mjs';
import { issue12Steps } from './steps-issue12.mjs';
import { traceSteps } from './steps-trace.mjs';
import { issue13Steps } from './steps-issue13.mjs';
import { storiesSteps } from './steps-stories.mjs';
import { switchesSteps } from './steps-switches.mjs';

const [given, artifacts] = process.argv.slice(2);
if (!given || !artifacts) {
  console.error('usage: node check-page.mjs BASE_URL ARTIFACT_DIR');
  process.exit(2);
}
const base = given.replace(/\/+$/, ''); // the server prints its URL with a trailing slash
const origin = new URL(base).origin;
mkdirSync(artifacts, { recursive: true });

const problems = []; // what went wrong in the page since the last step
let allowFailedLoads = false; // the error steps ask for 400/404 answers, which Chromium logs as errors

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// en-US: the locale whose date inputs would read mm/dd/yyyy.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (new URL(url).origin === origin) return route.continue();
  problems.push(`request to another host: ${url}`);
  return route.abort();
});
const page = await context.newPage();
page.setDefaultTimeout(10_000);
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() !== 'error') return;
  if (allowFailedLoads && /Failed to load resource.*status of (400|404)/.test(m.text())) return;
  problems.push(`console error: ${m.text()}`);
});
page.on('dialog', (d) => { problems.push(`dialog: ${d.type()} ${d.message()}`); d.dismiss(); });

/** Waits until the page's script finished loading whatever the URL asks for. */
const settled = (state = 'ready') => page.waitForSelector(`body[data-state="${state}"]`);
const hits = () => page.locator('#results > li.hit');
const shot = (name, fullPage = true) => page.screenshot({ path: join(artifacts, name), fullPage });
/** Fails when a missing value leaked into the page as "null", "undefined" or "NaN". */
async function noJunk(where) {
  const junk = await page.evaluate(() => {
    const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      if (/(^|[^A-Za-z])(null|undefined|NaN)([^A-Za-z]|$)/.test(walk.currentNode.data)) return walk.currentNode.data;
    }
    return null;
  });
  check(junk === null, `the ${where} page shows ${JSON.stringify(junk)}`);
}
/** Fails on any axe-core violation (WCAG 2.x A and AA, best practices) in light and dark mode. */
async function accessible(where) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Evaluated, not added as a <script>: the page's policy rightly refuses inline scripts.
    if (!await page.evaluate(() => 'axe' in window)) await page.evaluate(axe.source);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = violations.map((v) => `${v.id} ×${v.nodes.length} (${v.nodes[0].target.join(' ')}: ${v.nodes[0].failureSummary.split('\n')[1]?.trim()})`);
    check(found.length === 0, `${colorScheme} mode, ${where}: ${found.join('; ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
const inView = (locator) => locator.evaluate((e) => {
  const r = e.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
});
const hitPublishers = () => page.$$eval('#results > li.hit', (items) =>
  items.map((h) => h.querySelector('.meta .publisher')?.textContent ?? '(none)'));

const t = {
  page, base, check, settled, hits, shot, noJunk, hitPublishers, accessible, inView,
  allowFailedLoads: (allow) => { allowFailedLoads = allow; },
};
const steps = [
  ...searchSteps(t), ...issue12Steps(t), ...traceSteps(t), ...issue13Steps(t), ...storiesSteps(t),
  ...switchesSteps(t), ...errorSteps(t),
];

let n = 0;
try {
  for (const [name, run] of steps) {
    n += 1;
    try {
      await run();
      check(problems.length === 0, problems.join('; '));
    } catch (e) {
      console.log(`not ok ${n} ${name}: ${e.message.split('\n')[0]}`);
      await shot(`failed-${n}.png`).catch(() => {});
      console.log(`browser: ${n - 1} passed, 1 failed`);
      process.exitCode = 1;
      break;
    }
    console.log(`ok ${n} ${name}`);
  }
  if (!process.exitCode) console.log(`browser: ${n} passed, 0 failed`);
} finally {
  await browser.close();
}
