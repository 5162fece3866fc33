import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The history read by record and by who made a change, at any size of the log. A record's timeline
 * (and `?local=`) looked its entries up without an index: every page read the whole log (6,000,000
 * entries: 2.5 s). Entries of a change set in id order: SQLite's index on `change_set_id` holds the id
 * already; PostgreSQL's needs it as a second column to list a user's or an integration's changes newest
 * first without sorting all their entries.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await sql`create index audit_local on audit (local_id) where local_id is not null`.execute(db);
  if (dialect === 'postgres') {
    await sql`create index audit_change_set_entry on audit (change_set_id, id)`.execute(db);
    await sql`drop index audit_change_set`.execute(db);
  }
}
