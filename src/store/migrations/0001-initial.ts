import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/** The first schema. `id` columns are autoincrementing integers on both databases. */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const idType = dialect === 'postgres' ? 'serial' : 'integer';
  const withId = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', idType, (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      );

  await db.schema
    .createTable('workspace')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId('local_record')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('number_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index local_record_number on local_record (workspace_id, kind, number_key) where archived_at is null`.execute(
    db,
  );

  await withId('integration')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('last_run_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('integration_name', ['workspace_id', 'name'])
    .execute();

  await withId('item')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'integer', (c) =>
      c.notNull().references('integration.id').onDelete('cascade'),
    )
    .addColumn('local_id', 'integer', (c) => c.references('local_record.id'))
    .addColumn('remote_key', 'text')
    .addColumn('remote_data', 'text')
    .addColumn('remote_hash', 'text')
    .addColumn('remote_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('linked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sync_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('do_not_sync', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('baseline', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('conflicts', 'text')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('exported_at', 'text')
    .addColumn('write_error', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index item_remote on item (integration_id, remote_key) where remote_key is not null`.execute(
    db,
  );
  await sql`create unique index item_local on item (local_id, integration_id) where local_id is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('item_category')
    .on('item')
    .columns(['integration_id', 'category', 'number', 'id'])
    .execute();

  await withId('change_set')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'integer', (c) => c.references('integration.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('undone_by', 'integer')
    .addColumn('undo_of', 'integer')
    .execute();

  await withId('audit')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('change_set_id', 'integer', (c) => c.notNull().references('change_set.id'))
    .addColumn('item_id', 'integer')
    .addColumn('local_id', 'integer')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_change_set').on('audit').column('change_set_id').execute();
  await db.schema.createIndex('audit_item').on('audit').column('item_id').execute();

  await withId('outbox')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'integer', (c) =>
      c.notNull().references('integration.id').onDelete('cascade'),
    )
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .columns(['integration_id', 'status', 'next_attempt_at'])
    .execute();
}
