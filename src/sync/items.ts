/**
 * Loading overview items with their local records, and settling them: reconcile with the engine, apply
 * the outcome to the registry, the item and the audit log, in the caller's unit of work.
 */
import type { FieldName, FieldValues } from '../core/fields.js';
import type { Baseline, Category, ItemState, Patch, ReconcileContext } from '../core/model.js';
import { EMPTY_BASELINE } from '../core/model.js';
import { reconcile, sameValues } from '../core/reconcile.js';
import { numberKey } from '../core/compare.js';
import type { Executor } from '../store/executor.js';
import type { LocalRecord } from '../store/records.js';
import { findLocalByIds } from '../store/records.js';
import type { ItemRow } from '../store/schema.js';
import type { Unit } from './unit.js';
import { queueWrite } from './outbox.js';

export interface Item {
  readonly row: ItemRow;
  readonly local: LocalRecord | null;
}

/** The columns of an item that hold state (the rest is derived from them). */
export interface ItemCols {
  local_id: number | null;
  remote_key: string | null;
  remote_data: string | null;
  remote_hash: string | null;
  remote_deleted: number;
  linked: number;
  sync_enabled: number;
  do_not_sync: number;
  baseline: string | null;
  exported_at: string | null;
}

const STATE_COLS = [
  'local_id',
  'remote_key',
  'remote_data',
  'remote_deleted',
  'linked',
  'sync_enabled',
  'do_not_sync',
  'baseline',
  'exported_at',
] as const satisfies readonly (keyof ItemCols)[];

export const colsOf = (row: ItemRow): ItemCols => ({
  local_id: row.local_id,
  remote_key: row.remote_key,
  remote_data: row.remote_data,
  remote_hash: row.remote_hash,
  remote_deleted: row.remote_deleted,
  linked: row.linked,
  sync_enabled: row.sync_enabled,
  do_not_sync: row.do_not_sync,
  baseline: row.baseline,
  exported_at: row.exported_at,
});

export const remoteValuesOf = (cols: Pick<ItemCols, 'remote_data'>): FieldValues | null =>
  cols.remote_data === null ? null : (JSON.parse(cols.remote_data) as FieldValues);

/** A stored baseline; `remote` is left out when it equals `local` (the usual case), halving its size. */
export function baselineOf(cols: Pick<ItemCols, 'baseline'>): Baseline {
  if (cols.baseline === null) return EMPTY_BASELINE;
  const stored = JSON.parse(cols.baseline) as { local: FieldValues; remote?: FieldValues };
  return { local: stored.local, remote: stored.remote ?? stored.local };
}

/** The stored form of a baseline (see `baselineOf`). */
export function storeBaseline(b: Baseline): string {
  return JSON.stringify(sameValues(b.local, b.remote) ? { local: b.local } : b);
}

export function stateOf(cols: ItemCols, local: LocalRecord | null, localValues?: FieldValues): ItemState {
  const remote = remoteValuesOf(cols);
  return {
    local: local ? { values: localValues ?? local.values, archived: local.archivedAt !== null } : null,
    remote: remote ? { values: remote, deleted: cols.remote_deleted === 1 } : null,
    linked: cols.linked === 1,
    syncEnabled: cols.sync_enabled === 1,
    doNotSync: cols.do_not_sync === 1,
    baseline: baselineOf(cols),
  };
}

export async function loadItems(db: Executor, ids: readonly number[]): Promise<Item[]> {
  const rows: ItemRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('item')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return withLocals(db, rows);
}

export async function withLocals(db: Executor, rows: readonly ItemRow[]): Promise<Item[]> {
  const locals = await findLocalByIds(db, [
    ...new Set(rows.flatMap((r) => (r.local_id === null ? [] : [r.local_id]))),
  ]);
  return rows.map((row) => ({
    row,
    local: row.local_id === null ? null : (locals.get(row.local_id) ?? null),
  }));
}

