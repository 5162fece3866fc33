/**
 * A unit of work: one transaction, who acts, when, and the change set its audit entries belong to. The
 * change set is created on the first audit entry, so work that changes nothing leaves no trace (SYNC.md §6).
 */
import type { Insertable } from 'kysely';
import type { BulkWriter } from '../store/bulk.js';
import type { CountDeltas } from '../store/counts.js';
import { adjustCounts, moveCount, tally } from '../store/counts.js';
import type { Executor } from '../store/executor.js';
import type { AuditTable } from '../store/schema.js';
import { forgetSsnHistory } from './forget.js';

export type AuditEntry = Omit<Insertable<AuditTable>, 'workspace_id' | 'change_set_id'>;

type UpdateRow = Readonly<{ id: number } & Record<string, unknown>>;

/** Updates waiting for `flushUpdates`, by table and column set: one bulk statement each. */
interface Deferred {
  readonly groups: Map<string, { table: 'item' | 'local_record'; rows: UpdateRow[] }>;
  /** `table:id` of every row waiting: a second update of the same row flushes the first. */
  readonly rows: Set<string>;
  /** Category moves per integration. */
  readonly counts: Map<number, CountDeltas>;
}

/** Deferred updates are written at the latest when this many wait. */
const DEFER_MAX = 2000;

export class Unit {
  private changeSet: Promise<number> | undefined;
  private changeSetCreated: number | undefined;
  private buffer: AuditEntry[] = [];

  constructor(
    readonly db: Executor,
    readonly bulk: BulkWriter,
    readonly workspace: string,
    readonly actor: string,
    readonly now: string,
    readonly kind: string,
    readonly integrationId: number | null,
  ) {}

  private summary: unknown = {};
  private deferred: Deferred | undefined;
  /** The write started by `writeBehind` and not yet waited for. */
  private behind: Promise<void> | undefined;

  /** Local records whose values settling an item changed: the item's integration id → local ids. */
  private changedLocals = new Map<number, Set<number>>();

  /**
   * Settling an item of `integrationId` changed the values of local record `localId`: its items in the
   * other integrations are reconciled again before the unit ends (`reclassifyChangedLocals`).
   */
  localChanged(integrationId: number, localId: number): void {
    let ids = this.changedLocals.get(integrationId);
    if (!ids) this.changedLocals.set(integrationId, (ids = new Set()));
    ids.add(localId);
  }

  /** Archived records whose SSN leaves the history when the unit ends (`forget.ts`). */
  private forgetting = new Map<number, readonly number[]>();

  forgetSsnHistoryOf(localId: number, itemIds: readonly number[]): void {
    this.forgetting.set(localId, [...new Set([...(this.forgetting.get(localId) ?? []), ...itemIds])]);
  }

  /** The local records changed so far (see `localChanged`), forgotten here. */
  takeChangedLocals(): Map<number, Set<number>> {
    const changed = this.changedLocals;
    this.changedLocals = new Map();
    return changed;
  }

  /** What the change set records as its summary (shown in the history). */
  summarize(value: unknown): void {
    this.summary = value;
  }

  /** Today as ISO date, for the engine. */
  get today(): string {
    return this.now.slice(0, 10);
  }

  /** The change set's id once it exists (see `ensureChangeSet`). */
  get changeSetId(): number | undefined {
    return this.changeSetCreated;
  }

  /**
   * From now on, `update` and `moveCount` wait and are written together by `flushUpdates` (at the
   * latest before the unit ends): a run that settles thousands of items then sends a few bulk
   * statements instead of two or three round trips per item (PostgreSQL: about a millisecond each).
   * Whoever turns it on flushes before reading what it wrote.
   */
  deferUpdates(): void {
    this.deferred ??= { groups: new Map(), rows: new Set(), counts: new Map() };
  }

  /**
   * From now on, category moves are added up and written to `category_count` by `flushUpdates` (at the
   * latest before the unit ends), while row updates still go out at once: an action on a whole category
   * moved each item's count by its own statement. Nothing reads the counts before the unit ends.
   */
  deferCounts(): void {
    this.countsDeferred ??= new Map();
  }
  private countsDeferred: Map<number, CountDeltas> | undefined;

  /** Update one row by id (at once, or deferred: see `deferUpdates`). */
  async update(table: 'item' | 'local_record', row: UpdateRow): Promise<void> {
    const deferred = this.deferred;
    if (!deferred) return this.bulk.update(this.db, table, [row]);
    const rowKey = `${table}:${row.id}`;
    if (deferred.rows.has(rowKey)) await this.flushUpdates();
    deferred.rows.add(rowKey);
    const key = `${table}|${Object.keys(row).join(',')}`;
    const group = deferred.groups.get(key);
    if (group) group.rows.push(row);
    else deferred.groups.set(key, { table, rows: [row] });
    if (deferred.rows.size >= DEFER_MAX) await this.flushUpdates();
  }

