/**
 * Undo (SYNC.md §8): undoing a change set by walking its audit entries backwards. A value that changed
 * again since is reported as a conflict, never overwritten. Reading the log is `history.ts`.
 */
import { fail } from '../core/errors.js';
import type { EntityKind, FieldName } from '../core/fields.js';
import { moveCount } from '../store/counts.js';
import { auditPages } from '../store/keyset.js';
import { findLocalByNumberKey } from '../store/records.js';
import type { AuditRow, ItemRow, LocalRecordRow } from '../store/schema.js';
import type { App } from './app.js';
import type { ItemCols } from './items.js';
import { colsOf, removeItem, settle, withLocals, writeLocal } from './items.js';
import { keptCreations } from './undo-kept.js';
import { undoItemsAdded } from './undo-added.js';
import { maskConflict } from './history.js';
import { reload, setArchived } from './registry.js';
import { toIntegration } from './integrations.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor, isWritable } from './settings.js';
import { wipeSsn } from './forget.js';
import type { Unit } from './unit.js';

export interface UndoConflict {
  readonly auditId: number;
  readonly itemId: number | null;
  readonly localId: number | null;
  readonly field: string | null;
  readonly expected: string | null;
  readonly now: string | null;
}

export interface UndoReport {
  readonly undone: number;
  readonly changeSet: number | null;
  readonly restored: number;
  readonly conflicts: readonly UndoConflict[];
}

/** Undo change set `id` (an action, an import, an edit, or an undo). */
export async function undoChangeSet(app: App, id: number): Promise<UndoReport> {
  const cs = await app.db.kysely
    .selectFrom('change_set')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', app.workspace)
    .executeTakeFirst();
  if (!cs) fail('not_found', `There is no change ${id}.`, { changeSet: id });
  if (cs.undone_by !== null)
    fail('wrong_category', `Change ${id} was undone already (by change ${cs.undone_by}).`, { changeSet: id });
  return app.unit('undo', cs.integration_id, async (unit) => {
    unit.deferCounts(); // a million items moving back: one count statement per integration at the end
    const undoer = new Undoer(unit);
    const kept = await keptCreations(unit, id, (c) => undoer.conflicts.push(c));
    // Newest first, a page at a time: "create all partners" leaves a million entries.
    for await (const page of auditPages(unit.db, id, 'desc')) {
      for (const entry of page) {
        // A record this change created and somebody changed since stays, with all this change did to it.
        if (entry.local_id !== null && kept.has(entry.local_id)) continue;
        await undoer.undo(entry);
      }
    }
    await undoer.resettle();
    if (cs.kind === 'import' && cs.integration_id !== null)
      await unsetLastRun(unit, { id: cs.id, integration: cs.integration_id, at: cs.at });
    const changeSet = await unit.ensureChangeSet();
    await unit.db.updateTable('change_set').set({ undone_by: changeSet }).where('id', '=', id).execute();
    await unit.db.updateTable('change_set').set({ undo_of: id }).where('id', '=', changeSet).execute();
    return {
      undone: id,
      changeSet,
      restored: undoer.restored,
      conflicts: undoer.conflicts.map(maskConflict),
    };
  });
}

/**
 * An undone import that was the integration's last run is no longer what "last import" shows: the
 * import before it that stands is (or none). A run that changed nothing leaves no change set, so an
 * unchanged run in between is not known; the time shown is then that of the last import that changed
 * something.
 */
