/**
 * A live Tryton integration in the web app, in German, in Debian's Chromium against the real server and a
 * real trytond: an administrator adds the integration with its connection, syncs it now and reads the last
 * round; a new customer asks whether to synchronise, and "now" creates the party in Tryton.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../web/src/i18n/de.js';
import type { TrytonDb } from '../tryton/tryton.js';
import { copyTemplate, trytonEnv } from '../tryton/tryton.js';
import type { RunningServer } from './support.js';
import { apiCall, launchBrowser, screenshot, seriousViolations, startServer } from './support.js';

let server: RunningServer;
let browser: Browser;
let page: Page;
let tryton: TrytonDb;

beforeAll(async () => {
  tryton = copyTemplate();
  await tryton.admin.createParty('K77', 'Gebäudereinigung Nord', 'Kiel', 'nord@example.de');
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
  await apiCall(page, 'POST', '/api/setup', {
    login: 'erika',
    name: 'Erika Muster',
    password: 'correct horse battery',
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  tryton?.drop();
});

const labelled = (scope: Pick<Page, 'getByLabel'>, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));

async function expectAccessible(name: string) {
  await screenshot(page, name);
  expect(await seriousViolations(page), name).toEqual([]);
}

describe('a live Tryton integration in the web app', () => {
  it('is added with its connection, synced now, and shows its last round', async () => {
    await page.goto(`${server.url}/integrations/new`);
    await labelled(page, de['integrations.name']).fill('tryton');
    await page.getByLabel(de['integrations.entity']).selectOption('customer');
    await page.getByLabel(de['integrations.source']).selectOption('tryton');
    await labelled(page, de['live.url']).fill(tryton.url);
    await labelled(page, de['live.database']).fill(tryton.name);
    await labelled(page, de['live.user']).fill('admin');
    await labelled(page, de['live.password']).fill(trytonEnv().password);
    await expectAccessible('20-live-integration-new');
    await page.getByRole('button', { name: de['common.create'] }).click();
    await page.getByText(de['integrations.created']).waitFor();
    await page.getByText(de['live.never']).waitFor();
    // The connection is tried as the page opens, and again on request.
    await page.getByText(de['live.check.ok']).waitFor();
    await page.getByRole('button', { name: de['live.check'] }).click();
    await page.getByText(de['live.check.ok']).waitFor();

    await page.getByRole('button', { name: de['live.syncNow'] }).click();
    await page.getByText(de['live.done']).waitFor({ timeout: 30_000 });
    await page.getByText(de['live.last.ok'].replace(' {when}', '')).waitFor();
    await expectAccessible('21-live-integration-synced');

    await page.goto(`${server.url}/overview/tryton?category=new`);
    await page.getByRole('cell', { name: 'K77', exact: true }).waitFor();
    await page.getByRole('button', { name: de['live.syncNow'] }).waitFor();
    await expectAccessible('22-live-overview');
  });

  it('asks whether to synchronise a new customer, and "now" creates it in Tryton', async () => {
    await page.goto(`${server.url}/registry/customer`);
    await page.getByRole('button', { name: de['registry.new.customer'] }).click();
    const form = page.getByRole('dialog');
    await labelled(form, de['field.number']).fill('K78');
    await labelled(form, de['field.name']).fill('Hausverwaltung Süd');
    await form.getByRole('button', { name: de['common.create'] }).click();
    const ask = page.getByRole('dialog', { name: de['registry.createdSync'] });
    await ask.waitFor();
    await screenshot(page, '23-customer-sync-prompt');
    await ask.getByRole('button', { name: de['registry.sync.now'] }).click();
    await ask.waitFor({ state: 'detached' });

    // "Now" queues the creation; the next round delivers it.
    await page.goto(`${server.url}/integrations/tryton`);
    await page.getByRole('button', { name: de['live.syncNow'] }).click();
    await page.getByText(de['live.done']).waitFor({ timeout: 30_000 });
    const parties = await tryton.admin.parties();
    expect(parties['K78']).toMatchObject({ name: 'Hausverwaltung Süd' });
  });
});
