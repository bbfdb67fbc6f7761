// The search page's first steps (searching, filtering, the report view, escaping) and the
// error steps that close the run, for check-page.mjs. `t` holds the page and the helpers.

/** Steps 1–8: the page as it searches, filters and shows a report. */
export function searchSteps(t) {
  const { page, base, check, settled, hits, shot, noJunk, hitPublishers, inView } = t;
  return [
    ['search shows highlighted hits', async () => {
      await page.goto(`${base}/`);
      await settled();
      await page.fill('#q', 'precursor chemicals');
      await page.press('#q', 'Enter');
      await page.waitForURL(/[?&]q=precursor/);
      await settled();
      check(await hits().count() > 0, 'no hits for "precursor chemicals"');
      const marks = await page.$$eval('#results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
      check(marks.some((t) => t === 'precursor chemicals' || t.startsWith('precursor')),
        `no <mark> starting with "precursor" (marks: ${JSON.stringify(marks.slice(0, 8))})`);
      // Ranges are UTF-8 bytes: cut as JS string indices, marks after a curly quote would shift.
      const stray = marks.filter((t) => !/^(precursor|chemical)/.test(t));
      check(stray.length === 0, `marks off the query's words: ${JSON.stringify(stray)}`);
      check(new URL(page.url()).search.includes('q=precursor'), `URL lacks q=precursor: ${page.url()}`);
      await noJunk('search');
      await shot('search.png');
    }],
    ['publisher facet filters the hits; Back and Forward restore', async () => {
      await page.locator('#publishers label', { hasText: 'The Rio Times' }).first().click();
      await page.waitForURL(/[?&]publisher=/);
      await settled();
      const publishers = await hitPublishers();
      check(publishers.length > 0, 'no hits after choosing The Rio Times');
      check(publishers.every((p) => p === 'The Rio Times'), `other publishers shown: ${publishers}`);
      check(await page.locator('#filters a.remove-filter', { hasText: 'The Rio Times' }).count() === 1,
        'the active publisher is not shown as a removable filter');
      await noJunk('filtered search');
      await shot('facet.png');
      await page.goBack();
      await page.waitForURL((u) => !u.search.includes('publisher='));
      await settled();
      check((await hitPublishers()).some((p) => p !== 'The Rio Times'), 'Back did not restore all hits');
      await page.goForward();
      await page.waitForURL(/[?&]publisher=/);
      await settled();
      check((await hitPublishers()).every((p) => p === 'The Rio Times'), 'Forward did not refilter');
    }],
    ['timeline: bars at least 4 px wide, a date axis, counts on hover and focus', async () => {
      // 1987 and 2024: hundreds of months, more than the facets column has room for as bars.
      await page.goto(`${base}/?q=*`);
      await settled();
      const slots = page.locator('#timeline .bars > .slot');
      const n = await slots.count();
      check(n >= 10, `only ${n} bars for reports from 1987 to 2024`);
      const widths = await slots.evaluateAll((all) => all.map((e) => e.getBoundingClientRect().width));
      check(Math.min(...widths) >= 4, `bars as narrow as ${Math.min(...widths).toFixed(2)} px`);
      const ticks = await page.locator('#timeline .ticks .tick').allTextContents();
      check(ticks.length >= 2 && ticks[0].startsWith('1987') && ticks.at(-1).startsWith('2024'),
        `the axis reads ${JSON.stringify(ticks)}, not 1987 … 2024`);
      const bar = page.locator('#timeline a.slot').first();
      const label = await bar.getAttribute('aria-label');
      check(/^\d{4}-\d{2}-\d{2}( to \d{4}-\d{2}-\d{2})?: [\d,]+ reports?$/.test(label ?? ''), `bar without a useful label: ${label}`);
      check(/: \d{1,3}(,\d{3})+ reports$/.test(label), `the 1987 bar's count lacks a thousands separator: ${label}`);
      // Months drawn together go by calendar years (the first from the first report's month).
      check(await page.getAttribute('#timeline .bars', 'aria-label') === 'Reports per year', 'months are not drawn as years');
      check(label.startsWith('1987-02-01 to 1987-12-31: '), `the first bar is ${label}, not the rest of 1987`);
      const tip = page.locator('#timeline .tip');
      check(!await tip.isVisible(), 'a count label shows before any bar is pointed at');
      await bar.hover();
      check(await tip.isVisible() && await tip.textContent() === label, `hover shows ${JSON.stringify(await tip.textContent())}, not ${label}`);
      await page.mouse.move(0, 0);
      check(!await tip.isVisible(), 'the count label stays after the pointer left');
      // Keyboard: Tab from the button before the chart to its first bar.
      await page.focus('.dates button');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      check(focused === label, `Tab from "Apply dates" focused ${focused}, not the first bar`);
      check(await tip.isVisible() && await tip.textContent() === label, 'keyboard focus shows no count label');
      await shot('timeline.png');
      await page.keyboard.press('Enter');
      await page.waitForURL(/[?&]since=.*until=/);
      await settled();
      check(/^\d{4}-\d{2}-\d{2}$/.test(await page.inputValue('#since')), 'the bar did not set #since');
      check(await hits().count() > 0, 'no hits in the chosen bar');
    }],
    ['date inputs take and show YYYY-MM-DD in an en-US browser', async () => {
      await page.goto(`${base}/?q=shares`);
      await settled();
      await page.click('#since');
      await page.keyboard.type('1987-03-02');
      await page.click('#until');
      await page.keyboard.type('1987-03-03');
      check(await page.inputValue('#since') === '1987-03-02', `#since holds ${await page.inputValue('#since')}`);
      await page.keyboard.press('Enter');
      await page.waitForURL(/since=1987-03-02.*until=1987-03-03/);
      await settled();
      const dates = await page.$$eval('#results .meta .date', (ds) => ds.map((d) => d.textContent));
      check(dates.length > 0 && dates.every((d) => d === '1987-03-02' || d === '1987-03-03'), `hits dated ${dates}`);
      check(await page.inputValue('#until') === '1987-03-03', 'the loaded page does not show #until as 1987-03-03');
      // The locale's way is refused with the format, not sent.
      await page.fill('#until', '03/03/1987');
      await page.press('#until', 'Enter');
      check(await page.getAttribute('#until', 'aria-invalid') === 'true', 'mm/dd/yyyy is not marked invalid');
      check(page.url().includes('until=1987-03-03'), `mm/dd/yyyy was searched: ${page.url()}`);
      check(await page.locator('#date-help').textContent().then((t) => t.includes('2024-01-31')), 'no format help');
    }],
    ['passage link opens the report at the passage', async () => {
      await page.goto(`${base}/?q=precursor+chemicals`);
      await settled();
      const link = page.locator('#results > li.hit').first().locator('.passage a.loc').first();
      const href = await link.getAttribute('href');
      const passageText = (await link.locator('xpath=..').locator('.text').textContent()).trim();
      const line = /#(L\d+)$/.exec(href ?? '')?.[1];
      check(line && /passage=\d+,\d+/.test(href), `passage link without passage=/#L: ${href}`);
      await link.click();
      await page.waitForURL(/\/report\?/);
      await settled();
      const target = page.locator(`#${line}`);
      check(await target.count() === 1, `no line #${line}`);
      check(await target.locator('.passage').count() > 0, `#${line} has no .passage highlight`);
      const marked = await target.locator('mark').allTextContents();
      check(marked.length > 0, `#${line} has no <mark>`);
      check(marked.every((t) => /^(precursor|chemical)/i.test(t)), `#${line} marks ${JSON.stringify(marked)}`);
      const highlighted = (await target.locator('.passage').allTextContents()).join('').trim();
      check(highlighted === passageText, `#${line} highlights ${JSON.stringify(highlighted)}, not the passage`);
      const inView = await target.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight;
      });
      check(inView, `#${line} is not scrolled into view`);
      await noJunk('report');
      await shot('report.png', false);
    }],
    ['a bookmarked search is restored', async () => {
      await page.goto(`${base}/?q=fentanyl&publisher=${encodeURIComponent('The Rio Times')}`);
      await settled();
      check(await page.inputValue('#q') === 'fentanyl', 'the query box does not hold "fentanyl"');
      const publishers = await hitPublishers();
      check(publishers.length > 0 && publishers.every((p) => p === 'The Rio Times'),
        `bookmarked filter not applied: ${publishers}`);
    }],
    ['a typo offers a suggestion that runs when clicked', async () => {
      await page.goto(`${base}/?q=fentanil`);
      await settled();
      check((await page.textContent('#total')).startsWith('No reports match.'), 'no empty state');
      const suggestion = page.locator('#total a.suggestion');
      check(await suggestion.count() === 1, 'no suggestion link for "fentanil"');
      check(await suggestion.textContent() === 'fentanyl', 'the suggestion is not "fentanyl"');
      await suggestion.click();
      await page.waitForURL(/q=fentanyl/);
      await settled();
      check(await hits().count() > 0, 'the suggestion found nothing');
      check(await page.inputValue('#q') === 'fentanyl', 'the query box does not hold the suggestion');
    }],
    ['report markup shows as text and runs nothing', async () => {
      await page.goto(`${base}/?q=pwned`);
      await settled();
      const title = page.locator('.hit-title', { hasText: 'Hostile' }).first();
      check(await title.count() === 1, 'no hit for the hostile report');
      const text = await title.textContent();
      check(text.includes('<b>markup</b>'), `title not shown literally: ${text}`);
      check(await title.locator('b').count() === 0, 'the title markup became a <b> element');
      check(await page.locator('#results img, #results script').count() === 0, 'report markup became elements');
      await title.locator('a').click();
      await page.waitForURL(/\/report\?/);
      await settled();
      check((await page.textContent('#lines')).includes('<script>'), 'report page does not show <script> as text');
      await page.waitForTimeout(300);
      check(await page.evaluate(() => window.pwned) === undefined, 'window.pwned was set');
    }],
  ];
}

