/** The local registry's rows: employees and customers of one workspace, values stored as JSON. */
import type { EntityKind, FieldValues } from '../core/fields.js';
import { sql } from 'kysely';
import { numberKey } from '../core/compare.js';
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
  return (await listLocalQuery(db, dialect, q).execute()).map(toLocalRecord);
}

/** The query of one `listLocal` page (exported for the test that reads its plan). */
export function listLocalQuery(
  db: Executor,
  dialect: DialectName,
  q: RecordQuery & { readonly limit: number; readonly offset: number },
) {
  let query = recordsQuery(db, dialect, q).selectAll();
  // A search is a scan anyway: the record whose number it is comes first ("0011" also matches every
  // phone, date and SSN with "11" in it).
  const key = q.search ? numberKey(q.search.trim(), { ignoreLeadingZeros: true }) : '';
  if (key) query = query.orderBy(sql`case when number_key = ${key} then 0 else 1 end`);
  return (
    query
      // Numbers as a person reads them (0002 before 0010 before 1041): by the key's length, then the
      // key; the index `local_record_number_order` holds that order (migration 0006).
      .orderBy(sql`length(number_key)`)
      .orderBy('number_key')
      .orderBy('id')
      .limit(q.limit)
      .offset(q.offset)
  );
}

/** How many records `listLocal` finds in all (its pages together). */
export async function countLocal(db: Executor, dialect: DialectName, q: RecordQuery): Promise<number> {
  const row = await recordsQuery(db, dialect, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
