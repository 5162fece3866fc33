/**
 * Matching (SYNC.md §6) for two records already in the overview apart, once they may be linked: a local
 * record made active again, restored or enabled, a remote one enabled, or numbers that meet since leading
 * zeros are ignored. A run would not link them — it skips the remote row as unchanged — so the change that
 * makes them eligible links them at once, as the run would have had they been eligible then. A pair that
 * could be linked before and is apart stays apart: the user unlinked it.
 */
import { numberKey } from '../core/compare.js';
import type { NumberOptions } from '../core/compare.js';
import { mayAutoLink } from '../core/match.js';
import type { FieldName } from '../core/fields.js';
import type { Category } from '../core/model.js';
import { toLocalRecord } from '../store/records.js';
import type { LocalRecord } from '../store/records.js';
import type { ItemRow } from '../store/schema.js';
import type { Item, Settled } from './items.js';
import { loadItems, remoteValuesOf, removeItem, settle } from './items.js';
import { localOnly, remoteOnly } from './run-matching.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';

/** Categories an unlinked item cannot be linked from: it may become linkable when it leaves them. */
const WAITING: ReadonlySet<Category> = new Set(['inactive', 'disabled']);

/** Whether settling moved unlinked item `before` from a category that cannot link into `new`. */
export const becameLinkable = (before: Category | string, after: Category | null): boolean =>
  after === 'new' && WAITING.has(before as Category);

/**
 * Link the unlinked item `itemId` with the unlinked item of the other side that carries its number, if
 * both may be linked. `apart` (optional) says whether the two numbers would not have met before, for a
 * change of how numbers compare. Returns what settling the linked pair did (the item that stays: the
 * remote one's), or null when nothing was linked.
 */
export async function matchWaiting(
  unit: Unit,
  integration: IntegrationInfo,
  itemId: number,
  apart: (localNumber: string, remoteNumber: string) => boolean = () => true,
): Promise<Settled | null> {
  await unit.flushUpdates(); // what follows reads items settled in this unit
  const [item] = await loadItems(unit.db, [itemId]);
  if (!item || item.row.linked === 1 || item.row.do_not_sync === 1 || item.row.sync_enabled === 0)
    return null;
  const numbers: NumberOptions = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  const pair = item.local
    ? await remotePartner(unit, integration, item, numbers)
    : await localPartner(unit, integration, item, numbers);
  if (!pair) return null;
  const remoteNumber = remoteValuesOf(pair.remote.row)?.number ?? pair.remote.row.number;
  if (!apart(pair.local.local!.number, remoteNumber)) return null;
  await removeItem(unit, pair.local.row, 'linked by number');
  return settle(
    unit,
    contextFor(integration, unit.today),
    { row: pair.remote.row, local: pair.local.local },
    {
      cols: { local_id: pair.local.local!.id, linked: 1, sync_enabled: 1, baseline: null },
      reason: 'linked by number',
    },
  );
}

/**
 * After an action settled unlinked `item` as `settled`: if that made it linkable (enabled, reactivated,
 * restored), link it with the waiting record of its number. The action's result then names the item the
 * record went into (`linkedInto`; `item` itself was removed), with that item's category and conflicts,
 * and every local field written on the way.
 */
export async function linkIfWaiting(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  settled: Settled,
  written: readonly FieldName[] = [],
): Promise<Settled> {
  const merged = (fields: readonly FieldName[]) => [...new Set([...written, ...fields])];
  if (item.row.linked !== 0 || !becameLinkable(item.row.category, settled.category))
    return { ...settled, localChanged: merged(settled.localChanged) };
  const linked = await matchWaiting(unit, integration, item.row.id);
  if (!linked) return { ...settled, localChanged: merged(settled.localChanged) };
  return {
    ...linked,
    itemId: settled.itemId,
    number: settled.number,
    removed: true,
    linkedInto: linked.itemId,
    localChanged: merged([...settled.localChanged, ...linked.localChanged]),
  };
}

/** The remote-only item that local-only `item` may be linked with. */
async function remotePartner(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  numbers: NumberOptions,
): Promise<{ local: Item; remote: Item } | undefined> {
  if (item.row.remote_key !== null) return undefined;
  const row = await waitingRemote(unit, integration.id, item.local!, numbers);
  return row ? { local: item, remote: { row, local: null } } : undefined;
}

/**
 * The unlinked remote-only item carrying `local`'s number, if the two may be linked (both active,
 * neither archived, deleted or "do not sync"). Also asked for a record just created (`local-items.ts`).
 */
export async function waitingRemote(
  unit: Unit,
  integrationId: number,
  local: LocalRecord,
  numbers: NumberOptions,
): Promise<ItemRow | undefined> {
  if (local.archivedAt !== null || !mayAutoLink(localOnly(local.values), unit.today)) return undefined;
  const row = await unit.db
    .selectFrom('item')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('remote_key', '=', numberKey(local.number, numbers))
    .where('local_id', 'is', null)
    .where('linked', '=', 0)
    .where('sync_enabled', '=', 1)
    .where('do_not_sync', '=', 0)
    .where('remote_deleted', '=', 0)
    .executeTakeFirst();
  const values = row ? remoteValuesOf(row) : null;
  return row && values && mayAutoLink(remoteOnly(values), unit.today) ? row : undefined;
}

/** The local-only item that remote-only `item` may be linked with. */
async function localPartner(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  numbers: NumberOptions,
): Promise<{ local: Item; remote: Item } | undefined> {
  const values = remoteValuesOf(item.row);
  if (item.row.remote_key === null || item.row.remote_deleted === 1 || !values) return undefined;
  if (!mayAutoLink(remoteOnly(values), unit.today)) return undefined;
  // Local records keep their number with leading zeros ignored; the integration's own rule is applied after.
  const rows = await unit.db
    .selectFrom('item')
    .innerJoin('local_record', 'local_record.id', 'item.local_id')
    .selectAll('local_record')
    .select('item.id as item_id')
    .where('item.integration_id', '=', integration.id)
    .where('item.remote_key', 'is', null)
    .where('item.linked', '=', 0)
    .where('item.do_not_sync', '=', 0)
    .where('local_record.archived_at', 'is', null)
    .where('local_record.workspace_id', '=', unit.workspace)
    .where('local_record.kind', '=', integration.entity)
    .where(
      'local_record.number_key',
      '=',
      numberKey(values.number ?? item.row.number, { ignoreLeadingZeros: true }),
    )
    .execute();
  for (const row of rows) {
    const local = toLocalRecord(row);
    if (numberKey(local.number, numbers) !== item.row.remote_key) continue;
    if (!mayAutoLink(localOnly(local.values), unit.today)) continue;
    const [localItem] = await loadItems(unit.db, [row.item_id]);
    if (localItem) return { local: localItem, remote: item };
  }
  return undefined;
}
