/**
 * The overview list and the forms around it in Danish, on a fresh database with a payroll integration
 * named "løn" and 1,081 file rows: a selection kept across pages sends the version each item had when
 * it was selected; a selected item that leaves the list leaves the selection, and a refusal names the
 * item; a search counted past the server's cap says "more than 1,000" and the pager stays consistent
 * to the last page; an undo is busy while it runs; the record form says a field's maximum and who holds
 * a taken number; the export downloads under its own name. Screenshots in test-artifacts/screens/list-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import type { RunningServer } from './support.js';
import { apiCall, launchBrowser, screenshot, seriousViolations, startServer } from './support.js';

const ADMIN = { name: 'Anna Jensen', login: 'anna', password: 'correct horse battery' };
const INTEGRATION = 'løn';
const ROWS = 1081;
const LIST = `/overview/${encodeURIComponent(INTEGRATION)}?category=new&limit=25`;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Item {
  id: number;
  number: string;
  name: string;
  category: string;
  version: number;
}

/** A message with its placeholders filled, as the app fills them. */
const interpolate = (text: string, vars: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
const go = (path: string) => page.goto(`${server.url}${path}`);
const number = (n: number) => new Intl.NumberFormat('da-DK').format(n);
const api = `/api/integrations/${encodeURIComponent(INTEGRATION)}`;
const itemByNumber = async (no: string): Promise<Item> => {
  const { items } = await apiCall<{ items: Item[] }>(page, 'GET', `${api}/items?search=${no}&limit=500`);
  const found = items.find((i) => i.number === no);
  if (!found) throw new Error(`no item ${no}`);
  return found;
};
const itemById = async (id: number) =>
  (await apiCall<{ item: Item }>(page, 'GET', `${api}/items/${id}`)).item;
/** Someone else, in another tab: an action through the API. */
const disableElsewhere = (id: number) =>
  apiCall(page, 'POST', `${api}/actions/disable`, { target: { ids: [id] } });

const selectRow = (item: { number: string; name: string }) =>
  page.getByRole('checkbox', {
    name: interpolate(da['common.selectRow'], { name: `${item.number} ${item.name}` }),
  });
const scope = () => page.getByLabel(da['list.applyTo']);
const selectionOption = (n: number) =>
  scope().locator('option[value="selection"]', {
    hasText: interpolate(da[n === 1 ? 'list.applyTo.selection.one' : 'list.applyTo.selection.other'], {
      n: number(n),
    }),
  });
const nextPage = () => page.getByRole('button', { name: new RegExp(`^${da['common.next']}`) });
const disableSelected = async () => {
  await page
    .getByRole('group', { name: da['common.actions'] })
    .getByRole('button', { name: da['action.disable'] })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: da['action.disable'] }).click();
};

