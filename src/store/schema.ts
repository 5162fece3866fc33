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
  updated_at: string | null;
}

/** What a live connector remembers of a remote record, by the item's number key (0003). */
export interface RemoteRefTable {
  integration_id: number;
  remote_key: string;
  /** The remote system's id (Tryton record id). */
  external_id: string;
  /** The version last read (Tryton `_timestamp`s of the record and its children), for optimistic concurrency. */
  version: string;
  /** The version as the complete listing showed it: unchanged means the record need not be read again. */
  listed_version: string;
}

export interface SyncStateTable {
  integration_id: number;
  /** The newest create/write date seen on the remote side (its own clock), for incremental pulls. */
  watermark: string | null;
  updated_at: string;
}

/** Credentials of an integration, AES-256-GCM encrypted (`src/sync/secrets.ts`). */
export interface IntegrationSecretTable {
  integration_id: number;
  secret: string;
  updated_at: string;
}

/** One live sync round: when, how it ended, its report (JSON) or error. */
export interface SyncRunTable {
  id: Id;
  workspace_id: string;
  integration_id: number;
  started_at: string;
  finished_at: string;
  outcome: string;
  report: string | null;
  error: string | null;
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
  remote_ref: RemoteRefTable;
  sync_state: SyncStateTable;
  integration_secret: IntegrationSecretTable;
  sync_run: SyncRunTable;
}

export type LocalRecordRow = Selectable<LocalRecordTable>;
export type IntegrationRow = Selectable<IntegrationTable>;
export type ItemRow = Selectable<ItemTable>;
export type NewItem = Insertable<ItemTable>;
export type ItemUpdate = Updateable<ItemTable>;
export type AuditRow = Selectable<AuditTable>;
export type ChangeSetRow = Selectable<ChangeSetTable>;
