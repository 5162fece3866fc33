import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The registry lists records in number order as a person reads numbers: shorter first, so that 0002
 * (key "2") comes before 0010 and 1041, not after 1999 as text order put it. The key has its leading
 * zeros stripped, so its length orders numbers by size; the index keeps every page a range.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index local_record_number_order on local_record (workspace_id, kind, length(number_key), number_key, id) where archived_at is null`.execute(
    db,
  );
}
