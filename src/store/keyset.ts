/**
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

export const itemPage = (db: Executor, integrationId: number, after: number, limit: number) =>
  db
    .selectFrom('item')
    .where(sql<boolean>`+item.integration_id = ${integrationId}`)
    .where('item.id', '>', after)
    .orderBy('item.id')
    .limit(limit);
