/** Reading the synchronisation overview (SYNC.md §4): counts per category and pages of items. */
import type { FieldName, FieldValues } from '../core/fields.js';
import type { Category } from '../core/model.js';
import { CATEGORIES } from '../core/model.js';
import { sql } from 'kysely';
import type { Executor } from '../store/executor.js';
import { searchMatch } from '../store/search.js';
import type { Item } from './items.js';
import { baselineOf, remoteValuesOf, withLocals } from './items.js';
import type { IntegrationInfo } from './settings.js';

export type Counts = Record<Category, number>;

export async function countItems(db: Executor, integration: IntegrationInfo): Promise<Counts> {
  // Kept by the writes (store/counts.ts), so this stays one small read at a million items.
  const rows = await db
    .selectFrom('category_count')
    .select(['category', 'n'])
    .where('integration_id', '=', integration.id)
    .execute();
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Counts;
  for (const r of rows) counts[r.category as Category] = Number(r.n);
  return counts;
}

/** One overview row as the CLI and API show it. */
export interface ItemView {
  readonly id: number;
  readonly version: number;
  readonly category: Category;
  readonly number: string;
  readonly name: string;
  readonly linked: boolean;
  readonly syncEnabled: boolean;
  readonly doNotSync: boolean;
  readonly local: FieldValues | null;
  readonly localArchived: boolean;
  readonly remote: FieldValues | null;
  readonly remoteDeleted: boolean;
  readonly baseline: { readonly local: FieldValues; readonly remote: FieldValues } | null;
  readonly conflicts: readonly FieldName[];
  readonly exported: boolean;
  readonly error: string | null;
}

export function viewOf(item: Item): ItemView {
  const r = item.row;
  return {
    id: r.id,
    version: r.version,
    category: r.category as Category,
    number: r.number,
    name: r.name,
    linked: r.linked === 1,
    syncEnabled: r.sync_enabled === 1,
    doNotSync: r.do_not_sync === 1,
    local: item.local?.values ?? null,
    localArchived: item.local?.archivedAt != null,
    remote: remoteValuesOf(r),
    remoteDeleted: r.remote_deleted === 1,
    baseline: r.linked === 1 ? baselineOf(r) : null,
    conflicts: r.conflicts ? (JSON.parse(r.conflicts) as FieldName[]) : [],
    exported: r.exported_at !== null,
    error: r.write_error,
  };
}

export interface ItemQuery {
  readonly category?: Category;
  readonly search?: string;
  readonly limit?: number;
  readonly offset?: number;
  /** Only unlinked items whose record exists on this side. */
  readonly side?: 'local' | 'remote';
}

export function itemsQuery(db: Executor, integration: IntegrationInfo, q: ItemQuery) {
  let query = db.selectFrom('item').where('integration_id', '=', integration.id);
  if (q.category) query = query.where('category', '=', q.category);
  if (q.side === 'local') query = query.where('linked', '=', 0).where('local_id', 'is not', null);
  if (q.side === 'remote') query = query.where('linked', '=', 0).where('remote_key', 'is not', null);
  const match = searchMatch(['name'], q.search, ['number']);
  if (match) query = query.where(match);
  return query;
}

export async function listItems(
  db: Executor,
  integration: IntegrationInfo,
  q: ItemQuery,
): Promise<{ items: ItemView[]; total: number }> {
  const base = itemsQuery(db, integration, q);
  const rows = await base
    .selectAll()
    // Numbers as a person reads them (2 before 10 before 100): the index `item_category` holds that order.
    .orderBy(sql`length(number)`)
    .orderBy('number')
    .orderBy('id')
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .execute();
  const plain = q.category !== undefined && !q.search && !q.side;
  const total = plain
    ? (await countItems(db, integration))[q.category!]
    : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { items: (await withLocals(db, rows)).map(viewOf), total };
}
