/**
 * The end of a complete snapshot (SYNC.md §6): the records it no longer has. A link becomes `deleted`; an
 * unlinked remote record simply leaves the overview. The mass-delete guard stops the run before anything
 * is marked when too many links would go. Items are read and settled in chunks, so a file that drops most
 * of a large integration does not hold all of them in memory at once.
 */
import { fail } from '../core/errors.js';
import type { ReconcileContext } from '../core/model.js';
import { loadItems, removeItem, settle } from './items.js';
import type { Unit } from './unit.js';

/** SYNC.md §6: more than this share of the links, and more than `GUARD_MIN` records. */
const GUARD_SHARE = 0.2;
const GUARD_MIN = 10;
const CHUNK = 2000;

export interface Deletions {
  deleted: number;
  removed: number;
  /** A dry run the guard would stop: how many links would go, of how many (a real run needs confirming). */
  guard: { readonly deleted: number; readonly links: number } | null;
}

/**
 * Mark the items `gone` (ids of items whose remote record the snapshot lacks) deleted or remove them.
 * `links` is how many linked records the integration had before the run (the guard's measure);
 * `onItem` hears of every item, for the run's list of planned changes.
 */
export async function applyDeletions(
  unit: Unit,
  ctx: ReconcileContext,
  gone: readonly number[],
  links: number,
  opts: { readonly confirmDeletes?: boolean; readonly dryRun?: boolean; readonly live?: boolean },
  onItem: (item: { id: number; number: string }, change: 'deleted' | 'removed') => void,
): Promise<Deletions> {
  const result: Deletions = { deleted: 0, removed: 0, guard: null };
  const missing = opts.live ? 'missing from the ERP' : 'missing from the import';
  if (gone.length === 0) return result;
  if (!opts.confirmDeletes) {
    const newlyDeleted = await countNewlyDeleted(unit, gone);
    const tooMany = newlyDeleted > GUARD_MIN && newlyDeleted > GUARD_SHARE * links;
    // A dry run goes on, so that its preview lists what a confirmed run would mark deleted (SYNC.md §6).
    if (tooMany && opts.dryRun) result.guard = { deleted: newlyDeleted, links };
    else if (tooMany) {
      fail(
        'confirm_deletes',
        `This run would mark ${newlyDeleted} of ${links} linked records deleted; if that is right, confirm the deletions (--confirm-deletes; in the API confirmDeletes: true). Nothing was changed.`,
        { deleted: newlyDeleted, links },
      );
    }
  }
  for (let i = 0; i < gone.length; i += CHUNK) {
    for (const item of await loadItems(unit.db, gone.slice(i, i + CHUNK))) {
      const { row } = item;
      if (row.linked !== 1) {
        await removeItem(unit, row, missing);
        result.removed++;
      } else {
        const s = await settle(unit, ctx, item, {
          cols: { remote_deleted: 1, remote_hash: null },
          reason: missing,
        });
        if (s.removed) result.removed++;
        else result.deleted++;
      }
      onItem(row, row.linked === 1 ? 'deleted' : 'removed');
    }
  }
  return result;
}

/** Links among `gone` that the run would newly mark deleted: in sync, with a local record not archived. */
async function countNewlyDeleted(unit: Unit, gone: readonly number[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < gone.length; i += CHUNK) {
    const row = await unit.db
      .selectFrom('item')
      .innerJoin('local_record', 'local_record.id', 'item.local_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('item.id', 'in', gone.slice(i, i + CHUNK))
      .where('item.linked', '=', 1)
      .where('item.sync_enabled', '=', 1)
      .where('local_record.archived_at', 'is', null)
      .executeTakeFirstOrThrow();
    n += Number(row.n);
  }
  return n;
}
