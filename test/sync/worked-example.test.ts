/** SYNC.md §11, the worked example, step by step on both databases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { App } from '../../src/sync/app.js';
import { createPartner, resolveItem } from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { createRecord, editRecord, getRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { getIntegration } from '../../src/sync/integrations.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { countsAgree, memorySnapshot, openTestApp } from '../support/app.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'email', 'active'];

const counts = async (app: App) => {
  const c = await countItems(app.db.kysely, await getIntegration(app.db.kysely, app.workspace, 'erp'));
  return [c.conflict, c.new, c.deleted, c.disabled, c.synced, c.inactive];
};
const itemOf = async (app: App, number: string) => {
  const { items } = await listItems(
    app.db.kysely,
    await getIntegration(app.db.kysely, app.workspace, 'erp'),
    { search: number, limit: 10 },
  );
  const found = items.find((i) => i.number === number);
  if (!found) throw new Error(`no item ${number}`);
  return found;
};

describe.each(DATABASES)('the worked example of SYNC.md §11 on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('goes through the six steps with the counts of the table', async () => {
    await app.unit('setup', null, async (unit) => {
      await addIntegration(unit.db, app.workspace, unit.now, {
        name: 'erp',
        entity: 'customer',
        source: 'file',
      });
      await createRecord(unit, 'customer', { number: 'K1', name: 'Bäckerei Sonnenschein', city: 'Berlin' });
      await createRecord(unit, 'customer', { number: 'K2', name: 'Praxis Weiß', city: 'Hamburg' });
      await createRecord(unit, 'customer', { number: 'K9', name: 'Café Glück' });
    });
    const file1 = memorySnapshot('customer', FIELDS, [
      { number: 'K1', name: 'Bäckerei Sonnenschein', city: 'Berlin', email: 'info@sonnenschein.de' },
      { number: 'K2', name: 'Praxis Weiß', city: 'Bremen' },
      { number: 'K3', name: 'Kanzlei Østergaard', city: 'Kopenhagen' },
      { number: 'K4', name: 'Hotel Adler', active: 'no' },
    ]);
    await runSnapshot(app, 'erp', file1);
    expect(await counts(app)).toEqual([1, 2, 0, 0, 1, 1]);
    expect((await getRecord(app.db.kysely, app.workspace, 'customer', 'K1')).values.email).toBe(
      'info@sonnenschein.de',
    );
    expect((await itemOf(app, 'K2')).conflicts).toEqual(['city']);

    // Step 2: resolve K2, city from the file.
    await runAction(app, 'erp', 'resolve', { ids: [(await itemOf(app, 'K2')).id] }, (u, i, item) =>
      resolveItem(u, i, item, undefined, { city: 'remote' }),
    );
    expect(await counts(app)).toEqual([0, 2, 0, 0, 2, 1]);
    expect((await getRecord(app.db.kysely, app.workspace, 'customer', 'K2')).values.city).toBe('Bremen');

    // Step 3: create partner for K3.
    await runAction(app, 'erp', 'partner', { ids: [(await itemOf(app, 'K3')).id] }, (u, i, item) =>
      createPartner(u, i, item),
    );
    expect(await counts(app)).toEqual([0, 1, 0, 0, 3, 1]);
    expect((await getRecord(app.db.kysely, app.workspace, 'customer', 'K3')).values.name).toBe(
      'Kanzlei Østergaard',
    );

    // Step 4: K1's phone set locally: still synced (the file cannot take it).
    await app.unit('edit', null, async (unit) =>
      editRecord(unit, await getRecord(unit.db, app.workspace, 'customer', 'K1'), { phone: '030 1234567' }),
    );
    expect((await itemOf(app, 'K1')).category).toBe('synced');

    // Step 5: file 2: K1's e-mail changed, K3 missing.
    const file2 = memorySnapshot('customer', FIELDS, [
      { number: 'K1', name: 'Bäckerei Sonnenschein', city: 'Berlin', email: 'kontakt@sonnenschein.de' },
      { number: 'K2', name: 'Praxis Weiß', city: 'Bremen' },
      { number: 'K4', name: 'Hotel Adler', active: 'no' },
    ]);
    await runSnapshot(app, 'erp', file2);
    expect(await counts(app)).toEqual([0, 1, 1, 0, 2, 1]);
    const k1 = await getRecord(app.db.kysely, app.workspace, 'customer', 'K1');
    expect(k1.values.email).toBe('kontakt@sonnenschein.de');
    expect(k1.values.phone).toBe('030 1234567');
    expect((await itemOf(app, 'K3')).category).toBe('deleted');

    // Step 6: the same file again changes nothing and writes no audit entries.
    const auditBefore = await app.db.kysely
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const report = await runSnapshot(app, 'erp', file2);
    const auditAfter = await app.db.kysely
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    expect(report.changeSet).toBeNull();
    expect(report.rows.unchanged).toBe(3);
    expect(await counts(app)).toEqual([0, 1, 1, 0, 2, 1]);
    expect(await countsAgree(app)).toBe(true);
  });
});
