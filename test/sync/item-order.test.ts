/** The overview's items in number order as a person reads numbers, a page at a time from an index. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { decodeCursor, pageItems, pageQuery } from '../../src/sync/item-pages.js';
import type { PageQuery } from '../../src/sync/item-pages.js';
import { listItems } from '../../src/sync/overview.js';
import { newItemsPage } from '../../src/sync/partner-all.js';
import { runSnapshot } from '../../src/sync/run.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import { sqlitePlan } from '../support/plan.js';
import type { TestDatabase } from '../support/databases.js';

const NUMBERS = ['100', '2', '10', '1', '20', '11', '3'];
const SORTED = ['1', '2', '3', '10', '11', '20', '100'];

async function seeded(target: (typeof DATABASES)[number]): Promise<{ db: TestDatabase; app: App }> {
  const db = await target.connect();
  const app = await openTestApp(db);
  await app.unit('setup', null, (u) =>
    addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
  );
  const rows = NUMBERS.map((number) => ({ number, name: `Person ${number}` }));
  await runSnapshot(app, 'pay', memorySnapshot('employee', ['number', 'name'], rows));
  return { db, app };
}

describe.each(DATABASES)('overview pages by number on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  beforeEach(async () => {
    ({ db, app } = await seeded(target));
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('order numbers by size (2 before 10 before 100), either way, across pages', async () => {
    const pay = await getIntegration(app.db.kysely, app.workspace, 'pay');
    const walk = async (order: 'asc' | 'desc') => {
      const seen: string[] = [];
      const q: PageQuery = { category: 'new', sort: 'number', order, limit: 3 };
      for (let cursor: string | null | undefined; cursor !== null;) {
        const after = cursor ? decodeCursor(cursor, q) : undefined;
        const page = await pageItems(app.db.kysely, pay, q, after);
        seen.push(...page.items.map((i) => i.number));
        cursor = page.nextCursor;
      }
      return seen;
    };
    expect(await walk('asc')).toEqual(SORTED);
    expect(await walk('desc')).toEqual([...SORTED].reverse());
    const listed = await listItems(app.db.kysely, pay, { category: 'new', limit: 50 });
    expect(listed.items.map((i) => i.number)).toEqual(SORTED);
  });
});

// The planner's choice is SQLite's to guard; the bench measures the first page at a million items.
describe('overview pages by number on SQLite', () => {
  it.each(['asc', 'desc'] as const)(
    'are read from the category index, %s, without sorting',
    async (order) => {
      const { db, app } = await seeded(DATABASES.find((d) => d.name === 'sqlite')!);
      try {
        const pay = await getIntegration(app.db.kysely, app.workspace, 'pay');
        const q: PageQuery = { category: 'new', sort: 'number', order, limit: 50 };
        for (const after of [undefined, ['10', 3, 'number', order] as const]) {
          const details = await sqlitePlan(
            app.db.kysely,
            pageQuery(app.db.kysely, pay, q, after && [...after]),
          );
          expect(details, details).toContain('item_category');
          expect(details, details).not.toContain('TEMP B-TREE');
        }
      } finally {
        await app.close();
        await db.cleanup();
      }
    },
  );
});

// "Create all partners" walks every new item a page at a time: sorting per page made it quadratic.
describe('the walk of create-all-partners on SQLite', () => {
  it('reads each page from the category index, without sorting', async () => {
    const { db, app } = await seeded(DATABASES.find((d) => d.name === 'sqlite')!);
    try {
      const pay = await getIntegration(app.db.kysely, app.workspace, 'pay');
      for (const after of [
        { number: '', id: 0 },
        { number: '10', id: 3 },
      ]) {
        const details = await sqlitePlan(app.db.kysely, newItemsPage(app.db.kysely, pay, {}, after));
        expect(details, details).toContain('item_category');
        expect(details, details).not.toContain('TEMP B-TREE');
      }
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});
