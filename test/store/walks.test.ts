/**
 * Queries that meet a whole integration or the whole audit log, on large data: one integration's items
 * by id a page at a time (`itemPage`) — every item once, in id order, none of another's, and on SQLite
 * along the primary key, not by sorting the whole integration for every page (exporting 200,000 records
 * took 45 s) — and a page of the history by user, integration or record read from an index range
 * (6,000,000 entries: 135 s and 2.5 s before).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemPage } from '../../src/store/keyset.js';
import { auditPageQuery } from '../../src/sync/history.js';
import type { App } from '../../src/sync/app.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { runSnapshot } from '../../src/sync/run.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import { sqlitePlan } from '../support/plan.js';
import type { TestDatabase } from '../support/databases.js';

const people = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ number: String(from + i), name: `Person ${from + i}` }));

/** Two integrations whose items interleave by id: a's, b's, a's again. */
async function interleaved(target: (typeof DATABASES)[number]): Promise<{ db: TestDatabase; app: App }> {
  const db = await target.connect();
  const app = await openTestApp(db);
  for (const name of ['a', 'b'])
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name, entity: 'employee', source: 'file' }),
    );
  await runSnapshot(app, 'a', memorySnapshot('employee', ['number', 'name'], people(100, 7)));
  await runSnapshot(app, 'b', memorySnapshot('employee', ['number', 'name'], people(500, 5)));
  await runSnapshot(app, 'a', memorySnapshot('employee', ['number', 'name'], people(100, 12)));
  return { db, app };
}

describe.each(DATABASES)('item pages on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  beforeEach(async () => {
    ({ db, app } = await interleaved(target));
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it("walks every item of one integration once, in id order, and none of another's", async () => {
    const a = await getIntegration(app.db.kysely, app.workspace, 'a');
    const seen: number[] = [];
    for (let after = 0; ;) {
      const page = await itemPage(app.db.kysely, a.id, after, 5).select(['id', 'integration_id']).execute();
      if (page.length === 0) break;
      expect(page.every((r) => r.integration_id === a.id)).toBe(true);
      seen.push(...page.map((r) => r.id));
      after = page.at(-1)!.id;
    }
    const all = await app.db.kysely
      .selectFrom('item')
      .select('id')
      .where('integration_id', '=', a.id)
      .orderBy('id')
      .execute();
    expect(seen).toEqual(all.map((r) => r.id));
    expect(seen).toHaveLength(12);
  });
});

// The planner's choice this guards against is SQLite's; PostgreSQL walks the primary key either way.
describe('item pages on SQLite', () => {
  it('are a range of the primary key, without sorting the integration', async () => {
    const { db, app } = await interleaved(DATABASES.find((d) => d.name === 'sqlite')!);
    try {
      const a = await getIntegration(app.db.kysely, app.workspace, 'a');
      const details = await sqlitePlan(
        app.db.kysely,
        itemPage(app.db.kysely, a.id, 3, 5).selectAll().where('local_id', 'is not', null),
      );
      expect(details).toContain('PRIMARY KEY');
      expect(details).not.toContain('TEMP B-TREE');
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});

// The history of one user or integration: a range of the change's entries, not a sort of all of them.
describe('a page of the history on SQLite', () => {
  it.each<[string, { actor?: string; integration?: number; local?: number }]>([
    ['by user', { actor: 'test' }],
    ['by integration', { integration: 1 }],
    ['by record', { local: 1 }],
    ['all', {}],
  ])('%s is read without sorting the log', async (_what, filter) => {
    const { db, app } = await interleaved(DATABASES.find((d) => d.name === 'sqlite')!);
    try {
      const details = await sqlitePlan(
        app.db.kysely,
        auditPageQuery(app.db.kysely, {
          workspace: app.workspace,
          limit: 50,
          ...filter,
        }),
      );
      expect(details, details).not.toContain('TEMP B-TREE');
      // A filtered page is an index range; the whole log is walked newest first and cut at the limit.
      if (Object.keys(filter).length > 0)
        expect(details, details).toMatch(/SEARCH audit USING (COVERING )?INDEX/);
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});
