/**
 * `BulkWriter.scan` (a large read streamed in pages) and `insertNew` (an insert that skips what a unique
 * index holds), inside a unit's transaction, on both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const ROWS = 45_001; // more than two pages of 20,000

async function first(pages: AsyncIterable<unknown[][]>): Promise<unknown[][]> {
  for await (const page of pages) return page;
  return [];
}

describe.each(DATABASES)('streamed scans on $name', (target) => {
  let db: TestDatabase;
  let app: App;

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.db.kysely.schema
      .createTable('scan_probe')
      .addColumn('id', app.db.dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
      .addColumn('k', 'text', (c) => c.notNull())
      .addColumn('v', 'text', (c) => c.notNull())
      .execute();
  });
  // A table of the test's own (text columns only), written through the same bulk path as items.
  const PROBE = 'scan_probe' as never;
  afterEach(async () => {
    await app.db.close();
    await db.cleanup();
  });

  it('returns every row as an array of column values, in pages, and leaves the connection usable', async () => {
    const pages = await app.unit('scan', null, async (unit) => {
      const rows = Array.from({ length: ROWS }, (_, i) => ({
        k: `scan-${String(i).padStart(6, '0')}`,
        v: `Row ${i}`,
      }));
      for (let i = 0; i < rows.length; i += 5000)
        await unit.bulk.insert(unit.db, PROBE, rows.slice(i, i + 5000));
      const seen: unknown[][][] = [];
      const sql = 'select k, v from scan_probe where k like ? and v <> ? order by k';
      for await (const page of unit.bulk.scan(unit.db, sql, ['scan-%', 'Row 7'])) seen.push(page);
      // The statement (SQLite) or cursor (PostgreSQL) is closed: the same transaction goes on.
      const after = await first(
        unit.bulk.scan(unit.db, 'select k from scan_probe where k = ?', ['scan-000007']),
      );
      expect(after).toEqual([['scan-000007']]);
      return seen;
    });
    expect(pages.map((p) => p.length)).toEqual([20_000, 20_000, ROWS - 1 - 40_000]);
    const all = pages.flat();
    expect(all[0]).toEqual(['scan-000000', 'Row 0']);
    expect(all.some((r) => r[1] === 'Row 7')).toBe(false);
    expect(all.at(-1)).toEqual([`scan-${String(ROWS - 1).padStart(6, '0')}`, `Row ${ROWS - 1}`]);
  });

  it('closes what it opened when the reader stops early', async () => {
    await app.unit('scan', null, async (unit) => {
      const rows = Array.from({ length: 30_000 }, (_, i) => ({ k: `early-${i}`, v: 'x' }));
      for (let i = 0; i < rows.length; i += 5000)
        await unit.bulk.insert(unit.db, PROBE, rows.slice(i, i + 5000));
      let pages = 0;
      for await (const page of unit.bulk.scan(unit.db, 'select k from scan_probe where v = ?', ['x'])) {
        expect(page).toHaveLength(20_000);
        pages++;
        break;
      }
      expect(pages).toBe(1);
      // A write after the abandoned scan: SQLite refuses one while a statement still iterates.
      await unit.bulk.insert(unit.db, PROBE, [{ k: 'after', v: 'y' }]);
      const count = await first(
        unit.bulk.scan(unit.db, 'select count(*) from scan_probe where v = ?', ['x']),
      );
      expect(Number(count[0]![0])).toBe(30_000);
    });
  });

  it('insertNew skips the rows a unique index already holds, and a key repeated in the same call', async () => {
    await app.db.kysely.schema.createIndex('scan_probe_k').on('scan_probe').column('k').unique().execute();
    const result = await app.unit('insert', null, async (unit) => {
      const first = await unit.bulk.insertNew(unit.db, PROBE, [{ k: 'a', v: '1' }], 'k');
      const rows = Array.from({ length: 12_000 }, (_, i) => ({ k: `k${i}`, v: String(i) }));
      rows.splice(3, 0, { k: 'a', v: 'taken' }, { k: 'k1', v: 'repeated' });
      const ids = await unit.bulk.insertNew(unit.db, PROBE, rows, 'k');
      return { first, ids };
    });
    expect(result.first).toEqual([expect.any(Number)]);
    expect(result.ids).toHaveLength(12_002);
    expect(result.ids.flatMap((id, i) => (id === null ? [i] : []))).toEqual([3, 4]);
    expect(result.ids[3]).toBeNull();
    expect(result.ids[4]).toBeNull();
    const stored = await app.db.kysely
      .selectFrom(PROBE)
      .select(['id', 'k', 'v'] as never[])
      .execute();
    const byKey = new Map((stored as { id: number; k: string; v: string }[]).map((r) => [r.k, r]));
    expect(byKey.size).toBe(12_001);
    expect(byKey.get('a')?.v).toBe('1');
    expect(byKey.get('k1')?.v).toBe('1');
    // Each id returned is the id of that row.
    expect(result.ids[0]).toBe(byKey.get('k0')?.id);
    expect(result.ids[5]).toBe(byKey.get('k3')?.id);
    expect(result.ids[12_001]).toBe(byKey.get('k11999')?.id);
  });

  it('insert and update keep every value as it was, in order, whatever characters it holds', async () => {
    const tricky = [
      'plain',
      'quote " and \' both',
      'back\\slash \\N {a,b} NULL',
      'line\nbreak\ttab\r',
      'Müller ß æøå 😀 \u2028',
      '',
      '{"json": [1, 2]}',
    ];
    const stored = await app.unit('tricky', null, async (unit) => {
      const rows = Array.from({ length: 7001 }, (_, i) => ({ k: `t${i}`, v: tricky[i % tricky.length]! }));
      const ids = await unit.bulk.insert(unit.db, PROBE, rows);
      // Every other row gets its value reversed (characters outside the BMP kept whole).
      const updates = ids.flatMap((id, i) =>
        i % 2 === 0 ? [{ id, v: [...rows[i]!.v].reverse().join('') }] : [],
      );
      await unit.bulk.update(unit.db, PROBE, updates);
      return { ids, rows };
    });
    const read = (await app.db.kysely
      .selectFrom(PROBE)
      .select(['id', 'k', 'v'] as never[])
      .orderBy('id' as never)
      .execute()) as { id: number; k: string; v: string }[];
    expect(read.map((r) => r.id)).toEqual(stored.ids);
    read.forEach((r, i) => {
      const original = stored.rows[i]!.v;
      expect(r.k).toBe(`t${i}`);
      expect(r.v).toBe(i % 2 === 0 ? [...original].reverse().join('') : original);
    });
  });
});
