/**
 * The administrator's actions of SYNC.md §7 on one item. Bulk forms (`bulk.ts`) call these per item in
 * one transaction, so a refusal of any item changes nothing.
 */
import type { FieldName, FieldValues } from '../core/fields.js';
import { findFieldDef, getFieldDef } from '../core/fields.js';
import { fail } from '../core/errors.js';
import type { ActionName, Category } from '../core/model.js';
import type { Choice } from '../core/resolve.js';
import { resolveFields } from '../core/resolve.js';
import { checkRecord, parseValue } from '../core/values.js';
import type { Item, Settled } from './items.js';
import { moveCount } from '../store/counts.js';
import { colsOf, remoteValuesOf, removeItem, settle, stateOf, storeBaseline, writeLocal } from './items.js';
import { addItemsForLocal } from './local-items.js';
import { assertNumberFree, insertRecord, reload, setArchived } from './registry.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor, isWritable } from './settings.js';
import type { Unit } from './unit.js';
import { queueWrite } from './outbox.js';
import { wipeSsn } from './forget.js';
import { linkIfWaiting } from './match-waiting.js';

export { ACTIONS } from '../core/model.js';
export type { ActionName };

/** Where each action applies (SYNC.md §7); `null` = any item. */
export const ACTION_CATEGORIES: Record<ActionName, readonly Category[] | null> = {
  resolve: ['conflict'],
  partner: ['new'],
  link: ['new'],
  unlink: null,
  disable: null,
  enable: ['disabled'],
  delete: ['deleted'],
  restore: ['deleted'],
  reactivate: ['inactive'],
};

export function assertApplies(action: ActionName, item: Item): void {
  const allowed = ACTION_CATEGORIES[action];
  if (allowed && !allowed.includes(item.row.category as Category)) {
    fail(
      'wrong_category',
      `Item ${item.row.id} (${item.row.number}) is in "${item.row.category}"; ${action} applies to ${allowed.join(', ')}.`,
      {
        item: item.row.id,
        category: item.row.category,
      },
    );
  }
}

export type FieldChoices = Partial<Record<FieldName, 'local' | 'remote' | { value: string }>>;

/** Resolve the conflict fields of an item: `take` for all of them, or `fields` one by one. */
export async function resolveItem(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  take: 'local' | 'remote' | undefined,
  fields: FieldChoices,
): Promise<Settled> {
  const conflicts = item.row.conflicts ? (JSON.parse(item.row.conflicts) as FieldName[]) : [];
  const choices: Partial<Record<FieldName, Choice>> = {};
  for (const f of conflicts) if (take) choices[f] = take;
  const stray = Object.keys(fields).filter((f) => !conflicts.includes(f as FieldName));
  if (stray.length > 0)
    fail(
      'usage',
      `Item ${item.row.id} has no conflict on ${stray.map((f) => `"${f}"`).join(', ')}; its conflicts: ${conflicts.join(', ')}.`,
      {
        fields: stray.map((f) => ({
          field: f,
          reason: findFieldDef(integration.entity, f) ? 'is not in conflict' : 'is not a field',
        })),
      },
    );
  for (const [f, c] of Object.entries(fields) as [FieldName, FieldChoices[FieldName]][]) {
    if (!c) continue;
    if (typeof c === 'object') {
      const parsed = parseValue(getFieldDef(integration.entity, f), c.value);
      if (!parsed.ok)
        fail('validation_failed', `${f} "${c.value}" ${parsed.message}`, {
          fields: [{ field: f, value: c.value, reason: parsed.message, code: parsed.code }],
        });
      choices[f] = { value: parsed.value };
    } else {
      choices[f] = c;
    }
  }
  const missing = conflicts.filter((f) => !choices[f]);
  if (missing.length > 0)
    fail(
      'usage',
      `Say how to resolve ${missing.join(', ')}: the local value, the remote one, or a value of your own (CLI: --take, or --field NAME=local|remote|value:TEXT).`,
      { fields: missing.map((f) => ({ field: f, reason: 'not decided' })) },
    );
  const ctx = contextFor(integration, unit.today);
  const state = stateOf(colsOf(item.row), item.local);
  const res = resolveFields(state, ctx, choices);
  assertResolvedValid(integration, choices, [
    ['local', { ...state.local?.values, ...res.localPatch }],
    ['remote', { ...state.remote?.values, ...res.remotePatch }],
  ]);
  // A number chosen for the local record must be free there (the unique index would refuse it later).
  // Earlier resolutions of a bulk action may still wait to be written: they count.
  if (item.local && res.localPatch.number !== undefined) {
    await unit.flushUpdates();
    await assertNumberFree(unit.db, unit.workspace, integration.entity, res.localPatch.number, item.local.id);
  }
  return settle(unit, ctx, item, {
    cols: { baseline: storeBaseline(res.baseline) },
    localPatch: res.localPatch,
    remotePatch: res.remotePatch,
    reason: 'conflict resolved',
  });
}

