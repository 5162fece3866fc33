/**
 * Rules that span fields (a CVR number only on business customers) across a run and a resolution: a
 * merge field by field must not make a record the registry itself would refuse. Both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import { AbgleichError } from '../../src/core/errors.js';
import type { App } from '../../src/sync/app.js';
import * as actions from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { listItems } from '../../src/sync/overview.js';
import { createRecord, editRecord, getRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'type', 'companyRegNo'];

describe.each(DATABASES)('rules spanning fields on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const integration = () => getIntegration(app.db.kysely, app.workspace, 'erp');
  const onlyItem = async () => (await listItems(app.db.kysely, await integration(), { limit: 10 })).items[0]!;
  const jens = () => getRecord(app.db.kysely, app.workspace, 'customer', 'K7');

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.unit('setup', null, async (u) => {
      await addIntegration(u.db, app.workspace, u.now, { name: 'erp', entity: 'customer', source: 'file' });
      await createRecord(u, 'customer', { number: 'K7', name: 'Jens Privat', type: 'private' });
    });
    // The file says business and carries a CVR number: the type conflicts, and the number cannot be
    // taken beside it on its own.
    await runSnapshot(
      app,
      'erp',
      memorySnapshot('customer', FIELDS, [
        { number: 'K7', name: 'Jens Privat', type: 'Erhverv', companyRegNo: '12345678' },
      ]),
      {},
    );
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('a number the type would not allow is held back as a conflict beside the type', async () => {
    const item = await onlyItem();
    expect(item.category).toBe('conflict');
    expect(item.conflicts).toEqual(['type', 'companyRegNo']);
    const before = await jens();
    expect(before.values.type).toBe('private');
    expect(before.values.companyRegNo ?? '').toBe('');
    // The record stays editable (it was refused for every edit when the number had been merged).
    await app.unit('edit', null, (u) => editRecord(u, before, { city: 'Odense' }));
    expect((await jens()).values.city).toBe('Odense');
  });

  it('a resolution that would break the rule is refused and changes nothing; the two together settle', async () => {
    const item = await onlyItem();
    const resolve = (fields: Parameters<typeof actions.resolveItem>[4]) =>
      runAction(app, 'erp', 'resolve', { ids: [item.id] }, (u, i, it) =>
        actions.resolveItem(u, i, it, undefined, fields),
      );
    const refused = await resolve({ type: 'local', companyRegNo: 'remote' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AbgleichError);
    expect((refused as AbgleichError).code).toBe('validation_failed');
    expect((refused as AbgleichError).message).toContain('companyRegNo "12345678" and type "private"');
    expect((await onlyItem()).conflicts).toEqual(['type', 'companyRegNo']);
    await resolve({ type: 'remote', companyRegNo: 'remote' });
    expect((await onlyItem()).category).toBe('synced');
    expect((await jens()).values).toMatchObject({ type: 'business', companyRegNo: '12345678' });
  });
});
