import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Counts per integration and category (`src/store/counts.ts` keeps them). Row triggers were tried first:
 * on SQLite they tripled the cost of every item insert, so the writes adjust the counts themselves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('category_count')
    .addColumn('integration_id', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('category_count_pk', ['integration_id', 'category'])
    .execute();
  await sql`insert into category_count (integration_id, category, n)
            select integration_id, category, count(*) from item group by integration_id, category`.execute(
    db,
  );
}
