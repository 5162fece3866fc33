/**
 * Actions on one item, on a list of ids, or on a whole filtered category (SYNC.md §7). Everything runs in
 * one transaction: one refused item (stale version, wrong category) refuses the whole request.
 */
import { sql } from 'kysely';
import { AbgleichError, fail } from '../core/errors.js';
import type { Category } from '../core/model.js';
import type { App } from './app.js';
import type { Item, Settled } from './items.js';
import { loadItems } from './items.js';
import type { ActionName } from './actions.js';
import { assertApplies } from './actions.js';
import { getIntegration } from './integrations.js';
import { itemsQuery } from './overview.js';
import type { IntegrationInfo } from './settings.js';
import type { Unit } from './unit.js';

export type Target =
  | { readonly ids: readonly number[]; readonly versions?: Readonly<Record<number, number>> }
  | { readonly category: Category; readonly search?: string; readonly side?: 'local' | 'remote' };

export interface BulkResult {
  readonly action: ActionName;
  readonly integration: string;
  /** How many items the action changed. */
  readonly count: number;
  /** The first thousand of them. */
  readonly done: readonly Settled[];
  /** Items refused one by one where the action allows it (create all partners: number taken). */
  readonly skipped: readonly { readonly itemId: number; readonly number: string; readonly reason: string }[];
  readonly changeSet: number | null;
}

/**
 * Actions whose work on an item writes only that item and its local record, and reads nothing an
 * earlier item's write could have changed (resolve flushes before it checks a chosen number): their
 * updates wait and go out a thousand rows to a statement (`Unit.deferUpdates`). On PostgreSQL a
 * statement per item cost about a millisecond. Creating partners reads the items it just linked and
 * is not among them.
 */
const DEFERRABLE: ReadonlySet<ActionName> = new Set<ActionName>(['disable', 'enable', 'resolve']);

/** Items loaded and acted on together. */
const PAGE = 2000;
/** The items a result lists (`count` says how many were done). */
const LISTED = 1000;

export type PerItem = (unit: Unit, integration: IntegrationInfo, item: Item) => Promise<Settled>;

export async function runAction(
  app: App,
  integrationName: string,
  action: ActionName,
  target: Target,
  perItem: PerItem,
  opts: { readonly skipTakenNumbers?: boolean } = {},
): Promise<BulkResult> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  return app.unit(action, integration.id, async (unit) => {
    // An id given twice is one item, acted on once; a version for an item not asked for is a mistake.
    const ids = 'ids' in target ? [...new Set(target.ids)] : await idsOf(unit, integration, target);
    if ('ids' in target && target.versions) {
      const asked = new Set(ids);
      const stray = Object.keys(target.versions).filter((k) => !asked.has(Number(k)));
      if (stray.length > 0)
        fail('usage', `versions names item ${stray.join(', ')}, which is not among the ids.`, {
          items: stray,
        });
    }
    unit.deferCounts();
    if (DEFERRABLE.has(action)) unit.deferUpdates();
    // A page of items at a time: a whole category can hold a million of them.
    const done: Settled[] = [];
    let count = 0;
    const skipped: { itemId: number; number: string; reason: string }[] = [];
    for (let at = 0; at < ids.length; at += PAGE) {
      const page = ids.slice(at, at + PAGE);
      const found = new Map((await loadItems(unit.db, page)).map((i) => [i.row.id, i]));
      for (const id of page) {
        const item =
          found.get(id) ??
          fail('not_found', `There is no item ${id} in integration "${integration.name}".`, { item: id });
        if (item.row.integration_id !== integration.id)
          fail('not_found', `Item ${id} is not in integration "${integration.name}".`, { item: id });
        const expected = 'ids' in target ? target.versions?.[id] : undefined;
        if (expected !== undefined && expected !== item.row.version) {
          fail(
            'stale_version',
            expected < item.row.version
              ? `Item ${id} changed since version ${expected} (now ${item.row.version}); nothing was changed.`
              : `Item ${id} is at version ${item.row.version}, not ${expected}; nothing was changed.`,
            { item: id, version: item.row.version },
          );
        }
        assertApplies(action, item);
        let settled: Settled;
        try {
          settled = await perItem(unit, integration, item);
        } catch (error) {
          if (opts.skipTakenNumbers && error instanceof AbgleichError && error.code === 'duplicate_number') {
            skipped.push({ itemId: id, number: item.row.number, reason: error.message });
            continue;
          }
          throw error;
        }
        count++;
        if (done.length < LISTED) done.push(settled);
      }
    }
    await unit.flush();
    const changeSet = unit.changeSetId ?? null;
    return {
      action,
      integration: integration.name,
      count,
      done,
      skipped,
      changeSet,
    };
  });
}

async function idsOf(
  unit: Unit,
  integration: IntegrationInfo,
  q: Exclude<Target, { ids: readonly number[] }>,
): Promise<number[]> {
  const rows = await itemsQuery(unit.db, integration, q)
    .select('id')
    // In the order of the index `item_category` (the overview's), so that it is read, not sorted.
    .orderBy(sql`length(number)`)
    .orderBy('number')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