/** The last steps: errors show as messages. */
export function errorSteps(t) {
  const { page, base, check, settled, shot } = t;
  return [
    ['errors show as a message, not a blank page', async () => {
      t.allowFailedLoads(true);
      for (const path of ['/?q=fentanyl&since=not-a-date', '/?q=%22unclosed', '/report?path=no/such/report.txt']) {
        await page.goto(base + path);
        await settled('error');
        const message = (await page.textContent('#error')).trim();
        check(message && await page.isVisible('#error'), `no visible error message at ${path}`);
      }
      await shot('error.png', false);
      t.allowFailedLoads(false);
    }],
    ['a report with a malformed query shows, unmarked, with a note', async () => {
      await page.goto(`${base}/?q=fentanyl`);
      await settled();
      const url = new URL(await page.locator('.hit-title a').first().getAttribute('href'), base);
      url.searchParams.set('q', '"'); // answered 400: the report is fetched again without q
      t.allowFailedLoads(true);
      await page.goto(url.href);
      await settled();
      t.allowFailedLoads(false);
      check(await page.locator('#lines > .line').count() > 0, 'the report\'s lines are not shown');
      check(await page.locator('#lines mark').count() === 0, 'words are marked for a malformed query');
      const note = (await page.textContent('#error')).trim();
      check(note && await page.isVisible('#error'), 'no note that the words could not be marked');
    }],
  ];
}
