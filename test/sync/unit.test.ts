/**
 * A unit of work's deferred updates (what a run uses to write settled items per batch) and its write
 * behind (what lets a run read its next rows while the database writes), on both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { adjustCounts } from '../../src/store/counts.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

/** A remote-only `new` item numbered `n`. */
const itemRow = (workspace: string, integrationId: number, now: string, n: string) => ({
  workspace_id: workspace,
  integration_id: integrationId,
  remote_key: n,
  remote_data: '{}',
  category: 'new',
  number: n,
  name: `Name ${n}`,
  updated_at: now,
});

describe.each(DATABASES)('deferred updates on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  let integrationId: number;
  let ids: number[];

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    [integrationId, ids] = await app.unit('setup', null, async (u) => {
      const { id } = await addIntegration(u.db, app.workspace, u.now, {
        name: 'pay',
        entity: 'employee',
        source: 'file',
      });
      const rows = ['1', '2', '3'].map((n) => itemRow(app.workspace, id, u.now, n));
      const inserted = await u.bulk.insert(u.db, 'item', rows);
      await adjustCounts(u.db, id, new Map([['new', 3]]));
      return [id, inserted] as const;
    });
  });
  afterEach(async () => {
    await app.db.close();
    await db.cleanup();
  });

  const names = async (u: { db: App['db']['kysely'] }) =>
    (await u.db.selectFrom('item').select(['id', 'name']).orderBy('id').execute()).map((r) => r.name);
  const counts = async () =>
    Object.fromEntries(
      (
        await app.db.kysely
          .selectFrom('category_count')
          .select(['category', 'n'])
          .where('integration_id', '=', integrationId)
          .execute()
      ).map((r) => [r.category, Number(r.n)]),
    );

  it('writes nothing until flushed, then everything; a second update of a row comes after the first', async () => {
    await app.unit('defer', null, async (u) => {
      u.deferUpdates();
      await u.update('item', { id: ids[0]!, name: 'A' });
      await u.update('item', { id: ids[1]!, name: 'B', category: 'synced' });
      await u.moveCount(integrationId, 'new', 'synced');
      expect(await names(u)).toEqual(['Name 1', 'Name 2', 'Name 3']); // waiting
      await u.update('item', { id: ids[0]!, name: 'A2' }); // the same row again: the first goes out first
      expect(await names(u)).toEqual(['A', 'B', 'Name 3']);
      await u.flushUpdates();
      expect(await names(u)).toEqual(['A2', 'B', 'Name 3']);
      await u.update('item', { id: ids[2]!, name: 'C' }); // left for the end of the unit
    });
    expect(await names({ db: app.db.kysely })).toEqual(['A2', 'B', 'C']);
    expect(await counts()).toEqual({ new: 2, synced: 1 });
  });

  it('writes at once when not deferring, and a failing unit leaves nothing of what waited', async () => {
    await app.unit('direct', null, async (u) => {
      await u.update('item', { id: ids[0]!, name: 'A' });
      expect(await names(u)).toEqual(['A', 'Name 2', 'Name 3']);
    });
    await expect(
      app.unit('defer', null, async (u) => {
        u.deferUpdates();
        await u.update('item', { id: ids[1]!, name: 'B' });
        await u.moveCount(integrationId, 'new', 'conflict');
        await u.flushUpdates();
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await names({ db: app.db.kysely })).toEqual(['A', 'Name 2', 'Name 3']);
    expect(await counts()).toEqual({ new: 3 });
  });

  /**
   * The same store with its writes started without waiting on SQLite too (`BulkWriter.concurrent`), so
   * that the write-behind tests exercise the overlapping path on both databases.
   */
  const behindApp = () =>
    new App({
      ...app.options,
      db: { ...app.db, bulk: { ...app.db.bulk, concurrent: true } },
    });

  const item = (u: { now: string }, n: string) => itemRow(app.workspace, integrationId, u.now, n);

  it('runs statements in the order they are issued, and the unit waits for a write behind before it commits', async () => {
    let written = false;
    await behindApp().unit('behind', null, async (u) => {
      await u.writeBehind(async () => {
        await u.bulk.insert(u.db, 'item', [item(u, '4'), item(u, '5')]);
        await u.bulk.update(u.db, 'item', [{ id: ids[0]!, name: 'A' }]);
        written = true;
      });
      // Issued while the write may still be on its way: it comes after the insert the write issued first
      // (the update, issued later, may or may not have run).
      expect((await names(u)).slice(3)).toEqual(['Name 4', 'Name 5']);
      await u.caughtUp();
      expect(await names(u)).toEqual(['A', 'Name 2', 'Name 3', 'Name 4', 'Name 5']);
      await u.writeBehind(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await u.bulk.update(u.db, 'item', [{ id: ids[1]!, name: 'B' }]);
      });
      // The unit ends here without waiting itself: it must not commit before that update.
    });
    expect(written).toBe(true);
    expect(await names({ db: app.db.kysely })).toEqual(['A', 'B', 'Name 3', 'Name 4', 'Name 5']);
  });

  it('a failing write behind fails its unit, which leaves nothing behind', async () => {
    await expect(
      behindApp().unit('behind', null, async (u) => {
        await u.update('item', { id: ids[0]!, name: 'A' });
        await u.writeBehind(async () => {
          // The same remote key twice: the unique index refuses it.
          await u.bulk.insert(u.db, 'item', [item(u, '1')]);
        });
        await u.audit({ item_id: ids[0]!, target: 'item', reason: 'test' });
      }),
    ).rejects.toThrow();
    expect(await names({ db: app.db.kysely })).toEqual(['Name 1', 'Name 2', 'Name 3']);
    expect(await app.db.kysely.selectFrom('audit').select('id').execute()).toEqual([]);
  });

  it('a unit that throws while a write is behind rolls back after that write, not during it', async () => {
    await expect(
      behindApp().unit('behind', null, async (u) => {
        await u.writeBehind(async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          await u.bulk.update(u.db, 'item', [{ id: ids[0]!, name: 'A' }]);
        });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    await new Promise((resolve) => setTimeout(resolve, 50)); // had the write outlived its unit, it ran now
    expect(await names({ db: app.db.kysely })).toEqual(['Name 1', 'Name 2', 'Name 3']);
  });

  it('the change set is created once when a write behind and the unit ask for it together', async () => {
    const changeSet = await behindApp().unit('behind', null, async (u) => {
      await u.writeBehind(async () => {
        await u.ensureChangeSet();
      });
      const id = await u.ensureChangeSet();
      await u.caughtUp();
      return id;
    });
    const sets = await app.db.kysely
      .selectFrom('change_set')
      .select('id')
      .where('kind', '=', 'behind')
      .execute();
    expect(sets).toEqual([{ id: changeSet }]);
  });
});