/** Uploads a CSV and imports it into the integration, as a job, waiting until it is done. */
async function importCsv(csv: string): Promise<void> {
  const jobId = await page.evaluate(
    async ([text, name]) => {
      const s = (await fetch('/api/session').then((r) => r.json())) as { csrfToken: string };
      const form = new FormData();
      form.append('file', new Blob([text], { type: 'text/csv' }), 'løn.csv');
      const up = await fetch('/api/uploads', {
        method: 'POST',
        body: form,
        headers: { 'x-csrf-token': s.csrfToken },
      });
      const { upload } = (await up.json()) as { upload: { id: string } };
      const started = await fetch(`/api/integrations/${encodeURIComponent(name)}/imports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
        body: JSON.stringify({ upload: upload.id, dryRun: false }),
      });
      return ((await started.json()) as { job: { id: string } }).job.id;
    },
    [csv, INTEGRATION] as const,
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { job } = await apiCall<{ job: { state: string; error: unknown } }>(
      page,
      'GET',
      `/api/jobs/${jobId}`,
    );
    if (job.state === 'done') return;
    if (job.state !== 'running' || Date.now() > deadline)
      throw new Error(`import ${job.state}: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  context = await browser.newContext({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await go('/');
  await apiCall(page, 'POST', '/api/setup', { ...ADMIN, language: 'da' });
  await apiCall(page, 'POST', '/api/integrations', { name: INTEGRATION, entity: 'employee' });
  await apiCall(page, 'POST', '/api/employees', { values: { number: '0001', name: 'Aase Lokal' } });
  const lines = ['Medarbejdernr.;Navn'];
  for (let n = 1001; n < 1001 + ROWS; n++) lines.push(`${n};Hansen ${n}`);
  await importCsv(`${lines.join('\r\n')}\r\n`);
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
    await screenshot(page, `failed-list-${name}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the overview list and the record form, in Danish', () => {
  it('says "more than 1,000" where a search was counted past the cap, and the exact count on its last page', async () => {
    await go(`/overview/${encodeURIComponent(INTEGRATION)}?category=new&search=Hansen&limit=200`);
    const pager = page.getByRole('navigation', { name: /^Side/ });
    await pager.waitFor();
    const rows = (from: number, to: number, total: number, capped: boolean) =>
      interpolate(da[capped ? 'common.rowsCapped' : 'common.rows'], {
        from: number(from),
        to: number(to),
        total: number(total),
      });
    const pageOf = (p: number, pages: number, capped: boolean) =>
      interpolate(da[capped ? 'common.pageCapped' : 'common.page'], {
        page: number(p),
        pages: number(pages),
      });
    await pager.getByText(rows(1, 200, 1000, true), { exact: true }).waitFor();
    await pager.getByText(pageOf(1, 5, true), { exact: true }).waitFor();
    await expect(scope().locator('option[value="all"]').innerText()).resolves.toBe(
      interpolate(da['list.applyTo.allCapped'], { n: number(1000) }),
    );
    await screenshot(page, 'list-search-capped');
    // The confirmation counts them all: more than the 1,000 said, not fewer.
    await page
      .getByRole('group', { name: da['common.actions'] })
      .getByRole('button', { name: da['action.disable'] })
      .click();
    await page
      .getByRole('dialog')
      .getByText(interpolate(da['action.confirmCount'], { n: number(ROWS) }))
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: da['common.cancel'] }).click();

    for (let p = 2; p <= 5; p++) {
      await nextPage().click();
      await pager.getByText(pageOf(p, Math.max(5, p), true), { exact: true }).waitFor();
    }
    await pager.getByText(rows(801, 1000, 1000, true), { exact: true }).waitFor();
    // The last page: where the rows end, the count is known.
    await nextPage().click();
    await pager.getByText(rows(1001, ROWS, ROWS, false), { exact: true }).waitFor();
    await pager.getByText(pageOf(6, 6, false), { exact: true }).waitFor();
    await expect(nextPage().isDisabled()).resolves.toBe(true);
    await expect(scope().locator('option[value="all"]').innerText()).resolves.toBe(
      interpolate(da['list.applyTo.all.other'], { n: number(ROWS) }),
    );
    await screenshot(page, 'list-search-last-page');
  });

  it('sends the version of an item selected on another page: one linked meanwhile refuses the action', async () => {
    const local = await itemByNumber('0001');
    const onPage2 = await itemByNumber('1030');
    await go(LIST);
    await selectRow(local).check();
    await nextPage().click();
    await selectRow(onPage2).check();
    await selectionOption(2).waitFor({ state: 'attached' });

    // Meanwhile someone links the local record with a file row: it is no longer what was selected.
    const remote = await itemByNumber(String(1000 + ROWS));
    await apiCall(page, 'POST', `${api}/actions/link`, { item: local.id, other: remote.id });
    await disableSelected();
    const alert = page.getByRole('alert');
    await alert.getByText(`${local.number} ${local.name}: ${da['error.stale_version']}`).waitFor();
    // Refused as a whole: neither the linked record nor the other one was disabled.
    expect((await itemById(local.id)).category).not.toBe('disabled');
    expect((await itemById(onPage2.id)).category).toBe('new');
    // The linked record left the list and the selection, said by name.
    await page
      .getByText(interpolate(da['list.deselected'], { items: `${local.number} ${local.name}` }))
      .waitFor();
    await selectionOption(1).waitFor({ state: 'attached' });
    await screenshot(page, 'list-stale-refused');
  });

  it('drops a selected item that left the list when the list refreshes, and names one refused on another page', async () => {
    const [a, b, c, d] = await Promise.all(['1001', '1002', '1003', '1040'].map(itemByNumber));
    await go(LIST);
    await selectRow(a!).check();
    await selectRow(b!).check();
    await selectionOption(2).waitFor({ state: 'attached' });
    await disableElsewhere(a!.id);
    // The list refreshes on its own (every 8 s): the item that left is no longer selected, and said so.
    await page
      .getByText(interpolate(da['list.deselected'], { items: `${a!.number} ${a!.name}` }))
      .waitFor({ timeout: 20_000 });
    await selectionOption(1).waitFor({ state: 'attached' });

    // One selected on page 1 leaves while the user is on page 2: the action's refusal names it.
    await selectRow(c!).check();
    await nextPage().click();
    await selectRow(d!).check();
    await selectionOption(3).waitFor({ state: 'attached' });
    await disableElsewhere(c!.id);
    await disableSelected();
    await page
      .getByRole('alert')
      .getByText(new RegExp(`^${c!.number} ${c!.name}: `))
      .waitFor();
    await page.getByText(interpolate(da['list.deselected'], { items: `${c!.number} ${c!.name}` })).waitFor();
    await selectionOption(2).waitFor({ state: 'attached' });
    await screenshot(page, 'list-refused-named');
    // The rest goes through now.
    await disableSelected();
    await page.getByText(interpolate(da['action.result'], { done: number(2), failed: number(0) })).waitFor();
    expect((await itemById(b!.id)).category).toBe('disabled');
    expect((await itemById(d!.id)).category).toBe('disabled');
  });

  it('shows an undo as busy while it runs, and does not offer it twice', async () => {
    // The undo of a large change takes seconds: the request is held back here to see the screen meanwhile.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/changes/*/undo', async (route) => {
      await held;
      await route.continue();
    });
    try {
      const undo = page.getByRole('button', { name: new RegExp(da['action.undo']) });
      await undo.click();
      await page.getByRole('dialog').getByRole('button', { name: da['history.undo'] }).click();
      const busy = page.getByRole('button', { name: new RegExp(da['history.undoing']) });
      await busy.waitFor();
      await expect(busy.isDisabled()).resolves.toBe(true);
      await expect(busy.getAttribute('aria-busy')).resolves.toBe('true');
      await screenshot(page, 'list-undo-busy');
      release();
      await page.getByText(da['action.undone']).waitFor();
      await expect(busy.count()).resolves.toBe(0);

      // The same on the history page, for the change's own button.
      await go('/history');
      const first = page
        .locator('table.audit tbody')
        .getByRole('button', { name: da['history.undo'] })
        .first();
      // One of many: read out with its change and record ("Fortryd ændring 12 (1001 …)").
      await expect(first.getAttribute('aria-label')).resolves.toMatch(
        new RegExp(`^${da['history.undoNamed'].split(' {n}')[0]} \\d+`),
      );
      let releaseAgain: () => void = () => undefined;
      const heldAgain = new Promise<void>((r) => (releaseAgain = r));
      await page.unroute('**/api/changes/*/undo');
      await page.route('**/api/changes/*/undo', async (route) => {
        await heldAgain;
        await route.continue();
      });
      await first.click();
      await page.getByRole('dialog').getByRole('button', { name: da['history.undo'] }).click();
      const rowBusy = page.locator('table.audit tbody').getByRole('button', { name: da['history.undoing'] });
      await rowBusy.waitFor();
      await expect(rowBusy.isDisabled()).resolves.toBe(true);
      // No other undo is offered meanwhile.
      const enabled = page.locator('table.audit tbody button:not([disabled])');
      await expect(enabled.count()).resolves.toBe(0);
      releaseAgain();
      await rowBusy.waitFor({ state: 'detached' });
    } finally {
      release();
      await page.unroute('**/api/changes/*/undo');
    }
  });

  it('says the maximum of a value too long, stops typing at it, and names who holds a taken number', async () => {
    await go('/registry/employee');
    await page.getByRole('button', { name: da['registry.new.employee'] }).click();
    const dialog = page.getByRole('dialog');
    const name = dialog.locator('input[name="name"]');
    await expect(name.getAttribute('maxlength')).resolves.toBe('100');
    await expect(dialog.locator('input[name="city"]').getAttribute('maxlength')).resolves.toBe('30');
    // Digits count without spaces: no maxlength, the refusal says the maximum.
    await expect(dialog.locator('input[name="bankRegNo"]').getAttribute('maxlength')).resolves.toBeNull();
    await dialog.locator('input[name="number"]').fill('0001');
    await name.fill('x'.repeat(120));
    await expect(name.inputValue()).resolves.toHaveLength(100);
    // A value longer than the maximum all the same (pasted by a script, say): the refusal says the maximum.
    await name.evaluate((input) => input.removeAttribute('maxlength'));
    await name.fill('x'.repeat(120));
    await dialog.locator('input[name="bankRegNo"]').fill('1234 56789');
    await dialog.getByRole('button', { name: da['common.create'] }).click();
    const tooLong = da['problem.tooLongChars.other'].replace('{n}', '100');
    const tooMany = da['problem.tooManyDigits.other'].replace('{n}', '8');
    await dialog.getByText(tooMany, { exact: true }).waitFor();
    await dialog.getByText(tooLong, { exact: true }).waitFor();
    await dialog.getByRole('alert').getByText(`${da['field.bankRegNo']}: ${tooMany}`).waitFor();
    await dialog.getByRole('alert').getByText(`${da['field.name']}: ${tooLong}`).waitFor();
    // The keyboard is taken to the first field refused, not left on the page's body.
    await expect
      .poll(() => page.evaluate<string | undefined>('document.activeElement?.getAttribute("name")'))
      .toBe('name');
    await screenshot(page, 'list-record-too-long');

    // A number someone has: said with whom.
    await name.fill('Bo Hansen');
    await dialog.locator('input[name="bankRegNo"]').fill('1234');
    await dialog.getByRole('button', { name: da['common.create'] }).click();
    await dialog
      .getByRole('alert')
      .getByText(interpolate(da['error.duplicate_number.named'], { name: 'Aase Lokal' }))
      .waitFor();
    // A refusal that names no field of the form leaves the keyboard on the create button.
    await expect
      .poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()'))
      .toBe(da['common.create']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'list-record-number-taken');
  });

  it('downloads the export of "løn" under its own name', async () => {
    await go(`/import?integration=${encodeURIComponent(INTEGRATION)}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: da['import.exportDownload'] }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('løn-export.csv');
  });
});
