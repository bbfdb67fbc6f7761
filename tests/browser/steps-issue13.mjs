// Copies and stories on the search page, for check-page.mjs: every hit of the bundled reports
// names its story (five reports, two outlets, five independent: five outlets' own accounts of
// one event), and none of them is a copy of another, so no hit says "Also ran in"; axe-core
// finds nothing. `t` holds the page and the helpers.

export function issue13Steps(t) {
  const { page, base, check, settled, accessible } = t;
  return [
    ['each hit names its story, and independent reports are not called copies', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'fentanyl' })}`);
      await settled();
      const hits = page.locator('li.hit');
      const count = await hits.count();
      check(count === 5, `${count} hits for fentanyl`);
      const stories = await page.locator('li.hit p.story').allTextContents();
      check(stories.length === 5, `${stories.length} hits name their story`);
      for (const story of stories) {
        check(/Story: 5 reports.*2 outlets.*5 independent.*2024-01-31/.test(story), `a hit's story reads ${JSON.stringify(story)}`);
      }
      check(await page.locator('li.hit p.copies').count() === 0, 'an independent report is shown as a copy');
      await accessible('hits with their stories');
    }],
  ];
}
