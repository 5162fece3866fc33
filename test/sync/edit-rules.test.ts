/** A local edit that a field rule puts back at once is saved, and the edit says why the value did not stay. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import { editRecord, getRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'address', 'city'];

describe.each(DATABASES)('an edit against a field rule on $name', (target) => {
  let db: TestDatabase;
  let app: App;

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, {
        name: 'erp',
        entity: 'customer',
        source: 'file',
        settings: { rules: { address: 'prefer-remote' } },
      }),
    );
    const row = { number: 'K1', name: 'Alpha', address: 'Alte Str. 1', city: 'Köln' };
    await runSnapshot(app, 'erp', memorySnapshot('customer', FIELDS, [row]));
    await createAllPartners(app, 'erp', {});
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('names the field, the value it holds again and the integration whose rule put it back', async () => {
    const saved = await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K1'), {
        address: 'Neue Str. 2',
        city: 'Bonn',
      }),
    );
    expect(saved.values).toMatchObject({ address: 'Alte Str. 1', city: 'Bonn' });
    expect(saved.overridden).toEqual([{ field: 'address', value: 'Alte Str. 1', integrations: ['erp'] }]);
  });
});
