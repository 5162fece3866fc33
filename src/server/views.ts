/** From the use cases' shapes to the API's (src/api/schemas.ts): masking sensitive values on the way. */
import type { AuditEntry, IntegrationView, ItemDetail, ItemView, RecordView, User } from '../api/schemas.js';
import type { EntityKind, FieldName } from '../core/fields.js';
import { compareKey, withCounterpartCodes } from '../core/compare.js';
import { FIELDS_OF, findFieldDef, maskValue } from '../core/fields.js';
import type { LocalRecord } from '../store/records.js';
import { isCorrection } from '../sync/export.js';
import type { HistoryEntry } from '../sync/history.js';
import { maskAudit } from '../sync/history.js';
import type { ItemView as SyncItemView, Counts } from '../sync/overview.js';
import type { IntegrationInfo } from '../sync/settings.js';
import { comparedFields, isWritable } from '../sync/settings.js';
import type { UserInfo } from '../sync/users.js';

const sensitive = (kind: EntityKind, field: string): boolean => findFieldDef(kind, field)?.sensitive === true;

export const userView = (u: UserInfo): User => ({
  id: u.id,
  login: u.login,
  name: u.name,
  role: u.role,
  language: u.language,
});

export function recordView(r: LocalRecord, reveal: boolean): RecordView {
  const values: Record<string, string> = {};
  const masked: string[] = [];
  for (const [f, v] of Object.entries(r.values)) {
    if (v === undefined || v === '') continue;
    if (!reveal && sensitive(r.kind, f)) {
      values[f] = maskValue(v);
      masked.push(f);
    } else values[f] = v;
  }
  return {
    id: r.id,
    kind: r.kind,
    number: r.number,
    name: r.values.name ?? '',
    values,
    active: r.values.active !== 'false',
    archived: r.archivedAt !== null,
    archivedAt: r.archivedAt,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    masked,
  };
}

export function integrationView(i: IntegrationInfo, counts: Counts): IntegrationView {
  const s = i.settings;
  return {
    name: i.name,
    entity: i.entity,
    source: i.source,
    writable: isWritable(i),
    settings: {
      ignoreLeadingZeros: s.ignoreLeadingZeros,
      syncContactPerson: s.syncContactPerson,
      rules: s.rules,
      fileType: (s.fileType as IntegrationView['settings']['fileType'] | undefined) ?? null,
      remoteDelete: s.remoteDelete,
      connection: s.connection
        ? {
            url: s.connection.url,
            database: s.connection.database,
            user: s.connection.user,
            category: s.connection.category ?? null,
          }
        : null,
      intervalMinutes: s.intervalMinutes,
    },
    fields: [...i.fields],
    lastRunAt: i.lastRunAt,
    counts,
  };
}

export const itemView = (v: SyncItemView): ItemView => ({
  id: v.id,
  version: v.version,
  category: v.category,
  number: v.number,
  name: v.name,
  linked: v.linked,
  side: v.linked ? 'both' : v.local ? 'local' : 'remote',
  syncEnabled: v.linked ? v.syncEnabled : !v.doNotSync,
  localArchived: v.localArchived,
  remoteDeleted: v.remoteDeleted,
  conflicts: [...v.conflicts],
  exported: v.exported,
  error: v.error,
});

export function itemDetail(
  v: SyncItemView,
  localId: number | null,
  integration: IntegrationInfo,
  reveal: boolean,
): ItemDetail {
  // A file cannot be written: local values it should take go out in the export file (`isCorrection`);
  // not while a conflict waits for a decision.
  const inExport =
    !isWritable(integration) &&
    v.category !== 'conflict' &&
    v.linked &&
    v.syncEnabled &&
    !v.remoteDeleted &&
    v.local !== null &&
    v.remote !== null &&
    isCorrection(integration)(v.local, v.remote);
  const kind = integration.entity;
  const compared = new Set<FieldName>(comparedFields(kind, integration.fields, integration.settings));
  const conflicts = new Set<string>(v.conflicts);
  const show = (f: FieldName, value: string | undefined): string | null => {
    if (value === undefined || value === '') return null;
    return !reveal && sensitive(kind, f) ? maskValue(value) : value;
  };
  // As the engine compares: "01067" and "1067", "Müller, Jürgen" and "Jürgen Müller" do not differ.
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  const sides =
    v.local && v.remote
      ? {
          local: withCounterpartCodes(kind, v.local, v.remote),
          remote: withCounterpartCodes(kind, v.remote, v.local),
        }
      : null;
  const differs = (f: FieldName): boolean =>
    sides !== null &&
    compareKey(kind, f, sides.local, numbers) !== compareKey(kind, f, sides.remote, numbers);
  const fields = FIELDS_OF[kind].map((f) => ({
    field: f,
    local: v.local ? show(f, v.local[f]) : null,
    remote: v.remote ? show(f, v.remote[f]) : null,
    lastLocal: v.baseline ? show(f, v.baseline.local[f]) : null,
    lastRemote: v.baseline ? show(f, v.baseline.remote[f]) : null,
    conflict: conflicts.has(f),
    differs: differs(f),
    compared: compared.has(f),
    rule: integration.settings.rules[f] ?? 'two-way',
    sensitive: sensitive(kind, f),
  }));
  return { ...itemView(v), entity: kind, localId, fields, masked: !reveal, inExport };
}

/** Sensitive values masked unless `reveal` (see `maskAudit`). */
export function auditView(e: HistoryEntry, reveal: boolean): AuditEntry {
  return { ...maskAudit(e, reveal) };
}
