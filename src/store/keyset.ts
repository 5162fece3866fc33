/**
 * Walks over large tables a page at a time, each page a range of an index.
 *
 * One integration's items in id order, a page at a time (`id > after order by id limit n`): the export,
 * a settings change, the partner candidates walk every item of an integration this way.
 *
 *   const rows = await itemPage(db, integrationId, after, 2000).selectAll().where(…).execute();
 *
 * The integration is matched as `+integration_id`: the unary plus keeps the column out of the planner's
 * choice of index, so each page is a range of the primary key. Matched plainly, SQLite took an index led
 * by `integration_id`, read every entry of the integration and sorted them by id — for every page, so a
 * walk grew with the square of the items (exporting 200,000 records took 45 s instead of 6).
 * PostgreSQL walks the primary key either way.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { AuditRow } from './schema.js';

export const itemPage = (db: Executor, integrationId: number, after: number, limit: number) =>
  db
    .selectFrom('item')
    .where(sql<boolean>`+item.integration_id = ${integrationId}`)
    .where('item.id', '>', after)
    .orderBy('item.id')
    .limit(limit);

/** Audit entries per page. */
const AUDIT_PAGE = 5000;

/**
 * The entries of change set `id`, a page at a time, oldest or newest first (undo: "create all partners"
 * leaves a million). The walk goes along the primary key between the change's first and last entry;
 * `+change_set_id` keeps the planner from sorting the whole change set for every page.
 */
export async function* auditPages(
  db: Executor,
  id: number,
  order: 'asc' | 'desc',
): AsyncGenerator<AuditRow[]> {
  const range = await db
    .selectFrom('audit')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .where('change_set_id', '=', id)
    .executeTakeFirst();
  if (range?.first == null || range.last == null) return;
  const [first, last] = [Number(range.first), Number(range.last)];
  for (let from = order === 'asc' ? first - 1 : last + 1; ;) {
    const page = await db
      .selectFrom('audit')
      .selectAll()
      .where(sql<boolean>`+audit.change_set_id = ${id}`)
      .where('id', order === 'asc' ? '>' : '<', from)
      .where('id', order === 'asc' ? '<=' : '>=', order === 'asc' ? last : first)
      .orderBy('id', order)
      .limit(AUDIT_PAGE)
      .execute();
    if (page.length === 0) return;
    yield page;
    from = page[page.length - 1]!.id;
  }
}
