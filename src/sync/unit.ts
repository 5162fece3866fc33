/**
 * A unit of work: one transaction, who acts, when, and the change set its audit entries belong to. The
 * change set is created on the first audit entry, so work that changes nothing leaves no trace (SYNC.md §6).
 */
import type { Insertable } from 'kysely';
import type { Executor } from '../store/executor.js';
import type { AuditTable } from '../store/schema.js';

export type AuditEntry = Omit<Insertable<AuditTable>, 'workspace_id' | 'change_set_id'>;

export class Unit {
  private changeSet: number | undefined;
  private buffer: AuditEntry[] = [];
  private count = 0;

  constructor(
    readonly db: Executor,
    readonly workspace: string,
    readonly actor: string,
    readonly now: string,
    readonly kind: string,
    readonly integrationId: number | null,
    private readonly summary: () => unknown = () => ({}),
  ) {}

  /** Today as ISO date, for the engine. */
  get today(): string {
    return this.now.slice(0, 10);
  }

  get auditCount(): number {
    return this.count;
  }

  get changeSetId(): number | undefined {
    return this.changeSet;
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.buffer.push(entry);
    this.count++;
    if (this.buffer.length >= 500) await this.flush();
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
    const rows = this.buffer.map((e) => ({ ...e, workspace_id: this.workspace, change_set_id: id }));
    this.buffer = [];
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('audit').values(rows.slice(i, i + 200)).execute();
  }

  /** Flush entries and store the summary on the change set, if one exists. */
  async finish(): Promise<number | undefined> {
    await this.flush();
    if (this.changeSet !== undefined) {
      await this.db
        .updateTable('change_set')
        .set({ summary: JSON.stringify(this.summary()) })
        .where('id', '=', this.changeSet)
        .execute();
    }
    return this.changeSet;
  }
}
