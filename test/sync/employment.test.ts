/** Employment ending with the calendar: items move to inactive once `employedUntil` has passed. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { App } from '../../src/sync/app.js';
import { reclassifyEnded } from '../../src/sync/employment.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { createRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { countsAgree, memorySnapshot, openTestApp } from '../support/app.js';
import type { TestClock } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'employedUntil'];

describe.each(DATABASES)('employment ending on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const clock: TestClock = { now: new Date('2026-11-27T09:00:00Z') };
  const categories = async () => {
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    const { items } = await listItems(app.db.kysely, integration, { limit: 100 });
    return Object.fromEntries(items.map((i) => [i.number, i.category]));
  };

  beforeEach(async () => {
    clock.now = new Date('2026-11-27T09:00:00Z');
    db = await target.connect();
    app = await openTestApp(db, clock);
    await app.unit('setup', null, async (u) => {
      await addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' });
      await createRecord(u, 'employee', { number: '100', name: 'Leaving', employedUntil: '2026-12-01' });
      await createRecord(u, 'employee', { number: '101', name: 'Staying' });
      await createRecord(u, 'employee', { number: '102', name: 'Later', employedUntil: '2027-06-30' });
      await createRecord(u, 'employee', { number: '103', name: 'Local only', employedUntil: '2026-11-30' });
    });
    await runSnapshot(
      app,
      'pay',
      memorySnapshot('employee', FIELDS, [
        { number: '100', name: 'Leaving', employedUntil: '2026-12-01' },
        { number: '101', name: 'Staying' },
        { number: '102', name: 'Later', employedUntil: '2027-06-30' },
        { number: '200', name: 'Remote only', employedUntil: '2026-11-30' },
      ]),
    );
  });
  afterEach(async () => {
    expect(await countsAgree(app)).toBe(true);
    await app.close();
    await db.cleanup();
  });

  it('moves items whose end date has passed, once, and leaves the others', async () => {
    const before = { '100': 'synced', '101': 'synced', '102': 'synced', '103': 'new', '200': 'new' };
    expect(await categories()).toEqual(before);
    expect(await reclassifyEnded(app)).toMatchObject({ moved: 0 });

    clock.now = new Date('2026-12-02T03:00:00Z');
    expect(await reclassifyEnded(app)).toEqual({ checked: 2, moved: 2 });
    // A linked pair stays synced when its employee leaves (SYNC.md §4); unlinked records become inactive.
    expect(await categories()).toEqual({ ...before, '103': 'inactive', '200': 'inactive' });
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    expect((await countItems(app.db.kysely, integration)).inactive).toBe(2);

    // Already inactive items are not looked at again.
    expect(await reclassifyEnded(app)).toEqual({ checked: 0, moved: 0 });
  });
});
