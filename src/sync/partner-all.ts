/**
 * "Create all partners" (SYNC.md §7) for many new items at once: batches of remote-only records become
 * local records with bulk writes; local-only records are marked for the export file. A number already
 * taken locally is reported per item and never overwritten.
 */
import { sql } from 'kysely';
import type { FieldValues } from '../core/fields.js';
import { agreedLink } from '../core/reconcile.js';
import type { CountDeltas } from '../store/counts.js';
import { adjustCounts, tally } from '../store/counts.js';
import { numberKey } from '../core/compare.js';
import type { ItemRow } from '../store/schema.js';
import type { App } from './app.js';
import { remoteValuesOf, storeBaseline } from './items.js';
import { getIntegration } from './integrations.js';
import { itemsQuery } from './overview.js';
import type { IntegrationInfo } from './settings.js';
import type { Executor } from '../store/executor.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';
import { queueWrite } from './outbox.js';
import { isWritable } from './settings.js';
import { deferNameOrder } from './name-order.js';
import { ANALYZE_AFTER } from '../store/bulk.js';

const BATCH = 2000;
/** What a page needs of an item: reading every column of 2,000 items costs twice as much. */
const PAGE_COLUMNS = [
  'id',
  'local_id',
  'remote_data',
  'baseline',
  'category',
  'version',
  'number',
  'exported_at',
] as const;
type PageRow = Pick<ItemRow, (typeof PAGE_COLUMNS)[number]>;
const LISTED = 1000;

export interface PartnerAllResult {
  readonly integration: string;
  readonly created: number;
  readonly exported: number;
  /** The first 1,000 items left out, with why; `skippedCount` counts them all. */
  readonly skipped: readonly {
    readonly itemId: number;
    readonly number: string;
    readonly reason: string;
    /** Why, as a code a client words itself (`number_taken`). */
    readonly code: string;
  }[];
  readonly skippedCount: number;
  readonly changeSet: number | null;
}

/**
 * The next page of `new` items after `after`, keyset paging along the index `item_category` (category,
 * length(number), number, id); items leave `new` as they are done. Ordered any other way, every page
 * would sort what is left (S2 at a million: 70 s instead of 38). Exported for the test of its plan.
 */
export function newItemsPage(
  db: Executor,
  integration: IntegrationInfo,
  filter: { readonly side?: 'local' | 'remote'; readonly search?: string },
  after: { readonly number: string; readonly id: number },
) {
  return itemsQuery(db, integration, { category: 'new', ...filter })
    .select(PAGE_COLUMNS)
    .where(
      sql<boolean>`(length(number), number, id) > (${after.number.length}, ${after.number}, ${after.id})`,
    )
    .orderBy(sql`length(number)`)
    .orderBy('number')
    .orderBy('id')
    .limit(BATCH);
}

