/**
 * An archived record keeps no SSN (SYNC.md §3: "sensitive data must not outlive the employment"): not in
 * the record, not in the baselines of its links, not in its history. The payroll's current row is the
 * payroll's: it stays on the item while the file lists the person.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import type { Executor } from '../../src/store/executor.js';
import { deleteOtherSide } from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { withoutSsn } from '../../src/sync/forget.js';
import { getIntegration } from '../../src/sync/integrations.js';
import { countItems } from '../../src/sync/overview.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import { archiveRecord, editRecord, getRecord, restoreRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { undoChangeSet } from '../../src/sync/undo.js';
import { memorySnapshot, payrollWorld } from '../support/app.js';
import { DATABASES } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'ssn', 'active'];
const PAYROLL_SSN = '12345678901';
const EDITED_SSN = '98765432109';
const DIETER = { number: '7', name: 'Dieter Krause', city: 'Berlin', ssn: PAYROLL_SSN };
const EVA = { number: '8', name: 'Eva Ernst', city: 'Köln', ssn: '55555555555' };

describe.each(DATABASES)('the SSN of an archived record on $name', (target) => {
  const world = payrollWorld(target);
  const run = (rows: Partial<Record<FieldName, string>>[]) =>
    runSnapshot(world.app, 'pay', memorySnapshot('employee', FIELDS, rows));
  const record = (number: string, scope?: 'archived', db: Executor = world.app.db.kysely) =>
    getRecord(db, world.app.workspace, 'employee', number, scope);
  /** Every value the store keeps besides the item's current remote row, as one text. */
  const everythingButTheRemoteRow = async (): Promise<string> => {
    const audit = await world.app.db.kysely.selectFrom('audit').select(['old_value', 'new_value']).execute();
    const items = await world.app.db.kysely.selectFrom('item').select(['baseline']).execute();
    const locals = await world.app.db.kysely.selectFrom('local_record').select(['data']).execute();
    return JSON.stringify([audit, items, locals]);
  };

  beforeEach(async () => {
    await run([DIETER, EVA]);
    await createAllPartners(world.app, 'pay', {});
    // An SSN typed in the registry and changed back: both numbers are in the history now.
    for (const ssn of [EDITED_SSN, PAYROLL_SSN])
      await world.app.unit('edit', null, async (u) =>
        editRecord(u, await record('7', undefined, u.db), { ssn }),
      );
  });

  it('leaves the record, its baselines and its history, and keeps the history entries themselves', async () => {
    const entriesBefore = await world.app.db.kysely.selectFrom('audit').select('id').execute();
    expect(await everythingButTheRemoteRow()).toContain(EDITED_SSN);
    await world.app.unit('archive', null, async (u) => archiveRecord(u, await record('7', undefined, u.db)));

    const kept = await everythingButTheRemoteRow();
    expect(kept).not.toContain(EDITED_SSN);
    expect(kept).not.toContain(PAYROLL_SSN);
    expect(kept).toContain(EVA.ssn); // another person's history is untouched
    const ssnEntries = await world.app.db.kysely
      .selectFrom('audit')
      .select(['old_value', 'new_value'])
      .where('field', '=', 'ssn')
      .execute();
    expect(ssnEntries.length).toBeGreaterThanOrEqual(3); // typed, changed back, wiped: still told
    expect(ssnEntries.every((e) => e.old_value === '' && e.new_value === '')).toBe(true);
    expect((await world.app.db.kysely.selectFrom('audit').select('id').execute()).length).toBeGreaterThan(
      entriesBefore.length,
    );
    // The payroll still lists the person: its row is the payroll's, and stays.
    const item = await world.app.db.kysely
      .selectFrom('item')
      .select(['remote_data', 'category'])
      .where('number', '=', '7')
      .executeTakeFirstOrThrow();
    expect(item.category).toBe('deleted');
    expect(JSON.parse(item.remote_data!).ssn).toBe(PAYROLL_SSN);
  });

  it('takes the SSN again from the payroll when the record is restored, and agrees on it', async () => {
    await world.app.unit('archive', null, async (u) => archiveRecord(u, await record('7', undefined, u.db)));
    await world.app.unit('restore', null, async (u) => restoreRecord(u, await record('7', 'archived', u.db)));
    expect((await record('7')).values.ssn).toBe(PAYROLL_SSN);
    const integration = await getIntegration(world.app.db.kysely, world.app.workspace, 'pay');
    expect(await countItems(world.app.db.kysely, integration)).toMatchObject({ synced: 2, deleted: 0 });
    // The same file again changes nothing.
    const again = await run([DIETER, EVA]);
    expect(again.changes).toMatchObject({ updated: 0, conflicts: 0 });
  });

  it('comes back from the payroll when an archiving by mistake is undone', async () => {
    const archive = await world.app.unit('archive', null, async (u) => {
      await archiveRecord(u, await record('7', undefined, u.db));
      return u.ensureChangeSet();
    });
    await undoChangeSet(world.app, archive);
    expect((await record('7')).values.ssn).toBe(PAYROLL_SSN);
    const integration = await getIntegration(world.app.db.kysely, world.app.workspace, 'pay');
    expect(await countItems(world.app.db.kysely, integration)).toMatchObject({ synced: 2, deleted: 0 });
  });

  it('cannot be brought back from the history by undoing the archive', async () => {
    const archive = await world.app.unit('archive', null, async (u) => {
      await archiveRecord(u, await record('7', undefined, u.db));
      return u.ensureChangeSet();
    });
    // Without the payroll's row the number could only come from the history.
    await run([EVA]);
    await undoChangeSet(world.app, archive);
    const restored = await record('7');
    expect(restored.archivedAt).toBeNull();
    expect(restored.values.ssn).toBeUndefined();
    expect(await everythingButTheRemoteRow()).not.toContain(EDITED_SSN);
  });

  it('goes when the record is archived because the payroll deleted it', async () => {
    await run([EVA]);
    const integration = await getIntegration(world.app.db.kysely, world.app.workspace, 'pay');
    expect((await countItems(world.app.db.kysely, integration)).deleted).toBe(1);
    const item = await world.app.db.kysely
      .selectFrom('item')
      .select('id')
      .where('number', '=', '7')
      .executeTakeFirstOrThrow();
    await runAction(world.app, 'pay', 'delete', { ids: [item.id] }, deleteOtherSide);
    expect((await record('7', 'archived')).values.ssn).toBeUndefined();
    const kept = await everythingButTheRemoteRow();
    expect(kept).not.toContain(EDITED_SSN);
    expect(kept).not.toContain(PAYROLL_SSN);
    expect(kept).toContain(EVA.ssn);
  });
});

describe('withoutSsn', () => {
  it('takes the SSN out at any depth, also from JSON held as text, and leaves other text alone', () => {
    const snapshot = JSON.stringify({
      remote_data: JSON.stringify({ name: 'A', ssn: '1' }),
      baseline: JSON.stringify({ local: { ssn: '1', city: 'B' }, remote: { ssn: '2' } }),
      linked: 1,
    });
    expect(JSON.parse(withoutSsn(snapshot)!)).toEqual({
      remote_data: JSON.stringify({ name: 'A' }),
      baseline: JSON.stringify({ local: { city: 'B' }, remote: {} }),
      linked: 1,
    });
    expect(withoutSsn('{"ssn" is not JSON')).toBe('{"ssn" is not JSON');
    expect(withoutSsn('Berlin')).toBe('Berlin');
    expect(withoutSsn(null)).toBeNull();
  });
});
