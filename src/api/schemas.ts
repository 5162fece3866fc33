/** Shapes shared by several endpoints: users, records, integrations, items, history, jobs. */
import { z } from 'zod';
import { ENTITY_KINDS } from '../core/fields.js';
import { CATEGORIES, FIELD_RULES } from '../core/model.js';
import { ROLES } from './contract.js';

export const LANGUAGES = ['en', 'de', 'da'] as const;
export type Language = (typeof LANGUAGES)[number];

export const entitySchema = z.enum(ENTITY_KINDS);
export const categorySchema = z.enum(CATEGORIES);
export const ruleSchema = z.enum(FIELD_RULES);
export const sideSchema = z.enum(['local', 'remote']);
export const roleSchema = z.enum(ROLES);
export const languageSchema = z.enum(LANGUAGES);

/** Field name → canonical text value (`active` is "true"/"false"; empty fields are absent). */
export const valuesSchema = z.record(z.string(), z.string());

export const userSchema = z.object({
  id: z.number(),
  login: z.string(),
  name: z.string(),
  role: roleSchema,
  language: languageSchema,
});
export type User = z.infer<typeof userSchema>;

export const loginSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._@-]+$/, 'letters, digits and . _ @ - only');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);

/**
 * A registry record. Sensitive values (SSN, bank registration and account numbers) are masked
 * (`••••••42`) unless asked for with `reveal=true`; `masked` lists the fields that were.
 */
export const recordSchema = z.object({
  id: z.number(),
  kind: entitySchema,
  number: z.string(),
  name: z.string(),
  values: valuesSchema,
  active: z.boolean(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  masked: z.array(z.string()),
});
export type RecordView = z.infer<typeof recordSchema>;

export const countsSchema = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, z.number()])) as Record<
    (typeof CATEGORIES)[number],
    z.ZodNumber
  >,
);
export type Counts = z.infer<typeof countsSchema>;

/** A custom file type (FORMATS.md "Custom file types"): header as written → field. */
export const fileTypeSchema = z.object({
  name: z.string().trim().min(1).max(100),
  entity: entitySchema,
  columns: z.record(z.string(), z.string()).optional(),
  dateFormat: z.string().optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
  sheet: z.string().optional(),
});
export type FileTypeView = z.infer<typeof fileTypeSchema>;

export const settingsSchema = z.object({
  ignoreLeadingZeros: z.boolean(),
  syncContactPerson: z.boolean(),
  rules: z.record(z.string(), ruleSchema),
  fileType: fileTypeSchema.nullable(),
  remoteDelete: z.enum(['delete', 'deactivate']),
  /** A live integration (Tryton): where and as whom; the password is never shown. */
  connection: z
    .object({ url: z.string(), database: z.string(), user: z.string(), category: z.string().nullable() })
    .nullable(),
  /** A live integration is synced by the server every this many minutes. */
  intervalMinutes: z.number(),
});

export const integrationSchema = z.object({
  name: z.string(),
  entity: entitySchema,
  source: z.string(),
  writable: z.boolean(),
  settings: settingsSchema,
  /** The fields the remote side carried at the last run. */
  fields: z.array(z.string()),
  lastRunAt: z.string().nullable(),
  counts: countsSchema,
});
export type IntegrationView = z.infer<typeof integrationSchema>;

/** One overview row. `syncEnabled` is false for a disabled link or an unlinked record marked "do not sync". */
export const itemSchema = z.object({
  id: z.number(),
  version: z.number(),
  category: categorySchema,
  number: z.string(),
  name: z.string(),
  linked: z.boolean(),
  /** Which side(s) hold a record: both for a link. */
  side: z.enum(['both', 'local', 'remote']),
  syncEnabled: z.boolean(),
  localArchived: z.boolean(),
  remoteDeleted: z.boolean(),
  conflicts: z.array(z.string()),
  /** Marked for the export file (a local-only record on a file integration). */
  exported: z.boolean(),
  /** The last failed remote write, with its message. */
  error: z.string().nullable(),
});
export type ItemView = z.infer<typeof itemSchema>;

/** One field of an item, both sides and the last agreement, side by side. */
export const itemFieldSchema = z.object({
  field: z.string(),
  local: z.string().nullable(),
  remote: z.string().nullable(),
  lastLocal: z.string().nullable(),
  lastRemote: z.string().nullable(),
  conflict: z.boolean(),
  /** Both records hold it and it differs as the engine compares ("01067" and "1067" do not). */
  differs: z.boolean(),
  /** Compared in this integration (present on the remote side, not ignored). */
  compared: z.boolean(),
  rule: ruleSchema,
  sensitive: z.boolean(),
});

export const itemDetailSchema = itemSchema.extend({
  /** The integration's entity kind: employees or customers. */
  entity: entitySchema,
  localId: z.number().nullable(),
  fields: z.array(itemFieldSchema),
  /** Sensitive values in `fields` are masked unless `reveal=true`. */
  masked: z.boolean(),
  /** A file integration's linked record whose local values the file should take: it is in the export. */
  inExport: z.boolean(),
});
export type ItemDetail = z.infer<typeof itemDetailSchema>;

/** One item an action changed: where it is now (null: it left the overview). */
export const settledSchema = z.object({
  itemId: z.number(),
  number: z.string(),
  category: categorySchema.nullable(),
  conflicts: z.array(z.string()),
  /** Local fields written. */
  localChanged: z.array(z.string()),
  removed: z.boolean(),
  /**
   * The item the record went into: the action made it linkable and it was linked by number with the
   * waiting record of the other side. This item was removed; `category` and `conflicts` are that item's.
   */
  linkedInto: z.number().optional(),
});

