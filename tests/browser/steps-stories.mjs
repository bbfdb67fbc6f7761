// The stories view of the search page (?view=stories), for check-page.mjs: the five bundled
// reports and the reprint of one of them (tests/serve.rs) are one story of six reports, five
// independent and one copy, first reported by The Rio Times; its timeline has a bar per dated
// day. On Reuters' reports the stories come newest first or by relevance as /api/stories
// orders them, a page at a time. axe-core finds nothing. `t` holds the page and the helpers.

/** The stories /api/stories lists for `params`: their first reports' headlines. */
async function apiStories(t, params) {
  const answer = await (await t.page.request.get(`${t.base}/api/stories?${new URLSearchParams(params)}`)).json();
  return answer.stories.map((s) => s.first_report.title);
}

const spans = (locator) => locator.locator(':scope > *').allTextContents();

export function storiesSteps(t) {
  const { page, base, check, settled, hits, shot, noJunk, accessible } = t;
  const stories = () => page.locator('#results > li.story');
  const titles = () => page.locator('#results > li.story .hit-title a').allTextContents();
  return [
    ['the stories view lists the story of the bundled reports: its first report, outlets, copies and days', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'fentanyl' })}`);
      await settled();
      check(await page.getAttribute('#view-reports', 'aria-current') === 'page', 'the hits are not marked as the view shown');
      // By keyboard, as a person without a mouse would.
      await page.focus('#view-stories');
      await page.keyboard.press('Enter');
      await page.waitForURL(/[?&]view=stories/);
      await settled();
      check(await page.getAttribute('#view-stories', 'aria-current') === 'page', 'the stories are not marked as the view shown');
      check(await hits().count() === 0, 'hits shown in the stories view');
      check(await stories().count() === 1, `${await stories().count()} stories for fentanyl, not one`);
      check(await page.textContent('#total') === '1 story of 6 reports', `the total reads ${await page.textContent('#total')}`);
      const story = stories().first();
      const title = story.locator('.hit-title a');
      check((await title.textContent()).startsWith('China and the U.S. have recently restarted discussions'), `the first report is ${await title.textContent()}`);
      check(/^\/report\?path=.*003_63e613daaea22d0e\.txt&q=fentanyl$/.test(await title.getAttribute('href')), `the headline links to ${await title.getAttribute('href')}`);
      const first = await spans(story.locator('p.first'));
      check(JSON.stringify(first) === JSON.stringify(['First report', 'The Rio Times', '2024-01-31']), `first report: ${JSON.stringify(first)}`);
      const counts = await spans(story.locator('p.counts'));
      check(JSON.stringify(counts) === JSON.stringify(['6 reports', '5 independent', '1 copy', '3 outlets', '2024-01-31 to 2024-02-01']),
        `the story counts ${JSON.stringify(counts)}`);
      // The reprint's outlet is no source of its own: its copy group counts once, by The Rio Times.
      const sources = await spans(story.locator('p.outlets'));
      check(JSON.stringify(sources) === JSON.stringify(['Independent sources', 'The Rio Times', 'Emily’s Hope', '3 naming no outlet']),
        `sources: ${JSON.stringify(sources)}`);
      const [best] = (await (await page.request.get(`${base}/api/stories?q=fentanyl`)).json()).stories.map((s) => s.best_match.title);
      check(await story.locator('p.best a').textContent() === best, `the best match shown is not ${best}`);
      const bars = await story.locator('.timeline a.slot').evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')));
      check(JSON.stringify(bars) === JSON.stringify(['2024-01-31: 1 report', '2024-02-01: 1 report']), `the timeline's bars: ${JSON.stringify(bars)}`);
      check((await story.locator('.timeline .note').allTextContents()).includes('4 undated reports not shown.'), 'the undated reports are not mentioned');
      check(await page.inputValue('#sort') === 'newest', 'stories are not newest first by default');
      check(!await page.isVisible('#all-copies'), 'the copies switch is offered for stories');
      await noJunk('stories');
      await shot('stories.png');
      await accessible('stories view');
      // A bar is the query's reports of its day, as hits.
      await story.locator('.timeline a.slot').first().click();
      await page.waitForURL((u) => u.searchParams.get('since') === '2024-01-31' && u.searchParams.get('until') === '2024-01-31' && !u.searchParams.has('view'));
      await settled();
      check(JSON.stringify(await t.hitPublishers()) === JSON.stringify(['The Rio Times']), `the bar of 2024-01-31 shows ${await t.hitPublishers()}`);
    }],
    ['stories come newest first or by relevance, as the API orders them, a page at a time', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'china', view: 'stories' })}`);
      await settled();
      const newest = await apiStories(t, { q: 'china', limit: 10 });
      check(JSON.stringify(await titles()) === JSON.stringify(newest), `newest first: ${JSON.stringify(await titles())}, the API: ${JSON.stringify(newest)}`);
      const request = page.waitForRequest((r) => r.url().includes('/api/stories?') && new URL(r.url()).searchParams.get('sort') === 'relevance');
      await page.selectOption('#sort', 'relevance');
      await request;
      await page.waitForURL(/[?&]sort=relevance/);
      await settled();
      const relevant = await apiStories(t, { q: 'china', sort: 'relevance', limit: 10 });
      check(JSON.stringify(relevant) !== JSON.stringify(newest), 'the two orders are the same: the step proves nothing');
      check(JSON.stringify(await titles()) === JSON.stringify(relevant), `by relevance: ${JSON.stringify(await titles())}, the API: ${JSON.stringify(relevant)}`);
      await page.click('#next');
      await page.waitForURL(/[?&]offset=10/);
      await settled();
      const second = await apiStories(t, { q: 'china', sort: 'relevance', limit: 10, offset: 10 });
      check(second.length > 0 && JSON.stringify(await titles()) === JSON.stringify(second), `page 2: ${JSON.stringify(await titles())}, the API: ${JSON.stringify(second)}`);
      check((await page.textContent('#total')).startsWith('Stories 11–'), `page 2's total reads ${await page.textContent('#total')}`);
      await accessible('stories by relevance');
      // Back to the hits: the same search, in the same order, from its first page.
      await page.click('#view-reports');
      await page.waitForURL((u) => !u.searchParams.has('view') && u.searchParams.get('sort') === 'relevance' && !u.searchParams.has('offset'));
      await settled();
      check(await hits().count() === 10 && await stories().count() === 0, 'Reports does not show the hits');
    }],
  ];
}
