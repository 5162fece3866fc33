/** A unit of work's deferred updates (what a run uses to write settled items per batch), on both databases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { adjustCounts } from '../../src/store/counts.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

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
      const rows = ['1', '2', '3'].map((n) => ({
        workspace_id: app.workspace,
        integration_id: id,
        remote_key: n,
        remote_data: '{}',
        category: 'new',
        number: n,
        name: `Name ${n}`,
        updated_at: u.now,
      }));
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
});
