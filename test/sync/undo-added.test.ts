/**
 * Undoing a run that added remote-only items (SYNC.md §8: "any run can be undone"): the run audits them
 * with one entry for all, and undo takes away each one nothing has changed since.
 */
import { describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import { createPartner } from '../../src/sync/actions.js';
import { runAction } from '../../src/sync/bulk.js';
import { getIntegration } from '../../src/sync/integrations.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { runSnapshot } from '../../src/sync/run.js';
import { listAudit } from '../../src/sync/history.js';
import { undoChangeSet } from '../../src/sync/undo.js';
import { countsAgree, memorySnapshot, payrollWorld } from '../support/app.js';
import { DATABASES } from '../support/databases.js';

const FIELDS: FieldName[] = ['number', 'name', 'city', 'active'];
const ROWS = [
  { number: '1', name: 'Anna Alt', city: 'Berlin' },
  { number: '2', name: 'Bo Berg', city: 'Aarhus' },
  { number: '3', name: 'Cem Can', city: 'Köln' },
  { number: '4', name: 'Dora Dahl', city: 'Ulm', active: 'no' },
];

describe.each(DATABASES)('undoing the new items of a run on $name', (target) => {
  const world = payrollWorld(target);
  const run = (rows: Partial<Record<FieldName, string>>[]) =>
    runSnapshot(world.app, 'pay', memorySnapshot('employee', FIELDS, rows));
  const counts = async () =>
    countItems(world.app.db.kysely, await getIntegration(world.app.db.kysely, world.app.workspace, 'pay'));
  const numbers = async () =>
    (
      await listItems(
        world.app.db.kysely,
        await getIntegration(world.app.db.kysely, world.app.workspace, 'pay'),
        {},
      )
    ).items
      .map((i) => i.number)
      .sort();

  it('takes a first import back: a change to undo, and afterwards an empty overview', async () => {
    const first = await run(ROWS);
    expect(first.changeSet).not.toBeNull();
    expect(await counts()).toMatchObject({ new: 3, inactive: 1 });
    const report = await undoChangeSet(world.app, first.changeSet!);
    expect(report).toMatchObject({ restored: 4, conflicts: [] });
    // The history names the removed items by number and name, though they are gone.
    const removals = await listAudit(world.app, { changeSet: report.changeSet! });
    expect(removals.map((e) => e.record?.number).sort()).toEqual(['1', '2', '3', '4']);
    expect(removals.find((e) => e.record?.number === '1')?.record?.name).toBe('Anna Alt');
    expect(await numbers()).toEqual([]);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
    // "Last import" is no longer the undone one: there was none before it.
    expect((await getIntegration(world.app.db.kysely, world.app.workspace, 'pay')).lastRunAt).toBeNull();
    expect(await countsAgree(world.app)).toBe(true);
    // The same file again is a first import again.
    expect((await run(ROWS)).changes.new).toBe(4);
  });

  it('keeps, and reports, the items changed since: a partner made, a row changed by a later import', async () => {
    const first = await run(ROWS);
    const integration = await getIntegration(world.app.db.kysely, world.app.workspace, 'pay');
    const anna = (await listItems(world.app.db.kysely, integration, { search: 'Anna' })).items[0]!;
    const bo = (await listItems(world.app.db.kysely, integration, { search: 'Bo Berg' })).items[0]!;
    await runAction(world.app, 'pay', 'partner', { ids: [anna.id] }, (u, i, it) => createPartner(u, i, it));
    await run([ROWS[0]!, { ...ROWS[1]!, city: 'Odense' }, ROWS[2]!, ROWS[3]!]);
    const report = await undoChangeSet(world.app, first.changeSet!);
    expect(report.restored).toBe(2);
    expect(report.conflicts.map((c) => c.itemId).sort()).toEqual([anna.id, bo.id].sort());
    expect(await numbers()).toEqual(['1', '2']);
    expect(await countsAgree(world.app)).toBe(true);
  });

  it('can itself be undone: the items come back as they were', async () => {
    const first = await run(ROWS);
    const undo = await undoChangeSet(world.app, first.changeSet!);
    await undoChangeSet(world.app, undo.changeSet!);
    expect(await numbers()).toEqual(['1', '2', '3', '4']);
    expect(await counts()).toMatchObject({ new: 3, inactive: 1 });
    expect(await countsAgree(world.app)).toBe(true);
    expect((await run(ROWS)).changeSet).toBeNull(); // nothing to do: the same remote records
  });

  it('a re-import that adds nothing writes no entry', async () => {
    await run(ROWS);
    expect((await run(ROWS)).changeSet).toBeNull();
  });
});
