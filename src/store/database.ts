/**
 * Opening the store: SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg), one Kysely schema,
 * migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Migration, MigrationProvider } from 'kysely';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { up as initial } from './migrations/0001-initial.js';
import { up as categoryCounts } from './migrations/0002-category-counts.js';
import { up as liveSync } from './migrations/0003-live-sync.js';
import { up as users } from './migrations/0004-users.js';
import type { Tables } from './schema.js';
import type { BulkWriter } from './bulk.js';
import { postgresBulk, sqliteBulk } from './bulk.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Tables>;
  readonly dialect: DialectName;
  /** A human description of where the data lives, without credentials. */
  readonly location: string;
  /** Fast multi-row writes for runs and bulk actions. */
  readonly bulk: BulkWriter;
  close(): Promise<void>;
}

export type StoreTarget = { readonly sqlitePath: string } | { readonly postgresUrl: string };

const MIGRATIONS: Record<string, (db: Kysely<unknown>, dialect: DialectName) => Promise<void>> = {
  '0001-initial': initial,
  '0002-category-counts': categoryCounts,
  '0003-live-sync': liveSync,
  '0004-users': users,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, up]) => [
        name,
        { up: (db: Kysely<unknown>) => up(db, this.dialect) },
      ]),
    );
  }
}

// PostgreSQL bigint (count(*)) as JS number: counts here never approach 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDb(target: StoreTarget): Promise<Db> {
  const db = 'sqlitePath' in target ? openSqlite(target.sqlitePath) : openPostgres(target.postgresUrl);
  const { error, results } = await new Migrator({
    db: db.kysely,
    provider: new StaticProvider(db.dialect),
  }).migrateToLatest();
  if (error) {
    await db.close();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `database migration ${failed} failed: ${message}` : message);
  }
  return db;
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    kysely,
    dialect: 'sqlite',
    location: path,
    bulk: sqliteBulk(sqlite),
    close: () => kysely.destroy(),
  };
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return {
    kysely,
    dialect: 'postgres',
    location: safe.toString(),
    bulk: postgresBulk(),
    close: () => kysely.destroy(),
  };
}
