/**
 * The web app in Debian's Chromium against the real server (built, on SQLite): first-admin setup and
 * login; an import previewed and applied, its counts read; a conflict resolved field by field; all
 * partners set up; undo; a record archived and restored; the language switched with no English left;
 * an axe-core scan of every main screen; a screenshot of each in test-artifacts/screens/.
 *
 * The data is SYNC.md §11's worked example (customers, file integration), with a second conflicting
 * field on K2 so that resolving is field by field.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../web/src/i18n/de.js';
import { en } from '../../web/src/i18n/en.js';
import type { RunningServer } from './support.js';
import { apiCall, launchBrowser, screenshot, seriousViolations, startServer } from './support.js';

const ADMIN = { name: 'Erika Muster', login: 'erika', password: 'correct horse battery' };
const INTEGRATION = 'erp-kunden';
const FILE = [
  'Customer no.,Customer name,City,Country,E-mail,Active',
  'K1,Bäckerei Sonnenschein,Berlin,DE,info@sonnenschein.de,yes',
  'K2,Praxis Weiß,Bremen,AT,b@weiss.de,yes',
  'K3,Kanzlei Østergaard,København,DK,,yes',
  'K4,Altkunde GmbH,Hamburg,DE,,no',
  '',
].join('\r\n');

type Counts = Record<'conflict' | 'new' | 'deleted' | 'disabled' | 'synced' | 'inactive', number>;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
    await screenshot(page, `failed-${name}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A labelled control; a required one's label ends in " *" (hidden from screen readers). */
const labelled = (scope: Pick<Page, 'getByLabel'>, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));
const go = (path: string) => page.goto(`${server.url}${path}`);
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** Reads the six counts shown in the element (data-category carries the id; text is formatted). */
async function countsIn(selector: string): Promise<Counts> {
  const pairs = await page
    .locator(`${selector} [data-category]`)
    .evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute('data-category'), Number((n.textContent ?? '').replace(/\D/g, ''))]),
    );
  return Object.fromEntries(pairs) as Counts;
}

