/** The local registry's rows: employees and customers of one workspace, values stored as JSON. */
import type { EntityKind, FieldValues } from '../core/fields.js';
import type { Executor } from './executor.js';
import { searchMatch } from './search.js';
import type { LocalRecordRow } from './schema.js';

export interface LocalRecord {
  readonly id: number;
  readonly kind: EntityKind;
  readonly number: string;
  readonly values: FieldValues;
  readonly archivedAt: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const toLocalRecord = (row: LocalRecordRow): LocalRecord => ({
  id: row.id,
  kind: row.kind as EntityKind,
  number: row.number,
  values: JSON.parse(row.data) as FieldValues,
  archivedAt: row.archived_at,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function findLocalByNumberKey(
  db: Executor,
  workspace: string,
  kind: EntityKind,
  numberKey: string,
  opts: { archived: boolean },
): Promise<LocalRecord | undefined> {
  let q = db
    .selectFrom('local_record')
    .selectAll()
    .where('workspace_id', '=', workspace)
    .where('kind', '=', kind)
    .where('number_key', '=', numberKey);
  q = opts.archived
    ? q.where('archived_at', 'is not', null).orderBy('archived_at', 'desc')
    : q.where('archived_at', 'is', null);
  const row = await q.executeTakeFirst();
  return row ? toLocalRecord(row) : undefined;
}

export async function findLocalByIds(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, LocalRecord>> {
  const out = new Map<number, LocalRecord>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.selectFrom('local_record').selectAll().where('id', 'in', chunk).execute();
    for (const row of rows) out.set(row.id, toLocalRecord(row));
  }
  return out;
}

export interface RecordQuery {
  readonly workspace: string;
  readonly kind: EntityKind;
  readonly search?: string;
  readonly archived?: boolean;
  readonly limit: number;
  readonly offset: number;
}

/** What a registry search looks in: the number, the name and every other value. */
export const RECORD_SEARCH_COLUMNS = ['name', 'number', 'data'] as const;

export async function listLocal(db: Executor, q: RecordQuery): Promise<LocalRecord[]> {
  let query = db
    .selectFrom('local_record')
    .selectAll()
    .where('workspace_id', '=', q.workspace)
    .where('kind', '=', q.kind)
    .where('archived_at', q.archived ? 'is not' : 'is', null);
  const match = searchMatch(RECORD_SEARCH_COLUMNS, q.search);
  if (match) query = query.where(match);
  const rows = await query.orderBy('number_key').orderBy('id').limit(q.limit).offset(q.offset).execute();
  return rows.map(toLocalRecord);
}
