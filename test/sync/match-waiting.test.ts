/**
 * Matching by number (SYNC.md §6) for records that become linkable while both are in the overview apart:
 * enabled, active again, restored, or numbers that meet once leading zeros are ignored. Both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { App } from '../../src/sync/app.js';
import * as actions from '../../src/sync/actions.js';
import type { ActionName } from '../../src/sync/actions.js';
import type { PerItem } from '../../src/sync/bulk.js';
import { runAction } from '../../src/sync/bulk.js';
import { findWaiting } from '../../src/sync/candidates.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import type { ItemView } from '../../src/sync/overview.js';
import { listItems } from '../../src/sync/overview.js';
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

const FIELDS: FieldName[] = ['number', 'name', 'city', 'active'];
const FILE = [
  { number: 'K5', name: 'Fünf GmbH', city: 'Köln' },
  { number: '300', name: 'Dreihundert AG', city: 'Bonn' },
];

describe.each(DATABASES)('records that become linkable on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const integration = () => getIntegration(app.db.kysely, app.workspace, 'erp');
  const items = async (): Promise<ItemView[]> =>
    (await listItems(app.db.kysely, await integration(), { limit: 100 })).items;
  /** The items carrying `number` on either side: one linked item once matched, two apart before. */
  const of = async (number: string) =>
    (await items()).filter((i) => i.local?.number === number || i.remote?.number === number);
  const importFile = () => runSnapshot(app, 'erp', memorySnapshot('customer', FIELDS, FILE));
  const act = (name: ActionName, id: number, fn: PerItem) => runAction(app, 'erp', name, { ids: [id] }, fn);
  const add = (values: Record<string, string>) =>
    app.unit('add', null, (u) => createRecord(u, 'customer', { name: 'x', ...values }));
  const edit = (number: string, raw: Record<string, string>) =>
    app.unit('edit', null, async (u) =>
      editRecord(u, await getRecord(u.db, app.workspace, 'customer', number), raw),
    );

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'erp', entity: 'customer', source: 'file' }),
    );
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('a local record enabled again is linked with the remote record of its number', async () => {
    await add({ number: 'K5', name: 'Fünf GmbH' });
    const [waiting] = await of('K5');
    await act('disable', waiting!.id, (u, i, it) => actions.setSyncEnabled(u, i, it, false));
    await importFile();
    expect(await of('K5')).toHaveLength(2);
    const result = await act('enable', waiting!.id, (u, i, it) => actions.setSyncEnabled(u, i, it, true));
    const linked = await of('K5');
    expect(linked).toHaveLength(1);
    expect(result.done[0]).toMatchObject({ itemId: waiting!.id, removed: true, linkedInto: linked[0]!.id });
    expect(linked[0]!.category).toBe('synced');
    expect((await getRecord(app.db.kysely, app.workspace, 'customer', 'K5')).values.city).toBe('Köln');
  });

  it('a remote record enabled again is linked with the local record of its number made meanwhile', async () => {
    await importFile();
    const [remote] = await of('K5');
    await act('disable', remote!.id, (u, i, it) => actions.setSyncEnabled(u, i, it, false));
    await add({ number: 'K5', name: 'Fünf GmbH' });
    expect(await of('K5')).toHaveLength(2);
    await act('enable', remote!.id, (u, i, it) => actions.setSyncEnabled(u, i, it, true));
    expect((await of('K5')).map((i) => i.category)).toEqual(['synced']);
  });

  it('a local record active again, by reactivation or by an edit, is linked', async () => {
    await add({ number: 'K5', name: 'Fünf GmbH', active: 'false' });
    await add({ number: '300', name: 'Dreihundert AG', active: 'false' });
    await importFile();
    expect(await of('K5')).toHaveLength(2);
    const [inactive] = (await of('K5')).filter((i) => i.category === 'inactive');
    const [remote] = (await of('K5')).filter((i) => i.category === 'new');
    const result = await act('reactivate', inactive!.id, (u, i, it) => actions.reactivateItem(u, i, it));
    expect((await of('K5')).map((i) => i.category)).toEqual(['synced']);
    // The result names the item the record went into, its category, and the field reactivation wrote.
    expect(result.done).toEqual([
      expect.objectContaining({
        itemId: inactive!.id,
        removed: true,
        linkedInto: remote!.id,
        category: 'synced',
        localChanged: expect.arrayContaining(['active']),
      }),
    ]);
    await edit('300', { active: 'true' });
    expect((await of('300')).map((i) => i.category)).toEqual(['synced']);
  });

  it('a new record is told of the one of its number waiting apart, which reactivating links', async () => {
    await add({ number: 'K5', name: 'Fünf GmbH' });
    await app.unit('archive', null, async (u) =>
      archiveRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K5')),
    );
    await add({ number: '300', name: 'Dreihundert AG' });
    const [local300] = await of('300');
    await act('disable', local300!.id, (u, i, it) => actions.setSyncEnabled(u, i, it, false));
    await importFile();
    const [archived] = (await of('K5')).filter((i) => i.category === 'inactive');
    const [remote] = (await of('K5')).filter((i) => i.category === 'new');
    expect(await findWaiting(app, 'erp', remote!.id)).toEqual([
      { itemId: archived!.id, number: 'K5', name: 'Fünf GmbH', category: 'inactive' },
    ]);
    const [remote300] = (await of('300')).filter((i) => i.category === 'new');
    expect(await findWaiting(app, 'erp', remote300!.id)).toEqual([
      expect.objectContaining({ itemId: local300!.id, category: 'disabled' }),
    ]);
    // From the other side too: the disabled local record is told of the file's record.
    expect(await findWaiting(app, 'erp', local300!.id)).toEqual([]); // disabled, not new: nothing to choose
  });

  it('an archived local record restored is linked', async () => {
    await add({ number: 'K5', name: 'Fünf GmbH' });
    await app.unit('archive', null, async (u) =>
      archiveRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K5')),
    );
    await importFile();
    expect(await of('K5')).toHaveLength(2);
    await app.unit('restore', null, async (u) =>
      restoreRecord(u, await getRecord(u.db, app.workspace, 'customer', 'K5', 'archived')),
    );
    expect((await of('K5')).map((i) => i.category)).toEqual(['synced']);
  });

  it('numbers that meet once leading zeros are ignored are linked; a pair the user unlinked stays apart', async () => {
    const erp = await integration(); // read outside the unit: SQLite has one connection
    await app.unit('set', null, (u) => changeSettings(u, erp, { ignoreLeadingZeros: false }));
    await add({ number: '0300', name: 'Dreihundert AG' });
    await add({ number: 'K5', name: 'Fünf GmbH' });
    await importFile();
    expect(await of('0300')).toHaveLength(1);
    expect(await of('300')).toHaveLength(1);
    const [pair] = await of('K5');
    expect(pair!.category).toBe('synced');
    await act('unlink', pair!.id, (u, i, it) => actions.unlinkItem(u, i, it));
    await edit('K5', { city: 'Düren' });
    expect(await of('K5')).toHaveLength(2);
    const exact = await integration();
    await app.unit('set', null, (u) => changeSettings(u, exact, { ignoreLeadingZeros: true }));
    const zeros = (await items()).filter((i) => i.local?.number === '0300');
    expect(zeros.map((i) => [i.category, i.remote?.number])).toEqual([['synced', '300']]);
    expect(await of('K5')).toHaveLength(2);
  });
});