export const skippedSchema = z.object({
  itemId: z.number(),
  number: z.string(),
  reason: z.string(),
  /** Why, as a code a client words itself (`file_side`: inactive only in a file; `duplicate_number`). */
  code: z.string().optional(),
});

export const actionResultSchema = z.object({
  action: z.string(),
  integration: z.string(),
  count: z.number(),
  done: z.array(settledSchema),
  skipped: z.array(skippedSchema),
  /** The change to undo it by; null when nothing changed. */
  changeSet: z.number().nullable(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

/** Which items an action works on: ids (with optional versions to refuse stale requests), or a filter. */
export const targetSchema = z.union([
  z.strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(10_000),
    /** item id → the version the caller saw; a changed item refuses the whole request. */
    versions: z.record(z.string(), z.number().int()).optional(),
  }),
  z.strictObject({
    category: categorySchema,
    search: z.string().max(200).optional(),
    side: sideSchema.optional(),
  }),
]);
export type Target = z.infer<typeof targetSchema>;

export const auditEntrySchema = z.object({
  id: z.number(),
  changeSet: z.number(),
  kind: z.string(),
  actor: z.string(),
  at: z.string(),
  integration: z.string().nullable(),
  /** The record the entry is about: its number and name now (a removed item's: none). */
  record: z.object({ number: z.string(), name: z.string() }).nullable(),
  itemId: z.number().nullable(),
  localId: z.number().nullable(),
  target: z.string(),
  field: z.string().nullable(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  reason: z.string(),
  undone: z.boolean(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const changeSetSchema = z.object({
  id: z.number(),
  kind: z.string(),
  actor: z.string(),
  at: z.string(),
  integration: z.string().nullable(),
  summary: z.unknown(),
  undone: z.boolean(),
  undoneBy: z.number().nullable(),
  undoOf: z.number().nullable(),
});
export type ChangeSetView = z.infer<typeof changeSetSchema>;

export const rowProblemSchema = z.object({
  row: z.number(),
  column: z.string(),
  field: z.string().nullable(),
  value: z.string(),
  code: z.string(),
  reason: z.string(),
  /**
   * What the reason says beyond its code, for a wording in another language: `max` and `unit` of a
   * value too long, `rows` a repeated number is on too, `cells` and `columns` of a short record.
   */
  params: z.record(z.string(), z.string()).optional(),
});

export const plannedChangeSchema = z.object({
  itemId: z.number().nullable(),
  number: z.string(),
  change: z.enum(['new', 'linked', 'updated', 'deleted', 'removed', 'conflict']),
  fields: z.array(z.string()).optional(),
  /** A conflict's other fields, taken into the registry beside it. */
  merged: z.array(z.string()).optional(),
});

/** What an import did, or would do (dry run). */
export const runReportSchema = z.object({
  integration: z.string(),
  source: z.string(),
  dryRun: z.boolean(),
  rows: z.object({ read: z.number(), valid: z.number(), invalid: z.number(), unchanged: z.number() }),
  changes: z.object({
    new: z.number(),
    linked: z.number(),
    updated: z.number(),
    conflicts: z.number(),
    deleted: z.number(),
    removed: z.number(),
    localFieldsChanged: z.number(),
  }),
  /** The first 1,000 row problems, in file order. */
  problems: z.array(rowProblemSchema),
  /** Every row problem found, listed or not. */
  problemCount: z.number(),
  warnings: z.array(
    z.object({
      code: z.string(),
      row: z.number().nullable(),
      column: z.string(),
      value: z.string(),
      message: z.string(),
      /** A value read with a guess: what it was read as ("DE" for "Deutschland"). */
      readAs: z.string().optional(),
    }),
  ),
  planned: z.array(plannedChangeSchema),
  counts: countsSchema,
  changeSet: z.number().nullable(),
  /** A dry run the mass-delete guard would stop: a real run needs `confirmDeletes`. */
  deleteGuard: z.object({ deleted: z.number(), links: z.number() }).nullable(),
});
export type RunReportView = z.infer<typeof runReportSchema>;

export const JOB_KINDS = ['import', 'partner-all', 'sync'] as const;
export const JOB_STATES = ['running', 'done', 'failed'] as const;

/**
 * Long work on the server. It keeps running when the browser goes away; `GET /api/jobs/:id/events`
 * streams its progress. `result` is the endpoint's answer (an import's run report, a partner-all
 * result) once `done`; `error` the error body's `error` once `failed`.
 */
export const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  integration: z.string(),
  state: z.enum(JOB_STATES),
  /** Rows read or items done so far, of `total` when known; `fraction` 0…1 when known. */
  progress: z.object({ done: z.number(), total: z.number().nullable(), fraction: z.number().nullable() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  startedBy: z.string(),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }).nullable(),
  /** An import's validation problems can be downloaded as CSV (`GET /api/jobs/:id/report.csv`). */
  hasReport: z.boolean(),
});
export type Job = z.infer<typeof jobSchema>;

export const uploadSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  format: z.enum(['csv', 'xlsx']),
  /** Uploads are kept for an hour, then removed. */
  expiresAt: z.string(),
});
export type Upload = z.infer<typeof uploadSchema>;

export const tokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  login: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