  /** An item of `integrationId` moves between categories (at once, or deferred). */
  async moveCount(integrationId: number, from: string | null, to: string | null): Promise<void> {
    if (from === to) return;
    const counts = this.deferred?.counts ?? this.countsDeferred;
    if (!counts) return moveCount(this.db, integrationId, from, to);
    let deltas = counts.get(integrationId);
    if (!deltas) counts.set(integrationId, (deltas = new Map()));
    if (from !== null) tally(deltas, from, -1);
    if (to !== null) tally(deltas, to, 1);
  }

  /**
   * Start `write` and return without waiting for it, so that the caller reads and checks its next rows
   * while the database writes (PostgreSQL: the server works while node parses). A transaction's
   * statements still run one at a time in the order they are issued (Kysely serialises them on the
   * transaction's connection), but a write of several statements issues its later ones only as the
   * earlier ones return, between the caller's: the caller reads what the write touches only after
   * `caughtUp`. At most one write is behind: the next one waits for it first. Its error surfaces at
   * `caughtUp`, which the unit passes before it ends (`flush`), and a unit that fails waits for it
   * before it rolls back. On SQLite (`BulkWriter.concurrent` false) the write is simply awaited.
   */
  async writeBehind(write: () => Promise<void>): Promise<void> {
    await this.caughtUp();
    if (!this.bulk.concurrent) return write(); // SQLite: nothing to overlap with
    const started = write();
    started.catch(() => undefined); // observed by caughtUp
    this.behind = started;
  }

  /** Wait for the write that is behind, if any; its error is thrown here. */
  async caughtUp(): Promise<void> {
    const behind = this.behind;
    this.behind = undefined;
    await behind;
  }

  /** Write the deferred updates and count moves. */
  async flushUpdates(): Promise<void> {
    if (this.countsDeferred) {
      for (const [integrationId, deltas] of this.countsDeferred)
        await adjustCounts(this.db, integrationId, deltas);
      this.countsDeferred.clear();
    }
    const deferred = this.deferred;
    if (!deferred) return;
    for (const { table, rows } of deferred.groups.values()) await this.bulk.update(this.db, table, rows);
    for (const [integrationId, deltas] of deferred.counts) await adjustCounts(this.db, integrationId, deltas);
    deferred.groups.clear();
    deferred.rows.clear();
    deferred.counts.clear();
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.buffer.push(entry);
    if (this.buffer.length >= 2000) await this.writeAudit();
  }

  /** The change set of this unit, created by the first caller (a write behind may ask at the same time). */
  ensureChangeSet(): Promise<number> {
    this.changeSet ??= this.db
      .insertInto('change_set')
      .values({
        workspace_id: this.workspace,
        integration_id: this.integrationId,
        kind: this.kind,
        actor: this.actor,
        at: this.now,
        summary: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => (this.changeSetCreated = row.id));
    return this.changeSet;
  }

  /** Wait for the write behind, then write the deferred updates and the buffered audit entries. */
  async flush(): Promise<void> {
    await this.caughtUp();
    await this.flushUpdates();
    await this.writeAudit();
  }

  /** Write the buffered audit entries (not the deferred updates: the two do not depend on each other). */
  private async writeAudit(): Promise<void> {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    const id = await this.ensureChangeSet();
    const rows = entries.map((e) => ({
      workspace_id: this.workspace,
      change_set_id: id,
      item_id: e.item_id ?? null,
      local_id: e.local_id ?? null,
      target: e.target,
      field: e.field ?? null,
      old_value: e.old_value ?? null,
      new_value: e.new_value ?? null,
      reason: e.reason,
    }));
    await this.bulk.insert(this.db, 'audit', rows);
  }

  /** Flush entries and store the summary on the change set, if one exists. */
  async finish(): Promise<number | undefined> {
    await this.flush();
    for (const [localId, itemIds] of this.forgetting) await forgetSsnHistory(this, localId, itemIds);
    const id = this.changeSet === undefined ? undefined : await this.changeSet;
    if (id !== undefined) {
      await this.db
        .updateTable('change_set')
        .set({ summary: JSON.stringify(this.summary) })
        .where('id', '=', id)
        .execute();
    }
    return id;
  }
}
