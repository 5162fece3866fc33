/** Employees ↔ company.employee with its party (start/end dates; leaving = end_date), against trytond. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import * as actions from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { getIntegration } from '../../src/sync/integrations.js';
import { syncIntegration } from '../../src/sync/live-sync.js';
import { listItems } from '../../src/sync/overview.js';
import { archiveRecord, createRecord, editRecord, getRecord } from '../../src/sync/registry.js';
import { countsAgree } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TrytonDb } from './tryton.js';
import { appWithTryton, copyTemplate, KEY } from './tryton.js';
import { secretBox, storeSecret } from '../../src/sync/secrets.js';
import { changeSettings } from '../../src/sync/settings-change.js';

const date = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return { __class__: 'date', year, month, day };
};

describe.each(DATABASES)('employees with Tryton, Abgleich on $name', (target) => {
  let db: TestDatabase;
  let tryton: TrytonDb;
  let app: App;

  beforeEach(async () => {
    db = await target.connect();
    tryton = copyTemplate();
    app = await appWithTryton(db, tryton, {}, { entity: 'employee' });
  });
  afterEach(async () => {
    expect(await countsAgree(app)).toBe(true);
    await app.close();
    await db.cleanup();
    tryton.drop();
  });

  const employees = async () =>
    (await tryton.admin.call('company.employee', 'search_read', [], 0, null, null, [
      'party.code',
      'party.name',
      'start_date',
      'end_date',
    ])) as { 'party.': { code: string; name: string }; start_date: unknown; end_date: unknown }[];

  it('employees flow both ways with their dates, and leaving sets the end date in Tryton', async () => {
    const [party] = (await tryton.admin.call('party.party', 'create', [
      {
        code: '1001',
        name: 'Anna Müller',
        contact_mechanisms: [['create', [{ type: 'mobile', value: '0170 1234567' }]]],
      },
    ])) as number[];
    await tryton.admin.call('company.employee', 'create', [
      { party, company: 1, start_date: date('2024-03-01') },
    ]);
    await tryton.admin.createParty('C1', 'A customer, not an employee');
    await app.unit('create', null, (u) =>
      createRecord(u, 'employee', {
        number: '1002',
        name: 'Jens Hansen',
        employedSince: '2025-01-15',
        city: 'Aarhus',
      }),
    );
    const first = await syncIntegration(app, 'erp');
    expect(first.pull.listed).toBe(1);
    const integration = await getIntegration(app.db.kysely, app.workspace, 'erp');
    await runAction(app, 'erp', 'partner', { category: 'new' }, (u, i, it) =>
      actions.createPartner(u, i, it),
    );
    await syncIntegration(app, 'erp');
    const anna = await getRecord(app.db.kysely, app.workspace, 'employee', '1001');
    expect(anna.values).toMatchObject({
      name: 'Anna Müller',
      employedSince: '2024-03-01',
      workPhone: '0170 1234567',
    });
    const rows = await employees();
    expect(rows.map((r) => r['party.'].code).sort()).toEqual(['1001', '1002']);
    expect(rows.find((r) => r['party.'].code === '1002')!.start_date).toMatchObject(date('2025-01-15'));

    await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'employee', '1002'), {
        employedUntil: '2026-12-31',
      }),
    );
    await syncIntegration(app, 'erp');
    expect((await employees()).find((r) => r['party.'].code === '1002')!.end_date).toMatchObject(
      date('2026-12-31'),
    );
    const items = (await listItems(app.db.kysely, integration, { limit: 10 })).items;
    expect(items.map((i) => i.category)).toEqual(['synced', 'synced']);
  });

  it('an employee who left here is deactivated in Tryton by an end date in the past, and does not come back as new', async () => {
    const [party] = (await tryton.admin.call('party.party', 'create', [
      { code: '1001', name: 'Anna Müller' },
    ])) as number[];
    await tryton.admin.call('company.employee', 'create', [
      { party, company: 1, start_date: date('2024-03-01') },
    ]);
    await app.unit('create', null, (u) =>
      createRecord(u, 'employee', { number: '1001', name: 'Anna Müller' }),
    );
    await syncIntegration(app, 'erp');
    const current = await getIntegration(app.db.kysely, app.workspace, 'erp');
    await app.unit('set', null, (u) => changeSettings(u, current, { remoteDelete: 'deactivate' }));
    await app.unit('archive', null, async (u) =>
      archiveRecord(u, await getRecord(u.db, app.workspace, 'employee', '1001')),
    );
    await runAction(app, 'erp', 'delete', { category: 'deleted' }, (u, i, it) =>
      actions.deleteOtherSide(u, i, it),
    );
    expect((await syncIntegration(app, 'erp')).push.deactivated).toBe(1);
    const day = new Date(`${app.now().slice(0, 10)}T00:00:00Z`);
    const yesterday = new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
    expect((await employees())[0]!.end_date).toMatchObject(date(yesterday));
    await syncIntegration(app, 'erp', { full: true });
    const categories = (await listItems(app.db.kysely, current, { limit: 10 })).items.map((i) => i.category);
    expect(categories).not.toContain('new');
  });

  it('an employee Tryton refuses (no employee rights) leaves no party behind, says why, and goes through once allowed', async () => {
    // A Tryton user who may keep parties but not employees.
    const group = async (name: string) =>
      (
        (await tryton.admin.call('res.group', 'search', [['name', '=', name]], 0, null, null)) as number[]
      )[0]!;
    const parties = await group('Party Administration');
    const [user] = (await tryton.admin.call('res.user', 'create', [
      {
        login: 'parties',
        name: 'Parties Only',
        password: 'Zq8!kP2vLm9x-parties',
        groups: [['add', [parties]]],
        company: 1,
        companies: [['add', [1]]],
      },
    ])) as number[];
    await app.unit('set', null, async (u) => {
      const info = await getIntegration(u.db, app.workspace, 'erp');
      await changeSettings(u, info, { connection: { ...info.settings.connection!, user: 'parties' } });
      await storeSecret(u.db, secretBox(KEY), info.id, 'Zq8!kP2vLm9x-parties', u.now);
    });
    await app.unit('create', null, (u) =>
      createRecord(u, 'employee', { number: '2001', name: 'Quinn Ødegaard', city: 'Aarhus' }),
    );
    await syncIntegration(app, 'erp');
    await runAction(app, 'erp', 'partner', { category: 'new' }, (u, i, it) =>
      actions.createPartner(u, i, it),
    );
    const refused = await syncIntegration(app, 'erp');
    expect(refused.push.failed + refused.push.retrying).toBe(1);
    // The employee's refusal is said, not the party's code clashing with a party left behind.
    expect(refused.push.errors[0]?.error).not.toMatch(/unique/i);
    expect(await tryton.admin.call('party.party', 'search', [['code', '=', '2001']], 0, null, null)).toEqual(
      [],
    );

    await tryton.admin.call('res.user', 'write', [user], {
      groups: [['add', [await group('Employee Administration')]]],
    });
    await runAction(app, 'erp', 'partner', { category: 'new' }, (u, i, it) =>
      actions.createPartner(u, i, it),
    ).catch(() => undefined); // still queued, or queued again
    await syncIntegration(app, 'erp');
    expect((await employees()).map((r) => r['party.'].code)).toEqual(['2001']);
  });
});
