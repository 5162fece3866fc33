/** The run's compact index of remote records: keys as numbers or texts, hashes as halves. */
import { describe, expect, it } from 'vitest';
import type { BulkWriter } from '../../src/store/bulk.js';
import type { Executor } from '../../src/store/executor.js';
import { NOT_KNOWN, REPEATED, RemoteIndex } from '../../src/sync/remote-index.js';

const H1 = '0123456789abcdef';
const H2 = 'fedcba9876543210';

/**
 * A store whose scan yields these rows (id, remote_key, remote_hash, remote_deleted, linked), in two
 * pages, in the shape the index's query gives them: a linked item's id negated, a deleted one's hash null.
 * (The query itself runs on both databases in the run tests.)
 */
const storeOf = (rows: unknown[][]): BulkWriter =>
  ({
    async *scan() {
      const shaped = rows.map(([id, key, hash, deleted, linked]) => [
        linked === 1 ? -(id as number) : id,
        key,
        deleted === 1 ? null : hash,
      ]);
      yield shaped.slice(0, 2);
      yield shaped.slice(2);
    },
  }) as unknown as BulkWriter;

describe('RemoteIndex', () => {
  it('finds plain decimal, zero-led, long and lettered keys alike and tells repeats apart', async () => {
    const keys = ['12', '0012', '123456789012345678', 'A7', '0'];
    const index = await RemoteIndex.load(
      {} as Executor,
      storeOf(keys.map((k, i) => [i + 1, k, H1, 0, 1])),
      1,
    );
    expect(index.size).toBe(5);
    keys.forEach((k, i) => expect(index.itemId(k)).toBe(i + 1));
    expect(index.itemId('13')).toBeUndefined();
    expect(index.itemId('123456789012345679')).toBeUndefined();
    const slot = index.visit('0012');
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(index.visit('0012')).toBe(REPEATED);
    expect(index.visit('12')).not.toBe(slot);
    expect(index.visit('99')).toBe(NOT_KNOWN);
  });

  it('compares hashes exactly, never matches a deleted record or a hash of another format', async () => {
    const index = await RemoteIndex.load(
      {} as Executor,
      storeOf([
        [1, '1', H1, 0, 1],
        [2, '2', H1, 1, 1], // deleted: no hash
        [3, '3', 'f1d2d2f924e986ac86fd', 0, 0], // SHA-1 of an earlier release
        [4, '4', null, 0, 0],
      ]),
      1,
    );
    const [a, b, c, d] = ['1', '2', '3', '4'].map((k) => index.visit(k)) as [number, number, number, number];
    expect(index.unchanged(a, H1)).toBe(true);
    expect(index.unchanged(a, H2)).toBe(false);
    expect(index.unchanged(a, `${H1.slice(0, 15)}e`)).toBe(false);
    expect(index.unchanged(b, H1)).toBe(false);
    expect(index.unchanged(c, 'f1d2d2f924e986ac86fd')).toBe(false);
    expect(index.unchanged(d, H1)).toBe(false);
  });

  it('lists the records not seen (not those already deleted) and counts the links', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [
      i + 1,
      String(i + 1),
      H1,
      i % 3 === 0 ? 1 : 0,
      i % 2,
    ]);
    const index = await RemoteIndex.load({} as Executor, storeOf(rows), 1);
    for (let i = 1; i <= 3000; i += 2) index.visit(String(i));
    const expected = rows.filter((r, i) => i % 2 === 1 && r[3] === 0).map((r) => r[0]);
    expect(index.unseen()).toEqual(expected);
    expect(index.links()).toBe(1500);
  });
});