/**
 * The choices of a resolution must leave each side's record valid: a private customer given a CVR
 * number, an end of employment before its start are refused with both fields named (the engine holds
 * such merges back as conflicts of both fields, so both are chosen together).
 */
function assertResolvedValid(
  integration: IntegrationInfo,
  choices: Partial<Record<FieldName, Choice>>,
  sides: [string, FieldValues][],
): void {
  for (const [side, values] of sides) {
    const broken = checkRecord(integration.entity, values, []).filter(
      (p) => choices[p.field] || (p.related && choices[p.related]),
    );
    const first = broken[0];
    if (!first) continue;
    const pair = first.related ? ` and ${first.related} "${values[first.related] ?? ''}"` : '';
    fail(
      'validation_failed',
      `That choice leaves the ${side} record with ${first.field} "${values[first.field] ?? ''}"${pair}: ${first.field} ${first.message}. Choose the two together.`,
      {
        fields: broken.map((p) => ({
          field: p.field,
          value: values[p.field] ?? '',
          reason: p.message,
          code: p.code,
        })),
      },
    );
  }
}

/**
 * Create the partner of a `new` item. A remote-only record becomes a local record (with `number` if
 * given) and is linked; a local-only record on a file integration is marked for the export file.
 */
export async function createPartner(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  number?: string,
): Promise<Settled> {
  const ctx = contextFor(integration, unit.today);
  if (item.local) {
    if (!isWritable(integration)) {
      return settle(unit, ctx, item, {
        cols: { exported_at: unit.now },
        reason: 'partner to be created by the export file',
      });
    }
    // A live remote side: the outbox creates it (with the local values as they are then) and links it.
    await queueWrite(unit, integration.id, item.row.id, 'create');
    return settle(unit, ctx, item, {
      cols: { exported_at: unit.now },
      reason: `partner to be created in ${integration.source}`,
    });
  }
  const remote = remoteValuesOf(item.row) ?? {};
  const values = { ...remote, ...(number ? { number } : {}) };
  if (number) {
    const parsed = parseValue(getFieldDef(integration.entity, 'number'), number);
    if (!parsed.ok)
      fail('validation_failed', `number "${number}" ${parsed.message}`, {
        fields: [{ field: 'number', value: number, reason: parsed.message }],
      });
  }
  const local = await insertRecord(
    unit,
    integration.entity,
    values,
    `created as partner of ${integration.name} item ${item.row.id}`,
  );
  const settled = await settle(
    unit,
    ctx,
    { row: item.row, local },
    {
      cols: { local_id: local.id, linked: 1, sync_enabled: 1, baseline: chosenNumber(remote, number) },
      reason: 'partner created',
    },
  );
  await addItemsForLocal(unit, local);
  return settled;
}

/** A number chosen for the new partner is an agreed difference from the remote one, not a conflict. */
function chosenNumber(remote: FieldValues, number: string | undefined): string | null {
  if (number === undefined || number === (remote.number ?? '')) return null;
  return storeBaseline({ local: { number }, remote: { number: remote.number ?? '' } });
}

