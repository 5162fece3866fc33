/**
 * Reading the history (SYNC.md §8): the audit log for the CLI (`listAudit`) and for the API, filtered by
 * item, record, change, user or integration with keyset paging; the change sets (what undo offers); the
 * timeline of one registry record across both sides of every integration; and how an entry may be shown.
 */
import { maskValue, SENSITIVE_FIELDS } from '../core/fields.js';
import type { Executor } from '../store/executor.js';
import type { App } from './app.js';

export interface AuditEntryView {
  readonly id: number;
  readonly changeSet: number;
  readonly kind: string;
  readonly actor: string;
  readonly at: string;
  readonly itemId: number | null;
  readonly localId: number | null;
  readonly target: string;
  readonly field: string | null;
  readonly old: string | null;
  readonly new: string | null;
  readonly reason: string;
  readonly undone: boolean;
}

export interface AuditQuery {
  readonly item?: number;
  readonly local?: number;
  readonly changeSet?: number;
  /** Entries older than this one (the last id of the previous page). */
  readonly before?: number;
  readonly limit?: number;
}

/** The audit log as the CLI asks for it: the API's query, in the app's workspace. */
export async function listAudit(app: App, q: AuditQuery): Promise<HistoryEntry[]> {
  return findAudit(app.db.kysely, {
    workspace: app.workspace,
    item: q.item,
    local: q.local,
    change: q.changeSet,
    before: q.before,
    limit: q.limit ?? 200,
  });
}

/** Targets whose old and new values are JSON snapshots (of an item, or of a whole local record). */
const SNAPSHOT_TARGETS = new Set(['local-created', 'local-deleted', 'partner-created']);
/** Snapshot keys that hold JSON text themselves. */
const NESTED_JSON = new Set(['remote_data', 'baseline', 'data']);

/**
 * An audit entry as it may be shown: sensitive values (SSN, bank details) masked unless `reveal`, in
 * field entries and inside record and item snapshots alike. The one place the CLI and the API mask it.
 */
export function maskAudit<E extends AuditEntryView>(e: E, reveal: boolean): E {
  if (reveal) return e;
  if (e.field && SENSITIVE_FIELDS.has(e.field))
    return { ...e, old: e.old ? maskValue(e.old) : e.old, new: e.new ? maskValue(e.new) : e.new };
  if (SNAPSHOT_TARGETS.has(e.target) || e.target.startsWith('item'))
    return { ...e, old: maskJson(e.old), new: maskJson(e.new) };
  return e;
}

/**
 * An undo conflict as it may be shown: a sensitive field's values masked, and sensitive keys inside an
 * item's snapshot (a conflict about the item itself) — undo reports to the CLI and the API alike.
 */
export function maskConflict<C extends { field: string | null; expected: string | null; now: string | null }>(
  c: C,
): C {
  const mask = (v: string | null): string | null => {
    if (v === null || v === '') return v;
    if (c.field === null) return maskJson(v);
    return SENSITIVE_FIELDS.has(c.field) ? maskValue(v) : v;
  };
  return { ...c, expected: mask(c.expected), now: mask(c.now) };
}

/** Mask sensitive keys anywhere in a JSON snapshot. */
function maskJson(text: string | null): string | null {
  return rewriteSnapshot(text, (key, value) =>
    SENSITIVE_FIELDS.has(key) && typeof value === 'string' && value !== '' ? maskValue(value) : value,
  );
}

/**
 * `text`, an audit entry's JSON snapshot (an item's state, a removed item, a record), with `replace`
 * applied to every key at any depth, inside the keys that hold JSON text themselves (`NESTED_JSON`) too;
 * `replace` answering undefined drops the key. Text that is no JSON object comes back as it is.
 */
export function rewriteSnapshot(
  text: string | null,
  replace: (key: string, value: unknown) => unknown,
): string | null {
  if (!text || !text.startsWith('{')) return text;
  try {
    return JSON.stringify(JSON.parse(text), (key, value: unknown) =>
      typeof value === 'string' && value.startsWith('{') && NESTED_JSON.has(key)
        ? rewriteSnapshot(value, replace)
        : replace(key, value),
    );
  } catch {
    return text;
  }
}

