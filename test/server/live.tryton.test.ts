/**
 * Live integrations over HTTP against a real trytond: an admin adds a Tryton integration with its
 * password (stored encrypted, never shown), syncs it now as a job, and everyone can read the last round.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretBox } from '../../src/sync/secrets.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TrytonDb } from '../tryton/tryton.js';
import { copyTemplate, KEY, trytonEnv } from '../tryton/tryton.js';
import type { TestServer } from './support.js';
import { followJob, startServer } from './support.js';

describe.each(DATABASES)('live integrations over HTTP, Abgleich on $name', (target) => {
  let database: TestDatabase;
  let tryton: TrytonDb;
  let t: TestServer;

  beforeEach(async () => {
    database = await target.connect();
    tryton = copyTemplate();
    t = await startServer(database, { secrets: () => secretBox(KEY) });
  });
  afterEach(async () => {
    await t.close();
    await database.cleanup();
    tryton.drop();
  });

  const connection = (password?: string) => ({
    url: tryton.url,
    database: tryton.name,
    user: 'admin',
    ...(password === undefined ? {} : { password }),
  });

  it('adds a Tryton integration, syncs it now as a job, and shows the last round', async () => {
    await tryton.admin.createParty('K77', 'Gebäudereinigung Nord', 'Kiel', 'nord@example.de');
    const created = await t.admin.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: {
        name: 'erp',
        entity: 'customer',
        source: 'tryton',
        settings: { connection: connection(trytonEnv().password), intervalMinutes: 5 },
      },
    });
    expect(created.statusCode).toBe(201);
    const integration = created.json().integration;
    expect(integration).toMatchObject({ source: 'tryton', writable: true });
    expect(integration.settings.connection).toEqual({
      url: tryton.url,
      database: tryton.name,
      user: 'admin',
      category: null,
    });
    expect(integration.settings.intervalMinutes).toBe(5);
    expect(created.body).not.toContain(trytonEnv().password);

    // A supervisor may not pull (SYNC.md §9).
    const refused = await t.supervisor.inject({
      method: 'POST',
      url: '/api/integrations/erp/sync',
      payload: {},
    });
    expect(refused.statusCode).toBe(403);

    const started = await t.admin.inject({ method: 'POST', url: '/api/integrations/erp/sync', payload: {} });
    expect(started.statusCode).toBe(202);
    const events = await followJob(t, t.admin, started.json().job.id);
    expect(events.at(-1)).toMatchObject({ event: 'done' });

    const overview = await t.supervisor.inject({ method: 'GET', url: '/api/integrations/erp/overview' });
    expect(overview.json().counts.new).toBeGreaterThanOrEqual(1);
    const items = await t.supervisor.inject({ method: 'GET', url: '/api/integrations/erp/items?search=K77' });
    expect(items.json().items.map((i: { number: string }) => i.number)).toContain('K77');

    // A new customer needs the sync choice while a writable customer integration exists (SYNC.md §7).
    const unasked = await t.supervisor.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { values: { number: 'K78', name: 'Ohne Wahl' } },
    });
    expect(unasked.statusCode, unasked.body).toBe(400);
    expect(unasked.json().error).toMatchObject({ code: 'usage', details: { integrations: ['erp'] } });
    expect((await t.supervisor.inject({ method: 'GET', url: '/api/customers/K78' })).statusCode).toBe(404);
    const never = await t.supervisor.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { values: { number: 'K78', name: 'Ohne Wahl' }, sync: 'never' },
    });
    expect(never.statusCode, never.body).toBe(201);
    const k78 = await t.supervisor.inject({ method: 'GET', url: '/api/integrations/erp/items?search=K78' });
    expect(k78.json().items).toEqual([expect.objectContaining({ number: 'K78', category: 'disabled' })]);

    const runs = await t.supervisor.inject({ method: 'GET', url: '/api/sync-runs' });
    expect(runs.statusCode).toBe(200);
    expect(runs.json().runs).toEqual([
      expect.objectContaining({ integration: 'erp', outcome: 'ok', error: null }),
    ]);
  });

  it('refuses a Tryton integration without a password, and a file integration cannot be synced now', async () => {
    const res = await t.admin.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: { name: 'erp', entity: 'customer', source: 'tryton', settings: { connection: connection() } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    const list = await t.admin.inject({ method: 'GET', url: '/api/integrations' });
    expect(list.json().integrations.map((i: { name: string }) => i.name)).not.toContain('erp');

    const file = await t.admin.inject({ method: 'POST', url: '/api/integrations/lohn/sync', payload: {} });
    expect(file.statusCode).toBe(400);
    expect(file.json().error.code).toBe('usage');
  });
});
