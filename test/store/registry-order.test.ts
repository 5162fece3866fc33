/** The registry in number order as a person reads numbers, a page at a time from an index. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLocal, listLocalQuery } from '../../src/store/records.js';
import type { App } from '../../src/sync/app.js';
import { createRecord } from '../../src/sync/registry.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import { sqlitePlan } from '../support/plan.js';
import type { TestDatabase } from '../support/databases.js';

const NUMBERS = ['1999', '0010', 'K10', '0002', '1041', 'K5', '0001'];

describe.each(DATABASES)('the registry list on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const page = { workspace: 'test', kind: 'customer', limit: 50, offset: 0 } as const;

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    for (const number of NUMBERS)
      await app.unit('add', null, (u) => createRecord(u, 'customer', { number, name: `Kunde ${number}` }));
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('orders numbers by size, leading zeros aside (0002 before 0010 before 1041)', async () => {
    const listed = await listLocal(app.db.kysely, app.db.dialect, page);
    expect(listed.map((r) => r.number)).toEqual(['0001', '0002', '0010', 'K5', 'K10', '1041', '1999']);
    const second = await listLocal(app.db.kysely, app.db.dialect, { ...page, limit: 3, offset: 3 });
    expect(second.map((r) => r.number)).toEqual(['K5', 'K10', '1041']);
  });

  it('lists the record whose number the search is first, before others that contain it', async () => {
    await app.unit('add', null, (u) =>
      createRecord(u, 'customer', { number: '7', name: 'Sieben', zip: '1041' }),
    );
    const found = await listLocal(app.db.kysely, app.db.dialect, { ...page, search: '1041' });
    expect(found.map((r) => r.number)).toEqual(['1041', '7']);
  });
});

// The planner's choice is SQLite's to guard; PostgreSQL reads the same index or sorts a small registry.
describe('the registry list on SQLite', () => {
  it('reads a page from the index, without sorting the registry', async () => {
    const db = await DATABASES.find((d) => d.name === 'sqlite')!.connect();
    const app = await openTestApp(db);
    try {
      const page = { workspace: 'test', kind: 'customer', limit: 50, offset: 0 } as const;
      const details = await sqlitePlan(app.db.kysely, listLocalQuery(app.db.kysely, app.db.dialect, page));
      expect(details, details).toContain('local_record_number_order');
      expect(details, details).not.toContain('TEMP B-TREE');
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});