/** What an action or run changes on an item before the engine looks at it again. */
export interface ItemChange {
  readonly cols?: Partial<ItemCols>;
  /** Values to write to the local record (already validated). */
  readonly localPatch?: Patch;
  /** Values to send to a writable remote side besides what the engine decides (a resolution's). */
  readonly remotePatch?: Patch;
  /**
   * The local record changed before this call (an edit in the registry): the item shows other values
   * now, so its version moves even when its category and conflicts stay — an action carrying the version
   * read before the edit is refused as stale (SYNC.md §7).
   */
  readonly localEdited?: boolean;
  readonly reason: string;
}

export interface Settled {
  readonly itemId: number;
  readonly number: string;
  readonly localId: number | null;
  readonly category: Category | null;
  readonly conflicts: readonly FieldName[];
  /** Local fields written. */
  readonly localChanged: readonly FieldName[];
  readonly remotePatch: Patch;
  readonly removed: boolean;
  /**
   * The item the record went into when the action made it linkable and it was linked by number with the
   * waiting record of the other side (`linkIfWaiting`): this item was removed, and `category` and
   * `conflicts` are that item's.
   */
  readonly linkedInto?: number;
}

/**
 * Apply `change` to `item`, reconcile it with the engine, write everything that moved, and audit it.
 * Returns what happened; writes nothing when nothing moved (SYNC.md §6 "re-running changes nothing").
 */
export async function settle(
  unit: Unit,
  ctx: ReconcileContext,
  item: Item,
  change: ItemChange,
): Promise<Settled> {
  const before = colsOf(item.row);
  const cols: ItemCols = { ...before, ...change.cols };
  const patchedLocal =
    item.local && change.localPatch ? { ...item.local.values, ...change.localPatch } : item.local?.values;
  const outcome = reconcile(stateOf(cols, item.local, patchedLocal), ctx);
  const localPatch: Patch = { ...change.localPatch, ...outcome.localPatch };
  let localChanged: FieldName[] = [];
  if (item.local && Object.keys(localPatch).length > 0) {
    localChanged = await writeLocal(unit, item.local, localPatch, item.row.id, change.reason);
    if (localChanged.length > 0) unit.localChanged(item.row.integration_id, item.local.id);
  }
  let category: Category | null = outcome.category;
  if (outcome.retire) {
    Object.assign(cols, {
      linked: 0,
      baseline: null,
      remote_key: null,
      remote_data: null,
      remote_hash: null,
      remote_deleted: 0,
    });
    const unlinkedLocal = item.local ? { ...item.local, values: patchedLocal ?? item.local.values } : null;
    category = unlinkedLocal ? reconcile(stateOf(cols, unlinkedLocal), ctx).category : null;
  } else if (cols.linked === 1) {
    cols.baseline = storeBaseline(pendingBaseline(outcome.baseline, before, outcome.remotePatch));
  }
  if (category === null) {
    await removeItem(unit, item.row, change.reason);
    return {
      itemId: item.row.id,
      number: item.row.number,
      localId: item.local?.id ?? null,
      category,
      conflicts: [],
      localChanged,
      remotePatch: {},
      removed: true,
    };
  }
  const remotePatch: Patch = outcome.retire ? {} : { ...outcome.remotePatch, ...change.remotePatch };
  if (ctx.writable && Object.keys(remotePatch).length > 0)
    await queueWrite(unit, item.row.integration_id, item.row.id, 'update', remotePatch);
  // The values the item shows (number, name) are the local record's after this outcome: a name taken
  // from the remote side here is the one to search by.
  const values = patchedLocal ? { ...patchedLocal, ...outcome.localPatch } : (remoteValuesOf(cols) ?? {});
  const conflicts = outcome.retire ? [] : outcome.conflicts;
  const derived = {
    category,
    conflicts: conflicts.length > 0 ? JSON.stringify(conflicts) : null,
    number: values.number ?? item.row.number,
    name: values.name ?? item.row.name,
  };
  const stateMoved = STATE_COLS.some((c) => before[c] !== cols[c]);
  const derivedMoved = (Object.keys(derived) as (keyof typeof derived)[]).some(
    (k) => item.row[k] !== derived[k],
  );
  const contentMoved = change.localEdited === true || localChanged.length > 0;
  if (stateMoved || derivedMoved || contentMoved || before.remote_hash !== cols.remote_hash) {
    // The bulk writer's cached statement: a run settles thousands of items, each through here.
    await unit.update('item', {
      id: item.row.id,
      ...cols,
      ...derived,
      version: item.row.version + 1,
      updated_at: unit.now,
    });
    await unit.moveCount(item.row.integration_id, item.row.category, category);
  }
  if (stateMoved) {
    await unit.audit({
      item_id: item.row.id,
      local_id: cols.local_id ?? before.local_id,
      target: 'item',
      field: null,
      old_value: JSON.stringify(pick(before)),
      new_value: JSON.stringify(pick(cols)),
      reason: change.reason,
    });
  }
  return {
    itemId: item.row.id,
    number: derived.number,
    localId: item.local?.id ?? null,
    category,
    conflicts,
    localChanged,
    remotePatch,
    removed: false,
  };
}

