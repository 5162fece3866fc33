/**
 * Bulk runs and the index that orders item lists by name (`item_category_name`, migration 0004). Its
 * entries go to random places, so keeping it up row by row costs as much as the rest of an item insert
 * (bench/README, "The floor"); a run that writes a large share of the items drops it and builds it again,
 * sorted, before its transaction ends (SQLite; see `BulkWriter.deferIndex`).
 */
import type { Unit } from './unit.js';

const NAME_INDEX = 'item_category_name';
/** Fewer new entries than this are kept up as they come. */
const MIN_ENTRIES = 50_000;
/**
 * Rebuilding costs about 1.7 µs per item in the table, keeping up about 8 µs per entry written
 * (1,000,000 items, bench/floor.mjs): worth it from a fifth of the table on; half leaves a margin.
 */
const MIN_SHARE = 0.5;

/**
 * Set the name index aside if this unit will write `entries` of it (new or moved items), `done` of them
 * already counted in the table. Returns what builds it again, or null when it stays.
 */
export async function deferNameOrder(
  unit: Unit,
  entries: number,
  done = 0,
): Promise<(() => Promise<void>) | null> {
  if (entries < MIN_ENTRIES) return null;
  const row = await unit.db
    .selectFrom('category_count')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .executeTakeFirst();
  const before = Number(row?.n ?? 0) - done;
  if (entries < MIN_SHARE * before) return null;
  return unit.bulk.deferIndex(unit.db, NAME_INDEX);
}
