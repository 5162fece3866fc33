/**
 * The run's compact index of remote records: keys as numbers or texts, hashes as halves, read in packed
 * pages from the item table of either database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { NOT_KNOWN, REPEATED, RemoteIndex } from '../../src/sync/remote-index.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const H1 = '0123456789abcdef';
const H2 = 'fedcba9876543210';

interface Stored {
  readonly key: string;
  readonly hash: string | null;
  readonly deleted?: boolean;
  readonly linked?: boolean;
}

describe.each(DATABASES)('RemoteIndex on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  let integrationId: number;
  let otherId: number;

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    [integrationId, otherId] = await app.unit('setup', null, async (u) => [
      (await addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }))
        .id,
      (await addIntegration(u.db, app.workspace, u.now, { name: 'fin', entity: 'employee', source: 'file' }))
        .id,
    ]);
  });
  afterEach(async () => {
    await app.db.close();
    await db.cleanup();
  });

  /** Store these items of integration `pay` (and one of another integration); return their ids. */
  async function store(items: readonly Stored[]): Promise<number[]> {
    return app.unit('store', null, async (u) => {
      const row = (integration: number, s: Stored) => ({
        workspace_id: app.workspace,
        integration_id: integration,
        remote_key: s.key,
        remote_data: '{}',
        remote_hash: s.hash,
        remote_deleted: s.deleted ? 1 : 0,
        linked: s.linked ? 1 : 0,
        category: 'new',
        number: s.key,
        name: '',
        updated_at: u.now,
      });
      const ids: number[] = [];
      for (let i = 0; i < items.length; i += 5000)
        ids.push(
          ...(await u.bulk.insert(
            u.db,
            'item',
            items.slice(i, i + 5000).map((s) => row(integrationId, s)),
          )),
        );
      await u.bulk.insert(u.db, 'item', [row(otherId, { key: '1', hash: H2 })]);
      return ids;
    });
  }

  const load = () => app.unit('load', null, (u) => RemoteIndex.load(u.db, u.bulk, integrationId));

  it('finds plain decimal, zero-led, long, lettered and odd keys alike and tells repeats apart', async () => {
    const keys = ['12', '0012', '123456789012345678', 'A7', '0', '', 'Ø-1,2:3', 'x😀y', '9'.repeat(15)];
    const ids = await store(keys.map((key) => ({ key, hash: H1, linked: true })));
    const index = await load();
    expect(index.size).toBe(keys.length); // not the other integration's item
    keys.forEach((k, i) => expect(index.itemId(k)).toBe(ids[i]));
    expect(index.itemId('13')).toBeUndefined();
    expect(index.itemId('123456789012345679')).toBeUndefined();
    expect(index.itemId('x😀')).toBeUndefined();
    const slot = index.visit('0012', 2);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(index.visit('0012', 9)).toBe(REPEATED);
    expect(index.firstRow('0012')).toBe(2);
    expect(index.firstRow('99')).toBeUndefined();
    expect(index.visit('12', 3)).not.toBe(slot);
    expect(index.visit('99', 4)).toBe(NOT_KNOWN);
    expect(index.unchanged(index.visit('x😀y', 5), H1)).toBe(true);
  });

  it('compares hashes exactly, never matches a deleted record or a hash of another format', async () => {
    await store([
      { key: '1', hash: H1, linked: true },
      { key: '2', hash: H1, deleted: true, linked: true },
      { key: '3', hash: 'f1d2d2f924e986ac86fd' }, // SHA-1 of an earlier release
      { key: '4', hash: null },
      { key: '5', hash: 'F1D2D2F924E986AC' }, // not this release's lowercase digest
    ]);
    const index = await load();
    const [a, b, c, d, e] = ['1', '2', '3', '4', '5'].map((k, i) => index.visit(k, i + 2)) as number[];
    expect(index.unchanged(a!, H1)).toBe(true);
    expect(index.unchanged(a!, H2)).toBe(false);
    expect(index.unchanged(a!, `${H1.slice(0, 15)}e`)).toBe(false);
    expect(index.unchanged(a!, `${H1}0`)).toBe(false);
    expect(index.unchanged(b!, H1)).toBe(false);
    expect(index.unchanged(c!, 'f1d2d2f924e986ac86fd')).toBe(false);
    expect(index.unchanged(d!, H1)).toBe(false);
    expect(index.unchanged(e!, 'F1D2D2F924E986AC')).toBe(false);
  });

  it('reads every page: lists the records not seen (not those already deleted) and counts the links', async () => {
    // 25,003 items: three pages of 10,000; keys sort as texts ("10" before "2"), pages follow that order.
    const items = Array.from({ length: 25_003 }, (_, i) => ({
      key: String(i + 1),
      hash: i % 5 === 0 ? 'f1d2d2f924e986ac86fd' : H1,
      deleted: i % 3 === 0,
      linked: i % 2 === 1,
    }));
    const ids = await store(items);
    const index = await load();
    expect(index.size).toBe(items.length);
    for (let i = 1; i <= items.length; i += 2) index.visit(String(i), i + 1);
    // Not seen and not deleted — an old-format hash still counts as a live record.
    const expected = ids.filter((_, i) => i % 2 === 1 && i % 3 !== 0);
    expect(index.unseen().sort((x, y) => x - y)).toEqual(expected);
    expect(index.links()).toBe(items.filter((s) => s.linked).length);
    items.forEach((s, i) => expect(index.itemId(s.key)).toBe(ids[i]));
  });

  it('is empty for an integration without items', async () => {
    const index = await load();
    expect(index.size).toBe(0);
    expect(index.unseen()).toEqual([]);
  });
});
