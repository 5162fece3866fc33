/** Live two-way sync against a real trytond (SYNC.md §6, §7), on both of Abgleich's databases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import * as actions from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { createCustomer } from '../../src/sync/customer-prompt.js';
import { getIntegration, updateSettings } from '../../src/sync/integrations.js';
import { deliverOutbox } from '../../src/sync/live-push.js';
import { lastRuns, openConnector, syncIntegration } from '../../src/sync/live-sync.js';
import { startScheduler } from '../../src/sync/scheduler.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { archiveRecord, createRecord, editRecord, getRecord } from '../../src/sync/registry.js';
import { listAudit } from '../../src/sync/history.js';
import { undoChangeSet } from '../../src/sync/undo.js';
import { countsAgree } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TrytonDb } from './tryton.js';
import { appWithTryton, copyTemplate } from './tryton.js';

describe.each(DATABASES)('live sync with Tryton, Abgleich on $name', (target) => {
  let db: TestDatabase;
  let tryton: TrytonDb;
  let app: App;

  const integration = () => getIntegration(app.db.kysely, app.workspace, 'erp');
  const counts = async () => countItems(app.db.kysely, await integration());
  const item = async (number: string) => {
    const all = (await listItems(app.db.kysely, await integration(), { limit: 1000 })).items;
    const found = all.find((i) => i.number === number);
    if (!found) throw new Error(`no item ${number}`);
    return found;
  };
  const sync = () => syncIntegration(app, 'erp');
  const local = (number: string) => getRecord(app.db.kysely, app.workspace, 'customer', number);
  const addLocal = (raw: Record<string, string>) =>
    app.unit('create', null, (u) => createRecord(u, 'customer', raw));
  const act = async (name: actions.ActionName, number: string, fn: Parameters<typeof runAction>[4]) =>
    runAction(app, 'erp', name, { ids: [(await item(number)).id] }, fn);

  beforeEach(async () => {
    db = await target.connect();
    tryton = copyTemplate();
    app = await appWithTryton(db, tryton);
  });
  afterEach(async () => {
    expect(await countsAgree(app)).toBe(true);
    await app.close();
    await db.cleanup();
    tryton.drop();
  });

  /** K1 linked and synced on both sides, with a city. */
  async function linkedK1(): Promise<void> {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin', 'info@sonnenschein.de');
    await addLocal({ number: 'K1', name: 'Bäckerei Sonnenschein', city: 'Berlin' });
    await sync();
    expect((await item('K1')).category).toBe('synced');
  }

  it('a first sync links by number, fills empty fields, and creates partners in both directions', async () => {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin', 'info@sonnenschein.de');
    await tryton.admin.createParty('K2', 'Praxis Weiß', 'Hamburg');
    await addLocal({ number: 'K1', name: 'Bäckerei Sonnenschein', city: 'Berlin' });
    await addLocal({ number: 'K9', name: 'Café Glück', city: 'Köln', phone: '+49 221 12345' });
    const first = await sync();
    expect(first.pull.listed).toBe(2); // the company's own party is never a customer
    expect((await local('K1')).values.email).toBe('info@sonnenschein.de');
    expect(await counts()).toMatchObject({ synced: 1, new: 2, conflict: 0 });

    await runAction(app, 'erp', 'partner', { category: 'new' }, (u, i, it) =>
      actions.createPartner(u, i, it),
    );
    const second = await sync();
    expect(second.push.created).toBe(1);
    expect(await counts()).toMatchObject({ synced: 3, new: 0 });
    const parties = await tryton.admin.parties();
    expect(Object.keys(parties).sort()).toEqual(['K1', 'K2', 'K9']);
    expect(parties.K9).toMatchObject({ name: 'Café Glück', city: 'Köln', phone: '+49 221 12345' });
    expect((await local('K2')).values.city).toBe('Hamburg');

    const third = await sync();
    expect(third.pull.run.changes).toMatchObject({ new: 0, updated: 0, linked: 0, deleted: 0 });
    expect(third.push.delivered).toBe(0);
    expect((await lastRuns(app))[0]).toMatchObject({ integration: 'erp', outcome: 'ok' });
  });

  it('a one-sided edit propagates either way, an address changed alone in Tryton included', async () => {
    await linkedK1();
    const k1 = await tryton.admin.idOf('K1');
    const [address] = (await tryton.admin.call(
      'party.address',
      'search',
      [['party', '=', k1]],
      0,
      null,
      null,
    )) as number[];
    await tryton.admin.call('party.address', 'write', [address], { city: 'Potsdam' });
    await sync();
    expect((await local('K1')).values.city).toBe('Potsdam');

    await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K1'), {
        email: 'kontakt@sonnenschein.de',
        phone: '030 555',
      }),
    );
    const r = await sync();
    expect(r.push.updated).toBe(1);
    expect((await tryton.admin.parties()).K1).toMatchObject({
      email: 'kontakt@sonnenschein.de',
      phone: '030 555',
      city: 'Potsdam',
    });
    expect((await item('K1')).category).toBe('synced');
    expect((await sync()).push.delivered).toBe(0);
  });

  it('undoing a round that pulled a change from Tryton puts the old value back on both sides', async () => {
    await linkedK1();
    await tryton.admin.call('party.party', 'write', [await tryton.admin.idOf('K1')], {
      name: 'Bäckerei Mondschein',
    });
    const pulled = await sync();
    expect((await local('K1')).values.name).toBe('Bäckerei Mondschein');
    const entries = await listAudit(app, { changeSet: pulled.pull.run.changeSet! });
    expect(entries.map((e) => e.reason)).toContain('changed in the ERP');
    const undo = await undoChangeSet(app, pulled.pull.run.changeSet!);
    expect(undo.conflicts).toEqual([]);
    expect((await local('K1')).values.name).toBe('Bäckerei Sonnenschein');
    const back = await sync();
    expect(back.push.updated).toBe(1);
    expect((await tryton.admin.parties()).K1).toMatchObject({ name: 'Bäckerei Sonnenschein' });
    expect((await local('K1')).values.name).toBe('Bäckerei Sonnenschein');
    expect((await item('K1')).category).toBe('synced');
    expect((await sync()).push.delivered).toBe(0);
  });

  it('the same field changed on both sides is a conflict, and its resolution reaches Tryton', async () => {
    await linkedK1();
    const k1 = await tryton.admin.idOf('K1');
    await tryton.admin.call('party.party', 'write', [k1], { name: 'Sonnenschein Backwaren' });
    await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K1'), {
        name: 'Bäckerei Sonnenschein KG',
      }),
    );
    const r = await sync();
    // The local edit was queued before the pull saw Tryton's: the guarded write is refused, never blind.
    expect(r.push.updated).toBe(0);
    expect((await item('K1')).category).toBe('conflict');
    expect((await item('K1')).conflicts).toEqual(['name']);
    expect((await tryton.admin.parties()).K1!.name).toBe('Sonnenschein Backwaren');

    await act('resolve', 'K1', (u, i, it) => actions.resolveItem(u, i, it, 'local', {}));
    await sync();
    expect((await tryton.admin.parties()).K1!.name).toBe('Bäckerei Sonnenschein KG');
    expect((await item('K1')).category).toBe('synced');
  });

  it('a write refused because Tryton changed the record meanwhile is read again and reconciled', async () => {
    await linkedK1();
    await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K1'), { city: 'Bremen' }),
    );
    // Tryton changes the address alone (the party's _timestamp does not move) before the write arrives.
    const k1 = await tryton.admin.idOf('K1');
    const [address] = (await tryton.admin.call(
      'party.address',
      'search',
      [['party', '=', k1]],
      0,
      null,
      null,
    )) as number[];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await tryton.admin.call('party.address', 'write', [address], { city: 'Kiel' });
    const connector = await openConnector(app, await integration());
    const push = await deliverOutbox(app, await integration(), connector);
    await connector.close();
    expect(push).toMatchObject({ reread: 1, updated: 0 });
    expect((await tryton.admin.parties()).K1!.city).toBe('Kiel');
    expect((await item('K1')).category).toBe('conflict');
    expect((await local('K1')).values.city).toBe('Bremen');
  });

  it('a record deleted in Tryton is deleted here; deleting on the other side archives it', async () => {
    await linkedK1();
    await tryton.admin.call('party.party', 'delete', [await tryton.admin.idOf('K1')]);
    await sync();
    expect((await item('K1')).category).toBe('deleted');
    await act('delete', 'K1', (u, i, it) => actions.deleteOtherSide(u, i, it));
    expect((await local('K1')).archivedAt).not.toBeNull();
    expect(await counts()).toMatchObject({ deleted: 0, synced: 0 });
  });

  it('a record archived here is deleted in Tryton, or deactivated when the integration says so', async () => {
    await linkedK1();
    await tryton.admin.createParty('K2', 'Praxis Weiß', 'Hamburg');
    await addLocal({ number: 'K2', name: 'Praxis Weiß', city: 'Hamburg' });
    await sync();
    for (const n of ['K1', 'K2'])
      await app.unit('archive', null, async (u) =>
        archiveRecord(u, await getRecord(u.db, app.workspace, 'customer', n)),
      );
    expect((await item('K1')).category).toBe('deleted');
    await act('delete', 'K1', (u, i, it) => actions.deleteOtherSide(u, i, it));
    expect((await sync()).push.deleted).toBe(1);
    expect((await tryton.admin.parties()).K1).toBeUndefined();

    const current = await integration();
    await app.unit('set', null, (u) => updateSettings(u.db, current, u.now, { remoteDelete: 'deactivate' }));
    await act('delete', 'K2', (u, i, it) => actions.deleteOtherSide(u, i, it));
    expect((await sync()).push.deactivated).toBe(1);
    expect((await tryton.admin.parties()).K2!.active).toBe(false);
    expect(await counts()).toMatchObject({ deleted: 0, synced: 0 });
  });

  it('restore re-creates a record deleted in Tryton', async () => {
    await linkedK1();
    await tryton.admin.call('party.party', 'delete', [await tryton.admin.idOf('K1')]);
    await sync();
    await act('restore', 'K1', (u, i, it) => actions.restoreItem(u, i, it));
    const r = await sync();
    expect(r.push.created).toBe(1);
    expect((await tryton.admin.parties()).K1).toMatchObject({
      name: 'Bäckerei Sonnenschein',
      city: 'Berlin',
    });
    expect((await item('K1')).category).toBe('synced');
  });

  it('reactivate activates a party that is inactive in Tryton', async () => {
    const id = await tryton.admin.createParty('K5', 'Kanzlei Østergaard');
    await tryton.admin.call('party.party', 'write', [id], { active: false });
    await sync();
    expect((await item('K5')).category).toBe('inactive');
    await act('reactivate', 'K5', (u, i, it) => actions.reactivateItem(u, i, it));
    await sync();
    expect((await tryton.admin.parties()).K5!.active).toBe(true);
    expect((await item('K5')).category).toBe('new');
  });

  it('a new customer is synchronised now, never, or later as the creator answers', async () => {
    await expect(
      app.unit('create', null, (u) => createCustomer(u, { number: 'N0', name: 'Unasked' }, undefined)),
    ).rejects.toMatchObject({ code: 'usage' });
    await expect(local('N0')).rejects.toMatchObject({ code: 'not_found' });

    await app.unit('create', null, (u) =>
      createCustomer(u, { number: 'N1', name: 'Now GmbH', city: 'Ulm' }, 'now'),
    );
    await app.unit('create', null, (u) => createCustomer(u, { number: 'N2', name: 'Never AG' }, 'never'));
    await app.unit('create', null, (u) => createCustomer(u, { number: 'N3', name: 'Later KG' }, 'later'));
    const round = await sync();
    // The report's overview is the one after the push (N1 created there and synced), as `counts()` reads it.
    expect(round.counts).toEqual(await counts());
    expect(round.counts).toMatchObject({ synced: 1, new: 1, disabled: 1 });
    expect(Object.keys(await tryton.admin.parties())).toEqual(['N1']);
    expect((await tryton.admin.parties()).N1!.city).toBe('Ulm');
    expect((await item('N1')).category).toBe('synced');
    expect((await item('N2')).category).toBe('disabled');
    expect((await item('N3')).category).toBe('new');
  });

  it('a dry run changes nothing on either side', async () => {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin');
    await addLocal({ number: 'K7', name: 'Sieben' });
    const r = await syncIntegration(app, 'erp', { dryRun: true });
    expect(r.pull.run.counts).toMatchObject({ new: 2 });
    expect(await counts()).toMatchObject({ new: 1 });
    expect(Object.keys(await tryton.admin.parties())).toEqual(['K1']);
    expect(await lastRuns(app)).toEqual([]);
  });
});

