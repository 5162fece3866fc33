/**
 * Bulk runs set the name index aside and build it again (SQLite), and never leave without it: after a
 * run, after a rollback, on PostgreSQL (where it is never dropped).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { Executor } from '../../src/store/executor.js';
import type { App } from '../../src/sync/app.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { deferNameOrder } from '../../src/sync/name-order.js';
import { countItems } from '../../src/sync/overview.js';
import { runSnapshot } from '../../src/sync/run.js';
import { countsAgree, memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name'];

describe.each(DATABASES)('the name index in bulk runs on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const sqlite = target.name === 'sqlite';

  /** The index's definition as the database holds it, or undefined when it is gone. */
  const nameIndex = async (on: Executor = app.db.kysely): Promise<string | undefined> => {
    const query = sqlite
      ? sql<{
          d: string;
        }>`select sql as d from sqlite_master where type = 'index' and name = 'item_category_name'`
      : sql<{ d: string }>`select indexdef as d from pg_indexes where indexname = 'item_category_name'`;
    return (await query.execute(on)).rows[0]?.d;
  };

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('is dropped and built again the same, and a rollback brings it back by itself', async () => {
    const definition = await nameIndex();
    expect(definition).toBeDefined();
    await app.unit('probe', null, async (unit) => {
      const restore = await unit.bulk.deferIndex(unit.db, 'item_category_name');
      if (!sqlite) {
        expect(restore).toBeNull(); // PostgreSQL: never, it would lock readers out
        return;
      }
      expect(restore).not.toBeNull();
      expect(await nameIndex(unit.db)).toBeUndefined();
      await restore!();
      expect(await nameIndex(unit.db)).toBe(definition);
    });
    const failed = await app
      .unit('probe', null, async (unit) => {
        await unit.bulk.deferIndex(unit.db, 'item_category_name');
        throw new Error('stop');
      })
      .catch((e: unknown) => e);
    expect((failed as Error).message).toBe('stop');
    expect(await nameIndex()).toBe(definition);
    expect(
      await app.db.kysely.transaction().execute((t) => app.db.bulk.deferIndex(t, 'no_such_index')),
    ).toBeNull();
  });

  it('is set aside only for a large share of the table', async () => {
    await app.unit('probe', null, async (unit) => {
      expect(await deferNameOrder(unit, 40_000)).toBeNull();
      const integration = await getIntegration(unit.db, app.workspace, 'pay');
      await unit.db
        .insertInto('category_count')
        .values({ integration_id: integration.id, category: 'synced', n: 200_000 })
        .execute();
      expect(await deferNameOrder(unit, 60_000)).toBeNull(); // 60,000 of 200,000: kept up as it goes
      const restore = await deferNameOrder(unit, 150_000);
      expect(restore === null).toBe(!sqlite);
      await restore?.();
    });
    expect(await nameIndex()).toBeDefined();
  });

  it('a first import of 60,000 records ends with the index in place and the counts right', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({
      number: String(i + 1),
      name: `Person ${String((i * 7919) % 60_000).padStart(5, '0')}`,
    }));
    const report = await runSnapshot(app, 'pay', memorySnapshot('employee', FIELDS, rows));
    expect(report.changes.new).toBe(60_000);
    expect(await nameIndex()).toBeDefined();
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    expect((await countItems(app.db.kysely, integration)).new).toBe(60_000);
    expect(await countsAgree(app)).toBe(true);
    const first = await app.db.kysely
      .selectFrom('item')
      .select('name')
      .where('integration_id', '=', integration.id)
      .where('category', '=', 'new')
      .orderBy('name')
      .limit(2)
      .execute();
    expect(first.map((r) => r.name)).toEqual(['Person 00000', 'Person 00001']);
  }, 60_000);
});