export interface AuditFilter {
  readonly workspace: string;
  readonly item?: number | undefined;
  readonly local?: number | undefined;
  readonly change?: number | undefined;
  readonly actor?: string | undefined;
  readonly integration?: number | undefined;
  /** Entries with a smaller id only (the previous page's last id). */
  readonly before?: number | undefined;
  readonly limit: number;
}

/** An audit entry as undo lists it, with the integration it belongs to and the record it is about. */
export interface HistoryEntry extends AuditEntryView {
  readonly integration: string | null;
  /** The local record's number and name as they are now (else the item's), so a person can tell which. */
  readonly record: { readonly number: string; readonly name: string } | null;
}

/** The audit entries of a workspace, to be narrowed, ordered and cut to a page by the caller. */
const entries = (db: Executor, workspace: string) =>
  db.selectFrom('audit').selectAll().where('audit.workspace_id', '=', workspace);

type EntryPage = ReturnType<typeof entries>;

/**
 * A page of entries with what a person reads beside them: the change (kind, who, when), its
 * integration, the record. The page is chosen first and joined after: joined before, SQLite's planner
 * could start from the change sets and sort all their entries (a user's history over 6,000,000 entries:
 * 15 s a page).
 */
function joined(db: Executor, page: EntryPage) {
  return db
    .selectFrom(page.as('audit'))
    .innerJoin('change_set', 'change_set.id', 'audit.change_set_id')
    .leftJoin('integration', 'integration.id', 'change_set.integration_id')
    .leftJoin('local_record', 'local_record.id', 'audit.local_id')
    .leftJoin('item', 'item.id', 'audit.item_id')
    .selectAll('audit')
    .select([
      'change_set.kind',
      'change_set.actor',
      'change_set.at',
      'change_set.undone_by',
      'integration.name as integration_name',
      'local_record.number as local_number',
      'local_record.name as local_name',
      'item.number as item_number',
      'item.name as item_name',
    ]);
}

type AuditJoined = Awaited<ReturnType<ReturnType<typeof joined>['execute']>>[number];

/**
 * A removed item's number and name, from what its removal kept (`removeItem`): the item is gone, so the
 * join finds nothing, and "#319" told a person nothing.
 */
function removedRecord(target: string, old: string | null): HistoryEntry['record'] {
  if (target !== 'item-removed' || old === null) return null;
  try {
    const kept = JSON.parse(old) as { number?: unknown; name?: unknown };
    return typeof kept.number === 'string'
      ? { number: kept.number, name: typeof kept.name === 'string' ? kept.name : '' }
      : null;
  } catch {
    return null;
  }
}

const toEntry = (r: AuditJoined): HistoryEntry => ({
  id: r.id,
  changeSet: r.change_set_id,
  kind: r.kind,
  actor: r.actor,
  at: r.at,
  integration: r.integration_name ?? null,
  record:
    r.local_number !== null
      ? { number: r.local_number, name: r.local_name ?? '' }
      : r.item_number !== null
        ? { number: r.item_number, name: r.item_name ?? '' }
        : removedRecord(r.target, r.old_value),
  itemId: r.item_id,
  localId: r.local_id,
  target: r.target,
  field: r.field,
  old: r.old_value,
  new: r.new_value,
  reason: r.reason,
  undone: r.undone_by !== null,
});

export async function findAudit(db: Executor, f: AuditFilter): Promise<HistoryEntry[]> {
  return (await auditPageQuery(db, f).execute()).map(toEntry);
}

