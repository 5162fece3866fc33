/**
 * Undo (SYNC.md §8) of what a change did to items: a link, category or remote record set back, a
 * removed item brought back, an item the change created removed again. Each is refused as a conflict
 * when the item changed since or another item holds its records now. The walk itself is `undo.ts`.
 */
import { moveCount } from '../store/counts.js';
import type { AuditRow } from '../store/schema.js';
import type { ItemCols } from './items.js';
import { colsOf, removeItem } from './items.js';
import type { IntegrationInfo } from './settings.js';
import { isWritable } from './settings.js';
import type { Unit } from './unit.js';

/** What the item undos need of the walk over a change's entries (`Undoer` in `undo.ts`). */
export interface UndoWalk {
  readonly unit: Unit;
  /** Report the entry as not undone: its target is `now` instead of what the entry left. */
  conflict(e: AuditRow, now: string | null): void;
  /** An item set back or brought back: it is settled again at the end. */
  itemRestored(id: number): void;
  /** An item the change created, removed again. */
  itemRemoved(id: number): void;
  /** An item that changed since the entry: it stays, and so does what it brought into its record. */
  itemKept(id: number): void;
  hasLocal(id: number): Promise<boolean>;
  integration(id: number): Promise<IntegrationInfo>;
  integrationOf(e: AuditRow): Promise<number | null>;
}

export async function undoItem(walk: UndoWalk, e: AuditRow, reason: string): Promise<void> {
  const { unit } = walk;
  const row =
    e.item_id === null
      ? undefined
      : await unit.db.selectFrom('item').selectAll().where('id', '=', e.item_id).executeTakeFirst();
  const expected = JSON.parse(e.new_value ?? '{}') as Partial<ItemCols>;
  const cols = row ? colsOf(row) : undefined;
  if (!row || !cols || (Object.keys(expected) as (keyof ItemCols)[]).some((k) => cols[k] !== expected[k])) {
    if (e.item_id !== null) walk.itemKept(e.item_id);
    return walk.conflict(e, cols ? JSON.stringify(cols) : null);
  }
  const old = JSON.parse(e.old_value ?? '{}') as Partial<ItemCols>;
  if (old.local_id && !(await walk.hasLocal(old.local_id))) return walk.conflict(e, 'record gone');
  const restore = (await pulledFromErp(walk, row.integration_id, old, expected))
    ? keepRemote(old, cols)
    : old;
  const holder = await otherHolder(unit, row.integration_id, row.id, restore);
  if (holder !== undefined) return walk.conflict(e, JSON.stringify({ item: holder }));
  await unit.db
    .updateTable('item')
    .set({
      ...restore,
      // The remote record goes back to what it was; its stored fingerprint would say the file's row
      // is still the one applied, so that the next import skipped it. An empty one matches no row.
      ...('remote_data' in restore && restore.remote_data !== cols.remote_data ? { remote_hash: '' } : {}),
      version: row.version + 1,
      updated_at: unit.now,
    })
    .where('id', '=', row.id)
    .execute();
  await unit.audit({
    item_id: row.id,
    local_id: row.local_id,
    target: 'item',
    field: null,
    old_value: e.new_value,
    new_value: JSON.stringify({ ...expected, ...restore }),
    reason,
  });
  walk.itemRestored(row.id);
}

export async function undoRemoval(walk: UndoWalk, e: AuditRow, reason: string): Promise<void> {
  if (e.item_id === null) return;
  const { unit } = walk;
  const old = JSON.parse(e.old_value ?? '{}') as Partial<ItemCols> & {
    category: string;
    number: string;
    name: string;
  };
  const integration = await walk.integrationOf(e);
  if (!integration) return walk.conflict(e, null);
  const holder = await otherHolder(unit, integration, e.item_id, old);
  if (holder !== undefined) return walk.conflict(e, JSON.stringify({ item: holder }));
  await unit.db
    .insertInto('item')
    .values({
      ...old,
      id: e.item_id,
      workspace_id: unit.workspace,
      integration_id: integration,
      updated_at: unit.now,
    } as never)
    .execute();
  await moveCount(unit.db, integration, null, old.category);
  await unit.audit({
    item_id: e.item_id,
    local_id: old.local_id ?? null,
    target: 'item-created',
    field: null,
    old_value: null,
    new_value: e.old_value,
    reason,
  });
  walk.itemRestored(e.item_id);
}

export async function undoItemCreate(walk: UndoWalk, e: AuditRow, reason: string): Promise<void> {
  if (e.item_id === null) return;
  const row = await walk.unit.db
    .selectFrom('item')
    .selectAll()
    .where('id', '=', e.item_id)
    .executeTakeFirst();
  if (!row) return;
  await removeItem(walk.unit, row, reason);
  walk.itemRemoved(row.id);
}

/**
 * Another item of the integration that holds the remote record or the local record `cols` would give
 * item `id` back: the remote record came back with a later import, or the local one was linked anew.
 * That item stays; bringing this one back beside it would break the one-item-per-record rule.
 */
async function otherHolder(
  unit: Unit,
  integration: number,
  id: number,
  cols: Partial<ItemCols>,
): Promise<number | undefined> {
  const keys = [
    ...(cols.remote_key != null ? [['remote_key', cols.remote_key] as const] : []),
    ...(cols.local_id != null ? [['local_id', cols.local_id] as const] : []),
  ];
  if (keys.length === 0) return undefined;
  const other = await unit.db
    .selectFrom('item')
    .select('id')
    .where('integration_id', '=', integration)
    .where('id', '!=', id)
    .where((eb) => eb.or(keys.map(([col, value]) => eb(col, '=', value))))
    .executeTakeFirst();
  return other?.id;
}

/**
 * Whether the entry is a linked record's change pulled from a live ERP (the link the same before and
 * after, the remote record another). Undoing it must reach the ERP (SYNC.md §8 "on both sides"): the
 * ERP still holds the new values, so the item keeps them as its remote record and baseline, and the
 * local values restored beside them are pushed back by the next round — instead of the next round
 * pulling the change in again.
 */
async function pulledFromErp(
  walk: UndoWalk,
  integrationId: number,
  old: Partial<ItemCols>,
  now: Partial<ItemCols>,
): Promise<boolean> {
  if (old.linked !== 1 || now.linked !== 1 || old.remote_key !== now.remote_key) return false;
  if (!('remote_data' in old) || old.remote_data === now.remote_data) return false;
  return isWritable(await walk.integration(integrationId));
}

/** `old` without the remote side's columns: those stay as `now` has them (see `pulledFromErp`). */
function keepRemote(old: Partial<ItemCols>, now: ItemCols): Partial<ItemCols> {
  const {
    remote_data: _data,
    remote_hash: _hash,
    remote_deleted: _deleted,
    baseline: _baseline,
    ...rest
  } = old;
  return { ...rest, remote_data: now.remote_data, baseline: now.baseline };
}