export async function createAllPartners(
  app: App,
  integrationName: string,
  filter: { readonly side?: 'local' | 'remote'; readonly search?: string },
  onProgress?: (done: number, total: number) => void,
): Promise<PartnerAllResult> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  return app.unit('partner-all', integration.id, async (unit) => {
    const query = itemsQuery(unit.db, integration, { category: 'new', ...filter });
    const total = Number(
      (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
    const result = {
      created: 0,
      exported: 0,
      skipped: [] as { itemId: number; number: string; reason: string; code: string }[],
    };
    // Every item done moves to another category: its entry in the name index moves too.
    const restoreNameOrder = await deferNameOrder(unit, total);
    let after = { number: '', id: 0 };
    for (;;) {
      const rows = await newItemsPage(unit.db, integration, filter, after).execute();
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = { number: last.number, id: last.id };
      await exportLocalOnly(
        unit,
        integration,
        rows.filter((r) => r.local_id !== null),
        result,
      );
      await partnerRemoteOnly(
        unit,
        integration,
        rows.filter((r) => r.local_id === null),
        result,
      );
      onProgress?.(result.created + result.exported + result.skipped.length, total);
    }
    await unit.caughtUp();
    onProgress?.(result.created + result.exported + result.skipped.length, total); // the last page's writes
    await restoreNameOrder?.();
    await unit.flush();
    if (result.created >= ANALYZE_AFTER) await unit.bulk.analyze(unit.db, ['local_record', 'item']);
    const changeSet = unit.changeSetId ?? null;
    return {
      integration: integration.name,
      ...result,
      skipped: result.skipped.slice(0, LISTED),
      skippedCount: result.skipped.length,
      changeSet,
    };
  });
}

/** A file cannot be written: local-only records go to the export file and stay `new` (SYNC.md §7). */
async function exportLocalOnly(
  unit: Unit,
  integration: IntegrationInfo,
  rows: readonly PageRow[],
  result: { exported: number },
): Promise<void> {
  const fresh = rows.filter((r) => r.exported_at === null);
  await unit.bulk.update(
    unit.db,
    'item',
    fresh.map((r) => ({ id: r.id, exported_at: unit.now, version: r.version + 1, updated_at: unit.now })),
  );
  for (const r of fresh) {
    await unit.audit({
      item_id: r.id,
      local_id: r.local_id,
      target: 'item',
      field: null,
      old_value: JSON.stringify({ exported_at: null }),
      new_value: JSON.stringify({ exported_at: unit.now }),
      reason: isWritable(integration)
        ? `partner to be created in ${integration.source}`
        : 'partner to be created by the export file',
    });
    // A live remote side: the outbox creates the partner and links it.
    if (isWritable(integration)) await queueWrite(unit, integration.id, r.id, 'create');
  }
  result.exported += rows.length;
}

async function partnerRemoteOnly(
  unit: Unit,
  integration: IntegrationInfo,
  rows: readonly PageRow[],
  result: { created: number; skipped: { itemId: number; number: string; reason: string; code: string }[] },
): Promise<void> {
  if (rows.length === 0) return;
  const keyOf = (values: FieldValues) => numberKey(values.number ?? '', { ignoreLeadingZeros: true });
  const ctx = contextFor(integration, unit.today);
  // Everything that does not need the new records' ids is prepared here; the writes go behind, so the
  // next page is read and prepared while the database writes this one (`Unit.writeBehind`).
  const page = rows.map((row) => {
    const values = remoteValuesOf(row) ?? {};
    // Both sides hold `values` and nothing was agreed before: `reconcile` of that is `agreedLink`.
    const outcome = agreedLink(values, ctx);
    return {
      row,
      local: {
        workspace_id: unit.workspace,
        kind: integration.entity,
        number: values.number ?? '',
        number_key: keyOf(values),
        name: values.name ?? '',
        data: JSON.stringify({ active: 'true', ...values }),
        archived_at: null,
        version: 1,
        created_at: unit.now,
        updated_at: unit.now,
      },
      item: {
        id: row.id,
        local_id: 0, // the new record's, once inserted
        linked: 1,
        sync_enabled: 1,
        baseline: storeBaseline(outcome.baseline),
        category: outcome.category,
        conflicts: outcome.conflicts.length > 0 ? JSON.stringify(outcome.conflicts) : null,
        version: row.version + 1,
        updated_at: unit.now,
      },
    };
  });
  await unit.writeBehind(async () => {
    // A number already taken locally (or by an earlier item of this run) is refused by the unique index
    // on local numbers, row by row.
    const inserted = await unit.bulk.insertNew(
      unit.db,
      'local_record',
      page.map((p) => p.local),
      'number_key',
    );
    const done: { row: PageRow; localId: number; category: string }[] = [];
    const updates = [];
    for (const [i, { row, item }] of page.entries()) {
      const localId = inserted[i];
      if (localId === null || localId === undefined) {
        result.skipped.push({
          itemId: row.id,
          number: row.number,
          reason: `the number ${row.number} is taken by another local record`,
          code: 'number_taken',
        });
        continue;
      }
      done.push({ row, localId, category: item.category });
      item.local_id = localId;
      updates.push(item);
    }
    await unit.bulk.update(unit.db, 'item', updates);
    const deltas: CountDeltas = new Map();
    for (const { row, category } of done) tally(tally(deltas, row.category, -1), category);
    await adjustCounts(unit.db, integration.id, deltas);
    for (const { row, localId } of done) {
      await unit.audit({
        item_id: row.id,
        local_id: localId,
        target: 'partner-created',
        field: null,
        old_value: JSON.stringify({ local_id: null, linked: 0, baseline: row.baseline }),
        // What undo checks before putting the old state back (the baseline follows the link).
        new_value: JSON.stringify({ local_id: localId, linked: 1 }),
        reason: 'partner created',
      });
    }
    await addLocalItemsElsewhere(
      unit,
      integration,
      done.map((d) => d.localId),
    );
    result.created += done.length;
  });
}

/** New local records get their (new) items in the other integrations of the same kind. */
async function addLocalItemsElsewhere(
  unit: Unit,
  integration: IntegrationInfo,
  localIds: readonly number[],
): Promise<void> {
  if (localIds.length === 0) return;
  const others = await unit.db
    .selectFrom('integration')
    .select('id')
    .where('workspace_id', '=', unit.workspace)
    .where('entity', '=', integration.entity)
    .where('id', '!=', integration.id)
    .execute();
  if (others.length === 0) return;
  const locals = await unit.db
    .selectFrom('local_record')
    .select(['id', 'number', 'name'])
    .where('id', 'in', localIds)
    .execute();
  for (const other of others) {
    await unit.bulk.insert(
      unit.db,
      'item',
      locals.map((l) => ({
        workspace_id: unit.workspace,
        integration_id: other.id,
        local_id: l.id,
        category: 'new',
        number: l.number,
        name: l.name,
        updated_at: unit.now,
      })),
    );
    await adjustCounts(unit.db, other.id, new Map([['new', locals.length]]));
  }
}