/**
 * A field pushed to the remote side keeps its old baseline until the remote side confirms the write
 * (SYNC.md §6): a remote change arriving meanwhile is then a conflict, never a silent overwrite of the
 * local edit, and confirming it (both sides equal) moves the baseline.
 */
function pendingBaseline(next: Baseline, cols: Pick<ItemCols, 'baseline'>, pushed: Patch): Baseline {
  const fields = Object.keys(pushed) as FieldName[];
  if (fields.length === 0) return next;
  const before = baselineOf(cols); // read only when something is pushed: most settles push nothing
  const local: Partial<Record<FieldName, string>> = { ...next.local };
  const remote: Partial<Record<FieldName, string>> = { ...next.remote };
  for (const f of fields) {
    if (Object.hasOwn(before.local, f)) local[f] = before.local[f]!;
    else delete local[f];
    if (Object.hasOwn(before.remote, f)) remote[f] = before.remote[f]!;
    else delete remote[f];
  }
  return { local, remote };
}

const pick = (c: ItemCols): Partial<ItemCols> => Object.fromEntries(STATE_COLS.map((k) => [k, c[k]]));

/** Remove an item from the overview, audited with all it held (so that undo can put it back). */
export function removeItem(unit: Unit, row: ItemRow, reason: string): Promise<void> {
  return removeItems(unit, [row], reason);
}

/** `removeItem` for many items with one statement (at most a few thousand: one parameter each). */
export async function removeItems(unit: Unit, rows: readonly ItemRow[], reason: string): Promise<void> {
  if (rows.length === 0) return;
  await unit.db
    .deleteFrom('item')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  for (const row of rows) {
    await unit.moveCount(row.integration_id, row.category, null);
    await unit.audit({
      item_id: row.id,
      local_id: row.local_id,
      target: 'item-removed',
      field: null,
      old_value: JSON.stringify({
        ...colsOf(row),
        category: row.category,
        number: row.number,
        name: row.name,
      }),
      new_value: null,
      reason,
    });
  }
}

/** Write changed fields of a local record, one audit entry per field. Returns the fields that changed. */
export async function writeLocal(
  unit: Unit,
  local: LocalRecord,
  patch: Patch,
  itemId: number | null,
  reason: string,
): Promise<FieldName[]> {
  const changed = (Object.keys(patch) as FieldName[]).filter(
    (f) => (local.values[f] ?? '') !== (patch[f] ?? ''),
  );
  if (changed.length === 0) return [];
  const values: Record<string, string> = { ...local.values };
  for (const f of changed) {
    const v = patch[f] ?? '';
    if (v === '') delete values[f];
    else values[f] = v;
  }
  await unit.update('local_record', {
    id: local.id,
    data: JSON.stringify(values),
    number: values.number ?? local.number,
    number_key: numberKey(values.number ?? local.number, { ignoreLeadingZeros: true }),
    name: values.name ?? '',
    version: local.version + 1,
    updated_at: unit.now,
  });
  for (const f of changed) {
    await unit.audit({
      item_id: itemId,
      local_id: local.id,
      target: 'local',
      field: f,
      old_value: local.values[f] ?? '',
      new_value: patch[f] ?? '',
      reason,
    });
  }
  return changed;
}
