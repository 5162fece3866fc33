/**
 * Undoing the new remote-only items of a run. A run audits them with one entry for all (`items-added`,
 * the range of their ids: `AddedItems.audit` in `run-added.ts`), so undo reads the items themselves: each one that
 * nothing has changed since leaves the overview, audited as a removal (so that undoing the undo brings
 * it back); one that was linked, given a partner or changed by a later run stays, and is reported.
 */
import type { ItemRow } from '../store/schema.js';
import { removeItems } from './items.js';
import type { Unit } from './unit.js';

/** What an `items-added` entry holds. */
interface AddedRange {
  readonly integration: number;
  readonly first: number;
  readonly last: number;
}

const PAGE = 2000;

/** Removes the unchanged items of `range` (JSON, as audited); returns how many, and calls `kept` for the others. */
export async function undoItemsAdded(
  unit: Unit,
  range: string,
  reason: string,
  kept: (row: ItemRow) => void,
): Promise<number> {
  const { integration, first, last } = JSON.parse(range) as AddedRange;
  let removed = 0;
  for (let after = first - 1; ;) {
    const rows = await unit.db
      .selectFrom('item')
      .selectAll()
      .where('integration_id', '=', integration)
      .where('id', '>', after)
      .where('id', '<=', last)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return removed;
    // As the run left it: never updated (version 1), remote-only, unlinked.
    const unchanged: ItemRow[] = [];
    for (const row of rows)
      if (row.version === 1 && row.linked === 0 && row.local_id === null) unchanged.push(row);
      else kept(row);
    await removeItems(unit, unchanged, reason); // a page per statement: a first import may be large
    removed += unchanged.length;
    after = rows.at(-1)!.id;
  }
}
