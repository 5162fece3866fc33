/** The export file's corrections (FORMATS.md "Export"): what the payroll should take, and only that. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { App } from '../../src/sync/app.js';
import { createPartner, resolveItem } from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { exportFile } from '../../src/sync/export.js';
import { loadItems } from '../../src/sync/items.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import {
  archiveRecord,
  createRecord,
  editRecord,
  getRecord,
  restoreRecord,
} from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { changeSettings } from '../../src/sync/settings-change.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'workPhone', 'ssn', 'active'];
const ROW = {
  number: '7',
  name: 'Dieter Krause',
  city: 'Berlin',
  workPhone: '0170 1234567',
  ssn: '12345678901',
};

describe.each(DATABASES)('the export file on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  let dir: string;
  const run = (rows: Partial<Record<FieldName, string>>[]) =>
    runSnapshot(app, 'pay', memorySnapshot('employee', FIELDS, rows));
  const exported = async (): Promise<string[]> => {
    const path = join(dir, `export-${Date.now()}-${Math.random()}.csv`);
    await exportFile(app, 'pay', path, { language: 'en' });
    return (await readFile(path, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1);
  };
  const edit = (raw: Record<string, string>) =>
    app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'employee', '7'), raw),
    );

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    dir = await mkdtemp(join(tmpdir(), 'abgleich-export-'));
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
    await run([ROW]);
    await createAllPartners(app, 'pay', {});
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves out a linked record whose phone differs only by the calling code the file lacks', async () => {
    await edit({ workPhoneCode: '49' });
    expect(
      (await countItems(app.db.kysely, await getIntegration(app.db.kysely, app.workspace, 'pay'))).synced,
    ).toBe(1);
    expect(await exported()).toEqual([]);
    await edit({ city: 'Potsdam' });
    const rows = await exported();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Potsdam');
  });

  it('does not offer an SSN wiped by archiving as a correction', async () => {
    await app.unit('archive', null, async (u) =>
      archiveRecord(u, await getRecord(u.db, app.workspace, 'employee', '7')),
    );
    await app.unit('restore', null, async (u) =>
      restoreRecord(u, await getRecord(u.db, app.workspace, 'employee', '7', 'archived')),
    );
    // Restored, the record takes the payroll's SSN again (test/sync/forget-ssn.test.ts): nothing to send.
    expect((await getRecord(app.db.kysely, app.workspace, 'employee', '7')).values.ssn).toBe(ROW.ssn);
    expect(await exported()).toEqual([]);
  });

  it('leaves out a conflict until it is decided, then sends the chosen local value', async () => {
    await edit({ city: 'Potsdam' });
    await run([{ ...ROW, city: 'Hamburg' }]);
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    expect((await countItems(app.db.kysely, integration)).conflict).toBe(1);
    expect(await exported()).toEqual([]);
    await app.unit('resolve', integration.id, async (u) => {
      const [item] = await loadItems(u.db, [1]);
      return resolveItem(u, integration, item!, 'local', {});
    });
    expect((await countItems(app.db.kysely, integration)).synced).toBe(1);
    const rows = await exported();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Potsdam');
  });

  it('does not offer a field the remote side decides, or one left out of the comparison', async () => {
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    await app.unit('set', null, (u) => changeSettings(u, integration, { rules: { city: 'ignore' } }));
    await edit({ city: 'Potsdam' });
    expect(await exported()).toEqual([]);
  });

  it("does not send a partner made under another number as a correction, and sends it under the file's", async () => {
    await run([ROW, { ...ROW, number: '8', name: 'Eva Ernst' }]);
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    const eva = (await listItems(app.db.kysely, integration, { search: 'Eva' })).items[0]!;
    await runAction(app, 'pay', 'partner', { ids: [eva.id] }, (u, i, it) => createPartner(u, i, it, 'P8'));
    expect((await getRecord(app.db.kysely, app.workspace, 'employee', 'P8')).values.name).toBe('Eva Ernst');
    expect(await exported()).toEqual([]);
    await app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'employee', 'P8'), { city: 'Köln' }),
    );
    const rows = await exported();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.startsWith('8,')).toBe(true);
  });

  it('takes the export mark off a record once an import carries it', async () => {
    await app.unit('add', null, (u) => createRecord(u, 'employee', { number: '9', name: 'Nils Neu' }));
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    const nils = (await listItems(app.db.kysely, integration, { search: 'Nils' })).items[0]!;
    await runAction(app, 'pay', 'partner', { ids: [nils.id] }, (u, i, it) => createPartner(u, i, it));
    expect((await exported()).map((r) => r.split(',')[0])).toEqual(['9']);
    await run([ROW, { number: '9', name: 'Nils Neu' }]);
    const [after] = (await listItems(app.db.kysely, integration, { search: 'Nils' })).items;
    expect(after).toMatchObject({ category: 'synced', linked: true, exported: false });
    expect(await exported()).toEqual([]);
  });

  it('sends a correction with the remote values of the fields it does not exchange', async () => {
    // The payroll overwrites whole rows: an ignored city, or an SSN wiped here, must go out as it has them.
    const integration = await getIntegration(app.db.kysely, app.workspace, 'pay');
    await app.unit('set', null, (u) => changeSettings(u, integration, { rules: { city: 'ignore' } }));
    await edit({ city: 'Potsdam', ssn: '', workPhone: '0170 7654321' });
    const rows = await exported();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('0170 7654321');
    expect(rows[0]).toContain('Berlin');
    expect(rows[0]).not.toContain('Potsdam');
    expect(rows[0]).toContain('12345678901');
  });
});
