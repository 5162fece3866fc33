/** Building the app on a test database, and in-memory remote snapshots (the port's test double). */
import type { EntityKind, FieldName } from '../../src/core/fields.js';
import { getFieldDef } from '../../src/core/fields.js';
import { parseValue } from '../../src/core/values.js';
import { openDb } from '../../src/store/database.js';
import { App } from '../../src/sync/app.js';
import type { RemoteRow, RemoteSnapshot } from '../../src/core/port.js';
import { afterEach, beforeEach } from 'vitest';
import { addIntegration } from '../../src/sync/integrations.js';
import type { DatabaseTarget, TestDatabase } from './databases.js';

export interface TestClock {
  now: Date;
}

export async function openTestApp(
  db: TestDatabase,
  clock: TestClock = { now: new Date('2026-11-27T09:00:00Z') },
): Promise<App> {
  const store = await openDb(
    db.url.startsWith('postgres') ? { postgresUrl: db.url } : { sqlitePath: db.url },
  );
  const app = new App({ db: store, workspace: 'test', actor: 'test', clock: () => clock.now });
  await app.ensureWorkspace();
  return app;
}

/**
 * A complete snapshot held in memory, as a file would give it: `rows` carry raw cell text by field;
 * values are parsed with the same rules as files, and an invalid value becomes a row problem.
 */
export function memorySnapshot(
  kind: EntityKind,
  fields: readonly FieldName[],
  rows: readonly Partial<Record<FieldName, string>>[],
): RemoteSnapshot {
  const parsed: RemoteRow[] = rows.map((raw, i) => {
    const values: Partial<Record<FieldName, string>> = {};
    const problems: RemoteRow['problems'][number][] = [];
    for (const field of fields) {
      const result = parseValue(getFieldDef(kind, field), raw[field] ?? (field === 'active' ? 'yes' : ''));
      if (result.ok) values[field] = result.value;
      else
        problems.push({
          row: i + 2,
          column: field,
          field,
          value: raw[field] ?? '',
          code: result.code,
          reason: result.message,
        });
    }
    return { row: i + 2, values, problems };
  });
  const snapshot: RemoteSnapshot = {
    fields,
    warnings: [],
    async *rows() {
      yield* parsed;
    },
    reopen: async () => snapshot,
  };
  return snapshot;
}

/** The kept counts per category (`category_count`) agree with a plain count of the items. */
export async function countsAgree(app: App): Promise<boolean> {
  const counted = await app.db.kysely
    .selectFrom('item')
    .select(['integration_id', 'category', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['integration_id', 'category'])
    .execute();
  const kept = await app.db.kysely.selectFrom('category_count').selectAll().where('n', '!=', 0).execute();
  const key = (r: { integration_id: number; category: string; n: number | string }) =>
    `${r.integration_id}/${r.category}/${Number(r.n)}`;
  return JSON.stringify(counted.map(key).sort()) === JSON.stringify(kept.map(key).sort());
}

/**
 * For a `describe` on `target`: before each test a fresh database and app with the file integration
 * `pay` for employees, closed after it. Read `world.app` inside the tests (it is new for each).
 */
export function payrollWorld(target: DatabaseTarget): { readonly app: App; readonly db: TestDatabase } {
  const world = {} as { app: App; db: TestDatabase };
  beforeEach(async () => {
    world.db = await target.connect();
    world.app = await openTestApp(world.db);
    await world.app.unit('setup', null, (u) =>
      addIntegration(u.db, world.app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    await world.app.close();
    await world.db.cleanup();
  });
  return world;
}
