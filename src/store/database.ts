/**
 * Opening the store: SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg), one Kysely schema,
 * migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type {
  DatabaseConnection,
  DialectAdapter,
  Driver,
  Migration,
  MigrationProvider,
  SqliteDatabase as KyselySqliteDatabase,
  SqliteDialectConfig,
} from 'kysely';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { up as initial } from './migrations/0001-initial.js';
import { up as categoryCounts } from './migrations/0002-category-counts.js';
import { up as liveSync } from './migrations/0003-live-sync.js';
import { up as users } from './migrations/0004-users.js';
import { up as auditLookups } from './migrations/0005-audit-lookups.js';
import { up as numberOrder } from './migrations/0006-number-order.js';
import { up as itemNumberOrder } from './migrations/0007-item-number-order.js';
import type { Tables } from './schema.js';
import type { BulkWriter } from './bulk.js';
import { postgresBulk, sqliteBulk } from './bulk.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * How long a write waits for a lock another connection holds (the CLI beside the server, a long import)
 * before it is refused as `database_busy` with nothing changed: SQLite's `busy_timeout`, PostgreSQL's
 * `lock_timeout`.
 */
export const LOCK_WAIT_MS = 5000;

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
  '0005-audit-lookups': auditLookups,
  '0006-number-order': numberOrder,
  '0007-item-number-order': itemNumberOrder,
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

/**
 * Whether `error` says another connection holds what a write needs: SQLite still locked after
 * `busy_timeout` (or a read snapshot that can no longer write), PostgreSQL's lock timeout or deadlock.
 * Nothing was written; the same work can be tried again.
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '55P03' || code === '40P01'
  );
}

/**
 * SQLite transactions that take the write lock when they begin (`begin immediate`). A deferred one reads
 * first and then, when another process (the CLI beside the server) writes meanwhile, fails at its
 * first write at once, without waiting out `busy_timeout`: there is no lock it could wait for that
 * would make its read snapshot current again.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * SQLite's schema changes are transactional: a migration that fails half way leaves nothing behind
 * (kysely assumes otherwise for SQLite and would run each statement on its own), and two processes
 * opening a new database at once migrate one after the other, the second finding the work done.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Prepared statements kept per SQL text (the most recently used ones). */
export const STATEMENT_CACHE = 200;

/**
 * The database as kysely's SQLite driver sees it, with its statements prepared once per SQL text:
 * the driver prepares every query anew, which was a third of the time of an action on many items
 * (undoing "create all partners" for 200,000 items: 28 of 91 s in `prepare`). The driver runs one
 * query at a time on its connection, so a kept statement is never asked for while it still runs.
 */
export function cachingStatements(
  sqlite: Pick<SqliteDatabase.Database, 'prepare' | 'close'>,
): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement)
        cache.delete(sql); // set again below: the most recently used is the last key
      else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  const kysely = new Kysely<Tables>({
    dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    location: path,
    bulk: sqliteBulk(sqlite),
    close: () => kysely.destroy(),
  };
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c lock_timeout=${LOCK_WAIT_MS}` });
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
