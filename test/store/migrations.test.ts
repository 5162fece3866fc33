/**
 * Migrations: a new database is brought to the latest schema on open, and a migration that fails half
 * way leaves nothing behind — on SQLite too, whose schema changes kysely would otherwise run one by one.
 */
import type { Kysely } from 'kysely';
import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { openDb } from '../../src/store/database.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const targetOf = (url: string) => (url.startsWith('postgres') ? { postgresUrl: url } : { sqlitePath: url });

describe.each(DATABASES)('migrations on $name', (target) => {
  let database: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    database = await target.connect();
    db = await openDb(targetOf(database.url));
  });
  afterEach(async () => {
    await db.close();
    await database.cleanup();
  });

  const tables = async (): Promise<string[]> => {
    const rows =
      db.dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.kysely)
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
            db.kysely,
          );
    return rows.rows.map((r) => r.name);
  };

  it('a migration that fails half way leaves no table behind', async () => {
    const failing = new Migrator({
      db: db.kysely as unknown as Kysely<unknown>,
      migrationTableName: 'test_migration',
      migrationLockTableName: 'test_migration_lock',
      provider: {
        getMigrations: async () => ({
          '0001-half': {
            up: async (k: Kysely<unknown>) => {
              await k.schema.createTable('half_done').addColumn('id', 'integer').execute();
              await sql`select * from no_such_table`.execute(k);
            },
          },
        }),
      },
    });
    const { error } = await failing.migrateToLatest();
    expect(error).toBeDefined();
    const after = await tables();
    expect(after).toContain('item');
    expect(after).not.toContain('half_done');
  });

  it('opening an up-to-date database again changes nothing', async () => {
    const before = (await tables()).sort();
    const again = await openDb(targetOf(database.url));
    await again.close();
    expect((await tables()).sort()).toEqual(before);
  });
});
