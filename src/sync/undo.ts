/**
 * Undo (SYNC.md §8): undoing a change set by walking its audit entries backwards. A value that changed
 * again since is reported as a conflict, never overwritten. Reading the log is `history.ts`.
 */
import { fail } from '../core/errors.js';
import type { EntityKind, FieldName } from '../core/fields.js';
import { auditPages } from '../store/keyset.js';
import { findLocalByNumberKey } from '../store/records.js';
import type { AuditRow, ItemRow, LocalRecordRow } from '../store/schema.js';
import type { App } from './app.js';
import { removeItem, settle, withLocals, writeLocal } from './items.js';
import { keptCreations } from './undo-kept.js';
import type { UndoWalk } from './undo-items.js';
import { undoItem, undoItemCreate, undoRemoval } from './undo-items.js';
import { undoItemsAdded } from './undo-added.js';
import { maskConflict } from './history.js';
import { reload, setArchived } from './registry.js';
import { toIntegration } from './integrations.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
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
  if (cs.undone_by !== null) await refuseUndone(app, id, cs.undone_by);
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
 * A change undone already is not undone twice. When its undo was undone in turn, the change stands
 * again: the message names the undo of the undo, which is what takes it back now.
 */
async function refuseUndone(app: App, id: number, undoneBy: number): Promise<never> {
  const undo = await app.db.kysely
    .selectFrom('change_set')
    .select('undone_by')
    .where('id', '=', undoneBy)
    .executeTakeFirst();
  const redoneBy = undo?.undone_by ?? null;
  return fail(
    'already_undone',
    redoneBy === null
      ? `Change ${id} was undone already (by change ${undoneBy}).`
      : `Change ${id} was undone by change ${undoneBy}, which change ${redoneBy} undid; to take change ${id} back again, undo change ${redoneBy}.`,
    { changeSet: id, undoneBy, ...(redoneBy !== null ? { redoneBy } : {}) },
  );
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

class Undoer implements UndoWalk {
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

  constructor(readonly unit: Unit) {}

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
        return undoItem(this, e, reason);
      case 'item-removed':
        return undoRemoval(this, e, reason);
      case 'item-created':
        return undoItemCreate(this, e, reason);
      case 'partner-created':
        await undoItem(this, e, reason);
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

  conflict(e: AuditRow, now: string | null): void {
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

  itemRestored(id: number): void {
    this.items.add(id);
    this.restored++;
  }

  itemRemoved(id: number): void {
    this.items.delete(id);
    this.restored++;
  }

  itemKept(id: number): void {
    this.keptItems.add(id);
  }

  async hasLocal(id: number): Promise<boolean> {
    return (await this.findLocal(id)) !== undefined;
  }

  async integration(id: number): Promise<IntegrationInfo> {
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

  async integrationOf(e: AuditRow): Promise<number | null> {
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
