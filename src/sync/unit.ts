/**
 * A unit of work: one transaction, who acts, when, and the change set its audit entries belong to. The
 * change set is created on the first audit entry, so work that changes nothing leaves no trace (SYNC.md §6).
 */
import type { Insertable } from 'kysely';
import type { BulkWriter } from '../store/bulk.js';
import type { Executor } from '../store/executor.js';
import type { AuditTable } from '../store/schema.js';

export type AuditEntry = Omit<Insertable<AuditTable>, 'workspace_id' | 'change_set_id'>;

export class Unit {
  private changeSet: number | undefined;
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

  /** What the change set records as its summary (shown in the history). */
  summarize(value: unknown): void {
    this.summary = value;
  }

  /** Today as ISO date, for the engine. */
  get today(): string {
    return this.now.slice(0, 10);
  }

  get changeSetId(): number | undefined {
    return this.changeSet;
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.buffer.push(entry);
    if (this.buffer.length >= 2000) await this.flush();
  }

  async ensureChangeSet(): Promise<number> {
    if (this.changeSet === undefined) {
      const row = await this.db
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
        .executeTakeFirstOrThrow();
      this.changeSet = row.id;
    }
    return this.changeSet;
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const id = await this.ensureChangeSet();
    const rows = this.buffer.map((e) => ({
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
    this.buffer = [];
    await this.bulk.insert(this.db, 'audit', rows);
  }

  /** Flush entries and store the summary on the change set, if one exists. */
  async finish(): Promise<number | undefined> {
    await this.flush();
    if (this.changeSet !== undefined) {
      await this.db
        .updateTable('change_set')
        .set({ summary: JSON.stringify(this.summary) })
        .where('id', '=', this.changeSet)
        .execute();
    }
    return this.changeSet;
  }
}