/** Link two unlinked items of opposite sides ("choose partner"); the remote-only item merges into the local one. */
export async function linkItems(
  unit: Unit,
  integration: IntegrationInfo,
  a: Item,
  b: Item,
): Promise<Settled> {
  const [localItem, remoteItem] = a.local ? [a, b] : [b, a];
  if (
    !localItem.local ||
    localItem.row.remote_key !== null ||
    !remoteItem.row.remote_key ||
    remoteItem.local ||
    a.row.linked ||
    b.row.linked
  ) {
    fail(
      'wrong_category',
      `Items ${a.row.id} and ${b.row.id} are not one unlinked local and one unlinked remote record.`,
    );
  }
  await removeItem(unit, remoteItem.row, `linked into item ${localItem.row.id}`);
  const r = remoteItem.row;
  return settle(unit, contextFor(integration, unit.today), localItem, {
    cols: {
      remote_key: r.remote_key,
      remote_data: r.remote_data,
      remote_hash: r.remote_hash,
      remote_deleted: r.remote_deleted,
      linked: 1,
      sync_enabled: 1,
      do_not_sync: 0,
      baseline: null,
    },
    reason: 'partner chosen',
  });
}

/** Remove the link; both records stay, as two unlinked items. */
export async function unlinkItem(unit: Unit, integration: IntegrationInfo, item: Item): Promise<Settled> {
  if (item.row.linked !== 1) fail('wrong_category', `Item ${item.row.id} is not linked.`);
  const ctx = contextFor(integration, unit.today);
  const r = item.row;
  const splitRemote = r.remote_key !== null && r.remote_deleted === 0 && item.local !== null;
  const cols = item.local
    ? { linked: 0, baseline: null, remote_key: null, remote_data: null, remote_hash: null, remote_deleted: 0 }
    : { linked: 0, baseline: null };
  const settled = await settle(unit, ctx, item, { cols, reason: 'unlinked' });
  if (splitRemote) {
    const created = await unit.db
      .insertInto('item')
      .values({
        workspace_id: r.workspace_id,
        integration_id: r.integration_id,
        remote_key: r.remote_key,
        remote_data: r.remote_data,
        remote_hash: r.remote_hash,
        number: r.number,
        name: r.name,
        category: 'new',
        updated_at: unit.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await moveCount(unit.db, created.integration_id, null, created.category);
    await unit.audit({
      item_id: created.id,
      local_id: null,
      target: 'item-created',
      field: null,
      old_value: null,
      new_value: JSON.stringify(colsOf(created)),
      reason: `unlinked from item ${r.id}`,
    });
    await settle(unit, ctx, { row: created, local: null }, { reason: 'unlinked' });
  }
  return settled;
}

export async function setSyncEnabled(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
  enabled: boolean,
): Promise<Settled> {
  const cols = item.row.linked === 1 ? { sync_enabled: enabled ? 1 : 0 } : { do_not_sync: enabled ? 0 : 1 };
  const settled = await settle(unit, contextFor(integration, unit.today), item, {
    cols,
    reason: enabled ? 'sync enabled' : 'sync disabled',
  });
  // "enable re-evaluates it" (SYNC.md §7): a record of the same number on the other side is linked now.
  return linkIfWaiting(unit, integration, item, settled);
}

/** SYNC.md §7 "delete on the other side": the survivor follows the deletion; the link retires. */
export async function deleteOtherSide(
  unit: Unit,
  integration: IntegrationInfo,
  item: Item,
): Promise<Settled> {
  const ctx = contextFor(integration, unit.today);
  const remoteGone = item.row.remote_deleted === 1 || item.row.remote_key === null;
  if (remoteGone && item.local) {
    await wipeSsn(unit, item.local, item.row.id, 'archived: SSN wiped');
    await setArchived(unit, item.local.id, unit.now, 'deleted because the remote record was deleted');
    return settle(
      unit,
      ctx,
      { row: item.row, local: await reload(unit.db, item.local.id) },
      { reason: 'deleted on both sides' },
    );
  }
  if (isWritable(integration)) {
    // Delivered by the outbox; the link retires when the remote side confirms.
    await queueWrite(unit, integration.id, item.row.id, integration.settings.remoteDelete);
    return settle(unit, ctx, item, {
      reason: `to be ${integration.settings.remoteDelete}d in ${integration.source}`,
    });
  }
  // A file cannot be told to delete a row: the link retires and the row is kept out of sync.
  await unlinkItem(unit, integration, item);
  const remoteOnly = await unit.db
    .selectFrom('item')
    .selectAll()
    .where('integration_id', '=', integration.id)
    .where('remote_key', '=', item.row.remote_key)
    .executeTakeFirst();
  if (remoteOnly)
    await settle(
      unit,
      ctx,
      { row: remoteOnly, local: null },
      { cols: { do_not_sync: 1 }, reason: 'deleted locally; the file still carries it' },
    );
  return settle(
    unit,
    ctx,
    {
      row: await unit.db
        .selectFrom('item')
        .selectAll()
        .where('id', '=', item.row.id)
        .executeTakeFirstOrThrow(),
      local: item.local ? await reload(unit.db, item.local.id) : null,
    },
    { reason: 'deleted on the other side' },
  );
}

/** SYNC.md §7 "restore": bring back the missing record from the survivor. */
export async function restoreItem(unit: Unit, integration: IntegrationInfo, item: Item): Promise<Settled> {
  const ctx = contextFor(integration, unit.today);
  if (item.local && item.local.archivedAt !== null) {
    await setArchived(unit, item.local.id, null, 'restored from the remote record');
    return settle(
      unit,
      ctx,
      { row: item.row, local: await reload(unit.db, item.local.id) },
      { reason: 'restored locally' },
    );
  }
  if (isWritable(integration)) {
    await queueWrite(unit, integration.id, item.row.id, 'create');
    return settle(unit, ctx, item, { reason: `to be re-created in ${integration.source}` });
  }
  // A file cannot be written: the record goes to the export file and links again when an import carries it.
  const settled = await unlinkItem(unit, integration, item);
  const row = await unit.db
    .selectFrom('item')
    .selectAll()
    .where('id', '=', item.row.id)
    .executeTakeFirstOrThrow();
  await settle(
    unit,
    ctx,
    { row, local: item.local },
    { cols: { exported_at: unit.now }, reason: 'restore: to be re-created by the export file' },
  );
  return settled;
}

/** SYNC.md §7 "reactivate": make the record active again on its side; the item becomes `new`. */
export async function reactivateItem(unit: Unit, integration: IntegrationInfo, item: Item): Promise<Settled> {
  const ctx = contextFor(integration, unit.today);
  if (!item.local && isWritable(integration)) {
    const values = remoteValuesOf(item.row) ?? {};
    const patch: Record<string, string> = { active: 'true' };
    if (values.employedUntil && values.employedUntil < unit.today) patch.employedUntil = '';
    await queueWrite(unit, integration.id, item.row.id, 'update', patch);
    return settle(unit, ctx, item, { reason: `to be reactivated in ${integration.source}` });
  }
  if (!item.local) {
    return fail(
      'wrong_category',
      `The record ${item.row.number} is inactive in the file, which Abgleich cannot write; reactivate it there and import again.`,
      { item: item.row.id, reason: 'file_side' },
    );
  }
  if (item.local.archivedAt !== null) {
    // Un-archiving needs the number: a record made since may hold it (the unique index would refuse).
    await assertNumberFree(unit.db, unit.workspace, item.local.kind, item.local.number, item.local.id);
    await setArchived(unit, item.local.id, null, 'reactivated');
  }
  const local = await reload(unit.db, item.local.id);
  const patch: Record<string, string> = {};
  if (local.values.active === 'false') patch.active = 'true';
  if (local.values.employedUntil && local.values.employedUntil < unit.today) patch.employedUntil = '';
  const written = Object.keys(patch) as FieldName[];
  if (written.length > 0) await writeLocal(unit, local, patch, item.row.id, 'reactivated');
  const settled = await settle(
    unit,
    ctx,
    { row: item.row, local: await reload(unit.db, local.id) },
    { reason: 'reactivated' },
  );
  return linkIfWaiting(unit, integration, item, settled, written);
}
