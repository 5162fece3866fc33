import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Live sync with an ERP (docs/tryton.md): what a connector remembers of each remote record (its own id
 * and the version last read, by number key), the pull watermark, every sync round's outcome, and the
 * integration's credentials, encrypted. The outbox (0001) gets the time of its last change.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const idType = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('remote_ref')
    .addColumn('integration_id', 'integer', (c) => c.notNull())
    .addColumn('remote_key', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('listed_version', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('remote_ref_pk', ['integration_id', 'remote_key'])
    .execute();
  await db.schema
    .createIndex('remote_ref_external')
    .on('remote_ref')
    .columns(['integration_id', 'external_id'])
    .execute();
  await db.schema
    .createTable('sync_state')
    .addColumn('integration_id', 'integer', (c) => c.primaryKey())
    .addColumn('watermark', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('integration_secret')
    .addColumn('integration_id', 'integer', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sync_run')
    .addColumn('id', idType, (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('sync_run_integration')
    .on('sync_run')
    .columns(['integration_id', 'id'])
    .execute();
  await sql`alter table outbox add column updated_at text`.execute(db);
}
