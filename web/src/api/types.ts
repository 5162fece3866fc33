/**
 * The answers the app reads, as the server's contracts (`src/api/`) define them. Kept to what the
 * screens use.
 */
export type Category = 'conflict' | 'new' | 'deleted' | 'disabled' | 'synced' | 'inactive';
export const CATEGORIES: readonly Category[] = [
  'conflict',
  'new',
  'deleted',
  'disabled',
  'synced',
  'inactive',
];
export type Entity = 'employee' | 'customer';
export type Role = 'admin' | 'supervisor';
export type Side = 'local' | 'remote';
export type Counts = Record<Category, number>;
export type FieldRule =
  | 'two-way'
  | 'prefer-local'
  | 'prefer-remote'
  | 'prefer-local-unless-empty'
  | 'prefer-remote-unless-empty'
  | 'ignore';
export const FIELD_RULES: readonly FieldRule[] = [
  'two-way',
  'prefer-local',
  'prefer-remote',
  'prefer-local-unless-empty',
  'prefer-remote-unless-empty',
  'ignore',
];

export interface User {
  id: number;
  login: string;
  name: string;
  role: Role;
  language: 'en' | 'de' | 'da';
}

export interface Session {
  user: User | null;
  csrfToken: string;
  setupRequired: boolean;
}

export interface FileType {
  name: string;
  entity: Entity;
  columns?: Record<string, string>;
  dateFormat?: string;
  delimiter?: ',' | ';' | '\t';
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  sheet?: string;
}

export interface Settings {
  ignoreLeadingZeros: boolean;
  syncContactPerson: boolean;
  rules: Record<string, FieldRule>;
  fileType: FileType | null;
  remoteDelete: 'delete' | 'deactivate';
}

export interface Integration {
  name: string;
  entity: Entity;
  source: string;
  writable: boolean;
  settings: Settings;
  fields: string[];
  lastRunAt: string | null;
  counts: Counts;
}

export interface Item {
  id: number;
  version: number;
  category: Category;
  number: string;
  name: string;
  linked: boolean;
  side: 'both' | 'local' | 'remote';
  syncEnabled: boolean;
  localArchived: boolean;
  remoteDeleted: boolean;
  conflicts: string[];
  exported: boolean;
  error: string | null;
}

export interface ItemField {
  field: string;
  local: string | null;
  remote: string | null;
  lastLocal: string | null;
  lastRemote: string | null;
  conflict: boolean;
  compared: boolean;
  rule: FieldRule;
  sensitive: boolean;
}

export interface ItemDetail extends Item {
  localId: number | null;
  fields: ItemField[];
  masked: boolean;
}

export type Target =
  { ids: number[]; versions?: Record<string, number> } | { category: Category; search?: string; side?: Side };

export interface ActionResult {
  action: string;
  integration: string;
  count: number;
  done: { itemId: number; number: string; category: Category | null; conflicts: string[] }[];
  skipped: { itemId: number; number: string; reason: string }[];
  changeSet: number | null;
}

export interface Candidate {
  itemId: number;
  number: string;
  name: string;
  score: number;
  reasons: string[];
}

export interface RecordView {
  id: number;
  kind: Entity;
  number: string;
  name: string;
  values: Record<string, string>;
  active: boolean;
  archived: boolean;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  masked: string[];
}

export interface AuditEntry {
  id: number;
  changeSet: number;
  kind: string;
  actor: string;
  at: string;
  integration: string | null;
  itemId: number | null;
  localId: number | null;
  side?: 'local' | 'remote' | 'link';
  target: string;
  field: string | null;
  old: string | null;
  new: string | null;
  reason: string;
  undone: boolean;
}

export interface ChangeSet {
  id: number;
  kind: string;
  actor: string;
  at: string;
  integration: string | null;
  summary: unknown;
  undone: boolean;
  undoneBy: number | null;
  undoOf: number | null;
}

export interface RowProblem {
  row: number;
  column: string;
  field: string | null;
  value: string;
  code: string;
  reason: string;
}

export type PlannedChangeKind = 'new' | 'linked' | 'updated' | 'deleted' | 'removed' | 'conflict';

export interface RunReport {
  integration: string;
  source: string;
  dryRun: boolean;
  rows: { read: number; valid: number; invalid: number; unchanged: number };
  changes: Record<
    'new' | 'linked' | 'updated' | 'conflicts' | 'deleted' | 'removed' | 'localFieldsChanged',
    number
  >;
  problems: RowProblem[];
  warnings: string[];
  planned: { itemId: number | null; number: string; change: PlannedChangeKind; fields?: string[] }[];
  counts: Counts;
  changeSet: number | null;
}

export interface Job {
  id: string;
  kind: 'import' | 'partner-all';
  integration: string;
  state: 'running' | 'done' | 'failed';
  progress: { done: number; total: number | null; fraction: number | null };
  startedAt: string;
  finishedAt: string | null;
  startedBy: string;
  result: unknown;
  error: { code: string; message: string; details: unknown } | null;
  hasReport: boolean;
}

export interface Upload {
  id: string;
  name: string;
  size: number;
  format: 'csv' | 'xlsx';
  expiresAt: string;
}

export interface UndoResult {
  undone: number;
  changeSet: number | null;
  restored: number;
  conflicts: { auditId: number; itemId: number | null; localId: number | null; field: string | null }[];
}
