/** The local registry's rows: employees and customers of one workspace, values stored as JSON. */
import type { EntityKind, FieldValues } from '../core/fields.js';
import type { Executor } from './executor.js';
import type { DialectName } from './database.js';
import { searchValues } from './search.js';
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
}

/** The records a registry list shows: of one kind, archived or not, whose values contain the search. */
function recordsQuery(db: Executor, dialect: DialectName, q: RecordQuery) {
  let query = db
    .selectFrom('local_record')
    .where('workspace_id', '=', q.workspace)
    .where('kind', '=', q.kind)
    .where('archived_at', q.archived ? 'is not' : 'is', null);
  // The number and the name are values too.
  const match = searchValues(dialect, 'local_record.data', q.search);
  if (match) query = query.where(match);
  return query;
}

export async function listLocal(
  db: Executor,
  dialect: DialectName,
  q: RecordQuery & { readonly limit: number; readonly offset: number },
): Promise<LocalRecord[]> {
  const rows = await recordsQuery(db, dialect, q)
    .selectAll()
    .orderBy('number_key')
    .orderBy('id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return rows.map(toLocalRecord);
}

/** How many records `listLocal` finds in all (its pages together). */
export async function countLocal(db: Executor, dialect: DialectName, q: RecordQuery): Promise<number> {
  const row = await recordsQuery(db, dialect, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
