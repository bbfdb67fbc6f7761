// Copies and stories on the search page, for check-page.mjs: every hit of the bundled reports
// names its story (six reports, three outlets, five independent: five outlets' own accounts of
// one event and a reprint of one of them a day later, tests/serve.rs); only the reprinted
// report's hit says where else it ran, and the others are not called copies; axe-core finds
// nothing. `t` holds the page and the helpers.

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
        check(/Story: 6 reports.*3 outlets.*5 independent.*2024-01-31 to 2024-02-01/.test(story), `a hit's story reads ${JSON.stringify(story)}`);
      }
      // The reprint and its original are one hit, which names the other outlet.
      const copies = await page.locator('li.hit p.copies').allTextContents();
      check(copies.length === 1, `${copies.length} hits say where else they ran, not the reprinted one alone`);
      const copied = page.locator('li.hit', { has: page.locator('p.copies') });
      const outlets = [await copied.locator('.meta .publisher').textContent(), copies[0]].join(' | ');
      check(/^The Columbus Ledger \| Also ran inThe Rio Times$|^The Rio Times \| Ran first; also ran inThe Columbus Ledger$/.test(outlets),
        `the copied hit and where else it ran: ${JSON.stringify(outlets)}`);
      await accessible('hits with their stories');
    }],
  ];
}