/** The query of one page of `findAudit` (exported for the test that reads its plan). */
export function auditPageQuery(db: Executor, f: AuditFilter) {
  let page = entries(db, f.workspace);
  if (f.item !== undefined) page = page.where('audit.item_id', '=', f.item);
  if (f.local !== undefined) page = page.where('audit.local_id', '=', f.local);
  if (f.change !== undefined) page = page.where('audit.change_set_id', '=', f.change);
  if (f.before !== undefined) page = page.where('audit.id', '<', f.before);
  if (f.actor === undefined && f.integration === undefined)
    return joined(db, page.orderBy('audit.id', 'desc').limit(f.limit)).orderBy('audit.id', 'desc');
  // By who or for which integration: the entries of those change sets, newest change first, each an
  // index range. Filtered on the joined change set instead, every page read the whole log (6,000,000
  // entries: 135 s, the server's thread blocked on SQLite all the while). Under concurrent writers
  // (PostgreSQL) an older change's entries can have larger ids than a newer one's; `before` then pages
  // by id all the same.
  let sets = db
    .selectFrom('change_set')
    .select('change_set.id')
    .where('change_set.workspace_id', '=', f.workspace);
  if (f.actor !== undefined) sets = sets.where('change_set.actor', '=', f.actor);
  if (f.integration !== undefined) sets = sets.where('change_set.integration_id', '=', f.integration);
  page = page
    .where('audit.change_set_id', 'in', sets)
    .orderBy('audit.change_set_id', 'desc')
    .orderBy('audit.id', 'desc')
    .limit(f.limit);
  return joined(db, page).orderBy('audit.change_set_id', 'desc').orderBy('audit.id', 'desc');
}

/** Every entry about local record `localId` or any item it belongs (or belonged) to, newest first. */
export async function recordTimeline(
  db: Executor,
  workspace: string,
  localId: number,
  limit: number,
): Promise<HistoryEntry[]> {
  const page = entries(db, workspace)
    .where((eb) =>
      eb.or([
        eb('audit.local_id', '=', localId),
        eb(
          'audit.item_id',
          'in',
          eb.selectFrom('item').select('item.id').where('item.local_id', '=', localId),
        ),
      ]),
    )
    .orderBy('audit.id', 'desc')
    .limit(limit);
  const rows = await joined(db, page).orderBy('audit.id', 'desc').execute();
  return rows.map(toEntry);
}

const REMOTE_KEYS = new Set(['remote_data', 'remote_hash', 'remote_deleted', 'remote_key', 'write_error']);

/** Which side an entry touched: the registry, the remote record, or the link between them. */
export function sideOf(e: Pick<HistoryEntry, 'target' | 'old' | 'new'>): 'local' | 'remote' | 'link' {
  if (e.target.startsWith('local')) return 'local';
  if (e.target !== 'item') return 'link';
  try {
    const old = JSON.parse(e.old ?? '{}') as Record<string, unknown>;
    const now = JSON.parse(e.new ?? '{}') as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
      (k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]),
    );
    return changed.length > 0 && changed.every((k) => REMOTE_KEYS.has(k)) ? 'remote' : 'link';
  } catch {
    return 'link';
  }
}

export interface ChangeFilter {
  readonly workspace: string;
  readonly integration?: number | undefined;
  readonly actor?: string | undefined;
  readonly kind?: string | undefined;
  readonly before?: number | undefined;
  readonly limit: number;
}

export interface ChangeView {
  readonly id: number;
  readonly kind: string;
  readonly actor: string;
  readonly at: string;
  readonly integration: string | null;
  readonly summary: unknown;
  readonly undone: boolean;
  readonly undoneBy: number | null;
  readonly undoOf: number | null;
}

export async function listChanges(db: Executor, f: ChangeFilter): Promise<ChangeView[]> {
  let q = db
    .selectFrom('change_set')
    .leftJoin('integration', 'integration.id', 'change_set.integration_id')
    .selectAll('change_set')
    .select('integration.name as integration_name')
    .where('change_set.workspace_id', '=', f.workspace);
  if (f.integration !== undefined) q = q.where('change_set.integration_id', '=', f.integration);
  if (f.actor !== undefined) q = q.where('change_set.actor', '=', f.actor);
  if (f.kind !== undefined) q = q.where('change_set.kind', '=', f.kind);
  if (f.before !== undefined) q = q.where('change_set.id', '<', f.before);
  const rows = await q.orderBy('change_set.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => {
    let summary: unknown = null;
    try {
      summary = JSON.parse(r.summary);
    } catch {
      summary = r.summary;
    }
    return {
      id: r.id,
      kind: r.kind,
      actor: r.actor,
      at: r.at,
      integration: r.integration_name ?? null,
      summary,
      undone: r.undone_by !== null,
      undoneBy: r.undone_by,
      undoOf: r.undo_of,
    };
  });
}
