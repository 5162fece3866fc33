/**
 * The tables, as Kysely sees them. Booleans are 0/1 integers and JSON is text on both databases, so one
 * schema and one set of queries serve SQLite and PostgreSQL.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuthTables } from './auth-schema.js';

type Id = Generated<number>;
/** PostgreSQL returns bigint aggregates as strings; the repositories cast. */
type Bool = Defaulted<number>;
/** A column the database fills when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: string;
}

export interface LocalRecordTable {
  id: Id;
  workspace_id: string;
  kind: string;
  number: string;
  number_key: string;
  name: string;
  /** JSON FieldValues. */
  data: string;
  archived_at: string | null;
  version: Defaulted<number>;
  created_at: string;
  updated_at: string;
}

export interface IntegrationTable {
  id: Id;
  workspace_id: string;
  name: string;
  entity: string;
  source: string;
  /** JSON IntegrationSettings. */
  settings: string;
  /** JSON FieldName[]: the fields the remote side carried at its last run. */
  fields: Defaulted<string>;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ItemTable {
  id: Id;
  workspace_id: string;
  integration_id: number;
  local_id: number | null;
  remote_key: string | null;
  remote_data: string | null;
  remote_hash: string | null;
  remote_deleted: Bool;
  linked: Bool;
  sync_enabled: Bool;
  do_not_sync: Bool;
  /** JSON Baseline, for links. */
  baseline: string | null;
  category: string;
  /** JSON FieldName[] of the fields in conflict, or null. */
  conflicts: string | null;
  number: string;
  name: string;
  exported_at: string | null;
  write_error: string | null;
  version: Defaulted<number>;
  updated_at: string;
}

export interface ChangeSetTable {
  id: Id;
  workspace_id: string;
  integration_id: number | null;
  kind: string;
  actor: string;
  at: string;
  /** JSON summary of what the action or run did. */
  summary: string;
  undone_by: number | null;
  undo_of: number | null;
}

export interface AuditTable {
  id: Id;
  workspace_id: string;
  change_set_id: number;
  item_id: number | null;
  local_id: number | null;
  /** What changed: a local field, the item (link, flags, baseline, remote snapshot), a record's life. */
  target: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string;
}

export interface OutboxTable {
  id: Id;
  workspace_id: string;
  integration_id: number;
  item_id: number;
  op: string;
  payload: string;
  status: string;
  attempts: Defaulted<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: ColumnType<string, string, never>;
}

/** Items per integration and category, kept by the writes (`counts.ts`). */
export interface CategoryCountTable {
  integration_id: number;
  category: string;
  n: number;
}

export interface Tables extends AuthTables {
  category_count: CategoryCountTable;
  workspace: WorkspaceTable;
  local_record: LocalRecordTable;
  integration: IntegrationTable;
  item: ItemTable;
  change_set: ChangeSetTable;
  audit: AuditTable;
  outbox: OutboxTable;
}

export type LocalRecordRow = Selectable<LocalRecordTable>;
export type IntegrationRow = Selectable<IntegrationTable>;
export type ItemRow = Selectable<ItemTable>;
export type NewItem = Insertable<ItemTable>;
export type ItemUpdate = Updateable<ItemTable>;
export type AuditRow = Selectable<AuditTable>;
export type ChangeSetRow = Selectable<ChangeSetTable>;