async function unsetLastRun(unit: Unit, cs: { id: number; integration: number; at: string }) {
  const integration = await unit.db
    .selectFrom('integration')
    .select('last_run_at')
    .where('id', '=', cs.integration)
    .executeTakeFirst();
  if (integration?.last_run_at !== cs.at) return; // a later run came since: it is the last
  const before = await unit.db
    .selectFrom('change_set')
    .select('at')
    .where('integration_id', '=', cs.integration)
    .where('kind', '=', 'import')
    .where('undone_by', 'is', null)
    .where('id', '<', cs.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  await unit.db
    .updateTable('integration')
    .set({ last_run_at: before?.at ?? null })
    .where('id', '=', cs.integration)
    .execute();
}

class Undoer {
  restored = 0;
  readonly conflicts: UndoConflict[] = [];
  private readonly items = new Set<number>();
  private readonly locals = new Set<number>();
  /**
   * Items whose state changed since the change (their entry was reported as a conflict). Entries are
   * undone newest first, and a settle audits the record's fields before the item, so the item is known
   * kept before its fields come.
   */
  private readonly keptItems = new Set<number>();
  /** The integrations of the touched items, read once (again after their fields are restored). */
  private readonly integrations = new Map<number, IntegrationInfo>();

  constructor(private readonly unit: Unit) {}

  async undo(e: AuditRow): Promise<void> {
    const reason = `undo of change ${e.change_set_id}`;
    switch (e.target) {
      case 'local':
        return this.undoLocalField(e, reason);
      case 'local-archived':
        return this.undoArchive(e, reason);
      case 'local-created':
        return this.undoCreate(e);
      case 'local-deleted':
        return this.undoDelete(e, reason);
      case 'item':
        return this.undoItem(e, reason);
      case 'item-removed':
        return this.undoRemoval(e, reason);
      case 'item-created':
        return this.undoItemCreate(e, reason);
      case 'partner-created':
        await this.undoItem(e, reason);
        return this.undoCreate(e);
      case 'integration-fields':
        return this.undoFields(e);
      case 'items-added':
        if (e.new_value === null) return;
        this.restored += await undoItemsAdded(this.unit, e.new_value, reason, (row) =>
          this.conflicts.push({
            auditId: e.id,
            itemId: row.id,
            localId: row.local_id,
            field: null,
            expected: null,
            now: null,
          }),
        );
        return;
      default:
        return;
    }
  }

  private conflict(e: AuditRow, now: string | null): void {
    this.conflicts.push({
      auditId: e.id,
      itemId: e.item_id,
      localId: e.local_id,
      field: e.field,
      expected: e.new_value,
      now,
    });
  }

  private async undoLocalField(e: AuditRow, reason: string): Promise<void> {
    // A value a run took from the remote side into the record, on an item that changed since (a later
    // import): the item stays as it is, and so does what it brought into the record. Set back alone, the
    // record would be "ahead" of the file with the old value, and the export would send it as a correction.
    if (e.item_id !== null && this.keptItems.has(e.item_id)) return;
    const local = await this.findLocal(e.local_id);
    if (!local) return this.conflict(e, null);
    const field = e.field as FieldName;
    const now = local.values[field] ?? '';
    if (now !== (e.new_value ?? '')) return this.conflict(e, now);
    await writeLocal(this.unit, local, { [field]: e.old_value ?? '' }, e.item_id, reason);
    this.touchLocal(local.id);
  }

  private async undoArchive(e: AuditRow, reason: string): Promise<void> {
    const local = await this.findLocal(e.local_id);
    if (!local) return this.conflict(e, null);
    if (local.archivedAt !== e.new_value) return this.conflict(e, local.archivedAt);
    // Undoing a restore archives the record again, and an archived record keeps no SSN (SYNC.md §3).
    if (e.old_value !== null) await wipeSsn(this.unit, local, null, `${reason}: SSN wiped`);
    await setArchived(this.unit, local.id, e.old_value, reason);
    this.touchLocal(local.id);
  }

  /** A record this change created goes away again, with its unlinked items. */
  private async undoCreate(e: AuditRow): Promise<void> {
    if (e.local_id === null) return;
    const db = this.unit.db;
    const unlinked = await db
      .selectFrom('item')
      .selectAll()
      .where('local_id', '=', e.local_id)
      .where('linked', '=', 0)
      .where('remote_key', 'is', null)
      .execute();
    for (const row of unlinked) await removeItem(this.unit, row, `undo of change ${e.change_set_id}`);
    const still = await db
      .selectFrom('item')
      .select('id')
      .where('local_id', '=', e.local_id)
      .executeTakeFirst();
    if (still) return this.conflict(e, 'still linked');
    const row = await db
      .selectFrom('local_record')
      .selectAll()
      .where('id', '=', e.local_id)
      .executeTakeFirst();
    if (!row) return;
    await db.deleteFrom('local_record').where('id', '=', e.local_id).execute();
    // Audited with the whole row, so that undoing this undo brings the record back under its id.
    await this.unit.audit({
      item_id: null,
      local_id: row.id,
      target: 'local-deleted',
      field: null,
      old_value: JSON.stringify(row),
      new_value: null,
      reason: `undo of change ${e.change_set_id}`,
    });
    this.locals.delete(e.local_id);
    this.restored++;
  }

  /** Undoing the undo of a creation: the record comes back under its id, unless its number is taken again. */
  private async undoDelete(e: AuditRow, reason: string): Promise<void> {
    const row = JSON.parse(e.old_value ?? '{}') as LocalRecordRow;
    const taken = await findLocalByNumberKey(
      this.unit.db,
      this.unit.workspace,
      row.kind as EntityKind,
      row.number_key,
      {
        archived: false,
      },
    );
    if (taken && row.archived_at === null) return this.conflict({ ...e, field: 'number' }, row.number);
    await this.unit.db.insertInto('local_record').values(row).execute();
    await this.unit.audit({
      item_id: null,
      local_id: row.id,
      target: 'local-created',
      field: null,
      old_value: null,
      new_value: row.data,
      reason,
    });
    this.touchLocal(row.id);
  }

  private async undoItem(e: AuditRow, reason: string): Promise<void> {
    const row =
      e.item_id === null
        ? undefined
        : await this.unit.db.selectFrom('item').selectAll().where('id', '=', e.item_id).executeTakeFirst();
    const expected = JSON.parse(e.new_value ?? '{}') as Partial<ItemCols>;
    const cols = row ? colsOf(row) : undefined;
    if (!row || !cols || (Object.keys(expected) as (keyof ItemCols)[]).some((k) => cols[k] !== expected[k])) {
      if (e.item_id !== null) this.keptItems.add(e.item_id);
      return this.conflict(e, cols ? JSON.stringify(cols) : null);
    }
    const old = JSON.parse(e.old_value ?? '{}') as Partial<ItemCols>;
    if (old.local_id && !(await this.findLocal(old.local_id))) return this.conflict(e, 'record gone');
    const restore = (await this.pulledFromErp(row.integration_id, old, expected))
      ? keepRemote(old, cols)
      : old;
    const holder = await this.otherHolder(row.integration_id, row.id, restore);
    if (holder !== undefined) return this.conflict(e, JSON.stringify({ item: holder }));
    await this.unit.db
      .updateTable('item')
      .set({
        ...restore,
        // The remote record goes back to what it was; its stored fingerprint would say the file's row
        // is still the one applied, so that the next import skipped it. An empty one matches no row.
        ...('remote_data' in restore && restore.remote_data !== cols.remote_data ? { remote_hash: '' } : {}),
        version: row.version + 1,
        updated_at: this.unit.now,
      })
      .where('id', '=', row.id)
      .execute();
    await this.unit.audit({
      item_id: row.id,
      local_id: row.local_id,
      target: 'item',
      field: null,
      old_value: e.new_value,
      new_value: JSON.stringify({ ...expected, ...restore }),
      reason,
    });
    this.items.add(row.id);
    this.restored++;
  }

  private async undoRemoval(e: AuditRow, reason: string): Promise<void> {
    if (e.item_id === null) return;
    const old = JSON.parse(e.old_value ?? '{}') as Partial<ItemCols> & {
      category: string;
      number: string;
      name: string;
    };
    const integration = await this.integrationOf(e);
    if (!integration) return this.conflict(e, null);
    const holder = await this.otherHolder(integration, e.item_id, old);
    if (holder !== undefined) return this.conflict(e, JSON.stringify({ item: holder }));
    await this.unit.db
      .insertInto('item')
      .values({
        ...old,
        id: e.item_id,
        workspace_id: this.unit.workspace,
        integration_id: integration,
        updated_at: this.unit.now,
      } as never)
      .execute();
    await moveCount(this.unit.db, integration, null, old.category);
    await this.unit.audit({
      item_id: e.item_id,
      local_id: old.local_id ?? null,
      target: 'item-created',
      field: null,
      old_value: null,
      new_value: e.old_value,
      reason,
    });
    this.items.add(e.item_id);
    this.restored++;
  }

  /**
   * Another item of the integration that holds the remote record or the local record `cols` would give
   * item `id` back: the remote record came back with a later import, or the local one was linked anew.
   * That item stays; bringing this one back beside it would break the one-item-per-record rule.
   */
  private async otherHolder(
    integration: number,
    id: number,
    cols: Partial<ItemCols>,
  ): Promise<number | undefined> {
    const keys = [
      ...(cols.remote_key != null ? [['remote_key', cols.remote_key] as const] : []),
      ...(cols.local_id != null ? [['local_id', cols.local_id] as const] : []),
    ];
    if (keys.length === 0) return undefined;
    const other = await this.unit.db
      .selectFrom('item')
      .select('id')
      .where('integration_id', '=', integration)
      .where('id', '!=', id)
      .where((eb) => eb.or(keys.map(([col, value]) => eb(col, '=', value))))
      .executeTakeFirst();
    return other?.id;
  }

  private async undoItemCreate(e: AuditRow, reason: string): Promise<void> {
    if (e.item_id === null) return;
    const row = await this.unit.db
      .selectFrom('item')
      .selectAll()
      .where('id', '=', e.item_id)
      .executeTakeFirst();
    if (!row) return;
    await removeItem(this.unit, row, reason);
    this.items.delete(row.id);
    this.restored++;
  }

  /**
   * The fields the integration's last snapshot carried go back to the earlier snapshot's, so that the
   * re-settling compares as before the run — unless a later run changed them again.
   */
  private async undoFields(e: AuditRow): Promise<void> {
    const integration = await this.integrationOf(e);
    if (integration === null || e.old_value === null || e.new_value === null) return;
    const done = await this.unit.db
      .updateTable('integration')
      .set({ fields: e.old_value })
      .where('id', '=', integration)
      .where('fields', '=', e.new_value)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return;
    this.integrations.delete(integration);
    await this.unit.audit({
      item_id: null,
      local_id: null,
      target: 'integration-fields',
      field: null,
      old_value: e.new_value,
      new_value: e.old_value,
      reason: `undo of change ${e.change_set_id}`,
    });
  }

  /**
   * Whether the entry is a linked record's change pulled from a live ERP (the link the same before and
   * after, the remote record another). Undoing it must reach the ERP (SYNC.md §8 "on both sides"): the
   * ERP still holds the new values, so the item keeps them as its remote record and baseline, and the
   * local values restored beside them are pushed back by the next round — instead of the next round
   * pulling the change in again.
   */
  private async pulledFromErp(
    integrationId: number,
    old: Partial<ItemCols>,
    now: Partial<ItemCols>,
  ): Promise<boolean> {
    if (old.linked !== 1 || now.linked !== 1 || old.remote_key !== now.remote_key) return false;
    if (!('remote_data' in old) || old.remote_data === now.remote_data) return false;
    return isWritable(await this.integration(integrationId));
  }

  private async integration(id: number): Promise<IntegrationInfo> {
    let integration = this.integrations.get(id);
    if (!integration) {
      integration = toIntegration(
        await this.unit.db
          .selectFrom('integration')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      );
      this.integrations.set(id, integration);
    }
    return integration;
  }

  private async integrationOf(e: AuditRow): Promise<number | null> {
    const cs = await this.unit.db
      .selectFrom('change_set')
      .select('integration_id')
      .where('id', '=', e.change_set_id)
      .executeTakeFirst();
    return cs?.integration_id ?? null;
  }

  private async findLocal(id: number | null) {
    if (id === null) return undefined;
    return reload(this.unit.db, id).catch(() => undefined);
  }

  private touchLocal(id: number): void {
    this.locals.add(id);
    this.restored++;
  }

  /** Reconcile every touched item again, so categories and baselines match the restored values. */
  async resettle(): Promise<void> {
    const db = this.unit.db;
    const settleRows = async (rows: readonly ItemRow[]): Promise<void> => {
      for (const item of await withLocals(db, rows)) {
        const integration = await this.integration(item.row.integration_id);
        await settle(this.unit, contextFor(integration, this.unit.today), item, { reason: 'undo' });
      }
    };
    // In chunks: both databases limit the parameters of one statement.
    const items = [...this.items];
    for (let i = 0; i < items.length; i += CHUNK)
      await settleRows(
        await db
          .selectFrom('item')
          .selectAll()
          .where('id', 'in', items.slice(i, i + CHUNK))
          .execute(),
      );
    const locals = [...this.locals];
    for (let i = 0; i < locals.length; i += CHUNK) {
      const byLocal = await db
        .selectFrom('item')
        .selectAll()
        .where('local_id', 'in', locals.slice(i, i + CHUNK))
        .execute();
      await settleRows(byLocal.filter((r) => !this.items.has(r.id)));
    }
  }
}

/** Ids per statement. */
const CHUNK = 5000;

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
