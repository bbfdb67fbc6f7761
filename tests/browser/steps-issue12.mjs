// What issue 12 asked of the page, one step each, for check-page.mjs: start-page examples,
// thousands separators, empty-state hints, scroll kept on Back, publisher multi-select, order,
// export, tiers, same story elsewhere, axe-core in light and dark, the phone's Filters button.
// `t` holds the page and the helpers.
import { readFileSync } from 'node:fs';

/** Steps 9–20. */
export function issue12Steps(t) {
  const { page, base, check, settled, hits, shot, hitPublishers, accessible, inView } = t;
  return [
    ['the start page offers searches drawn from the index, each finding reports', async () => {
      await page.goto(`${base}/`);
      await settled();
      const health = await page.textContent('#health');
      check(/Search the \d{1,3}(,\d{3})+ news reports/.test(health), `the start page says ${JSON.stringify(health)}`);
      const facets = await (await page.request.get(`${base}/api/facets?q=*`)).json();
      const examples = await page.$$eval('#examples > li > a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      check(examples.length >= 4, `only ${examples.length} examples`);
      const top = facets.publishers[0].name;
      check(examples.some(([text]) => text === top), `no example for the biggest publisher, ${top}: ${JSON.stringify(examples)}`);
      // Example words come from the headlines, so each must be in some report's headline.
      for (const [text, href] of examples) {
        await page.goto(base + href);
        await settled();
        check(await hits().count() > 0, `the example ${text} (${href}) finds nothing`);
        const words = (new URLSearchParams(href.slice(2)).get('q') ?? '').match(/\p{L}{3,}/gu) ?? [];
        for (const word of words.filter((w) => !['title', 'OR'].includes(w))) {
          const inTitles = await (await page.request.get(`${base}/api/search?q=title:${encodeURIComponent(word)}&limit=1`)).json();
          check(inTitles.total > 0, `the example ${text} has ${word}, which is in no headline`);
        }
      }
      await page.goto(`${base}/`);
      await settled();
      await shot('start.png');
      await accessible('start page');
    }],
    ['counts carry thousands separators', async () => {
      await page.goto(`${base}/?q=*`);
      await settled();
      const total = await page.textContent('#total');
      check(/^1–10 of \d{1,3}(,\d{3})+ reports$/.test(total), `the total reads ${JSON.stringify(total)}`);
      const reuters = page.locator('#publishers li', { hasText: 'Reuters' });
      check(await reuters.locator('.count').textContent() === '1,500', `Reuters counts ${await reuters.locator('.count').textContent()}`);
    }],
    ['an empty result says what to try and drops the filters in one click', async () => {
      await page.goto(`${base}/?q=fentanyl&until=2000-01-01`);
      await settled();
      check((await page.textContent('#total')).startsWith('No reports match.'), 'no empty state');
      const hintText = await page.textContent('#hints');
      check(/spelling/.test(hintText), `no spelling hint: ${hintText}`);
      await accessible('empty state');
      await shot('empty.png');
      await page.click('#hints a.drop-filters');
      await page.waitForURL((u) => !u.search.includes('until='));
      await settled();
      check(await hits().count() > 0, 'without its filter, fentanyl still finds nothing');
      check(await page.locator('#hints li').count() === 0, 'hints shown beside hits');
    }],
    ['Back from a report returns to the same place in the results', async () => {
      await page.goto(`${base}/?q=shares`);
      await settled();
      const seventh = hits().nth(6).locator('.hit-title a');
      await seventh.evaluate((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }));
      const before = await page.evaluate(() => window.scrollY);
      check(before > 300, `the seventh hit is only ${before}px down`);
      const title = await seventh.textContent();
      await seventh.click();
      await page.waitForURL(/\/report\?/);
      await settled();
      await page.goBack();
      await page.waitForURL(/\/\?q=shares/);
      await settled();
      await page.waitForTimeout(200); // anything that would still move the view
      const after = await page.evaluate(() => window.scrollY);
      check(Math.abs(after - before) <= 2, `scrolled to ${after}, not back to ${before}`);
      check(await hits().nth(6).locator('.hit-title a').textContent() === title, 'another hit is in its place');
    }],
    ['publishers: several at once, the others still listed with their counts', async () => {
      await page.goto(`${base}/?q=china`);
      await settled();
      const box = (name) => page.locator('#publishers label', { hasText: name }).locator('input');
      const counts = Object.fromEntries(await page.$$eval('#publishers li', (lis) => lis.filter((li) => li.querySelector('input'))
        .map((li) => [li.querySelector('label').textContent.trim(), li.querySelector('.count')?.textContent])));
      await box('The Rio Times').check();
      await page.waitForURL(/publisher=The\+Rio\+Times/);
      await settled();
      const listed = await page.locator('#publishers label').allTextContents();
      check(listed.length >= 3, `with one publisher chosen, the facet lists only ${listed}`);
      await box('Emily’s Hope').check();
      await page.waitForURL((u) => u.searchParams.getAll('publisher').length === 2);
      await settled();
      const publishers = await hitPublishers();
      check(new Set(publishers).size === 2 && publishers.every((p) => ['The Rio Times', 'Emily’s Hope'].includes(p)),
        `hits of ${publishers}, not of both chosen publishers`);
      check(await box('The Rio Times').isChecked() && await box('Emily’s Hope').isChecked(), 'a chosen publisher is not ticked');
      check(await box('Reuters').count() === 1 && (await page.locator('#publishers li', { hasText: 'Reuters' }).locator('.count').textContent()) === counts.Reuters,
        'Reuters is no longer listed with its count');
      check(await page.locator('#filters a.remove-filter').count() === 2, 'not one removable filter per publisher');
      // Keyboard: Space on a ticked box drops that publisher only.
      await box('The Rio Times').focus();
      await page.keyboard.press('Space');
      await page.waitForURL((u) => u.searchParams.getAll('publisher').length === 1);
      await settled();
      check((await hitPublishers()).every((p) => p === 'Emily’s Hope'), 'unticking The Rio Times did not drop it');
    }],
    ['order: relevance, newest or oldest first', async () => {
      await page.goto(`${base}/?q=china`);
      await settled();
      check(await page.inputValue('#sort') === 'relevance', 'a query is not ordered by relevance at first');
      const dates = () => page.$$eval('#results .hit', (hs) => hs.map((h) => h.querySelector('.date')?.textContent ?? null));
      await page.selectOption('#sort', 'oldest');
      await page.waitForURL(/sort=oldest/);
      await settled();
      const oldest = await dates();
      check(oldest[0] === '1987-02-26' && oldest.every((d, i) => i === 0 || d >= oldest[i - 1]), `oldest first reads ${oldest}`);
      await page.selectOption('#sort', 'newest');
      await page.waitForURL(/sort=newest/);
      await settled();
      const newest = await dates();
      // The newest report is the reprint of The Rio Times' report, a day after it (tests/serve.rs).
      check(newest[0] === '2024-02-01' && newest.every((d, i) => i === 0 || d <= newest[i - 1]), `newest first reads ${newest}`);
      await page.goto(`${base}/?q=*`);
      await settled();
      check(await page.inputValue('#sort') === 'newest', 'every report is not newest first by default');
    }],
    ['export downloads every hit of the search, in its order', async () => {
      await page.goto(`${base}/?q=china&sort=oldest`);
      await settled();
      const total = Number((await page.textContent('#total')).match(/of ([\d,]+) reports/)[1].replaceAll(',', ''));
      check(total > 10, `only ${total} hits: the export would not show it goes past the page`);
      const shown = await page.$$eval('#results .hit .loc', (ls) => [...new Set(ls.map((l) => l.textContent.replace(/:\d+$/, '')))]);
      for (const format of ['jsonl', 'csv']) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#export-${format}`)]);
        check(download.suggestedFilename().endsWith(`.${format}`), `the ${format} download is named ${download.suggestedFilename()}`);
        const text = readFileSync(await download.path(), 'utf8');
        if (format === 'jsonl') {
          const rows = text.trim().split('\n').map((line) => JSON.parse(line));
          check(rows.length === total, `the JSONL export has ${rows.length} rows for ${total} hits`);
          const names = [...new Set(rows.map((r) => r.name))].slice(0, shown.length);
          check(JSON.stringify(names) === JSON.stringify(shown), `the export's order ${names} is not the page's ${shown}`);
        } else {
          check(text.startsWith('rank,title,'), `the CSV export starts ${JSON.stringify(text.slice(0, 40))}`);
        }
      }
    }],
    ['reports matching most of the words follow a marker', async () => {
      await page.goto(`${base}/?q=fentanyl+talks+cartels`);
      await settled();
      const answer = await (await page.request.get(`${base}/api/search?q=fentanyl+talks+cartels`)).json();
      check(answer.matched_every_word > 0 && answer.matched_every_word < answer.total, 'the query does not reach a second tier');
      const items = await page.$$eval('#results > li', (lis) => lis.map((li) => li.className));
      const marker = items.indexOf('tier');
      // After the hits matching every word: fewer than the reports that do when a copy of one
      // collapses into it (the reprint, tests/serve.rs).
      const above = answer.hits.filter((h) => h.matches_every_word).length;
      check(marker === above, `the marker stands after ${marker} hits, not ${above}`);
      const text = await page.textContent('#results > li.tier');
      check(text === `${answer.matched_every_word} reports matched every word; below, reports matching most of them.`, `the marker reads ${text}`);
      await shot('tiers.png');
    }],
    ['same story elsewhere, from a hit and from the report', async () => {
      await page.goto(`${base}/?q=fentanyl`);
      await settled();
      const first = hits().first();
      const name = (await first.locator('.loc').first().textContent()).replace(/:\d+$/, '');
      await first.locator('a.similar').click();
      await page.waitForURL(/[?&]like=/);
      await settled();
      check(await page.isVisible('#like') && await page.textContent('#like-report') === name, `the view does not say it is like ${name}`);
      const names = await page.$$eval('#results .hit .loc', (ls) => ls.map((l) => l.textContent.replace(/:\d+$/, '')));
      check(names.length > 0 && !names.includes(name), `like ${name}: ${names}`);
      check(await page.locator('#results .hit', { hasText: 'Fentanyl' }).count() >= 3, 'the same story from the other outlets is not among them');
      await accessible('same story elsewhere');
      await shot('like.png');
      await page.goBack();
      await settled();
      await first.locator('.hit-title a').click();
      await page.waitForURL(/\/report\?/);
      await settled();
      const similar = await page.$$eval('#similar li a', (as) => as.map((a) => a.getAttribute('href')));
      check(similar.length > 0 && similar.length <= 5 && similar.every((h) => h.startsWith('/report?path=') && !h.includes(name)),
        `the report lists ${similar}`);
      check(await page.getAttribute('#similar-all', 'href') === `/?${new URLSearchParams({ like: name })}`, 'no link to all reports like it');
      await shot('report-similar.png');
    }],
    ['each hit shows its language, and the language facet filters by it', async () => {
      // The German report (declared `lang: de`) is found by an inflected form of its word.
      await page.goto(`${base}/?q=Verhandlung`);
      await settled();
      check(await hits().count() === 1, `Verhandlung finds ${await hits().count()} reports, not the German one`);
      const shown = await hits().first().locator('.language').textContent();
      check(shown === 'German', `the German report's language reads ${JSON.stringify(shown)}`);
      await page.goto(`${base}/?q=*`);
      await settled();
      check(await page.isVisible('#language-facet'), 'no language facet');
      const names = await page.$$eval('#languages li label', (ls) => ls.map((l) => l.textContent));
      check(names.some((n) => n.includes('English')) && names.some((n) => n.includes('German')), `languages listed: ${names}`);
      await page.check('#languages input[value="de"]');
      await page.waitForURL((u) => u.search.includes('lang=de'));
      await settled();
      check(await hits().count() === 1, `the German filter keeps ${await hits().count()} reports`);
      check(await hits().first().locator('.language').textContent() === 'German', 'the filter kept a report in another language');
    }],
    ['no accessibility violations on results and report, light and dark', async () => {
      // Highlighted headline words: a <mark> inside a link, in both themes.
      await page.goto(`${base}/?q=fentanyl+talks`);
      await settled();
      check(await page.locator('.hit-title mark').count() > 0, 'no headline word marked for "fentanyl talks"');
      await accessible('results');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot('search-dark.png');
      await page.locator('.passage a.loc').first().click();
      await settled();
      await accessible('report view');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot('report-dark.png', false);
      await page.emulateMedia({ colorScheme: 'light' });
    }],
    ['phone width: no horizontal overflow, facets behind a Filters button at the top', async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      for (const [path, name] of [['/?q=fentanyl', 'phone.png'], ['/?q=precursor&publisher=Rio', null]]) {
        await page.goto(base + path);
        await settled();
        check(await hits().count() > 0, `no hits at ${path}`);
        if (name) await shot(name);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 376, `page is ${width}px wide at 375px (${path})`);
      }
      const toggle = page.locator('#filters-toggle');
      check(await toggle.isVisible() && await inView(toggle), 'no Filters button in the first screen');
      check(await toggle.textContent() === 'Filters (1)', `the button reads ${await toggle.textContent()}`);
      check(!await page.isVisible('#publishers'), 'the facets are open before the button is pressed');
      await toggle.click();
      check(await toggle.getAttribute('aria-expanded') === 'true', 'aria-expanded is not true');
      const rio = page.locator('#publishers label', { hasText: 'The Rio Times' });
      check(await rio.isVisible() && await inView(rio), 'the open facets are not in the first screen');
      await accessible('phone, facets open');
      await shot('phone-filters.png', false);
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot('phone-dark.png', false);
      await page.emulateMedia({ colorScheme: 'light' });
      await toggle.click();
      check(!await page.isVisible('#publishers'), 'the Filters button does not close the facets');
      await page.locator('.passage a.loc').first().click();
      await settled();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(width <= 376, `report page is ${width}px wide at 375px`);
      await shot('phone-report.png', false);
      await page.setViewportSize({ width: 1280, height: 900 });
    }],
  ];
}
