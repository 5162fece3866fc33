/**
 * The web app in German on the demo data (a payroll file, an ERP customer list), the way an office
 * administrator uses it: the history paged and filtered by what a person knows (a record's number or
 * name, a user's name), the settings' confirmation kept in view, a record inactive only in the file not
 * offered for reactivation (and skipped with its reason in a bulk), an undo naming what it left alone,
 * an unknown integration's page, a partner that looks nothing alike found by searching the other side. Screenshots in test-artifacts/screens/demo-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../web/src/i18n/de.js';
import type { RunningServer } from './support.js';
import { apiCall, launchBrowser, screenshot, seriousViolations, startServer } from './support.js';

const ADMIN = { name: 'Anna Müller', login: 'anna', password: 'correct horse battery' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/`);
  await apiCall(page, 'POST', '/api/setup', { ...ADMIN, language: 'de', demo: true });
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
    await screenshot(page, `failed-demo-${name}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const go = (path: string) => page.goto(`${server.url}${path}`);
/** `{n}` and other placeholders of a message as "anything". */
const pattern = (text: string) =>
  new RegExp(text.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.*'));

interface Item {
  id: number;
  number: string;
  name: string;
  side: string;
  version: number;
  remoteDeleted: boolean;
}
const items = async (integration: string, category: string) =>
  (
    await apiCall<{ items: Item[] }>(
      page,
      'GET',
      `/api/integrations/${integration}/items?category=${category}&limit=500`,
    )
  ).items;

describe('the web app on the demo data, in German', () => {
  it('pages the history back with "Ältere Einträge" and says how many entries are shown', async () => {
    // More than a page (200) of entries: edits of one record.
    const { records } = await apiCall<{ records: { number: string; version: number }[] }>(
      page,
      'GET',
      '/api/employees?limit=1',
    );
    const number = records[0]!.number;
    for (let i = 0; i < 210; i++)
      await apiCall(page, 'PATCH', `/api/employees/${number}`, { values: { city: `Ort ${i}` } });
    const all = await apiCall<{ entries: unknown[] }>(page, 'GET', '/api/audit?limit=1000');
    expect(all.entries.length).toBeGreaterThan(200);
    await go('/history');
    await page.getByRole('heading', { level: 1, name: de['history.title'] }).waitFor();
    const rows = page.locator('table.audit tbody tr');
    await expect.poll(() => rows.count()).toBe(200);
    await page.getByText(pattern(de['history.shownMore.other'])).waitFor();
    await page.getByRole('button', { name: de['history.older'] }).click();
    await expect.poll(() => rows.count()).toBe(Math.min(all.entries.length, 400));
    await screenshot(page, 'demo-history-older');
  });

  it('filters the history by a record number or name and by a user name, and explains what matches nothing', async () => {
    const lohn = await items('lohn', 'inactive');
    expect(lohn.length).toBeGreaterThan(0);
    await go('/history');
    const record = page.getByLabel(de['history.filter.record']);
    const filter = page.getByRole('button', { name: de['history.filter.apply'] });
    const rows = page.locator('table.audit tbody tr');

    // A record only the payroll file holds, by its number: the entries about it.
    const fileOnly = lohn.find((i) => i.side === 'remote')!;
    await record.fill(fileOnly.number);
    await filter.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('item')).toBe(String(fileOnly.id));
    await page.getByText(pattern(de['history.filter.byItem'])).waitFor();

    // A registry record by part of its name.
    const { records } = await apiCall<{ records: { number: string; name: string }[] }>(
      page,
      'GET',
      '/api/employees?limit=1',
    );
    const someone = records[0]!;
    await record.fill(someone.name.split(' ').pop()!);
    await filter.click();
    const chosen = page.getByRole('button', { name: new RegExp(`^${someone.number} `) });
    // One match filters at once; several are offered to choose from.
    if (await chosen.isVisible().catch(() => false)) await chosen.click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('record'))
      .toBe(`employee:${someone.number}`);
    await expect.poll(() => rows.count()).toBeGreaterThan(100);
    await screenshot(page, 'demo-history-record');

    // Nothing matches: said at the field, the list is not silently left unfiltered.
    await record.fill('Zzyzx');
    await filter.click();
    await page.getByText(pattern(de['history.filter.recordNone'])).waitFor();

    // A user by display name; an unknown one is refused naming the users.
    await page.getByRole('button', { name: de['history.filter.clear'] }).click();
    await page.getByLabel(de['history.filter.user']).fill(ADMIN.name);
    await filter.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('user')).toBe(ADMIN.login);
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await page.getByLabel(de['history.filter.user']).fill('Niemand');
    await filter.click();
    await page.getByText(pattern(de['history.filter.userUnknown'])).waitFor();
    await page.getByLabel(de['history.filter.run']).fill('abc');
    await filter.click();
    await page.getByText(de['history.filter.runInvalid']).waitFor();
    await screenshot(page, 'demo-history-refused');
  });

  it('keeps "Einstellungen gespeichert" beside the button until the next edit, and fits a 390 px window', async () => {
    await go('/integrations/lohn');
    const rule = page.getByLabel(de['field.workPhone'], { exact: true });
    await rule.selectOption('prefer-remote');
    await page.getByRole('button', { name: de['common.save'] }).first().click();
    const note = page.getByText(de['integrations.saved']);
    await note.waitFor();
    await page.waitForTimeout(1500); // the form is made again from the saved settings meanwhile
    expect(await note.isVisible()).toBe(true);
    expect(await rule.inputValue()).toBe('prefer-remote');
    await screenshot(page, 'demo-settings-saved');
    await rule.selectOption('two-way');
    await expect.poll(() => note.isVisible()).toBe(false);
    await page.getByRole('button', { name: de['common.save'] }).first().click();
    await note.waitFor();

    // The rules' frame ends with the table; the save button keeps its distance from the next section.
    const [table, wrap] = await Promise.all([
      page.locator('table.rules').boundingBox(),
      page.locator('table.rules').locator('..').boundingBox(),
    ]);
    expect(wrap!.width - table!.width).toBeLessThan(4);
    const save = await page.getByRole('button', { name: de['common.save'] }).first().boundingBox();
    const fileType = await page.locator('form.file-type').boundingBox();
    expect(fileType!.y - (save!.y + save!.height)).toBeGreaterThan(16);

    await page.setViewportSize({ width: 390, height: 800 });
    await go('/integrations/lohn');
    await page.locator('table.rules').waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    await screenshot(page, 'demo-settings-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("shows a conflict's sides and own-value inputs in a 390 px window without scrolling sideways", async () => {
    const [conflict] = await items('lohn', 'conflict');
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await go(`/overview/lohn/${conflict!.id}`);
      const form = page.locator('form.resolve');
      await form.locator('table.sides').waitFor();
      // Nothing wider than the window, on the page or inside the sides' frame.
      const overflow = await page.evaluate<number[]>(`
        [document.documentElement, document.querySelector('form.resolve .table-wrap')].map(
          (e) => e.scrollWidth - e.clientWidth,
        )
      `);
      expect(Math.max(...overflow)).toBeLessThanOrEqual(0);
      // Each conflicting field: the file's value (named as its column) and the own-value input in view.
      const row = form.locator('tbody tr.conflict').first();
      const fileValue = row.locator('td').nth(1);
      const own = row.getByRole('textbox');
      for (const box of [await fileValue.boundingBox(), await own.boundingBox()]) {
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      // Said with its column's name, the header row being out of sight.
      const label = await page.evaluate<string>(
        `getComputedStyle(document.querySelector('form.resolve tbody tr.conflict td:nth-of-type(2)'), '::before').content`,
      );
      expect(label).toBe(JSON.stringify(de['item.remote']));
      await screenshot(page, 'demo-conflict-390');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('names the window after the screen and starts the keyboard on the new screen after a link', async () => {
    await go('/');
    await page.getByRole('link', { name: de['nav.history'], exact: true }).click();
    const heading = (await page.locator('main h1').first().innerText()).trim();
    await expect.poll(() => page.title()).toBe(`${heading} – ${de['app.name']}`);
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe('main');
  });

  it('keeps a chosen side when the keyboard passes through the own-value box, and names each choice with its field', async () => {
    const [conflict] = await items('lohn', 'conflict');
    await go(`/overview/lohn/${conflict!.id}`);
    const form = page.locator('form.resolve');
    await form.getByRole('button', { name: de['item.takeAllRemote'] }).click();
    const row = form.locator('tbody tr.conflict').first();
    const remote = row.getByRole('radio').nth(1);
    await expect(remote.isChecked()).resolves.toBe(true);
    // Tab on from the chosen side: through the own-value box, on to the next control.
    await remote.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(remote.isChecked()).resolves.toBe(true);
    await expect(row.getByRole('radio').nth(2).isChecked()).resolves.toBe(false);
    // A screen reader hears the field and the side, not only the value.
    const field = (await row.locator('th').innerText()).trim();
    await expect(remote.getAttribute('aria-label')).resolves.toMatch(
      new RegExp(`^${field}, ${de['item.remote'].replace(/[()]/g, '\\$&')}: `),
    );
  });

  it('says a resolution was refused when another tab resolved the conflict first, above the item as it is now', async () => {
    const conflicts = await items('lohn', 'conflict');
    const conflict = conflicts[conflicts.length - 1]!;
    await go(`/overview/lohn/${conflict.id}`);
    const form = page.locator('form.resolve');
    await form.getByRole('button', { name: de['item.takeAllRemote'] }).click();
    // Meanwhile, in another tab, the conflict is resolved the other way.
    await apiCall(page, 'POST', '/api/integrations/lohn/actions/resolve', {
      target: { ids: [conflict.id] },
      take: 'local',
    });
    await form.getByRole('button', { name: de['item.resolve'] }).click();
    await page.getByRole('alert').getByText(de['error.stale_version']).waitFor();
    // The item shown afresh is no conflict any more: the form is gone, the refusal stays in view.
    await form.waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    await screenshot(page, 'demo-resolve-refused');
  });

  it('shows a record deleted in the file with the values last seen there, named so', async () => {
    const deleted = (await items('lohn', 'deleted')).find((i) => i.remoteDeleted);
    expect(deleted, 'the demo has a record deleted in the file').toBeDefined();
    await go(`/overview/lohn/${deleted!.id}`);
    await page.getByRole('columnheader', { name: de['item.remoteGone'] }).waitFor();
  });

  it('does not offer to reactivate a record inactive only in the file, says why, and a bulk skips it', async () => {
    const inactive = await items('lohn', 'inactive');
    const fileOnly = inactive.find((i) => i.side === 'remote')!;
    await go(`/overview/lohn/${fileOnly.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(fileOnly.name) }).waitFor();
    await page.getByText(de['item.inactive.reactivateThere']).waitFor();
    expect(await page.getByRole('button', { name: de['action.reactivate'] }).count()).toBe(0);
    await screenshot(page, 'demo-inactive-file-only');

    // The list says why it is inactive.
    await go('/overview/lohn?category=inactive');
    const row = page.locator('tbody tr').filter({ hasText: fileOnly.name });
    await row.getByText(de['list.inactiveRemote']).waitFor();

    // Reactivate all in the category: the record only the file holds is skipped, with its reason.
    await page.getByLabel(de['list.applyTo']).selectOption('all');
    await page.getByRole('button', { name: de['action.reactivate'] }).click();
    const dialog = page.getByRole('dialog');
    const localOnly = inactive.filter((i) => i.side !== 'remote').length;
    await dialog
      .getByText(localOnly === 1 ? de['action.confirmOne'] : pattern(de['action.confirmCount']))
      .waitFor();
    if (localOnly > 0) {
      await dialog.getByRole('button', { name: de['action.reactivate'] }).click();
      await page.getByText(`${fileOnly.number}: ${de['action.skipped.file_side']}`).waitFor();
      await screenshot(page, 'demo-reactivate-skipped');
    }
  });

  it('names the record and field an undo left alone, in the right plural', async () => {
    const { records } = await apiCall<{ records: { number: string; name: string }[] }>(
      page,
      'GET',
      '/api/employees?limit=1',
    );
    const someone = records[0]!;
    await apiCall(page, 'PATCH', `/api/employees/${someone.number}`, { values: { zip: '11111' } });
    const [change] = (await apiCall<{ changes: { id: number }[] }>(page, 'GET', '/api/changes?limit=1'))
      .changes;
    await apiCall(page, 'PATCH', `/api/employees/${someone.number}`, { values: { zip: '22222' } });
    await go(`/history?run=${change!.id}`);
    await page.getByRole('button', { name: de['history.undo'] }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: de['history.undo'] }).click();
    await page.getByText(de['undo.conflicts.one']).waitFor();
    await page
      .getByText(new RegExp(`${someone.number} ${someone.name}, ${de['field.zip']}: .*11111.*22222`))
      .waitFor();
    await screenshot(page, 'demo-undo-conflict');
  });

  it('says a short password is too short, with the minimum', async () => {
    await go('/');
    const answer = await page.evaluate(async () => {
      const s = (await fetch('/api/session').then((r) => r.json())) as { csrfToken: string };
      const res = await fetch('/api/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
        body: JSON.stringify({ login: 'kurz', name: 'Kurz', role: 'admin', password: 'abc' }),
      });
      return (await res.json()) as {
        error: { details: { path: string; code?: string; minimum?: number }[] };
      };
    });
    expect(answer.error.details.find((d) => d.path === 'body.password')).toMatchObject({
      code: 'too_small',
      minimum: 10,
    });
  });

  it('an unknown integration shows only that it does not exist, with a way back', async () => {
    await go('/overview/nope');
    await page.getByText(pattern(de['overview.unknownIntegration'])).waitFor();
    await page.getByRole('link', { name: de['overview.backToOverview'] }).waitFor();
    expect(await page.locator('.category-tabs').count()).toBe(0);
    await screenshot(page, 'demo-unknown-integration');
  });
  it('links a new record to a dissimilar one of the other side found by searching, by keyboard', async () => {
    const fresh = await items('lohn', 'new');
    const local = fresh.find((i) => i.side === 'local')!;
    const remote = fresh.find((i) => i.side === 'remote')!;
    // Nothing alike: the ranking offers no partner.
    const ranked = await apiCall<{ candidates: unknown[] }>(
      page,
      'GET',
      `/api/integrations/lohn/items/${local.id}/candidates`,
    );
    expect(ranked.candidates).toEqual([]);
    await go(`/overview/lohn/${local.id}`);
    await page.getByText(de['item.noCandidates.search']).waitFor();
    const search = page.getByLabel(de['item.partnerSearch.label']);
    // A search that matches nothing says so; records of this side are not offered.
    await search.fill(local.name);
    await search.press('Enter');
    await page.getByRole('status').getByText(pattern(de['item.partnerSearch.none'])).waitFor(); // said, not only shown
    await search.fill(remote.name.split(' ').pop()!);
    await search.press('Enter');
    const link = page.getByRole('button', {
      name: de['item.partnerSearch.link'].replace('{number}', remote.number).replace('{name}', remote.name),
    });
    await link.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'demo-partner-search');
    // By keyboard: from the search field to the row's button, then Enter.
    await search.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe(
      await link.getAttribute('aria-label'),
    );
    await page.keyboard.press('Enter');
    await page.getByText(de['item.linked']).waitFor();
    const after = await items('lohn', 'new');
    expect(after.map((i) => i.id)).not.toContain(local.id);
    expect(after.map((i) => i.id)).not.toContain(remote.id);
    await screenshot(page, 'demo-partner-linked');
  });
});