describe.each(DATABASES)('the sync worker, Abgleich on $name', (target) => {
  it('syncs a live integration when it is due, records the round, and stops', async () => {
    const db = await target.connect();
    const tryton = copyTemplate();
    const app = await appWithTryton(db, tryton);
    try {
      await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin');
      const lines: string[] = [];
      const worker = startScheduler(app, { log: (l) => lines.push(l), tickMs: 50 });
      const deadline = Date.now() + 20_000;
      while ((await lastRuns(app)).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await worker.stop();
      expect(await lastRuns(app)).toMatchObject([{ integration: 'erp', outcome: 'ok' }]);
      expect(lines.join('\n')).toContain('sync erp: 1 listed');
      // Not due again within its interval: the next ticks did not sync it a second time.
      expect(await app.db.kysely.selectFrom('sync_run').selectAll().execute()).toHaveLength(1);
    } finally {
      await app.close();
      await db.cleanup();
      tryton.drop();
    }
  });
});

describe.each(DATABASES)('writes Tryton refuses, Abgleich on $name', (target) => {
  it('a refused create shows Tryton\u2019s message on its item, is kept, and goes through once the data is fixed', async () => {
    const db = await target.connect();
    const tryton = copyTemplate();
    const app = await appWithTryton(db, tryton);
    try {
      await app.unit('create', null, (u) =>
        createCustomer(u, { number: 'S1', name: 'Svensk AB', city: 'Malmö', country: 'SE' }, 'now'),
      );
      const first = await syncIntegration(app, 'erp');
      expect(first.push).toMatchObject({ failed: 1, created: 0 });
      const integration = await getIntegration(app.db.kysely, app.workspace, 'erp');
      const [view] = (await listItems(app.db.kysely, integration, { limit: 10 })).items;
      expect(view!.error).toContain('no country with the code SE');
      expect(first.pending).toBe(0);
      expect(await app.db.kysely.selectFrom('outbox').select('status').execute()).toEqual([
        { status: 'failed' },
      ]);

      await tryton.admin.call('country.country', 'create', [{ name: 'Sweden', code: 'SE' }]);
      await app.db.kysely
        .updateTable('outbox')
        .set({ next_attempt_at: '2000-01-01T00:00:00.000Z' })
        .execute();
      const second = await syncIntegration(app, 'erp');
      expect(second.push.created).toBe(1);
      const [after] = (await listItems(app.db.kysely, integration, { limit: 10 })).items;
      expect(after).toMatchObject({ category: 'synced', error: null });
    } finally {
      await app.close();
      await db.cleanup();
      tryton.drop();
    }
  });
});