async function expectAccessible(name: string) {
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

async function readDownload(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

async function serverCounts(): Promise<Counts> {
  const answer = await apiCall<{ counts: Counts }>(page, 'GET', `/api/integrations/${INTEGRATION}/overview`);
  return answer.counts;
}

describe('the web app in Chromium', () => {
  it('creates the first administrator on a fresh database, logs out and logs in again', async () => {
    await go('/');
    await heading(en['auth.setup.title']).waitFor();
    await page.getByLabel(en['auth.name']).fill(ADMIN.name);
    await page.getByLabel(en['auth.login']).fill(ADMIN.login);
    await labelled(page, en['auth.password']).fill(ADMIN.password);
    await page.getByLabel(en['auth.passwordRepeat']).fill(ADMIN.password);
    await expectAccessible('01-setup');
    await page.getByRole('button', { name: en['auth.setup.submit'] }).click();
    await heading(en['overview.title']).waitFor();
    await page.getByText(en['overview.none']).waitFor();
    await expectAccessible('02-overview-empty');

    await page.getByRole('button', { name: en['nav.logout'] }).click();
    await heading(en['auth.login.title']).waitFor();
    await page.getByLabel(en['auth.login']).fill(ADMIN.login);
    await labelled(page, en['auth.password']).fill('wrong password!');
    await page.getByRole('button', { name: en['auth.login.submit'] }).click();
    await page.getByText(en['auth.invalid']).waitFor();
    await expectAccessible('03-login');
    await labelled(page, en['auth.password']).fill(ADMIN.password);
    await page.getByRole('button', { name: en['auth.login.submit'] }).click();
    await heading(en['overview.title']).waitFor();
  });

  it('creates an integration and registry records', async () => {
    await page
      .getByRole('navigation', { name: en['nav.main'] })
      .getByRole('link', { name: en['nav.integrations'] })
      .click();
    await page.getByRole('link', { name: en['integrations.new'] }).click();
    await labelled(page, en['integrations.name']).fill(INTEGRATION);
    await page.getByLabel(en['integrations.entity']).selectOption('customer');
    await page.getByRole('button', { name: en['common.create'] }).click();
    await page.getByText(en['integrations.created']).waitFor();
    await expectAccessible('04-integration-settings');

    await page.getByRole('link', { name: en['nav.customers'] }).click();
    await heading(en['registry.title.customer']).waitFor();
    await page.getByText(en['registry.empty']).waitFor();
    await page.getByRole('button', { name: en['registry.new.customer'] }).click();
    const dialog = page.getByRole('dialog');
    await labelled(dialog, en['field.number']).fill('K1');
    await labelled(dialog, en['field.name']).fill('Bäckerei Sonnenschein');
    await dialog.getByLabel(en['field.city']).fill('Berlin');
    await expectAccessible('05-registry-new-customer');
    await dialog.getByRole('button', { name: en['common.create'] }).click();
    await page.getByText(en['registry.saved']).waitFor();
    await apiCall(page, 'POST', '/api/customers', {
      values: { number: 'K2', name: 'Praxis Weiß', city: 'Hamburg', country: 'DE', email: 'a@weiss.de' },
    });
    await apiCall(page, 'POST', '/api/customers', { values: { number: 'K9', name: 'Café Glück' } });
    await page.reload();
    await page.getByRole('cell', { name: 'K9', exact: true }).waitFor();
    await expectAccessible('06-registry');
  });

  it('previews an import, applies it and reads the counts', async () => {
    await page.getByRole('link', { name: en['nav.import'] }).click();
    await heading(en['import.title']).waitFor();
    await page.getByLabel(en['import.file']).setInputFiles({
      name: 'kunden.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(FILE, 'utf8'),
    });
    await page.getByRole('button', { name: en['import.preview'] }).click();
    await page.getByRole('heading', { name: en['import.previewTitle'] }).waitFor();
    const expected: Counts = { conflict: 1, new: 2, deleted: 0, disabled: 0, synced: 1, inactive: 1 };
    expect(await countsIn('.report')).toEqual(expected);
    expect(await serverCounts(), 'a preview changes nothing').toEqual({
      conflict: 0,
      new: 3,
      deleted: 0,
      disabled: 0,
      synced: 0,
      inactive: 0,
    });
    await expectAccessible('07-import-preview');

    await page.getByRole('button', { name: en['import.apply'], exact: true }).click();
    await page.getByRole('heading', { name: en['import.resultTitle'] }).waitFor();
    expect(await serverCounts()).toEqual(expected);

    await page.getByRole('link', { name: en['nav.overview'] }).click();
    await page.getByRole('heading', { name: INTEGRATION }).waitFor();
    await page.locator('.card [data-category="conflict"]').filter({ hasText: /^1$/ }).waitFor();
    expect(await countsIn('.card')).toEqual(expected);
    await expectAccessible('08-overview');
  });

  it('resolves a conflict field by field', async () => {
    await page.getByRole('link', { name: INTEGRATION }).click();
    await page.getByRole('link', { name: 'K2' }).click();
    await heading(/K2/).waitFor();
    const city = page.getByRole('row', { name: new RegExp(en['field.city']) });
    const email = page.getByRole('row', { name: new RegExp(en['field.email']) });
    await city.getByRole('radio').nth(1).check(); // the remote side's "Bremen"
    await email.getByLabel(en['item.ownValue'].replace('{field}', en['field.email'])).fill('praxis@weiss.de');
    // A country of one's own is chosen from the list of names, as in the record form.
    const country = page.getByRole('row', { name: new RegExp(en['field.country']) });
    await country.getByRole('radio', { name: 'Germany (DE)' }).waitFor(); // the code with its name
    await country
      .getByLabel(en['item.ownValue'].replace('{field}', en['field.country']))
      .selectOption({ label: 'Switzerland (CH)' });
    await expectAccessible('09-item-conflict');
    await page.getByRole('button', { name: en['item.resolve'] }).click();
    await page.getByText(en['item.resolved']).waitFor();
    // The file still says b@weiss.de: the page says the value goes out in the export file.
    await page.getByText(en['item.inExport']).waitFor();
    const { record } = await apiCall<{ record: { values: Record<string, string> } }>(
      page,
      'GET',
      '/api/customers/K2',
    );
    expect(record.values).toMatchObject({ city: 'Bremen', country: 'CH', email: 'praxis@weiss.de' });
    expect(await serverCounts()).toMatchObject({ conflict: 0, synced: 2 });
  });

  it('sets up all partners after a confirmation that counts them, then undoes it', async () => {
    await go(`/overview/${INTEGRATION}?category=new`);
    await page.getByRole('cell', { name: 'K3', exact: true }).waitFor();
    await expectAccessible('10-list-new');
    await page.getByRole('button', { name: en['action.partnerAll'] }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(en['action.confirmCount'].replace('{n}', '2')).waitFor();
    await expectAccessible('11-confirm-partner-all');
    await dialog.getByRole('button', { name: en['action.partnerAll'] }).click();
    await page.getByText(en['action.result'].replace('{done}', '2').replace('{failed}', '0')).waitFor();
    // K3 came into the registry and is linked; K9 went to the export file and waits in "new".
    expect(await serverCounts()).toEqual({
      conflict: 0,
      new: 1,
      deleted: 0,
      disabled: 0,
      synced: 3,
      inactive: 1,
    });
    await page.locator('.category-tabs [data-category="synced"]').filter({ hasText: /^3$/ }).waitFor();

    await page.getByRole('button', { name: en['action.undo'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: en['history.undo'] }).click();
    await page.getByText(en['action.undone']).waitFor();
    expect(await serverCounts()).toEqual({
      conflict: 0,
      new: 2,
      deleted: 0,
      disabled: 0,
      synced: 2,
      inactive: 1,
    });
  });

  it('archives a record and restores it from the archive', async () => {
    await go('/registry/customer');
    await page.getByRole('button', { name: `${en['registry.archive']}: K9 Café Glück` }).click();
    await page.getByRole('dialog').getByRole('button', { name: en['registry.archive'] }).click();
    await page.getByText(en['registry.archived'], { exact: true }).first().waitFor();
    // The message comes with the answer; the list follows when it has been read again.
    await page.getByRole('cell', { name: 'K9', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: en['registry.showArchive'] }).click();
    await page.getByRole('cell', { name: 'K9', exact: true }).waitFor();
    await expectAccessible('12-registry-archive');
    await page.getByRole('button', { name: `${en['registry.restore']}: K9 Café Glück` }).click();
    await page.getByText(en['registry.emptyArchive']).waitFor();
    const { record } = await apiCall<{ record: { archived: boolean } }>(page, 'GET', '/api/customers/K9');
    expect(record.archived).toBe(false);
  });

  it('shows the history with undo for each change', async () => {
    await go('/history');
    await heading(en['history.title']).waitFor();
    await page.locator('table.audit tbody tr').first().waitFor();
    await expectAccessible('13-history');
  });

  it('switches to German and leaves no English on the main screens', { timeout: 90_000 }, async () => {
    await go('/');
    await page.getByLabel(en['nav.language']).selectOption('de');
    await heading(de['overview.title']).waitFor();
    // Every English message that German words differently must be absent from every screen.
    // (An English text that is also a German word, like "Filter" in "mit Filter", is not a leftover.)
    const german = Object.values(de);
    const english = Object.values(en).filter(
      (v) => !v.includes('{') && v.length >= 6 && !german.some((g) => g.includes(v)),
    );
    const screens = [
      '/',
      `/overview/${INTEGRATION}?category=synced`,
      `/overview/${INTEGRATION}?category=new`,
      '/import',
      '/registry/customer',
      '/registry/employee',
      '/integrations',
      `/integrations/${INTEGRATION}`,
      '/history',
    ];
    for (const path of screens) {
      await go(path);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const text = await page.locator('body').innerText();
      const left = english.filter((e) => text.includes(e));
      expect(left, `English on ${path}`).toEqual([]);
    }
    // A customer integration's categories name customers, not "Mitarbeiter/Kunden".
    await go(`/overview/${INTEGRATION}?category=new`);
    await page.getByRole('heading', { level: 2, name: de['category.new.customer'] }).waitFor();
    expect(await page.locator('.category-tabs').innerText()).not.toContain('Mitarbeiter');
    await go(`/overview/${INTEGRATION}?category=synced`);
    await page.getByRole('cell', { name: 'K1', exact: true }).waitFor();
    await expectAccessible('14-list-synced-de');
    await page.getByRole('link', { name: 'K1' }).click();
    await heading(/K1/).waitFor();
    await expectAccessible('15-item-de');
  });

  it('names an invalid value in German, field by field', async () => {
    await go('/registry/customer');
    await page.getByRole('button', { name: de['registry.new.customer'] }).click();
    const dialog = page.getByRole('dialog');
    await labelled(dialog, de['field.number']).fill('K20');
    await labelled(dialog, de['field.name']).fill('Reinigung Nord');
    await labelled(dialog, de['field.email']).fill('keine-adresse');
    await dialog.getByRole('button', { name: de['common.create'] }).click();
    await dialog.getByText(de['error.validation_failed']).waitFor();
    await dialog.getByText(de['problem.email'], { exact: true }).waitFor();
    await expectAccessible('17-registry-invalid-de');
    await dialog.getByRole('button', { name: de['common.cancel'] }).click();
  });

  it('refuses a date the browser cannot read instead of saving it as cleared', async () => {
    await go('/registry/employee');
    await page.getByRole('button', { name: de['registry.new.employee'] }).click();
    const dialog = page.getByRole('dialog');
    await labelled(dialog, de['field.number']).fill('7301');
    await labelled(dialog, de['field.name']).fill('Jörg Bäcker');
    // A date typed only in part (one of its three parts): the date field then holds no value at all.
    await labelled(dialog, de['field.employedSince']).click();
    await page.keyboard.type('12');
    expect(
      await labelled(dialog, de['field.employedSince']).evaluate((i) => {
        const input = i as unknown as { value: string; validity: { badInput: boolean } };
        return [input.value, input.validity.badInput];
      }),
    ).toEqual(['', true]);
    await dialog.getByRole('button', { name: de['common.create'] }).click();
    await dialog.getByText(de['problem.date'], { exact: true }).waitFor();
    const listed = await apiCall(page, 'GET', '/api/employees?search=7301');
    expect((listed as { records: unknown[] }).records).toEqual([]);
    await dialog.getByRole('button', { name: de['common.cancel'] }).click();
  });

  it('picks the country by its German name and stores its code', async () => {
    await go('/registry/employee');
    await page.getByRole('button', { name: de['registry.new.employee'] }).click();
    const dialog = page.getByRole('dialog');
    await labelled(dialog, de['field.number']).fill('7302');
    await labelled(dialog, de['field.name']).fill('Mette Sørensen');
    await labelled(dialog, de['field.country']).selectOption({ label: 'Dänemark (DK)' });
    await dialog.getByRole('button', { name: de['common.create'] }).click();
    await dialog.waitFor({ state: 'detached' });
    const listed = (await apiCall(page, 'GET', '/api/employees?search=7302')) as {
      records: { values: Record<string, string> }[];
    };
    expect(listed.records.map((r) => r.values.country)).toEqual(['DK']);
  });

  it('shows the validation report of an invalid file in German, and downloads it and the export', async () => {
    await go('/import');
    await heading(de['import.title']).waitFor();
    const bad = [
      'Kundennr.,Kundenname,E-Mail',
      'K1,Bäckerei Sonnenschein,info@sonnenschein.de',
      'K5,Neu,keine-adresse',
      `K1,${'N'.repeat(101)},`,
      '',
    ];
    await page.getByLabel(de['import.file']).setInputFiles({
      name: 'fehler.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad.join('\r\n'), 'utf8'),
    });
    await page.getByRole('button', { name: de['import.preview'] }).click();
    // Counted, as in English: "2 Zeilen der Datei sind ungültig (3 Probleme); …", said once.
    const counted = de['error.file_invalid.rows.other']
      .replace('{n}', '2')
      .replace('{problems}', ` (${de['error.file_invalid.problems.other'].replace('{n}', '3')})`);
    await expect(page.getByRole('alert').innerText()).resolves.toBe(counted);
    const rows = page.locator('table.problems tbody tr');
    await expect(rows.first().innerText()).resolves.toMatch(
      /^3\s+E-Mail\s+keine-adresse\s+ist keine E-Mail-Adresse$/,
    );
    // What the reason says beyond its code, in German: the other row, the maximum.
    const reasons = await rows.locator('td:nth-child(4)').allInnerTexts();
    expect(reasons.slice(1).sort()).toEqual(
      [
        de['problem.duplicate_in_file.rows'].replace('{rows}', '2'),
        de['problem.too_long.characters'].replace('{max}', '100'),
      ].sort(),
    );
    // The 101 letters wrap: the reason stays in the table's frame.
    const [frame, reason] = await Promise.all([
      page.locator('table.problems').locator('..').boundingBox(),
      rows.nth(2).locator('td:nth-child(4)').boundingBox(),
    ]);
    expect(reason!.x + reason!.width).toBeLessThanOrEqual(frame!.x + frame!.width);
    await expectAccessible('18-import-invalid-de');
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: de['import.problemsDownload'] }).click(),
    ]);
    // As the screen shows it, for a German Excel: German words, ";" between cells.
    expect(report.suggestedFilename()).toBe('Prüfbericht.csv');
    expect((await readDownload(report)).split('\r\n').slice(0, 2)).toEqual([
      '\uFEFFZeile;Spalte;Wert;Grund',
      '3;E-Mail;keine-adresse;ist keine E-Mail-Adresse',
    ]);
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: de['import.exportDownload'] }).click(),
    ]);
    expect(exported.suggestedFilename()).toMatch(/\.csv$/);
    expect(await readDownload(exported)).toMatch(/^\uFEFFKundennr.;Kundenname;/);
  });

  it('says in German which column a file lacks', async () => {
    await go('/import');
    await page.getByLabel(de['import.file']).setInputFiles({
      name: 'ohne-nummer.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Kundenname;E-Mail\r\nBäckerei Sonnenschein;info@sonnenschein.de\r\n', 'utf8'),
    });
    await page.getByRole('button', { name: de['import.preview'] }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toBe(
      'Die Datei hat keine Spalte für „Nummer“ (Überschrift z. B. „Kundennr.“, „Customer no.“, „Kundenr.“). ' +
        'Zeile 1 muss die Spaltenüberschriften enthalten.',
    );
  });

  it('says how many changes a preview has when it lists only the first', async () => {
    await go('/import');
    const rows = Array.from({ length: 520 }, (_, i) => `K${1000 + i};Kunde ${i}`);
    await page.getByLabel(de['import.file']).setInputFiles({
      name: 'viele.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['Kundennr.;Kundenname', ...rows, ''].join('\r\n'), 'utf8'),
    });
    await page.getByRole('button', { name: de['import.preview'] }).click();
    // 520 new customers, and the file's absence marks the linked ones deleted.
    const note = page.getByText(/^Aufgeführt sind die ersten 500 von \d+\.$/);
    await note.waitFor();
    const changes = (await note.innerText()).match(/von (\d+)/)![1];
    expect(Number(changes)).toBeGreaterThan(520);
    expect(await page.locator('table.planned tbody tr').count()).toBe(500);
  });

  it('offers the other worksheets of a workbook whose first tab is a cover sheet', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Deckblatt').addRow(['Export vom 28.11.2026']);
    const customers = workbook.addWorksheet('Kunden');
    for (const line of FILE.split('\r\n').filter(Boolean)) customers.addRow(line.split(','));
    await go('/import');
    await page.getByLabel(de['import.file']).setInputFiles({
      name: 'kunden.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: de['import.preview'] }).click();
    await page
      .getByText('Das Arbeitsblatt „Deckblatt“ hat keine Spalte für „Nummer“', { exact: false })
      .waitFor();
    await expectAccessible('19-import-cover-sheet-de');
    await page.getByRole('button', { name: 'Arbeitsblatt „Kunden“ lesen' }).click();
    await page.getByRole('heading', { name: de['import.previewTitle'] }).waitFor();
    await expect(page.locator('.chosen').innerText()).resolves.toContain('Arbeitsblatt „Kunden“');
  });

  it('masks sensitive values until asked for', async () => {
    await apiCall(page, 'POST', '/api/employees', {
      values: { number: '1001', name: 'Anna Müller', ssn: '12345678901', accountNo: '1234567890' },
    });
    await go('/registry/employee');
    await page.getByRole('cell', { name: '1001', exact: true }).waitFor();
    await expect(page.locator('body').innerText()).resolves.not.toContain('12345678901');
    await page.getByRole('button', { name: `${de['common.edit']}: 1001 Anna Müller` }).click();
    const dialog = page.getByRole('dialog');
    const ssn = dialog.getByLabel(new RegExp(`^${de['field.ssn']}`));
    await expect(ssn.inputValue()).resolves.not.toContain('12345678901');
    await dialog.getByRole('button', { name: new RegExp(`${de['field.ssn']}.*anzeigen`) }).click();
    await expect.poll(() => ssn.inputValue()).toBe('12345678901');
    await dialog.getByRole('button', { name: de['common.cancel'] }).click();
  });

  it('hides from a supervisor what only an administrator may do', async () => {
    await apiCall(page, 'POST', '/api/users', {
      login: 'sven',
      name: 'Sven Vorarbeiter',
      role: 'supervisor',
      password: 'another long password',
    });
    const other = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    const sup = await other.newPage();
    await sup.goto(server.url);
    await labelled(sup, de['auth.login']).fill('sven');
    await labelled(sup, de['auth.password']).fill('another long password');
    await sup.getByRole('button', { name: de['auth.login.submit'] }).click();
    await sup.getByRole('heading', { level: 1, name: de['overview.title'] }).waitFor();
    const nav = sup.getByRole('navigation', { name: de['nav.main'] });
    await expect(nav.getByRole('link', { name: de['nav.import'] }).count()).resolves.toBe(0);
    await sup.goto(`${server.url}/overview/${INTEGRATION}?category=new`);
    await sup.getByRole('cell', { name: 'K3', exact: true }).waitFor();
    await expect(sup.getByRole('button', { name: de['action.partnerAll'] }).count()).resolves.toBe(0);
    await expect(sup.getByRole('checkbox').count()).resolves.toBe(0);
    await sup.goto(`${server.url}/registry/customer`);
    await sup.getByRole('cell', { name: 'K1', exact: true }).waitFor();
    await expect(
      sup.getByRole('button', { name: new RegExp(`^${de['registry.archive']}`) }).count(),
    ).resolves.toBe(0);
    await other.close();
  });

  it('is operable by keyboard: a skip link into the content, and visible focus', async () => {
    await go('/');
    await heading(de['overview.title']).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe(de['app.skip']);
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('main');
    // Focus is visible: the focused control gets an outline.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');

    // A dialog closed with Escape gives the focus back to the button that opened it; with typed
    // changes it asks first.
    await go('/registry/customer');
    const opener = page.getByRole('button', { name: de['registry.new.customer'] });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe(
      de['registry.new.customer'],
    );
    await page.keyboard.press('Enter');
    await labelled(dialog, de['field.name']).fill('Halb getippt');
    const questions: string[] = [];
    page.once('dialog', (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.keyboard.press('Escape');
    await expect.poll(() => questions).toEqual([de['registry.discard']]);
    expect(await labelled(dialog, de['field.name']).inputValue()).toBe('Halb getippt');
    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('fits a narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await go('/');
    await heading(de['overview.title']).waitFor();
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible('16-overview-narrow-de');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('links a suggested partner and shows the item that stays, saying so', async () => {
    await apiCall(page, 'POST', '/api/customers', {
      values: { number: 'K50', name: 'Glaserei Sommer', email: 'sommer@glas.de' },
    });
    await go('/import');
    await page.getByLabel(de['import.file']).setInputFiles({
      name: 'kunden-2.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${FILE}K5,Glaserei Sommer,Ulm,DE,sommer@glas.de,yes\r\n`, 'utf8'),
    });
    await page.getByRole('button', { name: de['import.apply'], exact: true }).click();
    await page.getByRole('heading', { name: de['import.resultTitle'] }).waitFor();
    const { items } = await apiCall<{ items: { id: number; number: string }[] }>(
      page,
      'GET',
      `/api/integrations/${INTEGRATION}/items?search=K5`,
    );
    const remote = items.find((i) => i.number === 'K5')!;
    await go(`/overview/${INTEGRATION}/${remote.id}`);
    await page.getByRole('cell', { name: 'K50', exact: true }).waitFor();
    await page.getByRole('button', { name: de['item.choose'] }).click();
    await page.getByText(de['item.linked']).waitFor();
    await heading(/K50/).waitFor();
    expect(await page.getByText(de['item.notFound']).count()).toBe(0);
  });
});
