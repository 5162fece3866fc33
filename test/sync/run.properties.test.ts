/**
 * SYNC.md §10 at the level of whole runs, on real SQLite (in memory): totality, idempotence, order
 * independence and "nothing is lost" (undo), over random registries and random snapshots.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import { openDb } from '../../src/store/database.js';
import { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { createRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { undoChangeSet } from '../../src/sync/undo.js';
import { countsAgree, memorySnapshot } from '../support/app.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'email', 'active'];
const RUNS = { numRuns: Number(process.env.RUNS ?? 40) };
type Row = Partial<Record<FieldName, string>>;

const number = fc.integer({ min: 1, max: 12 }).map(String);
const row = fc.record({
  number,
  name: fc.constantFrom('Anna Müller', 'Bo Jensen', 'Cem Yıldız'),
  city: fc.constantFrom('', 'Berlin', 'Köln', 'Aarhus'),
  email: fc.constantFrom('', 'a@example.de', 'b@example.dk'),
  active: fc.constantFrom('ja', 'ja', 'nein'),
});
/** Rows with distinct numbers (a file with duplicates is refused, which another test covers). */
const rows = fc.uniqueArray(row, { selector: (r) => r.number, maxLength: 10 });
const locals = fc.uniqueArray(row, { selector: (r) => r.number, maxLength: 8 });

async function world(registry: readonly Row[]): Promise<App> {
  const db = await openDb({ sqlitePath: ':memory:' });
  const app = new App({ db, workspace: 'w', actor: 'prop', clock: () => new Date('2026-11-27T09:00:00Z') });
  await app.ensureWorkspace();
  await app.unit('setup', null, async (u) => {
    await addIntegration(u.db, 'w', u.now, { name: 'pay', entity: 'employee', source: 'file' });
    for (const r of registry) {
      const { active, ...raw } = r;
      await createRecord(u, 'employee', { ...raw, active: active ?? 'ja' } as Record<string, string>);
    }
  });
  return app;
}

/** Everything observable: items (by number and side) with category and conflicts, and local values. */
async function state(app: App): Promise<unknown> {
  const items = await app.db.kysely
    .selectFrom('item')
    .select([
      'number',
      'category',
      'conflicts',
      'linked',
      'local_id',
      'remote_key',
      'remote_data',
      'baseline',
    ])
    .orderBy('number')
    .orderBy('remote_key')
    .execute();
  const records = await app.db.kysely
    .selectFrom('local_record')
    .select(['number', 'data', 'archived_at'])
    .orderBy('number')
    .execute();
  return { items: items.map((i) => ({ ...i, local_id: i.local_id !== null })), records };
}

const run = (app: App, snapshot: readonly Row[]) =>
  runSnapshot(app, 'pay', memorySnapshot('employee', FIELDS, snapshot));

describe('runs, as properties over random registries and snapshots', () => {
  it('every record of both sides is in exactly one item, with one category (§10.1)', async () => {
    await fc.assert(
      fc.asyncProperty(locals, rows, async (registry, snapshot) => {
        const app = await world(registry);
        try {
          await run(app, snapshot);
          const items = await app.db.kysely.selectFrom('item').selectAll().execute();
          const recordIds = (await app.db.kysely.selectFrom('local_record').select('id').execute()).map(
            (r) => r.id,
          );
          for (const id of recordIds) expect(items.filter((i) => i.local_id === id)).toHaveLength(1);
          for (const r of snapshot) expect(items.filter((i) => i.remote_key === r.number)).toHaveLength(1);
          expect(await countsAgree(app)).toBe(true);
          expect(items.length).toBeLessThanOrEqual(recordIds.length + snapshot.length);
        } finally {
          await app.close();
        }
      }),
      RUNS,
    );
  });

  it('running the same snapshot twice changes nothing the second time (§10.3, §10.4)', async () => {
    await fc.assert(
      fc.asyncProperty(locals, rows, async (registry, snapshot) => {
        const app = await world(registry);
        try {
          await run(app, snapshot);
          const before = await state(app);
          const second = await run(app, snapshot);
          expect(second.changeSet).toBeNull();
          expect(await state(app)).toEqual(before);
        } finally {
          await app.close();
        }
      }),
      RUNS,
    );
  });

  it('the order of the rows does not change the result (§10.5)', async () => {
    await fc.assert(
      fc.asyncProperty(
        locals,
        rows.chain((r) =>
          fc.tuple(fc.constant(r), fc.shuffledSubarray(r, { minLength: r.length, maxLength: r.length })),
        ),
        async (registry, [snapshot, shuffled]) => {
          const a = await world(registry);
          const b = await world(registry);
          try {
            await run(a, snapshot);
            await run(b, shuffled);
            expect(await state(b)).toEqual(await state(a));
          } finally {
            await a.close();
            await b.close();
          }
        },
      ),
      RUNS,
    );
  });

  it('a source that does not check its numbers (a live ERP) gets a number on two new rows refused, not a crash', async () => {
    const app = await world([]);
    try {
      const twice = [
        { number: '0042', name: 'Anna Müller' },
        { number: '42', name: 'Bo Jensen' },
      ];
      await expect(run(app, twice)).rejects.toMatchObject({
        code: 'file_invalid',
        details: { problems: [{ row: 3, code: 'duplicate_in_file' }] },
      });
    } finally {
      await app.close();
    }
  });

  it('with skipInvalid, numbers on several rows: the order changes nothing either (§10.5)', async () => {
    const skipping = (app: App, snapshot: readonly Row[]) =>
      runSnapshot(app, 'pay', memorySnapshot('employee', FIELDS, snapshot), { skipInvalid: true });
    // Numbers from a small range, so that most snapshots repeat some; a first run links and fills.
    const repeating = fc.array(row, { maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(
        locals,
        rows,
        repeating.chain((r) =>
          fc.tuple(fc.constant(r), fc.shuffledSubarray(r, { minLength: r.length, maxLength: r.length })),
        ),
        async (registry, earlier, [snapshot, shuffled]) => {
          const a = await world(registry);
          const b = await world(registry);
          try {
            await run(a, earlier);
            await run(b, earlier);
            await skipping(a, snapshot);
            await skipping(b, shuffled);
            expect(await state(b)).toEqual(await state(a));
            expect(await countsAgree(a)).toBe(true);
          } finally {
            await a.close();
            await b.close();
          }
        },
      ),
      RUNS,
    );
  });

  it('undoing a run restores every local value it overwrote (§10.6)', async () => {
    await fc.assert(
      fc.asyncProperty(locals, rows, rows, async (registry, first, second) => {
        const app = await world(registry);
        try {
          await run(app, first);
          const records = async () =>
            app.db.kysely
              .selectFrom('local_record')
              .select(['id', 'data', 'archived_at'])
              .orderBy('id')
              .execute();
          const before = await records();
          const report = await run(app, second);
          if (report.changeSet !== null) {
            const undo = await undoChangeSet(app, report.changeSet);
            expect(undo.conflicts).toEqual([]);
            expect(await countsAgree(app)).toBe(true);
          }
          const after = (await records()).map((r) => ({ ...r, data: JSON.parse(r.data) as unknown }));
          expect(after).toEqual(before.map((r) => ({ ...r, data: JSON.parse(r.data) as unknown })));
        } finally {
          await app.close();
        }
      }),
      RUNS,
    );
  });
});
