// The search page's switches, for check-page.mjs: "Show every copy" (all_copies=true) and
// "One hit per story" (distinct=story), each in the URL, off by default. The bundled reports
// and a reprint of The Rio Times' report (tests/serve.rs) are six reports of one story, the
// reprint collapsed into its original by default. axe-core finds nothing. `t` holds the page
// and the helpers.

export function switchesSteps(t) {
  const { page, base, check, settled, hits, hitPublishers, accessible } = t;
  const searched = (param, value) => page.waitForRequest((r) =>
    r.url().includes('/api/search?') && new URL(r.url()).searchParams.get(param) === value);
  return [
    ['"Show every copy" lists the reprint as a hit of its own; Back collapses it again', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'fentanyl' })}`);
      await settled();
      check(!await page.isChecked('#all-copies'), 'every copy is shown by default');
      check(await hits().count() === 5, `${await hits().count()} hits for fentanyl with copies collapsed, not 5`);
      const collapsed = await hitPublishers();
      check(collapsed.filter((p) => ['The Rio Times', 'The Columbus Ledger'].includes(p)).length === 1, `copies collapsed, the hits are by ${collapsed}`);
      check(await page.locator('li.hit p.copies').count() === 1, 'the collapsed hit does not say where else it ran');
      check(await page.textContent('#total') === '1–5, each with its copies, of 6 reports', `the total reads ${await page.textContent('#total')}`);
      // By keyboard: the switch is a checkbox, Space toggles it.
      const request = searched('all_copies', 'true');
      await page.focus('#all-copies');
      await page.keyboard.press('Space');
      await request;
      await page.waitForURL(/[?&]all_copies=true/);
      await settled();
      check(await page.isChecked('#all-copies'), 'the switch is off after turning it on');
      check(await page.evaluate(() => document.activeElement.id) === 'all-copies', 'the focus left the switch');
      check(await hits().count() === 6, `${await hits().count()} hits with every copy, not 6`);
      check(await page.textContent('#total') === '6 reports', `with every copy the total reads ${await page.textContent('#total')}`);
      const all = await hitPublishers();
      check(all.includes('The Rio Times') && all.includes('The Columbus Ledger'), `every copy, the hits are by ${all}`);
      await accessible('every copy');
      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has('all_copies'));
      await settled();
      check(await hits().count() === 5 && !await page.isChecked('#all-copies'), 'Back does not collapse the copies again');
    }],
    ['"One hit per story" shows the one story\'s best report, and the URL keeps it', async () => {
      await page.goto(`${base}/?${new URLSearchParams({ q: 'fentanyl' })}`);
      await settled();
      check(!await page.isChecked('#one-per-story'), 'one hit per story by default');
      const request = searched('distinct', 'story');
      await page.check('#one-per-story');
      await request;
      await page.waitForURL(/[?&]distinct=story/);
      await settled();
      check(await hits().count() === 1, `${await hits().count()} hits for one story`);
      check(await page.textContent('#total') === '1–1, one per story, of 6 reports', `the total reads ${await page.textContent('#total')}`);
      check(await page.isHidden('#pager'), 'a next page is offered after the only story');
      const story = await page.textContent('li.hit p.story');
      check(/Story: 6 reports/.test(story), `the hit's story reads ${story}`);
      await accessible('one hit per story');
      await page.reload();
      await settled();
      check(await page.isChecked('#one-per-story') && await hits().count() === 1, 'a reload forgets one hit per story');
      await page.uncheck('#one-per-story');
      await page.waitForURL((u) => !u.searchParams.has('distinct'));
      await settled();
      check(await hits().count() === 5, `${await hits().count()} hits after turning it off`);
    }],
  ];
}
