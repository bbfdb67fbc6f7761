// The trace page (/trace), for check-page.mjs: a claim carried by one bundled report shows
// that report with its aligned passage, linked to the report; a claim no report carries
// says so; a hit's passage on the search page traces by its "Trace this" link (to The Rio
// Times' report and its reprint, tests/serve.rs); axe-core finds nothing in light and dark
// mode. `t` holds the page and the helpers.

const CLAIM = 'the DEA identifies China and Mexico as the primary sources of fentanyl';

export function traceSteps(t) {
  const { page, base, check, settled, shot, noJunk, accessible } = t;
  return [
    ['the trace page shows the report carrying a claim, its passage marked and linked', async () => {
      await page.goto(`${base}/trace?${new URLSearchParams({ q: CLAIM })}`);
      await settled();
      check(await page.inputValue('#claim') === CLAIM, 'the claim is not in its box');
      const carriers = page.locator('#carriers > li');
      check(await carriers.count() === 1, `${await carriers.count()} reports carry the claim`);
      const summary = await page.textContent('#summary');
      check(/Carried by 1 report from 1 independent source.*Emily’s Hope/.test(summary), `the summary says ${JSON.stringify(summary)}`);
      const marked = await carriers.first().locator('mark').allTextContents();
      check(marked.join(' ').includes('China and Mexico as the primary sources of fentanyl'), `marked: ${JSON.stringify(marked)}`);
      const href = await carriers.first().locator('a.loc').getAttribute('href');
      check(/^\/report\?path=.*004_fe16e4a74ebfb5f5\.txt.*&passage=\d+,\d+#L9$/.test(href), `the passage links to ${href}`);
      await noJunk('trace');
      await shot('trace.png');
      await accessible('trace page');
      await page.click('#carriers > li a.loc');
      await settled();
      check(await page.locator('.lines .passage').count() > 0, 'the report does not mark the traced passage');
    }],
    ['"Trace this" on a hit\'s passage opens the trace page with the passage as the claim', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'precursor chemicals' })}`);
      await settled();
      const passage = page.locator('#results li.passage', { hasText: 'raised concerns about China' }).first();
      const text = await passage.locator('.text').textContent();
      const link = passage.locator('a.trace');
      check(await link.textContent() === 'Trace this', `the link reads ${await link.textContent()}`);
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/trace\?/);
      await settled();
      check(await page.inputValue('#claim') === text, `the claim is ${JSON.stringify(await page.inputValue('#claim'))}, not the passage ${JSON.stringify(text)}`);
      const names = await page.locator('#carriers > li a.loc').allTextContents();
      check(names.length === 2 && names[0].includes('003_63e613daaea22d0e.txt') && names[1].includes('reprint.txt'),
        `the reports carrying the passage: ${JSON.stringify(names)}`);
      const summary = await page.textContent('#summary');
      check(summary.startsWith('Carried by 2 reports from 1 independent source'), `the summary says ${JSON.stringify(summary)}`);
      check((await page.textContent('#first')).includes('The Rio Times'), 'The Rio Times is not named first');
      await accessible('trace from a passage');
    }],
    ['a claim no report carries is said so', async () => {
      await page.goto(`${base}/trace?${new URLSearchParams({ q: 'cocoa farmers in Bahia reported heavy showers' })}`);
      await settled();
      check(await page.locator('#carriers > li').count() === 0, 'reports listed for a claim none carries');
      check((await page.textContent('#summary')).startsWith('No report carries this claim'), 'no note that none carries it');
      await accessible('empty trace page');
    }],
  ];
}
