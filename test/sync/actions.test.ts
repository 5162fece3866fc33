/** Runs and actions of SYNC.md §6–§8 on both databases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import { AbgleichError } from '../../src/core/errors.js';
import type { App } from '../../src/sync/app.js';
import * as actions from '../../src/sync/actions.js';
import type { ActionName } from '../../src/sync/actions.js';
import type { PerItem, Target } from '../../src/sync/bulk.js';
import { runAction } from '../../src/sync/bulk.js';
import { addIntegration, getIntegration } from '../../src/sync/integrations.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import type { ItemView } from '../../src/sync/overview.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import { reactivateItems } from '../../src/sync/reactivate-many.js';
import { archiveRecord, createRecord, editRecord, getRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { changeSettings } from '../../src/sync/settings-change.js';
import { listAudit } from '../../src/sync/history.js';
import { undoChangeSet } from '../../src/sync/undo.js';
import { memorySnapshot, openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'email', 'active'];
type Row = Partial<Record<FieldName, string>>;

const people = (n: number, extra: (i: number) => Row = () => ({})): Row[] =>
  Array.from({ length: n }, (_, i) => ({
    number: String(100 + i),
    name: `Person ${i}`,
    city: 'Berlin',
    ...extra(i),
  }));

describe.each(DATABASES)('runs and actions on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const integration = () => getIntegration(app.db.kysely, app.workspace, 'pay');
  const counts = async () => countItems(app.db.kysely, await integration());
  const items = async (q: Parameters<typeof listItems>[2] = {}) =>
    (await listItems(app.db.kysely, await integration(), { limit: 1000, ...q })).items;
  const item = async (number: string): Promise<ItemView> => {
    const found = (await items({ search: number })).find((i) => i.number === number);
    if (!found) throw new Error(`no item ${number}`);
    return found;
  };
  const run = (rows: Row[], opts = {}) =>
    runSnapshot(app, 'pay', memorySnapshot('employee', FIELDS, rows), opts);
  const act = (name: ActionName, t: Target, fn: PerItem) => runAction(app, 'pay', name, t, fn);
  const local = (number: string) => getRecord(app.db.kysely, app.workspace, 'employee', number);
  /** Inside a unit, read through its transaction (SQLite has one connection). */
  const localIn = (u: { db: Parameters<typeof getRecord>[0] }, number: string) =>
    getRecord(u.db, app.workspace, 'employee', number);

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    // The trigger-kept counts agree with a plain count after whatever the test did.
    const counted = await app.db.kysely
      .selectFrom('item')
      .select(['category', (eb) => eb.fn.countAll<number>().as('n')])
      .where('integration_id', '=', (await integration()).id)
      .groupBy('category')
      .execute();
    const kept = await counts();
    for (const [category, n] of Object.entries(kept)) {
      expect(n, category).toBe(Number(counted.find((r) => r.category === category)?.n ?? 0));
    }
    await app.close();
    await db.cleanup();
  });

  it('a file with an invalid row changes nothing and names row, column and reason', async () => {
    const error = await run([...people(2), { number: '200', name: 'Bad', email: 'nope' }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbgleichError);
    expect((error as AbgleichError).code).toBe('file_invalid');
    expect((error as AbgleichError).details).toMatchObject({
      problems: [{ row: 4, column: 'email', value: 'nope' }],
    });
    expect(await counts()).toMatchObject({ new: 0 });
  });

  it('--skip-invalid imports the valid rows', async () => {
    const report = await run([...people(2), { number: '200', name: 'Bad', email: 'nope' }], {
      skipInvalid: true,
    });
    expect(report.rows).toMatchObject({ valid: 2, invalid: 1 });
    expect((await counts()).new).toBe(2);
  });

  it('--skip-invalid marks nothing deleted while a skipped row has no readable number', async () => {
    await run(people(3));
    await createAllPartners(app, 'pay', {});
    // Row 2's number is mistyped: it may be record 100, so 100 is not taken as gone; 102 is gone, but
    // the file is no complete list of numbers, so that waits for a file that is.
    const rows = [{ ...people(1)[0]!, number: '100/' }, people(2)[1]!];
    const report = await run(rows, { skipInvalid: true });
    expect(report.changes.deleted).toBe(0);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'deletions_skipped', row: 2 }));
    expect((await counts()).deleted).toBe(0);
    // A row skipped for another field still names its record: the run infers deletions as usual.
    const bad = await run([{ ...people(1)[0]!, email: 'nope' }, people(2)[1]!], { skipInvalid: true });
    expect(bad.changes.deleted).toBe(1);
    expect((await item('102')).category).toBe('deleted');
  });

  it('a planned conflict names the fields taken beside it too', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Potsdam' }));
    const report = await run(
      people(1, () => ({ city: 'Hamburg', email: 'p@example.de' })),
      { dryRun: true },
    );
    expect(report.planned).toEqual([
      expect.objectContaining({ change: 'conflict', fields: ['city'], merged: ['email'] }),
    ]);
  });

  it('a planned update names the fields the row changed, for a record only the file has too', async () => {
    await run(people(2));
    await createAllPartners(app, 'pay', { search: '100' });
    const report = await run(
      people(2, () => ({ city: 'Kiel' })),
      { dryRun: true },
    );
    expect([...report.planned].sort((a, b) => a.number.localeCompare(b.number))).toEqual([
      expect.objectContaining({ number: '100', change: 'updated', fields: ['city'] }),
      expect.objectContaining({ number: '101', change: 'updated', fields: ['city'] }),
    ]);
  });

  it('a dry run reports the planned counts and writes nothing', async () => {
    const report = await run(people(3), { dryRun: true });
    expect(report.counts.new).toBe(3);
    expect(report.planned).toHaveLength(3);
    expect((await counts()).new).toBe(0);
  });

  it('the mass-delete guard stops a run that would delete more than 20 % of over 10 links', async () => {
    await run(people(50));
    await createAllPartners(app, 'pay', {});
    expect((await counts()).synced).toBe(50);
    const error = await run(people(30)).catch((e: unknown) => e);
    expect((error as AbgleichError).code).toBe('confirm_deletes');
    expect((await counts()).deleted).toBe(0);
    // A dry run previews it: the twenty it would mark, and that the import itself needs confirming.
    const preview = await run(people(30), { dryRun: true });
    expect(preview.deleteGuard).toEqual({ deleted: 20, links: 50 });
    expect(preview.planned.filter((p) => p.change === 'deleted')).toHaveLength(20);
    expect((await counts()).deleted).toBe(0);
    const confirmed = await run(people(30), { confirmDeletes: true });
    expect(confirmed.deleteGuard).toBeNull();
    expect((await counts()).deleted).toBe(20);
  });

  it('the guard counts only the links a run would newly mark deleted (not disabled ones)', async () => {
    await run(people(100));
    await createAllPartners(app, 'pay', {});
    // 25 of 100 links missing is over 20 %; with 6 of them disabled, 19 would be marked: not over.
    const disabled = (await items({ category: 'synced' })).filter((i) => Number(i.number) >= 194);
    expect(disabled).toHaveLength(6);
    await act('disable', { ids: disabled.map((i) => i.id) }, (u, i, it) =>
      actions.setSyncEnabled(u, i, it, false),
    );
    await run(people(75)); // not refused
    // The disabled six are marked too, but stay `disabled`: the overview shows 19 deleted.
    expect(await counts()).toMatchObject({ deleted: 19, disabled: 6, synced: 75 });
  });

  it('marks thousands of missing links deleted, and removes missing unlinked records, in one run', async () => {
    await run(people(4500));
    await createAllPartners(app, 'pay', { search: '1' }); // some linked, some left unlinked
    const before = await counts();
    const report = await run([], { confirmDeletes: true });
    expect(report.changes.deleted).toBe(before.synced);
    expect(report.changes.removed).toBe(before.new);
    expect(before.synced).toBeGreaterThan(2000); // more than one chunk of each
    expect(before.new).toBeGreaterThan(0);
    expect(await counts()).toMatchObject({ deleted: before.synced, new: 0, synced: 0 });
  });

  it('a source that fails after batches were applied leaves nothing behind', async () => {
    // Three batches of 1,000 were written before the source broke: the rollback takes them back.
    const good = memorySnapshot('employee', FIELDS, people(3500));
    const failing = {
      ...good,
      async *rows() {
        let n = 0;
        for await (const row of good.rows()) {
          if (++n === 3200) throw new Error('connection lost while reading');
          yield row;
        }
      },
    };
    const error = await runSnapshot(app, 'pay', failing).catch((e: unknown) => e);
    expect((error as Error).message).toBe('connection lost while reading');
    expect(await counts()).toEqual({ conflict: 0, new: 0, deleted: 0, disabled: 0, synced: 0, inactive: 0 });
    expect(await app.db.kysely.selectFrom('item').select('id').execute()).toEqual([]);
    expect(await app.db.kysely.selectFrom('audit').select('id').execute()).toEqual([]);
  });

  it('create all partners skips a number already taken locally and reports it', async () => {
    await run(people(3));
    await app.unit('x', null, async (u) => {
      const rec = await createRecord(u, 'employee', { number: '999', name: 'Someone' });
      await archiveRecord(u, rec);
    });
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '500', name: 'Local only' }));
    // An archived 999 frees its number; a local 0101 is the same number as the remote 101 (leading
    // zeros ignored), inactive, so that it was not linked automatically.
    await run(people(3).concat([{ number: '999', name: 'Remote 999' }]));
    await app.unit('x', null, (u) =>
      createRecord(u, 'employee', { number: '0101', name: 'Local 0101', active: 'false' }),
    );
    const progress: [number, number][] = [];
    const result = await createAllPartners(app, 'pay', { side: 'remote' }, (done, total) =>
      progress.push([done, total]),
    );
    expect(result.created).toBe(3);
    expect(progress.at(-1)).toEqual([4, 4]); // 3 created and 1 skipped, the last page's writes included
    expect(result.skipped).toEqual([
      {
        itemId: (await item('101')).id,
        number: '101',
        reason: 'the number 101 is taken by another local record',
        code: 'number_taken',
      },
    ]);
    expect(result.skippedCount).toBe(1);
    expect((await counts()).synced).toBe(3);
    expect((await local('999'))?.values.name).toBe('Remote 999');
    // 101 waits in `new`, and so does the local-only 500; the inactive 0101 and the archived 999 are
    // `inactive`.
    expect(await counts()).toMatchObject({ new: 2, inactive: 2 });
  });

  it('a field changed on both sides since the baseline is a conflict, resolved field by field', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Köln' }));
    await run(people(1, () => ({ city: 'Bonn' })));
    const conflicted = await item('100');
    expect(conflicted.category).toBe('conflict');
    expect(conflicted.conflicts).toEqual(['city']);
    const stale = await act(
      'resolve',
      { ids: [conflicted.id], versions: { [conflicted.id]: conflicted.version - 1 } },
      (u, i, it) => actions.resolveItem(u, i, it, 'remote', {}),
    ).catch((e: unknown) => e);
    expect((stale as AbgleichError).code).toBe('stale_version');
    await act('resolve', { ids: [conflicted.id] }, (u, i, it) =>
      actions.resolveItem(u, i, it, undefined, { city: { value: 'Düren' } }),
    );
    expect((await item('100')).category).toBe('synced');
    expect((await local('100')).values.city).toBe('Düren');
    // The file still says Bonn: an accepted difference, not a new remote change.
    await run(people(1, () => ({ city: 'Bonn' })));
    expect((await item('100')).category).toBe('synced');
    expect((await local('100')).values.city).toBe('Düren');
  });

  it('a local value changed by resolving, by a run or by a new rule settles the record in the other integrations at once', async () => {
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'fin', entity: 'employee', source: 'file' }),
    );
    const fin = () => getIntegration(app.db.kysely, app.workspace, 'fin');
    const inFin = async (number: string) =>
      (await listItems(app.db.kysely, await fin(), { limit: 10, search: number })).items.find(
        (i) => i.number === number,
      )!;
    const runFin = (rows: Row[]) => runSnapshot(app, 'fin', memorySnapshot('employee', FIELDS, rows));
    await run(people(3));
    await createAllPartners(app, 'pay', {});
    await runFin(people(3));
    // 100, 101 and 102 edited locally; both files then say Kiel: a conflict in each integration.
    for (const n of ['100', '101', '102'])
      await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, n), { city: 'Bonn' }));
    await run(people(3, () => ({ city: 'Kiel' })));
    await runFin(people(3, () => ({ city: 'Kiel' })));
    expect((await inFin('100')).category).toBe('conflict');

    // Resolved in "pay" with the remote value: the record now holds Kiel, as fin's file does.
    const conflicted = await item('100');
    await act('resolve', { ids: [conflicted.id] }, (u, i, it) => actions.resolveItem(u, i, it, 'remote', {}));
    expect(await inFin('100')).toMatchObject({ category: 'synced', conflicts: [] });

    // A new rule in "pay" takes Kiel into 101: fin's conflict on it goes too.
    const pay = await integration();
    await app.unit('set', null, (u) => changeSettings(u, pay, { rules: { city: 'prefer-remote' } }));
    expect((await local('101')).values.city).toBe('Kiel');
    expect(await inFin('101')).toMatchObject({ category: 'synced', conflicts: [] });
    // 102 too, settled by the same change; fin's conflicts are all gone.
    expect((await inFin('102')).category).toBe('synced');
  });

  it('an edit of the local record since the item was read makes an action on it stale', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Köln' }));
    await run(people(1, () => ({ city: 'Bonn' })));
    const read = await item('100');
    expect(read.conflicts).toEqual(['city']);
    // Another user edits the conflicting field: the item stays a conflict, but shows another value now.
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Kerpen' }));
    const now = await item('100');
    expect(now.category).toBe('conflict');
    expect(now.version).toBeGreaterThan(read.version);
    const stale = await act(
      'resolve',
      { ids: [read.id], versions: { [read.id]: read.version } },
      (u, i, it) => actions.resolveItem(u, i, it, 'remote', {}),
    ).catch((e: unknown) => e);
    expect((stale as AbgleichError).code).toBe('stale_version');
    expect((await local('100')).values.city).toBe('Kerpen');
    // An edit that changes nothing leaves the version alone.
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Kerpen' }));
    expect((await item('100')).version).toBe(now.version);
  });

  it('a one-sided remote change flows in and is audited; undo restores it', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    const report = await run(people(1, () => ({ email: 'p@example.de' })));
    expect((await local('100')).values.email).toBe('p@example.de');
    const audit = await listAudit(app, { changeSet: report.changeSet! });
    expect(audit.some((e) => e.target === 'local' && e.field === 'email' && e.new === 'p@example.de')).toBe(
      true,
    );
    const undo = await undoChangeSet(app, report.changeSet!);
    expect(undo.conflicts).toEqual([]);
    expect((await local('100')).values.email).toBeUndefined();

    // Not twice; and once the undo is undone, the message names what takes the change back now.
    const twice = await undoChangeSet(app, report.changeSet!).catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 'already_undone', details: { undoneBy: undo.changeSet } });
    const redo = await undoChangeSet(app, undo.changeSet!);
    expect((await local('100')).values.email).toBe('p@example.de');
    const again = await undoChangeSet(app, report.changeSet!).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'already_undone', details: { redoneBy: redo.changeSet } });
    expect((again as AbgleichError).message).toContain(`undo change ${redo.changeSet}`);
  });

  it('undo of a deletion whose remote record came back since keeps the new item and says so', async () => {
    await run(people(2));
    await createAllPartners(app, 'pay', {});
    await run(people(2).slice(1));
    const gone = await item('100');
    expect(gone.category).toBe('deleted');
    const deleted = await act('delete', { ids: [gone.id] }, (u, i, it) => actions.deleteOtherSide(u, i, it));
    await run(people(2));
    const back = (await items()).find((i) => i.number === '100' && i.category === 'new');
    expect(back?.remote).not.toBeNull();
    const undo = await undoChangeSet(app, deleted.changeSet!);
    expect(undo.conflicts).toContainEqual(expect.objectContaining({ itemId: gone.id, field: null }));
    expect((await items()).filter((i) => i.number === '100').map((i) => i.id)).toContain(back!.id);
  });

  it('a name taken from the file is the name the item is listed and found by', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await run(people(1, () => ({ name: 'Omega Person' })));
    expect((await local('100')).values.name).toBe('Omega Person');
    const [found] = await items({ search: 'Omega' });
    expect(found).toMatchObject({ number: '100', name: 'Omega Person' });
  });

  it('undo of an import leaves a record as it is when a later import changed its item since', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    const moved = await run(people(1, () => ({ city: 'Potsdam' })));
    await run(people(1, () => ({ city: 'Potsdam', email: 'p@example.de' })));
    const undo = await undoChangeSet(app, moved.changeSet!);
    expect(undo.conflicts).toContainEqual(expect.objectContaining({ field: null }));
    // Set back alone, Berlin would be "ahead" of a file that says Potsdam, and go out as a correction.
    expect((await local('100')).values).toMatchObject({ city: 'Potsdam', email: 'p@example.de' });
    expect((await item('100')).category).toBe('synced');
    expect((await run(people(1, () => ({ city: 'Potsdam', email: 'p@example.de' })))).changes).toMatchObject({
      updated: 0,
      conflicts: 0,
    });
  });

  it('the same file imported again after its import was undone applies again', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    const report = await run(people(1, () => ({ city: 'Potsdam' })));
    expect((await local('100')).values.city).toBe('Potsdam');
    await undoChangeSet(app, report.changeSet!);
    expect((await local('100')).values.city).toBe('Berlin');
    await run(people(1, () => ({ city: 'Potsdam' })));
    expect((await local('100')).values.city).toBe('Potsdam');
    expect((await item('100')).category).toBe('synced');
  });

  it('a remote record that becomes active again is linked with the waiting local record of its number', async () => {
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '105', name: 'Eva Ernst' }));
    await run([{ number: '105', name: 'Eva Ernst', active: 'nein' }]);
    expect((await items()).map((i) => [i.category, i.linked])).toEqual([
      ['new', false],
      ['inactive', false],
    ]);
    const back = await run([{ number: '105', name: 'Eva Ernst', city: 'Köln' }]);
    expect(back.changes.linked).toBe(1);
    const [only, ...more] = await items();
    expect(more).toEqual([]);
    expect([only!.category, only!.linked]).toEqual(['synced', true]);
    expect((await local('105')).values.city).toBe('Köln');
  });

  it('a pair the user unlinked stays apart when the remote record changes', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await act('unlink', { ids: [(await item('100')).id] }, actions.unlinkItem);
    const changed = await run(people(1, () => ({ city: 'Köln' })));
    expect(changed.changes.linked).toBe(0);
    expect(await counts()).toMatchObject({ new: 2, synced: 0 });
  });

  it('a record an undone import had marked deleted is missed again by the next import without it', async () => {
    await run(people(3));
    await createAllPartners(app, 'pay', {});
    const without = await run(people(2));
    expect(without.changes.deleted).toBe(1);
    await undoChangeSet(app, without.changeSet!);
    expect((await item('102')).category).toBe('synced');
    const again = await run(people(2));
    expect(again.changes.deleted).toBe(1);
    expect((await item('102')).category).toBe('deleted');
  });

  it('undo of an import restores a value it cleared when the import before it lacked that column', async () => {
    const withCity = (rows: Row[]) =>
      runSnapshot(app, 'pay', memorySnapshot('employee', ['number', 'name', 'city'], rows));
    await withCity(people(1));
    await createAllPartners(app, 'pay', {});
    await runSnapshot(app, 'pay', memorySnapshot('employee', ['number', 'name'], people(1)));
    const cleared = await withCity(people(1, () => ({ city: '' })));
    expect((await local('100')).values.city ?? '').toBe('');
    const undo = await undoChangeSet(app, cleared.changeSet!);
    expect(undo.conflicts).toEqual([]);
    expect((await local('100')).values.city).toBe('Berlin');
    expect((await item('100')).category).toBe('synced');
    expect((await integration()).fields).toEqual(['number', 'name']);
    // Undoing the undo clears it again and compares the city again.
    await undoChangeSet(app, undo.changeSet!);
    expect((await local('100')).values.city ?? '').toBe('');
    expect((await integration()).fields).toEqual(['number', 'name', 'city']);
  });

  it('undo reports a value changed again since as a conflict and leaves it', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    const report = await run(people(1, () => ({ email: 'p@example.de' })));
    await app.unit('edit', null, async (u) =>
      editRecord(u, await localIn(u, '100'), { email: 'later@example.de' }),
    );
    const undo = await undoChangeSet(app, report.changeSet!);
    expect(undo.conflicts.map((c) => c.field)).toContain('email');
    expect((await local('100')).values.email).toBe('later@example.de');
  });

  it('undo of create all partners removes the created records and the items are new again', async () => {
    await run(people(3));
    const result = await createAllPartners(app, 'pay', {});
    await undoChangeSet(app, result.changeSet!);
    expect(await counts()).toMatchObject({ new: 3, synced: 0 });
    await expect(local('100')).rejects.toThrow(/no employee/);
  });

  it('undo of create all partners for more items than a page of entries removes every record it made', async () => {
    await run(people(6200));
    const result = await createAllPartners(app, 'pay', {});
    // One record edited since: it stays, with its link.
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '6250'), { city: 'Köln' }));
    const undo = await undoChangeSet(app, result.changeSet!);
    expect(undo.conflicts.map((c) => [c.field, c.now])).toEqual([['city', 'Köln']]);
    expect(await counts()).toMatchObject({ new: 6199, synced: 1 });
    const left = await app.db.kysely.selectFrom('local_record').select('number').execute();
    expect(left.map((r) => r.number)).toEqual(['6250']);
  }, 60_000);

  it('an action on a whole category acts on every item, a page at a time, and lists the first thousand', async () => {
    await run(people(4500));
    await createAllPartners(app, 'pay', {});
    const result = await act('disable', { category: 'synced' }, (u, i, it) =>
      actions.setSyncEnabled(u, i, it, false),
    );
    expect(result.count).toBe(4500);
    expect(result.done).toHaveLength(1000);
    expect(await counts()).toMatchObject({ synced: 0, disabled: 4500 });
    const undo = await undoChangeSet(app, result.changeSet!);
    expect(undo.conflicts).toEqual([]);
    expect(await counts()).toMatchObject({ synced: 4500, disabled: 0 });
  }, 60_000);

  it('undo of create partner leaves a record edited since, and reports its fields', async () => {
    await run(people(2));
    const [first, second] = [await item('100'), await item('101')];
    const one = await act('partner', { ids: [first.id] }, (u, i, it) => actions.createPartner(u, i, it));
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '100'), { city: 'Essen' }));
    const undo = await undoChangeSet(app, one.changeSet!);
    expect(undo.conflicts.map((c) => [c.field, c.expected, c.now])).toEqual([['city', 'Berlin', 'Essen']]);
    expect((await local('100')).values.city).toBe('Essen');
    expect((await item('100')).category).toBe('synced');

    // Create all partners: the record edited since stays linked, the other goes.
    const all = await createAllPartners(app, 'pay', {});
    expect(all.created).toBe(1);
    await app.unit('archive', null, async (u) => archiveRecord(u, await localIn(u, '101')));
    const undoAll = await undoChangeSet(app, all.changeSet!);
    expect(undoAll.conflicts.map((c) => c.field)).toEqual(['archived']);
    expect((await item('101')).local).not.toBeNull();
    expect(second.id).toBe((await item('101')).id);
  });

  it('undo of create all partners leaves the records edited since, and removes the others', async () => {
    await run(people(3));
    const all = await createAllPartners(app, 'pay', {});
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '101'), { city: 'Essen' }));
    // A remote change that flowed into a record is no edit: 102 goes with the others.
    await run(people(3, (i) => (i === 2 ? { city: 'Bonn' } : {})));
    expect((await local('102')).values.city).toBe('Bonn');
    const undo = await undoChangeSet(app, all.changeSet!);
    expect(undo.conflicts.map((c) => [c.field, c.expected, c.now])).toEqual([['city', 'Berlin', 'Essen']]);
    expect((await local('101')).values.city).toBe('Essen');
    await expect(local('100')).rejects.toThrow(/no employee/);
    await expect(local('102')).rejects.toThrow(/no employee/);
    expect(await counts()).toMatchObject({ new: 2, synced: 1 });
  });

  it('undo of the undo of create partner brings the record back under its id, linked', async () => {
    await run(people(1));
    const fresh = await item('100');
    const created = await act('partner', { ids: [fresh.id] }, (u, i, it) => actions.createPartner(u, i, it));
    const id = (await local('100')).id;
    const undo = await undoChangeSet(app, created.changeSet!);
    expect(undo.conflicts).toEqual([]);
    await expect(local('100')).rejects.toThrow(/no employee/);
    expect(await counts()).toMatchObject({ new: 1, synced: 0 });
    const redo = await undoChangeSet(app, undo.changeSet!);
    expect(redo.conflicts).toEqual([]);
    expect((await local('100')).id).toBe(id);
    expect(await counts()).toMatchObject({ new: 0, synced: 1 });
    // And once more: the record goes again.
    await undoChangeSet(app, redo.changeSet!);
    await expect(local('100')).rejects.toThrow(/no employee/);
  });

  it('a bulk action acts once on an id given twice, and refuses a version for an id not asked for', async () => {
    await run(people(2));
    const [a, b] = [await item('100'), await item('101')];
    const twice = await act('disable', { ids: [a.id, a.id] }, (u, i, it) =>
      actions.setSyncEnabled(u, i, it, false),
    );
    expect(twice.count).toBe(1);
    const stray = await act('disable', { ids: [b.id], versions: { [a.id]: a.version } }, (u, i, it) =>
      actions.setSyncEnabled(u, i, it, false),
    ).catch((e: unknown) => e as AbgleichError);
    expect(stray).toMatchObject({ code: 'usage' });
    expect((await item('101')).category).toBe('new');
  });

  it('unlink, link, disable and enable move items between categories', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    const linked = await item('100');
    await act('unlink', { ids: [linked.id] }, actions.unlinkItem);
    expect(await counts()).toMatchObject({ new: 2, synced: 0 });
    const [a, b] = await items({ category: 'new' });
    await act('link', { ids: [a!.id] }, async (u, i, it) =>
      actions.linkItems(
        u,
        i,
        it,
        (await import('../../src/sync/items.js').then((m) => m.loadItems(u.db, [b!.id])))[0]!,
      ),
    );
    expect(await counts()).toMatchObject({ new: 0, synced: 1 });
    const again = await item('100');
    await act('disable', { ids: [again.id] }, (u, i, it) => actions.setSyncEnabled(u, i, it, false));
    expect((await counts()).disabled).toBe(1);
    await act('enable', { category: 'disabled' }, (u, i, it) => actions.setSyncEnabled(u, i, it, true));
    expect((await counts()).synced).toBe(1);
  });

  it('a record missing from the file is deleted; delete archives the survivor, restore brings it back', async () => {
    await run(people(2));
    await createAllPartners(app, 'pay', {});
    await run(people(1));
    expect((await counts()).deleted).toBe(1);
    const gone = await item('101');
    await act('delete', { ids: [gone.id] }, actions.deleteOtherSide);
    expect((await local('101')).archivedAt).not.toBeNull();
    expect((await counts()).deleted).toBe(0);
    expect((await counts()).inactive).toBe(1);
    // A record made since holds the number: reactivating the archived one is refused by name.
    const holder = await app.unit('x', null, (u) =>
      createRecord(u, 'employee', { number: '101', name: 'Neu' }),
    );
    const refused = await act('reactivate', { category: 'inactive' }, actions.reactivateItem).catch(
      (e: unknown) => e,
    );
    expect((refused as AbgleichError).code).toBe('duplicate_number');
    await app.unit('x', null, (u) => archiveRecord(u, holder));
    await act('reactivate', { ids: [gone.id] }, actions.reactivateItem);
    expect((await local('101')).values.name).toBe('Person 1');
    expect((await local('101')).archivedAt).toBeNull();
  });

  it('resolve refuses a number taken locally, a field not in conflict, and a field that does not exist', async () => {
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '500', name: 'Anna' }));
    await run([...people(2), { number: '600', name: 'Anna' }]);
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '101', name: 'Person 1' }));
    const [localAnna, remoteAnna] = [await item('500'), await item('600')];
    await act('link', { ids: [localAnna.id] }, async (u, i, it) =>
      actions.linkItems(
        u,
        i,
        it,
        (await import('../../src/sync/items.js').then((m) => m.loadItems(u.db, [remoteAnna.id])))[0]!,
      ),
    );
    const conflicted = await item('500');
    expect(conflicted.conflicts).toEqual(['number']);
    const resolve = (fields: Parameters<typeof actions.resolveItem>[4]) =>
      act('resolve', { ids: [conflicted.id] }, (u, i, it) =>
        actions.resolveItem(u, i, it, 'remote', fields),
      ).catch((e: unknown) => e as AbgleichError);
    const taken = (await resolve({ number: { value: '101' } })) as AbgleichError;
    expect(taken.code).toBe('duplicate_number');
    expect(taken.message).toContain('Person 1');
    const stray = (await resolve({ city: 'local' })) as AbgleichError;
    expect(stray.code).toBe('usage');
    expect(stray.details).toEqual({ fields: [{ field: 'city', reason: 'is not in conflict' }] });
    const unknown = (await resolve({ cty: 'local' } as never)) as AbgleichError;
    expect(unknown.details).toEqual({ fields: [{ field: 'cty', reason: 'is not a field' }] });
    expect((await item('500')).category).toBe('conflict');
  });

  it('a locally archived linked record is deleted; restore un-archives it', async () => {
    await run(people(1));
    await createAllPartners(app, 'pay', {});
    await app.unit('archive', null, async (u) => archiveRecord(u, await localIn(u, '100')));
    expect((await counts()).deleted).toBe(1);
    await act('restore', { category: 'deleted' }, actions.restoreItem);
    expect((await counts()).synced).toBe(1);
  });

  it('create partner with a number of its own links without a conflict on the number', async () => {
    await run(people(1));
    const fresh = await item('100');
    await act('partner', { ids: [fresh.id] }, (u, i, it) => actions.createPartner(u, i, it, '7100'));
    expect((await local('7100')).values.name).toBe('Person 0');
    expect(await counts()).toMatchObject({ synced: 1, conflict: 0 });
    await run(people(1));
    expect(await counts()).toMatchObject({ synced: 1, conflict: 0, new: 0 });
  });

  it('an action on an item of the wrong category is refused and changes nothing', async () => {
    await run(people(1));
    const fresh = await item('100');
    const error = await act('resolve', { ids: [fresh.id] }, (u, i, it) =>
      actions.resolveItem(u, i, it, 'remote', {}),
    ).catch((e: unknown) => e);
    expect((error as AbgleichError).code).toBe('wrong_category');
  });

  it('an inactive row is inactive, and rows linked automatically by number fill empty local fields', async () => {
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '0100', name: 'Person 0' }));
    await run([
      ...people(1, () => ({ email: 'p0@example.de' })),
      { number: '300', name: 'Gone', active: 'nein' },
    ]);
    expect(await counts()).toMatchObject({ synced: 1, inactive: 1 });
    expect((await local('100')).values.email).toBe('p0@example.de');
  });

  it('a changed rule or number setting settles every item again at once, and keeps the links', async () => {
    await run(people(2, (i) => ({ number: `00${100 + i}` })));
    await createAllPartners(app, 'pay', {});
    await app.unit('edit', null, async (u) => editRecord(u, await localIn(u, '00100'), { city: 'Köln' }));
    await run(people(2, (i) => ({ number: `00${100 + i}`, city: 'Bonn' })));
    expect(await counts()).toMatchObject({ conflict: 1, synced: 1 });
    const settings = async (change: Parameters<typeof changeSettings>[2]) => {
      const current = await integration();
      return app.unit('set', null, (u) => changeSettings(u, current, change));
    };
    const change = await settings({ rules: { city: 'prefer-remote' } });
    expect(change.effect).toEqual({ items: 1, localFieldsChanged: 1 });
    expect(await counts()).toMatchObject({ conflict: 0, synced: 2 });
    expect((await local('00100')).values.city).toBe('Bonn');

    // Leading zeros now count: the links stay, and the same file changes nothing.
    await settings({ ignoreLeadingZeros: false });
    const again = await run(people(2, (i) => ({ number: `00${100 + i}`, city: 'Bonn' })));
    expect(again.changes).toMatchObject({ new: 0, deleted: 0, linked: 0 });
    expect(await counts()).toMatchObject({ synced: 2, new: 0, deleted: 0 });

    // A file with 100 and 00100 both is fine while zeros count; going back would merge them: refused.
    await run([
      ...people(2, (i) => ({ number: `00${100 + i}`, city: 'Bonn' })),
      { number: '100', name: 'X' },
    ]);
    const refused = await settings({ ignoreLeadingZeros: true }).catch((e: unknown) => e);
    expect((refused as AbgleichError).code).toBe('usage');
    expect((refused as AbgleichError).message).toContain('00100 and 100');
    expect((await integration()).settings.ignoreLeadingZeros).toBe(false);
    // Without the second 100, zeros are ignored again and the links stay.
    await run(people(2, (i) => ({ number: `00${100 + i}`, city: 'Bonn' })));
    await settings({ ignoreLeadingZeros: true });
    const back = await run(people(2, (i) => ({ number: `${100 + i}`, city: 'Bonn' })));
    expect(back.changes).toMatchObject({ new: 0, deleted: 0, linked: 0 });
    expect(await counts()).toMatchObject({ synced: 2, new: 0, deleted: 0 });
  });

  it('an integration added beside thousands of records gives each one its item, page after page', async () => {
    await app.unit('registry', null, async (u) => {
      for (let i = 0; i < 2500; i++)
        await createRecord(u, 'employee', { number: String(10_000 + i), name: `P ${i}` });
    });
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'fin', entity: 'employee', source: 'file' }),
    );
    const fin = await getIntegration(app.db.kysely, app.workspace, 'fin');
    const rows = await app.db.kysely
      .selectFrom('item')
      .select(['local_id'])
      .where('integration_id', '=', fin.id)
      .execute();
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r.local_id)).size).toBe(2500);
    expect(await countItems(app.db.kysely, fin)).toMatchObject({ new: 2500 });
  });

  it('a local record made after the file row links with it by number at once', async () => {
    await run([...people(2), { number: '300', name: 'Gone', active: 'nein' }]);
    expect(await counts()).toMatchObject({ new: 2, inactive: 1 });
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '0100', name: 'Person 0' }));
    expect(await counts()).toMatchObject({ new: 1, synced: 1, inactive: 1 });
    expect((await item('0100')).category).toBe('synced');
    expect((await local('0100')).values.city).toBe('Berlin'); // an empty local field filled, as in a run
    // The next import of the same file keeps the link and changes nothing.
    const again = await run([...people(2), { number: '300', name: 'Gone', active: 'nein' }]);
    expect(again.changes).toMatchObject({ new: 0, linked: 0, updated: 0 });
    // Not with an inactive remote record, nor for a record that is itself inactive.
    await app.unit('x', null, (u) => createRecord(u, 'employee', { number: '300', name: 'Gone' }));
    await app.unit('x', null, (u) =>
      createRecord(u, 'employee', { number: '101', name: 'Person 1', active: 'false' }),
    );
    expect(await counts()).toMatchObject({ synced: 1, new: 2, inactive: 2 });
  });

  it('reactivate over a category skips a record inactive only in the file and reports it; alone it is refused', async () => {
    await run([...people(1), { number: '300', name: 'Nur Datei', active: 'nein' }]);
    await app.unit('x', null, (u) =>
      createRecord(u, 'employee', { number: '200', name: 'Lokal', active: 'false' }),
    );
    expect(await counts()).toMatchObject({ inactive: 2 });
    const fileOnly = await item('300');
    const answer = await reactivateItems(app, 'pay', { category: 'inactive' });
    expect(answer.count).toBe(1);
    expect(answer.skipped).toEqual([
      expect.objectContaining({ itemId: fileOnly.id, number: '300', code: 'file_side' }),
    ]);
    expect((await local('200')).values.active).toBe('true');
    expect(await counts()).toMatchObject({ inactive: 1, new: 2 });
    // A selection is the same; the one item alone is refused, naming why.
    const selected = await reactivateItems(app, 'pay', {
      ids: [fileOnly.id, (await item('100')).id],
      versions: { [fileOnly.id]: fileOnly.version },
    }).catch((e: unknown) => e);
    expect((selected as AbgleichError).code).toBe('wrong_category'); // item 100 is new, not inactive
    const alone = await reactivateItems(app, 'pay', { ids: [fileOnly.id] }).catch((e: unknown) => e);
    expect((alone as AbgleichError).code).toBe('wrong_category');
    expect((alone as AbgleichError).details).toMatchObject({ reason: 'file_side' });
    expect(await counts()).toMatchObject({ inactive: 1 });
  });
});
