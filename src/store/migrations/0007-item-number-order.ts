import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The overview lists items by number as a person reads numbers — shorter first, so 2 comes before 10
 * and 100, which text order put after 199 — from the index that serves every page of a category.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index item_category`.execute(db);
  await sql`create index item_category on item (integration_id, category, length(number), number, id)`.execute(
    db,
  );
}
